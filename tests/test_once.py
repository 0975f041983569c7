"""Every create happens once: a double click, Back-and-resubmit or a retried request makes one row.

For each form that creates something, the same POST is sent twice: one after the other (Back and send again, on
either database), and twice at the same moment from two threads against a live server on PostgreSQL (a double
click, a retried request). Each time there is one action, one note, one board status note, one decision with
its action, one answer set, one import; the second request says so instead of failing.
"""

import datetime
import re
import threading
import uuid

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actieplan import submissions
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, AgendaItem, CheckInAnswer, Decision, ImportReceipt, MandateLevel, Meeting,
    ReflectionResponse, ReflectionSession, ReflectionTheme,
)
from actieplan.meetings import emails as meeting_emails
from actieplan.reminders import emails
from tests.factories import make_action, make_people, make_user
from tests.meeting_factories import make_item, make_meeting, moment
from tests.test_exchange import csv_file, row, upload

CSRF = "k" * 32


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def key():
    return uuid.uuid4().hex


# --- the create endpoints, each: who sends what where, and what to count ------------------------------

class Endpoint:
    """One form that creates something: ``prepare(people, client)`` returns (user or None, path, data, count)."""

    def __init__(self, name, prepare):
        self.name, self.prepare = name, prepare

    def __repr__(self):
        return self.name


def _new_action(people, client):
    theme = ReflectionTheme.objects.order_by("sort_order").first()
    data = {"title": "LOB-dag met het mbo", "description": "", "partnership": people.partnership.pk,
            "theme": theme.pk, "question": "", "source_session": "", "board": "", "owner": people.owner.pk,
            "owner_organisation": "", "mandate_level": MandateLevel.UITVOEREND, "deadline": day(30).isoformat(),
            "weight": "", "parent": "", submissions.FIELD: key()}
    return people.werkgroeplid, reverse("actieplan:action_create"), data, \
        lambda: Action.objects.filter(title="LOB-dag met het mbo").count()


def _note(people, client):
    action = make_action(people.partnership, people.owner)
    data = {"note": "Gesprek met Summa gevoerd.", "new_status": "", "percent_done": "30",
            "seen_status": "open", submissions.FIELD: key()}
    return people.owner, reverse("actieplan:action_detail", args=[action.pk]), data, \
        lambda: ActionUpdate.objects.filter(action=action).count()


def _note_by_mail(people, client):
    action = make_action(people.partnership, people.owner)
    token = emails.make_update_token(action, people.owner)
    data = {"note": "Offerte aangevraagd.", "new_status": "", "percent_done": "", "seen_status": "open",
            submissions.FIELD: key()}
    return None, reverse("actieplan:reminder_update", args=[token]), data, \
        lambda: ActionUpdate.objects.filter(action=action).count()


def _board_status(people, client):
    action = make_action(people.partnership, people.owner)
    data = {"status": ActionStatus.BEZIG, "van": ActionStatus.OPEN, "next": reverse("actieplan:action_board"),
            submissions.FIELD: key()}
    return people.werkgroeplid, reverse("actieplan:action_status", args=[action.pk]), data, \
        lambda: ActionUpdate.objects.filter(action=action).count()


def _decision(people, client):
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=5), chair=people.procesbewaker)
    item = make_item(meeting, "Stages")
    theme = ReflectionTheme.objects.order_by("sort_order").first()
    fields = {"text": "Summa regelt twintig stageplekken.", "outcome": "actie", "title": "", "owner": people.owner.pk,
              "mandate_level": MandateLevel.UITVOEREND, "deadline": day(20).isoformat(), "theme": theme.pk,
              submissions.FIELD: key()}
    data = {f"besluit-{item.pk}-{name}": value for name, value in fields.items()}
    return people.procesbewaker, reverse("actieplan:meeting_decision", args=[meeting.pk, item.pk]), data, \
        lambda: (Decision.objects.filter(item=item).count(),
                 Action.objects.filter(title="Summa regelt twintig stageplekken.").count())


def _agenda_item(people, client):
    meeting = make_meeting(people.partnership, moment(3), chair=people.procesbewaker)
    data = {"nieuw-title": "Rondvraag", "nieuw-description": "", f"nieuw-{submissions.FIELD}": key()}
    return people.procesbewaker, reverse("actieplan:meeting_item_add", args=[meeting.pk]), data, \
        lambda: AgendaItem.objects.filter(meeting=meeting, title="Rondvraag").count()


