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

from good_practices.models import DelenWaardTheme, GoodPracticePage, ProeftuinIndexPage, ProeftuinPage, Transition
from tests.factories import publish_section

pytestmark = pytest.mark.django_db


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


# --- filters on a phone: folded, chips, disabled empty options -----------------------------------------


def test_filters_fold_behind_one_control_with_the_active_ones_as_removable_chips(client, library, stocked):
    response = client.get(library.url, {"thema": "kracht-van-samenwerken", "overgang": "vo-mbo", "q": "stage"})
    html = response.content.decode()
    fold = html[html.index('<details class="gp-fold">'):html.index("</details>")]
    assert re.search(r"<summary[^>]*>\s*Filters \(2 actief\)\s*</summary>", fold)
    assert 'name="thema"' in fold and 'name="q"' not in fold  # the search box stays out of the fold
    chips = re.findall(r'<a class="gp-chip" href="\?([^"]*)">([^<]*)<', html)
    labels = [label.strip() for _q, label in chips]
    assert labels == ["Zoekterm: stage", "Thema: Kracht van samenwerken en netwerken", "Overgang: vo → mbo"]
    # "Wis alles" comes before the facets and the results, and clears everything.
    assert html.index("Wis alles") < html.index('<details class="gp-fold">') < html.index('id="gp-results-title"')
    assert re.search(rf'<a class="gp-chips__clear" href="{library.url}">Wis alles</a>', html)
    # Removing the theme chip keeps the transition and the search term.
    remove_theme = next(query for query, label in chips if label.startswith("Thema"))
    after = client.get(library.url + "?" + remove_theme.replace("&amp;", "&"))
    assert after.context["filterset"].data.getlist("thema") == []
    assert after.context["filterset"].data.getlist("overgang") == ["vo-mbo"]
    assert after.context["query"] == "stage"


def test_without_filters_there_are_no_chips_and_the_control_says_filters(client, library, stocked):
    html = client.get(library.url).content.decode()
    assert 'class="gp-chip"' not in html and "Wis alles" not in html
    assert re.search(r"<summary[^>]*>\s*Filters\s*</summary>", html)


def test_options_that_would_give_nothing_are_shown_but_cannot_be_ticked(client, library, stocked):
    html = client.get(library.url, {"thema": "jongere-centraal"}).content.decode()
    # Only "Ouders aan tafel" has this theme and it has no transition: vo → mbo would empty the list.
    option = re.search(r'<input type="checkbox" name="overgang" value="vo-mbo"[^>]*>', html).group(0)
    assert "disabled" in option
    assert re.search(r'<label for="[^"]+">vo → mbo \(0\)</label>', html)
    # Options of the facet itself stay tickable (they widen the list).
    theme = re.search(r'<input type="checkbox" name="thema" value="sluitende-transities"[^>]*>', html).group(0)
    assert "disabled" not in theme


def test_the_cached_count_follows_a_publish_and_an_unpublish_at_once(client, library, stocked):
    def shown(response):
        return int(re.search(r'class="gp-count">\s*(\d+) good practice', response.content.decode()).group(1))

    params = {"overgang": "vo-mbo"}
    assert shown(client.get(library.url, params)) == 2
    assert shown(client.get(library.url, params)) == 2  # the second look reads the block and its count from the cache
    new = practice(library, "Doorstroomdag mbo", transitions=["vo-mbo"])
    after = client.get(library.url, params)
    assert shown(after) == 3 and "Doorstroomdag mbo" in library_titles(after)
    new.unpublish()
    gone = client.get(library.url, params)
    assert shown(gone) == 2 and "Doorstroomdag mbo" not in library_titles(gone)


