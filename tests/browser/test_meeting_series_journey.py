"""A chair runs the monthly werkgroep: makes the series, opens its meeting, marks who is there, records a decision as
an action, carries an item over, closes the minutes after seeing who gets them, and finds the carried item on the
next meeting of the series. The pages pass axe and fit a phone; the minutes PDF reads as the page does.

Set ``LOB_SCREENSHOT_DIR`` to keep screenshots of the agenda, the confirmation, the minutes (1280 and 390 px) and
the PDF's pages (PNG, when ``pdftoppm`` is installed) for a person to look at.
"""

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from pypdf import PdfReader

from actieplan.models import Action, Attendance, Meeting, MeetingSeries, ReflectionTheme
from tests.browser.test_accessibility import WCAG_21_AA
from tests.browser.test_action_journey import log_in
from tests.factories import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DECISION = "Elke vso-school levert vóór de zomer een overdrachtslijst aan het mbo."
TITLE = "Overdrachtslijsten van de vso-scholen verzamelen"


def shot(page, name):
    folder = os.environ.get("LOB_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def pdf_pages_as_png(pdf, name):
    folder = os.environ.get("LOB_SCREENSHOT_DIR")
    if folder and shutil.which("pdftoppm"):
        path = Path(folder) / f"{name}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(Path(folder) / name)], check=True)


def assert_fits_and_passes_axe(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways ({overflow}px)"
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_a_chair_runs_a_monthly_werkgroep_series_from_start_to_the_next_meeting(page, phone_page, live_server):
    people = make_people("s")
    today = timezone.localdate()
    log_in(page, live_server, people.procesbewaker.username, "/actieplan/overleg/")

    # 1. The series: every month on today's day of the month, with a template agenda.
    page.get_by_role("link", name="Nieuwe overlegreeks").click()
    page.get_by_role("textbox", name="Naam van de reeks").fill("Werkgroep LOB")
    page.get_by_label("op een vaste dag van de maand (bijvoorbeeld de 15e)").check()
    page.get_by_role("spinbutton", name="Om de hoeveel").fill("1")
    page.get_by_role("spinbutton", name="Dag van de maand").fill(str(today.day))
    page.get_by_label("Eerste overleg op of na").fill(today.isoformat())
    page.get_by_label("Begintijd").fill("09:00")
    page.get_by_role("textbox", name="Plaats of link").fill("ROC ter Aa, Helmond")
    page.get_by_role("textbox", name="Vaste agendapunten").fill("Opening en mededelingen\nRondvraag")
    assert_fits_and_passes_axe(page)
    page.get_by_role("button", name="Reeks maken en eerste overleg openen").click()
    page.get_by_text("De reeks ‘Werkgroep LOB’ staat klaar").wait_for()
    series = MeetingSeries.objects.get()
    assert series.describe() == f"elke maand op dag {today.day}, om 09:00"
    # The werkgroep's invitees by default: the procesbewaker and the werkgroeplid, not the bestuurder.
    assert set(series.invited.all()) == {people.procesbewaker, people.werkgroeplid}

    # 2. Open the meeting of the series.
    page.get_by_role("link", name=str(series.meetings.get())).first.click()
    meeting = series.meetings.get()
    assert timezone.localtime(meeting.starts_at).date() == today
    assert page.get_by_role("heading", level=1).inner_text() == str(meeting)

    # 3. Who is there.
    section = page.locator("section", has=page.get_by_role("heading", name="Aanwezigheid"))
    section.locator("fieldset", has_text="Pia Procesbewaker").get_by_label("aanwezig", exact=True).check()
    section.locator("fieldset", has_text="Wim Werkgroep").get_by_label("afgemeld").check()
    section.get_by_role("button", name="Aanwezigheid opslaan").click()
    page.get_by_text("De aanwezigheid is opgeslagen.").wait_for()
    assert dict(Attendance.objects.values_list("person__username", "status")) == {
        people.procesbewaker.username: "aanwezig", people.werkgroeplid.username: "afgemeld"}

    # 4. Two points of its own; a decision on the first becomes an action.
    for title in ("Warme overdracht vso–mbo", "Enquête onder werkgevers"):
        page.get_by_label("Nieuw agendapunt").fill(title)
        page.get_by_role("button", name="Agendapunt toevoegen").click()
        page.get_by_text(f"Agendapunt ‘{title}’ toegevoegd.").wait_for()
    item = page.locator("li.mt-item", has_text="Warme overdracht vso–mbo")
    item.locator("summary", has_text="Besluit vastleggen").click()
    item.get_by_role("textbox", name="Besluit", exact=True).fill(DECISION)
    item.get_by_label("Titel van de actie").fill(TITLE)
    item.get_by_label("Eigenaar").select_option(str(people.owner.pk))
    item.get_by_label("Mandaatniveau").select_option(label="uitvoerend/professioneel")
    item.get_by_label("Deadline").fill((today + datetime.timedelta(days=45)).isoformat())
    item.get_by_label("Reflectiethema").select_option(label=ReflectionTheme.objects.get(slug="daadkracht").name)
    item.get_by_role("button", name="Besluit vastleggen").click()
    page.get_by_text(f"Besluit vastgelegd en actie ‘{TITLE}’ aangemaakt voor Otto Eigenaar.").wait_for()

    # 5. The other point is not finished: on to the next meeting of the series, which opens on the rule's date.
    page.locator("li.mt-item", has_text="Enquête onder werkgevers").get_by_role(
        "button", name="Naar volgend overleg").click()
    page.get_by_text("Het volgende overleg van de reeks is geopend").wait_for()
    following = series.meetings.exclude(pk=meeting.pk).get()
    assert timezone.localtime(following.starts_at).date() == series.next_dates(today)[0]
    assert_fits_and_passes_axe(page)
    shot(page, "agenda-1280")

    # 6. Closing asks first and shows who gets the minutes.
    page.get_by_role("link", name="Verslag afsluiten…").click()
    page.get_by_role("heading", name="Verslag afsluiten en rondsturen?").wait_for()
    recipients = page.locator("ul.mt-recipients").inner_text()
    for person in (people.procesbewaker, people.werkgroeplid, people.owner):
        assert person.email in recipients
    assert people.bestuurder.email not in recipients
    assert_fits_and_passes_axe(page)
    shot(page, "afsluiten-1280")
    assert not Meeting.objects.get(pk=meeting.pk).is_closed
    page.get_by_role("button", name="Ja, verslag afsluiten en rondsturen").click()
    page.get_by_text("Het verslag is afgesloten en gaat per mail naar de genodigden").wait_for()
    assert Meeting.objects.get(pk=meeting.pk).is_closed
    minutes = page.locator("main").inner_text()
    assert DECISION in minutes and "Aanwezig" in minutes and "Pia Procesbewaker" in minutes
    assert_fits_and_passes_axe(page)
    shot(page, "verslag-1280")
    response = page.request.get(f"{live_server.url}/actieplan/overleg/{meeting.pk}/verslag.pdf")
    assert response.status == 200
    text = " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())
    assert DECISION in text and "Aanwezig: Pia Procesbewaker" in text and "Afgemeld: Wim Werkgroep" in text
    pdf_pages_as_png(response.body(), "verslag-pdf")

    # 7. The next meeting of the series holds the carried item (with where it came from) and the fixed points.
    page.get_by_role("link", name="Naar de agenda").click()
    page.get_by_role("link", name="Volgend overleg").click()
    assert page.get_by_role("heading", level=1).inner_text() == str(following)
    carried = page.locator("li.mt-item", has_text="Enquête onder werkgevers")
    assert "Eerder besproken in 1 overleg" in carried.inner_text()
    titles = page.locator("li.mt-item h3").all_inner_texts()
    assert any("Opening en mededelingen" in t for t in titles) and any("Rondvraag" in t for t in titles)
    assert Action.objects.get(title=TITLE).owner == people.owner

    # On a phone: the agenda, the confirmation of the next meeting and the minutes fit and pass axe.
    log_in(phone_page, live_server, people.procesbewaker.username, f"/actieplan/overleg/{following.pk}/")
    for path, name in ((f"/actieplan/overleg/{following.pk}/", "agenda-390"),
                       (f"/actieplan/overleg/{meeting.pk}/verslag/", "verslag-390"),
                       (f"/actieplan/overleg/reeksen/{series.pk}/", "reeks-390")):
        phone_page.goto(live_server.url + path)
        assert_fits_and_passes_axe(phone_page)
        shot(phone_page, name)
