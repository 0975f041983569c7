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


def theme_of(qid):
    return 1 + (qid - 1) // 2


def contributors(sets, theme_id):
    """Per answer set index: its kind, for the answer sets that gave this theme at least one 1–5 score."""
    return {rid: kind for rid, (kind, scores) in enumerate(sets)
            if any(s is not None for qid, s in enumerate(scores, start=1) if theme_of(qid) == theme_id)}


def plain_gaps(sets, min_group=3):
    """The rule in the plainest words, per theme: groups of >= 3 answer sets with a score in that theme, and hide
    more while 1 or 2 such answer sets remain outside the shown kinds."""
    shown_per_theme, means = {}, {}
    for theme_id in (1, 2, 3):
        who = contributors(sets, theme_id)
        sizes = {}
        for kind in who.values():
            if kind:
                sizes[kind] = sizes.get(kind, 0) + 1
        shown = {k for k, n in sizes.items() if n >= min_group}
        while shown:
            outside = len(who) - sum(sizes[k] for k in shown)
            if outside == 0 or outside >= min_group:
                break
            shown.remove(sorted(shown, key=lambda k: (sizes[k], k))[0])
        shown_per_theme[theme_id] = shown
        for kind in shown:
            values = [s for k, scores in sets if k == kind
                      for qid, s in enumerate(scores, start=1) if theme_of(qid) == theme_id and s is not None]
            means[(theme_id, kind)] = sum(values) / len(values)
    return shown_per_theme, means


def as_answers(sets):
    return [(rid, kind, qid, s) for rid, (kind, scores) in enumerate(sets) for qid, s in enumerate(scores, start=1)]


@settings(max_examples=150, deadline=None)
@given(st.lists(answer_set, max_size=14))
def test_scores_per_kind_match_a_plain_computation_and_small_groups_never_show(sets):
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    shown, means = plain_gaps(sets)
    assert set(kinds) == set().union(*shown.values())
    for theme in themes:
        assert set(theme.by_kind) == set(kinds)
        assert {k for k, summary in theme.by_kind.items() if summary is not None} == shown[theme.theme_id]
        for kind in shown[theme.theme_id]:
            assert theme.by_kind[kind].mean == pytest.approx(means[(theme.theme_id, kind)])
        present = [means[(theme.theme_id, k)] for k in shown[theme.theme_id]]
        assert theme.gap == (pytest.approx(max(present) - min(present)) if len(present) >= 2 else None)
    flagged = [t for t in themes if t.flagged]
    assert len(flagged) <= 2 and all(t.gap >= aggregation.GAP_FLAG_AT for t in flagged)
    if flagged:
        assert min(t.gap for t in flagged) >= max((t.gap for t in themes if not t.flagged and t.gap is not None),
                                                  default=0) - 1e-9


@settings(max_examples=300, deadline=None)
@given(st.lists(answer_set, max_size=16))
def test_no_hidden_group_can_be_worked_out_from_what_is_shown(sets):
    """The property: per theme the figures shown are the whole group's (mean and number of scores, on the page and
    in the CSV) and the shown kinds' cells. Any sum of them, and the whole group minus any of them, covers a set of
    answer sets; none of those sets may hold 1 or 2 answer sets, or their mean could be computed. (Themes pool
    disjoint scores, and no figure per kind is shown per question, so no derivation crosses a theme.)"""
    import itertools

    themes, _kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    whole = {t.theme_id: t for t in aggregation.session_results(
        WORDING, [(rid, qid, s, "") for rid, _kind, qid, s in as_answers(sets)])}
    for theme in themes:
        who = contributors(sets, theme.theme_id)
        cells = {kind: {rid for rid, k in who.items() if k == kind}
                 for kind, summary in theme.by_kind.items() if summary is not None}
        for kind, members in cells.items():
            assert len(members) >= 3, (theme.name, kind)
        everyone = set(who)
        # The whole group's figure of the theme is shown only for three people or more (session_results).
        assert whole[theme.theme_id].hidden == (0 < len(everyone) < 3)
        for size in range(len(cells) + 1):
            for chosen in itertools.combinations(cells, size):
                union = set().union(*(cells[k] for k in chosen))
                derivable = [union] + ([everyone - union] if not whole[theme.theme_id].hidden else [])
                for derived in derivable:
                    assert len(derived) == 0 or len(derived) >= 3, (theme.name, chosen, len(derived))


