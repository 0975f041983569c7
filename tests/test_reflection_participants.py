"""One answer set per participant that a single client cannot multiply, without names, addresses or devices.

The finding: with a fresh cookie and another User-Agent each time, one client took a session from 0 to 22 answer
sets in under a minute. Now a facilitator can hand out personal codes (each works once and is not linked to the
answers), set an expected number of participants (more is refused and counted) and void a burst of answer sets.
"""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from actieplan.models import ReflectionResponse, ReflectionSession, ReflectionTicket
from tests.test_reflection_phone import fill_all, step_data, step_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def make_session(people, title="Reflectie met codes"):
    return ReflectionSession.objects.create(partnership=people.partnership, title=title,
                                            date=datetime.date(2026, 10, 6), facilitator=people.procesbewaker)


def fresh_client(n):
    """A client that cleared its cookies and changed its browser: what the attacker did."""
    return Client(HTTP_USER_AGENT=f"Mozilla/5.0 Stopper/{n}", REMOTE_ADDR="198.51.100.7")


def answer_url(session):
    return reverse("actieplan:reflection_answer", kwargs={"code": session.code})


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def make_codes(people, session, count):
    response = logged_in(people.procesbewaker).post(
        reverse("actieplan:reflection_tickets", args=[session.pk]), {"aantal": str(count)})
    assert response.status_code == 302
    return list(ReflectionTicket.objects.filter(session=session).values_list("code", flat=True))


def test_with_personal_codes_one_client_cannot_multiply_its_answer_set(people):
    session = make_session(people)
    first, second = make_codes(people, session, 2)
    page = logged_in(people.procesbewaker).get(reverse("actieplan:reflection_tickets", args=[session.pk]))
    assert first in page.content.decode() and second in page.content.decode()

    client = fresh_client(1)
    assert client.get(answer_url(session), {"kaart": first.lower()}).status_code == 302  # typing is forgiving
    fill_all(client, session)
    assert ReflectionResponse.objects.filter(session=session).count() == 1

    # Cookies cleared, another browser: without a code there is no questionnaire, only a Dutch request for one.
    again = fresh_client(2)
    html = again.get(step_url(session, 1)).content.decode()
    assert "persoonlijke code" in html and "Stap 1 van 6" not in html
    # The used code does not work a second time.
    refused = again.get(answer_url(session), {"kaart": first})
    assert refused.status_code == 403 and "al gebruikt" in refused.content.decode()
    for step in range(1, 7):
        again.post(step_url(session, step), step_data(session, step, kind="" if step == 6 else None))
    assert ReflectionResponse.objects.filter(session=session).count() == 1
    # Used codes drop off the facilitator's printable list.
    page = logged_in(people.procesbewaker).get(reverse("actieplan:reflection_tickets", args=[session.pk]))
    assert first not in page.content.decode() and second in page.content.decode()

    # The second code gives exactly one more answer set.
    third = fresh_client(3)
    third.get(answer_url(session), {"kaart": second})
    fill_all(third, session)
    assert ReflectionResponse.objects.filter(session=session).count() == 2
    assert not ReflectionTicket.objects.filter(session=session, used=False).exists()


def test_a_code_shared_by_two_phones_counts_once_and_the_second_keeps_its_answers(people):
    session = make_session(people)
    code, = make_codes(people, session, 1)
    phone_a, phone_b = fresh_client("a"), fresh_client("b")
    phone_a.get(answer_url(session), {"kaart": code})
    phone_b.get(answer_url(session), {"kaart": code})
    for step in range(1, 6):
        phone_b.post(step_url(session, step), step_data(session, step, score="2"))
    fill_all(phone_a, session)
    response = phone_b.post(step_url(session, 6), step_data(session, 6, score="2", kind=""))
    assert response.status_code == 200
    html = response.content.decode()
    assert "persoonlijke code nodig die nog niet gebruikt is" in html and "antwoorden staan hieronder nog" in html
    assert ReflectionResponse.objects.filter(session=session).count() == 1
    # With a new code from the facilitator, phone b hands in what it had filled in.
    new_code = [c for c in make_codes(people, session, 1) if c != code][0]
    phone_b.get(step_url(session, 6), {"kaart": new_code})
    assert phone_b.post(step_url(session, 6), step_data(session, 6, score="2", kind="")).status_code == 302
    assert ReflectionResponse.objects.filter(session=session).count() == 2


@pytest.mark.parametrize("typed", ["ONZIN123", "x" * 5000, "' OR 1=1 --", "ÄÖÜ€", "%"])
def test_a_wrong_code_gets_a_dutch_page_never_a_500(people, typed):
    session = make_session(people)
    make_codes(people, session, 1)
    response = fresh_client(1).get(answer_url(session), {"kaart": typed})
    assert response.status_code == 403
    assert "hoort niet bij deze sessie of is al gebruikt" in response.content.decode()


