"""What an operator relies on: logs to search (one JSON object per line, with the request and the user), the scan,
mails, imports and deletions in them, /health/ naming a dead worker or a beat that stopped, one settings module for
the web and the worker, the documented retention, and one table of every LOB_ setting."""

import datetime
import io
import json
import logging
import logging.config
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actieplan import conf, ratelimits
from actieplan.models import Action, Heartbeat, ImportReceipt, Reminder, ReminderKind
from actieplan.reminders import emails, scan
from lobplatform.logs import logging_config
from tests.factories import make_action, make_user
from tests.forms import form_fields
from tests.services import CeleryWorker

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production logging (LOG_FORMAT=json) writing to a buffer; yields a function returning the parsed lines."""
    stream = io.StringIO()
    config = logging_config("json", "INFO")
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logging.config.dictConfig(django_settings.LOGGING)


# --- logs ----------------------------------------------------------------------------------------------------

def test_a_server_error_is_one_json_line_with_the_request_id_the_user_and_the_path(json_log, settings, people):
    settings.ROOT_URLCONF = "tests.operations_urls"
    client = Client(raise_request_exception=False)
    client.force_login(people.werkgroeplid)
    response = client.get("/kapot/?x=1", HTTP_X_REQUEST_ID="nginx-3f2a9c1d0b")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "nginx-3f2a9c1d0b", "the proxy's id comes back, to find the line"
    [error] = [line for line in json_log() if line["level"] == "ERROR"]
    assert error["logger"] == "django.request" and error["path"] == "/kapot/" and error["method"] == "GET"
    assert error["request_id"] == "nginx-3f2a9c1d0b" and error["user_id"] == people.werkgroeplid.pk
    assert error["status_code"] == 500 and "RuntimeError: kapot in de test" in error["exception"]


def test_every_request_gets_an_id_and_a_made_up_one_is_not_trusted(client):
    first, second = client.get("/"), client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert re.fullmatch(r"[0-9a-f]{32}", second["X-Request-ID"]) and second["X-Request-ID"] != first["X-Request-ID"]


def test_the_scan_every_mail_sent_or_not_an_import_and_a_deletion_are_in_the_log(json_log, client, people, library,
                                                                                django_capture_on_commit_callbacks):
    make_action(people.partnership, people.owner, deadline=timezone.localdate(), created_by=people.owner,
                title="Open dag plannen")
    result = scan.scan(digests=False)  # a Monday's digest would make its own line: not what this test is about
    emails.deliver(result.new_ids[0])
    late = make_action(people.partnership, people.werkgroeplid, deadline=timezone.localdate(),
                       created_by=people.werkgroeplid, title="Stagemarkt")
    late.status = "vervallen"
    late.save()
    cancelled = scan.record([scan.Planned(ReminderKind.ON_DEADLINE, late.deadline.isoformat(),
                                          people.werkgroeplid.pk, people.werkgroeplid.email, late.pk)])[0][0]
    assert emails.deliver(cancelled) == emails.CANCELLED

    client.force_login(people.procesbewaker)
    file = SimpleUploadedFile("acties.csv", (
        "Titel;Omschrijving;Samenwerkingsverband;Thema;Bord;Eigenaar;Organisatie;Mandaatniveau;Deadline;Status\n"
        f"Ouderavond;;{people.partnership.name};Daadkracht;samenwerking;{people.owner.email};;uitvoerend/professioneel;"
        f"{(timezone.localdate() + datetime.timedelta(days=30)):%d-%m-%Y};open\n").encode(), content_type="text/csv")
    preview = client.post(reverse("actieplan:action_import"), {"partnership": people.partnership.pk, "file": file})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("actieplan:action_import"), form_fields(preview.content.decode(), having="token"))
    assert Action.objects.filter(title="Ouderavond").exists()

    admin = make_user("beheerder", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.post(f"/admin/pages/{library.pk}/delete/").status_code == 302

    messages = [line["message"] for line in json_log()]
    assert any(m.startswith("Herinneringen-scan ") and "nieuw te versturen (op-deadline: 1)" in m for m in messages)
    assert any(re.match(r"Herinnering \d+ \(op-deadline\) verstuurd, Message-ID <", m) for m in messages)
    assert any(re.match(rf"Herinnering {cancelled} \(op-deadline\) niet verstuurd: Niet meer nodig", m)
               for m in messages)
    receipt = ImportReceipt.objects.get()
    assert f"Import verwerkt: 1 acties in samenwerkingsverband {people.partnership.pk} door gebruiker " \
           f"{people.procesbewaker.pk} (bon {receipt.pk})" in messages
    assert any(f" verwijderd: Het delen waard (id {library.pk}) door gebruiker {admin.pk}" in m
               for m in messages), messages


def test_a_mail_the_server_refuses_is_logged_and_kept_for_the_retry(json_log, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens
    make_action(people.partnership, people.owner, deadline=timezone.localdate(), created_by=people.owner)
    [reminder_id] = scan.scan(digests=False).new_ids  # not a Monday digest beside it
    with pytest.raises(OSError):
        emails.deliver(reminder_id)
    row = Reminder.objects.get(pk=reminder_id)
    assert row.sent_at is None and row.claimed_at is None and row.attempts == 1, "free for the retry"
    assert any(line["level"] == "WARNING" and line["message"].startswith(f"Herinnering {reminder_id} (op-deadline) "
                                                                         "niet verstuurd: ConnectionRefusedError")
               for line in json_log())


# --- one settings module for web and worker ------------------------------------------------------------------

def test_the_worker_and_beat_default_to_the_settings_of_the_web_application():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(SECRET_KEY="x" * 60, ALLOWED_HOSTS="lob.example.nl", WAGTAILADMIN_BASE_URL="https://lob.example.nl")
    probe = ("import os, lobplatform.celery, lobplatform.wsgi, django.conf; "
             "print(os.environ['DJANGO_SETTINGS_MODULE'], django.conf.settings.DEBUG)")
    result = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", probe], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["lobplatform.settings.production", "False"]
    wsgi = (ROOT / "lobplatform/wsgi.py").read_text()
    assert 'setdefault("DJANGO_SETTINGS_MODULE", "lobplatform.settings.production")' in wsgi


# --- /health/: worker and beat -------------------------------------------------------------------------------

# The checks run in threads of their own, with their own connections: they see only what was committed.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_names_a_worker_that_stopped_and_a_beat_that_stopped_ticking(client, settings, redis_server):
    settings.CELERY_BROKER_URL = redis_server.url  # Celery on Redis, as in production
    report = client.get("/health/?format=json").json()
    assert report["Celery-worker"] == "storing: heeft de hartslagtaak niet uitgevoerd: nog nooit (draait hij?)"
    assert report["Celery-beat"] == "storing: heeft niet getikt: nog nooit (draait hij?)"

    now = timezone.now()
    Heartbeat.record("worker", "celery@web1", now - datetime.timedelta(seconds=30))
    Heartbeat.record("beat", "web1", now - datetime.timedelta(seconds=100))
    response = client.get("/health/?format=json")
    assert response.status_code == 200 and set(response.json().values()) == {"OK"}
    assert set(response.json()) == {"Database", "Cache (Redis)", "Wachtrij (Redis)", "Celery-worker", "Celery-beat"}

    Heartbeat.record("worker", "celery@web1", now - datetime.timedelta(seconds=125))  # two intervals and more
    Heartbeat.record("beat", "web1", now - datetime.timedelta(minutes=10))
    response = client.get("/health/?format=json")
    assert response.status_code == 500
    assert response.json()["Celery-worker"].startswith("storing: heeft de hartslagtaak niet uitgevoerd sinds 12")
    assert "herinneringen worden niet verstuurd" in response.json()["Celery-worker"]
    assert response.json()["Celery-beat"].startswith("storing: heeft niet getikt sinds 60")
    assert response.json()["Database"] == "OK"
    assert client.get("/health/web/?format=json").status_code == 200, "the site itself still works"

    redis_server.stop()
    assert client.get("/health/?format=json").json()["Wachtrij (Redis)"].startswith("storing: niet bereikbaar")


@pytest.mark.services
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_health_follows_a_real_worker_and_beat_and_notices_each_one_stopping(client, settings, redis_server,
                                                                           tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("worker and beat are separate processes sharing the test database: PostgreSQL only")
    settings.CELERY_BROKER_URL = redis_server.url
    settings.LOB_HEARTBEAT_SECONDS = 1
    db = connection.settings_dict
    env = {"DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev", "DEBUG": "0", "SECRET_KEY": "x" * 60,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}", "DB_CONN_MAX_AGE": "0",
           "REDIS_URL": redis_server.url, "LOB_HEARTBEAT_SECONDS": "1", "LOG_LEVEL": "INFO"}
    worker = CeleryWorker(env, concurrency=1).start()
    log = open(tmp_path / "beat.log", "wb")
    beat = subprocess.Popen([str(ROOT / ".venv/bin/celery"), "-A", "lobplatform", "beat", "--loglevel=INFO",
                             "--schedule", str(tmp_path / "schedule")], cwd=ROOT, env={**os.environ, **env},
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def report():
            return client.get("/health/?format=json").json()

        wait_for(lambda: report()["Celery-worker"] == "OK" and report()["Celery-beat"] == "OK", 90,
                 lambda: (tmp_path / "beat.log").read_text(errors="replace")[-2000:] + worker.log()[-2000:])
        worker.kill()
        wait_for(lambda: report()["Celery-worker"].startswith("storing: heeft de hartslagtaak niet uitgevoerd"), 30)
        assert report()["Celery-beat"] == "OK"
        beat.terminate()
        beat.wait(20)
        wait_for(lambda: report()["Celery-beat"].startswith("storing: heeft niet getikt sinds"), 30)
    finally:
        worker.stop()
        if beat.poll() is None:
            beat.kill()


def wait_for(condition, seconds, explain=lambda: ""):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, explain()
        time.sleep(0.5)


# --- retention -----------------------------------------------------------------------------------------------

def test_retention_removes_what_is_past_it_and_keeps_what_still_prevents_a_second_mail(people, settings):
    settings.LOB_REMINDER_LOG_RETENTION_DAYS = 730
    settings.LOB_IMPORT_RECEIPT_RETENTION_DAYS = 365
    now = timezone.now()
    old, recent = now - datetime.timedelta(days=800), now - datetime.timedelta(days=10)
    open_action = make_action(people.partnership, people.owner, title="Nog altijd open")
    done_action = make_action(people.partnership, people.owner, title="Allang af", status="afgerond")

    def log(kind, action, when, period):
        row = Reminder.objects.create(key=Reminder.make_key(kind, period, people.manager.pk, action.pk),
                                      action=action, kind=kind, period=period, recipient=people.manager,
                                      email=people.manager.email, sent_at=when)
        Reminder.objects.filter(pk=row.pk).update(created_at=when)
        return row.pk

    old_digest = log(ReminderKind.DIGEST, open_action, old, "2024-W40")
    old_escalation_open = log(ReminderKind.ESCALATION, open_action, old, "2024-09-01")
    old_escalation_done = log(ReminderKind.ESCALATION, done_action, old, "2024-08-01")
    recent_overdue = log(ReminderKind.OVERDUE, open_action, recent, "2026-01-01/+8d")
    old_receipt = ImportReceipt.objects.create(token_digest="a" * 64, partnership=people.partnership,
                                               created_at=now - datetime.timedelta(days=400))
    new_receipt = ImportReceipt.objects.create(token_digest="b" * 64, partnership=people.partnership)
    ratelimits.hit(ratelimits.key("test", "oud"), 60)
    ratelimits.RateCounter.objects.update(started_at=now - datetime.timedelta(days=2))
    ratelimits.hit(ratelimits.key("test", "nieuw"), 60)

    mine = {old_digest, old_escalation_open, old_escalation_done, recent_overdue}
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "zou verwijderen: 2 herinneringen, 1 importbonnen, 1 limiettellers" in out.getvalue()
    assert set(Reminder.objects.filter(pk__in=mine).values_list("pk", flat=True)) == mine

    call_command("apply_retention", stdout=io.StringIO())
    assert set(Reminder.objects.filter(pk__in=mine).values_list("pk", flat=True)) == {old_escalation_open,
                                                                                      recent_overdue}
    assert list(ImportReceipt.objects.values_list("pk", flat=True)) == [new_receipt.pk]
    assert old_receipt.pk != new_receipt.pk
    assert ratelimits.RateCounter.objects.count() == 1
    # The scan still knows the open action was escalated: nothing is escalated a second time.
    assert Reminder.objects.filter(kind=ReminderKind.ESCALATION, action=open_action).exists()
    assert mail.outbox == []


def test_the_beat_schedule_applies_the_retention_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["bewaartermijnen-dagelijks-0330"]
    assert entry["task"] == "actieplan.tasks.apply_retention"


# --- one table of every LOB_ setting ------------------------------------------------------------------------

def test_the_readme_lists_every_lob_setting_in_the_table_made_from_actieplan_conf():
    readme = (ROOT / "README.md").read_text()
    assert conf.markdown_table() in readme, "run `manage.py lob_settings` and paste its table into the README"
    out = io.StringIO()
    call_command("lob_settings", stdout=out)
    assert out.getvalue() == conf.markdown_table()


def test_every_lob_name_in_the_code_is_a_setting_in_actieplan_conf():
    used = set()
    for folder in ("actieplan", "good_practices", "lobplatform", "templates", "bin"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".py", ".html", ".txt", ".sh", ""} and "migrations" not in path.parts:
                used |= set(re.findall(r"\bLOB_[A-Z0-9_]+\b", path.read_text(errors="ignore")))
    for name in ("docker-compose.yml", ".env.example", "Dockerfile"):
        used |= set(re.findall(r"\bLOB_[A-Z0-9_]+\b", (ROOT / name).read_text()))
    assert used - set(conf.BY_NAME) == set()


def test_a_lob_setting_from_the_environment_reaches_the_site_with_its_type():
    values = conf.from_environment({"LOB_REMINDER_DAYS_BEFORE": "5, 2", "LOB_ESCALATION_AFTER_DAYS": "21",
                                    "LOB_REMINDER_CLAIM_MINUTES": "0.5", "LOB_TRUSTED_PROXIES":
                                    "10.0.0.1; 10.1.0.0/16", "LOB_ADMIN_USERNAME": "beheer", "LOB_SITE_NAME": ""})
    assert values == {"LOB_REMINDER_DAYS_BEFORE": [5, 2], "LOB_ESCALATION_AFTER_DAYS": 21,
                      "LOB_REMINDER_CLAIM_MINUTES": 0.5, "LOB_TRUSTED_PROXIES": ["10.0.0.1", "10.1.0.0/16"]}


# --- a database that is away ---------------------------------------------------------------------------------

def test_a_request_while_the_database_is_away_gets_a_dutch_page_that_says_nothing_was_saved(settings):
    settings.ROOT_URLCONF = "tests.operations_urls"
    client = Client(raise_request_exception=False)
    response = client.get("/database-weg/")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    text = response.content.decode()
    assert "Even niet bereikbaar" in text and "Wat je net verstuurde, is niet opgeslagen" in text
