"""Het delen waard finds what you mean and spreads what works (issue 15).

Visitors find practices by Dutch word forms and parts of words, on SQLite and PostgreSQL alike; a
query with quotes or symbols never fails; on a phone the filters fold away behind one control with the
active ones as removable chips; members adopt a practice into their action plan and the practice shows
what spread.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from actieplan.models import Region
from good_practices.models import (
    DelenWaardTheme, GoodPracticeIndexPage, GoodPracticePage, ProeftuinIndexPage, ProeftuinPage, Transition,
)

pytestmark = pytest.mark.django_db


def home():
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def library():
    page = GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard", show_in_menus=True)
    home().add_child(instance=page)
    page.save_revision().publish()
    return page


def practice(library, title, *, summary=None, themes=(), transitions=(), **fields):
    page = GoodPracticePage(title=title, summary=summary or f"Samenvatting van {title}.", **fields)
    page.themes.set(DelenWaardTheme.objects.filter(slug__in=themes))
    page.transitions.set(Transition.objects.filter(slug__in=transitions))
    library.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def stocked(library):
    return {
        "acquisitie": practice(
            library, "Acquisitie die tot veel succesvolle stageplaatsen leidt",
            summary="Een vaste contactpersoon bij het bedrijfsleven vindt passende plekken voor leerlingen.",
            themes=["kracht-van-samenwerken"], transitions=["vo-mbo"]),
        "ouders": practice(
            library, "Ouders aan tafel",
            summary="Ouderbetrokkenheid groeit als de school ouders vanaf de eerste dag als partner ziet.",
            themes=["jongere-centraal"]),
        "overdracht": practice(
            library, "Warme overdracht vo-mbo", summary="Persoonlijke overdracht met een overdrachtslijst.",
            themes=["sluitende-transities"], transitions=["vo-mbo"]),
    }


def found(client, url, q):
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    return response


def library_titles(response):
    return [p.title for p in response.context["results"]]


# --- search: word forms, parts of words, any input ---------------------------------------------------


@pytest.mark.parametrize("q", ["stage", "stages", "stageplaats", "Stageplaatsen", "STAGEPLAATS"])
def test_word_forms_and_parts_of_words_find_the_practice(client, library, stocked, q):
    titles = library_titles(found(client, library.url, q))
    assert titles == ["Acquisitie die tot veel succesvolle stageplaatsen leidt"]


def test_the_start_of_a_compound_word_finds_it(client, library, stocked):
    assert library_titles(found(client, library.url, "ouder")) == ["Ouders aan tafel"]
    assert library_titles(found(client, library.url, "betrokkenheid")) == ["Ouders aan tafel"]


def test_two_words_must_both_match(client, library, stocked):
    assert library_titles(found(client, library.url, "overdracht vo")) == ["Warme overdracht vo-mbo"]
    assert library_titles(found(client, library.url, "overdracht ouders")) == []


def ADMIN_SEARCHES():
    """Every admin listing with a search box that reaches the search backend or the ORM."""
    from wagtail.snippets.models import get_snippet_models

    urls = [reverse("wagtailadmin_pages:search"), reverse("wagtailimages:index"), reverse("wagtaildocs:index"),
            reverse("wagtailusers_users:index")]
    urls += [reverse(model.snippet_viewset.get_url_name("list")) for model in get_snippet_models()]
    return urls


@pytest.mark.parametrize("q", ['"', "'", '"stage', 'stage"', "stage*", "(stage", "stage)", "AND", "NOT stage",
                               "-", "+", "^", ":", "a:b", "stage OR", "\\", "%", "_", "&", "|", "!", "<>",
                               "NEAR(stage)", "stage:*", "*", "'; DROP TABLE x; --"])
def test_query_syntax_never_fails(client, library, stocked, q):
    for url in (library.url, reverse("search")):
        assert client.get(url, {"q": q}).status_code == 200, url


def test_query_syntax_never_fails_in_the_admin_searches(admin_client, library, stocked):
    for url in ADMIN_SEARCHES():
        for q in ('"', '"stage', "NOT stage*", "a:b (", "'"):
            assert admin_client.get(url, {"q": q}).status_code == 200, (url, q)


def test_a_quote_around_a_word_still_finds_it(client, library, stocked):
    assert library_titles(found(client, library.url, '"stage"')) == [
        "Acquisitie die tot veel succesvolle stageplaatsen leidt"]


def test_site_search_finds_parts_of_words_and_shows_summary_theme_and_type(client, library, stocked):
    html = found(client, reverse("search"), "stage").content.decode()
    assert "Acquisitie die tot veel succesvolle" in html
    assert "Een vaste contactpersoon bij het bedrijfsleven" in html  # the summary
    assert "Kracht van samenwerken" in html  # the theme
    assert "Good practice" in html  # the type


def test_the_search_term_is_highlighted_and_escaped(client, library, stocked):
    html = found(client, library.url, "stage").content.decode()
    assert "<mark>stage</mark>plaatsen" in html
    practice(library, "Stage <script>alert(1)</script>", summary="<b>stage</b> & meer")
    html = found(client, library.url, "stage").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;<mark>stage</mark>&lt;/b&gt; &amp; meer" in html
