"""Het delen waard: visitors filter and search the library; editors share a finished proeftuin as a good practice."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from actieplan.models import ReflectionTheme, Region
from good_practices.models import (
    CiosLevel, DelenWaardTheme, GoodPracticeIndexPage, GoodPracticePage, LeerkringStage, LoopbaanCompetentie,
    ProeftuinPage, SchoolType, TargetGroup, Transition,
)
from tests.factories import home_page, make_action

pytestmark = pytest.mark.django_db


# --- builders -----------------------------------------------------------------------------------


def practice(library, title, *, summary=None, publish=True, region=None, **taxonomy):
    """A good practice tagged by slugs: themes=[...], transitions=[...], school_types=[...], …"""
    models = {"themes": DelenWaardTheme, "transitions": Transition, "school_types": SchoolType,
              "competenties": LoopbaanCompetentie, "target_groups": TargetGroup, "cios_levels": CiosLevel,
              "reflection_themes": ReflectionTheme}
    page = GoodPracticePage(title=title, summary=summary or f"Samenvatting van {title}.", region=region)
    for field, slugs in taxonomy.items():
        getattr(page, field).set(models[field].objects.filter(slug__in=slugs))
    library.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish()
    return page


def listed_titles(response):
    return [p.title for p in response.context["results"]]


@pytest.fixture
def stocked(library):
    """Three practices that differ on every facet."""
    kempen = Region.objects.create(name="Kempengemeenten", slug="kempengemeenten")
    helmond = Region.objects.create(name="Helmond", slug="helmond")
    return {
        "overdracht": practice(
            library, "Warme overdracht vo-mbo", summary="Persoonlijke overdracht met een overdrachtslijst.",
            themes=["sluitende-transities"], transitions=["vo-mbo"], school_types=["vo"],
            competenties=["loopbaansturing"], target_groups=["dreigende-uitval"], cios_levels=["informatie"],
            region=kempen),
        "lobdiner": practice(
            library, "LOB-diner met ouders", summary="Een spel met kaarten over beroepen en daarna samen eten.",
            themes=["jongere-centraal"], transitions=["vo-mbo"], school_types=["mbo-3-4"],
            competenties=["netwerken"], target_groups=["ouders"], cios_levels=["samenwerking"], region=helmond),
        "atc": practice(
            library, "Arbeidstrainingscentrum", summary="Oefenen in een echte werkomgeving op weg naar een baan.",
            themes=["kracht-van-samenwerken"], transitions=["pro-arbeid"], school_types=["pro"],
            competenties=["werkexploratie"], target_groups=["banenafspraak"], cios_levels=[]),
    }


# --- reference data -------------------------------------------------------------------------------


def test_taxonomies_come_from_the_sources():
    assert list(LoopbaanCompetentie.objects.values_list("name", flat=True)) == [
        "Motievenreflectie", "Kwaliteitenreflectie", "Werkexploratie", "Loopbaansturing", "Netwerken"]
    assert list(DelenWaardTheme.objects.values_list("name", flat=True)) == [
        "Jongere centraal – inzet op netwerk – extra aandacht voor bepaalde doelgroep",
        "Kracht van samenwerken en netwerken", "Sluitende transities – warme overdracht", "Overig"]
    assert list(CiosLevel.objects.values_list("slug", flat=True)) == [
        "contact", "informatie", "ondersteuning", "samenwerking", "randvoorwaarden"]
    assert {"vo-mbo", "pro-arbeid", "mbo-arbeid", "vso-arbeid", "vso-dagbesteding"} <= set(
        Transition.objects.values_list("slug", flat=True))
    assert {"pro", "vso", "vo", "mbo-entree-2", "mbo-3-4"} <= set(SchoolType.objects.values_list("slug", flat=True))
    assert TargetGroup.objects.exists()


# --- the library: facets, search, visibility --------------------------------------------------------


@pytest.mark.parametrize("facet, value, expected", [
    ("thema", "sluitende-transities", ["Warme overdracht vo-mbo"]),
    ("overgang", "vo-mbo", ["LOB-diner met ouders", "Warme overdracht vo-mbo"]),
    ("onderwijssoort", "pro", ["Arbeidstrainingscentrum"]),
    ("competentie", "netwerken", ["LOB-diner met ouders"]),
    ("regio", "kempengemeenten", ["Warme overdracht vo-mbo"]),
    ("doelgroep", "banenafspraak", ["Arbeidstrainingscentrum"]),
    ("cios", "samenwerking", ["LOB-diner met ouders"]),
])
def test_visitor_filters_the_library_by_each_facet(client, library, stocked, facet, value, expected):
    response = client.get(library.url, {facet: value})
    assert response.status_code == 200
    assert listed_titles(response) == expected
    html = response.content.decode()
    assert re.search(rf'value="{value}" id="[^"]+" checked', html)  # the selection is kept in the form
    assert f"{len(expected)} good practice" in html


def test_options_within_a_facet_widen_and_facets_together_narrow(client, library, stocked):
    both_themes = client.get(library.url, {"thema": ["sluitende-transities", "kracht-van-samenwerken"]})
    assert listed_titles(both_themes) == ["Arbeidstrainingscentrum", "Warme overdracht vo-mbo"]
    theme_and_transition = client.get(library.url, {"thema": "jongere-centraal", "overgang": "vo-mbo"})
    assert listed_titles(theme_and_transition) == ["LOB-diner met ouders"]


def test_options_show_how_many_practices_they_would_give(client, library, stocked):
    html = client.get(library.url, {"thema": "jongere-centraal"}).content.decode()
    # vo → mbo within the chosen theme: only the LOB-diner; other themes count against the transition filter.
    assert "vo → mbo (1)" in html
    assert "Sluitende transities – warme overdracht (1)" in html


def test_visitor_searches_the_library_in_full_text(client, library, stocked):
    response = client.get(library.url, {"q": "kaarten"})
    assert listed_titles(response) == ["LOB-diner met ouders"]
    assert "1 good practice gevonden voor “kaarten”" in response.content.decode()
    narrowed = client.get(library.url, {"q": "overdracht", "overgang": "pro-arbeid"})
    assert listed_titles(narrowed) == []
    assert "Geen good practices gevonden" in narrowed.content.decode()


def test_unknown_filter_value_gets_a_dutch_message_not_an_error(client, library, stocked):
    response = client.get(library.url, {"thema": "bestaat-niet", "pagina": "veel"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert len(listed_titles(response)) == 3


def test_drafts_are_neither_listed_nor_found(client, library, stocked):
    practice(library, "Geheim concept over overdracht", publish=False, themes=["sluitende-transities"])
    assert "Geheim concept over overdracht" not in listed_titles(client.get(library.url))
    assert listed_titles(client.get(library.url, {"q": "Geheim"})) == []
    assert "Geheim concept" not in client.get(reverse("search"), {"q": "Geheim"}).content.decode()


def test_private_practices_are_hidden_from_anonymous_visitors(client, library, stocked, people):
    private = practice(library, "Alleen voor leden", themes=["overig"])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    assert "Alleen voor leden" not in listed_titles(client.get(library.url))
    assert "Alleen voor leden" not in listed_titles(client.get(library.url, {"q": "leden"}))
    assert client.get(private.url).status_code == 302  # to the login page
    client.force_login(people.werkgroeplid)
    assert "Alleen voor leden" in listed_titles(client.get(library.url))


def test_pages_link_to_the_next_page_keeping_the_filters(client, library):
    for n in range(14):
        practice(library, f"Voorbeeld {n:02d}", themes=["overig"])
    first = client.get(library.url, {"thema": "overig"})
    assert len(listed_titles(first)) == 12
    assert "thema=overig&amp;pagina=2" in first.content.decode()
    second = client.get(library.url, {"thema": "overig", "pagina": 2})
    assert listed_titles(second) == ["Voorbeeld 12", "Voorbeeld 13"]


def test_good_practice_page_shows_its_facts_and_links_back_to_the_library(client, library, stocked):
    html = client.get(stocked["lobdiner"].url).content.decode()
    assert "LOB-diner met ouders" in html and "Een spel met kaarten" in html
    assert "Jongere centraal" in html and "Netwerken" in html and "Helmond" in html
    assert f'href="{library.url}"' in html


def test_reflection_themes_name_the_practices_that_help():
    theme = ReflectionTheme.objects.get(slug="relatie")
    lib = GoodPracticeIndexPage(title="Bibliotheek", slug="bibliotheek")
    home_page().add_child(instance=lib)
    helpful = practice(lib, "Elkaar leren kennen", reflection_themes=["relatie"])
    assert list(theme.good_practices.all()) == [helpful]


def test_new_pages_go_through_the_moderation_workflow(library, proeftuinen):
    workflow = library.get_workflow()
    assert workflow is not None and workflow.active
    assert practice(library, "Nieuw").get_workflow() == workflow
    assert proeftuinen.get_workflow() is not None


# --- proeftuinen ------------------------------------------------------------------------------------


def proeftuin(index, title="Leerlab West-Brabant", *, finished=True, **fields):
    today = timezone.localdate()
    page = ProeftuinPage(
        title=title, summary="Challenges van mbo- en vo-docenten samen.", aim="Vo-leerlingen leren het mbo kennen.",
        partners="Vo-scholen en een mbo-instelling.", stage=LeerkringStage.UITVOEREN,
        start_date=today - datetime.timedelta(days=400),
        end_date=today - datetime.timedelta(days=10) if finished else today + datetime.timedelta(days=60),
        evaluation="<p>Samen ontwerpen bracht docenten dichter bij elkaar.</p>",
        body=[{"type": "paragraph", "value": "<p>Zo deden we het.</p>"}], **fields,
    )
    page.transitions.set(Transition.objects.filter(slug="vo-mbo"))
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_end_date_before_start_date_is_refused_in_dutch(proeftuinen):
    page = proeftuin(proeftuinen)
    page.end_date = page.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "De einddatum ligt vóór de startdatum" in str(error.value)


def test_admin_form_keeps_the_input_and_explains_a_wrong_end_date(client, proeftuinen, people):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.force_login(people.editor)
    data = nested_form_data({
        "title": "Gastlessen mbo-docenten", "slug": "gastlessen", "summary": "Mbo-docenten geven les op het vmbo.",
        "aim": "Leerlingen leren het mbo kennen.", "stage": "kennismaking", "start_date": "2025-09-01",
        "end_date": "2025-01-01", "body": streamfield([]), "evaluation": rich_text(""),
    })
    response = client.post(reverse("wagtailadmin_pages:add", args=["good_practices", "proeftuinpage", proeftuinen.pk]),
                           data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "De einddatum ligt vóór de startdatum" in html
    assert "Mbo-docenten geven les op het vmbo." in html  # nothing typed is lost
    assert not ProeftuinPage.objects.filter(slug="gastlessen").exists()


def test_proeftuin_page_shows_stage_and_only_members_see_linked_action_titles(client, proeftuinen, people):
    page = proeftuin(proeftuinen)
    action = make_action(people.partnership, people.owner, title="Challenges inroosteren in leerjaar 3")
    action.linked_pages.add(page)

    html = client.get(page.url).content.decode()
    assert 'aria-current="step"' in html and "6. Uitvoeren interventies" in html
    assert "Er is 1 actie van de werkgroep aan deze proeftuin gekoppeld." in html
    assert "Challenges inroosteren" not in html

    client.force_login(people.outsider)
    assert "Challenges inroosteren" not in client.get(page.url).content.decode()
    client.force_login(people.werkgroeplid)
    assert "Challenges inroosteren in leerjaar 3" in client.get(page.url).content.decode()


def test_editor_promotes_a_finished_proeftuin_to_a_draft_good_practice(client, library, proeftuinen, people):
    pilot = proeftuin(proeftuinen)
    client.force_login(people.editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[pilot.pk]))
    assert "Delen als good practice" in edit.content.decode()

    url = reverse("good_practices_promote", args=[pilot.pk])
    assert client.get(url).status_code == 200
    response = client.post(url)
    created = GoodPracticePage.objects.get(source_proeftuin=pilot)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[created.pk])
    assert created.get_parent().pk == library.pk
    assert not created.live  # a draft: it goes through moderation before visitors see it
    assert created.summary == pilot.summary
    assert "Zo deden we het." in str(created.body) and "dichter bij elkaar" in str(created.body)
    assert list(created.transitions.values_list("slug", flat=True)) == ["vo-mbo"]
    assert created.get_latest_revision() is not None
    assert created.title not in listed_titles(client.get(library.url))

    # A second click opens the same draft instead of making another.
    client.post(url)
    assert GoodPracticePage.objects.filter(source_proeftuin=pilot).count() == 1

    # Once published, the practice links back to the proeftuin and the proeftuin to the practice.
    created.save_revision().publish()
    client.logout()
    assert pilot.url in client.get(created.url).content.decode()
    assert created.url in client.get(pilot.url).content.decode()


def test_an_unfinished_proeftuin_cannot_be_promoted(client, library, proeftuinen, people):
    pilot = proeftuin(proeftuinen, finished=False)
    client.force_login(people.editor)
    assert "Delen als good practice" not in client.get(
        reverse("wagtailadmin_pages:edit", args=[pilot.pk])).content.decode()
    client.post(reverse("good_practices_promote", args=[pilot.pk]))
    assert not GoodPracticePage.objects.filter(source_proeftuin=pilot).exists()


def test_people_without_editing_rights_cannot_promote(client, library, proeftuinen, people):
    pilot = proeftuin(proeftuinen)
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("good_practices_promote", args=[pilot.pk]))
    assert response.status_code in (302, 403)
    assert not GoodPracticePage.objects.filter(source_proeftuin=pilot).exists()


def test_editors_maintain_the_taxonomies_in_the_admin(client, people):
    client.force_login(people.editor)
    response = client.get(reverse("wagtailsnippets_good_practices_transition:list"))
    assert response.status_code == 200
    assert "vso → dagbesteding" in response.content.decode()


# --- demo content -----------------------------------------------------------------------------------


def test_demo_loader_builds_the_library_and_the_proeftuinen_once(client):
    from good_practices.demo import load

    load(io.StringIO())
    library = GoodPracticeIndexPage.objects.get()
    assert library.live and library.show_in_menus and library.get_parent().pk == home_page().pk
    practices = GoodPracticePage.objects.child_of(library).live()
    assert practices.count() == 40  # 36 from chapter 3 of source 003, four interventions of source 004
    assert ProeftuinPage.objects.live().count() == 12  # the leerlabs of source 002
    for theme in DelenWaardTheme.objects.all():
        assert practices.filter(themes=theme).exists(), theme
    assert not practices.filter(themes=None).exists()
    assert not practices.filter(reflection_themes=None).exists()
    assert practices.filter(cios_levels__slug="ondersteuning").get().title.startswith("Zuiderpark")
    assert ProeftuinPage.objects.filter(end_date__lt=timezone.localdate()).exists()  # some can be promoted

    load(io.StringIO())
    assert GoodPracticePage.objects.count() == 40 and ProeftuinPage.objects.count() == 12

    # Publishing indexed them: the site search and the library search find them.
    assert "Peelportaal" in client.get(reverse("search"), {"q": "Peelportaal"}).content.decode()
    assert listed_titles(client.get(library.url, {"q": "LOB-diner"})) == ["De Hef: het LOB-diner"]
    assert "Het delen waard" in client.get("/").content.decode()  # in the menu and on the home page


def test_whole_demo_load_is_idempotent_for_this_app():
    call_command("load_demo_content", force=True, stdout=io.StringIO())
    counts = (GoodPracticePage.objects.count(), ProeftuinPage.objects.count(), Region.objects.count())
    call_command("load_demo_content", force=True, stdout=io.StringIO())
    assert (GoodPracticePage.objects.count(), ProeftuinPage.objects.count(), Region.objects.count()) == counts
