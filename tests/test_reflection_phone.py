"""The reflectietool on a participant's phone: six steps, answers kept, one submission per device,
a join code that cannot be misread, and a rate limit per session and client."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from actieplan.models import ReflectionResponse, ReflectionSession
from actieplan.reflection.models import JOIN_CODE_ALPHABET

pytestmark = pytest.mark.django_db

PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Testtelefoon/1.0"
PHONE_IP = "198.51.100.23"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def make_session(people, title="Reflectie op de telefoon"):
    return ReflectionSession.objects.create(partnership=people.partnership, title=title,
                                            date=datetime.date(2026, 10, 6), facilitator=people.procesbewaker)


def step_url(session, step):
    return reverse("actieplan:reflection_step", kwargs={"code": session.code, "step": step})


def phone(ip=PHONE_IP):
    client = Client(HTTP_USER_AGENT=PHONE_UA, REMOTE_ADDR=ip)
    return client


def step_questions(session, step):
    return session.themes_with_questions()[step - 1][1]


def step_data(session, step, score="4", comment="", kind=None, direction="volgende"):
    data = {"richting": direction}
    for q in step_questions(session, step):
        data[f"score_{q['question_id']}"] = score
        data[f"comment_{q['question_id']}"] = comment
    if kind is not None:
        data["partner_kind"] = kind
    return data


def checked(html, qid, value):
    match = re.search(rf'<input[^>]*name="score_{qid}"[^>]*value="{value}"[^>]*>', html)
    return bool(match) and "checked" in match.group(0)


def fill_all(client, session, score="4", kind=""):
    for step in range(1, 7):
        response = client.post(step_url(session, step), step_data(session, step, score, kind=kind if step == 6 else None))
        assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_the_link_opens_step_one_of_six_with_question_numbers_out_of_22_and_no_site_navigation(people):
    session = make_session(people)
    client = phone()
    response = client.get(reverse("actieplan:reflection_answer", kwargs={"code": session.code}), follow=True)
    html = response.content.decode()
    assert "Stap 1 van 6" in html and "Visie en ambitie" in html
    assert "Vraag 1 van 22" in html
    # Only the questions of this theme; the later steps number on.
    assert html.count('<fieldset class="reflection-question') == len(step_questions(session, 1))
    last = client.get(step_url(session, 6)).content.decode()
    assert "Stap 6 van 6" in last and "Vraag 22 van 22" in last
    # A quiet layout: no site menu, search or "Inloggen" for an anonymous participant.
    assert "site-nav" not in html and "site-search" not in html and "Inloggen" not in html
    assert "<script" not in html  # it works without JavaScript


def test_answers_are_kept_between_steps_going_back_and_after_a_lost_connection(people):
    session = make_session(people)
    client = phone()
    first = step_questions(session, 1)[0]["question_id"]
    data = step_data(session, 1, "2", comment="We praten er veel over.")
    assert client.post(step_url(session, 1), data).url == step_url(session, 2)
    # Step 2 half filled, then "Vorige stap": nothing is lost.
    second = step_questions(session, 2)
    partial = {"richting": "vorige", f"score_{second[0]['question_id']}": "5"}
    assert client.post(step_url(session, 2), partial).url == step_url(session, 1)
    html = client.get(step_url(session, 1)).content.decode()
    assert checked(html, first, "2")
    assert "We praten er veel over." in html

    # The connection drops; the participant opens the link again and lands on step 2, with the 5 kept.
    again = client.get(reverse("actieplan:reflection_answer", kwargs={"code": session.code}))
    assert again.url == step_url(session, 2)
    html = client.get(step_url(session, 2)).content.decode()
    assert checked(html, second[0]["question_id"], "5")


def test_an_incomplete_step_names_the_open_question_and_keeps_the_rest(people):
    session = make_session(people)
    client = phone()
    questions = step_questions(session, 1)
    data = step_data(session, 1, "3")
    del data[f"score_{questions[-1]['question_id']}"]
    response = client.post(step_url(session, 1), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nog niet alles is ingevuld in deze stap" in html
    assert questions[-1]["text"] in html
    assert ReflectionResponse.objects.count() == 0


def test_six_steps_make_one_anonymous_answer_set_with_the_partner_kind(people):
    session = make_session(people)
    client = phone()
    response = fill_all(client, session, "4", kind="gemeente")
    assert response.url == reverse("actieplan:reflection_thanks", kwargs={"code": session.code})
    stored = ReflectionResponse.objects.get(session=session)
    assert stored.scores.count() == 22 and stored.partner_kind == "gemeente"
    assert stored.user is None
    # Nothing identifies the phone: not on the response, not on the scores.
    values = [str(getattr(stored, f.attname)) for f in stored._meta.concrete_fields]
    values += [str(getattr(s, f.attname)) for s in stored.scores.all() for f in s._meta.concrete_fields]
    assert not any(PHONE_IP in v or "Testtelefoon" in v for v in values)
    # The draft is gone from the participant's session once the answers are in.
    assert "reflectie_concept" not in client.session or not client.session["reflectie_concept"].get(str(session.pk))


def test_the_partner_kind_is_optional(people):
    session = make_session(people)
    fill_all(phone(), session, "3", kind="")
    assert ReflectionResponse.objects.get(session=session).partner_kind == ""


def test_skipping_a_step_by_url_sends_the_participant_back_to_it(people):
    session = make_session(people)
    client = phone()
    client.post(step_url(session, 1), step_data(session, 1))
    response = client.post(step_url(session, 6), step_data(session, 6, kind=""))
    assert response.url == step_url(session, 2)
    assert ReflectionResponse.objects.count() == 0


def test_a_second_submission_from_the_same_phone_is_refused_politely(people):
    session = make_session(people)
    client = phone()
    fill_all(client, session)
    html = client.get(step_url(session, 1)).content.decode()
    assert "al ontvangen" in html and "iedere deelnemer telt één keer mee" in html.lower()
    # Posting the last step again (a double tap, a resent form) adds nothing either.
    response = client.post(step_url(session, 6), step_data(session, 6, kind=""))
    assert response.status_code == 200
    assert ReflectionResponse.objects.filter(session=session).count() == 1
    # The link itself says thank you instead of starting over.
    assert client.get(reverse("actieplan:reflection_answer", kwargs={"code": session.code})).url.endswith("/bedankt/")
    # Another phone still answers.
    fill_all(phone("198.51.100.99"), session)
    assert ReflectionResponse.objects.filter(session=session).count() == 2


@override_settings(LOB_REFLECTION_SUBMISSIONS_PER_CLIENT=3)
def test_many_submissions_from_one_client_are_rate_limited_with_a_dutch_message(people):
    session = make_session(people)
    for _ in range(3):
        fill_all(phone(), session)  # a fresh browser session each time: cookies cleared
    client = phone()
    for step in range(1, 6):
        client.post(step_url(session, step), step_data(session, step))
    response = client.post(step_url(session, 6), step_data(session, 6, kind=""))
    assert response.status_code == 429
    assert "in korte tijd erg veel antwoorden" in response.content.decode()
    assert ReflectionResponse.objects.filter(session=session).count() == 3
    # Another session and another client are not affected.
    fill_all(phone("192.0.2.10"), session)
    fill_all(phone(), make_session(people, "Andere sessie"))
    assert ReflectionResponse.objects.count() == 5


@override_settings(LOB_REFLECTION_SUBMISSIONS_PER_CLIENT=2)
def test_the_rate_limit_holds_through_a_cache_restart_and_keeps_no_address(people):
    """The count lives in the database, shared by every worker: emptying the cache (Redis restarted) lets no
    client through, and what is stored is a keyed hash, never the address or the browser."""
    from actieplan.ratelimits import RateCounter

    session = make_session(people)
    for _ in range(2):
        fill_all(phone(), session)
    cache.clear()  # Redis restarted: whatever the cache knew is gone
    client = phone()
    for step in range(1, 6):
        client.post(step_url(session, step), step_data(session, step))
    assert client.post(step_url(session, 6), step_data(session, 6, kind="")).status_code == 429
    assert ReflectionResponse.objects.filter(session=session).count() == 2
    stored = " ".join(f"{row.key} {row.hits}" for row in RateCounter.objects.all())
    assert PHONE_IP not in stored and "iPhone" not in stored and stored.endswith(" 2")


def test_join_codes_have_six_unmistakable_characters_and_typing_is_forgiving(people):
    codes = {make_session(people, f"Sessie {i}").code for i in range(40)}
    assert all(len(code) == 6 for code in codes)
    assert not set("".join(codes)) & set("0O1lIi")
    assert set("".join(codes)) <= set(JOIN_CODE_ALPHABET)
    session = make_session(people)
    typed = f" {session.code[:3].lower()}-{session.code[3:].lower()} "
    response = phone().get(reverse("actieplan:reflection_join"), {"code": typed})
    assert response.status_code == 302 and session.code in response.url


def test_an_unknown_code_and_a_closed_session_get_a_dutch_page(people):
    assert phone().get(reverse("actieplan:reflection_step", kwargs={"code": "ZZZZZZ", "step": 1})).status_code == 404
    session = make_session(people)
    client = phone()
    client.post(step_url(session, 1), step_data(session, 1))
    session.close()
    response = client.post(step_url(session, 2), step_data(session, 2))
    assert "Deze sessie is gesloten" in response.content.decode()
    assert ReflectionResponse.objects.count() == 0


# --- the facilitator ---------------------------------------------------------------------------

def test_the_projector_view_shows_qr_join_code_and_a_count_that_refreshes_without_javascript(people):
    session = make_session(people)
    fill_all(phone(), session)
    client = Client()
    client.force_login(people.procesbewaker)
    detail = client.get(reverse("actieplan:reflection_detail", args=[session.pk])).content.decode()
    assert "Volledig scherm voor de beamer" in detail and session.code in detail
    url = reverse("actieplan:reflection_project", args=[session.pk])
    html = client.get(url).content.decode()
    assert "<svg" in html and session.code[:3] in html and session.code[3:] in html
    assert "1 vragenlijst ingevuld" in html
    assert '<meta http-equiv="refresh" content="10">' in html and "<script" not in html
    assert "site-nav" not in html
    assert 'http-equiv="refresh"' not in client.get(url + "?verversen=uit").content.decode()
    # Outside the partnership: 404.
    outsider = Client()
    outsider.force_login(people.outsider)
    assert outsider.get(url).status_code == 404


def test_closing_asks_for_confirmation_first(people):
    session = make_session(people)
    client = Client()
    client.force_login(people.procesbewaker)
    url = reverse("actieplan:reflection_close", args=[session.pk])
    assert f'href="{url}"' in client.get(reverse("actieplan:reflection_detail", args=[session.pk])).content.decode()
    html = client.get(url).content.decode()
    assert "Sessie sluiten?" in html and "Ja, sessie sluiten" in html and "niet ongedaan maken" in html
    session.refresh_from_db()
    assert session.is_open  # looking at the question closes nothing
    client.post(url)
    session.refresh_from_db()
    assert not session.is_open


def test_a_nul_in_a_comment_never_locks_a_participant_out(people):
    """A NUL typed (or pasted) into a comment is refused with a Dutch 400 before it reaches the draft; a draft
    that still holds one from before is cleaned when the answers are recorded, so the last step works."""
    from urllib.parse import urlencode

    session = make_session(people)
    client = phone()
    data = step_data(session, 1, comment="voor\x00na")
    response = client.post(step_url(session, 1), urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "stuurtekens" in response.content.decode()

    for step in range(1, 6):
        assert client.post(step_url(session, step), step_data(session, step)).status_code == 302
    stored = client.session
    draft = stored["reflectie_concept"][str(session.pk)]
    first = next(iter(draft["answers"]))
    draft["answers"][first] = ["4", "oud concept met \x00 erin"]
    stored.save()
    response = client.post(step_url(session, 6), step_data(session, 6))
    assert response.status_code == 302 and response["Location"].endswith("/bedankt/")
    comments = list(ReflectionResponse.objects.get().scores.exclude(comment="").values_list("comment", flat=True))
    assert comments == ["oud concept met  erin"]