def test_a_code_of_another_session_does_not_open_this_one(people):
    session, other = make_session(people), make_session(people, "Andere sessie")
    other_code, = make_codes(people, other, 1)
    make_codes(people, session, 1)
    assert fresh_client(1).get(answer_url(session), {"kaart": other_code}).status_code == 403


def test_the_open_link_keeps_working_until_codes_are_made(people):
    session = make_session(people)
    fill_all(fresh_client(1), session)
    assert ReflectionResponse.objects.filter(session=session).count() == 1
    make_codes(people, session, 3)
    assert "persoonlijke code" in fresh_client(2).get(step_url(session, 1)).content.decode()


def test_a_code_is_not_linked_to_the_answers_and_nothing_identifies_a_participant(people):
    assert {f.name for f in ReflectionTicket._meta.get_fields()} == {"id", "session", "code", "used"}
    stored = {f.name for f in ReflectionResponse._meta.get_fields()}
    assert not stored & {"ip", "ip_address", "address", "user_agent", "device", "name", "ticket"}


def test_only_the_partnerships_facilitators_make_codes_or_see_arrivals(people, other_people):
    session = make_session(people)
    for user in (people.bestuurder, people.owner, people.outsider, other_people.procesbewaker):
        client = logged_in(user)
        assert client.post(reverse("actieplan:reflection_tickets", args=[session.pk]), {"aantal": "5"}).status_code == 404
        assert client.get(reverse("actieplan:reflection_arrivals", args=[session.pk])).status_code == 404
    assert not ReflectionTicket.objects.exists()
    for bad in ("", "0", "501", "vijf", "1e3"):
        response = logged_in(people.werkgroeplid).post(reverse("actieplan:reflection_tickets", args=[session.pk]),
                                                       {"aantal": bad}, follow=True)
        assert response.status_code == 200 and "Vul een aantal codes in van 1 tot en met 500" in response.content.decode()
    assert not ReflectionTicket.objects.exists()


def test_the_expected_number_caps_the_session_and_refusals_show_on_its_page(people):
    session = make_session(people)
    facilitator = logged_in(people.procesbewaker)
    for bad, message in (("0", "1 of meer"), ("9999", "hooguit 500"), ("twee", "heel getal")):
        page = facilitator.post(reverse("actieplan:reflection_expected", args=[session.pk]),
                                {"expected_participants": bad}, follow=True)
        assert message in page.content.decode()
    facilitator.post(reverse("actieplan:reflection_expected", args=[session.pk]), {"expected_participants": "2"})
    fill_all(fresh_client(1), session)
    fill_all(fresh_client(2), session)
    late = fresh_client(3)
    for step in range(1, 6):
        late.post(step_url(session, step), step_data(session, step))
    response = late.post(step_url(session, 6), step_data(session, 6, kind=""))
    assert "verwachte aantal deelnemers heeft deze vragenlijst al ingevuld" in response.content.decode()
    assert ReflectionResponse.objects.filter(session=session).count() == 2
    detail = facilitator.get(reverse("actieplan:reflection_detail", args=[session.pk])).content.decode()
    assert "2 van 2 verwacht" in detail and "1 inzending is geweigerd" in detail
    # Raising the number lets the late participant in, answers kept.
    facilitator.post(reverse("actieplan:reflection_expected", args=[session.pk]), {"expected_participants": "3"})
    assert late.post(step_url(session, 6), step_data(session, 6, kind="")).status_code == 302
    assert ReflectionResponse.objects.filter(session=session).count() == 3


def test_the_facilitator_voids_a_burst_of_answer_sets_while_the_session_is_open(people):
    session = make_session(people)
    for n in range(4):
        fill_all(fresh_client(n), session)
    facilitator = logged_in(people.procesbewaker)
    url = reverse("actieplan:reflection_arrivals", args=[session.pk])
    page = facilitator.get(url)
    minutes = [row["minute"] for row in page.context["rows"]]
    assert sum(row["count"] for row in page.context["rows"]) == 4
    assert facilitator.post(url, {"minuut": ["2001-01-01T00:00", "\u00ff"]}, follow=True).status_code == 200
    assert ReflectionResponse.objects.filter(session=session).count() == 4  # nothing chosen that exists
    response = facilitator.post(url, {"minuut": minutes}, follow=True)
    assert "4 ingevulde vragenlijsten zijn ongeldig gemaakt" in response.content.decode()
    assert not ReflectionResponse.objects.filter(session=session).exists()
