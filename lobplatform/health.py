"""The operator's health endpoints: what works, what is down, in Dutch.

- ``/health/`` checks every part: the database, the cache (Redis), and, when Celery runs on Redis, the broker, a
  worker (it ran the heartbeat task beat sends every ``LOB_HEARTBEAT_SECONDS``) and beat (its scheduler ticked),
  each within two intervals. It answers 200 when all pass and 500 otherwise, for monitoring; the body (``?format=json``
  for machines) names each part and what is wrong with it. It keeps answering while Redis is down: the site still
  works then, slower, and this page says so.
- ``/health/web/`` checks only what this web process needs to answer pages: the database. Load balancers and the
  compose healthcheck of ``web`` ask it, so a Redis restart or a stopped worker does not take the site out of
  rotation (and beat, which starts after ``web`` is healthy, is not waited on by ``web``).

django-health-check runs the checks; the checks themselves are here, so their names and messages read as an
operator needs them.
"""

import dataclasses
import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connections
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from redis import Redis
from redis.exceptions import RedisError

from actieplan.conf import app_settings
from actieplan.reminders.models import Heartbeat

logger = logging.getLogger(__name__)

#: How long one probe may wait for Redis.
PROBE_SECONDS = 2


class Down(ServiceUnavailable):
    """A part that does not work; the report reads "storing: <what it means for the site>"."""

    message_type = "storing"


class _Named(HealthCheck):
    """A check whose report names it the way an operator reads it."""

    label = ""

    def __repr__(self):
        return self.label


@dataclasses.dataclass(repr=False)
class DatabaseCheck(_Named):
    label = "Database"

    def run(self):
        try:
            with connections["default"].temporary_connection() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            raise Down(f"niet bereikbaar: pagina's en opslaan werken niet ({_first_line(error)})")


@dataclasses.dataclass(repr=False)
class CacheCheck(_Named):
    """Writes a value and reads it back, past the fallback of ``lobplatform.cache`` (which would hide an outage)."""

    label = "Cache (Redis)"

    def run(self):
        key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
        backend = caches["default"]
        if isinstance(backend, RedisCache):
            try:
                RedisCache.set(backend, key, value, PROBE_SECONDS * 5)
                kept = RedisCache.get(backend, key)
                RedisCache.delete(backend, key)
            except (RedisError, OSError) as error:
                raise Down(f"niet bereikbaar: de site werkt, zonder cache en dus trager "
                                         f"({_first_line(error)})")
        else:
            backend.set(key, value, PROBE_SECONDS * 5)
            kept = backend.get(key)
            backend.delete(key)
        if kept != value:
            raise Down("bewaart niets: de site werkt, zonder cache en dus trager")


@dataclasses.dataclass(repr=False)
class BrokerCheck(_Named):
    label = "Wachtrij (Redis)"

    def run(self):
        try:
            Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=PROBE_SECONDS,
                           socket_timeout=PROBE_SECONDS).ping()
        except (RedisError, OSError) as error:
            raise Down(f"niet bereikbaar: mails blijven onverstuurd in de database staan en gaan "
                                     f"weg zodra de wachtrij terug is ({_first_line(error)})")


@dataclasses.dataclass(repr=False)
class HeartbeatCheck(_Named):
    """A background process that records a heartbeat (see ``actieplan.reminders.beat`` and the heartbeat task)."""

    name: str = "worker"

    @property
    def label(self):
        return {"worker": "Celery-worker", "beat": "Celery-beat"}[self.name]

    def run(self):
        interval = datetime.timedelta(seconds=app_settings.LOB_HEARTBEAT_SECONDS)
        try:
            with connections["default"].temporary_connection():
                last = Heartbeat.objects.filter(name=self.name).values_list("at", flat=True).first()
        except DatabaseError:
            raise Down("onbekend: de database is niet bereikbaar")
        what = {"worker": "heeft de hartslagtaak niet uitgevoerd", "beat": "heeft niet getikt"}[self.name]
        if last is None:
            raise Down(f"{what}: nog nooit (draait hij?)")
        silent = timezone.now() - last
        if silent > 2 * interval:
            raise Down(
                f"{what} sinds {int(silent.total_seconds())} s (verwacht elke {int(interval.total_seconds())} s); "
                + ("herinneringen worden niet verstuurd" if self.name == "worker"
                   else "er worden geen scans en hartslagen meer gestart"))


def _first_line(error):
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def celery_on_redis():
    return settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://"))


class _Quiet(HealthCheckView):
    """A failing report is the answer to a probe, not a server error: one line in the log at INFO level (the
    outage itself is logged where it happens), instead of Django's error with a traceback every probe."""

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        if response.status_code >= 500:
            response._has_been_logged = True
            logger.info("Gezondheid %s: %s", request.path, "; ".join(
                f"{result.check!r}: {result.error}" for result in self.results if result.error))
        return response


class PlatformHealthView(_Quiet):
    """Every part (see the module): 200 when all pass, 500 otherwise."""

    @property
    def checks(self):
        checks = [DatabaseCheck, CacheCheck]
        if celery_on_redis():
            checks += [BrokerCheck, (HeartbeatCheck, {"name": "worker"}), (HeartbeatCheck, {"name": "beat"})]
        return checks


class WebHealthView(_Quiet):
    """What this web process needs to serve pages: the database (for load balancers and the compose healthcheck)."""

    checks = [DatabaseCheck]
