"""Celery's autodiscovery imports ``<app>.tasks``; the action plan's tasks live with the reminders, and the one
that crosses capabilities (the regional benchmark's weekly snapshot) lives here.

Their names stay ``actieplan.tasks.<name>`` (the beat schedule and queued messages use them).
"""

from actieplan.reflection import benchmark
from actieplan.reminders.emails import DATABASE_ERRORS
from actieplan.reminders.tasks import (  # noqa: F401
    _retry_on_database_error, apply_retention, deliver_reminder, heartbeat, offer_pending_reminders,
    scan_reminders, send_weekly_digests, task,
)


@task(name="actieplan.tasks.take_benchmark_snapshot", bind=True, acks_late=True, max_retries=6,
      soft_time_limit=240, time_limit=300)
def take_benchmark_snapshot(self):
    """Monday just after 00:00: this week's regional benchmark (``reflection.benchmark.snapshot``), so the first
    visitor of the week does not wait for it. Without it the first page that shows the benchmark makes it; either
    way there is one per week, made from what stood on Monday 00:00."""
    try:
        made = benchmark.snapshot()
    except DATABASE_ERRORS as error:
        _retry_on_database_error(self, error)
    return {"week": made.week.isoformat(), "samenwerkingsverbanden": len(made.figures)}
