"""One policy for who may see and change what in the action plan; views, admin, feeds, mails and exports use it.

Every rule asks one question of the database: which role does this person hold *now* in the partnership the
object belongs to. The rules take objects of the other capabilities (an action, a meeting) only for their
``partnership_id``, ``owner_id`` or ``chair_id``, so this module imports none of them.

- superusers see everything; editors (Redacteuren) edit content, not actions, unless they are members;
- werkgroep roles (procesbewaker, werkgroeplid) see and edit their own partnerships' actions and sessions;
- an owner may add updates to their own actions;
- bestuurders read their partnerships' actions;
- anonymous visitors see none;
- an archived partnership is out of every list: its actions, sessions and meetings stay in the database
  (and in the admin for platform admins), but members no longer see them in the front end.
"""

from django.db.models import Q

from actieplan.partnerships.models import Membership, Partnership, Role

EDITOR_ROLES = (Role.PROCESBEWAKER, Role.WERKGROEPLID)
READER_ROLES = (Role.PROCESBEWAKER, Role.WERKGROEPLID, Role.BESTUURDER, Role.DEELNEMER)


def is_platform_admin(user):
    return user.is_authenticated and user.is_superuser


def member_partnerships(user, roles=READER_ROLES):
    """The partnerships in which ``user`` has one of ``roles``, as a subquery (costs no query of its own)."""
    if not user.is_authenticated:
        return Membership.objects.none().values("partnership_id")
    # order_by(): Membership's default ordering joins three tables that this lookup does not need.
    return (Membership.objects.filter(user=user, role__in=roles, partnership__archived=False)
            .order_by().values("partnership_id"))


def archived_partnerships():
    """The archived partnerships' ids, as a subquery."""
    return Partnership.objects.filter(archived=True).order_by().values("pk")


def active_partnerships():
    """Partnerships that are not archived: what forms and lists offer."""
    return Partnership.objects.filter(archived=False)


def partnership_ids(user, roles=READER_ROLES):
    """The partnerships in which ``user`` has one of ``roles``."""
    if not user.is_authenticated:
        return []
    return list(member_partnerships(user, roles).values_list("partnership_id", flat=True))


def visible_actions_filter(user):
    """Who may read an action, as a Q without joins: each visible action is one row, so COUNT(*) counts actions."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_platform_admin(user):
        return ~Q(partnership_id__in=archived_partnerships())
    return (Q(partnership_id__in=member_partnerships(user))
            | (Q(owner_id=user.pk) & ~Q(partnership_id__in=archived_partnerships())))


def can_view_action(user, action):
    return is_platform_admin(user) or action.owner_id == user.pk or action.partnership_id in partnership_ids(user)


def can_edit_action(user, action):
    """Change the action itself (title, owner, deadline, …): the working group of its partnership."""
    return is_platform_admin(user) or action.partnership_id in partnership_ids(user, EDITOR_ROLES)


def can_update_action(user, action):
    """Add a progress update (and a new status): the working group, and the owner of the action."""
    return user.is_authenticated and (action.owner_id == user.pk or can_edit_action(user, action))


def can_manage_partnership(user, partnership_id):
    """Create actions, meetings and reflection sessions for a partnership."""
    return is_platform_admin(user) or partnership_id in partnership_ids(user, EDITOR_ROLES)


def manageable_partnerships(user):
    """The partnerships (not archived) in which ``user`` may create and change actions, meetings and reflection
    sessions: what every form offers, and what :func:`can_manage_partnership` allows one at a time."""
    if is_platform_admin(user):
        return active_partnerships()
    return Partnership.objects.filter(pk__in=member_partnerships(user, EDITOR_ROLES))


def can_view_meeting(user, meeting):
    """Read a meeting's agenda and minutes: every member of its partnership."""
    return user.is_authenticated and (is_platform_admin(user) or meeting.partnership_id in partnership_ids(user))


def visible_meetings_filter(user, field="partnership_id"):
    """Who may read a meeting (its agenda, decisions and minutes) or a reflection session's results, for many at
    once: every member of its partnership, platform admins all (:func:`can_view_meeting` as a Q on ``field``)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_platform_admin(user):
        return Q()
    return Q(**{f"{field}__in": member_partnerships(user)})


def can_manage_meeting(user, meeting):
    """Plan the meeting, write its minutes and decisions, close it: the working group and the chair."""
    return user.is_authenticated and (can_manage_partnership(user, meeting.partnership_id)
                                      or (meeting.chair_id == user.pk and can_view_meeting(user, meeting)))


PROGRESS_ROLES = (Role.PROCESBEWAKER, Role.WERKGROEPLID, Role.BESTUURDER)


def can_view_progress(user, partnership_id):
    """Read a partnership's Voortgang page: its bestuurders and working group (not deelnemers)."""
    return user.is_authenticated and (is_platform_admin(user)
                                      or partnership_id in partnership_ids(user, PROGRESS_ROLES))
