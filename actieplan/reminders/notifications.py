"""Event notifications: tell people when an action changes hands, is completed or gets blocked.

Connected in ``ActieplanConfig.ready()`` to ``pre_save``/``post_save`` of ``Action``, so every
path that saves an action (working-group pages, admin, ``services.add_update``, imports) tells
the same people. The notification is a ``Reminder`` row written in the saving transaction (a
rolled-back save tells nobody) and delivered by the same worker after the commit, through the
same log (and the same delivery) as the scan's reminders.

- assigned (a new action, or a new owner): the new owner; on reassignment the previous owner too;
- completed or blocked: the action's creator (unless the creator is the owner).

The period of an event is the action's ``updated_at`` of that save, so each save tells once and
a later, separate reassignment tells again.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from types import SimpleNamespace

from django.db.models.signals import post_save, pre_save

from actieplan.actions.models import Action, ActionStatus
from actieplan.partnerships.models import Membership, Role
from actieplan.reminders.models import ReminderKind
from actieplan.reminders.scan import Planned, _to_owner, record
from actieplan.reminders.tasks import enqueue_on_commit


_muted = ContextVar("lob_notifications_muted", default=False)


@contextmanager
def muted():
    """Save actions without telling anyone: demo content describes the past, nobody is assigned anything now."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def is_muted():
    """True inside :func:`muted` (the demo loader): other capabilities tell nobody either."""
    return _muted.get()


def status_recipient(action, status):
    """Who is told when ``action`` gets ``status``: its creator on completion or blockade, unless the creator
    owns it (then nobody); None for other statuses."""
    if action.created_by_id and action.created_by_id != action.owner_id and status in (
            ActionStatus.AFGEROND, ActionStatus.GEBLOKKEERD):
        return action.created_by_id
    return None


def remember_previous_state(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._lob_previous = None
        return
    instance._lob_previous = Action.objects.filter(pk=instance.pk).values("owner_id", "status").first()


def _procesbewakers(partnership_id):
    people = (Membership.objects.filter(partnership_id=partnership_id, role=Role.PROCESBEWAKER,
                                        user__is_active=True).exclude(user__email="")
              .values_list("user_id", "user__email"))
    return SimpleNamespace(procesbewakers=defaultdict(list, {partnership_id: list(people)}))


def _to_person(planned, action, kind, period, user):
    if user is not None and user.email and user.is_active:
        planned.append(Planned(kind, period, user.pk, user.email, action.pk))


def plan_events(action, previous, created):
    """The notifications one save of ``action`` calls for."""
    period = action.updated_at.strftime("%Y-%m-%dT%H:%M:%S.%f")
    planned = []

    def tell_owner(kind):
        owner = action.owner
        _to_owner(planned, _procesbewakers(action.partnership_id), action_id=action.pk, kind=kind, period=period,
                  owner_id=owner.pk, email=owner.email, active=owner.is_active,
                  partnership_id=action.partnership_id)

    if created:
        if action.owner_id != action.created_by_id:
            tell_owner(ReminderKind.ASSIGNED)
        return planned
    if previous is None:
        return planned
    if previous["owner_id"] != action.owner_id:
        tell_owner(ReminderKind.ASSIGNED)
        previous_owner = type(action.owner).objects.filter(pk=previous["owner_id"]).first()
        _to_person(planned, action, ReminderKind.UNASSIGNED, period, previous_owner)
    if previous["status"] != action.status and status_recipient(action, action.status):
        kind = ReminderKind.COMPLETED if action.status == ActionStatus.AFGEROND else ReminderKind.BLOCKED
        _to_person(planned, action, kind, period, action.created_by)
    return planned


def notify_on_save(sender, instance, created, raw=False, **kwargs):
    if raw or _muted.get():
        return
    previous = instance.__dict__.pop("_lob_previous", None)
    planned = plan_events(instance, previous, created)
    if planned:
        ids, _counts = record(planned)
        enqueue_on_commit(ids)


def connect():
    pre_save.connect(remember_previous_state, sender=Action, dispatch_uid="actieplan-notify-pre")
    post_save.connect(notify_on_save, sender=Action, dispatch_uid="actieplan-notify-post")
