"""A bestuurder prepares the board meeting: logs in, opens Voortgang, filters a period, downloads the PDF.
The page passes axe and fits on a phone."""

import datetime
import io
import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from pypdf import PdfReader

from actieplan.progress.demo import ensure_progress_page
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, MandateLevel, ReflectionResponse, ReflectionScore, ReflectionSession,
    ReflectionTheme,
)
from tests.browser.test_accessibility import WCAG_21_AA
from tests.factories import make_action, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]



def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def plan(live_server):
    people = make_people("v")
    page = ensure_progress_page(people.partnership, title="Voortgang actieplan", slug="voortgang-v",
                                intro="<p>Voor het bestuurlijk overleg.</p>")
    specs = [("Stageplekken in de zorg in kaart brengen", -40, ActionStatus.BEZIG, MandateLevel.UITVOEREND),
             ("Convenant warme overdracht ondertekenen", -12, ActionStatus.GEBLOKKEERD, MandateLevel.BESTUURLIJK),
             ("Gezamenlijke ouderavond over de overstap", 20, ActionStatus.OPEN, MandateLevel.MANAGEMENT),
             ("LOB-dag met het mbo", 60, ActionStatus.OPEN, MandateLevel.UITVOEREND),
             ("Overdrachtsformulier vso–mbo", 120, ActionStatus.OPEN, MandateLevel.MANAGEMENT)]
    themes = list(ReflectionTheme.objects.order_by("sort_order"))
    for i, (title, offset, status, level) in enumerate(specs):
        action = make_action(people.partnership, people.owner if i % 2 else people.manager, title=title,
                             theme=themes[i % 6], mandate_level=level)
        Action.objects.filter(pk=action.pk).update(deadline=day(offset), status=status,
                                                   created_at=timezone.now() - datetime.timedelta(days=200 - 20 * i))
    done = make_action(people.partnership, people.owner, title="Draaiboek meeloopdagen", theme=themes[1])
    Action.objects.filter(pk=done.pk).update(status=ActionStatus.AFGEROND, completed_at=timezone.now(),
                                             created_at=timezone.now() - datetime.timedelta(days=150))
    ActionUpdate.objects.create(action=done, note="Draaiboek gedeeld met alle scholen.")
    questions = [t.questions.order_by("number").first() for t in themes]
    for i, title in enumerate(["Startsessie", "Jaarevaluatie"]):
        session = ReflectionSession.objects.create(partnership=people.partnership, title=title, date=day(-300 + 200 * i))
        response = ReflectionResponse.objects.create(session=session, respondent_token=f"v-{i}")
        for k, question in enumerate(questions):
            ReflectionScore.objects.create(response=response, question=question, score=1 + (k + i) % 5)
    return people, page


def assert_no_axe_violations(page):
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def figure(page, name):
    return int(page.locator(f'[data-figure="{name}"]').first.inner_text())


def test_bestuurder_opens_voortgang_filters_a_period_and_downloads_the_pdf(page, phone_page, live_server, plan):
    people, progress_page = plan
    page.goto(f"{live_server.url}/actieplan/voortgang/")
    # Private: to the login first, then on to the page.
    page.get_by_label("Gebruikersnaam").fill(people.bestuurder.username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**{progress_page.url}")
    assert page.get_by_role("heading", level=1).inner_text() == "Voortgang actieplan"
    assert page.get_by_role("link", name="Voortgang", exact=True).get_attribute("aria-current") == "page"
    assert figure(page, "agreed") == 6 and figure(page, "overdue") == 2
    assert page.get_by_role("img", name="Praatclub-index per kwartaal").is_visible()
    assert_no_axe_violations(page)

    # The period of the coming quarter: the shareable URL holds the filter.
    page.get_by_label("Deadline vanaf").fill(day(0).isoformat())
    page.get_by_label("Deadline tot en met").fill(day(90).isoformat())
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url("**deadline_after=*")
    assert figure(page, "agreed") == 3 and figure(page, "overdue") == 0  # due in the quarter, one done already
    shared = page.url
    assert_no_axe_violations(page)
    if os.environ.get("LOB_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LOB_SCREENSHOTS"], "voortgang-1280.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download als PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(open(download.path(), "rb").read())).pages)
    assert "Voortgang actieplan" in text
    assert "Praatclub-index" in text and "pagina 1 van" in text and "deadline vanaf" in text

    # The same shared link on a phone: one column, nothing wider than the screen.
    phone_page.goto(f"{live_server.url}/inloggen/?next={progress_page.url}")
    phone_page.get_by_label("Gebruikersnaam").fill(people.bestuurder.username)
    phone_page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    phone_page.get_by_role("button", name="Inloggen").click()
    phone_page.wait_for_url(f"**{progress_page.url}")
    phone_page.goto(shared)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    if os.environ.get("LOB_SCREENSHOTS"):
        phone_page.screenshot(path=os.path.join(os.environ["LOB_SCREENSHOTS"], "voortgang-390.png"), full_page=True)
