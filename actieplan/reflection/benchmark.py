"""The regional benchmark: per theme, a partnership's own mean beside the spread of other regions' latest means.

What a partnership sees, and why nobody can work out another partnership's figure from it:

1. **Only who takes part sees it** (reciprocity). A partnership's procesbewaker switches "doet mee" on
   (``Partnership.benchmark_opt_in``). A partnership that does not take part sees no figure of others at all, only
   the explanation and the switch.
2. **What counts**: per partnership that takes part, the theme means of its *latest closed* session (an open
   session changes with every answer set). A theme that fewer than three people scored has no mean there, as on the
   results page (``aggregation.MIN_GROUP``), and adds nothing.
3. **A weekly snapshot**: the figures are taken once a week, as they stood on Monday at 00:00
   (:class:`BenchmarkSnapshot`, made at the first look of the week and never changed afterwards). A partnership that
   opts in during the week, and every session closed after Monday 00:00, counts from the next Monday on; one that
   opts out leaves at the latest then (at once, if nobody looked yet that week). So nobody can time one other
   partnership's change by looking before and after it.
4. **Never one's own figure**: the spread a partnership sees leaves out its own contribution. Its own new session,
   or opting out and in again, therefore changes nothing in what it sees: the same snapshot, without itself.
5. **At least five others**: per theme the spread is shown only when at least :data:`MIN_OTHERS` *other*
   partnerships contributed to it; otherwise the theme says there are too few regions to compare with.
6. **No names, only a spread**: the page shows the median and the middle half (from the first to the third
   quartile) and the number of regions behind them; never a name, a single region's mean, a lowest or a highest.

The quartiles are interpolated between the sorted means (the "inclusive" method of :func:`statistics.quantiles`):
the median of 5 regions is the third mean, the first quartile the second.
"""

import datetime
import math
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from actieplan import caching
from actieplan.partnerships.reference import ReflectionTheme
from actieplan.reflection.models import BenchmarkSnapshot, ReflectionSession
from actieplan.reflection.trend import theme_means

#: The spread of a theme is shown from this many other partnerships on.
MIN_OTHERS = 5
#: The caching name of the comparisons (a new snapshot or a changed theme bumps it; see ``apps.py``).
CACHE_NAME = "benchmark"
#: The own latest means follow the partnership's sessions and scores, as the Voortgang report does.
OWN_CACHE_NAME = "progress"


# --- the arithmetic (pure) ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Spread:
    """Median and interquartile range of ``n`` means (``n`` ≥ 1)."""

    n: int
    q1: float
    median: float
    q3: float


def quartile(ordered, p):
    """The ``p``-quantile (0–1) of the sorted list ``ordered`` by linear interpolation between its values."""
    position = (len(ordered) - 1) * p
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def spread(values):
    """:class:`Spread` of ``values``, or None without values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return Spread(len(ordered), quartile(ordered, 0.25), quartile(ordered, 0.5), quartile(ordered, 0.75))


def others_spread(figures, viewer_id, theme_ids, min_others=MIN_OTHERS):
    """Per theme the :class:`Spread` of every partnership's mean in ``figures`` except ``viewer_id``'s, or None
    where fewer than ``min_others`` others have a mean for that theme. ``figures``: ``{partnership: {theme: mean}}``
    with string keys (as kept in JSON)."""
    result = {}
    for theme_id in theme_ids:
        values = [means[str(theme_id)] for partnership_id, means in figures.items()
                  if str(partnership_id) != str(viewer_id) and means.get(str(theme_id)) is not None]
        result[theme_id] = spread(values) if len(values) >= min_others else None
    return result


# --- the figures from the database -------------------------------------------------------------------------

def latest_closed_sessions(partnership_ids=None, as_of=None, opted_in=False):
    """``{partnership id: session id}`` of each partnership's latest session that was closed (by ``as_of``)."""
    sessions = ReflectionSession.objects.filter(status=ReflectionSession.Status.CLOSED)
    if partnership_ids is not None:
        sessions = sessions.filter(partnership_id__in=list(partnership_ids))
    if as_of is not None:
        sessions = sessions.filter(closed_at__lte=as_of)
    if opted_in:
        # Taking part at ``as_of``: switched on by then (an opt-in without a moment, set in the admin, counts).
        sessions = sessions.filter(partnership__benchmark_opt_in=True, partnership__archived=False)
        if as_of is not None:
            sessions = sessions.filter(Q(partnership__benchmark_opt_in_at__isnull=True)
                                       | Q(partnership__benchmark_opt_in_at__lte=as_of))
    latest = {}
    for partnership_id, pk in sessions.order_by("partnership_id", "-date", "-created_at", "-pk").values_list(
            "partnership_id", "pk"):
        latest.setdefault(partnership_id, pk)
    return latest


