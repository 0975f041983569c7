"""A bestuurder follows an action, its owner posts a note, and the bestuurder finds it under "Sinds je laatste
bezoek" (with the count in the header), then searches the plan, on a desktop and on a phone."""

import os

import pytest

from actieplan.models import ActionUpdate
from tests.browser.test_action_journey import log_in
from tests.factories import make_action, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

#: Set LOB_SCREENSHOTS=<folder> to keep the screenshots of the journey (1280 and 390 px wide).
SHOTS = os.environ.get("LOB_SCREENSHOTS")


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def plan(live_server):
    people = make_people("v")
    action = make_action(people.partnership, people.owner, title="Stagebank voor het vso met Summa",
                         created_by=people.procesbewaker)
    return people, action


def test_a_bestuurder_follows_an_action_and_sees_the_owners_note_since_the_last_visit(browser, page, live_server,
                                                                                       plan):
    people, action = plan
    log_in(page, live_server, people.bestuurder.username, "/actieplan/")
    # Start from a clean slate: everything so far is read.
    page.get_by_role("link", name="Sinds je laatste bezoek").click()
    if page.get_by_role("button", name="Alles als gelezen markeren").count():
        page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.get_by_text("Niets nieuws.").wait_for()

    page.goto(f"{live_server.url}/actieplan/acties/{action.pk}/")
    page.get_by_role("button", name="Volgen").click()
    page.get_by_text("Je volgt ‘Stagebank voor het vso met Summa’.").wait_for()
    assert page.get_by_role("button", name="Niet meer volgen").count() == 1

    # The owner, in another browser, posts a note.
    owner_context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    owner = owner_context.new_page()
    log_in(owner, live_server, people.owner.username, "/actieplan/")
    owner.goto(f"{live_server.url}/actieplan/acties/{action.pk}/")
    owner.get_by_label("Wat is er gebeurd?").fill("Summa doet mee: twintig stageplekken in de zorg.")
    owner.get_by_role("button", name="Voortgang opslaan").click()
    owner.get_by_text("Je voortgang is toegevoegd aan de tijdlijn.").wait_for()
    owner_context.close()

    # The bestuurder reloads: the header counts it, the page shows it and links to the note.
    page.reload()
    since_link = page.locator("a.site-since")
    assert since_link.locator(".site-since__count").inner_text() == "1"
    since_link.click()
    item = page.locator("li.ap-since-item").first
    assert "Stagebank voor het vso met Summa" in item.inner_text()
    assert "Otto Eigenaar schreef een voortgangsnotitie." in item.inner_text()
    assert "twintig stageplekken" in item.inner_text()
    shoot(page, "sinds-1280")
    item.get_by_role("link", name="Stagebank voor het vso met Summa").click()
    note = ActionUpdate.objects.get(action=action)
    page.wait_for_url(f"**/actieplan/acties/{action.pk}/#notitie-{note.pk}")
    assert page.locator(f"#notitie-{note.pk}").is_visible()

    # Marking everything as read empties the page and the count.
    page.get_by_role("link", name="Sinds je laatste bezoek").click()
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.get_by_text("Niets nieuws.").wait_for()
    assert page.locator("a.site-since .site-since__count").count() == 0

    # And the plan search finds the note by a word form and a typo.
    page.get_by_label("Zoeken in het actieplan").fill("stageplek")
    page.get_by_label("Zoeken in het actieplan").press("Enter")
    page.wait_for_url("**/actieplan/zoeken/?q=stageplek")
    assert page.locator("mark").first.inner_text().lower() == "stageplek"
    shoot(page, "zoeken-1280")
    page.goto(f"{live_server.url}/actieplan/zoeken/?q=stagbank")
    assert "Bedoelde je:" in page.locator(".ap-sr-suggestion").inner_text()


def test_the_since_page_and_the_search_fit_on_a_phone(phone_page, live_server, plan):
    people, action = plan
    log_in(phone_page, live_server, people.owner.username, "/actieplan/")
    for path, name in ((f"/actieplan/sinds/", "sinds-390"), ("/actieplan/zoeken/?q=stagebank", "zoeken-390"),
                       (f"/actieplan/acties/{action.pk}/", "actie-390"), ("/actieplan/volgen/instellingen/",
                                                                         "volgen-390")):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone ({overflow}px)"
        shoot(phone_page, name)