def test_a_block_cached_while_the_publish_was_still_open_is_not_read_after_the_commit(
        client, library, stocked, django_capture_on_commit_callbacks):
    """Another worker may read the old rows while the publish is still open: it sees the old version (the
    bump lands with the commit) and caches the old block under it, which nobody reads after the commit."""
    from django.core.cache import cache

    from actieplan import caching
    from good_practices.search import LIBRARY

    parts = ("library-block", library.pk, [], [("overgang", ["vo-mbo"])], "nl")
    with django_capture_on_commit_callbacks(execute=True):
        practice(library, "Doorstroomdag mbo", transitions=["vo-mbo"])
        during = caching.key(LIBRARY, *parts)
        cache.set(during, {"count": 2, "html": "oude blok"})  # what the other worker cached meanwhile
    assert caching.key(LIBRARY, *parts) != during
    response = client.get(library.url, {"overgang": "vo-mbo"})
    assert "oude blok" not in response.content.decode() and response.context["result_count"] == 3


def test_the_library_page_costs_the_same_queries_for_few_and_many_results(client, library, stocked):
    params = {"q": "overdracht", "thema": "sluitende-transities", "overgang": "vo-mbo"}

    def queries():
        client.get(library.url, params)  # warm the caches (site, menus) on both sides
        with CaptureQueriesContext(connection) as captured:
            response = client.get(library.url, params)
        return len(captured), response.context["result_count"]

    few, n_few = queries()
    for n in range(11):
        practice(library, f"Overdracht in de regio {n}", summary="Warme overdracht.",
                 themes=["sluitende-transities"], transitions=["vo-mbo", "pro-mbo"])
    many, n_many = queries()
    assert (n_few, n_many) == (1, 12)
    assert many == few


# --- adoption: "We gaan dit doen" --------------------------------------------------------------------


