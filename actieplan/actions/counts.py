"""Every figure of the action plan comes from here: list, board, exports, admin, dashboards, progress pages.

The rule is simple on purpose. :func:`visible` narrows a queryset to what a user may read with a
``WHERE`` that joins nothing (``partnership IN (partnerships I read) OR (owner = me AND partnership IN (mine)) OR
EXISTS (my organisation as deelnemer)``, see ``actieplan.partnerships.permissions``), so each action is
one row and a plain ``COUNT(*)`` is the number of actions. Filters (``ActionFilterSet``) only add
conditions on the action's own columns. The functions below aggregate in the database; nobody counts
rows in Python or per part of the rule.

The rules they count by (overdue, agreed, done, done on time) are written once, next to the model
(``actieplan.actions.models``); ``actieplan.actions.queries.filtered`` turns a query string into a set of
actions for the list, the board, the exports and the Voortgang page's link.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actieplan.actions.models import (
    Action, ActionStatus, ActionUpdate, agreed_q, completed_since_q, done_on_time_q, done_q, overdue_q,
)
from actieplan.partnerships.reference import BoardDomain, MandateLevel
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.formats import deadline_change_label, name_columns, name_from_row
from actieplan.partnerships.permissions import visible_actions_filter


# --- One word per figure ------------------------------------------------------------------------------------
#
# Each figure has one label, the same on the list, the board, the Voortgang page and its PDF and XLSX, the blocks
# and the mails, and it says exactly what it counts. "open" is only ever the status open; everything still to do
# (open, bezig, geblokkeerd) is "nog te doen". A link to the list uses the filter of :func:`figure_query`, which
# shows exactly the actions the figure counted (tests/test_figure_labels.py checks both over generated plans).

FIGURE_LABELS = {
    "agreed": _("agreed"),
    "done": _("done"),
    "done_on_time": _("done on time"),
    "to_do": _("to do"),
    "overdue": _("overdue"),
    "blocked": _("blocked"),
    "cancelled": _("cancelled"),
    "done_this_quarter": _("done this quarter"),
}

#: What each figure counts, in plain words (the Voortgang page's definitions).
FIGURE_DEFINITIONS = {
    "agreed": _("all actions except cancelled actions"),
    "done": _("actions with the status done"),
    "done_on_time": _("done on or before the deadline that was first agreed"),
    "to_do": _("actions with the status open, in progress or blocked"),
    "overdue": _("to do and the deadline has passed"),
    "blocked": _("actions with the status blocked"),
    "cancelled": _("actions with the status cancelled"),
    "done_this_quarter": _("done since the start of this quarter"),
}


def figure_query(key, today=None):
    """The action-list filter (``[(name, value), …]``) that shows exactly the actions figure ``key`` counts, or
    None when the list has no such filter (done on time)."""
    statuses = {
        "agreed": [s for s in ActionStatus.values if s != ActionStatus.VERVALLEN],
        "done": [ActionStatus.AFGEROND],
        "to_do": list(ACTIVE_STATUSES),
        "blocked": [ActionStatus.GEBLOKKEERD],
        "cancelled": [ActionStatus.VERVALLEN],
    }
    if key in statuses:
        return [("status", str(s)) for s in statuses[key]]
    if key == "overdue":
        return [("overdue", "true")]
    if key == "done_this_quarter":
        start = quarter_start(today or timezone.localdate())
        return [("status", ActionStatus.AFGEROND.value), ("completed_after", start.isoformat())]
    return None


def visible(user, actions=None):
    """The rows of ``actions`` (all actions by default) that ``user`` may read, each action once."""
    actions = Action.objects.all() if actions is None else actions
    return actions.filter(visible_actions_filter(user))





def mine(user, actions=None):
    """The visible actions ``user`` owns ("Mijn acties")."""
    return visible(user, actions).filter(owner_id=user.pk)


def mine_active(user, actions=None):
    """The visible actions ``user`` owns that still need doing (the dashboard panel "Mijn acties"; archived
    actions are not daily work)."""
    return mine(user, actions).filter(status__in=ACTIVE_STATUSES, archived=False)



def total(actions):
    """How many actions ``actions`` holds."""
    return actions.order_by().count()


def by_status(actions):
    """``{status: count}`` for every status (zeros included), in one ``GROUP BY``."""
    counts = {status.value: 0 for status in ActionStatus}
    for status, n in actions.order_by().values_list("status").annotate(n=Count("pk")):
        counts[status] = n
    return counts


def quarter_start(day):
    """The first day of ``day``'s calendar quarter."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass(frozen=True)
