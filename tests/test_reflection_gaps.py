"""Reading the results honestly: the score per kind of partner only for groups of three or more (also
in the CSV), the largest gaps flagged, and the themes and questions over all sessions; every figure
checked against a plain computation."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.db import transaction
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.reflection import aggregation
from actieplan.models import ReflectionResponse, ReflectionScore, ReflectionSession

KINDS = ["", "school", "gemeente", "werkgever", "ketenpartner", "ouder_leerling"]
WORDING = [
    {"question_id": qid, "theme_id": 1 + (qid - 1) // 2, "theme": f"Thema {1 + (qid - 1) // 2}",
     "theme_order": 1 + (qid - 1) // 2, "number": 1 + (qid - 1) % 2, "text": f"Vraag {qid}"}
    for qid in range(1, 7)
]
score = st.one_of(st.none(), st.integers(1, 5))
answer_set = st.tuples(st.sampled_from(KINDS), st.lists(score, min_size=6, max_size=6))


def plain_gaps(sets, min_group=3):
    """The rule in the plainest words: groups of >= 3, and hide more while 1 or 2 answer sets remain outside."""
    sizes = {}
    for kind, _scores in sets:
        if kind:
            sizes[kind] = sizes.get(kind, 0) + 1
    shown = {k for k, n in sizes.items() if n >= min_group}
    while shown:
        outside = len(sets) - sum(sizes[k] for k in shown)
        if outside == 0 or outside >= min_group:
            break
        shown.remove(sorted(shown, key=lambda k: (sizes[k], k))[0])
    means = {}
    for theme_id in (1, 2, 3):
        for kind in shown:
            values = [s for k, scores in sets if k == kind
                      for qid, s in enumerate(scores, start=1) if 1 + (qid - 1) // 2 == theme_id and s is not None]
            means[(theme_id, kind)] = sum(values) / len(values) if values else None
    return shown, means


def as_answers(sets):
    return [(rid, kind, qid, s) for rid, (kind, scores) in enumerate(sets) for qid, s in enumerate(scores, start=1)]


@settings(max_examples=150, deadline=None)
@given(st.lists(answer_set, max_size=14))
def test_scores_per_kind_match_a_plain_computation_and_small_groups_never_show(sets):
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    shown, means = plain_gaps(sets)
    assert set(kinds) == shown
    for theme in themes:
        assert set(theme.by_kind) == shown
        for kind, summary in theme.by_kind.items():
            expected = means[(theme.theme_id, kind)]
            assert summary.mean == pytest.approx(expected) if expected is not None else summary.mean is None
        present = [m for m in (means[(theme.theme_id, k)] for k in shown) if m is not None]
        assert theme.gap == (pytest.approx(max(present) - min(present)) if len(present) >= 2 else None)
    # The group-of-three rule: a kind with one or two answer sets never has a figure.
    for kind in KINDS[1:]:
        if 0 < sum(1 for k, _s in sets if k == kind) < 3:
            assert kind not in kinds
    # Nor can one be worked out: outside the shown kinds are 0 or at least 3 answer sets.
    outside = len(sets) - sum(1 for k, _s in sets if k in shown)
    assert not shown or outside == 0 or outside >= 3
    flagged = [t for t in themes if t.flagged]
    assert len(flagged) <= 2 and all(t.gap >= aggregation.GAP_FLAG_AT for t in flagged)
    if flagged:
        assert min(t.gap for t in flagged) >= max((t.gap for t in themes if not t.flagged and t.gap is not None),
                                                  default=0) - 1e-9


def test_two_of_a_kind_get_no_figure_and_three_do():
    sets = [("school", [4] * 6)] * 3 + [("werkgever", [1] * 6)] * 2 + [("gemeente", [2] * 6)] * 3
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    # werkgever (2) is hidden; then 2 answer sets are outside, so the smallest shown kind goes too.
    assert kinds == ["school"]
    sets += [("werkgever", [1] * 6)]
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    assert kinds == ["gemeente", "school", "werkgever"]
    assert themes[0].by_kind["werkgever"].mean == 1 and themes[0].gap == 3 and themes[0].flagged


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=4), min_size=1, max_size=4), st.randoms())
def test_the_one_trend_matches_a_plain_computation_on_both_pages(people, sessions, rnd):
    """Generated sessions (0 = "weet niet"): the theme and question means of ``reflection_trend`` equal the plain
    means over the 1–5 scores, and the results page and the Voortgang page show those very rows."""
    from actieplan.models import ReflectionTheme
    from actieplan.progress.demo import ensure_progress_page
    from actieplan.reflection.trend import reflection_trend

    with transaction.atomic():
        made = []
        for n, people_scores in enumerate(sessions):
            session = ReflectionSession.objects.create(partnership=people.partnership, title=f"Sessie {n}",
                                                       date=datetime.date(2024, 1, 1) + datetime.timedelta(days=97 * n),
                                                       facilitator=people.procesbewaker)
            for value in people_scores:
                response = ReflectionResponse.objects.create(session=session)
                ReflectionScore.objects.bulk_create(
                    ReflectionScore(response=response, question_id=q["question_id"],
                                    score=(value + rnd.randint(0, 1)) % 6 or None)
                    for q in session.question_wording)
            made.append(session)
        trend = reflection_trend(people.partnership.pk, questions=True)
        for theme in ReflectionTheme.objects.all():
            row = next(r for r in trend.themes if r.key == theme.pk)
            for i, session in enumerate(made):
                scores = list(ReflectionScore.objects.filter(response__session=session, question__theme=theme,
                                                             score__isnull=False).values_list("score", flat=True))
                plain = sum(scores) / len(scores) if scores else None
                assert row.means[i] == pytest.approx(plain) if plain is not None else row.means[i] is None
        assert len(trend.questions) == len(made[-1].question_wording)
        client = Client()
        client.force_login(people.bestuurder)
        results = client.get(reverse("actieplan:reflection_results", args=[made[-1].pk])).context["over_time"]
        assert [r.means for r in results["themes"]] == [r.means for r in trend.themes if any(
            m is not None for m in r.means)]
        page = ensure_progress_page(people.partnership, title="Voortgang", slug="voortgang-trend")
        report = client.get(page.url).context["report"]["reflection"]
        assert [row["means"] for row in report["rows"]] == [r.means for r in trend.themes]
        transaction.set_rollback(True)


# --- on the page and in the CSV ----------------------------------------------------------------

def _session(people, title, date, sets):
    session = ReflectionSession.objects.create(partnership=people.partnership, title=title, date=date,
                                               facilitator=people.procesbewaker)
    for kind, value in sets:
        response = ReflectionResponse.objects.create(session=session, partner_kind=kind)
        ReflectionScore.objects.bulk_create(ReflectionScore(response=response, question_id=q["question_id"],
                                                            score=value) for q in session.question_wording)
    return session


@pytest.mark.django_db
def test_a_group_of_two_is_invisible_on_the_results_and_in_the_csv(people):
    sets = [("school", 4)] * 3 + [("gemeente", 2)] * 3 + [("werkgever", 1)] * 2 + [("", 3)] * 3
    session = _session(people, "Met werkgevers", datetime.date(2026, 9, 1), sets)
    client = Client()
    client.force_login(people.bestuurder)
    html = client.get(reverse("actieplan:reflection_results", args=[session.pk])).content.decode()
    assert "Verschil in beleving per soort partner" in html
    assert "<th scope=\"col\">School</th>" in html and "<th scope=\"col\">Gemeente</th>" in html
    assert "Werkgever" not in html
    assert "Om over door te praten" in html  # school 4,0 against gemeente 2,0
    rows = list(csv.reader(io.StringIO(client.get(reverse("actieplan:reflection_csv", args=[session.pk]))
                                       .content.decode("utf-8-sig")), delimiter=";"))
    kinds = {row[3] for row in rows if row[0] == "soort partner"}
    assert kinds == {"school", "gemeente"}
    assert not any("werkgever" in cell for row in rows for cell in row)


@pytest.mark.django_db
def test_the_results_show_every_session_of_the_partnership_and_the_change(people):
    first = _session(people, "Eerste", datetime.date(2024, 3, 1), [("", 2)] * 3)
    _session(people, "Tweede", datetime.date(2025, 3, 1), [("", 3)] * 3)
    third = _session(people, "Derde", datetime.date(2026, 3, 1), [("", 4)] * 3)
    client = Client()
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:reflection_results", args=[third.pk]))
    html = response.content.decode()
    assert "Ontwikkeling over alle sessies" in html and 'class="ap-trend"' in html
    row = response.context["over_time"]["themes"][0]
    assert (row.first, row.previous, row.last, row.since_first, row.since_previous) == (2, 3, 4, 2, 1)
    assert "+2,0" in html and "+1,0" in html
    # The first session has no history yet and says so.
    html = client.get(reverse("actieplan:reflection_results", args=[first.pk])).content.decode()
    assert "Dit is de eerste sessie" in html


@pytest.mark.django_db
def test_maak_actie_returns_to_the_results_and_the_weak_point_shows_its_action(people):
    from actieplan.models import Action, ReflectionTheme

    session = _session(people, "Actiesessie", datetime.date(2026, 5, 1), [("", 2)] * 3)
    client = Client()
    client.force_login(people.procesbewaker)
    results_url = reverse("actieplan:reflection_results", args=[session.pk])
    html = client.get(results_url).content.decode()
    assert "Nog geen actie bij dit thema." in html
    link = client.get(results_url).context["results"][0].action_url
    assert "next=" in link
    form = client.get(link)
    assert form.context["next"] == results_url + "#aan-de-slag"
    theme = ReflectionTheme.objects.get(pk=session.question_wording[0]["theme_id"])
    response = client.post(reverse("actieplan:action_create"), {
        "title": "Visie vertalen naar keuzes", "partnership": people.partnership.pk, "theme": theme.pk,
        "source_session": session.pk, "owner": people.owner.pk, "mandate_level": "2",
        "deadline": "2027-09-01", "status": "open", "next": form.context["next"],
        "domain": "", "description": "",
    })
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert response.url == results_url + "#aan-de-slag"
    assert Action.objects.filter(source_session=session).count() == 1
    html = client.get(results_url).content.decode()
    assert "Al 1 actie uit deze sessie" in html and "Visie vertalen naar keuzes" in html
    # A link to another site is never followed.
    evil = client.post(reverse("actieplan:action_create"), {
        "title": "Nog een", "partnership": people.partnership.pk, "theme": theme.pk, "owner": people.owner.pk,
        "mandate_level": "2", "deadline": "2027-09-01", "status": "open", "next": "https://voorbeeld.invalid/",
    })
    assert evil.status_code == 302 and not evil.url.startswith("http")
