"""The procesbewaker runs the meeting: opens it, records a decision as an action, closes the minutes;
the owner then finds the new action among their own. The meeting pages pass axe and fit on a phone."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from actieplan.meetings import emails as meeting_emails
from actieplan.models import Action, ActionStatus, Meeting, ReflectionTheme
from tests.browser.test_accessibility import WCAG_21_AA
from tests.browser.test_action_journey import log_in
from tests.factories import make_action, make_people
from tests.meeting_factories import make_item, make_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DECISION = "Elke vso-school levert vóór de zomer een overdrachtslijst aan het mbo."
TITLE = "Overdrachtslijsten van de vso-scholen verzamelen"


@pytest.fixture
def meeting(live_server):
    people = make_people("m")
    make_action(people.partnership, people.manager, title="Privacytoets enquête werkgevers",
                status=ActionStatus.GEBLOKKEERD, created_by=people.manager)
    meeting = make_meeting(people.partnership, timezone.now() - datetime.timedelta(minutes=5),
                           chair=people.procesbewaker, invited=[people.werkgroeplid, people.owner],
                           title="Werkgroep: warme overdracht", location="ROC ter Aa, Helmond")
    make_item(meeting, "Warme overdracht vso–mbo")
    return people, meeting


def assert_no_axe_violations(page):
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_procesbewaker_records_a_decision_as_an_action_closes_the_meeting_and_the_owner_sees_it(
        page, phone_page, live_server, meeting):
    people, meeting = meeting
    log_in(page, live_server, people.procesbewaker.username, "/actieplan/")
    page.get_by_role("link", name="Overleg", exact=True).click()
    page.get_by_role("link", name="Werkgroep: warme overdracht").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Werkgroep: warme overdracht"
    # The agenda opens with the plan: the blocked action is there.
    assert "Privacytoets enquête werkgevers" in page.locator("#plan-blocked + ul").inner_text()
    assert_no_axe_violations(page)

    item = page.locator("li.mt-item", has_text="Warme overdracht vso–mbo")
    item.locator("summary", has_text="Besluit vastleggen").click()
    item.get_by_role("textbox", name="Besluit", exact=True).fill(DECISION)
    item.get_by_role("button", name="Besluit vastleggen").click()
    # Not an action yet without owner, mandate level and deadline: Dutch messages, text kept.
    item = page.locator("li.mt-item", has_text="Warme overdracht vso–mbo")
    item.get_by_text("Kies wie deze actie trekt: zonder eigenaar is het geen actie.").wait_for()
    assert item.get_by_role("textbox", name="Besluit", exact=True).input_value() == DECISION
    assert_no_axe_violations(page)

    item.get_by_label("Titel van de actie").fill(TITLE)
    item.get_by_label("Eigenaar").select_option(str(people.owner.pk))
    item.get_by_label("Mandaatniveau").select_option(label="uitvoerend/professioneel")
    deadline = timezone.localdate() + datetime.timedelta(days=45)
    item.get_by_label("Deadline").fill(deadline.isoformat())
    item.get_by_label("Reflectiethema").select_option(label=ReflectionTheme.objects.get(slug="daadkracht").name)
    item.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text(f"Besluit vastgelegd en actie ‘{TITLE}’ aangemaakt voor Otto Eigenaar.").wait_for()
    decision = page.locator("li.mt-decision", has_text=DECISION)
    assert TITLE in decision.inner_text()

    page.get_by_role("link", name="Verslag afsluiten…").click()
    page.get_by_role("heading", name="Verslag afsluiten en rondsturen?").wait_for()
    page.get_by_role("button", name="Ja, verslag afsluiten en rondsturen").click()
    page.get_by_text("Het verslag is afgesloten en gaat per mail naar de genodigden").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Verslag: Werkgroep: warme overdracht"
    assert TITLE in page.inner_text("main")
    assert_no_axe_violations(page)
    assert Meeting.objects.get(pk=meeting.pk).is_closed
    action = Action.objects.get(title=TITLE)
    assert (action.owner, action.deadline) == (people.owner, deadline)

    # The owner, on a phone, finds it among their own actions.
    log_in(phone_page, live_server, people.owner.username, f"/actieplan/?owner={people.owner.pk}")
    assert phone_page.get_by_role("link", name=TITLE).count() == 1
    phone_page.get_by_role("link", name=TITLE).click()
    assert "Afgesproken in het werkgroepoverleg" in phone_page.locator("ol.ap-timeline").inner_text()


def test_meeting_pages_and_the_check_in_fit_on_a_phone_and_pass_axe(phone_page, live_server, meeting):
    people, meeting = meeting
    coming = make_meeting(people.partnership, timezone.now() + datetime.timedelta(days=2),
                          title="Werkgroep: nazorg")
    make_action(people.partnership, people.owner, title="Nazorg voor uitgestroomde jongeren", created_by=people.owner)
    log_in(phone_page, live_server, people.procesbewaker.username, f"/actieplan/overleg/{meeting.pk}/")
    for path in ("/actieplan/overleg/", f"/actieplan/overleg/{meeting.pk}/", f"/actieplan/overleg/{meeting.pk}/verslag/",
                 "/actieplan/overleg/nieuw/"):
        phone_page.goto(live_server.url + path)
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone ({overflow}px)"
        assert_no_axe_violations(phone_page)
    token = meeting_emails.make_checkin_token(coming, people.owner)
    phone_page.context.clear_cookies()  # the check-in works without logging in
    phone_page.goto(f"{live_server.url}/actieplan/overleg/check-in/{token}/")
    phone_page.get_by_label("Nazorg voor uitgestroomde jongeren").fill("Lijst met veertig jongeren is binnen.")
    assert_no_axe_violations(phone_page)
    phone_page.get_by_role("button", name="Antwoorden versturen").click()
    phone_page.get_by_text("Bedankt!").wait_for()
