"""The Voortgang report: every figure of the page, its PDF and its XLSX, built from ``actieplan.counts``.

:func:`build_report` gathers the sections for one page and one set of filters and keeps them in
Django's cache under a versioned key: a saved action or note bumps its partnership's version (:func:`scopes_of`),
a meeting or reflection answer every report's (see ``apps.py``), so a board member never reads figures older than
the last change, and a note in another region leaves the report cached.
The chart geometry (numbers only; the markup is in the templates) lives here too.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actieplan.actions import counts
from actieplan import caching
from actieplan.actions.queries import ARCHIVED, selected
from actieplan.progress.filters import ProgressFilterSet
from actieplan.meetings.agenda import DEFAULT_LOOKBACK_DAYS
from actieplan.actions.models import Action, action_scopes
from actieplan.partnerships.models import Partnership
from actieplan.meetings.models import Meeting, MeetingKind
from actieplan.partnerships.permissions import can_set_sharing
from actieplan.reflection import benchmark
from actieplan.reflection.trend import reflection_trend, trend_chart

CACHE_SECONDS = 300

#: The splits of the figures table, in the page's order: (grouping, heading, the table's first column).
GROUPINGS = (
    ("theme", _("By theme"), _("Theme")),
    ("board", _("By board"), _("Board")),
    ("organisation", _("By organisation"), _("Organisation")),
    ("mandate_level", _("By mandate level"), _("Mandate level")),
)


def last_board_meeting(partnership_id, now):
    """The partnership's last meeting of kind "bestuur" that started before ``now``, or None."""
    return (Meeting.objects.filter(partnership_id=partnership_id, kind=MeetingKind.BESTUUR, starts_at__lt=now)
            .order_by("-starts_at", "-pk").first())


def page_actions(page, user):
    """The actions a Voortgang page reports on: its partnership's, as far as ``user`` may read them."""
    return counts.visible(user, Action.objects.filter(partnership_id=page.partnership_id))


def filterset_for(page, request):
    return ProgressFilterSet(request.GET or None, queryset=page_actions(page, request.user),
                             partnership=page.partnership, request=request)


def scopes_of(instance):
    """The scopes of the name "progress" a saved or deleted row concerns (``actieplan.caching.scoped``): an action
    and its notes their partnership's (before and after a move), a partnership its own; None (the whole name) for
    the rest. Meetings, decisions and reflection answers are rare beside notes; they bump every report."""
    if isinstance(instance, Partnership):
        return [caching.partnership_scope(instance.pk)]
    return action_scopes(instance)


def report_scopes(partnership_id):
    """What a Voortgang report of one partnership is cached under beyond the whole name."""
    return [caching.partnership_scope(partnership_id)]