class Summary:
    """The figures above the list and in summary blocks, for one set of actions."""

    total: int
    active: int
    open: int
    in_progress: int
    blocked: int
    overdue: int
    done: int
    done_this_quarter: int
    cancelled: int
    #: Done by the deadline first agreed (``done_on_time_q``: postponing does not make late work on time).
    done_on_time: int = 0


def summary(actions, today=None):
    """The key figures of ``actions`` in one aggregate query."""
    today = today or timezone.localdate()
    figures = actions.order_by().aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=ActionStatus.BEZIG)),
        blocked=Count("pk", filter=Q(status=ActionStatus.GEBLOKKEERD)),
        overdue=Count("pk", filter=overdue_q(today)),
        done=Count("pk", filter=done_q()),
        done_this_quarter=Count("pk", filter=completed_since_q(quarter_start(today))),
        cancelled=Count("pk", filter=Q(status=ActionStatus.VERVALLEN)),
        done_on_time=Count("pk", filter=done_on_time_q()),
    )
    return Summary(**figures)


# --- Progress figures (the bestuurders' Voortgang page, its PDF and XLSX, and blocks that reuse them) ---
#
# Each function below is a fixed number of aggregate queries, whatever the size of the plan.

#: How a figure can be split: grouping name -> (key column, label columns for the same GROUP BY).
GROUPINGS = {
    "theme": ("theme_id", ("theme__name", "theme__sort_order")),
    "board": ("board", ()),
    "organisation": ("owner_organisation_id", ("owner_organisation__name",)),
    "mandate_level": ("mandate_level", ()),
    # The platform operator's overview: the same figures per partnership, in one GROUP BY over the platform.
    "partnership": ("partnership_id", ("partnership__name",)),
}

#: Overdue actions by how long they are late: (name, first day late, last day late or None).
OVERDUE_BANDS = (("overdue_month", 1, 30), ("overdue_quarter", 31, 90), ("overdue_longer", 91, None))


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def half_up(numerator, denominator):
    """``numerator / denominator`` (non-negative integers) as a whole number, a half rounded up as a reader
    expects, in integers so no float decides a boundary."""
    return (2 * numerator + denominator) // (2 * denominator)


def percent(part, whole):
    """``part`` of ``whole`` (counts) as a whole percentage (1 of 8 is 13 %, see :func:`half_up`); None when
    ``whole`` is 0 (no share to speak of)."""
    return half_up(100 * part, whole) if whole else None


class OfAgreed:
    """What was done, and done on time, as a percentage of what was agreed (None when nothing was)."""

    @property
    def done_percent(self):
        return percent(self.done, self.agreed)

    @property
    def on_time_percent(self):
        return percent(self.done_on_time, self.agreed)


@dataclass(frozen=True)
class Figures(OfAgreed):
    """What was agreed and what came of it, for one set of actions (cancelled actions are not agreed).

    ``open``: still to do (open, bezig, geblokkeerd); ``overdue``: still to do and past the deadline,
    split in ``overdue_month`` (1–30 days late), ``overdue_quarter`` (31–90) and ``overdue_longer``;
    ``oldest_overdue``: the earliest deadline among the overdue ones.
    """

    agreed: int
    done: int
    done_on_time: int
    open: int
    overdue: int
    blocked: int
    cancelled: int
    overdue_month: int
    overdue_quarter: int
    overdue_longer: int
    oldest_overdue: datetime.date | None = None
    key: object = None
    label: str = ""
    today: datetime.date | None = None

    @property
    def longest_overdue_days(self):
        return (self.today - self.oldest_overdue).days if self.oldest_overdue and self.today else None

    @property
    def not_overdue_open(self):
        return self.open - self.overdue


