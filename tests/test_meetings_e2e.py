"""The check-in before a meeting through the real parts: redis-server, Celery workers and an SMTP server.

Beat's hourly scan (a task message by name) decides the check-ins of a meeting two days ahead, the
workers deliver them to the SMTP server in this test, and the owner answers through the link in the
mail. Faults: two scans at once on two worker processes, and a worker SIGKILLed mid-batch and
started again. Afterwards every owner of an open action got exactly one check-in mail.

The workers share the test database, so these tests need PostgreSQL (``python -m tests.run``).
"""

import pytest
from django.urls import reverse

from actieplan.models import ActionUpdate, CheckInAnswer, Reminder, ReminderKind, Role
from tests.factories import add_member, make_action, make_user
from tests.meeting_factories import make_meeting, moment
from tests.test_reminders_e2e import (  # noqa: F401 (fixtures)
    assert_each_once, beat, kill_worker_mid_batch, needs_postgresql, smtp, start_worker, wait_until_all_sent,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def checkin_mails(smtp):
    return [(rcpt, message) for rcpt, message in smtp.received()
            if message["X-LOB-Reminder"].split(":")[1] == ReminderKind.CHECKIN]


def test_each_owner_gets_one_check_in_mail_and_the_answers_reach_the_timeline_and_the_agenda(
        client, people, redis_server, smtp, start_worker):
    meeting = make_meeting(people.partnership, moment(2), chair=people.procesbewaker,
                           title="Werkgroep: warme overdracht")
    first = make_action(people.partnership, people.owner, title="Overdrachtslijst vso-mbo", created_by=people.owner)
    second = make_action(people.partnership, people.owner, title="Stagebank vso", created_by=people.owner)
    make_action(people.partnership, people.manager, title="Ouderavond vervolgkeuze", created_by=people.manager)
    make_action(people.partnership, people.werkgroeplid, title="Meeloopdagen", created_by=people.werkgroeplid)

    start_worker(concurrency=2)
    beat(redis_server, times=2)  # two scans at once on two worker processes
    keys = wait_until_all_sent(smtp)
    assert_each_once(smtp, keys)
    mails = checkin_mails(smtp)
    assert sorted(rcpt[0] for rcpt, _m in mails) == sorted(
        [people.owner.email, people.manager.email, people.werkgroeplid.email])

    rcpt, message = next((r, m) for r, m in mails if r == [people.owner.email])
    assert message["Subject"].startswith("Check-in voor het werkgroepoverleg van ")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Overdrachtslijst vso-mbo" in text and "Stagebank vso" in text and "Ouderavond" not in text
    link = next(word for word in text.split() if "/overleg/check-in/" in word)
    assert link in html

    url = link.replace("http://testserver", "")
    assert client.get(url).status_code == 200  # no login
    response = client.post(url, {f"actie_{first.pk}": "Twee van de drie scholen zijn akkoord.",
                                 f"actie_{second.pk}": ""})
    assert response.status_code == 200
    note = ActionUpdate.objects.get(action=first)
    assert "Twee van de drie scholen zijn akkoord." in note.note and note.author == people.owner
    assert CheckInAnswer.objects.filter(meeting=meeting).count() == 1

    client.force_login(people.procesbewaker)
    agenda = client.get(reverse("actieplan:meeting_detail", args=[meeting.pk])).content.decode()
    assert "“Twee van de drie scholen zijn akkoord.”" in agenda
    assert "Stagebank vso</a>: <span class=\"mt-checkin--none\">geen antwoord</span>" in agenda
    assert "3 van 3 eigenaren gevraagd, 1 hebben geantwoord." in agenda


def test_a_worker_killed_mid_batch_and_started_again_sends_every_owner_one_check_in(people, redis_server, smtp,
                                                                                    start_worker):
    meeting = make_meeting(people.partnership, moment(1))
    owners = []
    for n in range(20):
        owner = make_user(f"eigenaar_{n}", first_name="Eigenaar", last_name=str(n))
        add_member(people.partnership, owner, people.organisation, Role.DEELNEMER)
        make_action(people.partnership, owner, title=f"Actie {n + 1} uit het werkgroepoverleg", created_by=owner)
        owners.append(owner)
    kill_worker_mid_batch(smtp, start_worker, redis_server)
    assert len(smtp.received()) < 20, "killed in the middle of the batch"
    assert Reminder.objects.filter(kind=ReminderKind.CHECKIN, sent_at__isnull=True).exists()

    start_worker(concurrency=2)
    beat(redis_server)  # the next hourly scan re-offers what was decided but never sent
    keys = wait_until_all_sent(smtp, rescan=lambda: beat(redis_server))
    assert len(keys) == 20
    assert_each_once(smtp, keys)
    assert sorted(rcpt[0] for rcpt, _m in checkin_mails(smtp)) == sorted(o.email for o in owners)
    assert set(Reminder.objects.filter(kind=ReminderKind.CHECKIN).values_list("period", flat=True)) == {
        meeting.reminder_period}
