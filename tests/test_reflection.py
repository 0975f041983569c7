"""The reflectietool: a werkgroep runs a session, participants score anonymously on their phone,
the group reads the results and turns the weakest points into actions."""

import csv
import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actieplan.models import (
    ReflectionQuestion, ReflectionResponse, ReflectionScore, ReflectionSession, ReflectionTheme,
    ReflectionToolSettings,
)
from tests.factories import make_action

pytestmark = pytest.mark.django_db

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Testtelefoon/1.0"
PHONE_IP = "203.0.113.77"


# --- helpers -------------------------------------------------------------------------------------

def make_session(people, title="Reflectie voorjaar", date=None, **fields):
    return ReflectionSession.objects.create(partnership=people.partnership, title=title,
                                            date=date or datetime.date(2026, 3, 10),
                                            facilitator=people.procesbewaker, **fields)


def answer_url(session):
    return reverse("actieplan:reflection_answer", kwargs={"code": session.code})


def fetch_token(client, session):
    """A token as the one-page form carries it (the phone's step-by-step form is in test_reflection_phone)."""
    from actieplan.reflection.forms import issue_token

    response = client.get(answer_url(session), HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR=PHONE_IP)
    assert response.status_code == 302  # the link leads to the first step
    return issue_token(session.code)


def answers(session, token, default="3", scores=None, comments=None):
    """Form data for the whole questionnaire: ``default`` everywhere unless ``scores`` says otherwise."""
    scores, comments = scores or {}, comments or {}
    data = {"token": token}
    for q in session.question_wording:
        qid = q["question_id"]
        data[f"score_{qid}"] = str(scores.get(qid, default))
        data[f"comment_{qid}"] = comments.get(qid, "")
    return data


def submit(client, session, data, url=None):
    return client.post(url or answer_url(session), data, HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR=PHONE_IP)


def respond(client, session, default="3", scores=None, comments=None):
    """One participant answers; an anonymous participant on their own phone (a fresh browser session)."""
    if "_auth_user_id" not in client.session:
        client = client.__class__()
    token = fetch_token(client, session)
    response = submit(client, session, answers(session, token, default, scores, comments))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def question(theme_slug, number):
    return ReflectionQuestion.objects.get(theme__slug=theme_slug, number=number)


def checked(html, qid, value):
    """Is the radio for ``value`` of question ``qid`` checked in the re-rendered form?"""
    match = re.search(rf'<input[^>]*name="score_{qid}"[^>]*value="{value}"[^>]*>', html)
    return bool(match) and "checked" in match.group(0)


# --- reference data ------------------------------------------------------------------------------

def test_six_themes_and_twenty_two_questions_of_the_source_in_order():
    themes = list(ReflectionTheme.objects.all())
    assert [t.name for t in themes] == ["Visie en ambitie", "Relatie", "Betrokken partners", "Daadkracht",
                                        "Inspiratie", "Monitoring"]
    assert [t.questions.count() for t in themes] == [4, 4, 4, 3, 4, 3]
    assert question("visie-en-ambitie", 2).text == \
        "Gaan we met zijn állen echt voor het belang van de leerling (de leerling centraal)?"
    assert question("monitoring", 3).text == \
        "Gebruiken we de mogelijkheden van de monitorsystemen om meer te organiseren rondom LOB-activiteiten?"
    assert all(t.background for t in themes)


def test_the_short_manual_is_seeded_and_shown_to_the_facilitator(client, people):
    manual = ReflectionToolSettings.load()
    assert "laatste 15 minuten" in manual.manual
    session = make_session(people)
    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan:reflection_detail", args=[session.pk])).content.decode()
    assert "Korte handleiding" in html and "laatste 15 minuten" in html
    assert "Daadkracht" in html and "korte lijnen" in html.lower()  # background per theme for doorvragen


# --- creating a session --------------------------------------------------------------------------

