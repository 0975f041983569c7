"""Beyond one machine, with the engines the platform already has (issue 28).

Two web processes (gunicorn) on different ports behind nginx (deploy/nginx/default.conf.template, filled in as
compose fills it), two Celery workers on one Redis and two beats (the second started by mistake), all with
PostgreSQL connections pooled (Django's psycopg pool, ``DB_POOL_MAX_SIZE``). While people post progress notes
through nginx and both beats send the reminder scan every two seconds (tests/scale_out_settings.py; hourly in
production):

- every reminder that is due arrives exactly once (the SMTP sink counts the ``X-LOB-Reminder`` header);
- every note the site confirmed is in the database exactly once, and both web processes served some of them;
- a web process that stops is not noticed: nginx sends the next requests to the other one.

Needs PostgreSQL (``python -m tests.run tests/test_scale_out.py``): every process shares the test database.
"""

import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
import requests
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from actieplan.models import ActionStatus, ActionUpdate, Reminder, ReminderKind
from tests.factories import make_action
from tests.services import CeleryWorker, Nginx, SmtpSink, free_port, platform_process_env, wait_for_port

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parent.parent
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the web processes, workers and beats are separate processes and must share the test "
                    "database: run with PostgreSQL (python -m tests.run)")


def platform_env(redis_server, smtp):
    return platform_process_env(
        redis_server.url, smtp.port, DJANGO_SETTINGS_MODULE="tests.scale_out_settings",
        ALLOWED_HOSTS="127.0.0.1,localhost", DB_POOL_MAX_SIZE="2", DB_POOL_MIN_SIZE="1",
        LOB_HEARTBEAT_SECONDS="2", SCALE_OUT_SCAN_SECONDS="2")


class Process:
    """A subprocess of the platform (gunicorn or celery beat) with its log, stopped with SIGTERM."""

    def __init__(self, argv, env, port=None):
        self.port = port
        self.dir = Path(tempfile.mkdtemp(prefix="lob-scale-"))
        self.log = self.dir / "log"
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        shutil.rmtree(self.dir, ignore_errors=True)


def gunicorn(env):
    port = free_port()
    bin_dir = Path(sys.executable).parent
    process = Process([str(bin_dir / "gunicorn"), "lobplatform.wsgi", "--workers", "1", "--bind", f"127.0.0.1:{port}",
                       "--timeout", "60", "--access-logfile", "-"], env, port)
    wait_for_port(port, timeout=120)
    deadline = time.monotonic() + 120
    while True:  # the port opens before the worker has imported everything
        try:
            if requests.get(f"http://127.0.0.1:{port}/health/web/", timeout=30).status_code == 200:
                return process
        except requests.RequestException:
            pass
        assert time.monotonic() < deadline, process.text()[-3000:]
        time.sleep(0.5)


def beat(env):
    bin_dir = Path(sys.executable).parent
    schedule = tempfile.mktemp(prefix="lob-beat-")
    return Process([str(bin_dir / "celery"), "-A", "lobplatform", "beat", "--loglevel=INFO", "--schedule", schedule],
                   env)


@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def platform(redis_server, smtp, tmp_path):
    """Start what the test asks for; stop all of it afterwards (also when the test fails)."""
    started = []

    class Platform:
        env = platform_env(redis_server, smtp)

        def web(self):
            started.append(gunicorn(self.env))
            return started[-1]

        def worker(self):
            started.append(CeleryWorker(self.env, concurrency=2).start(timeout=120))
            return started[-1]

        def beat(self):
            started.append(beat(self.env))
            return started[-1]

        def nginx(self, *webs):
            static = tmp_path / "static"
            static.mkdir(exist_ok=True)
            started.append(Nginx([f"127.0.0.1:{w.port}" for w in webs], tmp_path, static).start())
            return started[-1]

    yield Platform()
    for process in reversed(started):
        process.stop()


def logged_in_session(user):
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    session = requests.Session()
    session.cookies.set(django_settings.SESSION_COOKIE_NAME, client.cookies[django_settings.SESSION_COOKIE_NAME].value)
    return session


def post_note(session, base, pk, confirmed, failures):
    """As a person does: open the action, write a note, save; a note the page shows back is confirmed."""
    note = f"Gebeld met het ROC ({uuid.uuid4().hex[:12]})."
    try:
        page = session.get(f"{base}/actieplan/acties/{pk}/", timeout=60)
        token = TOKEN.search(page.text).group(1)
        response = session.post(f"{base}/actieplan/acties/{pk}/", timeout=60,
                                data={"csrfmiddlewaretoken": token, "note": note, "new_status": "", "percent_done": ""},
                                headers={"Referer": f"{base}/actieplan/acties/{pk}/"})
    except (requests.RequestException, AttributeError) as error:
        failures.append(repr(error))
        return
    if response.status_code == 200 and note in response.text:
        confirmed.append(note)
    else:
        failures.append(f"{response.status_code}: {response.text[:200]!r}")


