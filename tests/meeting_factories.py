"""Builders for meetings in tests: a meeting of a partnership, an agenda item, a sent check-in."""

import datetime

from django.utils import timezone

from actieplan.models import AgendaItem, Meeting, MeetingKind, Reminder, ReminderKind


def moment(days=0, hour=14, minute=0):
    """An aware datetime ``days`` from today at ``hour:minute`` local time."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_meeting(partnership, starts_at=None, *, kind=MeetingKind.WERKGROEP, chair=None, invited=(), **fields):
    meeting = Meeting.objects.create(partnership=partnership, kind=kind, starts_at=starts_at or moment(7),
                                     chair=chair, **fields)
    if invited:
        meeting.invited.set(invited)
    return meeting


def make_item(meeting, title="Agendapunt", **fields):
    position = meeting.items.count() + 1
    return AgendaItem.objects.create(meeting=meeting, title=title, position=position, **fields)


def mark_checkin_sent(meeting, user):
    """The check-in mail to ``user`` for ``meeting`` is in the log as sent (as after a real delivery)."""
    return Reminder.objects.create(
        key=Reminder.make_key(ReminderKind.CHECKIN, meeting.reminder_period, user.pk), kind=ReminderKind.CHECKIN,
        period=meeting.reminder_period, recipient=user, email=user.email, sent_at=timezone.now(), attempts=1)
