"""Who follows what, the changes they hear about, and each person's choice of how.

Modelled on Decidim's follows and notifications (decidim/decidim#3974): a follow is one row per person and thing
(an action, a meeting or a proeftuin page); the owner, the creator, the new owner after a reassignment, the chair
and the invited members follow by default; unfollowing deletes the row. Every change that matters is one
``Change`` row, written in the transaction of the change itself, so followers are told of it exactly once: by
mail at once, in the weekly digest, or only on "Sinds je laatste bezoek".
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actieplan.actions.models import Action, ActionUpdate
from actieplan.meetings.models import Meeting


class MailChoice(models.TextChoices):
    """How a person hears of changes in what they follow."""

    IMMEDIATE = "direct", _("Direct: één e-mail per wijziging")
    WEEKLY = "weekoverzicht", _("In het weekoverzicht op maandag")
    NONE = "geen", _("Geen e-mail: alleen op ‘Sinds je laatste bezoek’")


class FollowReason(models.TextChoices):
    """Why someone follows: chosen, or by default because of their part in it."""

    CHOSEN = "gekozen", _("zelf gekozen")
    OWNER = "eigenaar", _("eigenaar")
    CREATOR = "aangemaakt", _("aangemaakt")
    ASSIGNED = "toegewezen", _("toegewezen")
    CHAIR = "voorzitter", _("voorzitter")
    INVITED = "uitgenodigd", _("uitgenodigd")


class Follow(models.Model):
    """A person follows one action, meeting or proeftuin (exactly one of the three)."""

    # No index of their own: the unique constraints (target, user) and follow_user (user, …) serve them.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("persoon"), on_delete=models.CASCADE,
                             related_name="lob_follows", db_index=False)
    action = models.ForeignKey(Action, verbose_name=_("actie"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="follows", db_index=False)
    meeting = models.ForeignKey(Meeting, verbose_name=_("overleg"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="follows", db_index=False)
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("proeftuin"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False)
    reason = models.CharField(_("reden"), max_length=20, choices=FollowReason.choices, default=FollowReason.CHOSEN)
    created_at = models.DateTimeField(_("volgt sinds"), default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(action__isnull=False, meeting__isnull=True, page__isnull=True)
                           | models.Q(action__isnull=True, meeting__isnull=False, page__isnull=True)
                           | models.Q(action__isnull=True, meeting__isnull=True, page__isnull=False)),
                name="follow_exactly_one_target"),
            models.UniqueConstraint(fields=["action", "user"], condition=models.Q(action__isnull=False),
                                    name="follow_action_once"),
            models.UniqueConstraint(fields=["meeting", "user"], condition=models.Q(meeting__isnull=False),
                                    name="follow_meeting_once"),
            models.UniqueConstraint(fields=["page", "user"], condition=models.Q(page__isnull=False),
                                    name="follow_page_once"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="follow_user")]
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")

    def __str__(self):
        return f"{self.user_id} → {self.action_id or self.meeting_id or self.page_id}"


class ChangeKind(models.TextChoices):
    """What happened; the first five are an action's, then a meeting's, then a proeftuin's."""

    NOTE = "notitie", _("nieuwe voortgangsnotitie")
    STATUS = "status", _("nieuwe status")
    DEADLINE = "deadline", _("deadline verschoven")
    CLOSED = "afgesloten", _("afgerond of vervallen")
    ASSIGNED = "toegewezen", _("nieuwe eigenaar")
    PLANNED = "gepland", _("overleg gepland")
    MOVED = "verplaatst", _("overleg verplaatst")
    MINUTES = "verslag", _("verslag rondgestuurd")
    PUBLISHED = "bijgewerkt", _("proeftuin bijgewerkt")


#: The changes followers are mailed about (at once or in the digest); the others only show on the "since" page:
#: a new owner is told by the assignment mail, the invited see a planned meeting in their calendar feed.
MAILED_KINDS = (ChangeKind.NOTE, ChangeKind.STATUS, ChangeKind.DEADLINE, ChangeKind.CLOSED, ChangeKind.MOVED,
                ChangeKind.MINUTES, ChangeKind.PUBLISHED)


class Change(models.Model):
    """One change that matters to the followers of an action, a meeting or a proeftuin.

    Written in the transaction of the change (a rolled-back change tells nobody). ``actor`` made it (never told
    of their own change); ``person`` is who it is about (the new owner). For an action's note, status or
    deadline, ``update`` is the timeline note that holds what changed and why."""

    kind = models.CharField(_("soort"), max_length=20, choices=ChangeKind.choices)
    created_at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("door"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("over"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # action, meeting and page: served by the (target, created_at) indexes below.
    action = models.ForeignKey(Action, verbose_name=_("actie"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", db_index=False)
    update = models.ForeignKey(ActionUpdate, verbose_name=_("voortgangsnotitie"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name=_("overleg"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+", db_index=False)
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("proeftuin"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False)
    previous_moment = models.DateTimeField(_("vorig tijdstip"), null=True, blank=True,
                                           help_text=_("Bij een verplaatst overleg: wanneer het eerst zou zijn."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="change_action"),
            models.Index(fields=["meeting", "created_at"], name="change_meeting"),
            models.Index(fields=["page", "created_at"], name="change_page"),
            models.Index(fields=["created_at"], name="change_created"),
        ]
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def period(self):
        """The period of this change's mails in the reminder log (one per follower)."""
        return f"{self.PERIOD_PREFIX}{self.pk}"

    PERIOD_PREFIX = "wijziging-"

    @classmethod
    def pk_from_period(cls, period):
        number = period[len(cls.PERIOD_PREFIX):] if period.startswith(cls.PERIOD_PREFIX) else ""
        return int(number) if number.isdigit() else None


class FollowerSettings(models.Model):
    """A person's choice of mail about what they follow, and when they last marked "Sinds je laatste bezoek" as
    read (no row: mail at once, and the last fortnight counts as new)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lob_following")
    mail = models.CharField(_("e-mail over wat ik volg"), max_length=20, choices=MailChoice.choices,
                            default=MailChoice.IMMEDIATE)
    seen_at = models.DateTimeField(_("alles gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("instellingen voor volgen")
        verbose_name_plural = _("instellingen voor volgen")

    def __str__(self):
        return f"{self.user_id}: {self.mail}"
