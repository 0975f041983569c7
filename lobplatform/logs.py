"""Logs an operator can search: one JSON object per line in production, each carrying the request or task it
belongs to.

- :class:`RequestContextMiddleware` gives every request an id (the ``X-Request-ID`` the proxy sent, nginx's
  ``$request_id``, or a new one), answers with it in ``X-Request-ID`` and keeps the request at hand for the log.
- :class:`ContextFilter` adds to every record logged during a request its ``request_id``, ``path`` and ``method``,
  and the ``user_id`` once the request's user is known (always on errors); during a Celery task, the task's name
  and id.
- :class:`JsonFormatter` writes a record as one JSON object per line: ``time``, ``level``, ``logger``, ``message``,
  the context above and, for an exception, ``exception`` with the traceback. Production uses it (``LOG_FORMAT``,
  default ``json`` there, ``plain`` elsewhere).
- :func:`log_audit_entry` writes every deletion and archiving that Wagtail's audit log records (pages, snippets,
  actions, partnerships, images, users) to the operator's log as well, and :func:`log_import` every import of
  actions. The reminders log their scans and every mail sent or not (``actieplan.reminders``).
"""

import contextvars
import datetime
import json
import logging
import re
import uuid

from celery import current_task
from django.db import transaction
from django.utils.functional import empty

logger = logging.getLogger("lobplatform.operations")

_request = contextvars.ContextVar("lob_request", default=None)
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
#: Audit-log actions an operator wants in the log, and how the line names them.
LOGGED_ACTIONS = {"wagtail.delete": "verwijderd", "actieplan.gearchiveerd": "gearchiveerd"}


class RequestContextMiddleware:
    """First in the chain: the request id for the log and the response (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response["X-Request-ID"] = request.request_id
        return response


def _user_id(request, force):
    """The request's user id once Django resolved it; on an error also when it had not (one session look-up)."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    try:
        wrapped = getattr(user, "_wrapped", user)
        if wrapped is not empty:
            return getattr(wrapped, "pk", None)
        return getattr(user, "pk", None) if force else None
    except Exception:  # noqa: BLE001 - the database may be the error being logged
        return None


class ContextFilter(logging.Filter):
    """Adds the request's or the task's context to every record (never drops one)."""

    def filter(self, record):
        request = getattr(record, "request", None) or _request.get()
        if request is not None and hasattr(request, "META"):
            record.request_id = getattr(request, "request_id", "")
            record.path = request.path
            record.method = request.method
            record.user_id = _user_id(request, force=record.levelno >= logging.ERROR)
        task = current_task
        if task is not None and getattr(task, "request", None) is not None and task.request.id:
            record.task = task.name
            record.task_id = task.request.id
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (see the module)."""

    CONTEXT = ("request_id", "user_id", "path", "method", "status_code", "task", "task_id")

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.timezone.utc).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in self.CONTEXT:
            value = getattr(record, name, None)
            if value not in (None, ""):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_audit_entry(sender, instance, created, raw=False, **kwargs):
    """A deletion or archiving in Wagtail's audit log, written to the operator's log too."""
    if raw or not created or instance.action not in LOGGED_ACTIONS:
        return
    content_type = instance.content_type
    logger.info("%s %s: %s (id %s) door gebruiker %s", content_type.model_class()._meta.verbose_name
                if content_type and content_type.model_class() else "object", LOGGED_ACTIONS[instance.action],
                instance.label, instance.object_id, instance.user_id)


def log_import(sender, instance, created, raw=False, **kwargs):
    """A confirmed import of actions (its receipt), written to the operator's log once it has committed."""
    if raw or not created:
        return
    receipt_id = instance.pk

    def committed():
        receipt = sender.objects.filter(pk=receipt_id).values("action_count", "partnership_id", "user_id").first()
        if receipt:
            logger.info("Import verwerkt: %s acties in samenwerkingsverband %s door gebruiker %s (bon %s)",
                        receipt["action_count"], receipt["partnership_id"], receipt["user_id"], receipt_id)

    transaction.on_commit(committed)


def logging_config(fmt="plain", level="INFO"):
    """Django's ``LOGGING`` for this site: one handler (the root's, on standard error), in ``fmt`` (``json`` or
    ``plain``), with the request and task context on every record."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "lobplatform.logs.ContextFilter"}},
        "formatters": {
            "plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"},
            "json": {"()": "lobplatform.logs.JsonFormatter"},
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["context"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's default config gives "django" its own console handler as well; with the root's that
            # printed every line twice ("Watching for file changes" twice). One handler: the root's.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            # One line per request (runserver); gunicorn writes its own access log line instead.
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
            "django.db.backends": {"level": "WARNING"},
            # Wagtail's background tasks (search index, reference index) run in-process; keep them quiet.
            "django_tasks": {"level": "WARNING"},
            "wagtail": {"level": "WARNING"},
            # django-health-check logs every failing check with a traceback; /health/ reports it (health.py).
            "health_check": {"level": "ERROR"},
        },
    }
