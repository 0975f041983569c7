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
    hidden: bool = False  # fewer than MIN_GROUP people scored it (or it would give such a group away)


@dataclass
class ThemeResult:
    theme_id: int
    name: str
    order: int
    summary: Summary
    questions: list
    previous_mean: float | None = None
    weak: bool = False
    hidden: bool = False  # fewer than MIN_GROUP people gave this theme a 1–5 score

    @property
    def change(self):
        if self.summary.mean is None or self.previous_mean is None:
            return None
        return self.summary.mean - self.previous_mean


#: What a hidden figure shows: nothing (no mean, no spread, no distribution, no counts).
HIDDEN = Summary(0, 0, None, None, None, None, {value: 0 for value in SCALE})


def hidden_questions(contributors, min_group=None):
    """The questions of one theme whose figures stay hidden: ``contributors`` is ``{question: {answer sets that
    gave it a 1–5 score}}``.

    A question scored by 1 or 2 people is hidden. The theme's figure pools all its questions, so the theme minus
    the shown questions is the hidden questions' pool: while that pool comes from 1 or 2 people, the shown question
    scored by the fewest is hidden too (complementary suppression).
    """
    min_group = MIN_GROUP if min_group is None else min_group
    hidden = {q for q, people in contributors.items() if 0 < len(people) < min_group}
    while True:
        pool = set().union(*(contributors[q] for q in hidden)) if hidden else set()
        if not 0 < len(pool) < min_group:
            return hidden
        shown = [q for q, people in contributors.items() if people and q not in hidden]
        if not shown:
            return hidden  # every scored question hidden: the theme's own rule decides about the pool
        hidden.add(min(shown, key=lambda q: (len(contributors[q]), q)))


def session_results(wording, answers, weakest_count=3, min_group=None):
    """Per theme and per question results of one session.

    ``wording``: the session's question snapshot (dicts with question_id, theme_id, theme,
    theme_order, number, text). ``answers``: iterable of ``(response_id, question_id, score, comment)``.
    Answers to questions not in the wording are ignored: they were not asked in this session.

    No figure is about fewer than ``MIN_GROUP`` people, nor can one be worked out: a theme that fewer than three
    answer sets scored is hidden, and so are the questions :func:`hidden_questions` names (their comments stay).
    """
    min_group = MIN_GROUP if min_group is None else min_group
    by_question = {q["question_id"]: ([], [], set()) for q in wording}
    for response_id, question_id, score, comment in answers:
        if question_id in by_question:
            by_question[question_id][0].append(score)
            if score is not None:
                by_question[question_id][2].add(response_id)
            if comment and comment.strip():
                by_question[question_id][1].append(comment.strip())

    themes = {}
    for q in sorted(wording, key=lambda q: (q["theme_order"], q["theme"], q["number"])):
        scores, comments, _people = by_question[q["question_id"]]
        theme = themes.setdefault(q["theme_id"], ThemeResult(q["theme_id"], q["theme"], q["theme_order"], None, []))
        theme.questions.append(QuestionResult(q["question_id"], q["theme_id"], q["number"], q["text"],
                                              summarize(scores), comments))
    results = list(themes.values())
    for theme in results:
        theme.summary = summarize(s for q in theme.questions for s in _scores_of(q.summary))
        contributors = {q.question_id: by_question[q.question_id][2] for q in theme.questions}
        hidden = hidden_questions(contributors, min_group)
        if 0 < len(set().union(*contributors.values())) < min_group:
            theme.summary, theme.hidden = HIDDEN, True
            hidden = set(contributors)
        for question in theme.questions:
            if question.question_id in hidden:
                question.summary, question.hidden = HIDDEN, True
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
    so the smallest shown kind is hidden too, until that remainder is 0 or at least ``min_group``
    (complementary suppression, as statistical offices do).
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
    by_kind: dict  # kind -> Summary for a cell that may be shown, None for a hidden one (every column kind)
    gap: float | None = None
    flagged: bool = False
    sizes: dict = field(default_factory=dict)  # kind -> answer sets behind a shown cell

    @property
    def hidden(self):
        """Kinds of the table whose cell in this theme stays empty."""
        return [kind for kind, summary in self.by_kind.items() if summary is None]


def perception_gaps(wording, answers, min_group=MIN_GROUP, flag_at=GAP_FLAG_AT, flag_count=2):
    """Per theme the mean per kind of partner, for the cells that may be shown.

    ``answers``: iterable of ``(response_id, kind, question_id, score)``; kind "" means not given.

    A cell is decided per theme, over the answer sets that gave that theme at least one 1–5 score (who answered
    only "weet niet" adds nothing to any mean): a kind with fewer than ``min_group`` of them is hidden, and, while
    the answer sets outside the shown kinds (small kinds and those who did not say) number 1 or 2, the smallest
    shown kind is hidden too: the theme's figure for everyone minus the shown cells would otherwise be theirs.
    Only means are shown per kind, never a distribution, spread or lowest score. Returns ``(themes, kinds)``:
    ``kinds`` every kind shown in at least one theme (the table's columns); the largest gaps (at most
    ``flag_count``, at least ``flag_at``) are flagged.
    """
    asked = {q["question_id"]: q for q in wording}
    scores, contributors = {}, {}
    for response_id, kind, qid, score in answers:
        if qid in asked and score is not None:
            key = (asked[qid]["theme_id"], kind or "")
            scores.setdefault(key, []).append(score)
            contributors.setdefault(key, set()).add(response_id)

    themes = {}
    for q in sorted(wording, key=lambda q: (q["theme_order"], q["theme"], q["number"])):
        themes.setdefault(q["theme_id"], ThemeGap(q["theme_id"], q["theme"], q["theme_order"], {}))
    shown = {}
    for theme in themes.values():
        sizes = {kind: len(ids) for (theme_id, kind), ids in contributors.items() if theme_id == theme.theme_id}
        shown[theme.theme_id] = visible_groups(sizes, sum(sizes.values()), min_group)
        theme.sizes = {kind: sizes[kind] for kind in shown[theme.theme_id]}
    columns = sorted(set().union(*shown.values())) if shown else []
    for theme in themes.values():
        theme.by_kind = {kind: summarize(scores[(theme.theme_id, kind)]) if kind in shown[theme.theme_id] else None
                         for kind in columns}
        means = [s.mean for s in theme.by_kind.values() if s is not None and s.mean is not None]
        theme.gap = max(means) - min(means) if len(means) >= 2 else None
    ranked = sorted((t for t in themes.values() if t.gap is not None and t.gap >= flag_at),
                    key=lambda t: (-t.gap, t.order))
    for theme in ranked[:flag_count]:
        theme.flagged = True
    return list(themes.values()), columns
