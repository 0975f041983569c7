"""Every figure of the action plan comes from here: list, board, exports, admin, dashboards, progress pages.

The rule is simple on purpose. :func:`visible` narrows a queryset to what a user may read with a
``WHERE`` that joins nothing (``partnership IN (my partnerships) OR owner = me``), so each action is
one row and a plain ``COUNT(*)`` is the number of actions. Filters (``ActionFilterSet``) only add
conditions on the action's own columns. The functions below aggregate in the database; nobody counts
rows in Python or per part of the rule.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.utils import timezone

from .models import Action, ActionStatus
from .models.action import ACTIVE_STATUSES
from .permissions import visible_actions_filter


def visible(user, actions=None):
    """The rows of ``actions`` (all actions by default) that ``user`` may read, each action once."""
    actions = Action.objects.all() if actions is None else actions
    return actions.filter(visible_actions_filter(user))


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
    #: Done by the action's current deadline (completion date on or before it).
    done_on_time: int = 0


def summary(actions, today=None):
    """The key figures of ``actions`` in one aggregate query."""
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(quarter_start(today), datetime.time.min))
    figures = actions.order_by().aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        in_progress=Count("pk", filter=Q(status=ActionStatus.BEZIG)),
        blocked=Count("pk", filter=Q(status=ActionStatus.GEBLOKKEERD)),
        overdue=Count("pk", filter=Q(status__in=ACTIVE_STATUSES, deadline__lt=today)),
        done=Count("pk", filter=Q(status=ActionStatus.AFGEROND)),
        done_this_quarter=Count("pk", filter=Q(status=ActionStatus.AFGEROND, completed_at__gte=start)),
        cancelled=Count("pk", filter=Q(status=ActionStatus.VERVALLEN)),
        done_on_time=Count("pk", filter=Q(status=ActionStatus.AFGEROND, completed_at__date__lte=F("deadline"))),
    )
    return Summary(**figures)