def _meeting(people, client):
    data = {"partnership": people.partnership.pk, "kind": "werkgroep", "title": "Extra werkgroepoverleg",
            "date": day(9).isoformat(), "time": "14:00", "duration_minutes": "90", "location": "Summa",
            "chair": people.procesbewaker.pk, "invited": [people.werkgroeplid.pk], submissions.FIELD: key()}
    return people.procesbewaker, reverse("actieplan:meeting_create"), data, \
        lambda: Meeting.objects.filter(title="Extra werkgroepoverleg").count()


def _check_in(people, client):
    meeting = make_meeting(people.partnership, moment(2), chair=people.procesbewaker)
    action = make_action(people.partnership, people.owner)
    token = meeting_emails.make_checkin_token(meeting, people.owner)
    data = {f"actie_{action.pk}": "Loopt, offerte binnen.", submissions.FIELD: key()}
    return None, reverse("actieplan:meeting_checkin", args=[token]), data, \
        lambda: (CheckInAnswer.objects.filter(action=action).count(),
                 ActionUpdate.objects.filter(action=action).count())


def _new_action_in_admin(people, client):
    _user, _path, data, count = _new_action(people, client)
    admin = make_user(f"beheerder_{uuid.uuid4().hex[:6]}", is_superuser=True, is_staff=True)
    data = {**data, "status": "open", "title": "LOB-dag met het mbo"}
    return admin, reverse("actieplan_actions:add"), data, count


def _import(people, client):
    client.force_login(people.procesbewaker)
    response = upload(client, people, csv_file([row(people, "Geïmporteerde actie")]))
    data = {"token": response.context["token"], "confirm": "1"}
    return people.procesbewaker, reverse("actieplan:action_import"), data, \
        lambda: (Action.objects.filter(title="Geïmporteerde actie").count(), ImportReceipt.objects.count())


ENDPOINTS = [Endpoint(name, prepare) for name, prepare in (
    ("actie", _new_action), ("actie in het beheer", _new_action_in_admin), ("notitie", _note), ("notitie via de mail", _note_by_mail),
    ("status op het bord", _board_status), ("besluit met actie", _decision), ("agendapunt", _agenda_item),
    ("overleg", _meeting), ("check-in", _check_in), ("import", _import))]


def _one(count):
    value = count()
    return all(n == 1 for n in value) if isinstance(value, tuple) else value in (1,)


# --- Back and send again (both databases) ---------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_the_same_post_sent_again_creates_nothing_more(client, people, endpoint):
    user, path, data, count = endpoint.prepare(people, client)
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    first = client.post(path, data)
    assert first.status_code in (200, 302), first.content.decode()[:500]
    before = count()
    second = client.post(path, data, follow=True)
    assert second.status_code == 200
    assert count() == before and _one(count), count()


@pytest.mark.django_db
def test_a_new_form_after_a_save_is_a_new_submission(client, people):
    """The key belongs to one rendered form: the next note from a freshly opened page is saved too."""
    action = make_action(people.partnership, people.owner)
    client.force_login(people.owner)
    url = reverse("actieplan:action_detail", args=[action.pk])
    for note in ("Eerste stap gezet.", "Tweede stap gezet."):
        form = client.get(url).context["form"]
        client.post(url, {"note": note, "new_status": "", "percent_done": "", "seen_status": "open",
                          submissions.FIELD: form[submissions.FIELD].value()})
    assert list(action.updates.values_list("note", flat=True)) == ["Eerste stap gezet.", "Tweede stap gezet."]


@pytest.mark.django_db
def test_a_post_without_a_key_is_recognised_by_its_content(client, people):
    """A page from before the one-time key: the same note twice within minutes is one note."""
    action = make_action(people.partnership, people.owner)
    client.force_login(people.owner)
    url = reverse("actieplan:action_detail", args=[action.pk])
    for _ in range(2):
        client.post(url, {"note": "Gebeld met de gemeente.", "new_status": "", "percent_done": ""})
    client.post(url, {"note": "Nog een keer gebeld.", "new_status": "", "percent_done": ""})
    assert action.updates.count() == 2


@pytest.mark.django_db
def test_a_refused_form_can_be_sent_again_after_the_correction(client, people):
    """A validation error rolls the key's claim back: the corrected form (same key) still creates the action."""
    user, path, data, count = _new_action(people, client)
    client.force_login(user)
    response = client.post(path, {**data, "deadline": day(-3).isoformat()})
    assert response.status_code == 200 and count() == 0
    assert client.post(path, data).status_code == 302 and count() == 1


