"""The PostgreSQL server restarted while a Celery worker sends a batch of reminders: every reminder arrives, none
twice, each with the Message-ID recorded on its row, and the tasks that failed on the database error ran again.

The worker's database is a cluster of its own (a copy of the test database made with pg_dump), so restarting it
touches no other test. Needs PostgreSQL (``python -m tests.run``).
"""

import datetime
import subprocess
import time
from collections import Counter

import psycopg
import pytest
from celery import Celery
from django.db import connection
from django.utils import timezone

from actieplan.models import Reminder
from tests.factories import make_action
from tests.services import CeleryWorker, PostgresServer, SmtpSink, _pg_bin, platform_process_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BATCH = 30


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump and a second PostgreSQL cluster: run with PostgreSQL (python -m tests.run)")


@pytest.fixture
def cluster():
    server = PostgresServer().start()
    yield server
    server.cleanup()


@pytest.fixture
def smtp():
    sink = SmtpSink(delay=0.15).start()  # slow enough that the restart falls inside the batch
    yield sink
    sink.stop()


def source_url():
    db = connection.settings_dict
    return f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}/{db['NAME']}"


def copy_test_database(cluster, tmp_path):
    dump = tmp_path / "lob.dump"
    subprocess.run([_pg_bin("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", source_url()],
                   check=True, capture_output=True)
    subprocess.run([_pg_bin("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={cluster.url}", str(dump)],
                   check=True, capture_output=True)


def send(redis_server, task):
    """What beat does: a message with the task's name on the broker."""
    app = Celery("beat-stand-in", broker=redis_server.url)
    try:
        app.send_task(task)
    finally:
        app.close()


def rows(cluster):
    with psycopg.connect(cluster.url) as db:
        return db.execute("SELECT key, sent_at IS NOT NULL, message_id FROM actieplan_reminder "
                          "WHERE email <> '' AND cancelled_at IS NULL ORDER BY key").fetchall()


def read_rows(cluster, attempts=20):
    for _ in range(attempts):
        try:
            return rows(cluster)
        except psycopg.OperationalError:
            time.sleep(0.5)
    return rows(cluster)




def test_postgresql_restarted_while_a_batch_is_sent_delivers_each_reminder_exactly_once(
        people, redis_server, smtp, cluster, tmp_path):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    for n in range(BATCH):
        make_action(people.partnership, people.owner, deadline=tomorrow, created_by=people.owner,
                    title=f"Stagebank vullen, deel {n + 1}")
    copy_test_database(cluster, tmp_path)
    env = platform_process_env(
        redis_server.url, smtp.port, DATABASE_URL=cluster.url, DB_CONN_MAX_AGE="0",
        # Re-offered at once, and a claim whose commit the restart swallowed expires after 12 s (production: 15 min).
        LOB_REMINDER_REQUEUE_AFTER_MINUTES="0", LOB_REMINDER_CLAIM_MINUTES="0.2")
    workers = [CeleryWorker(env, concurrency=2).start()]
    try:
        send(redis_server, "actieplan.tasks.scan_reminders")
        deadline = time.monotonic() + 60
        while len(smtp.received()) < 5:
            assert time.monotonic() < deadline, workers[0].log()[-3000:]
            time.sleep(0.05)
        cluster.stop()  # "fast": every open connection is cut, mid-claim, mid-send or mid-mark
        time.sleep(3)
        cluster.start()
        sent_during = len(smtp.received())
        assert sent_during < BATCH, "the restart fell inside the batch"

        deadline = time.monotonic() + 180
        while True:
            state = read_rows(cluster)
            if len(state) == BATCH and all(sent for _key, sent, _mid in state):
                break
            assert time.monotonic() < deadline, (state, workers[-1].log()[-4000:])
            if workers[-1].proc.poll() is not None:
                workers.append(CeleryWorker(env, concurrency=2).start())
            send(redis_server, "actieplan.tasks.offer_pending_reminders")  # beat, every few minutes
            time.sleep(3)
        time.sleep(3)  # a second copy would arrive now

        received = Counter(message["X-LOB-Reminder"] for _rcpt, message in smtp.received())
        assert {key for key, n in received.items() if n > 1} == set(), "no reminder twice"
        assert set(received) == {key for key, _sent, _mid in state}, "every reminder once"
        ids = {message["X-LOB-Reminder"]: message["Message-ID"].strip() for _rcpt, message in smtp.received()}
        assert all(ids[key] == message_id for key, _sent, message_id in state), "the Message-ID is on the row"
        log = "".join(worker.log() for worker in workers)
        # A claim that met it is retried as a task, a mark that met it is retried in place: both are logged.
        assert "database niet bereikbaar" in log or "nog niet als verstuurd vastgelegd" in log, \
            "some tasks met the restart and were retried"
        assert Reminder.objects.count() == 0, "the test database itself was not touched"
    finally:
        for worker in workers:
            worker.stop()
