"""A werkgroep member finds the late actions, reports a blockade on one, and sees it move on the board."""

import datetime

import pytest
from django.utils import timezone

from actieplan.models import Action, ActionStatus
from tests.factories import make_action, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def plan(live_server):
    people = make_people("j")
    late = make_action(people.partnership, people.owner, title="Stageplekken in de zorg in kaart brengen",
                       deadline=days(-4), status=ActionStatus.BEZIG)
    make_action(people.partnership, people.manager, title="Gezamenlijke ouderavond over de overstap naar het mbo",
                deadline=days(20))
    return people, late


def log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/inloggen/?next={next_url}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    # Wait for the page behind the login, stylesheets and all ("load"): the phone test measures its layout.
    page.wait_for_url(f"**{next_url}")


def test_werkgroeplid_reports_a_blockade_and_sees_it_on_the_board(page, live_server, plan):
    people, late = plan
    log_in(page, live_server, people.werkgroeplid.username, "/actieplan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Actieplan"

    # Filter to the overdue actions.
    page.get_by_text("Filteren en zoeken").click()
    page.get_by_label("Verlopen").select_option(label="Alleen verlopen acties")
    page.get_by_role("button", name="Filter toepassen").click()
    page.wait_for_url("**overdue=true**")
    rows = page.locator("table.ap-table tbody tr")
    assert rows.count() == 1
    assert "te laat" in rows.first.inner_text()
    assert page.get_by_text("Gezamenlijke ouderavond").count() == 0

    # Open it and add an update with a new status.
    page.get_by_role("link", name="Stageplekken in de zorg in kaart brengen").click()
    page.get_by_label("Wat is er gebeurd?").fill("Wachten op toestemming van het bestuur van de zorginstelling.")
    page.get_by_label("Nieuwe status").select_option("geblokkeerd")
    page.get_by_role("button", name="Voortgang opslaan").click()
    page.get_by_text("Je voortgang is toegevoegd aan de tijdlijn.").wait_for()
    assert "Wachten op toestemming" in page.locator("ol.ap-timeline").inner_text()

    # On the board it is now in the "geblokkeerd" column, and no longer under "bezig".
    page.get_by_role("link", name="Bord").first.click()
    blocked = page.locator('section[data-status="geblokkeerd"]')
    assert blocked.get_by_role("link", name="Stageplekken in de zorg in kaart brengen").count() == 1
    assert page.locator('section[data-status="bezig"]').get_by_text("Stageplekken in de zorg").count() == 0
    assert Action.objects.get(pk=late.pk).status == ActionStatus.GEBLOKKEERD


def test_board_and_list_fit_on_a_phone(phone_page, live_server, plan):
    people, _late = plan
    log_in(phone_page, live_server, people.owner.username, "/actieplan/bord/")
    columns = phone_page.locator("section.ap-column")
    assert columns.count() == 5
    first, second = columns.nth(0).bounding_box(), columns.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"] - 1  # stacked, not side by side
    for path in ("/actieplan/bord/", "/actieplan/"):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone ({overflow}px)"
