"""The log of reminders and notifications: each decided once (a unique key), sent once (see emails.deliver)."""

import datetime
import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, ngettext

from actieplan.formats import day_label, moment_label
from actieplan.formats import person_name

_DAY = r"(\d{4}-\d{2}-\d{2})"
_PERIOD_PATTERNS = [
    (re.compile(rf"^{_DAY}/(\d+)d$"), "before"),
    (re.compile(rf"^{_DAY}/\+(\d+)d$"), "after"),
    (re.compile(rf"^{_DAY}$"), "on"),
    (re.compile(r"^(\d{4})-W(\d{2})$"), "week"),
    (re.compile(rf"^{_DAY}T(\d{{2}}:\d{{2}})"), "change"),
    (re.compile(r"^overleg-(\d+)$"), "meeting"),
    (re.compile(r"^wijziging-(\d+)$"), "followed"),
    (re.compile(r"^overleg-(\d+)-(\d+)$"), "addendum"),
]


def period_label(period):
    """The period of a log row as a person reads it ("3 dagen vóór de deadline van 5 december 2026").

    The stored value stays the machine key (part of the unique key); unknown shapes are shown as they are.
    """
    for pattern, shape in _PERIOD_PATTERNS:
        match = pattern.match(period)
        if not match:
            continue
        if shape == "week":
            return _("week %(week)s of %(year)s") % {"week": int(match[2]), "year": match[1]}
        if shape == "meeting":
            return _("meeting no. %(number)s") % {"number": match[1]}
        if shape == "followed":
            return _("change no. %(number)s") % {"number": match[1]}
        if shape == "addendum":
            return _("addendum %(addendum)s to the minutes of meeting no. %(number)s") % {
                "addendum": match[2], "number": match[1]}
        day = day_label(datetime.date.fromisoformat(match[1]))
        if shape == "on":
            return _("deadline on %(day)s") % {"day": day}
        if shape == "change":
            return _("change on %(day)s, %(time)s") % {"day": day, "time": match[2]}
        days = int(match[2])
        if shape == "before":
            return ngettext("%(days)d day before the deadline of %(day)s", "%(days)d days before the deadline of %(day)s",
                            days) % {"days": days, "day": day}
        return ngettext("%(days)d day after the deadline of %(day)s", "%(days)d days after the deadline of %(day)s",
                        days) % {"days": days, "day": day}
    kind, _sep, rest = period.partition("/")  # a missed reminder: "<kind>/<period>"
    label = dict(ReminderKind.choices).get(kind) if rest else None
    return f"{label}: {period_label(rest)}" if label else period


class ReminderKind(models.TextChoices):
    """What a reminder or notification is about; part of its unique key."""

    BEFORE_DEADLINE = "voor-deadline", _("before the deadline")
    ON_DEADLINE = "op-deadline", _("on the deadline")
    OVERDUE = "verlopen", _("overdue")
    ESCALATION = "escalatie", _("escalation")
    DIGEST = "weekoverzicht", _("weekly summary")
    ASSIGNED = "toegewezen", _("assigned")
    UNASSIGNED = "overgedragen", _("handed over to someone else")
    COMPLETED = "afgerond", _("done")
    BLOCKED = "geblokkeerd", _("blocked")
    NO_EMAIL = "geen-e-mailadres", _("owner without an email address")
    CHECKIN = "overleg-checkin", _("check-in before a meeting")
    MINUTES = "overleg-verslag", _("minutes of a meeting")
    FOLLOWED = "gevolgd", _("change in something you follow")
    ADDENDUM = "overleg-aanvulling", _("addendum to minutes")
    INVITATION = "uitnodiging", _("invitation as process facilitator")


class Reminder(models.Model):
    """One row per (action, kind, period, recipient) that was decided, written in the decision's transaction.

    The unique ``key`` makes a second scan, a retry or a second worker a no-op. Delivery (``emails.deliver``)
    claims the row (``claimed_at``, ``message_id``) in a committed transaction before the mail server sees the
    message and sets ``sent_at`` after it accepted it; see ``emails.deliver`` for what that guarantees.

    Written in bulk (the first scan of a backlog inserts tens of thousands of rows at once), so the
    table carries only the indexes it is read by. Like Wagtail's own log entries, the links to the
    action and the recipient have no database constraint: two deferred foreign-key checks per row
    cost the scan more than the insert itself. The log keeps its rows when a person or an action is
    deleted (Django empties the link, ``on_delete=SET_NULL``; the key, kind, period and address stay), and
    delivery cancels a row whose action or recipient is gone.
    """

    key = models.CharField(_("key"), max_length=200)
    action = models.ForeignKey("actieplan.Action", verbose_name=_("action"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="reminders", db_constraint=False)
    kind = models.CharField(_("type"), max_length=20, choices=ReminderKind.choices)
    period = models.CharField(_("period"), max_length=40,
                              help_text=_("The date or week this reminder is for."))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="lob_reminders", db_constraint=False)
    email = models.EmailField(_("email address"), blank=True)
    created_at = models.DateTimeField(_("decided on"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent on"), null=True, blank=True)
    cancelled_at = models.DateTimeField(
        _("not sent on"), null=True, blank=True,
        help_text=_("Set when the reminder was deliberately not sent (no email address, action done or "
                    "deadline moved); the reason is in the last error."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(
        _("sending since"), null=True, blank=True,
        help_text=_("Set just before the mail server receives the message; as long as that was recent, no "
                    "other worker sends this reminder."))
    # db_default: the scan's INSERT … SELECT statements name their columns and leave this one out.
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, default="", db_default="",
        help_text=_("The Message-ID of the sent message; every attempt for this reminder carries the same one."))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at"], name="reminder_sent_at")]
        # A constraint rather than unique=True: the same unique index, without the second
        # (varchar_pattern_ops) index Django adds for unique text fields; keys are never searched with LIKE.
        constraints = [models.UniqueConstraint(fields=["key"], name="reminder_key_unique")]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return self.key

    # Read by the admin's listing, inspect view and export: names and dates as people read them.
    def get_period_display(self):
        return period_label(self.period)

    def get_recipient_display(self):
        if self.recipient is None:
            return self.email or _("deleted user")
        return person_name(self.recipient)

    def get_action_display(self):
        return str(self.action) if self.action is not None else "—"

    def get_created_at_display(self):
        return moment_label(self.created_at)

    def get_sent_at_display(self):
        return moment_label(self.sent_at)

    def get_cancelled_at_display(self):
        return moment_label(self.cancelled_at)

    @staticmethod
    def make_key(kind, period, recipient_id, action_id=None):
        return f"{action_id or '-'}:{kind}:{period}:{recipient_id or '-'}"


class Heartbeat(models.Model):
    """The last sign of life of a background process (``beat``: its scheduler ticked; ``worker``: a worker ran
    the heartbeat task beat sends), read by ``/health/``."""

    name = models.CharField(_("component"), max_length=20, primary_key=True)
    at = models.DateTimeField(_("last sign of life"))
    detail = models.CharField(_("by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return f"{self.name}: {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name, detail="", now=None):
        cls.objects.update_or_create(name=name, defaults={"at": now or timezone.now(), "detail": detail[:200]})
