"""Issue 28, the regional benchmark: per theme a partnership's own mean beside the median and middle half of other
regions' latest closed sessions, shown only to partnerships that take part, only with at least five *other*
contributors, never naming anyone, and immune to subtraction (the weekly snapshot leaves out the viewer's own
contribution: its own new session, or opting out and back in, changes nothing it sees)."""

import datetime
import statistics
import zoneinfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.models import (
    BenchmarkSnapshot, Partnership, ReflectionResponse, ReflectionScore, ReflectionSession, ReflectionTheme,
)
from actieplan.reflection import benchmark
from tests.factories import make_partnership

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


# --- the arithmetic ----------------------------------------------------------------------------------------

means = st.floats(min_value=1, max_value=5, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(means, min_size=2, max_size=60))
def test_median_and_quartiles_agree_with_statistics(values):
    spread = benchmark.spread(values)
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert spread.n == len(values)
    assert spread.median == pytest.approx(statistics.median(values)) == pytest.approx(median)
    assert spread.q1 == pytest.approx(q1) and spread.q3 == pytest.approx(q3)
    assert min(values) <= spread.q1 <= spread.median <= spread.q3 <= max(values)


platform = st.dictionaries(st.integers(1, 40),
                           st.dictionaries(st.integers(1, 6), st.one_of(st.none(), means), max_size=6),
                           max_size=20)


@settings(max_examples=300, deadline=None)
@given(platform, st.integers(1, 40))
def test_a_theme_shows_only_with_five_others_and_never_counts_the_viewer(figures, viewer):
    stored = {str(p): {str(t): m for t, m in themes.items() if m is not None} for p, themes in figures.items()}
    shown = benchmark.others_spread(stored, viewer, range(1, 7))
    for theme in range(1, 7):
        others = [themes[theme] for p, themes in figures.items()
                  if p != viewer and themes.get(theme) is not None]
        if len(others) < benchmark.MIN_OTHERS:
            assert shown[theme] is None
        else:
            assert shown[theme].n == len(others)
            assert shown[theme].median == pytest.approx(statistics.median(others))
    # The viewer's own figure, whatever it is, changes nothing it sees.
    changed = dict(stored, **{str(viewer): {str(t): 1.0 for t in range(1, 7)}})
    assert benchmark.others_spread(changed, viewer, range(1, 7)) == shown
    without = {p: v for p, v in stored.items() if p != str(viewer)}
    assert benchmark.others_spread(without, viewer, range(1, 7)) == shown


# --- generated platforms in the database ------------------------------------------------------------------

def hold_session(partnership, scores, *, closed_at=None, date=None):
    """A closed session of ``partnership``: one answer set per value in ``scores`` (every question that value)."""
    session = ReflectionSession.objects.create(partnership=partnership, title=f"Sessie {partnership.name}",
                                               date=date or timezone.localdate())
    for value in scores:
        response = ReflectionResponse.objects.create(session=session)
        ReflectionScore.objects.bulk_create(ReflectionScore(response=response, question_id=q["question_id"],
                                                            score=value) for q in session.question_wording)
    session.close()
    if closed_at is not None:
        ReflectionSession.objects.filter(pk=session.pk).update(closed_at=closed_at)
    return session


def seen(partnership, now):
    """What ``partnership`` sees of others on the page (None: nothing, it does not take part)."""
    partnership.refresh_from_db()
    result = benchmark.comparison(partnership, {}, now=now)
    if result is None:
        return None
    return [(row.theme_id, row.others) for row in result["themes"]]


# Monday 10:00 of a week; the snapshot of this week shows the figures as they stood at Monday 00:00.
MONDAY = datetime.datetime(2027, 3, 8, 10, 0, tzinfo=AMS)

group = st.lists(st.integers(1, 5), min_size=3, max_size=5)  # a session of three to five answer sets


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from([True, True, True, False]), group), min_size=1, max_size=12), group,
       st.integers(0, 6))