@pytest.mark.django_db
def test_the_admin_add_view_creates_one_action_per_submission(client, admin_user, people):
    theme = ReflectionTheme.objects.order_by("sort_order").first()
    client.force_login(admin_user)
    form = client.get(reverse("actieplan_actions:add")).context["form"]
    data = {"title": "Via het beheer", "description": "", "partnership": people.partnership.pk, "theme": theme.pk,
            "question": "", "source_session": "", "board": "", "owner": people.owner.pk, "owner_organisation": "",
            "mandate_level": MandateLevel.UITVOEREND, "deadline": day(20).isoformat(), "status": "open",
            submissions.FIELD: form[submissions.FIELD].value()}
    for _ in range(2):
        assert client.post(reverse("actieplan_actions:add"), data).status_code == 302
    assert Action.objects.filter(title="Via het beheer").count() == 1


# --- twice at the same moment, against a live server on PostgreSQL --------------------------------

def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two requests at once need PostgreSQL (row locks and a waiting unique index)")


def _cookies(client, user):
    cookies = {"csrftoken": CSRF}
    if user is not None:
        client.force_login(user)
        cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


def at_once(url, data, cookies, n=2):
    """Send the same POST ``n`` times at the same moment (threads released by one barrier)."""
    body = {**data, "csrfmiddlewaretoken": CSRF}
    barrier = threading.Barrier(n)
    responses, errors = [None] * n, []

    def send(i):
        try:
            barrier.wait(timeout=30)
            responses[i] = requests.post(url, data=body, cookies=cookies, allow_redirects=False, timeout=60)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=repr)
def test_the_same_post_twice_at_once_creates_one(live_server, endpoint):
    _postgresql()
    people = make_people("c")
    client = Client()
    user, path, data, count = endpoint.prepare(people, client)
    responses = at_once(live_server.url + path, data, _cookies(client, user))
    assert all(r.status_code in (200, 302) for r in responses), [(r.status_code, r.text[:300]) for r in responses]
    assert _one(count), count()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_last_reflection_step_sent_twice_at_once_stores_one_answer_set(live_server):
    _postgresql()
    people = make_people("d")
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie najaar",
                                               facilitator=people.procesbewaker)
    steps = session.themes_with_questions()
    phone = requests.Session()
    phone.cookies.set("csrftoken", CSRF)
    phone.headers["User-Agent"] = "Testtelefoon/1.0"

    def step_data(number):
        data = {"richting": "volgende", "csrfmiddlewaretoken": CSRF}
        for q in steps[number - 1][1]:
            data[f"score_{q['question_id']}"] = "4"
            data[f"comment_{q['question_id']}"] = ""
        return data

    def step_url(number):
        return live_server.url + reverse("actieplan:reflection_step", kwargs={"code": session.code, "step": number})

    for number in range(1, len(steps)):
        assert phone.post(step_url(number), data=step_data(number), timeout=60).status_code == 200
    last = {**step_data(len(steps)), "partner_kind": "school"}
    responses = at_once(step_url(len(steps)), last, phone.cookies.get_dict())
    assert all(r.status_code == 302 and "/bedankt/" in r.headers["Location"] for r in responses), \
        [(r.status_code, r.text[:300]) for r in responses]
    assert ReflectionResponse.objects.filter(session=session).count() == 1


def test_every_creating_form_renders_its_one_time_key(client, people, db):
    """The forms people actually send carry the key (a rendered field, not only an API option)."""
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=5), chair=people.procesbewaker)
    make_item(meeting, "Stages")
    action = make_action(people.partnership, people.owner)
    client.force_login(people.procesbewaker)
    for url in (reverse("actieplan:action_create"), reverse("actieplan:action_detail", args=[action.pk]),
                reverse("actieplan:action_board"), reverse("actieplan:meeting_create"),
                reverse("actieplan:meeting_detail", args=[meeting.pk])):
        html = client.get(url).content.decode()
        assert re.search(rf'name="[\w-]*{submissions.FIELD}" value="[0-9a-f]{{32}}"', html), url


def test_a_key_under_a_forms_prefix_is_the_key_and_a_repeat_long_after_is_still_one(rf, people, db):
    """A decision form's key is posted as ``besluit-<item>-eenmalig``: it is the key (no ten-minute window)."""
    request = rf.post("/overleg/1/", {"besluit-3-eenmalig": "a" * 32, "besluit-3-text": "Besluit"})
    request.user = people.procesbewaker
    stored, natural = submissions.submission_key(request, "besluit")
    assert natural is False
    submissions.SubmissionKey.objects.create(key=stored, purpose="besluit",
                                             created_at=timezone.now() - datetime.timedelta(days=3))
    with pytest.raises(submissions.Repeat):
        submissions.once(request, "besluit", lambda: pytest.fail("created twice"))