def test_werkgroep_member_creates_a_session_and_sees_link_qr_status_and_count(client, people):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:reflection_create"), {
        "partnership": people.partnership.pk, "title": "Reflectie najaar", "date": "2026-10-06",
        "facilitator": people.procesbewaker.pk,
    })
    session = ReflectionSession.objects.get(title="Reflectie najaar")
    assert response.status_code == 302 and response.url == reverse("actieplan:reflection_detail", args=[session.pk])
    assert len(session.question_wording) == 22

    html = client.get(response.url).content.decode()
    assert f"http://testserver/actieplan/r/{session.code}/" in html
    assert '<svg' in html and 'reflection-qr__code' in html  # the QR code, drawn on the server
    assert "open: deelnemers kunnen scoren" in html
    assert re.search(r'id="aantal-antwoorden">0<', html)

    respond(client.__class__(), session)
    html = client.get(response.url).content.decode()
    assert re.search(r'id="aantal-antwoorden">1<', html)


def test_session_form_refuses_missing_title_and_foreign_partnership_in_dutch(client, people, other_people):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:reflection_create"), {
        "partnership": other_people.partnership.pk, "title": "", "date": "morgen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voor dit samenwerkingsverband mag je geen sessie aanmaken." in html
    assert "Geef de sessie een titel" in html
    assert "Vul een geldige datum in" in html
    assert not ReflectionSession.objects.exists()


def test_people_without_a_werkgroep_role_cannot_create_sessions(client, people):
    for user in (people.bestuurder, people.owner, people.outsider):
        client.force_login(user)
        assert client.get(reverse("actieplan:reflection_create")).status_code == 404


# --- participants on their phone -----------------------------------------------------------------

def test_anonymous_participant_scores_without_account_and_nothing_identifies_them(client, people):
    session = make_session(people)
    daad = question("daadkracht", 1)
    response = respond(client, session, default="4", scores={daad.pk: "x"},
                       comments={daad.pk: "Geen idee wie de middelen heeft."})
    assert response.url == reverse("actieplan:reflection_thanks", kwargs={"code": session.code})
    assert "Bedankt" in client.get(response.url).content.decode()

    stored = ReflectionResponse.objects.get(session=session)
    assert stored.user is None
    assert stored.scores.count() == 22
    assert stored.scores.get(question=daad).score is None  # weet niet
    assert stored.scores.get(question=daad).comment == "Geen idee wie de middelen heeft."
    # Neither the IP address nor the browser is kept anywhere on the response or its scores.
    values = [str(getattr(stored, f.attname)) for f in stored._meta.concrete_fields]
    values += [str(getattr(s, f.attname)) for s in stored.scores.all() for f in s._meta.concrete_fields]
    assert not any(PHONE_IP in v or "Testtelefoon" in v for v in values)
    field_names = {f.name for f in ReflectionResponse._meta.get_fields()}
    assert not field_names & {"ip", "ip_address", "user_agent", "remote_addr"}


def test_two_phones_give_two_responses(client, people):
    from django.test import Client

    session = make_session(people)
    respond(client, session)
    respond(Client(), session)
    assert session.responses.count() == 2
    assert len(set(session.responses.values_list("respondent_token", flat=True))) == 2


def test_the_same_token_twice_is_refused_with_a_message_and_the_answers_are_kept(client, people):
    session = make_session(people)
    token = fetch_token(client, session)
    q = question("relatie", 3)
    data = answers(session, token, default="2", scores={q.pk: "5"}, comments={q.pk: "Wij spreken elkaar echt aan."})
    assert submit(client, session, data).status_code == 302

    again = submit(client, session, data)
    html = again.content.decode()
    assert again.status_code == 200
    assert "al antwoorden voor deze sessie ingestuurd" in html
    assert checked(html, q.pk, "5") and checked(html, question("relatie", 1).pk, "2")
    assert "Wij spreken elkaar echt aan." in html
    assert session.responses.count() == 1


