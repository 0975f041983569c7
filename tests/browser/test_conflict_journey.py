"""Two werkgroep members edit the same action in their own browsers: the second is told what the first changed,
keeps what she typed, and saves both; on a phone the message reads and nothing scrolls sideways."""

import os

import pytest
from playwright.sync_api import expect

from actieplan.models import Action, ActionStatus
from tests.browser.test_action_journey import log_in
from tests.factories import make_action, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)], ids=["1280", "390"])
def test_the_second_editor_sees_what_changed_and_keeps_what_she_typed(browser, live_server, viewport):
    people = make_people("k")
    action = make_action(people.partnership, people.owner, title="Stageplekken in de zorg in kaart brengen")
    width, height = viewport
    contexts = [browser.new_context(locale="nl-NL", viewport={"width": width, "height": height}) for _ in range(2)]
    wim, pia = (context.new_page() for context in contexts)
    try:
        edit = f"/actieplan/acties/{action.pk}/bewerken/"
        log_in(wim, live_server, people.werkgroeplid.username, edit)
        log_in(pia, live_server, people.procesbewaker.username, edit)

        pia.get_by_label("Titel").fill("Stageplekken in de zorg en het welzijn in kaart brengen")
        pia.get_by_label("Status").select_option("geblokkeerd")
        pia.get_by_role("button", name="Wijzigingen opslaan").click()
        pia.get_by_text("De wijzigingen zijn opgeslagen.").wait_for()

        wim.get_by_label("Omschrijving").fill("Samen met Summa Zorg en de gemeente Helmond.")
        wim.get_by_role("button", name="Wijzigingen opslaan").click()
        conflict = wim.locator("#conflict")
        expect(conflict).to_contain_text("Pia Procesbewaker")
        expect(conflict).to_contain_text("open → geblokkeerd")
        expect(wim.get_by_label("Omschrijving")).to_have_value("Samen met Summa Zorg en de gemeente Helmond.")
        expect(wim.get_by_label("Titel")).to_have_value("Stageplekken in de zorg en het welzijn in kaart brengen")
        overflow = wim.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the conflict page scrolls sideways ({overflow}px)"
        shots = os.environ.get("LOB_SCREENSHOTS")
        if shots:
            wim.screenshot(path=f"{shots}/conflict-{width}.png", full_page=True)

        wim.get_by_role("button", name="Wijzigingen opslaan").click()
        wim.get_by_text("De wijzigingen zijn opgeslagen.").wait_for()
        action.refresh_from_db()
        assert action.title == "Stageplekken in de zorg en het welzijn in kaart brengen"
        assert action.status == ActionStatus.GEBLOKKEERD
        assert action.description == "Samen met Summa Zorg en de gemeente Helmond."
        assert Action.objects.count() == 1
    finally:
        for context in contexts:
            context.close()
