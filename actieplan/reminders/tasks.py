"""Celery tasks of the action plan: thin wrappers around ``actieplan.reminders`` and ``actieplan.emails``.

Celery is optional (``pip install lob-actieplan[celery]``). A mail is queued on a broker only when the site
configured one (``CELERY_BROKER_URL``, or ``broker_url`` on its Celery app) and does not run tasks eagerly;
otherwise it is sent in-process once the transaction has committed, and nothing tries to reach a broker that
is not there. Without Celery, run ``manage.py send_reminders`` hourly (cron) for the scan.

The beat schedule (``CELERY_BEAT_SCHEDULE`` in settings) runs :func:`scan_reminders` hourly and
:func:`send_weekly_digests` on Monday at 07:00 Europe/Amsterdam. The scan commits its decision
first and only then queues one :func:`deliver_reminder` per new row, so a lost queue (Redis
restarted, worker killed) loses nothing: the next scan offers unsent rows again.
"""

import logging
import smtplib
import socket

from django.db import transaction

from actieplan.reminders import emails, scan as reminders

try:
    from celery import shared_task
except ImportError:  # Celery is optional: the tasks become plain functions, the mails go out after commit
    shared_task = None

logger = logging.getLogger(__name__)

#: Errors worth retrying: the mail server or the network, not a bug in a template.
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, socket.timeout, TimeoutError, OSError)


def task(**options):
    """``shared_task(**options)`` when Celery is installed, else the plain function (no ``.delay``)."""
    if shared_task is None:
        return lambda function: function
    return shared_task(**options)


def broker_configured():
    """Is there a broker to queue deliveries on? Only when Celery is installed, the site configured a broker
    and tasks do not run eagerly. Celery's own default app (a site that never set Celery up) has no
    ``broker_url``: asking it to queue would try amqp://localhost:5672 for every mail."""
    if shared_task is None:
        return False
    conf = deliver_reminder.app.conf
    return bool(conf.broker_url) and not conf.task_always_eager


def enqueue(reminder_ids):
    """Queue a delivery per row; a broker outage is logged, not raised (the next scan re-offers them)."""
    if not broker_configured():
        # No broker (embedded default, or a site without Celery): send right here, without Celery's
        # eager retries, which would keep a web request waiting on a dead mail server. A failure stays
        # on the row and the next ``send_reminders`` run sends it.
        for reminder_id in reminder_ids:
            try:
                emails.deliver(reminder_id)
            except Exception:  # noqa: BLE001 - logged on the row and here
                logger.exception("Herinnering %s niet verstuurd; de volgende scan probeert het opnieuw", reminder_id)
        return len(reminder_ids)
    queued = 0
    for reminder_id in reminder_ids:
        try:
            deliver_reminder.delay(reminder_id)
            queued += 1
        except Exception:  # noqa: BLE001 - broker down; the rows stay unsent and are re-offered
            logger.exception("Kon herinnering %s niet in de wachtrij zetten; de volgende scan probeert het opnieuw",
                             reminder_id)
            break
    return queued


def enqueue_on_commit(reminder_ids):
    """Queue deliveries once the current transaction has committed (the rows must be visible)."""
    ids = list(reminder_ids)
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


@task(name="actieplan.tasks.scan_reminders", acks_late=True, soft_time_limit=240, time_limit=300)
def scan_reminders():
    """Hourly: decide which reminders are due (state-based, catches up missed runs) and queue their delivery.

    Also re-offers rows that were decided earlier but never sent (worker killed, queue lost).
    """
    result = reminders.scan()
    ids = sorted(set(result.new_ids) | set(reminders.pending_ids()))
    queued = enqueue(ids)
    return {"nieuw": len(result.new_ids), "in_wachtrij": queued, **dict(result.counts)}


@task(name="actieplan.tasks.send_weekly_digests", acks_late=True, soft_time_limit=240, time_limit=300)
def send_weekly_digests():
    """Monday 07:00: decide this week's digest per person (once per person per week) and queue them."""
    result = reminders.scan(digests=True, deadlines=False)
    return {"nieuw": len(result.new_ids), "in_wachtrij": enqueue(result.new_ids)}


@task(name="actieplan.tasks.deliver_reminder", bind=True, acks_late=True, autoretry_for=MAIL_ERRORS,
             retry_backoff=30, retry_backoff_max=3600, retry_jitter=True, max_retries=8, soft_time_limit=60,
             time_limit=90)
def deliver_reminder(self, reminder_id):
    """Send one logged reminder exactly once; mail errors are retried with exponential backoff."""
    return emails.deliver(reminder_id)
