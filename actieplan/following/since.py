""""Sinds je laatste bezoek": what changed in what one owns, follows or was invited to, newest first.

"Since" is the moment the person last pressed *Alles gelezen* (before that: the last
:data:`FIRST_VISIT_DAYS` days). Items are the recorded changes (``Change``) by someone else on readable things one
follows, owns, chairs or was invited to, plus the followed or owned actions that went past their deadline since
then (a change of the date, not of a row, so computed here). The count in the header is the same number, cached
per person until anything it counts changes (``actieplan.caching``, name :data:`FOLLOWING`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from actieplan import caching
from actieplan.actions.filters import CHOICES
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.partnerships.models import Membership
from actieplan.partnerships.permissions import is_platform_admin
from actieplan.following import rules
from actieplan.following.emails import change_path, headline, subject_title
from actieplan.following.models import Change, ChangeKind, FollowerSettings

FOLLOWING = rules.FOLLOWING
FIRST_VISIT_DAYS = 14
#: The page shows this many items; the count and the summary cover all of them.
SHOWN = 100

ACTION_NEWS = (ChangeKind.NOTE, ChangeKind.STATUS, ChangeKind.DEADLINE, ChangeKind.CLOSED)


def since_moment(user, settings=None):
    """When ``user`` last marked everything as read, or the start of the first-visit window."""
    if settings is None:
        settings = FollowerSettings.objects.filter(user=user).first()
    if settings is not None and settings.seen_at is not None:
        return settings.seen_at
    window = timezone.now() - datetime.timedelta(days=FIRST_VISIT_DAYS)
    joined = getattr(user, "date_joined", None)
    return max(window, joined) if joined else window


def changes(user, since):
    """The recorded changes since ``since`` that ``user`` hears of."""
    return Change.objects.filter(rules.news_since(user, since), created_at__gt=since).exclude(actor_id=user.pk)


def became_overdue(user, since, today=None):
    """The actions ``user`` follows or owns that went past their deadline after ``since`` (and are still to do).

    An action is overdue from the day after its deadline, so it became overdue after ``since`` when its
    deadline is on or after the day of ``since``, and before today."""
    today = today or timezone.localdate()
    start = timezone.localtime(since).date()
    return rules.followed_actions(user).filter(status__in=ACTIVE_STATUSES, deadline__gte=start, deadline__lt=today)


def overdue_moment(action):
    """When an action became overdue: the start of the day after its deadline."""
    day = action.deadline + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Item:
    """One line of the page: what, when, where it links to."""

    kind: str
    moment: datetime.datetime
    title: str
    headline: str
    url: str
    change: Change = None
    action: object = None


def items(user, since, limit=SHOWN, news=None, overdue=None):
    """The newest ``limit`` items, newest first. ``news`` (:func:`changes`) and ``overdue``
    (:func:`became_overdue`, newest deadline first) when the caller has them already."""
    news = changes(user, since) if news is None else news
    overdue = became_overdue(user, since).order_by("-deadline", "-pk") if overdue is None else overdue
    found = []
    for change in (news.select_related("action", "update", "meeting", "page", "actor", "person")
                   .order_by("-created_at", "-pk")[:limit]):
        found.append(Item(change.kind, change.created_at, subject_title(change), headline(change),
                          change_path(change), change=change))
    for action in overdue[:limit]:
        found.append(Item("te-laat", overdue_moment(action), action.title, "", "", action=action))
    found.sort(key=lambda item: item.moment, reverse=True)
    return found[:limit]


@dataclass
class Summary:
    """The counts the page opens with ("3 acties die je volgt, kregen nieuws, 1 is te laat, …")."""

    actions: int = 0  # actions with a note, status, deadline or closing
    overdue: int = 0
    minutes: int = 0
    meetings: int = 0  # planned or moved
    assigned: int = 0  # new actions for this person
    proeftuinen: int = 0
    total: int = 0


def summary(user, since, news=None, overdue=None):
    """All counts in two queries (one aggregate over the changes, one count of the overdue actions); ``news`` and
    ``overdue`` as for :func:`items` (a list of overdue actions is counted as it is)."""
    news = changes(user, since) if news is None else news
    found = news.order_by().aggregate(
        total=Count("pk"),
        actions=Count("action_id", distinct=True, filter=Q(kind__in=ACTION_NEWS)),
        minutes=Count("pk", filter=Q(kind=ChangeKind.MINUTES)),
        meetings=Count("meeting_id", distinct=True, filter=Q(kind__in=(ChangeKind.PLANNED, ChangeKind.MOVED))),
        assigned=Count("action_id", distinct=True, filter=Q(kind=ChangeKind.ASSIGNED, person_id=user.pk)),
        proeftuinen=Count("page_id", distinct=True, filter=Q(kind=ChangeKind.PUBLISHED)),
    )
    overdue = became_overdue(user, since).order_by().count() if overdue is None else len(overdue)
    return Summary(actions=found["actions"], overdue=overdue, minutes=found["minutes"], meetings=found["meetings"],
                   assigned=found["assigned"], proeftuinen=found["proeftuinen"], total=found["total"] + overdue)


def page(user, since, reuse=True):
    """The page's items and summary, cached per person and moment like the header's count (name
    :data:`FOLLOWING`, bumped by everything they show; the day is in the key for "te laat"). ``reuse=False``
    computes them afresh (a first visit, whose moment moves with the clock, would never be read again)."""
    if not reuse:
        return _items_and_summary(user, since)
    day = timezone.localdate().isoformat()

    def compute():
        found = _items_and_summary(user, since)
        # The header's number is this summary's total (the same changes since the same moment): kept for it too.
        caching.store(FOLLOWING, _count_key(user, day), found[1].total, scopes=scopes)
        return found

    scopes = count_scopes(user)
    return caching.get_or_compute(FOLLOWING, ("since-page", user.pk, since.isoformat(), day), compute,
                                  scopes=scopes)


def _items_and_summary(user, since):
    """Both, asking who may read what (the condition's own queries) and what became overdue once."""
    news = changes(user, since)
    overdue = list(became_overdue(user, since).order_by("-deadline", "-pk"))
    return items(user, since, news=news, overdue=overdue), summary(user, since, news=news, overdue=overdue)


def count(user):
    """The header's number: every item since the last visit (cached until something it counts changes)."""
    if not user.is_authenticated:
        return 0

    def compute():
        since = since_moment(user)
        return changes(user, since).order_by().count() + became_overdue(user, since).order_by().count()

    return caching.get_or_compute(FOLLOWING, _count_key(user, timezone.localdate().isoformat()), compute,
                                  scopes=count_scopes(user))


def _count_key(user, day):
    return ("since-count", user.pk, day)


def count_scopes(user):
    """What the header's number of ``user`` depends on beyond the whole name :data:`FOLLOWING`: their own follows
    and settings, and the actions of their partnerships (:func:`rules.scopes_of`). A note in another region leaves
    it cached: on a platform for 40 regions a note somewhere came every second, and each one recomputed every
    person's number on every page (7 queries, 20 to 30 ms; benchmarks/load.py --landelijk)."""
    if is_platform_admin(user):
        return caching.ALL
    partnerships = caching.get_or_compute(
        CHOICES, ("partnership-ids", user.pk),
        lambda: sorted(set(Membership.objects.filter(user=user).values_list("partnership_id", flat=True))))
    return [caching.person_scope(user.pk), *(caching.partnership_scope(pk) for pk in partnerships)]


def mark_read(user, now=None):
    """Everything up to now is read: the page and the header start again from here."""
    settings = rules.settings_for(user)
    settings.seen_at = now or timezone.now()
    settings.save(update_fields=["seen_at"])
    return settings
