"""Record every change that matters, and who follows by default, as the change is saved.

Connected in ``ActieplanConfig.ready()`` to the saves of the things people follow, so every path (the pages, the
admin, imports, meetings, the reminder link) records the same changes:

- a timeline note (``ActionUpdate``): a note, a new status, a moved deadline (its note is the reason) or the
  action closed (afgerond or vervallen); the note's author made it;
- an action created or given to someone else: the owner (and the creator) follow it; a new owner is told on the
  "since" page (the assignment mail already tells them);
- a meeting planned (its chair, creator and invited follow it), moved, or its minutes closed;
- a proeftuin published (its creator follows it from the start).

Each change is one ``Change`` row written in the saving transaction, and its immediate mails are decided in the
same transaction as rows of the reminder log (kind ``gevolgd``, one per change and follower), delivered after
the commit like every reminder: a rolled-back change tells nobody, a retried delivery sends nothing twice. Inside
``notifications.muted()`` (the demo) changes and follows are recorded but nobody is mailed.
"""

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.utils import timezone
from wagtail.signals import page_published

from actieplan.actions.models import CLOSED_STATUSES, Action, ActionUpdate
from actieplan.following import rules
from actieplan.following.models import Change, ChangeKind, Follow, FollowReason, MailChoice
from actieplan.meetings.models import Meeting
from actieplan.reminders import notifications
from actieplan.reminders.models import ReminderKind
from actieplan.reminders.scan import Planned, record as record_reminders
from actieplan.reminders.tasks import enqueue_on_commit


def follow(user_id, reason, **target):
    """``user_id`` follows ``target`` (``action=…``, ``meeting=…`` or ``page=…``) unless they already do."""
    if user_id:
        rules.add_follows([Follow(user_id=user_id, reason=reason, **target)])


def record(kind, **fields):
    """Write one change and decide its immediate mails (not while muted)."""
    change = Change.objects.create(kind=kind, **fields)
    if not notifications.is_muted():
        planned = [Planned(ReminderKind.FOLLOWED, change.period, user.pk, user.email, change.action_id)
                   for user in rules.to_tell(change, MailChoice.IMMEDIATE)]
        if planned:
            ids, _counts = record_reminders(planned)
            enqueue_on_commit(ids)
    return change


def kind_of_update(update):
    """What a timeline note tells: the action closed, a new status, a moved deadline, or a note."""
    if update.new_status in CLOSED_STATUSES:
        return ChangeKind.CLOSED
    if update.new_status:
        return ChangeKind.STATUS
    if update.previous_deadline and update.new_deadline and update.previous_deadline != update.new_deadline:
        return ChangeKind.DEADLINE
    return ChangeKind.NOTE


def on_update_saved(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    record(kind_of_update(instance), action_id=instance.action_id, update=instance, actor_id=instance.author_id,
           created_at=instance.created_at)


def remember_action(sender, instance, raw=False, **kwargs):
    instance._lob_following_owner = (None if raw or instance.pk is None else
                                     Action.objects.filter(pk=instance.pk).values_list("owner_id", flat=True).first())


def on_action_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    previous_owner = instance.__dict__.pop("_lob_following_owner", None)
    if created:
        follow(instance.owner_id, FollowReason.OWNER, action=instance)
        if instance.created_by_id != instance.owner_id:
            follow(instance.created_by_id, FollowReason.CREATOR, action=instance)
            record(ChangeKind.ASSIGNED, action=instance, person_id=instance.owner_id, actor_id=instance.created_by_id,
                   created_at=instance.created_at)
    elif previous_owner is not None and previous_owner != instance.owner_id:
        follow(instance.owner_id, FollowReason.ASSIGNED, action=instance)
        record(ChangeKind.ASSIGNED, action=instance, person_id=instance.owner_id, created_at=instance.updated_at)


def remember_meeting(sender, instance, raw=False, **kwargs):
    instance._lob_following_before = (None if raw or instance.pk is None else
                                      Meeting.objects.filter(pk=instance.pk)
                                      .values("starts_at", "closed_at", "chair_id").first())


def on_meeting_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = instance.__dict__.pop("_lob_following_before", None)
    if created:
        follow(instance.chair_id, FollowReason.CHAIR, meeting=instance)
        follow(instance.created_by_id, FollowReason.CREATOR, meeting=instance)
        record(ChangeKind.PLANNED, meeting=instance, actor_id=instance.created_by_id, created_at=instance.created_at)
        return
    if before is None:
        return
    if instance.chair_id and instance.chair_id != before["chair_id"]:
        follow(instance.chair_id, FollowReason.CHAIR, meeting=instance)
    if instance.closed_at and before["closed_at"] is None:
        record(ChangeKind.MINUTES, meeting=instance, actor_id=instance.closed_by_id, created_at=instance.closed_at)
    elif instance.closed_at is None and instance.starts_at != before["starts_at"]:
        record(ChangeKind.MOVED, meeting=instance, previous_moment=before["starts_at"],
               created_at=instance.updated_at)


def on_invited(sender, instance, action, pk_set, reverse=False, **kwargs):
    if action != "post_add" or not pk_set:
        return
    if reverse:  # people.meeting_invitations.add(meeting): ``instance`` is the person
        rules.add_follows([Follow(user_id=instance.pk, meeting_id=pk, reason=FollowReason.INVITED)
                           for pk in sorted(pk_set)])
    else:
        rules.add_follows([Follow(user_id=pk, meeting=instance, reason=FollowReason.INVITED) for pk in sorted(pk_set)])


def on_page_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        follow(instance.owner_id, FollowReason.CREATOR, page=instance)


def on_page_published(sender, instance, revision=None, **kwargs):
    # Every publication; the first one is news to nobody but its creator, if someone else published it.
    record(ChangeKind.PUBLISHED, page_id=instance.pk, actor_id=getattr(revision, "user_id", None),
           created_at=instance.last_published_at or timezone.now())


def connect():
    post_save.connect(on_update_saved, sender=ActionUpdate, dispatch_uid="actieplan-following-update")
    pre_save.connect(remember_action, sender=Action, dispatch_uid="actieplan-following-action-pre")
    post_save.connect(on_action_saved, sender=Action, dispatch_uid="actieplan-following-action")
    pre_save.connect(remember_meeting, sender=Meeting, dispatch_uid="actieplan-following-meeting-pre")
    post_save.connect(on_meeting_saved, sender=Meeting, dispatch_uid="actieplan-following-meeting")
    m2m_changed.connect(on_invited, sender=Meeting.invited.through, dispatch_uid="actieplan-following-invited")
    for model in rules.followable_page_models():
        post_save.connect(on_page_saved, sender=model, dispatch_uid=f"actieplan-following-page-{model.__name__}")
        page_published.connect(on_page_published, sender=model,
                               dispatch_uid=f"actieplan-following-published-{model.__name__}")
