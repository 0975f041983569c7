"""Celery's autodiscovery imports ``<app>.tasks``; the action plan's tasks live with the reminders.

Their names stay ``actieplan.tasks.<name>`` (the beat schedule and queued messages use them).
"""

from actieplan.reminders.tasks import (  # noqa: F401
    apply_retention, deliver_reminder, heartbeat, offer_pending_reminders, scan_reminders, send_weekly_digests,
)
