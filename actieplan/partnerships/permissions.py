"""One policy for who may see and change what in the action plan; views, admin, feeds, mails and exports use it.

Every rule asks one question of the database: which role does this person hold *now* in the partnership the
object belongs to. Nothing is decided by what held when a link was made: a signed link, a calendar feed, a mail
decided last week and an open browser session all ask again, so leaving a partnership (or its archiving, or a
deactivated account) ends access everywhere at once. The rules take objects of the other capabilities (an
action, a meeting) only for their ``partnership_id``, ``owner_id``, ``owner_organisation_id`` or ``chair_id``,
so this module imports none of them.

- superusers (platform admins) see everything; editors (Redacteuren) edit content, not actions, unless they
  are members;
- the working group (procesbewaker, werkgroeplid) reads and changes its partnerships' actions, sessions and
  meetings;
- bestuurders read their partnerships' whole plan: actions with their timelines, meetings and minutes,
  reflection results, the Voortgang page;
- a deelnemer reads what concerns them, and nothing else of the partnership: the actions they own (and may
  update), the actions of their own organisation in that partnership (an escalation may ask them to help), and
  the meetings they are invited to, chair or were given an action in (with their minutes). Not the rest of the
  plan, nor reflection results, comments and exports, nor the Voortgang page;
- anonymous visitors and people without a membership see none of it;
- platform operators (platformbeheerders, the group ``Platformbeheerders``, a role below superuser) run the
  platform for every region: they create partnerships with their first procesbewaker, archive them and see per
  partnership how active it is (counts only). They read no content: not one action, note, comment, session,
  meeting or minute, on any page, export, search or admin view. Every rule above leaves them out, because none
  asks for the group: only :func:`can_operate_platform` does;
- an archived partnership is out of every list: its actions, sessions and meetings stay in the database
  (and in the admin for platform admins), but members, owners included, no longer see or change them.
"""

from django.db.models import Q

from actieplan.partnerships.models import Membership, Partnership, Role

EDITOR_ROLES = (Role.PROCESBEWAKER, Role.WERKGROEPLID)
#: The roles that read a partnership's whole plan (actions, timelines, meetings, reflection results).
READER_ROLES = (Role.PROCESBEWAKER, Role.WERKGROEPLID, Role.BESTUURDER)
#: Every role: a current member, whatever they may read.
MEMBER_ROLES = (Role.PROCESBEWAKER, Role.WERKGROEPLID, Role.BESTUURDER, Role.DEELNEMER)
PROGRESS_ROLES = READER_ROLES


#: The Django group whose members operate the platform (``manage.py lob_setup_groups`` creates it).
PLATFORM_OPERATOR_GROUP = "Platformbeheerders"


def is_platform_admin(user):
    return user.is_authenticated and user.is_active and user.is_superuser


def can_operate_platform(user):
    """Create and archive partnerships and see their activity (never their content): platform operators (the group
    :data:`PLATFORM_OPERATOR_GROUP`) and superusers. Being an operator gives no other right in this policy."""
    if not _counts(user):
        return False
    return user.is_superuser or user.groups.filter(name=PLATFORM_OPERATOR_GROUP).exists()


def _counts(user):
    """An account that may hold access at all: logged in (or named by a link) and not deactivated."""
    return user is not None and user.is_authenticated and user.is_active


def member_partnerships(user, roles=READER_ROLES):
    """The partnerships (not archived) in which ``user`` has one of ``roles``, as a subquery (no query of its own)."""
    if not _counts(user):
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
    """The partnerships (not archived) in which ``user`` has one of ``roles``."""
    if not _counts(user):
        return []
    return list(member_partnerships(user, roles).values_list("partnership_id", flat=True))


def membership(user, partnership_id):
    """``(role, organisation_id)`` of ``user``'s current membership of the partnership (not archived), or None."""
    if not _counts(user) or partnership_id is None:
        return None
    return (Membership.objects.filter(user=user, partnership_id=partnership_id, partnership__archived=False)
            .order_by().values_list("role", "organisation_id").first())


def is_member(user, partnership_id, roles=MEMBER_ROLES):
    """Does ``user`` hold one of ``roles`` in this (not archived) partnership now?"""
    current = membership(user, partnership_id)
    return current is not None and current[0] in roles


# --- actions -------------------------------------------------------------------------------------

def visible_actions_filter(user):
    """Who may read an action, as a Q without joins: each visible action is one row, so COUNT(*) counts actions.

    The user's memberships are read first (one small query) and the Q holds them as values: partnerships where the
    user reads the plan, partnerships where the user is a member (for their own actions) and, per deelnemer
    membership, the (partnership, organisation) pair. PostgreSQL then reads only those partnerships' actions by
    index; with the memberships as subqueries (the deelnemer one correlated) it read every action of the platform
    for each count (2.2 s at 40 partnerships × 10,000 actions against 1 ms, benchmarks/national.py).
    """
    if not _counts(user):
        return Q(pk__in=[])
    if is_platform_admin(user):
        return ~Q(partnership_id__in=archived_partnerships())
    memberships = list(Membership.objects.filter(user=user, partnership__archived=False).order_by()
                       .values_list("partnership_id", "role", "organisation_id"))
    readable = sorted({p for p, role, _o in memberships if role in READER_ROLES})
    member_of = sorted({p for p, role, _o in memberships if role in MEMBER_ROLES})
    visible = Q(partnership_id__in=readable) | Q(owner_id=user.pk, partnership_id__in=member_of)
    for partnership_id, role, organisation_id in memberships:
        if role == Role.DEELNEMER and organisation_id is not None:
            visible |= Q(partnership_id=partnership_id, owner_organisation_id=organisation_id)
    return visible