def _figure_expressions(today):
    active = Q(status__in=ACTIVE_STATUSES)
    late = overdue_q(today)
    done = done_q()
    expressions = {
        "agreed": Count("pk", filter=agreed_q()),
        "done": Count("pk", filter=done),
        "done_on_time": Count("pk", filter=done_on_time_q()),
        "open": Count("pk", filter=active),
        "overdue": Count("pk", filter=late),
        "blocked": Count("pk", filter=Q(status=ActionStatus.GEBLOKKEERD)),
        "cancelled": Count("pk", filter=Q(status=ActionStatus.VERVALLEN)),
        "oldest_overdue": Min("deadline", filter=late),
    }
    for name, first, last in OVERDUE_BANDS:
        band = late & Q(deadline__lte=today - datetime.timedelta(days=first))
        if last is not None:
            band &= Q(deadline__gte=today - datetime.timedelta(days=last))
        expressions[name] = Count("pk", filter=band)
    return expressions


def figures(actions, today=None):
    """The :class:`Figures` of ``actions`` in one aggregate query."""
    today = today or timezone.localdate()
    return Figures(**actions.order_by().aggregate(**_figure_expressions(today)), today=today)


def figures_by(actions, grouping, today=None):
    """:class:`Figures` per theme, board, organisation or mandate level (see ``GROUPINGS``), in one
    ``GROUP BY``; groups without actions are left out, actions without a board or organisation form
    a group with key None."""
    today = today or timezone.localdate()
    key, labels = GROUPINGS[grouping]
    rows = actions.order_by().values(key, *labels).annotate(**_figure_expressions(today))
    result = []
    for row in rows:
        value = row.pop(key)
        label_values = [row.pop(name) for name in labels]
        if grouping == "board":
            label = str(BoardDomain(value).label) if value else str(_("no board"))
        elif grouping == "mandate_level":
            label = str(MandateLevel(value).label)
        else:
            label = label_values[0] if value is not None else str(_("no organisation"))
        sort = label_values[1] if grouping == "theme" else (value if grouping == "mandate_level" else label)
        result.append((sort if sort is not None else "", Figures(**row, key=value, label=label, today=today)))
    return [f for _sort, f in sorted(result, key=lambda item: (item[0] == "", item[0]))]


@dataclass(frozen=True)
class QuarterIndex(OfAgreed):
    """Praatclub-index of one quarter: of the actions agreed in it (at least ``min_age_days`` ago and
    not cancelled), how many are done, and done by the deadline first agreed."""

    quarter: datetime.date
    agreed: int
    done: int
    done_on_time: int

    @property
    def label(self):
        return f"Q{(self.quarter.month - 1) // 3 + 1} {self.quarter.year}"


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def praatclub_index(actions, today=None, min_age_days=90):
    """``(overall, [QuarterIndex per quarter of agreement, oldest first])`` in one ``GROUP BY``.

    Only actions agreed at least ``min_age_days`` before ``today`` count: younger ones have not had
    the time to be done, and would make every partnership look like a praatclub.
    """
    today = today or timezone.localdate()
    cutoff = _day_start(today - datetime.timedelta(days=min_age_days))
    done = done_q()
    rows = (actions.order_by().filter(agreed_q(), created_at__lt=cutoff)
            .annotate(quarter=TruncQuarter("created_at")).values("quarter")
            .annotate(agreed=Count("pk"), done=Count("pk", filter=done),
                      done_on_time=Count("pk", filter=done_on_time_q()))
            .order_by("quarter"))
    quarters = {}
    for row in rows:
        start = quarter_start(_as_date(row["quarter"]))
        previous = quarters.get(start)
        numbers = [row["agreed"], row["done"], row["done_on_time"]]
        if previous:  # the same quarter twice only when local and database time zones disagree
            numbers = [a + b for a, b in zip(numbers, (previous.agreed, previous.done, previous.done_on_time))]
        quarters[start] = QuarterIndex(start, *numbers)
    ordered = [quarters[q] for q in sorted(quarters)]
    overall = QuarterIndex(quarter_start(today), sum(q.agreed for q in ordered), sum(q.done for q in ordered),
                           sum(q.done_on_time for q in ordered))
    return overall, ordered


@dataclass(frozen=True)
class Kartrekker:
    """A person or organisation holding more than the set share of the open actions."""

    key: object
    name: str
    open: int
    share_percent: int
    actions: tuple  # up to a few of the open actions that would stall: (pk, title, deadline, mandate level label)


