"""The reflectietool's arithmetic (actieplan/aggregation.py), as properties that hold for any answers."""

import statistics

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.reflection import aggregation

score = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
scores = st.lists(score, max_size=60)


@given(scores)
def test_mean_stays_within_one_and_five_and_spread_is_never_negative(values):
    summary = aggregation.summarize(values)
    if summary.n:
        assert 1 <= summary.mean <= 5
        assert summary.sd >= 0
        assert summary.minimum <= summary.mean <= summary.maximum
    else:
        assert summary.mean is None and summary.sd is None


@given(scores)
def test_weet_niet_is_left_out_of_the_mean_and_counted_apart(values):
    summary = aggregation.summarize(values)
    numeric = [v for v in values if v is not None]
    assert summary.unknown == values.count(None)
    assert summary.n == len(numeric)
    assert summary.total == len(values)
    if numeric:
        assert summary.mean == pytest.approx(statistics.fmean(numeric))
    # adding "weet niet" answers changes no number but the unknown count
    more = aggregation.summarize(values + [None, None])
    assert (more.n, more.mean, more.sd, more.unknown) == (summary.n, summary.mean, summary.sd, summary.unknown + 2)


@given(scores)
def test_distribution_counts_every_score_once(values):
    summary = aggregation.summarize(values)
    assert set(summary.distribution) == {1, 2, 3, 4, 5}
    assert sum(summary.distribution.values()) == summary.n
    for value in (1, 2, 3, 4, 5):
        assert summary.distribution[value] == values.count(value)


@pytest.mark.parametrize("bad", [0, 6, -1, 3.5, "4"])
def test_a_score_outside_the_scale_is_an_error_not_a_silent_mean(bad):
    with pytest.raises(ValueError):
        aggregation.summarize([3, bad])


def _wording(questions_per_theme):
    wording, qid = [], 0
    for theme_id, count in enumerate(questions_per_theme, start=1):
        for number in range(1, count + 1):
            qid += 1
            wording.append({"question_id": qid, "theme_id": theme_id, "theme": f"Thema {theme_id}",
                            "theme_order": theme_id, "number": number, "text": f"Vraag {qid}"})
    return wording


SOURCE_SHAPE = [4, 4, 4, 3, 4, 3]  # questions per theme in source 000


@given(st.lists(st.lists(score, min_size=22, max_size=22), max_size=15))
def test_theme_results_pool_their_questions_answers(respondents):
    # (min_group=1 below: the arithmetic itself; what is hidden is the next test's subject)
    wording = _wording(SOURCE_SHAPE)
    answers = [(rid, q["question_id"], row[i], "") for rid, row in enumerate(respondents)
               for i, q in enumerate(wording)]
    results = aggregation.session_results(wording, answers, min_group=1)  # the arithmetic, nothing hidden
    assert [len(t.questions) for t in results] == SOURCE_SHAPE
    for theme in results:
        pooled = [a[2] for a in answers if a[1] in {q.question_id for q in theme.questions}]
        assert theme.summary.n + theme.summary.unknown == len(pooled) == len(respondents) * len(theme.questions)
        assert theme.summary.n == sum(q.summary.n for q in theme.questions)
        assert theme.summary.unknown == sum(q.summary.unknown for q in theme.questions)
        if theme.summary.n:
            assert 1 <= theme.summary.mean <= 5 and theme.summary.sd >= 0
    weakest = aggregation.weakest_questions(results)
    assert len(weakest) <= 3
    scored = [q.summary.mean for t in results for q in t.questions if q.summary.mean is not None]
    assert len(weakest) == min(3, len(scored))
    chosen = {id(w) for w in weakest}
    others = [q.summary.mean for t in results for q in t.questions
              if q.summary.mean is not None and id(q) not in chosen]
    assert all(w.summary.mean <= m for w in weakest for m in others)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(score, min_size=22, max_size=22), max_size=12))
def test_no_theme_or_question_figure_is_about_fewer_than_three_people_nor_can_be_worked_out(respondents):
    """Per theme the figures shown are the theme's pooled figure (mean and number of scores) and each shown
    question's. Whatever is shown covers at least three people, and the theme minus all the shown questions (the
    hidden questions' pool) comes from none or at least three people: no small group's mean can be computed."""
    wording = _wording(SOURCE_SHAPE)
    answers = [(rid, q["question_id"], row[i], "") for rid, row in enumerate(respondents)
               for i, q in enumerate(wording)]
    results = aggregation.session_results(wording, answers)
    for theme in results:
        people = {q.question_id: {rid for rid, qid, value, _c in answers if qid == q.question_id and value is not None}
                  for q in theme.questions}
        everyone = set().union(*people.values())
        if not everyone:
            assert theme.summary.mean is None  # nobody gave a 1–5 score: nothing to hide
            continue
        if not theme.hidden:
            assert len(everyone) >= 3 and theme.summary.mean is not None
        else:
            assert theme.summary.mean is None and all(q.hidden for q in theme.questions)
            continue
        shown = [q for q in theme.questions if not q.hidden and q.summary.n]
        for q in shown:
            assert len(people[q.question_id]) >= 3
        pool = set().union(*(people[q.question_id] for q in theme.questions if q.hidden))
        assert len(pool) == 0 or len(pool) >= 3
        for q in theme.questions:
            if q.hidden:
                assert q.summary.mean is None and q.summary.n == 0 and not any(q.summary.distribution.values())


def test_answers_to_questions_the_session_did_not_ask_are_ignored_and_comments_kept():
    wording = _wording([2])
    results = aggregation.session_results(
        wording, [(1, 1, 2, "  Te weinig tijd.  "), (2, 1, None, ""), (3, 99, 1, "x")], min_group=1)
    q1, q2 = results[0].questions
    assert (q1.summary.n, q1.summary.unknown, q1.comments) == (1, 1, ["Te weinig tijd."])
    assert q2.summary.n == 0 and q2.summary.mean is None


def test_one_persons_score_is_never_a_figure_but_their_comment_stays():
    wording = _wording([2])
    results = aggregation.session_results(
        wording, [(1, 1, 2, "Te weinig tijd."), (2, 1, None, ""), (3, 1, None, "")])
    theme = results[0]
    assert theme.hidden and theme.summary.mean is None and theme.questions[0].comments == ["Te weinig tijd."]


def test_weak_themes_are_the_two_lowest_and_every_theme_below_three():
    wording = _wording([1, 1, 1, 1])
    answers = [(rid, qid, value, "") for rid in range(3) for qid, value in ((1, 4), (2, 2), (3, 3), (4, 1))]
    names = [t.name for t in aggregation.weak_themes(aggregation.session_results(wording, answers))]
    assert names == ["Thema 4", "Thema 2"]
    answers = [(rid, qid, value, "") for rid in range(3) for qid, value in ((1, 2), (2, 2), (3, 2), (4, 5))]
    assert len(aggregation.weak_themes(aggregation.session_results(wording, answers))) == 3


@given(st.lists(st.one_of(st.none(), st.floats(min_value=1, max_value=5)), min_size=3, max_size=8))
def test_radar_points_stay_inside_the_chart(values):
    points = aggregation.radar_polygon(values, radius=100, centre=(150, 150)).split()
    assert len(points) == len(values)
    for point in points:
        x, y = map(float, point.split(","))
        assert (x - 150) ** 2 + (y - 150) ** 2 <= 100.01 ** 2
