"""The header's number "Sinds je laatste bezoek" is cached per person, and true after every change.

Its cache entry holds the version of what it depends on: the whole name ``following`` (meetings, pages, people,
memberships) and, per scope, the person's own follows and settings and each of their partnerships' actions
(``following.rules.scopes_of``). A note in another partnership leaves the number cached; any change it counts
makes it stale. Real commits here (``transaction=True``): inside an open transaction the cache is skipped.
"""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.actions import services
from actieplan.following import since
from actieplan.models import Follow, FollowReason, MandateLevel, Role
from tests.factories import add_member, make_action, make_people, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PREFIXES = (f"c{n}" for n in itertools.count())


def fresh(user):
    """The number computed now, without the cache."""
    moment = since.since_moment(user)
    return since.changes(user, moment).order_by().count() + since.became_overdue(user, moment).order_by().count()


def platform():
    """Two partnerships; a reader in each, one in both, a procesbewaker in each (who follows the actions they
    create), and a superuser."""
    a, b = make_people(next(PREFIXES)), make_people(next(PREFIXES))
    both = make_user(f"{next(PREFIXES)}_beide")
    add_member(a.partnership, both, a.organisation, Role.WERKGROEPLID, MandateLevel.UITVOEREND)
    add_member(b.partnership, both, b.organisation, Role.WERKGROEPLID, MandateLevel.UITVOEREND)
    admin = get_user_model().objects.create_superuser(f"{next(PREFIXES)}_admin", "admin@example.nl", None)
    actions = {"a": make_action(a.partnership, a.owner, created_by=a.procesbewaker),
               "b": make_action(b.partnership, b.owner, created_by=b.procesbewaker)}
    readers = [a.werkgroeplid, b.werkgroeplid, both, a.procesbewaker, b.procesbewaker, admin]
    return a, b, actions, readers


steps = st.lists(st.one_of(
    st.tuples(st.just("note"), st.sampled_from("ab"), st.booleans()),
    st.tuples(st.just("new"), st.sampled_from("ab"), st.booleans()),
    st.tuples(st.just("seen"), st.integers(0, 5), st.booleans()),
    st.tuples(st.just("follow"), st.integers(0, 5), st.sampled_from("ab")),
    st.tuples(st.just("move"), st.sampled_from("ab"), st.booleans()),
), min_size=1, max_size=8)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps)
def test_the_cached_number_is_the_number_after_every_change(steps):
    a, b, actions, readers = platform()
    people = {"a": a, "b": b}
    for reader in readers:
        assert since.count(reader) == fresh(reader)  # cached from here on
    for kind, where, flag in steps:
        if kind == "note":
            author = people[where].owner if flag else people[where].procesbewaker
            services.add_update(actions[where], author, "Gebeld met de werkgevers over de stagebank.")
        elif kind == "new":
            actions[where] = make_action(people[where].partnership, people[where].owner,
                                         created_by=people[where].procesbewaker)
        elif kind == "seen":
            since.mark_read(readers[where])
        elif kind == "follow":
            Follow.objects.get_or_create(user=readers[where], action=actions[flag], defaults={"reason": FollowReason.CHOSEN})
        elif kind == "move":  # the action moves to the other partnership
            other = "b" if where == "a" else "a"
            action = type(actions[where]).objects.get(pk=actions[where].pk)
            action.partnership = people[other].partnership
            action.save()
            services.add_update(action, people[other].procesbewaker, "Verhuisd naar het andere verband.")
        for reader in readers:
            assert since.count(reader) == fresh(reader), (kind, where, flag, reader.username)


def test_a_note_in_another_partnership_leaves_the_number_cached():
    a, b, actions, _readers = platform()
    reader = a.procesbewaker  # follows the action they created
    services.add_update(actions["a"], a.owner, "Eerste gesprek met het ROC gevoerd.")
    assert since.count(reader) == fresh(reader) == 1
    services.add_update(actions["b"], b.owner, "Werkgevers in de zorg doen mee.")
    with CaptureQueriesContext(connection) as queries:
        assert since.count(reader) == 1
    # Only the versions (of the whole names and of the reader's scopes) were read: the number came from the cache.
    assert all("actieplan_cacheversion" in q["sql"] for q in queries.captured_queries), queries.captured_queries
    services.add_update(actions["a"], a.owner, "Tweede gesprek gepland.")
    assert since.count(reader) == fresh(reader) == 2
