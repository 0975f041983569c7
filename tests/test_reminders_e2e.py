"""Reminders through the real parts: redis-server, a Celery worker subprocess, and an SMTP server.

The scan is triggered the way beat triggers it (a task message by name on the broker); the
worker decides, queues one delivery per reminder, and sends to the SMTP server in this test.
Faults: the worker is SIGKILLed mid-batch, and Redis is stopped and restarted (losing its queue)
during a scan. Afterwards every due reminder arrived exactly once.

The worker shares the test database, so these tests need PostgreSQL (``python -m tests.run``).
"""

import datetime
import time
from collections import Counter

import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from actieplan.models import ActionStatus, Reminder, Role
from tests.factories import add_member, make_action, make_user
from tests.services import CeleryWorker, SmtpSink, platform_process_env

# serialized_rollback: the reference data of the data migrations (groups, themes) survives the flush.
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SCAN = "actieplan.tasks.scan_reminders"


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the Celery worker is a separate process and must share the test database: "
                    "run with PostgreSQL (python -m tests.run), SQLite's test database lives in memory")


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def worker_env(redis_server, smtp):
    return platform_process_env(
        redis_server.url, smtp.port, DB_CONN_MAX_AGE="0",
        # Beat's next run re-offers every unsent row at once (in production: after 10 minutes).
        LOB_REMINDER_REQUEUE_AFTER_MINUTES="0",
        # A delivery killed half-way keeps its claim this long (in production 15 minutes) before another sends it.
        LOB_REMINDER_CLAIM_MINUTES="0.1")


@pytest.fixture
def start_worker(redis_server, smtp):
    workers = []

    def start(concurrency=2):
        worker = CeleryWorker(worker_env(redis_server, smtp), concurrency=concurrency).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


def beat(redis_server, times=1):
    """Send the scheduled scan the way celery beat does: a message with the task's name."""
    app = Celery("beat-stand-in", broker=redis_server.url)
    try:
        for _ in range(times):
            app.send_task(SCAN)
    finally:
        app.close()


def kill_worker_mid_batch(smtp, start_worker, redis_server, after=5):
    """Start one slow worker, let beat's scan send ``after`` mails, then SIGKILL the worker while a message is
    half-way through the SMTP conversation."""
    smtp.delay = 0.25
    worker = start_worker(concurrency=1)
    beat(redis_server)
    deadline = time.monotonic() + 60
    while len(smtp.received()) < after:
        assert time.monotonic() < deadline, worker.log()[-2000:]
        time.sleep(0.05)
    smtp.busy.clear()
    assert smtp.busy.wait(10)
    worker.kill()


def due_keys():
    return set(Reminder.objects.exclude(email="").filter(cancelled_at__isnull=True).values_list("key", flat=True))


def wait_until_all_sent(smtp, timeout=90, rescan=None):
    deadline = time.monotonic() + timeout
    next_scan = time.monotonic() + 5
    while time.monotonic() < deadline:
        keys = due_keys()
        if keys and not Reminder.objects.filter(key__in=keys, sent_at__isnull=True).exists():
            return keys
        if rescan and time.monotonic() > next_scan:
            rescan()
            next_scan = time.monotonic() + 5
        time.sleep(0.3)
    raise AssertionError(f"not all sent after {timeout}s: "
                         f"{list(Reminder.objects.filter(sent_at__isnull=True).values('key', 'last_error'))[:5]}")


def delivered(smtp):
    return Counter(message["X-LOB-Reminder"] for _rcpt, message in smtp.received())


def assert_each_once(smtp, keys):
    counts = delivered(smtp)
    assert {k for k, n in counts.items() if n > 1} == set(), "no reminder twice"
    assert set(counts) == keys, "every due reminder delivered"


