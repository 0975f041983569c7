"""Access follows membership: every way into a partnership's data asks who the person is *now*.

The matrix: each kind of token or path (the reminder's update link, the check-in link, the calendar feed, the
unsubscribe link, the pages after logging in, and the mails decided earlier and sent later) × each state of the
person it was made for: still a member, removed from the partnership, account deactivated, moved to another
partnership, or the partnership archived. A link keeps working exactly as long as the person may still read
(and, for an update, change) what it shows.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actieplan.meetings import emails as meeting_emails
from actieplan.models import (
    ActionStatus, ActionUpdate, CheckInAnswer, Membership, Profile, Reminder, ReminderKind, Role,
)
from actieplan.reminders import emails
from actieplan.reminders.scan import iso_week
from tests.factories import add_member, make_action, make_organisation
from tests.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db

STATES = ["lid", "vertrokken", "gedeactiveerd", "ander_verband", "gearchiveerd"]
TITLE = "Warme overdracht vso-mbo in Helmond"
MEETING = "Werkgroep januari Helmond"


@pytest.fixture
def world(people, other_people):
    """The owner (a deelnemer of partnership A) with an open action, invited to a coming meeting and to one whose
    minutes were closed; every token made while they were a member."""
    person = people.owner
    action = make_action(people.partnership, person, title=TITLE, deadline=timezone.localdate()
                         + datetime.timedelta(days=7))
    coming = make_meeting(people.partnership, timezone.now() + datetime.timedelta(days=2), title=MEETING,
                          invited=[person, people.procesbewaker])
    closed = make_meeting(people.partnership, timezone.now() - datetime.timedelta(days=2), title="Afgesloten overleg",
                          invited=[person])
    type(closed).objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    return {
        "people": people, "other": other_people, "person": person, "action": action, "coming": coming,
        "closed": closed,
        "update_token": emails.make_update_token(action, person),
        "checkin_token": meeting_emails.make_checkin_token(coming, person),
        "unsubscribe_token": emails.make_unsubscribe_token(person),
        "feed_token": Profile.for_user(person).calendar_token,
    }


def apply_state(world, state):
    people, person = world["people"], world["person"]
    if state == "vertrokken":
        Membership.objects.filter(user=person, partnership=people.partnership).delete()
    elif state == "gedeactiveerd":
        person.is_active = False
        person.save(update_fields=["is_active"])
    elif state == "ander_verband":
        Membership.objects.filter(user=person, partnership=people.partnership).delete()
        add_member(world["other"].partnership, person, make_organisation(world["other"].partnership), Role.DEELNEMER)
    elif state == "gearchiveerd":
        people.partnership.archived = True
        people.partnership.save(update_fields=["archived"])


# --- links without a login ---------------------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
def test_reminder_update_link(client, world, state):
    apply_state(world, state)
    url = reverse("actieplan:reminder_update", args=[world["update_token"]])
    page = client.get(url)
    posted = client.post(url, {"note": "Afgerond via de link", "new_status": ActionStatus.AFGEROND})
    world["action"].refresh_from_db()
    if state == "lid":
        assert page.status_code == 200 and TITLE in page.content.decode()
        assert posted.status_code == 200 and world["action"].status == ActionStatus.AFGEROND
    else:
        assert page.status_code == 403 and TITLE not in page.content.decode()
        assert posted.status_code == 403
        assert world["action"].status == ActionStatus.OPEN and not ActionUpdate.objects.exists()


@pytest.mark.parametrize("state", STATES)
def test_checkin_link(client, world, state):
    apply_state(world, state)
    url = reverse("actieplan:meeting_checkin", args=[world["checkin_token"]])
    page = client.get(url)
    posted = client.post(url, {f"actie_{world['action'].pk}": "Loopt, afspraak met Summa staat"})
    if state == "lid":
        assert page.status_code == 200 and TITLE in page.content.decode()
        assert posted.status_code == 200 and CheckInAnswer.objects.count() == 1
    else:
        assert page.status_code == 403 and TITLE not in page.content.decode()
        assert posted.status_code == 403 and not CheckInAnswer.objects.exists()


@pytest.mark.parametrize("state", STATES)
def test_calendar_feed(client, world, state):
    apply_state(world, state)
    response = client.get(reverse("actieplan:calendar_feed", args=[world["feed_token"]]))
    if state == "gedeactiveerd":
        assert response.status_code == 404
        return
    assert response.status_code == 200
    feed = response.content.decode()
    shown = state == "lid"
    assert (TITLE in feed) is shown and (MEETING in feed) is shown, feed


@pytest.mark.parametrize("state", STATES)
def test_unsubscribe_link_always_stops_the_digest_and_shows_nothing_of_the_plan(client, world, state):
    apply_state(world, state)
    url = reverse("actieplan:digest_unsubscribe", args=[world["unsubscribe_token"]])
    assert TITLE not in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 200 and TITLE not in response.content.decode()
    assert Profile.for_user(world["person"]).digest_enabled is False


# --- pages after logging in ----------------------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
def test_pages_after_logging_in(client, world, state):
    client.force_login(world["person"])  # logged in while a member; the session outlives the membership
    apply_state(world, state)
    pages = {
        "actie": reverse("actieplan:action_detail", args=[world["action"].pk]),
        "overleg": reverse("actieplan:meeting_detail", args=[world["coming"].pk]),
        "verslag": reverse("actieplan:meeting_minutes", args=[world["closed"].pk]),
    }
    for name, url in pages.items():
        response = client.get(url)
        if state == "lid":
            assert response.status_code == 200, name
        elif state == "gedeactiveerd":
            assert response.status_code == 302 and "/inloggen/" in response["Location"], name
        else:
            assert response.status_code == 404, name
    listing = client.get(reverse("actieplan:action_list"))
    assert (TITLE in listing.content.decode()) is (state == "lid")


# --- mails decided earlier, sent later ------------------------------------------------------------------

def _decided(world, kind, period, action=None):
    person = world["person"]
    return Reminder.objects.create(key=Reminder.make_key(kind, period, person.pk, action.pk if action else None),
                                   action=action, kind=kind, period=period, recipient=person, email=person.email)


def _deliver(world, state, kind):
    """Decide the mail while the person is a member, change the state, then send it."""
    action, coming, closed = world["action"], world["coming"], world["closed"]
    reminder = {
        "deadline": lambda: _decided(world, ReminderKind.BEFORE_DEADLINE, f"{action.deadline}/7d", action),
        "checkin": lambda: _decided(world, ReminderKind.CHECKIN, coming.reminder_period),
        "minutes": lambda: _decided(world, ReminderKind.MINUTES, closed.reminder_period),
        "digest": lambda: _decided(world, ReminderKind.DIGEST, iso_week(timezone.localdate())),
    }[kind]()
    apply_state(world, state)
    mail.outbox.clear()
    outcome = emails.deliver(reminder.pk)
    reminder.refresh_from_db()
    return outcome, mail.outbox, reminder


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("kind", ["deadline", "checkin", "minutes"])
def test_mails_about_the_partnership_are_asked_again_when_sent(world, state, kind):
    outcome, sent, reminder = _deliver(world, state, kind)
    if state == "lid":
        assert outcome == emails.SENT and len(sent) == 1
    else:
        assert outcome == emails.CANCELLED and sent == [], (kind, state)
        assert reminder.last_error  # the log says why it was not sent


@pytest.mark.parametrize("state", STATES)
def test_the_digest_shows_only_what_the_person_may_read_when_it_is_sent(world, state):
    outcome, sent, _reminder = _deliver(world, state, "digest")
    if state == "lid":
        assert outcome == emails.SENT and TITLE in sent[0].body
    elif state == "ander_verband":  # still a member elsewhere: a digest of that partnership, nothing of A
        assert outcome == emails.SENT and TITLE not in sent[0].body
    else:
        assert outcome == emails.CANCELLED and sent == []


def test_an_archived_partnership_ends_an_owners_access_in_the_front_end_too(client, world):
    """``can_view_action`` and ``can_update_action`` apply archiving to owners, as the list does."""
    from actieplan.partnerships.permissions import can_update_action, can_view_action

    apply_state(world, "gearchiveerd")
    action, person = world["action"], world["person"]
    assert not can_view_action(person, action) and not can_update_action(person, action)
    client.force_login(person)
    assert client.post(reverse("actieplan:action_status", args=[action.pk]),
                       {"status": ActionStatus.AFGEROND}).status_code == 404