def build_report(page, filterset, now=None):
    """Every section of ``page`` for the filters of ``filterset``, from the cache when nothing changed."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    values = filterset.clean_values()
    query = sorted((name, str(getattr(value, "pk", value))) for name, value in values.items())
    parts = ("report", page.pk, page.latest_revision_id, today, query)
    scopes = report_scopes(page.partnership_id)

    def compute():
        report = _compute(page, selected(filterset), values, now, today)
        # The templates cache their rendered sections under this key ({% cache %}), and the PDF under it.
        report["key"] = caching.key("progress", *parts, scopes=scopes)
        return report

    return caching.get_or_compute("progress", parts, compute, CACHE_SECONDS, scopes=scopes)


def _compute(page, actions, values, now, today):
    shown = page.shown_sections()
    report = {"today": today, "now": now, "figures": counts.figures(actions, today)}
    if shown["show_figures"]:
        report["groups"] = [{"name": name, "heading": heading, "column": column,
                             "rows": counts.figures_by(actions, name, today)}
                            for name, heading, column in GROUPINGS]
        for group in report["groups"]:
            if group["name"] in ("theme", "mandate_level"):
                group["chart"] = bar_chart(group["rows"])
    if shown["show_praatclub"]:
        overall, quarters = counts.praatclub_index(actions, today, page.praatclub_min_age_days)
        report["praatclub"] = {"overall": overall, "quarters": quarters, "chart": index_chart(quarters),
                               "min_age_days": page.praatclub_min_age_days}
    if shown["show_kartrekkers"]:
        open_total, people, organisations = counts.kartrekker_risk(actions, page.kartrekker_share)
        report["kartrekkers"] = {"open": open_total, "people": people, "organisations": organisations,
                                 "share": page.kartrekker_share}
    if shown["show_stuck"]:
        report["stuck"] = counts.stuck_by_layer(actions, today)
    if shown["show_postponements"]:
        report["postponements"] = counts.postponements(actions)
    if shown["show_since"]:
        chosen = values.get("sinds")
        meeting = None
        if chosen:
            since = timezone.make_aware(datetime.datetime.combine(chosen, datetime.time.min))
        else:
            meeting = last_board_meeting(page.partnership_id, now)
            since = meeting.starts_at if meeting else now - datetime.timedelta(days=DEFAULT_LOOKBACK_DAYS)
        report["since"] = {"changes": counts.changes_since(actions, since, now), "meeting": meeting,
                           "chosen": bool(chosen), "meeting_title": str(meeting) if meeting else ""}
    if shown["show_reflection"]:
        trend = reflection_trend(page.partnership_id)
        report["reflection"] = {
            "trend": trend, "chart": trend_chart(trend),
            "rows": [{"theme": row.name, "means": row.means} for row in trend.themes],
            "sessions": [{"title": title, "date": date,
                          "cells": [(row.name, row.means[i]) for row in trend.themes]}
                         for i, (pk, title, date) in enumerate(trend.sessions)],
        }
    if shown["show_results"]:
        report["results"] = counts.recent_results(actions)
    return report


# --- chart geometry (numbers only; the templates draw it) ---

def bar_chart(rows):
    """Stacked horizontal bars per row of :class:`counts.Figures`: done, still to do in time, overdue.

    Widths are percentages of the longest bar, for bars drawn in HTML: the label and the figures beside a bar are
    text that wraps, so nothing is cut off at any width, on the page or in the PDF.
    """
    scale = max((f.agreed for f in rows), default=0) or 1
    bars = []
    for f in rows:
        segments = [{"css": css, "value": value, "name": name, "width": round(100 * value / scale, 2)}
                    for name, value, css in ((counts.FIGURE_LABELS["done"], f.done, "done"),
                                             (_("to do, on schedule"), f.not_overdue_open, "open"),
                                             (counts.FIGURE_LABELS["overdue"], f.overdue, "late"))
                    if value]
        bars.append({"label": f.label, "segments": segments, "agreed": f.agreed, "done": f.done,
                     "overdue": f.overdue, "to_do": f.open})
    return {"bars": bars}


def index_chart(quarters, width=640, height=240):
    """Two bars per quarter (done, done on time) on a 0–100 % axis."""
    left, right, top, bottom = 44, 10, 14, 40
    plot_h = height - top - bottom
    step = (width - left - right) / max(len(quarters), 1)
    bar = min(step * 0.35, 34)
    columns = []
    every = max(1, -(-52 // int(step or 1)))  # a label per quarter while they fit, else every n-th
    for i, q in enumerate(quarters):
        x = left + i * step + step / 2
        done, on_time = q.done_percent or 0, q.on_time_percent or 0
        columns.append({
            "name": q.label, "label": q.label if (len(quarters) - 1 - i) % every == 0 else "", "label_x": round(x, 1),
            "agreed": q.agreed,
            "done": {"x": round(x - bar, 1), "y": round(top + plot_h * (1 - done / 100), 1),
                     "h": round(plot_h * done / 100, 1), "w": round(bar - 1, 1), "value": done},
            "on_time": {"x": round(x + 1, 1), "y": round(top + plot_h * (1 - on_time / 100), 1),
                        "h": round(plot_h * on_time / 100, 1), "w": round(bar - 1, 1), "value": on_time},
        })
    grid = [{"value": v, "y": round(top + plot_h * (1 - v / 100), 1)} for v in (0, 25, 50, 75, 100)]
    return {"width": width, "height": height, "left": left, "right": width - right, "columns": columns,
            "grid": grid, "axis_y": top + plot_h, "label_y": top + plot_h + 16, "legend_y": height - 6}


#: The key figures at the top of the page, in order: the attribute of ``counts.Figures`` and the figure's key.
KEY_FIGURES = (("agreed", "agreed"), ("done", "done"), ("done_on_time", "done_on_time"), ("open", "to_do"),
               ("overdue", "overdue"), ("blocked", "blocked"))


def key_figures(figures, list_base, today):
    """The key figures with their one label (``counts.FIGURE_LABELS``) and, where the list can show exactly those
    actions, the link to it: the list then counts the number the page shows."""
    result = []
    for attribute, key in KEY_FIGURES:
        query = counts.figure_query(key, today)
        result.append({"key": key, "label": counts.FIGURE_LABELS[key], "definition": counts.FIGURE_DEFINITIONS[key],
                       "count": getattr(figures, attribute),
                       "url": f"{list_base}&{urlencode(query)}" if query is not None else ""})
    return result


#: The page's filters that are filters of the action list too (same names and meaning; ``sinds`` is not).
LIST_FILTERS = ("deadline_after", "deadline_before", "region", "owner_organisation")


def page_context(page, request):
    """The page's template context: the report for the visitor's filters and the links that carry them."""
    filterset = filterset_for(page, request)
    report = build_report(page, filterset)
    values = filterset.clean_values()
    query = {name: getattr(value, "pk", value) for name, value in values.items()}
    list_query = {"partnership": page.partnership_id,
                  **{name: value for name, value in query.items() if name in LIST_FILTERS}}
    if Action.objects.filter(partnership_id=page.partnership_id, archived=True).exists():
        # The figures count archived actions too; the list then shows them, so its count is the same.
        list_query[ARCHIVED] = "1"
    context = page.get_context(request)
    list_base = f"{reverse('actieplan:action_list')}?{urlencode(list_query)}"
    context.update({
        "filterset": filterset,
        "report": report,
        "filter_query": urlencode(query),
        "list_url": list_base,
        "kpis": key_figures(report["figures"], list_base, report["today"]),
        "is_filtered": bool(query),
        "region": values.get("region"),
        "organisation": values.get("owner_organisation"),
        "period": (values.get("deadline_after"), values.get("deadline_before")),
    })
    if page.show_reflection:
        # The latest closed session's theme means beside the other regions' (reflection/benchmark.py), outside the
        # cached report: the comparison has its own weekly snapshot and cache.
        own, latest = benchmark.own_latest_means(page.partnership_id)
        context.update({
            "benchmark": benchmark.comparison(page.partnership, own),
            "benchmark_partnership": page.partnership, "benchmark_id": "pg-vergelijking",
            "can_set_sharing": can_set_sharing(request.user, page.partnership_id),
            "own_label": (_("your mean in the last closed session (%(title)s)") % {"title": latest}
                          if latest else _("your mean in the last closed session")),
        })
    return context