def test_beat_scan_delivers_every_kind_to_the_right_people_with_both_parts_and_links(
        client, people, redis_server, smtp, start_worker):
    today = timezone.localdate()
    days = datetime.timedelta
    owner = people.owner
    week = make_action(people.partnership, owner, deadline=today + days(7), created_by=owner,
                       title="Gastlessen van werkgevers in leerjaar 2")
    make_action(people.partnership, owner, deadline=today, created_by=owner, title="Stageplekken inventariseren")
    late = make_action(people.partnership, owner, deadline=today - days(20), created_by=owner,
                       title="Warme overdracht vmbo-mbo")
    unreachable = make_user("e2e_zonder", first_name="Zoë", last_name="Zonder", email="")
    add_member(people.partnership, unreachable, people.organisation, Role.DEELNEMER)
    make_action(people.partnership, unreachable, deadline=today + days(1), created_by=unreachable,
                title="Ouderavond plannen")
    done = make_action(people.partnership, owner, deadline=today, created_by=owner, title="Al klaar")
    done.status = ActionStatus.AFGEROND
    done.save()

    start_worker(concurrency=2)
    beat(redis_server, times=2)  # two scans at once on two worker processes
    keys = wait_until_all_sent(smtp)
    assert_each_once(smtp, keys)

    by_subject = {message["Subject"].strip(): (rcpt, message) for rcpt, message in smtp.received()}
    rcpt, message = by_subject["Herinnering: ‘Gastlessen van werkgevers in leerjaar 2’ moet over 7 dagen af zijn"]
    assert rcpt == [owner.email] and message["To"] == owner.email
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for part in (text, html):
        assert week.title in part and week.theme.name in part and people.partnership.name in part
    link = next(word for word in text.split() if "/actieplan/herinnering/" in word)
    assert link in html
    page = client.get(link.replace("http://testserver", ""))
    assert page.status_code == 200 and week.title in page.content.decode()

    assert "Vandaag is de deadline van ‘Stageplekken inventariseren’" in by_subject
    overdue = [(r, m) for r, m in smtp.received() if late.title in m["Subject"]]
    assert sorted((m["Subject"].strip().split(":")[0], r[0]) for r, m in overdue) == sorted([
        ("Verlopen", owner.email), ("Escalatie", people.manager.email), ("Escalatie", people.procesbewaker.email)])
    rcpt, notice = by_subject["Eigenaar zonder e-mailadres: ‘Ouderavond plannen’"]
    assert rcpt == [people.procesbewaker.email] and "Zoë Zonder" in notice.get_body(("plain",)).get_content()
    assert not any("Al klaar" in m["Subject"] for _r, m in smtp.received())


def test_worker_killed_mid_batch_then_restarted_delivers_each_reminder_once(people, redis_server, smtp,
                                                                            start_worker):
    today = timezone.localdate()
    for n in range(24):
        make_action(people.partnership, people.owner, deadline=today + datetime.timedelta(days=1),
                    created_by=people.owner, title=f"Actie {n + 1} uit de reflectiesessie")
    kill_worker_mid_batch(smtp, start_worker, redis_server)
    sent_before_restart = len(smtp.received())
    assert sent_before_restart < 24, "killed in the middle of the batch"
    assert Reminder.objects.filter(sent_at__isnull=True).exists()

    start_worker(concurrency=2)
    beat(redis_server)  # the next hourly scan
    keys = wait_until_all_sent(smtp, rescan=lambda: beat(redis_server))
    assert len(keys) == 24
    assert_each_once(smtp, keys)


def test_redis_stopped_and_restarted_during_a_scan_loses_nothing_and_sends_nothing_twice(
        people, redis_server, smtp, start_worker):
    today = timezone.localdate()
    for n in range(24):
        make_action(people.partnership, people.owner, deadline=today + datetime.timedelta(days=7),
                    created_by=people.owner, title=f"Werkgroepactie {n + 1}")
    smtp.delay = 0.15
    worker = start_worker(concurrency=2)
    beat(redis_server)
    deadline = time.monotonic() + 60
    while len(smtp.received()) < 3:
        assert time.monotonic() < deadline, worker.log()[-2000:]
        time.sleep(0.05)
    redis_server.stop()  # the queue (no persistence) is gone with it
    time.sleep(2)
    redis_server.start()
    supervised = {"worker": worker}

    def supervise_and_rescan():
        # Celery's worker may exit on a broker outage (a kombu race while acking on the lost
        # connection); in production the supervisor (compose: restart unless-stopped) starts it
        # again, and so does this test. Exactly-once must hold either way.
        if supervised["worker"].proc.poll() is not None:
            supervised["worker"] = start_worker(concurrency=2)
        beat(redis_server)

    keys = wait_until_all_sent(smtp, timeout=120, rescan=supervise_and_rescan)
    assert len(keys) == 24
    assert_each_once(smtp, keys)
