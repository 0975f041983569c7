"""The working group's reflection hour in a real browser: five participants score on their phone
through the session link, the facilitator closes the session and turns the weakest theme into
two actions through the prefilled action form."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from actieplan.models import Action, ReflectionQuestion, ReflectionSession, ReflectionTheme
from tests.factories import make_people

# serialized_rollback: the themes, questions and groups come from data migrations; a flush would lose them.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _login(page, live_server, user):
    """Log ``user`` in by giving the browser a real session cookie."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def _score_everything(page, session, low_theme_slug, participant):
    """Answer all 22 questions: the ``low_theme_slug`` questions get 1 or 2, the rest 3 to 5."""
    low = set(ReflectionQuestion.objects.filter(theme__slug=low_theme_slug).values_list("pk", flat=True))
    first_low = min(low)
    i = 0
    for step, (_theme, questions) in enumerate(session.themes_with_questions(), start=1):
        page.wait_for_selector(f"text=Stap {step} van 6")
        for q in questions:
            qid = q["question_id"]
            # Radios are in scale order: 1, 2, 3, 4, 5, weet niet.
            index = (participant + i) % 2 if qid in low else 2 + (participant + i) % 3
            if participant == 4 and i == 0:
                index = 5  # one "weet niet / n.v.t."
            page.locator(f"label[for='id_score_{qid}_{index}']").click()
            if qid == first_low:
                page.fill(f"#id_comment_{first_low}",
                          f"Deelnemer {participant + 1}: we zien niet waar leerlingen na de overstap blijven.")
            i += 1
        page.click("text=Volgende stap" if step < 6 else "text=Antwoorden versturen")


def test_five_participants_score_and_the_facilitator_makes_two_actions(live_server, browser, phone_page):
    people = make_people("r")
    facilitator = people.procesbewaker
    monitoring = ReflectionTheme.objects.get(slug="monitoring")

    # The facilitator prepares the session on a laptop.
    laptop = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
    laptop.set_default_timeout(15_000)
    _login(laptop, live_server, facilitator)
    laptop.goto(f"{live_server.url}/actieplan/reflectie/nieuw/")
    laptop.fill("#id_title", "Reflectie met de werkgroep")
    laptop.click("text=Sessie aanmaken")
    laptop.wait_for_selector("#sessielink")
    assert laptop.locator(".reflection-qr svg").count() == 1
    link = laptop.input_value("#sessielink")
    session = ReflectionSession.objects.get(title="Reflectie met de werkgroep")
    assert link.endswith(f"/actieplan/r/{session.code}/")

    # Five participants, each on their own phone (no account, fresh cookies).
    for participant in range(5):
        phone_page.context.clear_cookies()
        phone_page.goto(link)
        assert phone_page.locator("fieldset.reflection-question").count() == 4
        _score_everything(phone_page, session, "monitoring", participant)
        phone_page.wait_for_selector("text=Bedankt voor je antwoorden")
    assert session.responses.count() == 5
    assert not session.responses.filter(user__isnull=False).exists()

    # The facilitator sees five responses and closes the session.
    laptop.reload()
    assert laptop.inner_text("#aantal-antwoorden") == "5"
    laptop.click("text=Sessie sluiten")
    laptop.click("text=Ja, sessie sluiten")  # the confirmation: the scores are frozen after this
    laptop.wait_for_selector("text=De sessie is gesloten")
    session.refresh_from_db()
    assert not session.is_open
    assert "Monitoring" in laptop.inner_text(".reflection-weak-theme >> nth=0")
    assert laptop.locator("svg .radar-current").count() == 1

    # Two actions from the weakest theme, through the prefilled action form.
    deadline = (timezone.localdate() + datetime.timedelta(days=42)).isoformat()
    titles = ["Overstapgegevens vo–mbo per leerling delen", "Warme overdracht bij uitval in het eerste mbo-jaar"]
    for title in titles:
        laptop.goto(f"{live_server.url}/actieplan/reflectie/{session.pk}/resultaten/")
        laptop.locator(".reflection-weak-theme").first.get_by_role("link", name="Maak actie").click()
        laptop.wait_for_selector("#id_title")
        assert laptop.input_value("#id_theme") == str(monitoring.pk)
        assert laptop.input_value("#id_source_session") == str(session.pk)
        assert laptop.input_value("#id_partnership") == str(people.partnership.pk)
        laptop.fill("#id_title", title)
        laptop.select_option("#id_owner", str(people.owner.pk))
        laptop.select_option("#id_mandate_level", "2")
        laptop.fill("#id_deadline", deadline)
        laptop.click("text=Actie aanmaken")
        laptop.wait_for_selector("text=De actie is aangemaakt")

    actions = Action.objects.filter(source_session=session).order_by("pk")
    assert [a.title for a in actions] == titles
    assert all(a.theme == monitoring and a.partnership == people.partnership for a in actions)

    laptop.goto(f"{live_server.url}/actieplan/reflectie/{session.pk}/resultaten/")
    assert titles[0] in laptop.inner_text("body") and titles[1] in laptop.inner_text("body")
    laptop.context.close()


def test_reflection_pages_have_no_wcag21_aa_violations(live_server, browser, phone_page):
    """axe-core on the participant form (also with errors), the session page, results and print page."""
    import io

    from axe_playwright_python.sync_playwright import Axe

    from actieplan.reflection import demo as demo

    people = make_people("x")
    partnership = people.partnership
    partnership.slug = demo.PARTNERSHIP_SLUG
    partnership.save()
    demo.load(io.StringIO())
    older, latest = ReflectionSession.objects.order_by("date")[1:3]
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

    phone_page.goto(f"{live_server.url}/actieplan/r/{latest.code}/")
    results = Axe().run(phone_page, options=options)
    assert results.violations_count == 0, results.generate_report()
    phone_page.click("text=Volgende stap")  # nothing filled in: every question gets a message
    phone_page.wait_for_selector("text=Nog niet alles is ingevuld")
    results = Axe().run(phone_page, options=options)
    assert results.violations_count == 0, results.generate_report()

    _login(phone_page, live_server, people.procesbewaker)
    for path in (f"/actieplan/reflectie/{latest.pk}/", f"/actieplan/reflectie/{latest.pk}/resultaten/",
                 f"/actieplan/reflectie/{older.pk}/afdrukken/", "/actieplan/reflectie/"):
        response = phone_page.goto(live_server.url + path)
        assert response.ok, path
        results = Axe().run(phone_page, options=options)
        assert results.violations_count == 0, (path, results.generate_report())
