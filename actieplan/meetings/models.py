"""Meetings (overleggen) of a partnership: agenda items, minutes notes, decisions and check-in answers.

A meeting is where the action plan is kept honest: its agenda starts with what happened in the plan
since the previous meeting (computed by ``actieplan.meetings``), owners check in beforehand, and
every decision either becomes an action on the spot or is recorded as a decision without action.
Once the minutes are closed nothing in them changes; items not finished move to the next meeting.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from actieplan.actions.models import Action
from actieplan.formats import day_label
from actieplan.meetings import recurrence
from actieplan.partnerships.models import Membership, Partnership, Role
from actieplan.snapshots import keeps_name, label as name_label, name_field
from actieplan.validators import (
    MAX_COMMENT_CHARS, MAX_MINUTES_NOTE_CHARS, MAX_NOTE_CHARS, MaxTextLengthValidator, SingleLineCharField, parse_id,
    validate_multiline_text, validate_not_far_future, validate_single_line,
)


class MeetingKind(models.TextChoices):
    """Who meets: the working group, the board, or the wider regional network."""

    WERKGROEP = "werkgroep", _("working group")
    BESTUUR = "bestuur", _("governing board")
    REGIONAAL_NETWERK = "regionaal-netwerk", _("regional network")


#: How a meeting of each kind is called in a sentence ("het werkgroepoverleg van 10 maart").
KIND_NOUNS = {
    MeetingKind.WERKGROEP: _("working group meeting"),
    MeetingKind.BESTUUR: _("board meeting"),
    MeetingKind.REGIONAAL_NETWERK: _("regional network meeting"),
}


class RecurrenceRule(models.TextChoices):
    """How a series repeats (``actieplan.meetings.recurrence``)."""

    MONTHLY_WEEKDAY = recurrence.MONTHLY_WEEKDAY, _("on a fixed weekday of the month (for example every first Tuesday)")
    MONTHLY_DAY = recurrence.MONTHLY_DAY, _("on a fixed day of the month (for example the 15th)")
    WEEKLY = recurrence.WEEKLY, _("on a fixed day of the week")


class Ordinal(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = recurrence.LAST, _("last")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class MeetingSeries(models.Model):
    """A meeting that comes back: the werkgroep every month, the board every quarter.

    As OpenProject's recurring meetings: a rule (``recurrence``), the time, place, chair and invitees every
    meeting of the series starts with, and a template agenda (the fixed points, one per line). The next meeting
    of the series is opened when one is closed (``minutes.close_meeting``), and items that were not finished
    land in it. A meeting of the series can still be moved or changed on its own.
    """

    partnership = models.ForeignKey(Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT,
                                    related_name="meeting_series")
    kind = models.CharField(_("meeting type"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.WERKGROEP)
    title = SingleLineCharField(_("series name"), max_length=200, validators=[validate_single_line],
                             help_text=_("For example ‘LOB working group’ or ‘Board meeting’. Every meeting "
                                         "of the series gets this name, followed by its date."))
    rule = models.CharField(_("recurrence"), max_length=20, choices=RecurrenceRule.choices,
                            default=RecurrenceRule.MONTHLY_WEEKDAY)
    interval = models.PositiveSmallIntegerField(
        _("interval"), default=1,
        help_text=_("In months (1 = every month, 3 = every quarter), or in weeks for a fixed day of the week."))
    ordinal = models.SmallIntegerField(_("which one in the month"), choices=Ordinal.choices, null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), null=True, blank=True,
        help_text=_("1 to 31; in a shorter month it becomes the last day of that month."))
    first_date = models.DateField(_("first meeting on or after"), validators=[validate_not_far_future])
    ends_on = models.DateField(_("last meeting no later than"), null=True, blank=True,
                               validators=[validate_not_far_future], help_text=_("Empty: the series keeps running."))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=90)
    location = SingleLineCharField(_("location or link"), max_length=300, blank=True,
                                   validators=[validate_single_line])
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chaired_meeting_series")
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("invited"), blank=True,
                                     related_name="meeting_series_invitations")
    agenda_template = models.TextField(
        _("fixed agenda items"), blank=True, validators=[validate_multiline_text],
        help_text=_("One agenda item per line. Every meeting of the series starts with these items, after "
                    "whatever was carried over from the previous meeting."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)

    class Meta:
        ordering = ["partnership", "kind", "title", "pk"]
        verbose_name = _("series of meetings")
        verbose_name_plural = _("meeting series")

    def __str__(self):
        return self.title

    def rule_options(self):
        return {"interval": self.interval or 1, "weekday": self.weekday, "ordinal": self.ordinal,
                "day": self.day_of_month}

    def next_dates(self, after, count=1):
        """The series' next ``count`` dates later than ``after`` (a date), up to ``ends_on``."""
        if self.first_date is None or self.rule not in RecurrenceRule.values:
            return []
        return recurrence.next_dates(self.rule, self.first_date, after, count, until=self.ends_on,
                                     **self.rule_options())

    def moment(self, day):
        """The aware start of the series' meeting on ``day`` (local wall-clock time, across DST changes)."""
        return timezone.make_aware(datetime.datetime.combine(day, self.start_time))

    def template_items(self):
        """The template agenda's points, one per non-empty line."""
        return [" ".join(line.split())[:200] for line in (self.agenda_template or "").splitlines() if line.strip()]

    def describe(self):
        """The rule in words: "elke eerste dinsdag van de maand", "elk kwartaal op de laatste donderdag"."""
        interval = self.interval or 1
        time = self.start_time.strftime("%H:%M") if self.start_time else ""
        if self.rule == RecurrenceRule.WEEKLY:
            weekday = Weekday(self.weekday if self.weekday is not None else self.first_date.weekday()).label
            text = (_("every %(weekday)s") % {"weekday": weekday} if interval == 1
                    else _("every %(n)s weeks on %(weekday)s") % {"n": interval, "weekday": weekday})
        else:
            every = {1: _("every month"), 3: _("every quarter"), 6: _("every six months"), 12: _("every year")}.get(
                interval) or _("every %(n)s months") % {"n": interval}
            if self.rule == RecurrenceRule.MONTHLY_WEEKDAY and self.ordinal is not None and self.weekday is not None:
                which = _("the %(ordinal)s %(weekday)s") % {"ordinal": Ordinal(self.ordinal).label,
                                                            "weekday": Weekday(self.weekday).label}
            else:
                which = _("day %(day)s") % {"day": self.day_of_month}
            text = _("%(every)s on %(which)s") % {"every": every, "which": which}
        if time:
            text = _("%(rule)s, at %(time)s") % {"rule": text, "time": time}
        if self.ends_on:
            text = _("%(rule)s, up to and including %(day)s") % {"rule": text, "day": day_label(self.ends_on)}
        return text

    def clean(self):
        errors = {}
        if self.interval is not None and not 1 <= self.interval <= 12:
            errors["interval"] = _("Choose a number from 1 to 12.")
        if self.rule == RecurrenceRule.MONTHLY_WEEKDAY:
            if self.ordinal is None:
                errors["ordinal"] = _("Choose which weekday of the month: the first, second, third, fourth or last.")
            if self.weekday is None:
                errors["weekday"] = _("Choose the weekday.")
        elif self.rule == RecurrenceRule.MONTHLY_DAY:
            if self.day_of_month is None or not 1 <= self.day_of_month <= 31:
                errors["day_of_month"] = _("Choose a day of the month from 1 to 31.")
        if self.first_date and self.ends_on and self.ends_on < self.first_date:
            errors["ends_on"] = _("The series cannot end before the first meeting.")
        if self.duration_minutes is not None and not 5 <= self.duration_minutes <= 24 * 60:
            errors["duration_minutes"] = _("Choose a duration between 5 minutes and 24 hours.")
        if self.partnership_id and self.chair_id:
            if not self.partnership.memberships.filter(user_id=self.chair_id).exists():
                errors["chair"] = _("The chair is not a member of this partnership.")
        if errors:
            raise ValidationError(errors)


