"""How far an action is: its latest percentage, its status's default, and the roll-up of its sub-actions.

An action's own progress is 100 when it is afgerond, else the percentage of its latest note that gave
one, else its status's default (``STATUS_DEFAULT_PERCENT``). A parent shows the mean of its sub-actions'
own progress, weighted by their optional weight (an empty weight counts as 1, so without weights it is
the plain mean), a half rounded up; cancelled (vervallen) sub-actions do not count. One level deep: a
sub-action has no sub-actions of its own.
"""

from collections import defaultdict

from django.db.models import OuterRef, Q, Subquery

from actieplan.actions.counts import half_up
from actieplan.actions.models import Action, ActionStatus, ActionUpdate
from actieplan.actions.models import STATUS_DEFAULT_PERCENT


def latest_percent():
    """The percentage of the action's latest note that gave one, as a subquery."""
    return Subquery(ActionUpdate.objects.filter(action=OuterRef("pk"), percent_done__isnull=False)
                    .order_by("-created_at", "-pk").values("percent_done")[:1])


def with_progress(actions):
    """``actions`` annotated with ``latest_percent`` (in the same query)."""
    return actions.annotate(latest_percent=latest_percent())


def own_percent(status, latest):
    if status == ActionStatus.AFGEROND:
        return 100
    if latest is not None:
        return latest
    return STATUS_DEFAULT_PERCENT.get(status, 0)


def rollup(children):
    """Weighted mean of ``(status, weight, latest_percent)`` rows, or None without counting children."""
    weighted = total = 0
    for status, weight, latest in children:
        if status == ActionStatus.VERVALLEN:
            continue
        w = weight or 1
        weighted += w * own_percent(status, latest)
        total += w
    if not total:
        return None
    return half_up(weighted, total)  # the rounding of every percentage the platform shows


def attach_rollups(actions):
    """Set ``percent`` (and ``child_count``) on each action of a page: one query for the page's own latest
    percentages and all its children's, whatever the page's size (the page query itself stays a plain
    index scan: a per-row subquery there ran for every row of the plan before the sort)."""
    by_parent = defaultdict(list)
    latest = {}
    if actions:
        ids = [a.pk for a in actions]
        rows = with_progress(Action.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))).order_by().values_list(
            "pk", "parent_id", "status", "weight", "latest_percent")
        page = set(ids)
        for pk, parent_id, status, weight, percent in rows:
            if pk in page:
                latest[pk] = percent
            if parent_id in page:
                by_parent[parent_id].append((status, weight, percent))
    for action in actions:
        children = by_parent.get(action.pk, [])
        action.child_count = len(children)
        rolled = rollup(children) if children else None
        own = own_percent(action.status, getattr(action, "latest_percent", latest.get(action.pk)))
        action.percent = own if rolled is None or action.status == ActionStatus.AFGEROND else rolled
    return actions


def percent_of(action):
    """The progress of one action (detail page), its roll-up when it has sub-actions."""
    attach_rollups([action])
    return action.percent
