"""The operator's health endpoint (/health/): database, cache and, when configured, the Celery broker.

django-health-check does the checking; this only picks the checks this platform depends on, so the compose
healthchecks and a load balancer ask one URL. It answers 200 when all pass, 500 otherwise; ``?format=json``
gives a machine-readable summary.
"""

from django.conf import settings
from health_check.views import HealthCheckView


def _broker_client():
    from redis.asyncio import Redis as RedisClient

    return RedisClient.from_url(settings.CELERY_BROKER_URL)


class PlatformHealthView(HealthCheckView):
    """Database, the shared cache and the Redis broker (only when REDIS_URL is set)."""

    @property
    def checks(self):
        checks = ["health_check.checks.Database", "health_check.checks.Cache"]
        if settings.CELERY_BROKER_URL.startswith("redis"):
            checks.append(("health_check.contrib.redis.Redis", {"client_factory": _broker_client}))
        return checks