def test_a_score_outside_one_to_five_is_refused_and_the_other_answers_are_kept(client, people):
    session = make_session(people)
    token = fetch_token(client, session)
    bad, good = question("inspiratie", 2), question("inspiratie", 3)
    data = answers(session, token, default="4", scores={bad.pk: "7", good.pk: "1"},
                   comments={good.pk: "Docenten vo en mbo ontmoeten elkaar nooit."})
    response = submit(client, session, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Een score moet 1, 2, 3, 4 of 5 zijn" in html
    assert checked(html, good.pk, "1") and "Docenten vo en mbo ontmoeten elkaar nooit." in html
    assert not session.responses.exists()

    data[f"score_{bad.pk}"] = "3"  # corrected: the same token still works
    assert submit(client, session, data).status_code == 302
    assert session.responses.count() == 1


def test_a_missing_answer_is_named_in_the_message(client, people):
    session = make_session(people)
    token = fetch_token(client, session)
    missing = question("monitoring", 2)
    data = answers(session, token)
    del data[f"score_{missing.pk}"]
    html = submit(client, session, data).content.decode()
    assert "Kies een score van 1 tot en met 5" in html
    assert missing.text in html
    assert not session.responses.exists()


def test_a_closed_session_refuses_answers_but_shows_them_again(client, people):
    session = make_session(people)
    token = fetch_token(client, session)
    session.close()
    q = question("visie-en-ambitie", 1)
    response = submit(client, session, answers(session, token, default="5", comments={q.pk: "Visie is helder."}))
    html = response.content.decode()
    assert "Deze sessie is gesloten" in html
    assert checked(html, q.pk, "5") and "Visie is helder." in html
    assert "Antwoorden versturen" not in html
    assert not session.responses.exists()
    assert "Deze sessie is gesloten" in client.get(answer_url(session), follow=True).content.decode()


def test_closing_freezes_the_scores(people):
    session = make_session(people)
    response = ReflectionResponse.objects.create(session=session)
    session.close()
    with pytest.raises(ValidationError):
        ReflectionScore.objects.create(response=response, question=question("relatie", 1), score=3)
    with pytest.raises(ValidationError):
        ReflectionResponse.objects.create(session=session)


def test_a_tampered_token_is_refused_with_a_new_one_and_the_answers_kept(client, people):
    session = make_session(people)
    q = question("betrokken-partners", 3)
    data = answers(session, "verzonnen:token", default="2", comments={q.pk: "Mandaat ligt te hoog."})
    response = submit(client, session, data)
    html = response.content.decode()
    assert "Deze antwoordlink is niet geldig" in html
    assert "Mandaat ligt te hoog." in html and checked(html, q.pk, "2")
    assert not session.responses.exists()
    data["token"] = response.context["form"]["token"].value()  # the fresh token in the re-rendered form
    assert submit(client, session, data).status_code == 302
    assert session.responses.count() == 1


def test_a_token_of_another_session_does_not_work_here(client, people):
    first, second = make_session(people, "Eerste"), make_session(people, "Tweede")
    token = fetch_token(client, first)
    html = submit(client, second, answers(second, token)).content.decode()
    assert "Deze antwoordlink is niet geldig" in html
    assert not ReflectionResponse.objects.exists()


def test_an_unknown_session_code_gives_a_dutch_404_and_keeps_posted_answers(client, people):
    session = make_session(people)
    response = client.get("/actieplan/r/bestaat-niet/")
    assert response.status_code == 404
    assert "Er is geen reflectiesessie met de code ‘bestaat-niet’" in response.content.decode()

    q = question("daadkracht", 2)
    token = fetch_token(client, session)
    data = answers(session, token, default="3", scores={q.pk: "1"}, comments={q.pk: "Lange lijnen."})
    response = submit(client, session, data, url="/actieplan/r/tikfout/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Er is geen reflectiesessie met de code ‘tikfout’" in html
    assert checked(html, q.pk, "1") and "Lange lijnen." in html and 'name="code"' in html

    data["code"] = session.code  # the participant types the right code: the same answers go in
    assert submit(client, session, data, url=reverse("actieplan:reflection_join")).status_code == 302
    assert session.responses.get().scores.get(question=q).score == 1


def test_a_logged_in_participant_is_stored_and_answers_once(client, people):
    session = make_session(people)
    client.force_login(people.owner)
    respond(client, session)
    assert ReflectionResponse.objects.get(session=session).user == people.owner
    token = fetch_token(client, session)  # a new visit, a new token: still the same person
    html = submit(client, session, answers(session, token)).content.decode()
    assert "al antwoorden voor deze sessie ingestuurd" in html
    assert session.responses.count() == 1


# --- the wording a session was scored on ---------------------------------------------------------

def test_a_session_keeps_the_wording_its_scores_were_given_on(client, people):
    q = question("daadkracht", 3)
    old_text = q.text
    old = make_session(people, "Voor de wijziging", date=datetime.date(2025, 3, 1))
    respond(client, old, default="2")

    q.text = "Hebben betrokkenen genoeg ruimte om zelf activiteiten te starten?"
    q.save()
    new = make_session(people, "Na de wijziging", date=datetime.date(2026, 3, 1))

    client.force_login(people.procesbewaker)
    results = client.get(reverse("actieplan:reflection_results", args=[old.pk])).content.decode()
    assert old_text in results and q.text not in results
    old.close()
    anonymous = client.__class__()
    assert old_text in submit(anonymous, old, answers(old, "x")).content.decode()
    steps = "".join(anonymous.get(reverse("actieplan:reflection_step", kwargs={"code": new.code, "step": n}))
                    .content.decode() for n in range(1, 7))
    assert q.text in steps and old_text not in steps


# --- results -------------------------------------------------------------------------------------

@pytest.fixture
def two_sessions(client, people):
    """An earlier session (Daadkracht weak) and a later one (Daadkracht better, Monitoring weakest)."""
    earlier = make_session(people, "Eerste meting", date=datetime.date(2025, 2, 4))
    daad = [question("daadkracht", n).pk for n in (1, 2, 3)]
    mon = [question("monitoring", n).pk for n in (1, 2, 3)]
    for _ in range(3):
        respond(client, earlier, default="4", scores={**{pk: "2" for pk in daad}, **{pk: "3" for pk in mon}})
    earlier.close()
    later = make_session(people, "Tweede meting", date=datetime.date(2026, 2, 3))
    respond(client, later, default="4", scores={daad[0]: "3", daad[1]: "4", daad[2]: "3", mon[0]: "1", mon[1]: "2",
                                                 mon[2]: "x"},
            comments={mon[0]: "We weten niet waar leerlingen na de overstap blijven."})
    respond(client, later, default="5", scores={daad[0]: "3", daad[1]: "3", daad[2]: "4", mon[0]: "2", mon[1]: "1",
                                                 mon[2]: "x"})
    # A third: results never show a figure of fewer than three people (the same means, one more of each score).
    respond(client, later, default="4", scores={daad[0]: "4", daad[1]: "3", daad[2]: "3", mon[0]: "1", mon[1]: "2",
                                                 mon[2]: "x"})
    return earlier, later


def test_results_show_means_spread_counts_and_distribution(client, people, two_sessions):
    _earlier, later = two_sessions
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:reflection_results", args=[later.pk]))
    assert response.status_code == 200
    themes = {t.name: t for t in response.context["results"]}
    monitoring = themes["Monitoring"].summary
    assert (monitoring.n, monitoring.unknown, monitoring.mean) == (6, 3, 1.5)
    assert (monitoring.minimum, monitoring.maximum) == (1, 2)
    assert themes["Daadkracht"].summary.mean == pytest.approx(20 / 6)
    assert themes["Daadkracht"].previous_mean == 2.0
    html = response.content.decode()
    assert "3 ingevulde vragenlijsten" in html
    # the table alternative of the chart, with the previous session as a column
    assert '<table class="reflection-themes ap-table--stack">' in html and "Vorige sessie" in html
    assert re.search(r"Monitoring.*?</th>\s*<td[^>]*>1,5</td>", html, re.S)


def test_results_radar_is_inline_svg_with_previous_session_and_text_description(client, people, two_sessions):
    earlier, later = two_sessions
    client.force_login(people.werkgroeplid)
    html = client.get(reverse("actieplan:reflection_results", args=[later.pk])).content.decode()
    assert '<svg viewBox=' in html and 'role="img"' in html
    assert 'class="radar-current"' in html and 'class="radar-previous"' in html
    assert f"Vorige sessie: {earlier.title}" in html
    desc = re.search(r'<desc id="radar-beschrijving">(.*?)</desc>', html, re.S).group(1)
    assert "Monitoring 1,5 (vorige sessie 3,0)" in desc
    assert "<script" not in html  # readable without JavaScript
    svg = html[html.index('<svg viewBox='):html.index("</svg>", html.index('<svg viewBox='))]
    for value in re.findall(r'\s(?:x|y|x1|y1|x2|y2|cx|cy)="([^"]*)"', svg):
        float(value)  # a Dutch decimal comma here would break the drawing
    for points in re.findall(r'points="([^"]*)"', svg):
        assert all(len(p.split(",")) == 2 for p in points.split())

    first = client.get(reverse("actieplan:reflection_results", args=[earlier.pk])).content.decode()
    assert 'class="radar-previous"' not in first  # nothing earlier to compare with


def test_weakest_questions_are_highlighted_and_comments_listed(client, people, two_sessions):
    _earlier, later = two_sessions
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:reflection_results", args=[later.pk]))
    weakest = [q.text for q in response.context["weakest"]]
    assert weakest[:2] == [question("monitoring", 1).text, question("monitoring", 2).text]
    html = response.content.decode()
    assert html.count("zwakste vraag") == 3
    assert "We weten niet waar leerlingen na de overstap blijven." in html
    assert [t.name for t in response.context["weak_themes"]][:2] == ["Monitoring", "Daadkracht"]


def test_maak_actie_links_prefill_theme_question_and_session_for_the_werkgroep(client, people, two_sessions):
    _earlier, later = two_sessions
    monitoring = ReflectionTheme.objects.get(slug="monitoring")
    q = question("monitoring", 1)
    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan:reflection_results", args=[later.pk])).content.decode()
    base = reverse("actieplan:action_create")
    theme_link = f"{base}?partnership={people.partnership.pk}&amp;theme={monitoring.pk}&amp;source_session={later.pk}"
    question_link = (f"{base}?partnership={people.partnership.pk}&amp;theme={monitoring.pk}&amp;question={q.pk}"
                     f"&amp;source_session={later.pk}")
    assert theme_link in html and question_link in html

    client.force_login(people.bestuurder)  # reads the results, does not make actions
    assert "Maak actie" not in client.get(reverse("actieplan:reflection_results", args=[later.pk])).content.decode()


def test_actions_created_from_the_session_are_listed_on_its_results(client, people, two_sessions):
    _earlier, later = two_sessions
    make_action(people.partnership, people.owner, title="Leerlingvolgsysteem koppelen aan de overstapmonitor",
                theme=ReflectionTheme.objects.get(slug="monitoring"), source_session=later)
    client.force_login(people.werkgroeplid)
    html = client.get(reverse("actieplan:reflection_results", args=[later.pk])).content.decode()
    assert "Acties uit deze sessie" in html and "Leerlingvolgsysteem koppelen aan de overstapmonitor" in html


def test_csv_export_has_theme_and_question_rows_in_dutch_number_format(client, people, two_sessions):
    _earlier, later = two_sessions
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:reflection_csv", args=[later.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:7] == ["niveau", "thema", "nr", "vraag", "aantal scores 1-5", "weet niet / n.v.t.", "gemiddelde"]
    monitoring = next(r for r in rows if r[0] == "thema" and r[1] == "Monitoring")
    assert monitoring[4:7] == ["6", "3", "1,50"]
    assert monitoring[header.index("gemiddelde vorige sessie")] == "3,00"
    q1 = next(r for r in rows if r[0] == "vraag" and r[1] == "Monitoring" and r[2] == "1")
    assert q1[3] == question("monitoring", 1).text
    assert q1[10:15] == ["2", "1", "0", "0", "0"]
    assert any(r[0] == "toelichting" and r[-1] == "We weten niet waar leerlingen na de overstap blijven."
               for r in rows)
    assert len([r for r in rows if r[0] == "vraag"]) == 22


def test_csv_export_neutralises_formulas_in_comments(client, people):
    session = make_session(people)
    q = question("relatie", 1)
    respond(client, session, comments={q.pk: "=HYPERLINK(\"http://evil\")"})
    client.force_login(people.werkgroeplid)
    content = client.get(reverse("actieplan:reflection_csv", args=[session.pk])).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(content), delimiter=";") for cell in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_printable_page_has_results_and_print_css(client, people, two_sessions):
    _earlier, later = two_sessions
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:reflection_print", args=[later.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reflectietool – Tweede meting" in html and 'class="radar-current"' in html
    assert "actieplan/reflection.css" in html
    css = (pytest.importorskip("pathlib").Path(__file__).parent.parent / "actieplan/static/actieplan/reflection.css").read_text()
    assert "@media print" in css


# --- who sees what -------------------------------------------------------------------------------

def test_anonymous_visitors_open_the_participant_link_but_not_the_results(client, people):
    session = make_session(people)
    assert client.get(answer_url(session), follow=True).status_code == 200
    for name in ("reflection_results", "reflection_csv", "reflection_print", "reflection_detail"):
        response = client.get(reverse(f"actieplan:{name}", args=[session.pk]))
        assert response.status_code == 302 and "/inloggen/" in response.url
    assert client.post(reverse("actieplan:reflection_close", args=[session.pk])).status_code == 302
    assert ReflectionSession.objects.get(pk=session.pk).is_open


def test_members_of_another_partnership_get_404(client, people, other_people):
    session = make_session(people)
    for user in (other_people.procesbewaker, other_people.bestuurder, people.outsider):
        client.force_login(user)
        for name in ("reflection_results", "reflection_csv", "reflection_print", "reflection_detail"):
            assert client.get(reverse(f"actieplan:{name}", args=[session.pk])).status_code == 404, (user, name)
        assert client.post(reverse("actieplan:reflection_close", args=[session.pk])).status_code == 404
    assert ReflectionSession.objects.get(pk=session.pk).is_open


def test_only_the_werkgroep_closes_a_session(client, people):
    session = make_session(people)
    client.force_login(people.bestuurder)
    assert client.post(reverse("actieplan:reflection_close", args=[session.pk])).status_code == 404
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:reflection_close", args=[session.pk]))
    assert response.status_code == 302
    session.refresh_from_db()
    assert not session.is_open and session.closed_at is not None
    from wagtail.models import ModelLogEntry
    entry = ModelLogEntry.objects.get(object_id=str(session.pk), action="actieplan.reflectie_gesloten")
    assert entry.user == people.werkgroeplid
    history = reverse("wagtailsnippets_actieplan_reflectionsession:history", args=[session.pk])
    assert "Sessie gesloten" in client.get(history).content.decode()


def test_session_list_shows_only_own_partnerships(client, people, other_people):
    mine = make_session(people, "Onze sessie")
    make_session(other_people, "Hun sessie")
    client.force_login(people.bestuurder)
    html = client.get(reverse("actieplan:reflection_list")).content.decode()
    assert mine.title in html and "Hun sessie" not in html
    assert 'href="/actieplan/reflectie/" aria-current="page"' in html  # in the main menu
    assert "Nieuwe sessie" not in html


# --- admin ---------------------------------------------------------------------------------------

def test_themes_and_questions_are_editable_snippets_for_redacteuren(client, people):
    client.force_login(people.editor)
    q = question("inspiratie", 4)
    assert client.get(reverse("wagtailsnippets_actieplan_reflectiontheme:list")).status_code == 200
    response = client.get(reverse("wagtailsnippets_actieplan_reflectionquestion:edit", args=[q.pk]))
    assert response.status_code == 200 and "good practices" in response.content.decode()


def test_admin_session_listing_is_scoped_to_the_partnership(client, people, other_people):
    mine, theirs = make_session(people, "Onze sessie"), make_session(other_people, "Hun sessie")
    client.force_login(people.procesbewaker)
    html = client.get(reverse("wagtailsnippets_actieplan_reflectionsession:list")).content.decode()
    assert "Onze sessie" in html and "Hun sessie" not in html
    assert client.get(reverse("wagtailsnippets_actieplan_reflectionsession:edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("wagtailsnippets_actieplan_reflectionsession:edit", args=[theirs.pk])).status_code == 404


def test_redacteur_edits_the_manual_and_the_facilitator_sees_the_new_text(client, people):
    client.force_login(people.editor)
    response = client.get(reverse("wagtailsettings:edit", args=["actieplan", "reflectiontoolsettings"]), follow=True)
    assert response.status_code == 200 and "korte handleiding" in response.content.decode().lower()
    url = response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    response = client.post(url, {"manual": '{"blocks": [{"key": "a", "type": "unstyled", "depth": 0, "text": '
                                           '"Begin met een rondje: wat ging goed sinds de vorige keer?", '
                                           '"inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
                                 "purpose": '{"blocks": [], "entityMap": {}}'})
    assert response.status_code == 302, response.content.decode()[:3000]
    session = make_session(people)
    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan:reflection_detail", args=[session.pk])).content.decode()
    assert "Begin met een rondje: wat ging goed sinds de vorige keer?" in html


def test_admin_session_form_offers_only_own_partnerships_and_snapshots_the_wording(client, people, other_people):
    client.force_login(people.procesbewaker)
    url = reverse("wagtailsnippets_actieplan_reflectionsession:add")
    html = client.get(url).content.decode()
    assert people.partnership.name in html and other_people.partnership.name not in html
    response = client.post(url, {"partnership": other_people.partnership.pk, "title": "Stiekem", "date": "2026-05-01"})
    assert response.status_code == 200 and not ReflectionSession.objects.exists()
    response = client.post(url, {"partnership": people.partnership.pk, "title": "Via beheer", "date": "2026-05-01",
                                 "facilitator": people.procesbewaker.pk})
    assert response.status_code == 302
    assert len(ReflectionSession.objects.get(title="Via beheer").question_wording) == 22


def test_weak_themes_suggest_live_public_good_practices_linked_to_them(client, people, two_sessions):
    from wagtail.models import PageViewRestriction, Site

    from good_practices.models import GoodPracticeIndexPage, GoodPracticePage

    _earlier, later = two_sessions
    home = Site.objects.get(is_default_site=True).root_page.specific
    library = GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard")
    home.add_child(instance=library)
    library.save_revision().publish()
    monitoring = ReflectionTheme.objects.filter(slug="monitoring")

    def practice(title, publish=True):
        page = GoodPracticePage(title=title, summary=f"Samenvatting van {title}.")
        page.reflection_themes.set(monitoring)
        library.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            page.unpublish()
        return page

    practice("Overstapdossier vo-mbo in de Kempen")
    practice("Concept: monitor voor praktijkonderwijs", publish=False)
    private = practice("Interne evaluatie uitvalcijfers")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    client.force_login(people.werkgroeplid)
    html = client.get(reverse("actieplan:reflection_results", args=[later.pk])).content.decode()
    card = html[html.index("reflection-weak-theme"):html.index("Zwakste vragen")]
    assert "Goede voorbeelden bij dit thema" in card and "Overstapdossier vo-mbo in de Kempen" in card
    assert "Concept: monitor voor praktijkonderwijs" not in html
    assert "Interne evaluatie uitvalcijfers" not in html


def test_a_question_deleted_during_an_open_session_does_not_break_the_form(client, people):
    spare = ReflectionQuestion.objects.create(theme=ReflectionTheme.objects.get(slug="relatie"), number=9,
                                              text="Tijdelijke extra vraag?")
    session = make_session(people)
    token = fetch_token(client, session)
    spare.delete()
    assert submit(client, session, answers(session, token)).status_code == 302
    assert session.responses.get().scores.count() == 22


# Every role × every reflectietool URL (session of partnership A, still open). A deelnemer ("owner") answers
# anonymously like every participant and does not read the results, comments or exports (README).
ROLES = ["anonymous", "outsider", "editor", "bestuurder", "owner", "werkgroeplid", "procesbewaker",
         "superuser", "other_partnership"]
MATRIX = [
    #                                                   anon outs edit best owner wgl  pb  super other
    ("get", "actieplan:reflection_list", False,         [302, 200, 200, 200, 200, 200, 200, 200, 200]),
    ("get", "actieplan:reflection_create", False,       [302, 404, 404, 404, 404, 200, 200, 200, 200]),
    ("get", "actieplan:reflection_detail", True,        [302, 404, 404, 200, 404, 200, 200, 200, 404]),
    ("get", "actieplan:reflection_results", True,       [302, 404, 404, 200, 404, 200, 200, 200, 404]),
    ("get", "actieplan:reflection_csv", True,           [302, 404, 404, 200, 404, 200, 200, 200, 404]),
    ("get", "actieplan:reflection_print", True,         [302, 404, 404, 200, 404, 200, 200, 200, 404]),
    ("post", "actieplan:reflection_close", True,        [302, 404, 404, 404, 404, 302, 302, 302, 404]),
    # The session link leads everyone to the first step of the questionnaire.
    ("get", "actieplan:reflection_answer", "code",      [302, 302, 302, 302, 302, 302, 302, 302, 302]),
    ("get", "actieplan:reflection_thanks", "code",      [200, 200, 200, 200, 200, 200, 200, 200, 200]),
]


@pytest.mark.parametrize("method,name,arg,role,expected",
                         [(m, n, a, role, codes[i]) for m, n, a, codes in MATRIX for i, role in enumerate(ROLES)],
                         ids=lambda v: v if isinstance(v, str) else None)
def test_every_role_gets_the_right_answer_on_every_reflection_url(client, people, other_people,
                                                                  method, name, arg, role, expected):
    from tests.factories import make_user

    session = make_session(people)
    users = {"anonymous": None, "outsider": people.outsider, "editor": people.editor,
             "bestuurder": people.bestuurder, "owner": people.owner, "werkgroeplid": people.werkgroeplid,
             "procesbewaker": people.procesbewaker, "superuser": make_user(is_superuser=True, is_staff=True),
             "other_partnership": other_people.procesbewaker}
    if users[role]:
        client.force_login(users[role])
    kwargs = {"code": session.code} if arg == "code" else {"pk": session.pk} if arg else {}
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == expected
    if role == "anonymous" and expected == 302 and name != "actieplan:reflection_answer":
        assert response.url.startswith("/inloggen/")
    session.refresh_from_db()
    closed_by_this_request = name == "actieplan:reflection_close" and expected == 302 and role != "anonymous"
    assert session.is_open != closed_by_this_request


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_results_and_trend_follow_each_new_answer_set_while_cached(client, people):
    """The results page keeps a session's figures and its trend markup in the cache (committed data, as in
    production); the next answer set to the open session shows at once, on both, and closing keeps them."""
    from django.test import Client

    earlier = make_session(people, "Eerste meting", date=datetime.date(2025, 2, 4))
    for _ in range(3):
        respond(client, earlier, default="2")
    earlier.close()
    later = make_session(people, "Tweede meting", date=datetime.date(2026, 2, 3))
    for _ in range(3):
        respond(client, later, default="4")
    viewer = Client()
    viewer.force_login(people.bestuurder)
    url = reverse("actieplan:reflection_results", args=[later.pk])

    def trend_row(html, name):  # first, previous and this session's mean of a theme in the trend table
        match = re.search(rf'{name}</th>\s*<td data-label="Eerste sessie">([^<]*)</td>\s*'
                          rf'<td data-label="Vorige sessie">([^<]*)</td>\s*<td data-label="Deze sessie">([^<]*)</td>',
                          html)
        return match and match.groups()

    for _ in range(2):  # the second time from the cache
        page = viewer.get(url)
        assert {t.name: t.summary.mean for t in page.context["results"]}["Daadkracht"] == 4.0
        assert trend_row(page.content.decode(), "Daadkracht") == ("2,0", "2,0", "4,0")
        assert page.content.decode().count("gemiddeld 4,0 · sd 0,0 · n = 3") == 22  # each question's figures
    respond(client, later, default="2")
    page = viewer.get(url)
    assert {t.name: t.summary.mean for t in page.context["results"]}["Daadkracht"] == 3.5
    assert trend_row(page.content.decode(), "Daadkracht") == ("2,0", "2,0", "3,5")
    assert page.content.decode().count("gemiddeld 3,5 · sd 0,9 · n = 4") == 22
    later.close()
    page = viewer.get(url)
    assert trend_row(page.content.decode(), "Daadkracht") == ("2,0", "2,0", "3,5")
    assert page.context["gaps"]["open"] is False
