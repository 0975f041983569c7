"""Celery tasks of the action plan: thin wrappers around ``actieplan.reminders`` and ``actieplan.emails``.

Celery is optional (``pip install lob-actieplan[celery]``). A mail is queued on a broker only when the site
configured one (``CELERY_BROKER_URL``, or ``broker_url`` on its Celery app) and does not run tasks eagerly;
otherwise it is sent in-process once the transaction has committed, and nothing tries to reach a broker that
is not there. Without Celery, run ``manage.py send_reminders`` hourly (cron) for the scan.

The beat schedule (``CELERY_BEAT_SCHEDULE`` in settings) runs :func:`scan_reminders` hourly,
:func:`send_weekly_digests` on Monday at 07:00 Europe/Amsterdam, :func:`offer_pending_reminders` every few
minutes and :func:`heartbeat` every minute. The scan commits its decision first and only then queues one
:func:`deliver_reminder` per new row, so a lost queue (Redis restarted, worker killed) loses nothing: unsent
rows are offered again. Every task that fails because the database went away is retried.
"""

import logging
import random
import smtplib
import socket
import sys

from django.db import close_old_connections, transaction

from actieplan.reminders import emails, retention, scan as reminders
from actieplan.reminders.emails import DATABASE_ERRORS
from actieplan.reminders.models import Heartbeat

try:
    from celery import shared_task
except ImportError:  # Celery is optional: the tasks become plain functions, the mails go out after commit
    shared_task = None

logger = logging.getLogger(__name__)

#: Errors worth retrying: the mail server or the network, not a bug in a template.
MAIL_ERRORS = (smtplib.SMTPException, ConnectionError, socket.timeout, TimeoutError, OSError)


class _Unbound:
    """What a bound task gets as ``self`` without Celery: no retries, the error is raised to the caller."""

    name = "actieplan.tasks"

    class request:  # noqa: N801 - mirrors Celery's task.request
        retries = 0
        hostname = ""

    def retry(self, exc=None, **options):
        raise exc or sys.exc_info()[1] or RuntimeError("opnieuw proberen kan alleen met Celery")


def task(**options):
    """``shared_task(**options)`` when Celery is installed, else the plain function (no ``.delay``)."""
    if shared_task is not None:
        return shared_task(**options)
    if options.get("bind"):
        return lambda function: lambda *args, **kwargs: function(_Unbound(), *args, **kwargs)
    return lambda function: function


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
            logger.warning("Kon herinnering %s niet in de wachtrij zetten (Redis?); ze blijft onverstuurd in de "
                           "database en wordt opnieuw aangeboden", reminder_id, exc_info=True)
            break
    return queued


def enqueue_on_commit(reminder_ids):
    """Queue deliveries once the current transaction has committed (the rows must be visible)."""
    ids = list(reminder_ids)
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def _backoff(retries, start=30, cap=3600):
    """Seconds before retry number ``retries + 1``: doubling from ``start``, at most ``cap``, with some jitter so
    tasks that failed together (a database restart) do not come back together."""
    return min(cap, start * 2 ** retries) * random.uniform(0.8, 1.2)


def _retry_on_database_error(task, error):
    """A task that failed because the database went away (a restart) runs again once it may be back."""
    close_old_connections()
    logger.warning("%s: database niet bereikbaar (%s); opnieuw over een poos", task.name, error)
    raise task.retry(exc=error, countdown=_backoff(task.request.retries, start=15, cap=600))


@task(name="actieplan.tasks.scan_reminders", bind=True, acks_late=True, max_retries=6, soft_time_limit=240,
             time_limit=300)
def scan_reminders(self):
    """Hourly: decide which reminders are due (state-based, catches up missed runs) and queue their delivery.

    Also re-offers rows that were decided earlier but never sent (worker killed, queue lost). A database error
    (a restart) is retried.
    """
    try:
        result = reminders.scan()
        ids = sorted(set(result.new_ids) | set(reminders.pending_ids()))
    except DATABASE_ERRORS as error:
        _retry_on_database_error(self, error)
    queued = enqueue(ids)
    return {"nieuw": len(result.new_ids), "in_wachtrij": queued, **dict(result.counts)}


@task(name="actieplan.tasks.send_weekly_digests", bind=True, acks_late=True, max_retries=6,
             soft_time_limit=240, time_limit=300)
def send_weekly_digests(self):
    """Monday 07:00: decide this week's digest per person (once per person per week) and queue them."""
    try:
        result = reminders.scan(digests=True, deadlines=False)
    except DATABASE_ERRORS as error:
        _retry_on_database_error(self, error)
    return {"nieuw": len(result.new_ids), "in_wachtrij": enqueue(result.new_ids)}


@task(name="actieplan.tasks.offer_pending_reminders", bind=True, acks_late=True, max_retries=3,
             soft_time_limit=60, time_limit=90)
def offer_pending_reminders(self):
    """Every few minutes (``LOB_REMINDER_OFFER_MINUTES``): queue again what was decided but not sent, so mails
    that could not be queued while Redis was down go out soon after it is back, not only at the next hourly
    scan. Fresh rows are left to the delivery already queued for them (``LOB_REMINDER_REQUEUE_AFTER_MINUTES``)."""
    try:
        ids = reminders.pending_ids()
    except DATABASE_ERRORS as error:
        _retry_on_database_error(self, error)
    return {"in_wachtrij": enqueue(ids)}


@task(name="actieplan.tasks.deliver_reminder", bind=True, acks_late=True, max_retries=10,
             soft_time_limit=90, time_limit=120)
def deliver_reminder(self, reminder_id, sent_message_id=None):
    """Send one logged reminder (see ``emails.deliver`` for the guarantee). A refused send and a database error
    are retried with a growing pause; a send whose mark the database could not take retries the mark only."""
    try:
        return emails.deliver(reminder_id, sent_message_id=sent_message_id)
    except emails.NotMarked as not_marked:
        close_old_connections()
        logger.warning("%s", not_marked)
        raise self.retry(kwargs={"reminder_id": reminder_id, "sent_message_id": not_marked.message_id},
                         countdown=_backoff(self.request.retries, start=10, cap=120))
    except DATABASE_ERRORS as error:
        _retry_on_database_error(self, error)
    except MAIL_ERRORS as error:
        raise self.retry(exc=error, countdown=_backoff(self.request.retries))


@task(name="actieplan.tasks.heartbeat", bind=True, ignore_result=True, acks_late=False, soft_time_limit=20,
             time_limit=30)
def heartbeat(self):
    """Sent by beat every ``LOB_HEARTBEAT_SECONDS``: a worker that runs it records that it is alive (``/health/``
    reports a worker whose last run is older than two intervals)."""
    Heartbeat.record("worker", detail=self.request.hostname or "")


@task(name="actieplan.tasks.apply_retention", bind=True, acks_late=True, max_retries=3, soft_time_limit=600,
             time_limit=900)
def apply_retention(self):
    """Daily: remove what is past its retention (``actieplan.reminders.retention``; also ``manage.py
    apply_retention``)."""
    try:
        return retention.apply()
    except DATABASE_ERRORS as error:
        _retry_on_database_error(self, error)
