"""The arithmetic of the reflectietool, as pure functions (no database, no Django).

A score is an int 1–5 or ``None`` for "weet niet / n.v.t.". Means and spread are taken over the
1–5 scores only; "weet niet" is counted separately so the group sees how many could not answer.
The results page, the CSV export, the print page and the demo loader all call these functions.
"""

import math
from dataclasses import dataclass, field
from statistics import fmean, pstdev

SCALE = (1, 2, 3, 4, 5)

#: A theme whose mean is below this counts as weak (the middle of the 1–5 scale).
WEAK_BELOW = 3.0


@dataclass(frozen=True)
class Summary:
    """Mean, spread and counts of a list of scores; ``mean`` etc. are None when nobody gave a 1–5."""

    n: int
    unknown: int
    mean: float | None
    sd: float | None
    minimum: int | None
    maximum: int | None
    distribution: dict = field(default_factory=dict)

    @property
    def total(self):
        """Everyone who answered, including "weet niet"."""
        return self.n + self.unknown


def summarize(scores):
    """Summarise scores (ints 1–5 or None). Values outside 1–5 are a programming error."""
    scores = list(scores)
    numeric = []
    unknown = 0
    for score in scores:
        if score is None:
            unknown += 1
        elif score in SCALE:
            numeric.append(int(score))
        else:
            raise ValueError(f"score buiten 1–5: {score!r}")
    distribution = {value: numeric.count(value) for value in SCALE}
    if not numeric:
        return Summary(0, unknown, None, None, None, None, distribution)
    return Summary(
        n=len(numeric),
        unknown=unknown,
        mean=fmean(numeric),
        # Population spread: defined for a single answer too (0), never negative.
        sd=pstdev(numeric),
        minimum=min(numeric),
        maximum=max(numeric),
        distribution=distribution,
    )


@dataclass
class QuestionResult:
    question_id: int
    theme_id: int
    number: int
    text: str
    summary: Summary
    comments: list
    weak: bool = False


@dataclass
class ThemeResult:
    theme_id: int
    name: str
    order: int
    summary: Summary
    questions: list
    previous_mean: float | None = None
    weak: bool = False

    @property
    def change(self):
        if self.summary.mean is None or self.previous_mean is None:
            return None
        return self.summary.mean - self.previous_mean


def session_results(wording, answers, weakest_count=3):
    """Per theme and per question results of one session.

    ``wording``: the session's question snapshot (dicts with question_id, theme_id, theme,
    theme_order, number, text). ``answers``: iterable of ``(question_id, score, comment)``.
    Answers to questions not in the wording are ignored: they were not asked in this session.
    """
    by_question = {q["question_id"]: ([], []) for q in wording}
    for question_id, score, comment in answers:
        if question_id in by_question:
            by_question[question_id][0].append(score)
            if comment and comment.strip():
                by_question[question_id][1].append(comment.strip())

    themes = {}
    for q in sorted(wording, key=lambda q: (q["theme_order"], q["theme"], q["number"])):
        scores, comments = by_question[q["question_id"]]
        theme = themes.setdefault(q["theme_id"], ThemeResult(q["theme_id"], q["theme"], q["theme_order"], None, []))
        theme.questions.append(QuestionResult(q["question_id"], q["theme_id"], q["number"], q["text"],
                                              summarize(scores), comments))
    results = list(themes.values())
    for theme in results:
        theme.summary = summarize(s for q in theme.questions for s in _scores_of(q.summary))
    for question in weakest_questions(results, weakest_count):
        question.weak = True
    for theme in weak_themes(results):
        theme.weak = True
    return results


def _scores_of(summary):
    """Rebuild the multiset of scores from a summary (the theme pools its questions' answers)."""
    for value in SCALE:
        yield from [value] * summary.distribution.get(value, 0)
    yield from [None] * summary.unknown


def weakest_questions(theme_results, count=3):
    """The ``count`` questions with the lowest mean (questions without a 1–5 answer are skipped)."""
    questions = [q for t in theme_results for q in t.questions if q.summary.mean is not None]
    return sorted(questions, key=lambda q: (q.summary.mean, -q.summary.n))[:count]


