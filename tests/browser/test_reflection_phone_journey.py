"""A participant on a 390 px phone fills in the six steps of the reflectietool; the page never scrolls
sideways, the scale stays on one line with large touch targets, and axe finds no serious violation.
The results page (with the demo's three sessions: gap and trend) fits the phone as well.

Screenshots go to ``$LOB_SCREENSHOTS`` when set (at 390 and 1280 px), to look at by eye."""

import io
import os
from pathlib import Path

import pytest
from django.test import Client

from actieplan.models import ReflectionResponse, ReflectionSession
from tests.factories import make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def _shot(page, name):
    folder = os.environ.get("LOB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _no_sideways_scroll(page):
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"de pagina is {width[0]} px breed bij {width[1]} px"


def _no_serious_axe_violation(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=AXE_OPTIONS)
    serious = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not serious, results.generate_report()


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_a_participant_fills_in_six_steps_on_a_phone(live_server, phone_page):
    people = make_people("f")
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie op de telefoon",
                                               facilitator=people.procesbewaker)
    page = phone_page
    page.goto(f"{live_server.url}/actieplan/r/")
    page.fill("#id_code", session.code.lower())  # typed in small letters: still found
    page.click("text=Naar de vragen")

    from actieplan.reflection.participant_views import steps

    for step, (_theme, questions) in enumerate(steps(session), start=1):
        page.wait_for_selector(f"text=Stap {step} van 6")
        assert page.locator(".site-nav, .site-search").count() == 0
        _no_sideways_scroll(page)
        first = questions[0]["question_id"]
        # The scale 1–5 on one line, each choice a large touch target.
        boxes = [page.locator(f"label[for='id_score_{first}_{i}']").bounding_box() for i in range(5)]
        assert len({round(b["y"]) for b in boxes}) == 1, boxes
        assert all(b["height"] >= 44 and b["width"] >= 44 for b in boxes), boxes
        if step == 1:
            _no_serious_axe_violation(page)
            _shot(page, "deelnemer-stap1-390")
        for q in questions:
            page.locator(f"label[for='id_score_{q['question_id']}_{(q['position'] % 5)}']").click()
        if step == 3:
            # Back one step and forward again: the answers of step 2 are still checked.
            page.click("text=Vorige stap")
            page.wait_for_selector("text=Stap 2 van 6")
            assert page.locator("input[type=radio]:checked").count() == len(session.themes_with_questions()[1][1])
            page.click("text=Volgende stap")
            page.wait_for_selector("text=Stap 3 van 6")
            for q in questions:
                assert page.locator(f"#id_score_{q['question_id']}_{(q['position'] % 5)}").is_checked()
            page.click("text=Volgende stap")
            continue
        if step == 6:
            page.locator("label", has_text="Werkgever").click()
            _no_serious_axe_violation(page)
            _shot(page, "deelnemer-stap6-390")
            page.click("text=Antwoorden versturen")
        else:
            page.click("text=Volgende stap")

    page.wait_for_selector("text=Bedankt voor je antwoorden")
    _no_sideways_scroll(page)
    response = ReflectionResponse.objects.get(session=session)
    assert response.partner_kind == "werkgever" and response.scores.count() == 22

    # The same phone opens the link again: thanked, not a second questionnaire.
    page.goto(f"{live_server.url}/actieplan/r/{session.code}/stap/1/")
    assert "al ontvangen" in page.inner_text("main")
    assert ReflectionResponse.objects.filter(session=session).count() == 1


def test_results_and_projector_fit_the_screen(live_server, browser, phone_page):
    from actieplan.reflection import demo as demo

    people = make_people("g")
    partnership = people.partnership
    partnership.slug = demo.PARTNERSHIP_SLUG
    partnership.save()
    demo.load(io.StringIO())
    latest = ReflectionSession.objects.order_by("date").last()  # still open: for the projector
    # The differences per kind of partner are shown once a session is closed (small groups stay hidden).
    closed = ReflectionSession.objects.filter(closed_at__isnull=False).order_by("date").last()

    _login(phone_page, live_server, people.procesbewaker)
    phone_page.goto(f"{live_server.url}/actieplan/reflectie/{closed.pk}/resultaten/")
    phone_page.wait_for_selector("text=Ontwikkeling over alle sessies")
    assert phone_page.locator(".reflection-bars").count() == 22
    assert phone_page.locator(".reflection-gap-table").count() == 1
    _no_sideways_scroll(phone_page)
    _no_serious_axe_violation(phone_page)
    _shot(phone_page, "resultaten-390")

    laptop = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 800}).new_page()
    _login(laptop, live_server, people.procesbewaker)
    laptop.goto(f"{live_server.url}/actieplan/reflectie/{closed.pk}/resultaten/")
    _no_sideways_scroll(laptop)
    _shot(laptop, "resultaten-1280")
    laptop.goto(f"{live_server.url}/actieplan/reflectie/{latest.pk}/projecteren/?verversen=uit")
    _no_sideways_scroll(laptop)
    qr = laptop.locator(".reflection-project__qr svg").bounding_box()
    assert qr["height"] >= 400  # large enough to scan from the back of the room
    _no_serious_axe_violation(laptop)
    _shot(laptop, "beamer-1280")
    laptop.context.close()