def _examples(actions, column, keys, limit):
    """Up to ``limit`` open actions per value of ``column`` in ``keys``, earliest deadline first, in one query."""
    # Ranked for every holder, not only ``keys``: a holder has few open actions to show, and the
    # query runs whatever the plan looks like (the page's query count must not depend on the data).
    keys = set(keys)
    ranked = (actions.order_by()
              .annotate(rank=Window(RowNumber(), partition_by=[F(column)], order_by=[F("deadline").asc(), F("pk").asc()]))
              .filter(rank__lte=limit).values_list(column, "pk", "title", "deadline", "mandate_level"))
    examples = {}
    for key, pk, title, deadline, level in sorted(ranked, key=lambda r: (r[3], r[1])):
        if key in keys:
            examples.setdefault(key, []).append((pk, title, deadline, str(MandateLevel(level).label)))
    return examples


def kartrekker_risk(actions, share_percent=25, examples=5):
    """``(open total, people, organisations)``: who holds more than ``share_percent`` % of the open actions
    (source 001, principle 5: collaboration must not hang on one or two enthusiasts), each with the
    open actions that would stall if they left. Four queries."""
    active = actions.filter(status__in=ACTIVE_STATUSES)
    people = list(active.order_by().values("owner_id", *name_columns("owner"))
                  .annotate(n=Count("pk")).order_by("-n", "owner__last_name", "owner_id"))
    orgs = list(active.order_by().values("owner_organisation_id", "owner_organisation__name")
                .annotate(n=Count("pk")).order_by("-n", "owner_organisation__name"))
    open_total = sum(row["n"] for row in people)

    def risky(rows):
        return [row for row in rows if open_total and row["n"] * 100 > share_percent * open_total]

    risky_people = risky(people)
    risky_orgs = [row for row in risky(orgs) if row["owner_organisation_id"] is not None]
    people_examples = _examples(active, "owner_id", [r["owner_id"] for r in risky_people], examples)
    org_examples = _examples(active, "owner_organisation_id", [r["owner_organisation_id"] for r in risky_orgs],
                             examples)
    return (
        open_total,
        [Kartrekker(r["owner_id"], name_from_row(r, "owner"), r["n"], percent(r["n"], open_total),
                    tuple(people_examples.get(r["owner_id"], ()))) for r in risky_people],
        [Kartrekker(r["owner_organisation_id"], r["owner_organisation__name"], r["n"],
                    percent(r["n"], open_total), tuple(org_examples.get(r["owner_organisation_id"], ())))
         for r in risky_orgs],
    )


def _latest_note(field="note"):
    return Subquery(ActionUpdate.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
                    .values(field)[:1])


@dataclass(frozen=True)
class StuckLayer:
    """Overdue or blocked actions at one mandate level: how many, and the first few with owner and latest note."""

    level: int
    label: str
    stuck: int
    overdue: int
    blocked: int
    actions: tuple  # dicts: pk, title, owner, organisation, deadline, status, days_late, note, note_at


def stuck_by_layer(actions, today=None, limit=10):
    """:class:`StuckLayer` per mandate level (bestuurlijk first), in two queries."""
    today = today or timezone.localdate()
    late = overdue_q(today)
    blocked = Q(status=ActionStatus.GEBLOKKEERD)
    stuck = actions.filter(late | blocked).order_by()
    counts = {row["mandate_level"]: row for row in stuck.values("mandate_level").annotate(
        stuck=Count("pk"), overdue=Count("pk", filter=late), blocked=Count("pk", filter=blocked))}
    # The first ``limit`` per level by a window; their latest notes in the outer query, so the note
    # look-ups run for the rows shown, not for every stuck action.
    shown = (stuck.annotate(rank=Window(RowNumber(), partition_by=[F("mandate_level")],
                                        order_by=[F("deadline").asc(), F("pk").asc()]))
             .filter(rank__lte=limit).values("pk"))
    # From the stuck actions again, not from all actions: PostgreSQL misjudges the window's size and otherwise read
    # every action of the platform to join the shown ones (benchmarks/national.py); this way it reads the page's.
    rows = (stuck.filter(pk__in=shown)
            .annotate(latest_note=_latest_note(), latest_note_at=_latest_note("created_at"))
            .values("pk", "title", "mandate_level", "deadline", "status", "latest_note", "latest_note_at",
                    *name_columns("owner"), "owner_organisation__name"))
    per_level = {}
    for row in sorted(rows, key=lambda r: (r["deadline"], r["pk"])):
        per_level.setdefault(row["mandate_level"], []).append({
            "pk": row["pk"], "title": row["title"], "deadline": row["deadline"],
            "status": row["status"], "status_label": str(ActionStatus(row["status"]).label),
            "days_late": max((today - row["deadline"]).days, 0),
            "owner": name_from_row(row, "owner"),
            "organisation": row["owner_organisation__name"] or "",
            "note": row["latest_note"] or "", "note_at": row["latest_note_at"],
        })
    layers = []
    for level in sorted(MandateLevel, reverse=True):
        c = counts.get(level.value, {"stuck": 0, "overdue": 0, "blocked": 0})
        layers.append(StuckLayer(level.value, str(level.label), c["stuck"], c["overdue"], c["blocked"],
                                 tuple(per_level.get(level.value, ()))))
    return layers


