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
            return _("week %(week)s van %(year)s") % {"week": int(match[2]), "year": match[1]}
        if shape == "meeting":
            return _("overleg nr. %(number)s") % {"number": match[1]}
        if shape == "followed":
            return _("wijziging nr. %(number)s") % {"number": match[1]}
        if shape == "addendum":
            return _("aanvulling %(addendum)s op het verslag van overleg nr. %(number)s") % {
                "addendum": match[2], "number": match[1]}
        day = day_label(datetime.date.fromisoformat(match[1]))
        if shape == "on":
            return _("deadline %(day)s") % {"day": day}
        if shape == "change":
            return _("wijziging van %(day)s, %(time)s") % {"day": day, "time": match[2]}
        days = int(match[2])
        if shape == "before":
            return ngettext("%(days)d dag vóór de deadline van %(day)s", "%(days)d dagen vóór de deadline van %(day)s",
                            days) % {"days": days, "day": day}
        return ngettext("%(days)d dag na de deadline van %(day)s", "%(days)d dagen na de deadline van %(day)s",
                        days) % {"days": days, "day": day}
    kind, _sep, rest = period.partition("/")  # a missed reminder: "<kind>/<period>"
    label = dict(ReminderKind.choices).get(kind) if rest else None
    return f"{label}: {period_label(rest)}" if label else period


class ReminderKind(models.TextChoices):
    """What a reminder or notification is about; part of its unique key."""

    BEFORE_DEADLINE = "voor-deadline", _("vóór de deadline")
    ON_DEADLINE = "op-deadline", _("op de deadline")
    OVERDUE = "verlopen", _("verlopen")
    ESCALATION = "escalatie", _("escalatie")
    DIGEST = "weekoverzicht", _("weekoverzicht")
    ASSIGNED = "toegewezen", _("toegewezen")
    UNASSIGNED = "overgedragen", _("overgedragen aan een ander")
    COMPLETED = "afgerond", _("afgerond")
    BLOCKED = "geblokkeerd", _("geblokkeerd")
    NO_EMAIL = "geen-e-mailadres", _("eigenaar zonder e-mailadres")
    CHECKIN = "overleg-checkin", _("check-in vóór een overleg")
    MINUTES = "overleg-verslag", _("verslag van een overleg")
    FOLLOWED = "gevolgd", _("wijziging in iets dat je volgt")
    ADDENDUM = "overleg-aanvulling", _("aanvulling op een verslag")
    INVITATION = "uitnodiging", _("uitnodiging als procesbewaker")


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

    key = models.CharField(_("sleutel"), max_length=200)
    action = models.ForeignKey("actieplan.Action", verbose_name=_("actie"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="reminders", db_constraint=False)
    kind = models.CharField(_("soort"), max_length=20, choices=ReminderKind.choices)
    period = models.CharField(_("periode"), max_length=40,
                              help_text=_("De datum of week waarvoor deze herinnering geldt."))
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ontvanger"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="lob_reminders", db_constraint=False)
    email = models.EmailField(_("e-mailadres"), blank=True)
    created_at = models.DateTimeField(_("besloten op"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(
        _("niet verstuurd op"), null=True, blank=True,
        help_text=_("Gezet als de herinnering bewust niet is verstuurd (geen e-mailadres, actie afgerond of "
                    "deadline verschoven); de reden staat bij de laatste fout."),
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    claimed_at = models.DateTimeField(
        _("in verzending sinds"), null=True, blank=True,
        help_text=_("Gezet vlak voordat de mailserver het bericht krijgt; zolang dat kort geleden is, verstuurt "
                    "geen andere worker deze herinnering."))
    # db_default: the scan's INSERT … SELECT statements name their columns and leave this one out.
    message_id = models.CharField(
        _("Message-ID"), max_length=255, blank=True, default="", db_default="",
        help_text=_("De Message-ID van het verstuurde bericht; elke poging voor deze herinnering draagt dezelfde."))

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["sent_at"], name="reminder_sent_at")]
        # A constraint rather than unique=True: the same unique index, without the second
        # (varchar_pattern_ops) index Django adds for unique text fields; keys are never searched with LIKE.
        constraints = [models.UniqueConstraint(fields=["key"], name="reminder_key_unique")]
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")

    def __str__(self):
        return self.key

    # Read by the admin's listing, inspect view and export: names and dates as people read them.
    def get_period_display(self):
        return period_label(self.period)

    def get_recipient_display(self):
        if self.recipient is None:
            return self.email or _("verwijderde gebruiker")
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

    name = models.CharField(_("onderdeel"), max_length=20, primary_key=True)
    at = models.DateTimeField(_("laatste teken van leven"))
    detail = models.CharField(_("door"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("hartslag")
        verbose_name_plural = _("hartslagen")

    def __str__(self):
        return f"{self.name}: {self.at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def record(cls, name, detail="", now=None):
        cls.objects.update_or_create(name=name, defaults={"at": now or timezone.now(), "detail": detail[:200]})
