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
from actieplan.partnerships.models import Partnership
from actieplan.validators import (
    MAX_COMMENT_CHARS, MAX_MINUTES_NOTE_CHARS, MAX_NOTE_CHARS, MaxTextLengthValidator, parse_id, validate_multiline_text,
    validate_not_far_future, validate_single_line,
)


class MeetingKind(models.TextChoices):
    """Who meets: the working group, the board, or the wider regional network."""

    WERKGROEP = "werkgroep", _("werkgroep")
    BESTUUR = "bestuur", _("bestuur")
    REGIONAAL_NETWERK = "regionaal-netwerk", _("regionaal netwerk")


#: How a meeting of each kind is called in a sentence ("het werkgroepoverleg van 10 maart").
KIND_NOUNS = {
    MeetingKind.WERKGROEP: _("werkgroepoverleg"),
    MeetingKind.BESTUUR: _("bestuurlijk overleg"),
    MeetingKind.REGIONAAL_NETWERK: _("regionaal netwerkoverleg"),
}


class MeetingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())


class Meeting(models.Model):
    """An overleg of a partnership: who, when, where, and (once closed) its frozen minutes."""

    partnership = models.ForeignKey(Partnership, verbose_name=_("samenwerkingsverband"), on_delete=models.PROTECT,
                                    related_name="meetings")
    kind = models.CharField(_("soort overleg"), max_length=20, choices=MeetingKind.choices,
                            default=MeetingKind.WERKGROEP)
    title = models.CharField(_("titel"), max_length=200, blank=True, validators=[validate_single_line],
                             help_text=_("Leeg laten: bijvoorbeeld ‘Werkgroepoverleg 10 maart 2026’."))
    starts_at = models.DateTimeField(_("begint om"))
    duration_minutes = models.PositiveSmallIntegerField(_("duur in minuten"), default=90)
    location = models.CharField(_("plaats of link"), max_length=300, blank=True, validators=[validate_single_line],
                                help_text=_("Een adres of zaal, of de link van het online overleg."))
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("voorzitter"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="chaired_meetings")
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("uitgenodigd"), blank=True,
                                     related_name="meeting_invitations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("aangemaakt door"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="created_meetings")
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    closed_at = models.DateTimeField(_("verslag afgesloten op"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("afgesloten door"), null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="closed_meetings")
    # "Sinds vorige keer" as it stood when the minutes were closed: the live agenda changes with the plan.
    agenda_snapshot = models.JSONField(_("agenda bij het afsluiten"), default=dict, blank=True, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "kind", "starts_at"], name="meeting_partnership_kind")]
        verbose_name = _("overleg")
        verbose_name_plural = _("overleggen")

    def __str__(self):
        return self.title or self.default_title()

    def default_title(self):
        day = formats.date_format(timezone.localtime(self.starts_at), "j F Y") if self.starts_at else ""
        return f"{str(KIND_NOUNS.get(self.kind, self.kind)).capitalize()} {day}".strip()

    @property
    def kind_noun(self):
        return KIND_NOUNS.get(self.kind, self.kind)

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
        number = period[len(cls.PERIOD_PREFIX):] if period.startswith(cls.PERIOD_PREFIX) else ""
        return parse_id(number)

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())

    def clean(self):
        errors = {}
        if self.partnership_id and self.chair_id:
            if not self.partnership.memberships.filter(user_id=self.chair_id).exists():
                errors["chair"] = _("De voorzitter is geen lid van dit samenwerkingsverband.")
        if self.duration_minutes is not None and not 5 <= self.duration_minutes <= 24 * 60:
            errors["duration_minutes"] = _("Kies een duur tussen 5 minuten en 24 uur.")
        if errors:
            raise ValidationError(errors)


class AgendaItemStatus(models.TextChoices):
    OPEN = "open", _("open")
    AFGEHANDELD = "afgehandeld", _("afgehandeld")
    DOORGESCHOVEN = "doorgeschoven", _("doorgeschoven naar het volgende overleg")


class AgendaItem(models.Model):
    """A point on a meeting's agenda, optionally about one action; its note is the minutes of that point.

    An item that was not finished moves to the next meeting as a new item that points back to this one
    (``carried_from``), so its notes and decisions stay where they were made.
    """

    meeting = models.ForeignKey(Meeting, verbose_name=_("overleg"), on_delete=models.CASCADE,
                                related_name="items")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    title = models.CharField(_("agendapunt"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("toelichting"), blank=True, validators=[MaxTextLengthValidator(MAX_NOTE_CHARS)])
    action = models.ForeignKey(Action, verbose_name=_("over de actie"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="agenda_items")
    notes = models.TextField(_("notitie"), blank=True, validators=[MaxTextLengthValidator(MAX_MINUTES_NOTE_CHARS)])
    status = models.CharField(_("stand"), max_length=20, choices=AgendaItemStatus.choices,
                              default=AgendaItemStatus.OPEN)
    carried_from = models.OneToOneField("self", verbose_name=_("doorgeschoven van"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="carried_to")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("aangemaakt door"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")

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

    item = models.ForeignKey(AgendaItem, verbose_name=_("agendapunt"), on_delete=models.CASCADE,
                             related_name="decisions")
    text = models.TextField(_("besluit"), validators=[MaxTextLengthValidator(MAX_COMMENT_CHARS)])
    action = models.OneToOneField(Action, verbose_name=_("actie"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="decision")
    agreed_deadline = models.DateField(_("afgesproken deadline"), null=True, blank=True,
                                       validators=[validate_not_far_future])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("vastgelegd door"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        ordering = ["item", "created_at", "pk"]
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self):
        return self.text[:80]

    @property
    def has_action(self):
        return self.action_id is not None


class CheckInAnswer(models.Model):
    """An owner's one-line status of one open action, given through the check-in link before a meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("overleg"), on_delete=models.CASCADE,
                                related_name="checkin_answers")
    action = models.ForeignKey(Action, verbose_name=_("actie"), on_delete=models.CASCADE,
                               related_name="checkin_answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("door"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(_("stand van zaken"), max_length=300, validators=[validate_multiline_text])
    answered_at = models.DateTimeField(_("beantwoord op"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "action"]
        constraints = [models.UniqueConstraint(fields=["meeting", "action"], name="one_checkin_per_meeting_action")]
        verbose_name = _("check-in-antwoord")
        verbose_name_plural = _("check-in-antwoorden")

    def __str__(self):
        return self.text
