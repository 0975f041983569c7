"""Reflection sessions: participants score the 22 questions, the group reads the results."""

import secrets
from itertools import groupby

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from actieplan.partnerships.models import Partnership
from actieplan.partnerships.reference import ReflectionQuestion
from actieplan.snapshots import keeps_name, label as name_label, name_field
from actieplan.validators import MAX_COMMENT_CHARS, MaxTextLengthValidator, validate_single_line


#: Characters of the join code: capitals and digits without the ones people mix up (0/O, 1/I/L).
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
#: More than a regional meeting ever has; personal codes are made at most this many at a time too.
MAX_EXPECTED_PARTICIPANTS = 500
TICKET_LENGTH = 8


def new_session_code():
    """A six-character join code that can be read off a projector and typed on a phone."""
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(typed):
    """What a participant typed, as a code: spaces and dashes dropped, capitals (older codes stay as they are)."""
    cleaned = "".join((typed or "").split()).replace("-", "")
    if len(cleaned) == JOIN_CODE_LENGTH:
        return cleaned.upper()
    return cleaned


def new_respondent_token():
    return secrets.token_urlsafe(24)


class ReflectionSession(index.Indexed, models.Model):
    """One conversation with the reflectietool for a partnership, on a date.

    ``question_wording`` keeps the themes and questions as they were worded when the session was
    created, so later edits of the reference data never change what participants answered: the
    participant form and the results are both built from it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "gesloten", _("gesloten")

    partnership = models.ForeignKey(Partnership, verbose_name=_("samenwerkingsverband"),
                                    on_delete=models.PROTECT, related_name="reflection_sessions")
    title = models.CharField(_("titel"), max_length=200, validators=[validate_single_line])
    date = models.DateField(_("datum"), default=timezone.localdate)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("gespreksleider"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="facilitated_reflection_sessions")
    facilitator_name = name_field()
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    code = models.CharField(_("code van de sessielink"), max_length=20, unique=True, default=new_session_code,
                            editable=False)
    question_wording = models.JSONField(_("vragen zoals gesteld"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)
    # Instead of deleting a closed session: it leaves the list, its scores stay in the trend and the figures.
    archived = models.BooleanField(
        _("gearchiveerd"), default=False,
        help_text=_("Een gearchiveerde sessie verdwijnt uit de lijst van sessies; de scores blijven meetellen in het "
                    "verloop en de cijfers."))
    # One answer set per participant that a single client cannot multiply (actieplan/reflection/participation.py):
    expected_participants = models.PositiveSmallIntegerField(
        _("verwacht aantal deelnemers"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXPECTED_PARTICIPANTS)],
        help_text=_("De sessie neemt hooguit zoveel ingevulde vragenlijsten aan; meer inzendingen worden geweigerd "
                    "en geteld, zodat je ziet als iemand vaker invult. Je kunt het aantal tijdens de sessie verhogen."))
    refused_submissions = models.PositiveIntegerField(_("geweigerde inzendingen"), default=0, editable=False)
    requires_ticket = models.BooleanField(
        _("alleen met een persoonlijke code"), default=False,
        help_text=_("Elke deelnemer krijgt een eigen code (op een kaartje of in een eigen link) die één keer werkt. "
                    "De code wordt niet aan de antwoorden gekoppeld."))

    panels = [FieldPanel("partnership"), FieldPanel("title"), FieldPanel("date"), FieldPanel("facilitator"),
              FieldPanel("expected_participants")]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"),
                     index.FilterField("partnership"), index.FilterField("status")]

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("reflectiesessie")
        verbose_name_plural = _("reflectiesessies")

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def facilitator_label(self):
        """The facilitator's name (it stays after their account is deleted); empty without one."""
        if not (self.facilitator_id or self.facilitator_name):
            return ""
        return name_label(self.facilitator, self.facilitator_name)

    def snapshot_questions(self):
        """Freeze the current wording of the active questions into ``question_wording``."""
        questions = ReflectionQuestion.objects.filter(is_active=True).select_related("theme")
        self.question_wording = [
            {
                "question_id": q.pk,
                "theme_id": q.theme_id,
                "theme": q.theme.name,
                "theme_order": q.theme.sort_order,
                "number": q.number,
                "text": q.text,
            }
            for q in questions
        ]

    def wording(self):
        """The snapshot in display order (theme order, then question number)."""
        return sorted(self.question_wording, key=lambda q: (q["theme_order"], q["theme"], q["number"]))

    def themes_with_questions(self):
        """``[(theme dict, [question dicts])]`` from the snapshot, in order, for forms and results."""
        grouped = []
        for (theme_id, _order), items in groupby(self.wording(), key=lambda q: (q["theme_id"], q["theme_order"])):
            items = list(items)
            grouped.append(({"id": theme_id, "name": items[0]["theme"], "order": items[0]["theme_order"]}, items))
        return grouped

    def previous_session(self):
        """The partnership's session just before this one (by date), for the comparison in the results."""
        earlier = ReflectionSession.objects.filter(partnership_id=self.partnership_id).exclude(pk=self.pk)
        return (earlier.filter(models.Q(date__lt=self.date)
                               | models.Q(date=self.date, created_at__lt=self.created_at or timezone.now()))
                .order_by("-date", "-created_at").first())

    def close(self):
        """Freeze the scores: no response can be added or changed after this."""
        if self.is_open:
            self.status = self.Status.CLOSED
            self.closed_at = timezone.now()
            self.save(update_fields=["status", "closed_at"])

    def save(self, *args, **kwargs):
        if not self.question_wording:
            self.snapshot_questions()
        super().save(*args, **kwargs)


