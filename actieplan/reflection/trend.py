"""The reflection trend: each theme's (and question's) mean score over a partnership's sessions, and its chart.

The one implementation behind the reflection results' "over alle sessies" section and the Voortgang page (and
its PDF): the means come from the database in one ``GROUP BY`` per level (over the 1–5 scores; "weet niet" has
no score), the chart places each session at its real date, and every line has its own colour *and* dash pattern
(never colour alone).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.utils.formats import number_format

from actieplan.partnerships.reference import ReflectionTheme
from actieplan.reflection import aggregation
from actieplan.reflection.models import ReflectionScore, ReflectionSession

#: One style per line: (colour with ≥ 3:1 contrast on white, SVG dash pattern).
STYLES = (("#0b4f8a", ""), ("#a14b00", "8 4"), ("#1e6b34", "2 3"), ("#6a1b9a", "10 3 2 3"),
          ("#a4161a", "4 4"), ("#00606b", "12 6"))


@dataclass
class TrendRow:
    """One theme or question over the sessions (oldest first); ``means`` has None where not asked or scored."""

    key: int
    name: str
    means: list
    theme_id: int | None = None
    number: int | None = None

    @property
    def first(self):
        return next((m for m in self.means if m is not None), None)

    @property
    def last(self):
        return self.means[-1] if self.means else None

    @property
    def previous(self):
        return next((m for m in reversed(self.means[:-1]) if m is not None), None)

    @property
    def since_first(self):
        if self.last is None or self.first is None or len([m for m in self.means if m is not None]) < 2:
            return None
        return self.last - self.first

    @property
    def since_previous(self):
        if self.last is None or self.previous is None:
            return None
        return self.last - self.previous


@dataclass(frozen=True)
class ReflectionTrend:
    """``sessions``: (pk, title, date) oldest first; ``themes`` and ``questions``: :class:`TrendRow` each."""

    sessions: tuple
    themes: tuple
    questions: tuple = ()


def sessions_until(partnership_id, until=None):
    """The partnership's sessions, oldest first; with ``until`` (a session) only those up to and including it."""
    sessions = ReflectionSession.objects.filter(partnership_id=partnership_id)
    if until is not None:
        sessions = sessions.filter(Q(date__lt=until.date) | Q(date=until.date, created_at__lte=until.created_at))
    return sessions.order_by("date", "created_at", "pk")


def theme_means(session_ids):
    """``{session id: {theme id: mean}}`` over the 1–5 scores of the sessions, with the results page's rule
    (aggregation.session_results): no mean of a theme that fewer than ``MIN_GROUP`` people scored. One query; the
    trend, the regional benchmark and the own latest means all read their theme figures here."""
    means = {}
    rows = (ReflectionScore.objects.filter(response__session_id__in=list(session_ids), score__isnull=False)
            .order_by().values("response__session_id", "question__theme_id")
            .annotate(mean=Avg("score"), people=Count("response_id", distinct=True)))
    for row in rows:
        if row["people"] >= aggregation.MIN_GROUP:
            means.setdefault(row["response__session_id"], {})[row["question__theme_id"]] = float(row["mean"])
    return means


def reflection_trend(partnership_id, until=None, questions=False):
    """The partnership's :class:`ReflectionTrend` (up to session ``until``), in three or four queries."""
    sessions = tuple(sessions_until(partnership_id, until).values_list("pk", "title", "date"))
    index = {pk: i for i, (pk, _title, _date) in enumerate(sessions)}
    scores = ReflectionScore.objects.filter(response__session_id__in=list(index), score__isnull=False).order_by()
    themes = {pk: TrendRow(pk, name, [None] * len(sessions), theme_id=pk)
              for pk, name in ReflectionTheme.objects.order_by("sort_order", "name").values_list("pk", "name")}
    for session_id, means in theme_means(index).items():
        for theme_id, mean in means.items():
            themes[theme_id].means[index[session_id]] = mean
    question_rows = ()
    if questions and sessions:
        # Named and ordered as the latest session asked them (each session keeps its wording).
        wording = ReflectionSession.objects.get(pk=sessions[-1][0]).question_wording
        rows = {q["question_id"]: TrendRow(q["question_id"], q["text"], [None] * len(sessions),
                                           theme_id=q["theme_id"], number=q["number"])
                for q in sorted(wording, key=lambda q: (q["theme_order"], q["theme"], q["number"]))}
        people = defaultdict(set)  # (session, theme, question) -> answer sets that scored it
        for session_id, theme_id, question_id, response_id in scores.values_list(
                "response__session_id", "question__theme_id", "question_id", "response_id").distinct():
            people[(session_id, theme_id, question_id)].add(response_id)
        hidden = set()
        for session_id, theme_id in {(s, t) for s, t, _q in people}:
            contributors = {q: ids for (s, t, q), ids in people.items() if (s, t) == (session_id, theme_id)}
            shown_theme = len(set().union(*contributors.values())) >= aggregation.MIN_GROUP
            hide = set(contributors) if not shown_theme else aggregation.hidden_questions(contributors)
            hidden |= {(session_id, q) for q in hide}
        for row in scores.values("response__session_id", "question_id").annotate(mean=Avg("score")):
            if row["question_id"] in rows and (row["response__session_id"], row["question_id"]) not in hidden:
                rows[row["question_id"]].means[index[row["response__session_id"]]] = float(row["mean"])
        question_rows = tuple(rows.values())
    return ReflectionTrend(sessions, tuple(themes.values()), question_rows)


def _x_positions(dates, left, right):
    """Each session's x: by its real date between the first and the last (12 and 1 months apart look it)."""
    if len(dates) < 2:
        return [round((left + right) / 2, 1)] * len(dates)
    first, span = dates[0], max((dates[-1] - dates[0]).days, 1)
    return [round(left + (right - left) * (d - first).days / span, 1) for d in dates]


def trend_chart(trend, width=640, height=280):
    """The chart geometry (SVG user units) of ``trend``'s themes on the 1–5 scale; the template draws it."""
    left, right, top, bottom = 34, 24, 14, 44
    plot_h = height - top - bottom
    dates = [date if isinstance(date, datetime.date) else date.date() for _pk, _title, date in trend.sessions]
    xs = _x_positions(dates, left, width - right)

    def y(mean):
        return round(top + plot_h * (5 - mean) / 4, 1)

    # Date labels where they do not collide (at least 56 units apart), always the last one.
    labels, last_x = [], None
    for i in reversed(range(len(xs))):
        if last_x is None or last_x - xs[i] >= 56:
            labels.append({"x": xs[i], "label": dates[i].strftime("%m-%Y")})
            last_x = xs[i]
    lines = []
    for index, row in enumerate(trend.themes):
        colour, dash = STYLES[index % len(STYLES)]
        points = [{"x": xs[i], "y": y(m), "mean": number_format(m, 1)} for i, m in enumerate(row.means)
                  if m is not None]
        lines.append({"name": row.name, "colour": colour, "dash": dash,
                      # Markers (with their value on hover) while they stay readable; a long history is lines only.
                      "points": points if len(xs) <= 24 or len(points) < 2 else [],
                      "has_line": len(points) > 1, "path": " ".join(f"{p['x']},{p['y']}" for p in points)})
    description = "; ".join(f"{row.name}: " + " → ".join("–" if m is None else number_format(m, 1) for m in row.means)
                            for row in trend.themes)
    return {"width": width, "height": height, "left": left, "right": width - right, "labels": labels[::-1],
            "lines": lines, "grid": [{"value": v, "y": y(v)} for v in (1, 2, 3, 4, 5)],
            "label_y": top + plot_h + 18, "description": description}
