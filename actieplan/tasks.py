"""Celery's autodiscovery imports ``<app>.tasks``; the action plan's tasks live with the reminders.

Their names stay ``actieplan.tasks.<name>`` (the beat schedule and queued messages use them).
"""

from actieplan.reminders.tasks import deliver_reminder, scan_reminders, send_weekly_digests  # noqa: F401