def weak_themes(theme_results, below=WEAK_BELOW, at_least=2):
    """Themes to act on: every theme with a mean below ``below``, and at least the ``at_least`` lowest."""
    scored = sorted((t for t in theme_results if t.summary.mean is not None), key=lambda t: (t.summary.mean, t.order))
    return [t for i, t in enumerate(scored) if i < at_least or t.summary.mean < below]


def attach_previous(theme_results, previous_results):
    """Set ``previous_mean`` on each theme from an earlier session's results, matching themes by id."""
    earlier = {t.theme_id: t.summary.mean for t in previous_results or []}
    for theme in theme_results:
        theme.previous_mean = earlier.get(theme.theme_id)
    return theme_results


def radar_point(index, count, value, radius, centre, scale_max=5):
    """Position of ``value`` (0..scale_max) on axis ``index`` of ``count``; axis 0 points straight up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * max(0.0, min(value, scale_max)) / scale_max
    return (round(centre[0] + r * math.cos(angle), 2), round(centre[1] + r * math.sin(angle), 2))


def radar_polygon(values, radius, centre, scale_max=5):
    """SVG ``points`` for the polygon of ``values`` (None drawn at the centre)."""
    count = len(values)
    return " ".join("%s,%s" % radar_point(i, count, v or 0, radius, centre, scale_max)
                    for i, v in enumerate(values))


# --- perception gap: the score per kind of partner ----------------------------------------------

#: A kind of partner gets a figure only from this many answer sets on, so nobody can be singled out.
MIN_GROUP = 3
#: A gap (highest minus lowest kind mean in a theme) from this size on can be flagged as a discussion point.
GAP_FLAG_AT = 0.5


def visible_groups(sizes, total, min_group=MIN_GROUP):
    """The kinds whose figures may be shown: ``sizes`` is ``{kind: answer sets}``, ``total`` all answer sets.

    A kind with fewer than ``min_group`` answer sets is hidden. Then, if the answer sets outside the
    shown kinds number 1 or 2, their figure could be worked out from the total minus the shown kinds;
    so the smallest shown kind is hidden too, until that remainder is 0 or at least ``min_group``.
    """
    shown = {kind: n for kind, n in sizes.items() if kind and n >= min_group}
    while shown and 0 < total - sum(shown.values()) < min_group:
        smallest = min(shown, key=lambda kind: (shown[kind], kind))
        del shown[smallest]
    return set(shown)


@dataclass
class ThemeGap:
    theme_id: int
    name: str
    order: int
    by_kind: dict  # kind -> Summary, shown kinds only
    gap: float | None = None
    flagged: bool = False


def perception_gaps(wording, answers, min_group=MIN_GROUP, flag_at=GAP_FLAG_AT, flag_count=2):
    """Per theme the summary per kind of partner, only for kinds that may be shown.

    ``answers``: iterable of ``(response_id, kind, question_id, score)``; kind "" means not given.
    Returns ``(themes, shown_kinds)``; the largest gaps (at most ``flag_count``, at least ``flag_at``)
    are flagged.
    """
    answers = list(answers)
    asked = {q["question_id"]: q for q in wording}
    kind_of = {}
    for response_id, kind, _qid, _score in answers:
        kind_of[response_id] = kind or ""
    sizes = {}
    for kind in kind_of.values():
        sizes[kind] = sizes.get(kind, 0) + 1
    shown = visible_groups(sizes, len(kind_of), min_group)

    pooled = {}
    for _response_id, kind, qid, score in answers:
        if kind in shown and qid in asked:
            pooled.setdefault((asked[qid]["theme_id"], kind), []).append(score)
    themes = {}
    for q in sorted(wording, key=lambda q: (q["theme_order"], q["theme"], q["number"])):
        themes.setdefault(q["theme_id"], ThemeGap(q["theme_id"], q["theme"], q["theme_order"], {}))
    for theme in themes.values():
        for kind in sorted(shown):
            theme.by_kind[kind] = summarize(pooled.get((theme.theme_id, kind), []))
        means = [s.mean for s in theme.by_kind.values() if s.mean is not None]
        theme.gap = max(means) - min(means) if len(means) >= 2 else None
    ranked = sorted((t for t in themes.values() if t.gap is not None and t.gap >= flag_at),
                    key=lambda t: (-t.gap, t.order))
    for theme in ranked[:flag_count]:
        theme.flagged = True
    return list(themes.values()), sorted(shown)
