"""A session's results as its pages and blocks show them: the answers, the per-theme results (with the previous
session beside them), the perception gaps per kind of partner and the radar's geometry."""

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from actieplan import caching
from actieplan.reflection import aggregation
from actieplan.reflection.models import PartnerKind, ReflectionScore


def answers_of(session):
    """``(answer set, question, score, comment)`` of a session, as ``aggregation.session_results`` reads them."""
    return ReflectionScore.objects.filter(response__session=session).values_list(
        "response_id", "question_id", "score", "comment")


#: The caching name of a session's figures: every saved or deleted session, answer set, score or theme bumps it
#: (``apps.py``), so a closed session's figures are computed once and an open one's again after each answer set.
CACHE_NAME = "reflection"


def build_results(session):
    """Per-theme and per-question results of ``session`` with the previous session's theme means (cached under
    :data:`CACHE_NAME`; each call returns its own copy, which the caller may add to)."""
    def compute():
        results = aggregation.session_results(session.question_wording, answers_of(session))
        previous = session.previous_session()
        if previous is not None:
            aggregation.attach_previous(results, aggregation.session_results(previous.question_wording,
                                                                              answers_of(previous)))
        return results, previous

    return caching.get_or_compute(CACHE_NAME, ("results", session.pk), compute)


def answers_with_kind(session):
    return ReflectionScore.objects.filter(response__session=session).values_list(
        "response_id", "response__partner_kind", "question_id", "score")


def perception_gaps(session):
    """Per theme the score per kind of partner (groups of three or more, complementary cells hidden too), largest
    gaps flagged; only once the session is closed: a figure that changed with each new answer set would show
    that answer set to whoever compared it before and after."""
    if session.is_open:
        themes, kinds = [], []
    else:
        themes, kinds = caching.get_or_compute(CACHE_NAME, ("gaps", session.pk), lambda: aggregation.perception_gaps(
            session.question_wording, answers_with_kind(session)))
    labels = dict(PartnerKind.choices)
    return {"themes": themes, "kinds": [(kind, labels.get(kind, kind)) for kind in kinds],
            "flagged": [t for t in themes if t.flagged], "min_group": aggregation.MIN_GROUP,
            "open": session.is_open, "some_hidden": any(t.hidden for t in themes)}


def fmt(value, digits=1):
    return "–" if value is None else number_format(value, digits)


def radar(results, previous):
    """Geometry of the radar chart (inline SVG), with a text description for screen readers."""
    # Wide enough for "Betrokken partners (3,3)" beside the chart at 14px.
    size_w, size_h, centre, radius = 680, 440, (340, 220), 140
    n = len(results)
    axes = []
    for i, theme in enumerate(results):
        x, y = aggregation.radar_point(i, n, 5, radius, centre)
        lx, ly = aggregation.radar_point(i, n, 5.7, radius, centre)
        anchor = "start" if lx > centre[0] + 5 else "end" if lx < centre[0] - 5 else "middle"
        ly += 4 if anchor != "middle" else (-6 if ly < centre[1] else 16)
        # Coordinates as strings: the template would localise floats to "12,5", which SVG cannot read.
        axes.append({"x": _svg(x), "y": _svg(y), "lx": _svg(lx), "ly": _svg(ly),
                     "anchor": anchor, "name": theme.name,
                     "mean_label": "–" if theme.summary.mean is None else floatformat(theme.summary.mean, 1)})
    rings = [{"value": v, "points": aggregation.radar_polygon([v] * n, radius, centre),
              "label_y": _svg(centre[1] - radius * v / 5 + 12)} for v in range(1, 6)]
    current = aggregation.radar_polygon([t.summary.mean for t in results], radius, centre)
    earlier = (aggregation.radar_polygon([t.previous_mean for t in results], radius, centre)
               if previous is not None else None)
    parts = []
    for t in results:
        if previous is not None:
            parts.append(_("%(theme)s: %(mean)s (previous session %(prev)s)") % {
                "theme": t.name, "mean": fmt(t.summary.mean), "prev": fmt(t.previous_mean)})
        else:
            parts.append(_("%(theme)s: %(mean)s") % {"theme": t.name, "mean": fmt(t.summary.mean)})
    description = _("Mean score per theme on a scale of 1 to 5: %(list)s.") % {"list": "; ".join(parts)}
    return {"width": size_w, "height": size_h, "cx": centre[0], "cy": centre[1], "axes": axes, "rings": rings,
            "current": current, "previous": earlier, "description": description,
            "label_x": _svg(centre[0] + 5),
            "dots": [tuple(map(_svg, aggregation.radar_point(i, n, t.summary.mean or 0, radius, centre)))
                     for i, t in enumerate(results) if t.summary.mean is not None]}


def _svg(number):
    return f"{number:.2f}"
