"""Typos in the library (issue 27): "stagge" finds what "stage" finds and says "Bedoelde je: stage", a misspelt
"ouderbetrokkenheid" finds ouderbetrokkenheid, "ouder" finds at least what "ouders" finds, and a search that finds
nothing says so in the filter panel instead of leaving it empty."""

import pytest
from django.db import connection

from actieplan.search import vocabulary
from good_practices.models import TargetGroup
from tests.test_library import found, library_titles, practice, stocked  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

ACQUISITIE = "Acquisitie die tot veel succesvolle stageplaatsen leidt"


@pytest.fixture
def with_stage(library, stocked):
    practice(library, "Een stage bij de gemeente", summary="Leerlingen lopen een week stage op het gemeentehuis.")
    return stocked


@pytest.mark.parametrize("typo, meant", [("stagge", "stage"), ("staage", "stage"),
                                         ("ouderbetrokkenhied", "ouderbetrokkenheid"),
                                         ("ouderbetrokenheid", "ouderbetrokkenheid")])
def test_a_near_miss_finds_what_was_meant_and_says_so(client, library, with_stage, typo, meant):
    response = found(client, library.url, typo)
    assert response.context["suggestion"] == meant and response.context["typed_query"] == typo
    assert library_titles(response) == library_titles(found(client, library.url, meant))
    html = response.content.decode()
    assert f"Niets gevonden voor “{typo}”." in html
    assert f'Bedoelde je: <a href="?q={meant}">{meant}</a>?' in html
    assert f'value="{meant}"' in html  # the search box holds what was searched for


def test_the_suggestion_keeps_the_other_words_and_the_filters(client, library, with_stage):
    response = client.get(library.url, {"q": "stagge gemeente", "thema": ["kracht-van-samenwerken"]})
    assert response.context["suggestion"] == "stage gemeente"
    assert response.context["filterset"].data.getlist("thema") == ["kracht-van-samenwerken"]
    # "overdracht stage" finds nothing either (no practice holds both): then nothing is suggested.
    response = client.get(library.url, {"q": "overdracht stagge"})
    assert library_titles(response) == [] and "suggestion" not in response.context


def test_a_word_that_finds_something_is_never_corrected(client, library, with_stage):
    response = found(client, library.url, "overdracht ouders")  # both words exist, just not together
    assert library_titles(response) == [] and "suggestion" not in response.context


def test_a_word_from_an_unpublished_practice_is_never_suggested(client, library, stocked):
    page = practice(library, "Geheime werkplaats", summary="Nog niet klaar.")
    page.unpublish()
    response = found(client, library.url, "werkplaatss")
    assert library_titles(response) == [] and "suggestion" not in response.context


def test_ouder_finds_at_least_what_ouders_finds(client, library, stocked):
    page = practice(library, "Thuis meedoen", summary="Gesprekken aan de keukentafel.")
    page.target_groups.set(TargetGroup.objects.filter(name__iexact="ouders")[:1] or
                           [TargetGroup.objects.create(name="Ouders", slug="ouders-test")])
    page.save_revision().publish()
    ouders = set(library_titles(found(client, library.url, "ouders")))
    ouder = set(library_titles(found(client, library.url, "ouder")))
    assert "Thuis meedoen" in ouders and ouders <= ouder


def test_nothing_found_says_why_in_the_filter_panel(client, library, stocked):
    html = found(client, library.url, "qqqxyz").content.decode()
    assert "Geen good practice bevat “qqqxyz”, dus er is ook niets om uit te kiezen." in html
    assert "Toon alle good practices" in html
    html = client.get(library.url, {"q": "ouders", "overgang": "vo-mbo"}).content.decode()
    assert "Met de zoekterm “ouders” en deze filters is er geen good practice" in html
    html = client.get(library.url, {"q": "stage"}).content.decode()
    assert "dus er is ook niets om uit te kiezen" not in html


def test_the_library_vocabulary_holds_the_words_of_published_practices(library, stocked):
    words = set(vocabulary.SearchWord.objects.filter(scope=vocabulary.LIBRARY_SCOPE).values_list("word", flat=True))
    assert {"acquisitie", "stageplaatsen", "ouderbetrokkenheid", "overdrachtslijst"} <= words
    vocabulary.SearchWord.objects.all().delete()
    vocabulary.rebuild()
    assert vocabulary.SearchWord.objects.filter(scope=vocabulary.LIBRARY_SCOPE, word="acquisitie").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_postgresql_finds_the_suggestion_with_pg_trgm_and_its_index():
    assert vocabulary.has_trigram_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_word_trgm'")
        assert "gin_trgm_ops" in cursor.fetchone()[0]