def test_two_of_a_kind_get_no_figure_and_three_do():
    sets = [("school", [4] * 6)] * 3 + [("werkgever", [1] * 6)] * 2 + [("gemeente", [2] * 6)] * 3
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    # werkgever (2) is hidden; then 2 answer sets are outside, so the smallest shown kind goes too.
    assert kinds == ["school"]
    sets += [("werkgever", [1] * 6)]
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(sets))
    assert kinds == ["gemeente", "school", "werkgever"]
    assert themes[0].by_kind["werkgever"].mean == 1 and themes[0].gap == 3 and themes[0].flagged


def test_the_finding_one_more_parent_with_all_ones_no_longer_reveals_the_two_hidden_parents():
    """Issue 25: two hidden parents, and one more "ouder/leerling" answer set of all 1s made the parent column
    appear in resultaten.csv with its distribution, so the two hidden parents' scores could be read off. Per
    theme only a mean is shown now; and a theme where the parents' third answer set gave only "weet niet" keeps
    the two hidden, with the complementary cell."""
    parents = [("ouder_leerling", [5, 4, 5, 4, 5, 4])] * 2
    others = [("school", [3] * 6)] * 3 + [("gemeente", [2] * 6)] * 3
    attacker = ("ouder_leerling", [1, 1, None, None, 1, 1])  # theme 2: only "weet niet"
    themes, kinds = aggregation.perception_gaps(WORDING, as_answers(others + parents + [attacker]))
    by_theme = {t.theme_id: t for t in themes}
    assert by_theme[1].by_kind["ouder_leerling"] is not None  # three parents with a score: a mean, nothing more
    assert by_theme[2].by_kind["ouder_leerling"] is None  # two parents with a score in theme 2: hidden
    assert by_theme[2].by_kind["gemeente"] is None or by_theme[2].by_kind["school"] is None  # and its complement


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=6), min_size=1, max_size=4), st.randoms())
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
                rows = list(ReflectionScore.objects.filter(response__session=session, question__theme=theme,
                                                           score__isnull=False).values_list("response_id", "score"))
                scores = [value for _rid, value in rows]
                # No mean of fewer than three people (the rule of the results page).
                plain = sum(scores) / len(scores) if len({rid for rid, _v in rows}) >= 3 else None
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

def _session(people, title, date, sets, close=True):
    session = ReflectionSession.objects.create(partnership=people.partnership, title=title, date=date,
                                               facilitator=people.procesbewaker)
    for kind, value in sets:
        response = ReflectionResponse.objects.create(session=session, partner_kind=kind)
        ReflectionScore.objects.bulk_create(ReflectionScore(response=response, question_id=q["question_id"],
                                                            score=value) for q in session.question_wording)
    if close:
        session.close()
    return session


@pytest.mark.django_db
def test_the_score_per_kind_appears_only_once_the_session_is_closed(people):
    """While answer sets still arrive, a per-kind figure compared before and after one arrives would show it."""
    sets = [("school", 4)] * 3 + [("gemeente", 2)] * 3
    session = _session(people, "Nog open", datetime.date(2026, 9, 1), sets, close=False)
    client = Client()
    client.force_login(people.bestuurder)
    html = client.get(reverse("actieplan:reflection_results", args=[session.pk])).content.decode()
    assert "verschijnt zodra de sessie gesloten is" in html and "<th scope=\"col\">School</th>" not in html
    rows = list(csv.reader(io.StringIO(client.get(reverse("actieplan:reflection_csv", args=[session.pk]))
                                       .content.decode("utf-8-sig")), delimiter=";"))
    assert not [row for row in rows if row[0] == "soort partner"]
    session.close()
    html = client.get(reverse("actieplan:reflection_results", args=[session.pk])).content.decode()
    assert "<th scope=\"col\">School</th>" in html


@pytest.mark.django_db
def test_the_csv_gives_per_kind_only_the_mean_and_its_number_of_scores(people):
    sets = [("school", 4)] * 3 + [("gemeente", 2)] * 3
    session = _session(people, "Gesloten", datetime.date(2026, 9, 1), sets)
    client = Client()
    client.force_login(people.bestuurder)
    rows = list(csv.reader(io.StringIO(client.get(reverse("actieplan:reflection_csv", args=[session.pk]))
                                       .content.decode("utf-8-sig")), delimiter=";"))
    kind_rows = [row for row in rows if row[0] == "soort partner"]
    assert kind_rows
    for row in kind_rows:
        # niveau, thema, nr, soort, aantal scores, weet niet, gemiddelde, then nothing: no spread, extremes, 1..5
        assert row[4] and row[6] and not any(row[5:6] + row[7:]), row


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
