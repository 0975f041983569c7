"""The reflectietool's demo: three sessions over two years that tell a believable story."""

import io

import pytest

from actieplan.reflection import demo as demo
from actieplan.models import Action, ReflectionResponse, ReflectionScore, ReflectionSession, Role
from tests.factories import add_member, make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_partnership():
    """The demo partnership as the partnership loader makes it (looked up by slug), with a few members."""
    from actieplan.models import MandateLevel, Partnership

    partnership = Partnership.objects.filter(slug=demo.PARTNERSHIP_SLUG).first()
    if partnership is None:
        partnership = make_partnership("VSV-regio 37 Zuidoost-Brabant")
        partnership.slug = demo.PARTNERSHIP_SLUG
        partnership.save()
    org = make_organisation(partnership)
    add_member(partnership, make_user(), org, Role.PROCESBEWAKER, MandateLevel.MANAGEMENT)
    add_member(partnership, make_user(), org, Role.BESTUURDER, MandateLevel.BESTUURLIJK)
    add_member(partnership, make_user(), org, Role.WERKGROEPLID, MandateLevel.UITVOEREND)
    return partnership


def _counts():
    return (ReflectionSession.objects.count(), ReflectionResponse.objects.count(), ReflectionScore.objects.count(),
            Action.objects.count())


def test_three_sessions_over_two_years_show_daadkracht_and_monitoring_improving(demo_partnership):
    out = io.StringIO()
    demo.load(out)
    sessions = list(ReflectionSession.objects.filter(partnership=demo_partnership).order_by("date"))
    assert len(sessions) == 3
    assert 600 <= (sessions[-1].date - sessions[0].date).days <= 731
    assert all(8 <= s.responses.count() <= 12 for s in sessions)
    assert all(r.user is None for r in ReflectionResponse.objects.filter(session__in=sessions))
    assert [s.is_open for s in sessions] == [False, False, True]

    means = [demo.theme_means(s) for s in sessions]
    for theme in ("Daadkracht", "Monitoring"):
        assert means[0][theme] < means[1][theme] < means[2][theme], (theme, means)
    first = means[0]
    assert set(sorted(first, key=first.get)[:2]) == {"Monitoring", "Daadkracht"}  # weakest at the start
    assert ReflectionScore.objects.filter(response__session=sessions[0]).exclude(comment="").count() >= 8

    sourced = Action.objects.filter(source_session__in=sessions)
    assert 3 <= sourced.count() <= 5
    assert {a.theme.slug for a in sourced.filter(source_session=sessions[0])} == {"daadkracht", "monitoring"}
    assert all(a.question.theme_id == a.theme_id for a in sourced)


def test_loading_twice_changes_nothing_and_scores_are_deterministic(demo_partnership):
    demo.load(io.StringIO())
    first = _counts()
    means = demo.theme_means(ReflectionSession.objects.order_by("date").first())
    demo.load(io.StringIO())
    assert _counts() == first

    ReflectionSession.objects.all().delete()
    demo.load(io.StringIO())
    assert demo.theme_means(ReflectionSession.objects.order_by("date").first()) == means


def test_without_the_demo_partnership_the_loader_says_so_and_creates_nothing():
    out = io.StringIO()
    demo.load(out)
    assert "ontbreekt" in out.getvalue()
    assert not ReflectionSession.objects.exists()


def test_demo_answer_sets_carry_partner_kinds_so_the_gap_and_the_trend_show_something(demo_partnership):
    from actieplan.reflection.results import perception_gaps
    from actieplan.reflection.views import over_time

    demo.load(io.StringIO())
    sessions = list(ReflectionSession.objects.filter(partnership=demo_partnership).order_by("date"))
    for session in sessions:
        kinds = list(session.responses.values_list("partner_kind", flat=True))
        assert all(kinds) and all(kinds.count(k) >= 3 for k in set(kinds))
    # The latest demo session is still open: the score per kind of partner waits until it is closed.
    assert perception_gaps(sessions[-1])["open"] and not perception_gaps(sessions[-1])["kinds"]
    sessions[-1].close()
    gaps = perception_gaps(sessions[-1])
    assert [kind for kind, _label in gaps["kinds"]] == ["gemeente", "school", "werkgever"]
    assert "Betrokken partners" in [t.name for t in gaps["flagged"]]  # employers feel less involved

    from django.contrib.auth import get_user_model
    admin = get_user_model().objects.create_superuser("demo-admin", "a@example.org", "x")
    trend = over_time(type("R", (), {"user": admin})(), sessions[-1])
    assert len(trend["sessions"]) == 3
    daad = next(r for r in trend["themes"] if r.name == "Daadkracht")
    assert daad.since_first > 1
    assert any(e["figures"].done for e in trend["effects"])  # the kernteam and the monitor were finished
