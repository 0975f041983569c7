"""How a request's query string becomes a set of actions: the one path from the list's filters to the rows.

The list, the board (without its status), the CSV/XLSX exports and the Voortgang page's link to the list go
through :func:`filtered`; the admin listing applies the same FilterSet to the same visible rows. An invalid
filter applies no filter at all (as Wagtail's admin does) and the form says why, so no two places can
disagree about a half-valid query.
"""

from actieplan.actions import counts
from actieplan.actions.filters import ActionFilterSet
from actieplan.actions.models import Action

#: ``?archief=1`` adds the archived actions (left out of the daily lists, still in every figure): the Voortgang
#: page's link to the list carries it when its figures count archived actions.
ARCHIVED = "archief"


def includes_archived(data):
    return data.get(ARCHIVED) == "1"


def filtered(request, data=None, *, without=()):
    """``(filterset, actions)``: the visible actions that the filters in ``data`` (the query string by
    default; ``without`` names parameters to ignore, e.g. the board's status) select for ``request.user``;
    archived actions only with ``archief=1``.
    """
    data = (request.GET if data is None else data).copy()
    archived = includes_archived(data)
    for name in (*without, ARCHIVED):
        data.pop(name, None)
    filterset = ActionFilterSet(data or None, queryset=Action.objects.all(), request=request)
    actions = counts.visible(request.user, selected(filterset))
    return filterset, actions if archived else actions.current()


def selected(filterset):
    """The rows a FilterSet selects: all of its filters, or none at all when one is invalid."""
    return filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