class PartnerKind(models.TextChoices):
    """Which kind of partner a participant is (optional, never a name): for the perception gap."""

    SCHOOL = "school", _("school")
    GEMEENTE = "gemeente", _("gemeente")
    WERKGEVER = "werkgever", _("werkgever")
    KETENPARTNER = "ketenpartner", _("ketenpartner")
    OUDER_LEERLING = "ouder_leerling", _("ouder of leerling")


class ReflectionResponse(models.Model):
    """One participant's filled-in questionnaire.

    Through the session link it is anonymous: only a random respondent token is kept (no user, no IP
    address, no browser details), so that the same link-visit cannot answer twice. A logged-in
    participant's response keeps the user, once per session.
    """

    session = models.ForeignKey(ReflectionSession, verbose_name=_("sessie"), on_delete=models.CASCADE,
                                related_name="responses")
    respondent_token = models.CharField(_("respondent-token"), max_length=64, unique=True,
                                        default=new_respondent_token)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("persoon"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="reflection_responses")
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)
    partner_kind = models.CharField(
        _("soort partner"), max_length=20, choices=PartnerKind.choices, blank=True,
        help_text=_("Optioneel; per soort partner tonen de resultaten pas een score vanaf drie antwoordensets."))

    class Meta:
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], condition=models.Q(user__isnull=False),
                                    name="one_response_per_user_per_session"),
        ]
        verbose_name = _("antwoordenset")
        verbose_name_plural = _("antwoordensets")

    def __str__(self):
        return f"{self.session} #{self.pk}"

    def save(self, *args, **kwargs):
        if not self.session.is_open:
            raise ValidationError(_("Deze sessie is gesloten; de scores liggen vast."))
        super().save(*args, **kwargs)


class ReflectionScore(models.Model):
    """A score 1–5 for one question, or "weet niet / n.v.t." (score left empty), with an optional comment."""

    response = models.ForeignKey(ReflectionResponse, verbose_name=_("antwoordenset"), on_delete=models.CASCADE,
                                 related_name="scores")
    question = models.ForeignKey(ReflectionQuestion, verbose_name=_("vraag"), on_delete=models.PROTECT,
                                 related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             help_text=_("1 = helemaal niet waar, 5 = helemaal waar; leeg = weet niet / n.v.t."))
    comment = models.TextField(_("toelichting"), blank=True, validators=[MaxTextLengthValidator(MAX_COMMENT_CHARS)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_score_per_question"),
            models.CheckConstraint(condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                                   name="score_between_1_and_5"),
        ]
        verbose_name = _("score")
        verbose_name_plural = _("scores")

    def __str__(self):
        return f"{self.question_id}: {self.score if self.score is not None else 'weet niet'}"

    def save(self, *args, **kwargs):
        if not self.response.session.is_open:
            raise ValidationError(_("Deze sessie is gesloten; de scores liggen vast."))
        super().save(*args, **kwargs)


def new_ticket_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(TICKET_LENGTH))


class ReflectionTicket(models.Model):
    """A personal code that lets one participant hand in one answer set (sessions with ``requires_ticket``).

    It records only *whether* it was used: no time and no link to the answer set, so whoever handed out the codes
    cannot tell which answers are whose.
    """

    session = models.ForeignKey(ReflectionSession, verbose_name=_("sessie"), on_delete=models.CASCADE,
                                related_name="tickets")
    code = models.CharField(_("code"), max_length=16, unique=True, default=new_ticket_code)
    used = models.BooleanField(_("gebruikt"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("persoonlijke code")
        verbose_name_plural = _("persoonlijke codes")

    def __str__(self):
        return self.code


keeps_name(ReflectionSession, "facilitator", "facilitator_name")


class BenchmarkSnapshot(models.Model):
    """The regional benchmark's figures as they stood at the start of one week (``reflection/benchmark.py``).

    ``figures`` is ``{partnership id: {theme id: mean}}``: per partnership that took part at that moment, the theme
    means of its latest closed session. Made once per week and never changed, so the comparison a partnership sees
    moves only at the start of a week.
    """

    week = models.DateField(_("week vanaf"), unique=True)
    taken_at = models.DateTimeField(_("stand van"))
    figures = models.JSONField(_("cijfers"), default=dict, editable=False)

    class Meta:
        ordering = ["-week"]
        verbose_name = _("stand van de regiovergelijking")
        verbose_name_plural = _("standen van de regiovergelijking")

    def __str__(self):
        return f"{self.week:%d-%m-%Y}"