def adopt(client, practice_page, people, **overrides):
    """A werkgroeplid clicks "We gaan dit doen" and saves the prefilled action form."""
    client.force_login(people.werkgroeplid)
    form = client.get(reverse("actieplan:action_create"), {"praktijk": practice_page.pk})
    assert form.status_code == 200
    initial = form.context["form"].initial
    data = {
        "title": initial["title"], "description": initial.get("description", ""),
        "partnership": people.partnership.pk, "theme": initial.get("theme") or 1,
        "owner": people.owner.pk, "mandate_level": 1,
        "deadline": (timezone.localdate() + datetime.timedelta(days=40)).isoformat(),
        "linked_pages": initial["linked_pages"],
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return form, client.post(reverse("actieplan:action_create") + f"?praktijk={practice_page.pk}", data)


def test_a_member_adopts_a_practice_into_the_plan(client, library, stocked, people):
    from actieplan.models import Action, ReflectionTheme

    target = stocked["acquisitie"]
    client.force_login(people.werkgroeplid)
    page_html = client.get(target.url).content.decode()
    assert "We gaan dit doen" in page_html
    data_theme = ReflectionTheme.objects.order_by("sort_order").first().pk
    form, response = adopt(client, target, people, theme=data_theme)
    assert "Je zet de good practice" in form.content.decode()
    assert form.context["form"].initial["title"] == f"Aan de slag met: {target.title}"
    assert response.status_code == 302
    action = Action.objects.get()
    assert list(action.linked_pages.values_list("pk", flat=True)) == [target.pk]
    assert action.partnership == people.partnership and action.owner == people.owner
    assert action.created_by == people.werkgroeplid


@pytest.mark.parametrize("missing", ["owner", "mandate_level", "deadline"])
def test_adopting_still_needs_an_owner_a_mandate_level_and_a_deadline(client, library, stocked, people, missing):
    from actieplan.models import Action, ReflectionTheme

    theme = ReflectionTheme.objects.order_by("sort_order").first().pk
    _form, response = adopt(client, stocked["acquisitie"], people, theme=theme, **{missing: None})
    assert response.status_code == 200
    assert response.context["form"].errors[missing]
    assert "Je zet de good practice" in response.content.decode()  # still the adoption form
    assert not Action.objects.exists()


def test_a_past_deadline_is_refused_when_adopting(client, library, stocked, people):
    from actieplan.models import Action, ReflectionTheme

    theme = ReflectionTheme.objects.order_by("sort_order").first().pk
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    _form, response = adopt(client, stocked["acquisitie"], people, theme=theme, deadline=yesterday)
    assert "De deadline ligt in het verleden" in response.content.decode()
    assert not Action.objects.exists()


def test_the_practice_shows_its_take_up_counts_to_visitors_and_details_to_members(
        client, library, stocked, people, other_people):
    from actieplan.actions import services
    from tests.factories import make_action

    target = stocked["acquisitie"]
    ours = make_action(people.partnership, people.owner, title="Stagebank opzetten met de gemeente")
    ours.linked_pages.add(target)
    theirs = make_action(other_people.partnership, other_people.owner, title="Geheime actie van regio B")
    theirs.linked_pages.add(target)
    services.add_update(theirs, other_people.procesbewaker, "Werkte goed: twintig nieuwe plekken.",
                        new_status="afgerond")
    dropped = make_action(people.partnership, people.owner, title="Vervallen poging", status="vervallen")
    dropped.linked_pages.add(target)

    visitor = client.get(target.url).content.decode()
    assert "Opgepakt door 2 samenwerkingsverbanden." in visitor
    assert "Bij 1 is het afgerond." in visitor
    assert "Stagebank opzetten" not in visitor and "Geheime actie" not in visitor
    assert "twintig nieuwe plekken" not in visitor
    assert "Log in om dit in je actieplan te zetten." in visitor

    client.force_login(people.bestuurder)
    member = client.get(target.url).content.decode()
    assert "Stagebank opzetten met de gemeente" in member  # own partnership
    assert "Geheime actie" not in member and "twintig nieuwe plekken" not in member  # not theirs
    assert "We gaan dit doen" not in member  # a bestuurder does not edit the plan
    assert "Vraag de procesbewaker" in member

    client.force_login(other_people.werkgroeplid)
    other = client.get(target.url).content.decode()
    assert "Geheime actie van regio B" in other
    assert "Werkte goed: twintig nieuwe plekken." in other  # the closing note as experience
    assert "Stagebank opzetten" not in other


def test_adoption_figures_agree_with_a_plain_count(library, stocked, people, other_people):
    from actieplan.actions import counts
    from tests.factories import make_action

    target = stocked["overdracht"]
    statuses = ["open", "afgerond", "vervallen", "bezig", "afgerond"]
    made = []
    for i, status in enumerate(statuses):
        who = people if i % 2 else other_people
        action = make_action(who.partnership, who.owner, status=status)
        action.linked_pages.add(target)
        made.append(action)
    figures = counts.adoption(target.adopting_actions())
    kept = [a for a in made if a.status != "vervallen"]
    assert figures.partnerships == len({a.partnership_id for a in kept})
    assert figures.partnerships_done == len({a.partnership_id for a in made if a.status == "afgerond"})
    assert (figures.actions, figures.done) == (len(kept), 2)


# --- good practice pages: contact and related practices -------------------------------------------------


def test_a_practice_names_its_contact_and_related_practices(client, library, stocked):
    target = stocked["overdracht"]
    target.contact_name, target.contact_organisation = "Anne de Vries", "Summa College"
    target.contact_email = "a.devries@example.nl"
    target.save_revision().publish()
    html = client.get(target.url).content.decode()
    contact = html[html.index("Meer weten?"):]
    assert "Anne de Vries" in contact and "Summa College" in contact and "mailto:a.devries@example.nl" in contact
    related = html[html.index("Vergelijkbare good practices"):]
    assert "Acquisitie die tot veel succesvolle stageplaatsen leidt" in related  # same transition
    assert "Ouders aan tafel" not in related  # neither theme nor transition


# --- proeftuinen: stage, board, content area, running or finished ---------------------------------------


@pytest.fixture
def pilots():
    from good_practices.models import ContentArea, LeerkringStage

    index = publish_section(ProeftuinIndexPage(title="Proeftuinen", slug="proeftuinen"))
    today = timezone.localdate()

    def pilot(title, stage, board, areas, end=None):
        page = ProeftuinPage(title=title, summary="Kort.", aim="Doel.", stage=stage, board=board,
                             start_date=today - datetime.timedelta(days=400), end_date=end)
        page.content_areas.set(ContentArea.objects.filter(slug__in=areas))
        index.add_child(instance=page)
        page.save_revision().publish()
        return page

    pilot("Leerlab Weert", LeerkringStage.UITWERKEN, "inhoud", ["curriculum", "leerling"])
    pilot("Leerlab Noord-Drenthe", LeerkringStage.UITVOEREN, "samenwerking", ["leerling"],
          end=today - datetime.timedelta(days=30))
    pilot("Leerlab Gorinchem", LeerkringStage.SITUATIEANALYSE, "verankering", [],
          end=today + datetime.timedelta(days=30))
    return index


def pilot_titles(client, index, **params):
    response = client.get(index.url, params)
    assert response.status_code == 200
    return sorted(p.title for p in response.context["proeftuinen"])


def test_proeftuinen_filter_by_stage_board_content_area_and_running(client, pilots):
    assert pilot_titles(client, pilots, fase=["uitwerken", "uitvoeren"]) == ["Leerlab Noord-Drenthe", "Leerlab Weert"]
    assert pilot_titles(client, pilots, bord="verankering") == ["Leerlab Gorinchem"]
    assert pilot_titles(client, pilots, gebied="leerling") == ["Leerlab Noord-Drenthe", "Leerlab Weert"]
    assert pilot_titles(client, pilots, looptijd="afgerond") == ["Leerlab Noord-Drenthe"]
    assert pilot_titles(client, pilots, looptijd="lopend") == ["Leerlab Gorinchem", "Leerlab Weert"]
    assert pilot_titles(client, pilots, gebied="leerling", looptijd="lopend") == ["Leerlab Weert"]
    html = client.get(pilots.url, {"gebied": "leerling", "looptijd": "lopend"}).content.decode()
    assert re.search(r"<summary[^>]*>\s*Filters \(2 actief\)\s*</summary>", html)
    assert "Wis alles" in html


def test_a_wrong_proeftuin_filter_value_is_a_message_not_an_error(client, pilots):
    response = client.get(pilots.url, {"fase": "bestaat-niet", "looptijd": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


# --- keeping the library alive: the review report ---------------------------------------------------


def test_the_review_report_lists_practices_not_reviewed_in_twelve_months(client, library, stocked, people):
    from django.contrib.auth.models import Group

    today = timezone.localdate()
    GoodPracticePage.objects.filter(pk=stocked["acquisitie"].pk).update(
        reviewed_at=today - datetime.timedelta(days=400))
    GoodPracticePage.objects.filter(pk=stocked["ouders"].pk).update(reviewed_at=today - datetime.timedelta(days=20))
    GoodPracticePage.objects.filter(pk=stocked["overdracht"].pk).update(
        reviewed_at=None, first_published_at=timezone.now() - datetime.timedelta(days=500))
    assert Group.objects.filter(name="Redacteuren").exists()
    client.force_login(people.editor)

    html = client.get(reverse("good_practices_review_report")).content.decode()
    assert "Acquisitie die tot veel succesvolle stageplaatsen leidt" in html
    assert "Warme overdracht vo-mbo" in html  # never reviewed, published long ago
    assert "Ouders aan tafel" not in html  # reviewed last month

    export = client.get(reverse("good_practices_review_report"), {"export": "xlsx"})
    assert export.status_code == 200
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content)
                                              if export.streaming else export.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Titel", "Laatst beoordeeld op"]
    assert sorted(row[0] for row in rows[1:]) == ["Acquisitie die tot veel succesvolle stageplaatsen leidt",
                                                 "Warme overdracht vo-mbo"]

    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Good practices te beoordelen" in dashboard
    assert "2 good practices zijn al twaalf maanden niet nagekeken." in dashboard


def test_only_editors_see_the_review_report(client, library, stocked, people):
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("good_practices_review_report"))
    assert response.status_code in (302, 403)


def test_the_demo_names_the_organisation_as_contact_and_the_content_areas(db):
    from good_practices.demo import load

    load()
    zadkine = GoodPracticePage.objects.get(organisations__name="Zadkine")
    assert zadkine.contact_organisation == "Zadkine"
    assert GoodPracticePage.objects.exclude(contact_organisation="").count() >= 10
    west_brabant = ProeftuinPage.objects.get(slug="leerlab-west-brabant")
    assert sorted(west_brabant.content_areas.values_list("slug", flat=True)) == ["curriculum", "docent", "leerling"]


# --- the journey on a phone (Playwright, Debian's chromium) ----------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_on_a_phone_a_visitor_folds_out_the_filters_picks_two_removes_one_and_finds_by_part_of_a_word(
        phone_page, live_server):
    import os

    from playwright.sync_api import expect

    from good_practices.demo import load_sample

    library = load_sample()[0]
    page = phone_page
    shots = os.environ.get("LOB_SCREENSHOTS")
    page.goto(live_server.url + library.url)
    fold = page.locator("details.gp-fold")
    expect(fold).not_to_have_attribute("open", "")
    if shots:
        page.screenshot(path=f"{shots}/library-390-start.png", full_page=True)
    # Folded: the first result is on the first screen, not 1,500 px of checkboxes further down.
    first = page.locator(".gp-results .gp-card").first
    assert first.bounding_box()["y"] < 844
    assert not page.get_by_role("checkbox", name=re.compile(r"^Sluitende transities")).is_visible()

    page.get_by_text("Filters", exact=True).click()
    page.get_by_role("checkbox", name=re.compile(r"^Sluitende transities")).check()
    page.get_by_role("checkbox", name=re.compile(r"^pro → arbeid")).check()
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url(re.compile(r"thema=sluitende-transities.*overgang=pro-arbeid"))
    expect(page.locator("summary.gp-fold__summary")).to_have_text("Filters (2 actief)")
    chips = page.locator("a.gp-chip")
    expect(chips).to_have_count(2)
    expect(page.get_by_role("link", name="Wis alles")).to_be_visible()
    if shots:
        page.screenshot(path=f"{shots}/library-390-chips.png", full_page=False)

    # Remove the transition chip: the theme stays.
    page.get_by_role("link", name=re.compile(r"^Overgang: pro → arbeid")).click()
    page.wait_for_url(lambda url: "overgang" not in url and "thema=sluitende-transities" in url)
    expect(chips).to_have_count(1)
    expect(page.locator("summary.gp-fold__summary")).to_have_text("Filters (1 actief)")

    # Find the practice by a part of a word.
    page.get_by_label("Zoek in de bibliotheek").fill("stage")
    page.get_by_role("search", name="Zoeken en filteren").get_by_role("button", name="Zoek", exact=True).click()
    page.wait_for_url(re.compile(r"q=stage"))
    card = page.locator(".gp-card", has_text="Acquisitie die tot veel succesvolle stageplaatsen leidt")
    expect(card).to_be_visible()
    expect(card.locator("mark").first).to_have_text(re.compile("stage", re.I))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    if shots:
        page.screenshot(path=f"{shots}/library-390-search.png", full_page=True)
        page.get_by_text("Filters (1 actief)").click()
        page.screenshot(path=f"{shots}/library-390-open.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=f"{shots}/library-1280.png", full_page=False)
        card.get_by_role("link").click()
        page.screenshot(path=f"{shots}/practice-1280.png", full_page=True)
        page.goto(live_server.url + "/zoeken/?q=ouder")
        page.screenshot(path=f"{shots}/search-1280.png", full_page=False)
        page.goto(live_server.url + "/proeftuinen/?looptijd=lopend")
        page.screenshot(path=f"{shots}/proeftuinen-1280.png", full_page=False)
