"""Reflection sessions: participants score the 22 questions, the group reads the results."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .partnership import Partnership
from .reference import ReflectionQuestion


def new_session_code():
    return secrets.token_urlsafe(9)


class ReflectionSession(models.Model):
    """One conversation with the reflectietool for a partnership, on a date.

    ``question_wording`` keeps the themes and questions as they were worded when the session was
    created, so later edits of the reference data never change what participants answered.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "gesloten", _("gesloten")

    partnership = models.ForeignKey(Partnership, verbose_name=_("samenwerkingsverband"),
                                    on_delete=models.CASCADE, related_name="reflection_sessions")
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("datum"), default=timezone.localdate)
    facilitator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("gespreksleider"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="facilitated_reflection_sessions")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    code = models.CharField(_("code van de sessielink"), max_length=20, unique=True, default=new_session_code,
                            editable=False)
    question_wording = models.JSONField(_("vragen zoals gesteld"), default=list, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    closed_at = models.DateTimeField(_("gesloten op"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("reflectiesessie")
        verbose_name_plural = _("reflectiesessies")

    def __str__(self):
        return f"{self.title} ({self.date:%d-%m-%Y})"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

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

    def save(self, *args, **kwargs):
        if not self.question_wording:
            self.snapshot_questions()
        super().save(*args, **kwargs)


class ReflectionResponse(models.Model):
    """One participant's filled-in questionnaire; anonymous (no user) when given through the link."""

    session = models.ForeignKey(ReflectionSession, verbose_name=_("sessie"), on_delete=models.CASCADE,
                                related_name="responses")
    respondent_token = models.CharField(_("respondent-token"), max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("persoon"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="reflection_responses")
    submitted_at = models.DateTimeField(_("ingediend op"), default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("antwoordenset")
        verbose_name_plural = _("antwoordensets")

    def __str__(self):
        return f"{self.session} #{self.pk}"


class ReflectionScore(models.Model):
    """A score 1–5 for one question, or "weet niet / n.v.t." (score left empty), with an optional comment."""

    response = models.ForeignKey(ReflectionResponse, verbose_name=_("antwoordenset"), on_delete=models.CASCADE,
                                 related_name="scores")
    question = models.ForeignKey(ReflectionQuestion, verbose_name=_("vraag"), on_delete=models.PROTECT,
                                 related_name="scores")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             help_text=_("1 = helemaal niet waar, 5 = helemaal waar; leeg = weet niet / n.v.t."))
    comment = models.TextField(_("toelichting"), blank=True)

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
