"""Every figure of the action plan comes from here: list, board, exports, admin, dashboards, progress pages.

The rule is simple on purpose. :func:`visible` narrows a queryset to what a user may read with a
``WHERE`` that joins nothing (``partnership IN (my partnerships) OR owner = me``), so each action is
one row and a plain ``COUNT(*)`` is the number of actions. Filters (``ActionFilterSet``) only add
conditions on the action's own columns. The functions below aggregate in the database; nobody counts
rows in Python or per part of the rule.

:func:`filtered` is the one way a query string becomes a set of actions: the list, the board (without
its status), the CSV/XLSX exports and the tests use it, and the admin listing applies the same
FilterSet to the same :func:`visible` rows. An invalid filter applies no filter at all (as Wagtail's
admin does) and the form says why, so no two places can disagree about a half-valid query.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from .models import Action, ActionStatus
from .models.action import ACTIVE_STATUSES
from .permissions import visible_actions_filter


def visible(user, actions=None):
    """The rows of ``actions`` (all actions by default) that ``user`` may read, each action once."""
    actions = Action.objects.all() if actions is None else actions
    return actions.filter(visible_actions_filter(user))


def overdue_q(today=None):
    """Active and past its deadline: the one definition of "verlopen"."""
    return Q(status__in=ACTIVE_STATUSES, deadline__lt=today or timezone.localdate())


def completed_since_q(day):
    """Afgerond on or after ``day`` (the summary's "afgerond dit kwartaal" and the list filter alike)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return Q(status=ActionStatus.AFGEROND, completed_at__gte=start)


def overdue(actions, today=None):
    """The overdue rows of ``actions``."""
    return actions.filter(overdue_q(today))


def mine(user, actions=None):
    """The visible actions ``user`` owns ("Mijn acties")."""
    return visible(user, actions).filter(owner_id=user.pk)


def mine_active(user, actions=None):
    """The visible actions ``user`` owns that still need doing (the dashboard panel "Mijn acties")."""
    return mine(user, actions).filter(status__in=ACTIVE_STATUSES)


def filtered(request, data=None, *, without=()):
    """``(filterset, actions)``: the visible actions that the filters in ``data`` (the query string by
    default; ``without`` names parameters to ignore, e.g. the board's status) select for ``request.user``.
    """
    from .filters import ActionFilterSet  # filters.py uses overdue_q from here

    data = (request.GET if data is None else data).copy()
    for name in without:
        data.pop(name, None)
    filterset = ActionFilterSet(data or None, queryset=Action.objects.all(), request=request)
    actions = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    return filterset, visible(request.user, actions)


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
        done=Count("pk", filter=Q(status=ActionStatus.AFGEROND)),
        done_this_quarter=Count("pk", filter=completed_since_q(quarter_start(today))),
        cancelled=Count("pk", filter=Q(status=ActionStatus.VERVALLEN)),
    )
    return Summary(**figures)


@dataclass(frozen=True)
class Headline:
    """The four figures above the action list, each a filter of the list (see views.actions)."""

    open: int
    overdue: int
    blocked: int
    done_this_quarter: int


def headline(actions, today=None):
    """The figures above the list, as :func:`summary` counts them, in one aggregate with only these four."""
    today = today or timezone.localdate()
    return Headline(**actions.order_by().aggregate(
        open=Count("pk", filter=Q(status=ActionStatus.OPEN)),
        overdue=Count("pk", filter=overdue_q(today)),
        blocked=Count("pk", filter=Q(status=ActionStatus.GEBLOKKEERD)),
        done_this_quarter=Count("pk", filter=completed_since_q(quarter_start(today))),
    ))