def test_subtraction_gives_nothing_away(db, platform_rows, new_scores, later_days):
    """For a generated platform: the figures a partnership sees are the same before and after its own new session,
    the same after opting out and back in, and a partnership that does not take part sees nothing at all; a theme
    never shows with fewer than five other contributors."""
    with transaction.atomic():
        BenchmarkSnapshot.objects.all().delete()
        made = []
        before = MONDAY - datetime.timedelta(days=3)
        for opted, scores in platform_rows:
            partnership = make_partnership()
            Partnership.objects.filter(pk=partnership.pk).update(benchmark_opt_in=opted)
            hold_session(partnership, scores, closed_at=before, date=before.date())
            made.append(partnership)
        viewer = made[0]
        Partnership.objects.filter(pk=viewer.pk).update(benchmark_opt_in=True)
        outsider = make_partnership()
        hold_session(outsider, new_scores, closed_at=before, date=before.date())

        first = seen(viewer, MONDAY)
        later = MONDAY + datetime.timedelta(days=later_days, hours=3)
        # Its own new session, closed during the week: nothing it sees moves.
        with time_machine.travel(later, tick=False):
            hold_session(viewer, new_scores)
        assert seen(viewer, later) == first
        # Opting out: nothing to see; back in: exactly what it saw.
        Partnership.objects.filter(pk=viewer.pk).update(benchmark_opt_in=False)
        assert seen(viewer, later) is None
        Partnership.objects.filter(pk=viewer.pk).update(benchmark_opt_in=True)
        assert seen(viewer, later) == first
        # Another partnership opting in during the week changes nothing before next Monday either.
        Partnership.objects.filter(pk=outsider.pk).update(benchmark_opt_in=True)
        assert seen(viewer, later) == first
        # Whoever does not take part sees nothing.
        Partnership.objects.filter(pk=outsider.pk).update(benchmark_opt_in=False)
        assert seen(outsider, later) is None

        # The group-size rule against a plain count of the other opted-in partnerships' themes.
        contributors = [p for p, (opted, _scores) in zip(made, platform_rows) if opted and p != viewer]
        for _theme, others in first:
            if len(contributors) < benchmark.MIN_OTHERS:
                assert others is None
            else:
                assert others.n == len(contributors)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_snapshot_moves_on_monday_and_takes_what_stood_at_midnight(db):
    others = [make_partnership() for _ in range(6)]
    viewer = make_partnership()
    Partnership.objects.filter(pk__in=[p.pk for p in [*others, viewer]]).update(benchmark_opt_in=True)
    sunday = datetime.datetime(2027, 3, 7, 18, 0, tzinfo=AMS)
    for n, partnership in enumerate(others[:5]):
        hold_session(partnership, [1 + n % 5] * 3, closed_at=sunday, date=sunday.date())
    # Closed on Monday morning: not in this week's snapshot, in next week's.
    hold_session(others[5], [5, 5, 5], closed_at=MONDAY - datetime.timedelta(hours=2), date=MONDAY.date())
    hold_session(others[5], [3, 3, 3], closed_at=MONDAY - datetime.timedelta(hours=11), date=sunday.date())
    this_week = dict(seen(viewer, MONDAY))
    theme = ReflectionTheme.objects.order_by("sort_order").first().pk
    assert this_week[theme].n == 6 and this_week[theme].median == pytest.approx(3)
    # A session closed after Monday 00:00 waits for next week.
    late = make_partnership()
    Partnership.objects.filter(pk=late.pk).update(benchmark_opt_in=True)
    hold_session(late, [5, 5, 5], closed_at=MONDAY + datetime.timedelta(hours=1), date=MONDAY.date())
    assert dict(seen(viewer, MONDAY + datetime.timedelta(days=6, hours=13)))[theme].n == 6
    next_week = dict(seen(viewer, MONDAY + datetime.timedelta(days=7)))
    assert next_week[theme].n == 7


