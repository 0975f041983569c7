"""Actions (actiepunten) and their append-only timeline of updates, and the rules the figures count by."""

import datetime

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.models import Page
from wagtail.search import index

from actieplan import caching
from actieplan.partnerships.models import Membership, Organisation, Partnership
from actieplan.partnerships.reference import BoardDomain, MandateLevel, ReflectionQuestion, ReflectionTheme
from actieplan.snapshots import keeps_name, label as name_label, name_field
from actieplan.validators import (
    MAX_DESCRIPTION_CHARS, MAX_NOTE_CHARS, MaxTextLengthValidator, SingleLineCharField, validate_multiline_text,
    validate_not_far_future, validate_single_line,
)


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    BEZIG = "bezig", _("in progress")
    AFGEROND = "afgerond", _("done")
    GEBLOKKEERD = "geblokkeerd", _("blocked")
    VERVALLEN = "vervallen", _("cancelled")


#: Statuses in which an action still needs doing (and may get reminders).
ACTIVE_STATUSES = (ActionStatus.OPEN, ActionStatus.BEZIG, ActionStatus.GEBLOKKEERD)
CLOSED_STATUSES = (ActionStatus.AFGEROND, ActionStatus.VERVALLEN)
#: 0 for work still to do, 1 for finished or cancelled: the list's default order (and its index).
ACTIVE_FIRST_ORDER = models.Case(models.When(status__in=[s.value for s in ACTIVE_STATUSES], then=models.Value(0)),
                                 default=models.Value(1), output_field=models.IntegerField())

#: The progress an action shows when no note gave a percentage (as Decidim's result statuses carry one).
STATUS_DEFAULT_PERCENT = {
    ActionStatus.OPEN: 0,
    ActionStatus.BEZIG: 50,
    ActionStatus.GEBLOKKEERD: 25,
    ActionStatus.AFGEROND: 100,
    ActionStatus.VERVALLEN: 0,
}


# --- The rules every figure counts by, each written once (as a filter; in Python where a row needs it) ---------
#
# ``prefix`` applies a rule through a relation (``prefix="action__"`` on decisions). A test over generated
# actions checks that each Python form selects exactly the rows its filter selects.

def overdue_q(today=None, prefix=""):
    """Still to do and past its deadline: the one definition of "verlopen"."""
    return Q(**{f"{prefix}status__in": ACTIVE_STATUSES, f"{prefix}deadline__lt": today or timezone.localdate()})


def is_overdue(status, deadline, today=None):
    """:func:`overdue_q` for one action in Python."""
    return status in ACTIVE_STATUSES and deadline < (today or timezone.localdate())


def agreed_q(prefix=""):
    """Agreed and not cancelled: what the figures count as agreed ("afgesproken")."""
    return ~Q(**{f"{prefix}status": ActionStatus.VERVALLEN})


def done_q(prefix=""):
    return Q(**{f"{prefix}status": ActionStatus.AFGEROND})


