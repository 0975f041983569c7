"""Following, where the date matters: what became overdue since the last visit, and the weekly digest's week
(one line per change, each change in exactly one digest). Runs at the moments of conftest.ANY_DAY_MOMENTS."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actieplan.actions import services
from actieplan.following import emails as follow_emails, since
from actieplan.models import Change, ChangeKind, Follow, FollowerSettings, MailChoice
from actieplan.meetings import minutes
from actieplan.reminders import scan
from actieplan.reminders.emails import deliver
from tests.factories import make_action
from tests.meeting_factories import make_meeting, moment
from tests.test_following import action, choose, committed, follow_mails  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_since_shows_what_one_owns_was_given_became_overdue_and_the_minutes(client, people, other_people):
    seen = timezone.now() - datetime.timedelta(days=3)
    FollowerSettings.objects.create(user=people.owner, seen_at=seen)
    late = make_action(people.partnership, people.owner, title="Loopbaandossier bijwerken", created_by=people.owner,
                       deadline=timezone.localdate() - datetime.timedelta(days=1))
    make_action(people.partnership, people.owner, title="Al lang te laat", created_by=people.owner,
                deadline=timezone.localdate() - datetime.timedelta(days=10))
    given = make_action(people.partnership, people.owner, title="Nieuwe actie voor Otto",
                        created_by=people.procesbewaker)
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=1), invited=[people.owner],
                           created_by=people.procesbewaker)
    minutes.close_meeting(meeting, people.procesbewaker, carry_open=False)
    theirs = make_action(other_people.partnership, other_people.owner, title="Van een ander verband",
                         created_by=other_people.procesbewaker)
    Follow.objects.create(user=people.owner, action=theirs)  # may not read it: never shown
    services.add_update(theirs, other_people.owner, "Geheim.")
    client.force_login(people.owner)
    response = client.get(reverse("actieplan:since"))
    titles = {item.title for item in response.context["items"]}
    assert {"Loopbaandossier bijwerken", "Nieuwe actie voor Otto", str(meeting)} <= titles
    assert "Al lang te laat" not in titles and "Van een ander verband" not in titles
    summary = response.context["summary"]
    assert (summary.overdue, summary.assigned, summary.minutes) == (1, 1, 1)
    assert late.pk and given.pk
    assert since.count(people.owner) == summary.total


def last_week(now):
    start, _end = follow_emails.digest_window(now)
    return start + datetime.timedelta(days=2)


def test_the_weekly_digest_has_one_line_per_change_of_its_week(people, action, committed):
    follow = Follow.objects.create(user=people.bestuurder, action=action)
    # Followed since before last week (changes count from when one started to follow).
    Follow.objects.filter(pk=follow.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    choose(people.bestuurder, MailChoice.WEEKLY)
    with committed():
        services.add_update(action, people.owner, "Notitie van vorige week.")
        services.add_update(action, people.owner, "Notitie van deze week.")
    first, second = Change.objects.filter(action=action, kind=ChangeKind.NOTE).order_by("pk")
    now = timezone.now()
    Change.objects.filter(pk=first.pk).update(created_at=last_week(now))
    assert follow_mails(people.bestuurder) == []  # weekly: no mail at once
    assert people.bestuurder.pk in follow_emails.digest_recipients(now)
    lines = follow_emails.digest_changes(people.bestuurder, now)
    assert [line["change"].pk for line in lines] == [first.pk]
    # This week's change is in next week's digest.
    assert [line["change"].pk for line in follow_emails.digest_changes(
        people.bestuurder, now + datetime.timedelta(days=7))] == [second.pk]
    # The digest mail itself, decided once however often the Monday task runs.
    mail.outbox.clear()
    ids = scan.scan(now, digests=True, deadlines=False).new_ids
    assert scan.scan(now, digests=True, deadlines=False).new_ids == []
    for reminder_id in ids * 2:
        deliver(reminder_id)
    digest = [m for m in mail.outbox if m.to == [people.bestuurder.email]]
    assert len(ids) >= 1 and len(digest) == 1
    assert "Wat er veranderde in wat je volgt" in digest[0].body
    assert digest[0].body.count("Stagebank voor het vso:") == 1


def test_a_change_mailed_at_once_is_not_repeated_in_the_digest(people, action, committed):
    Follow.objects.create(user=people.bestuurder, action=action)
    with committed():
        services.add_update(action, people.owner, "Al gemaild.")
    change = Change.objects.get(action=action, kind=ChangeKind.NOTE)
    now = timezone.now()
    Change.objects.filter(pk=change.pk).update(created_at=last_week(now))
    choose(people.bestuurder, MailChoice.WEEKLY)  # changed their mind afterwards
    assert follow_emails.digest_changes(people.bestuurder, now) == []