def post_notes(session, base, action_ids, count, threads=4):
    confirmed, failures = [], []

    def work(n):
        for i in range(n, count, threads):
            post_note(session, base, action_ids[i % len(action_ids)], confirmed, failures)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return confirmed, failures


def due_keys():
    return set(Reminder.objects.exclude(email="").filter(cancelled_at__isnull=True).values_list("key", flat=True))


def test_two_web_processes_two_workers_and_two_beats_send_each_reminder_once_and_lose_no_note(people, platform,
                                                                                            smtp):
    today = timezone.localdate()
    days = timezone.timedelta
    owner = people.owner
    actions = []
    for n in range(6):
        actions.append(make_action(people.partnership, owner, deadline=today + days(7), created_by=owner,
                                   title=f"Gastlessen van werkgevers, groep {n + 1}"))
        actions.append(make_action(people.partnership, owner, deadline=today, created_by=owner,
                                   title=f"Stageplekken inventariseren, sector {n + 1}"))
        actions.append(make_action(people.partnership, owner, deadline=today - days(20), created_by=owner,
                                   title=f"Warme overdracht vmbo-mbo, school {n + 1}"))
    done = make_action(people.partnership, owner, deadline=today, created_by=owner, title="Al klaar")
    done.status = ActionStatus.AFGEROND
    done.save()

    web_a, web_b = platform.web(), platform.web()
    assert web_a.port != web_b.port
    nginx = platform.nginx(web_a, web_b)
    platform.worker()
    platform.worker()
    beats = [platform.beat(), platform.beat()]  # the second one started by mistake

    session = logged_in_session(people.werkgroeplid)
    confirmed, failures = post_notes(session, nginx.url, [a.pk for a in actions], 40)

    # Both beats keep sending the scan (every 2 s here): wait until each sent it several times and every row of
    # the reminder log is sent.
    deadline = time.monotonic() + 120
    while True:
        scans = [b.text().count("herinneringen-scan-elk-uur") for b in beats]
        keys = due_keys()
        if min(scans) >= 4 and keys and not Reminder.objects.filter(key__in=keys, sent_at__isnull=True).exists():
            break
        assert time.monotonic() < deadline, (scans, list(Reminder.objects.filter(sent_at__isnull=True)
                                                         .values("key", "last_error"))[:5], beats[1].text()[-2000:])
        time.sleep(0.5)
    time.sleep(5)  # two more rounds of scans from both beats: nothing new may arrive

    delivered = Counter(message["X-LOB-Reminder"] for _rcpt, message in smtp.received())
    assert {k for k, n in delivered.items() if n > 1} == set(), "no reminder twice"
    # Everything the log holds was delivered: deadline reminders and the notes' notices to the owner, who
    # follows the actions.
    assert set(delivered) == due_keys(), "every due reminder delivered"
    # 6 a week ahead, 6 today, 6 overdue with two escalations each (the manager and the procesbewaker).
    deadline_kinds = [ReminderKind.BEFORE_DEADLINE, ReminderKind.ON_DEADLINE, ReminderKind.OVERDUE,
                      ReminderKind.ESCALATION]
    per_action = Reminder.objects.filter(action__in=actions, kind__in=deadline_kinds).exclude(email="")
    assert per_action.count() == 6 + 6 + 6 * 3, list(per_action.values_list("key", flat=True))
    assert set(per_action.values_list("key", flat=True)) <= set(delivered)
    assert not any("Al klaar" in message["Subject"] for _r, message in smtp.received())

    assert failures == [] and len(confirmed) == 40
    stored = Counter(ActionUpdate.objects.filter(note__in=confirmed).values_list("note", flat=True))
    assert stored == Counter(confirmed), "every confirmed note is stored exactly once"
    posts = Counter(upstream for upstream, _status, request in nginx.access_log() if request.startswith("POST"))
    assert set(posts) == {f"127.0.0.1:{web_a.port}", f"127.0.0.1:{web_b.port}"}, "both web processes saved notes"

    # One web process goes away (a deploy, its machine lost): the people working on do not notice.
    web_a.stop()
    confirmed, failures = post_notes(session, nginx.url, [a.pk for a in actions], 12)
    assert failures == [] and len(confirmed) == 12
    assert ActionUpdate.objects.filter(note__in=confirmed).count() == 12
