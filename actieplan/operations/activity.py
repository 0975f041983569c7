"""What the platform operator sees of each partnership: how active it is, never what it says.

Two aggregate queries for the whole platform, whatever the number of partnerships: the action figures per
partnership (``counts.figures_by(…, "partnership")``, the same expressions as every other figure of the plan), and
one query over the partnerships with a subquery per count (members, reflection sessions, meetings) and per source
of the last activity. Only numbers and dates leave this module: no title, note, comment or minute is selected.
"""

from dataclasses import dataclass
import datetime

from django.db.models import Count, IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.models import Action
from actieplan.meetings.models import Meeting
from actieplan.partnerships.models import Membership, Partnership
from actieplan.reflection.models import ReflectionSession

#: The cache name of the overview (bumped in ``AppConfig.ready`` by every change it counts).
PLATFORM = "platform"


@dataclass(frozen=True)
class PartnershipActivity:
    """One row of the operator's overview: a partnership's name and state, and counts and dates only."""

    pk: int
    name: str
    archived: bool
    members: int
    agreed: int
    done: int
    overdue: int
    sessions: int
    meetings: int
    last_activity: datetime.datetime | None

    @property
    def done_percent(self):
        return counts.percent(self.done, self.agreed)


def _count(model, **extra):
    rows = (model._default_manager.filter(partnership_id=OuterRef("pk"), **extra).order_by()
            .values("partnership_id").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def _latest(model, field):
    rows = (model._default_manager.filter(partnership_id=OuterRef("pk")).order_by()
            .values("partnership_id").annotate(latest=Max(field)).values("latest"))
    return Subquery(rows)


def compute(today=None):
    """Every partnership's :class:`PartnershipActivity` (archived ones last), in two queries."""
    today = today or timezone.localdate()
    figures = {f.key: f for f in counts.figures_by(Action.objects.all(), "partnership", today)}
    rows = (Partnership.objects.order_by("archived", "name")
            # Prefixed names: "meetings" and the like are already relations of a partnership.
            .annotate(n_members=_count(Membership, user__is_active=True), n_sessions=_count(ReflectionSession),
                      n_meetings=_count(Meeting), last_action=_latest(Action, "updated_at"),
                      last_meeting=_latest(Meeting, "updated_at"), last_session=_latest(ReflectionSession, "created_at"))
            .values("pk", "name", "archived", "n_members", "n_sessions", "n_meetings",
                    "last_action", "last_meeting", "last_session"))
    result = []
    for row in rows:
        figure = figures.get(row["pk"])
        moments = [m for m in (row.pop("last_action"), row.pop("last_meeting"), row.pop("last_session")) if m]
        result.append(PartnershipActivity(
            pk=row["pk"], name=row["name"], archived=row["archived"], members=row["n_members"],
            sessions=row["n_sessions"], meetings=row["n_meetings"], agreed=figure.agreed if figure else 0, done=figure.done if figure else 0,
            overdue=figure.overdue if figure else 0, last_activity=max(moments) if moments else None))
    return result


def overview(today=None):
    """:func:`compute`, kept in the cache under the version of :data:`PLATFORM` and the day (overdue moves with it)."""
    today = today or timezone.localdate()
    return caching.get_or_compute(PLATFORM, ("overview", today.isoformat()), lambda: compute(today))