def completed_since_q(day, prefix=""):
    """Afgerond on or after ``day`` (the summary's "afgerond dit kwartaal" and the list filter alike)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return done_q(prefix) & Q(**{f"{prefix}completed_at__gte": start})


def done_on_time_q(prefix=""):
    """Done by the deadline first agreed: the ``previous_deadline`` of the action's first deadline change, or its
    deadline when it never moved, so postponing does not turn late work into work done on time.

    One correlated look-up per done action, the first entry of the partial index on deadline changes
    (``update_deadline_change``: action, created_at, id), so the cost follows the actions counted, not the
    platform. (Uncorrelated ``IN`` sub-queries over the changes made PostgreSQL join every action of the platform
    to find the completion dates: 90 ms instead of 25 ms for one partnership of 10,000 actions among 400,000.)"""
    first_agreed = Subquery(ActionUpdate.objects.filter(previous_deadline__isnull=False, action=OuterRef(f"{prefix}pk"))
                            .order_by("created_at", "pk").values("previous_deadline")[:1])
    agreed_deadline = Coalesce(first_agreed, F(f"{prefix}deadline"), output_field=models.DateField())
    return done_q(prefix) & Q(**{f"{prefix}completed_at__date__lte": agreed_deadline})


# --- The pages an action may link to (good practices and proeftuinen, when that app is installed) -------------

#: Page types an action may link to (app_label, model); missing ones are skipped.
LINKABLE_PAGE_TYPES = [("good_practices", "GoodPracticePage"), ("good_practices", "ProeftuinPage")]


def linkable_pages():
    """Live good-practice and proeftuin pages, or none while those page types do not exist yet."""
    models = []
    for app_label, model_name in LINKABLE_PAGE_TYPES:
        try:
            models.append(apps.get_model(app_label, model_name))
        except LookupError:
            continue
    if not models:
        return Page.objects.none()
    return Page.objects.live().type(*models).order_by("title")


def adopted_practice(query):
    """The live good practice named by ``?praktijk=<id>`` (the "We gaan dit doen" link), or None."""
    value = query.get("praktijk", "")
    if not value.isdigit():
        return None
    try:
        model = apps.get_model("good_practices", "GoodPracticePage")
    except LookupError:
        return None
    return model.objects.live().filter(pk=value).first()


class ActionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def current(self):
        """Not archived: what the daily lists show (archived actions still count in every figure)."""
        return self.filter(archived=False)

    def overdue(self, today=None):
        return self.filter(overdue_q(today))

    def with_related(self):
        return self.select_related("partnership", "theme", "question", "owner", "owner_organisation")


class Action(index.Indexed, models.Model):
    """An agreed action: someone owns it, at a mandate level, by a deadline. The cure for a praatclub."""

    title = SingleLineCharField(_("title"), max_length=200, validators=[validate_single_line])
    description = models.TextField(_("description"), blank=True,
                                   validators=[validate_multiline_text, MaxTextLengthValidator(MAX_DESCRIPTION_CHARS)])
    partnership = models.ForeignKey(Partnership, verbose_name=_("partnership"),
                                    on_delete=models.PROTECT, related_name="actions")
    theme = models.ForeignKey(ReflectionTheme, verbose_name=_("reflection theme"), on_delete=models.PROTECT,
                              related_name="actions")
    question = models.ForeignKey(ReflectionQuestion, verbose_name=_("reflection question"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="actions")
    source_session = models.ForeignKey("actieplan.ReflectionSession", verbose_name=_("from reflection session"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="actions")
    board = models.CharField(_("board"), max_length=20, choices=BoardDomain.choices, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="owned_actions")
    owner_organisation = models.ForeignKey(Organisation, verbose_name=_("owner's organisation"),
                                           null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="actions")
    mandate_level = models.PositiveSmallIntegerField(_("mandate level"), choices=MandateLevel.choices)
    deadline = models.DateField(_("deadline"), validators=[validate_not_far_future])
    status = models.CharField(_("status"), max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="created_actions")
    created_by_name = name_field()
    created_at = models.DateTimeField(_("created on"), default=timezone.now)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    completed_at = models.DateTimeField(_("done on"), null=True, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("parent action"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="children",
                               help_text=_("Make this a sub-action of another action in the same partnership."))
    weight = models.PositiveSmallIntegerField(
        _("weight"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Optional: how heavily this sub-action counts towards the progress of the parent action "
                    "(empty counts as 1)."))
    linked_pages = models.ManyToManyField("wagtailcore.Page", verbose_name=_("linked good practices or pilot projects"),
                                          blank=True, related_name="+")
    # Instead of deleting an action that history leans on (a meeting's decision): it leaves the daily lists,
    # the board and the reminders, and still counts in every figure that was reported.
    archived = models.BooleanField(
        _("archived"), default=False,
        help_text=_("An archived action disappears from the list, the board and the reminders, and counts in "
                    "the figures that have already been reported."))

    objects = ActionQuerySet.as_manager()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("description"),
        index.AutocompleteField("title"),
        index.FilterField("partnership"),
        index.FilterField("status"),
        index.FilterField("owner"),
        # The permission rule narrows by the owner's organisation (a deelnemer reads their organisation's actions).
        index.FilterField("owner_organisation"),
    ]

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="action_status_deadline"),
            models.Index(fields=["partnership", "status"], name="action_partnership_status"),
            # The list's default order: a page of 25 is read from the index instead of sorting the whole plan.
            models.Index(fields=["deadline", "id"], name="action_deadline_id"),
            # The board's closed columns show the most recently closed actions first.
            models.Index(fields=["status", "-updated_at"], name="action_status_updated"),
            # The list's default order (work still to do first, by deadline): read a page from the index.
            models.Index(ACTIVE_FIRST_ORDER, models.F("deadline"), models.F("id"), name="action_active_first"),
        ]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    @property
    def is_active(self):
        return self.status in ACTIVE_STATUSES

    @property
    def is_overdue(self):
        return is_overdue(self.status, self.deadline)

    def clean(self):
        errors = {}
        if self.deadline and self.status in ACTIVE_STATUSES:
            deadline_changed = self._state.adding or self._loaded_deadline != self.deadline
            if deadline_changed and self.deadline < timezone.localdate():
                errors["deadline"] = _("The deadline is in the past. Choose today or a later date.")
        if self.partnership_id and self.owner_id:
            membership = Membership.objects.filter(partnership_id=self.partnership_id, user_id=self.owner_id).first()
            if membership is None:
                errors["owner"] = _("The owner is not a member of this partnership. Choose someone who is a "
                                    "member, or add the person as a member first.")
            elif self.owner_organisation_id and self.owner_organisation_id != membership.organisation_id:
                errors["owner_organisation"] = _("This organisation does not match the owner; the owner is a "
                                                 "member on behalf of %(org)s.") % {"org": membership.organisation}
        if self.question_id and self.theme_id and self.question.theme_id != self.theme_id:
            errors["question"] = _("This question does not belong to the chosen theme.")
        if self.source_session_id and self.partnership_id and self.source_session.partnership_id != self.partnership_id:
            errors["source_session"] = _("This reflection session belongs to another partnership.")
        errors.update(self._sub_action_errors())
        if errors:
            raise ValidationError(errors)

    def open_children(self):
        """The sub-actions that still need doing."""
        if self.pk is None:
            return Action.objects.none()
        return self.children.filter(status__in=ACTIVE_STATUSES)

    # --- the sub-action rule: a main action stays open while one of its sub-actions is open, from any side ----

    def closing_refused(self, status):
        """The Dutch reason why this action cannot get ``status`` now (a closed status while sub-actions
        are open), or None."""
        if status not in CLOSED_STATUSES:
            return None
        n = self.open_children().count()
        if not n:
            return None
        return ngettext(
            "This action still has %(n)d open sub-action. Finish it first or set it to cancelled.",
            "This action still has %(n)d open sub-actions. Finish them first or set them to cancelled.", n) % {"n": n}

    def open_under_closed_refused(self, status, parent=None):
        """The Dutch reason why this sub-action cannot be open (``status``) under its main action now (the main
        action is afgerond or vervallen), or None. ``parent``: the main action as just read (locked)."""
        if status not in ACTIVE_STATUSES or not self.parent_id:
            return None
        if parent is None or parent.pk != self.parent_id:
            parent = Action.objects.filter(pk=self.parent_id).only("pk", "title", "status").first()
        if parent is None or parent.status not in CLOSED_STATUSES:
            return None
        return _("The parent action ‘%(title)s’ is %(status)s. A sub-action can only be open under a parent "
                 "action that is still open: reopen the parent action first, or choose another parent action.") % {
            "title": parent.title, "status": parent.get_status_display()}

    def status_refused(self, status, parent=None):
        """Why this action cannot get ``status`` now under the sub-action rule (either side), or None."""
        return self.closing_refused(status) or self.open_under_closed_refused(status, parent)

    def _sub_action_errors(self, parent=None):
        errors = {}
        parent_moved = self._state.adding or self._loaded_parent_id != self.parent_id
        status_moved = self._state.adding or self._loaded_status != self.status
        refused = self.closing_refused(self.status) if status_moved else None
        if refused:
            errors["status"] = refused
        if parent_moved or status_moved:
            refused = self.open_under_closed_refused(self.status, parent)
            if refused:
                errors["parent" if parent_moved else "status"] = refused
        parent = self.parent if self.parent_id else None
        if parent is not None and "parent" not in errors:
            if self.pk is not None and parent.pk == self.pk:
                errors["parent"] = _("An action cannot be a sub-action of itself.")
            elif parent.parent_id is not None:
                errors["parent"] = _("Choose a parent action: this action is already a sub-action itself.")
            elif self.pk is not None and self.children.exists():
                errors["parent"] = _("This action has sub-actions of its own and therefore cannot become a sub-action.")
            elif self.partnership_id and parent.partnership_id != self.partnership_id:
                errors["parent"] = _("The parent action belongs to another partnership.")
        return errors

    def sub_action_errors_locked(self):
        """The sub-action rule again with the main action's row locked (inside the saving transaction), so a
        main action closed and a sub-action reopened at the same moment cannot both succeed."""
        parent = (Action.objects.select_for_update().filter(pk=self.parent_id).first()
                  if self.parent_id else None)
        return self._sub_action_errors(parent)

    @property
    def created_by_label(self):
        return name_label(self.created_by, self.created_by_name)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_deadline = instance.__dict__.get("deadline")
        instance._loaded_status = instance.__dict__.get("status")
        instance._loaded_parent_id = instance.__dict__.get("parent_id")
        instance._loaded_partnership_id = instance.__dict__.get("partnership_id")
        return instance

    _loaded_deadline = None
    _loaded_status = None
    _loaded_partnership_id = None
    _loaded_parent_id = None

    def save(self, *args, **kwargs):
        if not self.owner_organisation_id and self.owner_id and self.partnership_id:
            membership = Membership.objects.filter(partnership_id=self.partnership_id, user_id=self.owner_id).first()
            if membership:
                self.owner_organisation_id = membership.organisation_id
        if self.status == ActionStatus.AFGEROND and not self.completed_at:
            self.completed_at = timezone.now()
        elif self.status != ActionStatus.AFGEROND:
            self.completed_at = None
        super().save(*args, **kwargs)
        self._loaded_deadline, self._loaded_status, self._loaded_parent_id = self.deadline, self.status, self.parent_id


class ActionUpdate(models.Model):
    """A dated progress note on an action, optionally with a new status: a timeline that is never rewritten.

    A correction is a new update; saving an existing row or deleting one is refused.
    """

    action = models.ForeignKey(Action, verbose_name=_("action"), on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="action_updates")
    author_name = name_field()
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    note = models.TextField(_("progress"), validators=[validate_multiline_text, MaxTextLengthValidator(MAX_NOTE_CHARS)])
    new_status = models.CharField(_("new status"), max_length=20, choices=ActionStatus.choices, blank=True)
    percent_done = models.PositiveSmallIntegerField(_("percentage complete"), null=True, blank=True)
    # A postponement: the deadline moved from previous_deadline to new_deadline; the note is the reason.
    previous_deadline = models.DateField(_("previous deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(percent_done__isnull=True) | models.Q(percent_done__lte=100),
                                   name="percent_done_at_most_100"),
        ]
        indexes = [
            # The deadline changes only (done_on_time_q, postponements): without it every figure of the Voortgang
            # page read all progress notes of the platform (1.2 million at 40 partnerships, benchmarks/national.py).
            models.Index(fields=["action", "created_at", "id"], condition=models.Q(previous_deadline__isnull=False),
                         name="update_deadline_change"),
        ]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self):
        return f"{self.action} – {self.created_at:%d-%m-%Y}"

    @property
    def author_label(self):
        """Who wrote the note (their name stays after their account is deleted)."""
        return name_label(self.author, self.author_name)

    @property
    def is_postponement(self):
        """True when this note records a later deadline (the note is the reason)."""
        return bool(self.previous_deadline and self.new_deadline and self.new_deadline > self.previous_deadline)

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(_("A progress note cannot be changed; add a new note."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A progress note cannot be deleted; add a correction."))


class ImportReceipt(models.Model):
    """One row per confirmed import preview, so the same signed preview confirmed twice imports once.

    Written in the same transaction as the imported actions: a failed import leaves no receipt.
    """

    token_digest = models.CharField(_("fingerprint of the preview"), max_length=64, unique=True)
    partnership = models.ForeignKey(Partnership, verbose_name=_("partnership"), on_delete=models.CASCADE,
                                    related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    action_count = models.PositiveIntegerField(_("number of actions"), default=0)
    # The rows as imported (a digest): the same file a second time gets a warning in the preview.
    rows_digest = models.CharField(_("fingerprint of the rows"), max_length=64, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(_("imported at"), default=timezone.now)

    class Meta:
        verbose_name = _("processed import")
        verbose_name_plural = _("processed imports")

    def __str__(self):
        return f"{self.partnership_id}: {self.action_count} ({self.created_at:%Y-%m-%d %H:%M})"


keeps_name(Action, "created_by", "created_by_name")
keeps_name(ActionUpdate, "author", "author_name")


def action_scopes(instance):
    """The partnership scopes (``actieplan.caching.scoped``) a saved or deleted action concerns: its partnership,
    before and after a move to another one; for a row on an action (a note, a recorded change) its action's.
    None when there is none to name (the caller then bumps the whole name)."""
    if isinstance(instance, Action):
        ids = {instance.partnership_id, instance._loaded_partnership_id or instance.partnership_id}
        return [caching.partnership_scope(pk) for pk in sorted(ids) if pk] or None
    if getattr(instance, "action_id", None):
        try:
            return [caching.partnership_scope(instance.action.partnership_id)]
        except Action.DoesNotExist:  # deleted along with its action
            return None
    return None
