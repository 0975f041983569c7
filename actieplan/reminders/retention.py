"""How long the operational records are kept, and the one function that removes what is older.

- **Reminder log**: ``LOB_REMINDER_LOG_RETENTION_DAYS`` (730: two school years). The log is what keeps a reminder
  from going out twice, but only for periods the scan can still decide: the current overdue step, deadlines ahead,
  this week's digest, meetings to come. Older rows are history. One kind is kept whatever its age: the escalation
  of an action that is still open, because the scan asks whether it was sent before escalating again.
- **Import receipts**: ``LOB_IMPORT_RECEIPT_RETENTION_DAYS`` (365). A receipt makes a confirmed import preview
  importable once; a preview expires after six hours, so older receipts only tell what was imported when.
- **Rate-limit counters** (``actieplan.ratelimits``): a day; their windows last minutes.
- **Expired login sessions**: Django's own ``clearsessions``.

``manage.py apply_retention`` (daily from cron, or the beat task ``actieplan.tasks.apply_retention``) runs
:func:`apply`; ``--dry-run`` counts without removing. Every run is logged.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from actieplan import ratelimits
from actieplan.actions.models import ACTIVE_STATUSES, ImportReceipt
from actieplan.conf import app_settings
from actieplan.reminders.models import Reminder, ReminderKind

logger = logging.getLogger(__name__)

DATABASE_SESSIONS = {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


def expired(now=None):
    """``{what: queryset}`` of everything past its retention at ``now``."""
    now = now or timezone.now()
    log_cutoff = now - datetime.timedelta(days=app_settings.LOB_REMINDER_LOG_RETENTION_DAYS)
    receipt_cutoff = now - datetime.timedelta(days=app_settings.LOB_IMPORT_RECEIPT_RETENTION_DAYS)
    still_escalating = Reminder.objects.filter(kind=ReminderKind.ESCALATION, action__status__in=ACTIVE_STATUSES)
    expired = {
        "herinneringen": Reminder.objects.filter(created_at__lt=log_cutoff).exclude(
            pk__in=still_escalating.values("pk")),
        "importbonnen": ImportReceipt.objects.filter(created_at__lt=receipt_cutoff),
        "limiettellers": ratelimits.RateCounter.objects.filter(started_at__lt=now - ratelimits.KEEP),
    }
    if settings.SESSION_ENGINE in DATABASE_SESSIONS:  # a site with sessions elsewhere has no such table to clean
        expired["verlopen sessies"] = Session.objects.filter(expire_date__lt=now)
    return expired


def apply(now=None, dry_run=False):
    """Remove (or with ``dry_run`` only count) what is past its retention; returns ``{what: number}``."""
    counts = {}
    # One DELETE per kind: nothing refers to these rows and nothing cached shows them, so Django's per-row
    # collection (and its signals, for a hundred thousand log rows) would only cost time.
    for what, rows in expired(now).items():
        counts[what] = rows.count() if dry_run else rows._raw_delete(rows.db)
    logger.info("Bewaartermijnen %s: %s", "geteld (proef)" if dry_run else "toegepast",
                ", ".join(f"{n} {what}" for what, n in counts.items()))
    return counts
