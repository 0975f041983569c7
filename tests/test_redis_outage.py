"""Redis is an accelerator: with the real redis-server stopped, every page answers, every write is kept, /health/
says what is down, and a mail that could not be queued goes out once when Redis is back.

The site runs in this process on the Redis cache of ``lobplatform/cache.py`` against a real redis-server (started
and stopped by the test). The mail part needs a Celery worker sharing the test database, so PostgreSQL.
"""

import time
from collections import Counter

import pytest
import redis
from celery import Celery
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from actieplan.models import Action, ActionStatus, ActionUpdate, Reminder, ReminderKind
from lobplatform import cache as resilient
from lobplatform.celery import app as celery_app
from tests.factories import make_action
from tests.forms import submit
from tests.services import CeleryWorker, RedisServer, SmtpSink, platform_process_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTE = "Gebeld met het ROC: de stageplekken zijn rond."


@pytest.fixture
def redis_cache(redis_server, settings, monkeypatch):
    """The site's cache is the real redis-server, through the production backend; a failed call is retried after
    0.2 s instead of 2 s, so the test need not wait."""
    monkeypatch.setattr(resilient, "RETRY_AFTER", 0.2)
    settings.CACHES = {"default": {
        "BACKEND": "lobplatform.cache.ResilientRedisCache", "LOCATION": redis_server.url, "KEY_PREFIX": "lob",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    yield redis_server


def redis_keys(server):
    return redis.Redis.from_url(server.url).dbsize()


def timed_get(client, url):
    start = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - start


@pytest.fixture
def plan(people, library):
    action = make_action(people.partnership, people.owner, title="Stageplekken in de zorg werven",
                         created_by=people.procesbewaker)
    return action


def pages(action):
    return ["/", "/het-delen-waard/", reverse("actieplan:action_list"), reverse("actieplan:action_board"),
            reverse("actieplan:action_detail", args=[action.pk]), "/inloggen/"]


def test_with_redis_stopped_every_page_answers_every_write_is_kept_and_health_says_what_is_down(
        client, people, plan, redis_cache):
    client.force_login(people.werkgroeplid)
    for url in pages(plan):
        assert client.get(url).status_code == 200, url
    assert redis_keys(redis_cache) > 0, "with Redis up the pages use it"

    redis_cache.stop()
    for url in pages(plan):
        response, seconds = timed_get(client, url)
        assert response.status_code == 200, url
        assert seconds < 5, f"{url} took {seconds:.1f} s without Redis"
    anonymous = Client()
    for url in ("/", "/het-delen-waard/", "/inloggen/"):
        assert anonymous.get(url).status_code == 200, url

    # Writes: a login (session and throttle in the database), a progress note, a password-reset request.
    login = anonymous.post("/inloggen/", {"username": people.owner.username, "password": "geheim-wachtwoord-123"})
    assert login.status_code == 302
    assert anonymous.get(reverse("actieplan:action_list")).status_code == 200
    url = reverse("actieplan:action_detail", args=[plan.pk])
    response = submit(client, url, "note", note=NOTE)
    assert response.status_code == 302
    assert ActionUpdate.objects.filter(action=plan, note=NOTE, author=people.werkgroeplid).count() == 1
    assert NOTE in client.get(url).content.decode()
    reset = anonymous.post(reverse("wagtailadmin_password_reset"), {"email": people.owner.email})
    assert reset.status_code == 302

    health = client.get("/health/?format=json")
    assert health.status_code == 500
    report = health.json()
    assert report["Database"] == "OK"
    assert report["Cache (Redis)"].startswith("storing: niet bereikbaar: de site werkt")
    assert client.get("/health/web/?format=json").status_code == 200

    redis_cache.start()
    time.sleep(0.3)
    for url in pages(plan):
        assert client.get(url).status_code == 200, url
    assert client.get("/health/?format=json").json()["Cache (Redis)"] == "OK"
    assert redis_keys(redis_cache) > 0, "back on Redis"


def test_a_change_the_cache_missed_while_redis_was_down_is_not_shown_once_redis_is_back(client, settings,
                                                                                        monkeypatch):
    """Redis kept with ``appendonly`` (as in docker-compose) comes back with what it had. A site changed while it
    was down: Wagtail's delete of its cached site roots could not reach Redis, and the old entry would be served
    again. The backend deletes it as soon as Redis answers, before anything is read."""
    server = RedisServer(persistent=True).start()
    try:
        monkeypatch.setattr(resilient, "RETRY_AFTER", 0.2)
        settings.CACHES = {"default": {"BACKEND": "lobplatform.cache.ResilientRedisCache", "LOCATION": server.url,
                                       "KEY_PREFIX": "lob"}}
        assert client.get("/").status_code == 200
        before = Site.get_site_root_paths()[0].root_url  # what {% pageurl %} asks, cached
        assert before != "https://lob.example.nl"
        cache = caches["default"]
        assert cache.get(SITE_ROOT_PATHS_CACHE_KEY, version=SITE_ROOT_PATHS_CACHE_VERSION), "kept in Redis"

        server.stop()
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = "lob.example.nl", 443
        site.save()  # Wagtail clears its cached site roots: the delete cannot reach Redis
        assert client.get("/").status_code == 200
        assert Site.get_site_root_paths()[0].root_url == "https://lob.example.nl"

        server.start()
        time.sleep(0.3)
        assert Site.get_site_root_paths()[0].root_url == "https://lob.example.nl", "not the entry from before"
        assert client.get("/").status_code == 200
    finally:
        server.cleanup()


# --- a mail while Redis is down (PostgreSQL: the worker shares the test database) --------------------------------

@pytest.fixture
def smtp():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def worker_env(redis_server, smtp):
    return platform_process_env(redis_server.url, smtp.port, DB_CONN_MAX_AGE="0",
                                LOB_REMINDER_REQUEUE_AFTER_MINUTES="0")


@pytest.fixture
def broker(redis_cache):
    """This process queues its mails on the real Redis, like a web worker in production."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = redis_cache.url, False
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    yield redis_cache
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def offer_pending(server):
    """What beat sends every few minutes: queue again what was decided but not sent."""
    app = Celery("beat-stand-in", broker=server.url)
    try:
        app.send_task("actieplan.tasks.offer_pending_reminders")
    finally:
        app.close()


def test_a_mail_that_could_not_be_queued_while_redis_was_down_goes_out_once_when_it_is_back(
        client, people, plan, broker, smtp):
    if connection.vendor != "postgresql":
        pytest.skip("the Celery worker is a separate process sharing the test database: PostgreSQL only")
    workers = [CeleryWorker(worker_env(broker, smtp), concurrency=1).start()]
    try:
        broker.stop()
        client.force_login(people.owner)
        url = reverse("actieplan:action_detail", args=[plan.pk])
        start = time.monotonic()
        response = submit(client, url, "note", note="Afgerond: twaalf stageplekken.", new_status="afgerond")
        assert response.status_code == 302 and time.monotonic() - start < 10
        assert Action.objects.get(pk=plan.pk).status == ActionStatus.AFGEROND
        told = Reminder.objects.get(action=plan, kind=ReminderKind.COMPLETED)
        assert told.recipient == people.procesbewaker and told.sent_at is None, "decided, not sent: no queue"

        broker.start()
        deadline = time.monotonic() + 90
        while not Reminder.objects.filter(pk=told.pk, sent_at__isnull=False).exists():
            assert time.monotonic() < deadline, workers[-1].log()[-3000:]
            if workers[-1].proc.poll() is not None:  # Celery may exit on a lost broker; the supervisor restarts it
                workers.append(CeleryWorker(worker_env(broker, smtp), concurrency=1).start())
            offer_pending(broker)
            time.sleep(2)
        time.sleep(3)  # any second copy would arrive now
        counts = Counter(message["X-LOB-Reminder"] for _rcpt, message in smtp.received())
        # Each mail once (the plan's own assignment mail, unsent until now, is offered again and goes out too).
        assert counts[told.key] == 1 and set(counts.values()) == {1}
        [(rcpt, message)] = [(r, m) for r, m in smtp.received() if m["X-LOB-Reminder"] == told.key]
        assert rcpt == [people.procesbewaker.email] and message["Message-ID"].strip() == Reminder.objects.get(
            pk=told.pk).message_id
    finally:
        for worker in workers:
            worker.stop()