def postponing_updates():
    """Timeline notes that moved a deadline later (``ActionUpdate.is_postponement`` as a filter)."""
    return ActionUpdate.objects.filter(previous_deadline__isnull=False, new_deadline__gt=F("previous_deadline"))


@dataclass(frozen=True)
class Postponements:
    """How often deadlines of ``actions`` moved later, and the most-postponed actions."""

    postponements: int
    actions_postponed: int
    most: tuple  # dicts: pk, title, owner, times, deadline, reason


def postponements(actions, top=5):
    """:class:`Postponements` of ``actions`` in two queries."""
    postponed = Q(updates__previous_deadline__isnull=False, updates__new_deadline__gt=F("updates__previous_deadline"))
    totals = (postponing_updates().filter(action__in=actions.order_by().values("pk")).order_by()
              .aggregate(n=Count("pk"), actions=Count("action", distinct=True)))
    latest = postponing_updates().filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    latest_reason = Subquery(latest.values("note")[:1])
    # Ranked by a count per action from the deadline changes' partial index: a join of the changes to the actions
    # for the deadline made PostgreSQL read every action of the platform (44 ms of 400,000, benchmarks/national.py).
    times = Subquery(postponing_updates().filter(action=OuterRef("pk")).order_by().values("action")
                     .annotate(n=Count("pk")).values("n"))
    top_ids = (actions.order_by().annotate(times=times).filter(times__gt=0)
               .order_by("-times", "deadline", "pk").values("pk")[:top])
    # The reason only for the few shown (a sub-select per row of the ranking would run for every action).
    most = sorted(Action.objects.filter(pk__in=top_ids).order_by()
                  .annotate(times=Count("updates", filter=postponed), reason=latest_reason,
                            moved_from=Subquery(latest.values("previous_deadline")[:1]),
                            moved_to=Subquery(latest.values("new_deadline")[:1]))
                  .values("pk", "title", "times", "deadline", "reason", "moved_from", "moved_to",
                          *name_columns("owner")), key=lambda r: (-r["times"], r["deadline"], r["pk"]))
    return Postponements(totals["n"], totals["actions"], tuple({
        "pk": r["pk"], "title": r["title"], "times": r["times"], "deadline": r["deadline"], "reason": r["reason"],
        "owner": name_from_row(r, "owner"),
        "change": deadline_change_label(_as_date(r["moved_from"]), _as_date(r["moved_to"])) if r["moved_from"] else "",
    } for r in most))


@dataclass(frozen=True)
class DeadlineChange:
    """One deadline change on an action's timeline: old → new date, the reason, who and when."""

    action_id: int
    title: str
    owner: str
    previous: datetime.date
    new: datetime.date
    reason: str
    author: str
    at: datetime.datetime

    @property
    def label(self):
        return deadline_change_label(self.previous, self.new)


def deadline_changes(actions):
    """Every deadline change (later or earlier) of ``actions``, newest first, in one query (the XLSX's sheet)."""
    rows = (ActionUpdate.objects.filter(previous_deadline__isnull=False, new_deadline__isnull=False,
                                        action__in=actions.order_by().values("pk"))
            .order_by("-created_at", "-pk")
            .values("action_id", "action__title", *name_columns("action__owner"), "previous_deadline", "new_deadline",
                    "note", *name_columns("author"), "created_at"))
    return [DeadlineChange(r["action_id"], r["action__title"], name_from_row(r, "action__owner"),
                           r["previous_deadline"], r["new_deadline"], r["note"],
                           name_from_row(r, "author") if r["author__username"] else "", r["created_at"])
            for r in rows]