def own_latest_means(partnership_id):
    """The partnership's own theme means of its latest closed session (now, not the snapshot), and that session's
    title (None without one); cached with the Voortgang figures, which every session and score bumps."""
    def compute():
        session_id = latest_closed_sessions([partnership_id]).get(partnership_id)
        if session_id is None:
            return {}, None
        title = ReflectionSession.objects.filter(pk=session_id).values_list("title", flat=True).first()
        return theme_means([session_id]).get(session_id, {}), title

    return caching.get_or_compute(OWN_CACHE_NAME, ("benchmark-own", partnership_id), compute)


def contributions(as_of):
    """``{partnership id: {theme id: mean}}`` (string keys) of every partnership that takes part now, from its
    latest session closed by ``as_of``."""
    latest = latest_closed_sessions(as_of=as_of, opted_in=True)
    means = theme_means(latest.values())
    return {str(partnership_id): {str(theme): mean for theme, mean in means.get(session_id, {}).items()}
            for partnership_id, session_id in latest.items() if means.get(session_id)}


def week_start(now=None):
    """Monday 00:00 (local time) of the week of ``now``: the moment the week's snapshot shows."""
    local = timezone.localtime(now or timezone.now())
    monday = local.date() - datetime.timedelta(days=local.weekday())
    return timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))


def snapshot(now=None):
    """This week's :class:`BenchmarkSnapshot`, made from the figures as they stood on Monday 00:00 when nobody has
    looked yet this week (two workers making it at once both end up with the one that was saved first)."""
    moment = week_start(now)
    existing = BenchmarkSnapshot.objects.filter(week=moment.date()).first()
    if existing is not None:
        return existing
    made = BenchmarkSnapshot(week=moment.date(), taken_at=moment, figures=contributions(moment))
    try:
        with transaction.atomic():
            made.save()
        caching.bump(CACHE_NAME)
        return made
    except IntegrityError:
        return BenchmarkSnapshot.objects.get(week=moment.date())


# --- what a page shows ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ThemeComparison:
    theme_id: int
    name: str
    own: float | None
    others: Spread | None  # None: fewer than MIN_OTHERS other partnerships

    def _percent(self, value):
        return round(100 * (value - 1) / 4, 2)

    @property
    def bar(self):
        """Positions on the 1–5 scale in percent, for the small bar beside the figures."""
        if self.others is None:
            return None
        return {"q1": self._percent(self.others.q1), "width": self._percent(self.others.q3) - self._percent(self.others.q1),
                "median": self._percent(self.others.median),
                "own": self._percent(self.own) if self.own is not None else None}

    @property
    def position(self):
        """Where the own mean lies: "lager" (below the middle half), "midden" or "hoger" (above it)."""
        if self.others is None or self.own is None:
            return None
        if self.own < self.others.q1:
            return "lager"
        if self.own > self.others.q3:
            return "hoger"
        return "midden"


def comparison(partnership, own_means, now=None):
    """Per theme the partnership's ``own_means`` (``{theme id: mean}``) beside the others' spread from this week's
    snapshot; None when the partnership does not take part (it then sees nothing of others)."""
    if not partnership.benchmark_opt_in:
        return None
    current = snapshot(now)

    def compute():
        themes = list(ReflectionTheme.objects.order_by("sort_order", "name").values_list("pk", "name"))
        return themes, others_spread(current.figures, partnership.pk, [pk for pk, _name in themes])

    themes, spreads = caching.get_or_compute(CACHE_NAME, ("others", current.week, partnership.pk), compute)
    rows = [ThemeComparison(pk, name, own_means.get(pk), spreads.get(pk)) for pk, name in themes]
    return {"themes": rows, "week": current.week, "min_others": MIN_OTHERS,
            "any_shown": any(row.others is not None for row in rows)}
