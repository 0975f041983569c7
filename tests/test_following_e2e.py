"""Following through the real parts: redis-server, a Celery worker process and an SMTP server.

Changes are made the way the pages make them (``services.add_update`` in a committed transaction); the web
process queues each follow mail on Redis after the commit and the worker delivers it to the SMTP server in this
test. Each follower gets exactly one mail per change (not who made it, not who another mail already tells), also
when beat's scan re-offers unsent rows at the same time; who chose the weekly digest gets one digest with one line
per change, however often the Monday task runs.

The worker shares the test database, so these tests need PostgreSQL (``python -m tests.run``).
"""

import datetime
import time
from collections import Counter

import pytest
from celery import Celery
from django.utils import timezone

from actieplan.actions import services
from actieplan.following import emails as follow_emails
from actieplan.models import ActionStatus, Change, Follow, FollowerSettings, MailChoice, Reminder, ReminderKind
from tests.factories import make_action
from tests.test_reminders_e2e import (  # noqa: F401 (fixtures)
    beat, needs_postgresql, smtp, start_worker, wait_until_all_sent,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def web_process_on_redis(redis_server):
    """This process queues its mails on Redis, as the web process does in production (not eagerly)."""
    from lobplatform.celery import app

    before = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, redis_server.url
    app._pool, app.amqp._producer_pool = None, None
    yield
    app.pool.force_close_all()
    app._pool, app.amqp._producer_pool = None, None
    app.conf.task_always_eager, app.conf.broker_url = before


def mails(smtp, kind=None):
    return [(rcpt[0], message) for rcpt, message in smtp.received()
            if kind is None or message["X-LOB-Reminder"].split(":")[1] == kind]


def test_each_follower_gets_one_mail_per_change_and_the_weekly_one_one_digest_line_each(
        people, redis_server, smtp, start_worker, web_process_on_redis):
    start_worker(concurrency=2)
    action = make_action(people.partnership, people.owner, title="Stagebank voor het vso",
                         created_by=people.procesbewaker)  # owner and creator follow it
    for person in (people.bestuurder, people.werkgroeplid, people.manager):
        Follow.objects.create(user=person, action=action)
    FollowerSettings.objects.create(user=people.manager, mail=MailChoice.WEEKLY)

    services.add_update(action, people.owner, "Drie werkgevers doen mee.")
    beat(redis_server)  # the hourly scan runs meanwhile and re-offers what is not sent yet
    services.add_update(action, people.werkgroeplid, "We zijn begonnen.", new_status=ActionStatus.BEZIG)
    services.add_update(action, people.owner, "De stagebank draait.", new_status=ActionStatus.AFGEROND)
    beat(redis_server)
    keys = wait_until_all_sent(smtp, rescan=lambda: beat(redis_server))

    delivered = Counter(message["X-LOB-Reminder"] for _to, message in mails(smtp))
    assert max(delivered.values()) == 1 and set(delivered) == keys
    note, status, closed = Change.objects.filter(action=action, update__isnull=False).order_by("pk")
    got = sorted((to, message["X-LOB-Reminder"].split(":")[2]) for to, message in mails(smtp, ReminderKind.FOLLOWED))
    expected = sorted(
        [(p.email, note.period) for p in (people.bestuurder, people.werkgroeplid, people.procesbewaker)]
        + [(p.email, status.period) for p in (people.bestuurder, people.owner, people.procesbewaker)]
        + [(p.email, closed.period) for p in (people.bestuurder, people.werkgroeplid)])
    assert got == expected
    # The creator heard of the completion once, by the action's own mail; the owner of the assignment once.
    assert [to for to, _m in mails(smtp, ReminderKind.COMPLETED)] == [people.procesbewaker.email]
    assert [to for to, _m in mails(smtp, ReminderKind.ASSIGNED)] == [people.owner.email]
    assert not any(to == people.manager.email for to, _m in mails(smtp))  # weekly: nothing at once
    to_board = next(m for to, m in mails(smtp, ReminderKind.FOLLOWED) if to == people.bestuurder.email
                    and note.period in m["X-LOB-Reminder"])
    text, html = to_board.get_body(("plain",)).get_content(), to_board.get_body(("html",)).get_content()
    for part in (text, html):
        assert "Stagebank voor het vso" in part and "Drie werkgevers doen mee." in part
        assert f"/actieplan/acties/{action.pk}/#notitie-{note.update_id}" in part

    # Monday: the changes were made last week; the Monday task runs twice, on two worker processes.
    Change.objects.filter(action=action).update(
        created_at=follow_emails.digest_window(timezone.now())[0] + datetime.timedelta(days=3))
    smtp.messages.clear()
    app = Celery("beat-stand-in", broker=redis_server.url)
    try:
        for _ in range(2):
            app.send_task("actieplan.tasks.send_weekly_digests")
    finally:
        app.close()
    deadline = time.monotonic() + 60
    while not any(to == people.manager.email for to, _m in mails(smtp, ReminderKind.DIGEST)):
        assert time.monotonic() < deadline, "no digest for the weekly follower"
        time.sleep(0.3)
    time.sleep(3)  # a second digest would arrive by now
    [digest] = [m for to, m in mails(smtp, ReminderKind.DIGEST) if to == people.manager.email]
    text = digest.get_body(("plain",)).get_content()
    section = text.split("Wat er veranderde in wat je volgt", 1)[1]
    assert section.count("- Stagebank voor het vso:") == 3
    assert "schreef een voortgangsnotitie" in section and "zette de status op bezig" in section \
        and "zette de status op afgerond" in section
    assert Reminder.objects.filter(kind=ReminderKind.DIGEST, recipient=people.manager).count() == 1