@pytest.mark.django_db
def test_fewer_than_five_others_shows_no_figure_and_a_theme_of_fewer_than_three_people_counts_for_nothing(db):
    viewer = make_partnership()
    others = [make_partnership() for _ in range(5)]
    Partnership.objects.filter(pk__in=[p.pk for p in [*others, viewer]]).update(benchmark_opt_in=True)
    before = MONDAY - datetime.timedelta(days=1)
    hold_session(viewer, [4, 4, 4], closed_at=before)
    for partnership in others[:4]:
        hold_session(partnership, [3, 3, 3], closed_at=before)
    hold_session(others[4], [2, 2], closed_at=before)  # two people: no theme figure, so no contribution
    assert all(others is None for _theme, others in seen(viewer, MONDAY))


# --- on the pages -------------------------------------------------------------------------------------------

@pytest.fixture
def platform(people):
    """Six other partnerships that take part, each with a closed session (means 1.0 … 5.0 and 3.0), last week."""
    before = timezone.now() - datetime.timedelta(days=8)
    for n, value in enumerate([1, 2, 3, 4, 5, 3]):
        partnership = make_partnership(f"Geheime regio {n}")
        Partnership.objects.filter(pk=partnership.pk).update(benchmark_opt_in=True)
        hold_session(partnership, [value] * 3, closed_at=before, date=before.date())
    Partnership.objects.filter(pk=people.partnership.pk).update(benchmark_opt_in=True)
    people.partnership.refresh_from_db()
    return hold_session(people.partnership, [4, 4, 5], closed_at=before, date=before.date())


def test_the_results_page_shows_own_mean_beside_the_others_and_names_nobody(platform, people):
    client = Client()
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:reflection_results", args=[platform.pk]))
    html = response.content.decode()
    assert "Vergeleken met andere regio" in html
    rows = response.context["benchmark"]["themes"]
    assert rows and all(row.others.n == 6 and row.others.median == pytest.approx(3) for row in rows)
    assert all(row.own == pytest.approx(13 / 3) for row in rows)
    assert 'data-figure="median">3,0<' in html and 'data-figure="iqr">2,3 tot 3,8<' in html
    assert "hoger dan de middelste helft" in html
    assert "Geheime regio" not in html


def test_the_voortgang_page_shows_the_latest_closed_session_beside_the_others(platform, people):
    from actieplan.progress.demo import ensure_progress_page

    page = ensure_progress_page(people.partnership, title="Voortgang", slug="voortgang-vergelijking")
    client = Client()
    client.force_login(people.bestuurder)
    response = client.get(page.url)
    html = response.content.decode()
    assert 'id="pg-vergelijking"' in html and "Geheime regio" not in html
    assert all(row.own == pytest.approx(13 / 3) and row.others.n == 6 for row in response.context["benchmark"]["themes"])


def test_a_partnership_that_does_not_take_part_sees_only_the_invitation(platform, people):
    Partnership.objects.filter(pk=people.partnership.pk).update(benchmark_opt_in=False)
    client = Client()
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan:reflection_results", args=[platform.pk]))
    html = response.content.decode()
    assert response.context["benchmark"] is None
    assert "doet (nog) niet mee" in html and 'data-figure="median"' not in html
    assert reverse("actieplan:partnership_sharing", args=[people.partnership.pk]) in html


# --- the switch and its explanation -----------------------------------------------------------------------------

def test_the_procesbewaker_switches_it_on_with_the_explanation_beside_it(people):
    url = reverse("actieplan:partnership_sharing", args=[people.partnership.pk])
    client = Client()
    client.force_login(people.procesbewaker)
    page = client.get(url).content.decode()
    assert "De vergelijking wordt één keer per week vastgelegd" in page
    assert "Niemand ziet jullie naam of jullie cijfer" in page
    response = client.post(url, {"benchmark_opt_in": "on", "province": ""})
    assert response.status_code == 302
    people.partnership.refresh_from_db()
    assert people.partnership.benchmark_opt_in
    from wagtail.models import ModelLogEntry
    assert ModelLogEntry.objects.filter(object_id=str(people.partnership.pk), action="wagtail.edit").exists()


