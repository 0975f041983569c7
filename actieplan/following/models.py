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

    IMMEDIATE = "direct", _("Immediately: one email per change")
    WEEKLY = "weekoverzicht", _("In the weekly summary on Monday")
    NONE = "geen", _("No email: only on ‘Since your last visit’")


class FollowReason(models.TextChoices):
    """Why someone follows: chosen, or by default because of their part in it."""

    CHOSEN = "gekozen", _("chosen yourself")
    OWNER = "eigenaar", _("owner")
    CREATOR = "aangemaakt", _("added")
    ASSIGNED = "toegewezen", _("assigned")
    CHAIR = "voorzitter", _("chair")
    INVITED = "uitgenodigd", _("invited")


class Follow(models.Model):
    """A person follows one action, meeting or proeftuin (exactly one of the three)."""

    # No index of their own: the unique constraints (target, user) and follow_user (user, …) serve them.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="lob_follows", db_index=False)
    action = models.ForeignKey(Action, verbose_name=_("action"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="follows", db_index=False)
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="follows", db_index=False)
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("pilot project"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False)
    reason = models.CharField(_("reason"), max_length=20, choices=FollowReason.choices, default=FollowReason.CHOSEN)
    created_at = models.DateTimeField(_("following since"), default=timezone.now)

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
        verbose_name = _("follower")
        verbose_name_plural = _("followers")

    def __str__(self):
        return f"{self.user_id} → {self.action_id or self.meeting_id or self.page_id}"


class ChangeKind(models.TextChoices):
    """What happened; the first five are an action's, then a meeting's, then a proeftuin's."""

    NOTE = "notitie", _("new progress note")
    STATUS = "status", _("new status")
    DEADLINE = "deadline", _("deadline moved")
    CLOSED = "afgesloten", _("done or cancelled")
    ASSIGNED = "toegewezen", _("new owner")
    PLANNED = "gepland", _("meeting scheduled")
    MOVED = "verplaatst", _("meeting moved")
    MINUTES = "verslag", _("minutes sent out")
    PUBLISHED = "bijgewerkt", _("pilot project updated")


#: The changes followers are mailed about (at once or in the digest); the others only show on the "since" page:
#: a new owner is told by the assignment mail, the invited see a planned meeting in their calendar feed.
MAILED_KINDS = (ChangeKind.NOTE, ChangeKind.STATUS, ChangeKind.DEADLINE, ChangeKind.CLOSED, ChangeKind.MOVED,
                ChangeKind.MINUTES, ChangeKind.PUBLISHED)


class Change(models.Model):
    """One change that matters to the followers of an action, a meeting or a proeftuin.

    Written in the transaction of the change (a rolled-back change tells nobody). ``actor`` made it (never told
    of their own change); ``person`` is who it is about (the new owner). For an action's note, status or
    deadline, ``update`` is the timeline note that holds what changed and why."""

    kind = models.CharField(_("type"), max_length=20, choices=ChangeKind.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("about"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    # action, meeting and page: served by the (target, created_at) indexes below.
    action = models.ForeignKey(Action, verbose_name=_("action"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", db_index=False)
    update = models.ForeignKey(ActionUpdate, verbose_name=_("progress note"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+", db_index=False)
    page = models.ForeignKey("wagtailcore.Page", verbose_name=_("pilot project"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False)
    previous_moment = models.DateTimeField(_("previous time"), null=True, blank=True,
                                           help_text=_("For a moved meeting: when it was first due to take place."))

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["action", "created_at"], name="change_action"),
            models.Index(fields=["meeting", "created_at"], name="change_meeting"),
            models.Index(fields=["page", "created_at"], name="change_page"),
            models.Index(fields=["created_at"], name="change_created"),
        ]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

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
    mail = models.CharField(_("email about what I follow"), max_length=20, choices=MailChoice.choices,
                            default=MailChoice.IMMEDIATE)
    seen_at = models.DateTimeField(_("all read on"), null=True, blank=True)

    class Meta:
        verbose_name = _("settings for following")
        verbose_name_plural = _("settings for following")

    def __str__(self):
        return f"{self.user_id}: {self.mail}"