@dataclass(frozen=True)
class Changes:
    """What changed in the plan between ``since`` and ``until`` (the agenda's "sinds vorige keer" words)."""

    since: datetime.datetime
    agreed: int
    completed: int
    overdue: int
    postponed: int
    blocked: int


def changes_since(actions, since, until=None):
    """:class:`Changes` of ``actions`` since ``since`` (an aware datetime) in one aggregate query.

    newly agreed: created since; completed: completed since; newly overdue: still to do, deadline
    passed since; postponed: a note since moved the deadline later; blocked: blocked now, and
    created or marked blocked since.
    """
    until = until or timezone.now()
    today = timezone.localtime(until).date()
    since_day = timezone.localtime(since).date()
    in_window = Q(created_at__gte=since, created_at__lt=until)
    # The deadline changes in the window: one uncorrelated sub-query over their partial index.
    postponed = Q(pk__in=postponing_updates().filter(in_window).values("action_id"))
    # Marked blocked in the window: asked only of the blocked actions, through each one's notes (an uncorrelated
    # sub-query read every note of the platform: 85 ms of 1.28 million).
    marked_blocked = Exists(ActionUpdate.objects.filter(in_window, action=OuterRef("pk"),
                                                        new_status=ActionStatus.GEBLOKKEERD))
    figures = actions.order_by().aggregate(
        agreed=Count("pk", filter=in_window & agreed_q()),
        completed=Count("pk", filter=Q(status=ActionStatus.AFGEROND, completed_at__gte=since,
                                       completed_at__lt=until)),
        overdue=Count("pk", filter=overdue_q(today) & Q(deadline__gte=since_day)),
        postponed=Count("pk", filter=postponed),
        blocked=Count("pk", filter=Q(status=ActionStatus.GEBLOKKEERD) & (in_window | marked_blocked)),
    )
    return Changes(since=since, **figures)


def recent_results(actions, limit=6):
    """The latest completed actions with their last note, newest first (one query)."""
    rows = (actions.filter(status=ActionStatus.AFGEROND).order_by("-completed_at", "-pk")
            .annotate(latest_note=_latest_note())[:limit]
            .values("pk", "title", "completed_at", "latest_note", *name_columns("owner"), "theme__name"))
    return [{"pk": r["pk"], "title": r["title"], "completed_at": r["completed_at"], "note": r["latest_note"] or "",
             "theme": r["theme__name"],
             "owner": name_from_row(r, "owner")}
            for r in rows]


@dataclass(frozen=True)
class Adoption:
    """How far a good practice spread: partnerships that took it up (not cancelled) and how many finished it."""

    partnerships: int
    partnerships_done: int
    actions: int
    done: int


def adoption(actions):
    """The take-up figures of the actions linked to one practice, in one aggregate query.

    Cancelled actions (vervallen) do not count: that partnership dropped it.
    """
    taken_up = Q(status__in=[*ACTIVE_STATUSES, ActionStatus.AFGEROND])
    done = done_q()
    figures = actions.order_by().aggregate(
        partnerships=Count("partnership", distinct=True, filter=taken_up),
        partnerships_done=Count("partnership", distinct=True, filter=done),
        actions=Count("pk", filter=taken_up),
        done=Count("pk", filter=done),
    )
    return Adoption(**figures)


@dataclass(frozen=True)
class Headline:
    """The four figures above the action list, each a filter of the list (see views.actions)."""

    to_do: int
    overdue: int
    blocked: int
    done_this_quarter: int


def headline(actions, today=None):
    """The figures above the list, as :func:`summary` counts them, in one aggregate with only these four."""
    today = today or timezone.localdate()
    return Headline(**actions.order_by().aggregate(
        to_do=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        overdue=Count("pk", filter=overdue_q(today)),
        blocked=Count("pk", filter=Q(status=ActionStatus.GEBLOKKEERD)),
        done_this_quarter=Count("pk", filter=completed_since_q(quarter_start(today))),
    ))