def test_only_the_procesbewaker_changes_it_others_read_it_and_outsiders_get_404(people, other_people):
    url = reverse("actieplan:partnership_sharing", args=[people.partnership.pk])
    client = Client()
    for reader in (people.werkgroeplid, people.bestuurder):
        client.force_login(reader)
        assert "Dit kiest de procesbewaker" in client.get(url).content.decode()
        response = client.post(url, {"benchmark_opt_in": "on"}, follow=True)
        assert "Alleen de procesbewaker" in response.content.decode()
        people.partnership.refresh_from_db()
        assert not people.partnership.benchmark_opt_in
    for stranger in (people.owner, other_people.procesbewaker, people.outsider):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        assert client.post(url, {"benchmark_opt_in": "on"}).status_code == 404


def test_an_opt_in_during_the_week_counts_from_next_monday_even_when_nobody_looked_yet(people):
    before = MONDAY - datetime.timedelta(days=2)
    viewer = make_partnership()
    Partnership.objects.filter(pk=viewer.pk).update(benchmark_opt_in=True)
    for value in (1, 2, 3, 4, 5):
        partnership = make_partnership()
        Partnership.objects.filter(pk=partnership.pk).update(benchmark_opt_in=True)
        hold_session(partnership, [value] * 3, closed_at=before, date=before.date())
    hold_session(people.partnership, [5, 5, 5], closed_at=before, date=before.date())
    client = Client()
    with time_machine.travel(MONDAY + datetime.timedelta(days=1), tick=False):
        client.force_login(people.procesbewaker)
        client.post(reverse("actieplan:partnership_sharing", args=[people.partnership.pk]), {"benchmark_opt_in": "on"})
    people.partnership.refresh_from_db()
    assert people.partnership.benchmark_opt_in_at == MONDAY + datetime.timedelta(days=1)
    theme = ReflectionTheme.objects.order_by("sort_order").first().pk
    assert dict(seen(viewer, MONDAY + datetime.timedelta(days=2)))[theme].n == 5  # the first look, on Wednesday
    assert dict(seen(viewer, MONDAY + datetime.timedelta(days=7)))[theme].n == 6


@pytest.mark.django_db
def test_beat_takes_the_weeks_snapshot_on_monday_night_once(db, settings):
    from celery.schedules import crontab

    from actieplan import tasks

    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values()
                 if e["task"] == "actieplan.tasks.take_benchmark_snapshot")
    assert entry["schedule"] == crontab(hour=0, minute=5, day_of_week="mon")
    others = [make_partnership() for _ in range(5)]
    Partnership.objects.filter(pk__in=[p.pk for p in others]).update(benchmark_opt_in=True)
    for n, partnership in enumerate(others):
        hold_session(partnership, [1 + n, 1 + n, 1 + n], closed_at=MONDAY - datetime.timedelta(days=2))
    with time_machine.travel(MONDAY.replace(hour=0, minute=5), tick=False):
        first = tasks.take_benchmark_snapshot()
        again = tasks.take_benchmark_snapshot()  # a second beat started by mistake
    assert first == again == {"week": MONDAY.date().isoformat(), "samenwerkingsverbanden": 5}
    assert BenchmarkSnapshot.objects.filter(week=MONDAY.date()).count() == 1
    # The page of the week reads that snapshot; it makes none of its own.
    viewer = make_partnership()
    Partnership.objects.filter(pk=viewer.pk).update(benchmark_opt_in=True)
    theme = ReflectionTheme.objects.order_by("sort_order").first().pk
    assert dict(seen(viewer, MONDAY + datetime.timedelta(days=3)))[theme].n == 5
    assert BenchmarkSnapshot.objects.count() == 1
