"""Hostile input never gives a server error, and nothing already saved is lost (issue 25).

Notes and descriptions have a maximum with a Dutch message (a 2,000,000-character note once landed on a timeline
where it could be neither edited nor deleted); a deadline on the last day a date can hold no longer breaks the
owner's calendar feed. The sweep over every URL pattern with NUL bytes, quotes, year 1 and huge ids is in
tests/test_fuzz.py.
"""

import datetime

import pytest
from django.urls import reverse

from actieplan.models import Action, ActionUpdate, Profile
from actieplan.reminders.emails import make_update_token
from tests.factories import action_form_data, make_action
from tests.meeting_factories import make_item, make_meeting

pytestmark = pytest.mark.django_db

HUGE_NOTE = "Lang verhaal. " * 150_000  # 2.1 million characters


def test_a_two_million_character_note_gets_a_dutch_message_and_nothing_is_saved(client, people):
    action = make_action(people.partnership, people.owner)
    client.force_login(people.owner)
    response = client.post(reverse("actieplan:action_detail", args=[action.pk]), {"note": HUGE_NOTE})
    assert response.status_code == 200
    assert "er passen er hooguit 5.000 in" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_the_same_limit_holds_through_the_link_in_a_reminder(client, people):
    action = make_action(people.partnership, people.owner)
    url = reverse("actieplan:reminder_update", args=[make_update_token(action, people.owner)])
    response = client.post(url, {"note": "x" * 5001})
    assert response.status_code == 200 and "hooguit 5.000" in response.content.decode()
    assert not ActionUpdate.objects.exists()
    assert client.post(url, {"note": "x" * 5000}).status_code == 200
    assert ActionUpdate.objects.count() == 1


def test_a_description_over_the_limit_is_refused_on_the_form_with_the_typed_text_kept(client, people):
    action = make_action(people.partnership, people.owner)
    client.force_login(people.procesbewaker)
    long_text = "Omschrijving " * 1000  # 13,000 characters
    response = client.post(reverse("actieplan:action_edit", args=[action.pk]),
                           action_form_data(action, description=long_text, title="Nieuwe titel"))
    html = response.content.decode()
    assert response.status_code == 200 and "hooguit 10.000" in html and "Nieuwe titel" in html
    action.refresh_from_db()
    assert action.description == "" and action.title != "Nieuwe titel"


def test_minutes_notes_and_decisions_have_a_limit_too(client, people):
    meeting = make_meeting(people.partnership, chair=people.procesbewaker)
    item = make_item(meeting)
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:meeting_item_note", args=[meeting.pk, item.pk]),
                           {f"notitie-{item.pk}-notes": "n" * 20_001})
    assert response.status_code == 400 and "hooguit 20.000" in response.content.decode()
    item.refresh_from_db()
    assert item.notes == ""


def test_a_deadline_on_the_last_possible_day_does_not_break_the_calendar_feed(client, people):
    make_action(people.partnership, people.owner, title="Gewone actie")
    far = make_action(people.partnership, people.owner, title="Actie van een oud script")
    Action.objects.filter(pk=far.pk).update(deadline=datetime.date.max)  # from before the ten-year rule
    token = Profile.for_user(people.owner).calendar_token
    response = client.get(reverse("actieplan:calendar_feed", args=[token]))
    assert response.status_code == 200
    feed = response.content.decode()
    assert "Gewone actie" in feed and "Actie van een oud script" in feed
