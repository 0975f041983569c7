"""Celery beat's scheduler with a heartbeat: each tick records that beat is alive, for ``/health/``.

Set ``CELERY_BEAT_SCHEDULER = "actieplan.reminders.beat:Scheduler"``. Beat ticks at least every time an entry is
due; the heartbeat entry (``actieplan.tasks.heartbeat``, every ``LOB_HEARTBEAT_SECONDS``) keeps the ticks that
frequent, so a beat that stopped shows within two intervals.
"""

import logging
import socket
import time

from celery.beat import PersistentScheduler
from django.db import close_old_connections

from actieplan.conf import app_settings
from actieplan.reminders.emails import DATABASE_ERRORS
from actieplan.reminders.models import Heartbeat

logger = logging.getLogger(__name__)


class Scheduler(PersistentScheduler):
    """Celery's default scheduler (the schedule file), recording a heartbeat at most every half heartbeat
    interval (and at most every ten seconds)."""

    recorded_at = 0.0

    def tick(self, *args, **kwargs):
        if time.monotonic() - self.recorded_at >= min(10, app_settings.LOB_HEARTBEAT_SECONDS / 2):
            try:
                close_old_connections()  # beat serves no requests: drop a connection a database restart broke
                Heartbeat.record("beat", detail=socket.gethostname())
                self.recorded_at = time.monotonic()
            except DATABASE_ERRORS:
                logger.warning("Beat: hartslag niet vastgelegd (database niet bereikbaar)", exc_info=True)
        return super().tick(*args, **kwargs)