#: Who is invited by default to a meeting of each kind (editable on the form): the board meets with its
#: bestuurders, the working group with the procesbewaker and werkgroepleden, the regional network with everyone.
DEFAULT_INVITEE_ROLES = {
    MeetingKind.WERKGROEP: (Role.PROCESBEWAKER, Role.WERKGROEPLID),
    MeetingKind.BESTUUR: (Role.BESTUURDER,),
    MeetingKind.REGIONAAL_NETWERK: tuple(Role),
}


def default_invitee_ids(partnership_id, kind):
    """The members of the partnership a meeting of ``kind`` invites by default (active accounts)."""
    roles = DEFAULT_INVITEE_ROLES.get(kind, ())
    return list(Membership.objects.filter(partnership_id=partnership_id, role__in=roles, user__is_active=True)
                .order_by("user__first_name", "user__last_name", "user_id").values_list("user_id", flat=True)
                .distinct())


class MeetingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def current(self):
        """Not archived: what the meeting list shows (archived meetings keep their figures)."""
        return self.filter(archived=False)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())


class Meeting(models.Model):
    """An overleg of a partnership: who, when, where, and (once closed) its frozen minutes."""

    partnership = models.ForeignKey(Partnership, verbose_name=_("partnership"), on_delete=models.PROTECT,
                                    related_name="meetings")
    kind = models.CharField(_("meeting type"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.WERKGROEP)
    title = SingleLineCharField(_("title"), max_length=200, blank=True, validators=[validate_single_line],
                             help_text=_("Leave empty for a title like ‘Working group meeting 10 March 2026’."))
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=90)
    location = SingleLineCharField(_("location or link"), max_length=300, blank=True, validators=[validate_single_line],
                                   help_text=_("An address or room, or the link to the online meeting."))
    series = models.ForeignKey(MeetingSeries, verbose_name=_("series"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="meetings")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chaired_meetings")
    chair_name = name_field()
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("invited"), blank=True,
                                     related_name="meeting_invitations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="created_meetings")
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    closed_at = models.DateTimeField(_("minutes closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="closed_meetings")
    closed_by_name = name_field()
    # Instead of deleting closed minutes: the meeting leaves the list, its minutes and figures stay.
    archived = models.BooleanField(
        _("archived"), default=False,
        help_text=_("An archived meeting disappears from the list of meetings; the minutes, decisions and "
                    "figures are kept."))
    # "Sinds vorige keer" as it stood when the minutes were closed: the live agenda changes with the plan.
    agenda_snapshot = models.JSONField(_("agenda at closing"), default=dict, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "starts_at"], name="meeting_partnership_kind")]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title or self.default_title()

    def default_title(self):
        day = formats.date_format(timezone.localtime(self.starts_at), "j F Y") if self.starts_at else ""
        if self.series_id:
            return f"{self.series.title} {day}".strip()
        return f"{str(KIND_NOUNS.get(self.kind, self.kind)).capitalize()} {day}".strip()

    @property
    def kind_noun(self):
        return KIND_NOUNS.get(self.kind, self.kind)

    @property
    def chair_label(self):
        """The chair's name (it stays after their account is deleted); empty without a chair."""
        return name_label(self.chair, self.chair_name) if self.chair_id or self.chair_name else ""

    @property
    def closed_by_label(self):
        return name_label(self.closed_by, self.closed_by_name)

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes or 0)

    @property
    def is_closed(self):
        return self.closed_at is not None

    @property
    def location_is_link(self):
        return self.location.startswith(("https://", "http://"))

    @property
    def reminder_period(self):
        """The period of this meeting's check-in and minutes rows in the reminder log."""
        return f"{self.PERIOD_PREFIX}{self.pk}"

    PERIOD_PREFIX = "overleg-"

    @classmethod
    def pk_from_period(cls, period):
        """The meeting's id in a reminder-log period: ``overleg-12``, or ``overleg-12-3`` (its addendum 3)."""
        number = period[len(cls.PERIOD_PREFIX):].split("-")[0] if period.startswith(cls.PERIOD_PREFIX) else ""
        return parse_id(number)

    def attendance_lists(self):
        """``{status: [people]}`` for the invitees and the chair, plus ``"unknown"`` for whom nothing is recorded."""
        recorded = {a.person_id: a.status for a in self.attendance.all()}
        people = {user.pk: user for user in self.invited.all()}
        if self.chair is not None:
            people.setdefault(self.chair.pk, self.chair)
        for attendance in self.attendance.select_related("person"):
            people.setdefault(attendance.person_id, attendance.person)
        lists = {status: [] for status in AttendanceStatus.values}
        lists["unknown"] = []
        for person in sorted(people.values(), key=lambda u: (u.first_name, u.last_name, u.username)):
            lists[recorded.get(person.pk, "unknown")].append(person)
        return lists

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())

    def clean(self):
        errors = {}
        if self.partnership_id and self.chair_id:
            if not self.partnership.memberships.filter(user_id=self.chair_id).exists():
                errors["chair"] = _("The chair is not a member of this partnership.")
        if self.duration_minutes is not None and not 5 <= self.duration_minutes <= 24 * 60:
            errors["duration_minutes"] = _("Choose a duration between 5 minutes and 24 hours.")
        if errors:
            raise ValidationError(errors)


class AgendaItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    AFGEHANDELD = "afgehandeld", _("dealt with")
    DOORGESCHOVEN = "doorgeschoven", _("carried over to the next meeting")


class AgendaItem(models.Model):
    """A point on a meeting's agenda, optionally about one action; its note is the minutes of that point.

    An item that was not finished moves to the next meeting as a new item that points back to this one
    (``carried_from``), so its notes and decisions stay where they were made.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="items")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    title = SingleLineCharField(_("agenda item"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("explanation"), blank=True, validators=[MaxTextLengthValidator(MAX_NOTE_CHARS)])
    action = models.ForeignKey(Action, verbose_name=_("about the action"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="agenda_items")
    notes = models.TextField(_("note"), blank=True, validators=[MaxTextLengthValidator(MAX_MINUTES_NOTE_CHARS)])
    status = models.CharField(_("state"), max_length=20, choices=AgendaItemStatus.choices,
                              default=AgendaItemStatus.OPEN)
    # A fixed point of the series' template agenda: it comes back in every meeting, so closing does not carry it.
    from_template = models.BooleanField(_("fixed agenda item of the series"), default=False)
    carried_from = models.OneToOneField("self", verbose_name=_("carried over from"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="carried_to")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created on"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return self.title

    def history(self):
        """The earlier items this one continues, oldest first."""
        chain, item = [], self.carried_from
        while item is not None and len(chain) < 50:
            chain.append(item)
            item = item.carried_from
        return list(reversed(chain))


class Decision(models.Model):
    """A decision taken on an agenda item: it became an action, or it is a decision without action.

    ``agreed_deadline`` keeps the deadline as agreed in the meeting, so a later postponement does not
    turn a late action into one "done on time" (the meeting's praatclub index).
    """

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.CASCADE,
                             related_name="decisions")
    text = models.TextField(_("decision"), validators=[MaxTextLengthValidator(MAX_COMMENT_CHARS)])
    action = models.OneToOneField(Action, verbose_name=_("action"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="decision")
    agreed_deadline = models.DateField(_("agreed deadline"), null=True, blank=True,
                                       validators=[validate_not_far_future])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by_name = name_field()
    created_at = models.DateTimeField(_("recorded on"), default=timezone.now)

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:80]

    @property
    def has_action(self):
        return self.action_id is not None

    @property
    def created_by_label(self):
        return name_label(self.created_by, self.created_by_name)


class CheckInAnswer(models.Model):
    """An owner's one-line status of one open action, given through the check-in link before a meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="checkin_answers")
    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE,
                               related_name="checkin_answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    author_name = name_field()
    text = models.CharField(_("current status"), max_length=300, validators=[validate_multiline_text])
    answered_at = models.DateTimeField(_("answered on"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "action"]
        constraints = [models.UniqueConstraint(fields=["meeting", "action"], name="one_checkin_per_meeting_action")]
        verbose_name = _("check-in answer")
        verbose_name_plural = _("check-in answers")

    def __str__(self):
        return self.text


class AttendanceStatus(models.TextChoices):
    """Who was there: Dutch minutes always list it."""

    AANWEZIG = "aanwezig", _("present")
    AFGEMELD = "afgemeld", _("sent apologies")
    AFWEZIG = "afwezig", _("absent (without apologies)")


class Attendance(models.Model):
    """Whether one invitee (or the chair) was there; one row per meeting and person."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendance")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="+")
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded on"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "person"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="one_attendance_per_person")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.person_id}: {self.status}"


class MinutesAddendum(models.Model):
    """A correction or addition to closed minutes: mailed to the same people and kept beside the original,
    which stays exactly as it was sent. Never changed or deleted; a second correction is a second addendum."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="addenda")
    text = models.TextField(_("addendum"), validators=[validate_multiline_text])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("added on"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]
        verbose_name = _("addendum to the minutes")
        verbose_name_plural = _("addenda to the minutes")

    def __str__(self):
        return self.text[:80]

    @property
    def reminder_period(self):
        return f"{self.meeting.reminder_period}-{self.pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("An addendum to minutes cannot be changed; add a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An addendum to minutes cannot be deleted; add a correction."))


keeps_name(Meeting, "chair", "chair_name")
keeps_name(Meeting, "closed_by", "closed_by_name")
keeps_name(Decision, "created_by", "created_by_name")
keeps_name(CheckInAnswer, "author", "author_name")
