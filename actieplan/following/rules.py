"""Who may follow what, what one follows, and who is told of a change: each rule once.

Reading is decided by the pages' own rules (``counts.visible`` for actions, ``visible_meetings_filter`` and
``can_view_meeting`` for meetings; a proeftuin: published and not behind a view restriction), asked again at the
moment a mail is decided and when it is sent, so a follower who left the partnership hears nothing more.
"""

from functools import reduce
from operator import or_

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from wagtail.models import Page

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.models import Action, ActionUpdate, action_scopes
from actieplan.following.models import MAILED_KINDS, Change, ChangeKind, Follow, FollowerSettings, MailChoice
from actieplan.meetings import minutes
from actieplan.meetings.models import Meeting
from actieplan.partnerships.permissions import can_view_meeting, visible_meetings_filter
from actieplan.reminders.notifications import status_recipient

#: The name (``actieplan.caching``) of the cached "since" counts; apps.py bumps it when a change, follow or setting
#: is saved, and when an action, meeting or membership changes (what is overdue, what one may read).
FOLLOWING = "following"

#: Pages that can be followed (app label, model); missing ones are skipped, as for linked pages.
FOLLOWABLE_PAGE_TYPES = [("good_practices", "ProeftuinPage")]


def followable_page_models():
    found = []
    for app_label, model_name in FOLLOWABLE_PAGE_TYPES:
        try:
            found.append(apps.get_model(app_label, model_name))
        except LookupError:
            continue
    return found


def readable_pages():
    """Proeftuinen anyone may read: published, not behind a view restriction."""
    models = followable_page_models()
    if not models:
        return Page.objects.none()
    return Page.objects.live().public().type(*models)


def target_of(obj):
    """``{"action": obj}``, ``{"meeting": obj}`` or ``{"page": obj}``: the Follow field for ``obj``."""
    if isinstance(obj, Action):
        return {"action": obj}
    if isinstance(obj, Meeting):
        return {"meeting": obj}
    if isinstance(obj, Page):
        return {"page": obj}
    raise TypeError(f"{type(obj).__name__} kan niet gevolgd worden")


def add_follows(follows):
    """Save new ``Follow`` rows, skipping those that exist (a bulk insert sends no signal: bump the counts of the
    people who follow)."""
    if follows:
        Follow.objects.bulk_create(follows, ignore_conflicts=True)
        caching.bump(*sorted({caching.scoped(FOLLOWING, caching.person_scope(f.user_id)) for f in follows}))


def scopes_of(instance):
    """The scopes of :data:`FOLLOWING` (``actieplan.caching.scoped``) a saved or deleted row concerns, or None when
    it may concern anyone. One's follows and settings concern only oneself; an action, its notes and the changes
    recorded on it concern the members of its partnership (before and after a move to another one), who alone may
    read it (``visible_actions_filter``). Meetings (invitations reach beyond the partnership) and pages concern
    anyone."""
    if isinstance(instance, (Follow, FollowerSettings)):
        return [caching.person_scope(instance.user_id)] if instance.user_id else None
    if isinstance(instance, Change) and (instance.meeting_id or instance.page_id or not instance.action_id):
        return None
    return action_scopes(instance)