def _reads_action(current, user, action):
    """The rule of :func:`visible_actions_filter` for one action, given the user's ``current`` membership."""
    if current is None:
        return False
    role, organisation_id = current
    return (role in READER_ROLES or action.owner_id == user.pk
            or (role == Role.DEELNEMER and organisation_id is not None
                and action.owner_organisation_id == organisation_id))


def _archived(partnership_id):
    return Partnership.objects.filter(pk=partnership_id, archived=True).exists()


def can_view_action(user, action):
    if not _counts(user):
        return False
    if is_platform_admin(user):
        return not _archived(action.partnership_id)
    return _reads_action(membership(user, action.partnership_id), user, action)


def can_edit_action(user, action):
    """Change the action itself (title, owner, deadline, …): the working group of its partnership."""
    if is_platform_admin(user):
        return True
    return is_member(user, action.partnership_id, EDITOR_ROLES)


def can_update_action(user, action):
    """Add a progress update (and a new status): the working group, and the owner while still a member."""
    if not _counts(user):
        return False
    if is_platform_admin(user):
        return not _archived(action.partnership_id)
    current = membership(user, action.partnership_id)
    return current is not None and (current[0] in EDITOR_ROLES or action.owner_id == user.pk)


def can_manage_partnership(user, partnership_id):
    """Create actions, meetings and reflection sessions for a partnership (not an archived one: nobody adds to
    it, as :func:`manageable_partnerships` offers it to nobody)."""
    if is_platform_admin(user):
        return partnership_id is not None and not _archived(partnership_id)
    return partnership_id in partnership_ids(user, EDITOR_ROLES)


def can_set_sharing(user, partnership_id):
    """Decide what a partnership shares with other regions (the benchmark, its experiences at good practices, its
    name and province): its procesbewaker, or a platform admin; not for an archived partnership."""
    if is_platform_admin(user):
        return not _archived(partnership_id)
    return partnership_id in partnership_ids(user, (Role.PROCESBEWAKER,))


def manageable_partnerships(user):
    """The partnerships (not archived) in which ``user`` may create and change actions, meetings and reflection
    sessions: what every form offers, and what :func:`can_manage_partnership` allows one at a time."""
    if is_platform_admin(user):
        return active_partnerships()
    return Partnership.objects.filter(pk__in=member_partnerships(user, EDITOR_ROLES))


# --- meetings ------------------------------------------------------------------------------------

def visible_meetings_filter(user):
    """Who may read a meeting (agenda, minutes, PDF, calendar entry): the partnership's readers, and a current
    member who is invited, chairs it or was given an action in it. It joins: use the queryset with ``distinct()``."""
    if not _counts(user):
        return Q(pk__in=[])
    if is_platform_admin(user):
        return Q()
    involved = Q(invited=user) | Q(chair_id=user.pk) | Q(items__decisions__action__owner_id=user.pk)
    return (Q(partnership_id__in=member_partnerships(user))
            | (Q(partnership_id__in=member_partnerships(user, MEMBER_ROLES)) & involved))


def can_view_meeting(user, meeting):
    """Read a meeting's agenda and minutes (see :func:`visible_meetings_filter`)."""
    if not _counts(user):
        return False
    if is_platform_admin(user):
        return True
    return type(meeting)._default_manager.filter(pk=meeting.pk).filter(visible_meetings_filter(user)).exists()


def can_view_series(user, series):
    """Read a meeting series (its rule, template agenda and meetings): as a meeting of it
    (:func:`visible_meetings_filter`): the partnership's readers, and a current member who chairs or is invited."""
    if not _counts(user):
        return False
    if is_platform_admin(user) or series.partnership_id in partnership_ids(user):
        return True
    return is_member(user, series.partnership_id) and (
        series.chair_id == user.pk or series.invited.filter(pk=user.pk).exists())


def can_manage_meeting(user, meeting):
    """Plan the meeting, write its minutes and decisions, close it: the working group and the chair."""
    return _counts(user) and (can_manage_partnership(user, meeting.partnership_id)
                              or (meeting.chair_id == user.pk and is_member(user, meeting.partnership_id)))


def can_check_in(user, meeting):
    """Answer the check-in before a meeting (the link in the check-in mail): a current member of its partnership;
    the page then lists only the person's own open actions there."""
    return is_member(user, meeting.partnership_id)


# --- reflection and progress -------------------------------------------------------------------------

def can_read_reflection(user, partnership_id):
    """Read a partnership's reflection sessions, results, comments and exports: its readers (not deelnemers,
    who answer anonymously like every participant)."""
    return is_platform_admin(user) or partnership_id in partnership_ids(user, READER_ROLES)


def readable_reflection_filter(user, field="partnership_id"):
    """:func:`can_read_reflection` for many at once, as a Q on ``field`` (a partnership id)."""
    if not _counts(user):
        return Q(pk__in=[])
    if is_platform_admin(user):
        return Q()
    return Q(**{f"{field}__in": member_partnerships(user, READER_ROLES)})


def can_view_progress(user, partnership_id):
    """Read a partnership's Voortgang page: its bestuurders and working group (not deelnemers)."""
    return is_platform_admin(user) or partnership_id in partnership_ids(user, PROGRESS_ROLES)


# --- mails decided earlier, sent now ------------------------------------------------------------------

def may_receive_about_action(user, action, *, as_former_owner=False):
    """Whether a mail about ``action`` may still go to ``user`` when it is sent (not when it was decided):
    they must be able to read it now; a former owner (told that the action moved on) must still be a member."""
    if not _counts(user):
        return False
    if as_former_owner:
        return is_member(user, action.partnership_id)
    return can_view_action(user, action)
