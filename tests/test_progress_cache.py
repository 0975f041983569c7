"""The Voortgang report is cached per partnership, and true after every change.

Its cache entry holds the version of the whole name ``progress`` (meetings, decisions, reflection answers, themes)
and of its partnership's scope (its actions, their notes, the partnership itself: ``progress.report.scopes_of``).
A note in another partnership leaves the report cached; any change it shows makes it stale, including an action
that moves out of or into the partnership. Real commits here (``transaction=True``): inside an open transaction the
cache is skipped.
"""

import itertools

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.actions import services
from actieplan.actions.queries import selected
from actieplan.models import Action, ActionStatus
from actieplan.progress import report as progress_report
from actieplan.progress.demo import ensure_progress_page
from tests.factories import make_action, make_people
from tests.meeting_factories import make_meeting

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PREFIXES = (f"v{n}" for n in itertools.count())


def reports(page, reader, now):
    """The report as the page gets it (from the cache when it is there) and as computed now without the cache."""
    request = RequestFactory().get(page.url)
    request.user = reader
    filterset = progress_report.filterset_for(page, request)
    shown = dict(progress_report.build_report(page, filterset, now))
    today = timezone.localtime(now).date()
    fresh = progress_report._compute(page, selected(filterset), filterset.clean_values(), now, today)
    return {k: v for k, v in shown.items() if k != "key"}, fresh


def platform():
    """Two partnerships, each with its Voortgang page, a bestuurder who reads it and an action."""
    cache.clear()
    a, b = make_people(next(PREFIXES)), make_people(next(PREFIXES))
    pages = {"a": ensure_progress_page(a.partnership, title="Voortgang", slug=f"voortgang-{a.partnership.slug}"),
             "b": ensure_progress_page(b.partnership, title="Voortgang", slug=f"voortgang-{b.partnership.slug}")}
    actions = {"a": make_action(a.partnership, a.owner, created_by=a.procesbewaker, title="Stagebank vullen"),
               "b": make_action(b.partnership, b.owner, created_by=b.procesbewaker, title="Gastlessen plannen")}
    return {"a": a, "b": b}, pages, actions


steps = st.lists(st.one_of(
    st.tuples(st.just("note"), st.sampled_from("ab")),
    st.tuples(st.just("done"), st.sampled_from("ab")),
    st.tuples(st.just("new"), st.sampled_from("ab")),
    st.tuples(st.just("move"), st.sampled_from("ab")),
    st.tuples(st.just("rename"), st.sampled_from("ab")),
    st.tuples(st.just("meeting"), st.sampled_from("ab")),
), min_size=1, max_size=7)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_the_cached_report_is_the_report_after_every_change(steps):
    people, pages, _actions = platform()
    now = timezone.now()
    for where in "ab":
        shown, fresh = reports(pages[where], people[where].bestuurder, now)
        assert shown == fresh  # cached from here on
    for kind, where in steps:
        other = "b" if where == "a" else "a"
        action = Action.objects.filter(partnership=people[where].partnership).order_by("-pk").first()
        if action is None and kind in ("note", "done", "move"):
            continue
        if kind == "note":
            services.add_update(action, people[where].procesbewaker, "Gebeld met de werkgevers over de stagebank.")
        elif kind == "done" and action.is_active:
            services.add_update(action, action.owner, "Afgerond.", new_status=ActionStatus.AFGEROND)
        elif kind == "new":
            make_action(people[where].partnership, people[where].owner, created_by=people[where].procesbewaker,
                        title="Warme overdracht")
        elif kind == "move":  # the action moves to the other partnership (and is that one's from now on)
            action.partnership = people[other].partnership
            action.owner = people[other].owner
            action.owner_organisation = None
            action.save()
        elif kind == "rename":
            partnership = people[where].partnership
            partnership.name = f"{partnership.name} (nieuw)"
            partnership.save()
        elif kind == "meeting":
            make_meeting(people[where].partnership, title="Bestuurlijk overleg")
        for page in "ab":
            shown, fresh = reports(pages[page], people[page].bestuurder, now)
            assert shown == fresh, (kind, where, page)


def test_a_note_in_another_partnership_leaves_the_report_cached():
    people, pages, actions = platform()
    now = timezone.now()
    reader = people["a"].bestuurder
    shown, _fresh = reports(pages["a"], reader, now)
    assert shown["figures"].agreed == 1
    services.add_update(actions["b"], people["b"].owner, "Werkgevers in de zorg doen mee.")
    request = RequestFactory().get(pages["a"].url)
    request.user = reader
    filterset = progress_report.filterset_for(pages["a"], request)
    with CaptureQueriesContext(connection) as queries:
        progress_report.build_report(pages["a"], filterset, now)
    # Only the versions (of the whole names and of the partnership's scope) were read: the report came from the
    # cache. Before the scopes, this note made every partnership's report cold (332 ms at 400,000 actions).
    assert queries.captured_queries and all("actieplan_cacheversion" in q["sql"]
                                            for q in queries.captured_queries), queries.captured_queries
    make_action(people["a"].partnership, people["a"].owner)
    shown, fresh = reports(pages["a"], reader, now)
    assert shown == fresh and shown["figures"].agreed == 2