def may_read(user, *, action=None, meeting=None, page=None, request=None):
    """Whether ``user`` may read the followed thing now (as its page decides)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action is not None:
        return counts.visible(user).filter(pk=action.pk).exists()
    if meeting is not None:
        return can_view_meeting(user, meeting)
    if page is not None:
        if request is not None:  # the page itself decides, restrictions included
            specific = page.specific
            return (specific.live and isinstance(specific, tuple(followable_page_models()))
                    and all(r.accept_request(request) for r in specific.get_view_restrictions()))
        return readable_pages().filter(pk=page.pk).exists()
    return False


def readable_changes(user):
    """A condition on ``Change`` rows for those whose action, meeting or proeftuin ``user`` may read."""
    return (Q(action_id__in=counts.visible(user).order_by().values("pk"))
            | Q(meeting_id__in=Meeting.objects.filter(visible_meetings_filter(user)).order_by().values("pk"))
            | Q(page_id__in=readable_pages().order_by().values("pk")))


def mine(user):
    """A condition on ``Change`` rows for what ``user`` owns, chairs or was invited to, and what they follow
    (from when they started to follow it: what changed before is not news to them)."""
    followed = Follow.objects.filter(user=user, created_at__lte=OuterRef("created_at")).order_by()
    return _owned_changes(user) | reduce(
        or_, (Exists(followed.filter(**{target: OuterRef(target)})) for target in ("action_id", "meeting_id",
                                                                                    "page_id")))


#: What a person owns, chairs or was invited to, per target of a change (a condition on that target's rows).
OWNED = {"action": lambda user: Q(owner_id=user.pk), "meeting": lambda user: Q(invited=user) | Q(chair_id=user.pk)}
TARGET_MODELS = {"action": Action, "meeting": Meeting}


def _owned_changes(user):
    return reduce(or_, (Q(**{f"{target}_id__in": TARGET_MODELS[target].objects.filter(owned(user)).order_by()
                                                        .values("pk")}) for target, owned in OWNED.items()))


def news_since(user, since):
    """:func:`mine` and :func:`readable_changes` together, for the changes made after ``since`` (the "since"
    page and the count in the header), written so that the pages' rules are asked of the few things ``user``
    owns or follows instead of every action and meeting of their partnerships.

    A change has one target (an action, a meeting or a proeftuin; ``changes.record``), so per target: a readable
    one among those owned or followed. The follows from before ``since`` cover every later change; only a target
    followed after ``since`` also needs the follow to be older than the change."""
    targets = ("action", "meeting", "page")
    followed = {target: set() for target in targets}
    late = set()
    for *ids, created_at in Follow.objects.filter(user=user).values_list(*(f"{t}_id" for t in targets),
                                                                          "created_at"):
        for target, pk in zip(targets, ids):
            if pk is not None:
                followed[target].add(pk)
                if created_at > since:
                    late.add(target)
    readable = {"action": counts.visible(user), "meeting": Meeting.objects.filter(visible_meetings_filter(user)),
                "page": readable_pages()}
    condition = Q(pk__in=[])
    for target in targets:
        mine_here = Q(pk__in=sorted(followed[target]))
        if target in OWNED:
            mine_here |= OWNED[target](user)
        part = Q(**{f"{target}_id__in": readable[target].filter(mine_here).order_by().values("pk")})
        if target in late:
            older = Exists(Follow.objects.filter(user=user, created_at__lte=OuterRef("created_at"),
                                                 **{target: OuterRef(f"{target}_id")}))
            if target in OWNED:
                older |= Q(**{f"{target}_id__in": TARGET_MODELS[target].objects.filter(OWNED[target](user))
                                                       .order_by().values("pk")})
            part &= older
        condition |= part
    return condition


def followed_actions(user):
    """The actions ``user`` follows or owns and may read (for "te laat" on the since page)."""
    followed = Follow.objects.filter(user=user, action__isnull=False).order_by().values("action_id")
    return counts.visible(user).filter(Q(pk__in=followed) | Q(owner_id=user.pk))


def mail_choice(user):
    settings = FollowerSettings.objects.filter(user=user).first()
    return settings.mail if settings else MailChoice.IMMEDIATE


def settings_for(user):
    settings, _created = FollowerSettings.objects.get_or_create(user=user)
    return settings


#: A note the creator writes within this many seconds of creating the action belongs to the creation (a meeting's
#: decision puts its text on the new action's timeline): the owner hears of it by the assignment mail.
CREATION_NOTE_SECONDS = 60


def creation_note(change):
    """Whether ``change`` is the note that came with creating its action (not news for anyone)."""
    update, action = change.update, change.action
    if update is None or action is None or update.author_id is None:
        return False
    return (update.author_id == action.created_by_id
            and abs((update.created_at - action.created_at).total_seconds()) <= CREATION_NOTE_SECONDS)


def told_elsewhere(change):
    """The people another mail already tells of ``change``: the creator of an action completed or blocked (the
    action's own event mail), and everyone the minutes mail goes to."""
    if change.kind in (ChangeKind.STATUS, ChangeKind.CLOSED) and change.update is not None:
        recipient = status_recipient(change.action, change.update.new_status)
        return {recipient} if recipient else set()
    if change.kind == ChangeKind.MINUTES and change.meeting is not None:
        return {planned.recipient_id for planned in minutes.plan_minutes(change.meeting)}
    return set()


def followers(change):
    """The people who follow the action, meeting or proeftuin of ``change``."""
    target = ({"action_id": change.action_id} if change.action_id else
              {"meeting_id": change.meeting_id} if change.meeting_id else {"page_id": change.page_id})
    return Follow.objects.filter(**target)


def to_tell(change, choice):
    """The followers to tell of ``change`` who chose ``choice`` (a :class:`MailChoice`): not who made it, not who
    another mail tells, only who has an address and may read it now. ``[user]``."""
    if change.kind not in MAILED_KINDS or creation_note(change):
        return []
    skip = told_elsewhere(change) | {change.actor_id}
    chosen = {user_id: mail for user_id, mail in FollowerSettings.objects.filter(
        user__lob_follows__in=followers(change)).values_list("user_id", "mail")}
    people = []
    for follow in followers(change).select_related("user").order_by("user_id"):
        user = follow.user
        if user.pk in skip or not user.email or chosen.get(user.pk, MailChoice.IMMEDIATE) != choice:
            continue
        if may_read(user, action=change.action, meeting=change.meeting, page=change.page):
            people.append(user)
    return people


def update_of(change):
    """The timeline note of an action's change, or None."""
    return ActionUpdate.objects.filter(pk=change.update_id).first() if change.update_id else None
