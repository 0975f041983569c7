"""One place per rule, and one way to cache: what a reader of the figures relies on.

- each rule the figures count by (overdue, agreed, done, done on time) is one filter next to the model, and its
  Python form for a single action selects exactly the same rows (hypothesis over generated plans);
- every cached thing hangs on a version in the database that a change moves when it commits, for every page
  class Wagtail saves, and an unreachable cache only makes a page slower, never wrong.
"""

import datetime

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.models import (
    ACTIVE_STATUSES, Action, ActionStatus, ActionUpdate, agreed_q, done_on_time_q, is_overdue, overdue_q,
)
from tests.factories import make_action
from tests.meeting_factories import make_meeting

STATUSES = [s.value for s in ActionStatus]

plan = st.lists(st.fixed_dictionaries({
    "status": st.sampled_from(STATUSES),
    "deadline": st.integers(-40, 40),
    "completed": st.integers(-60, 60),
    # Deadline moves recorded on the timeline: (days after creation, new deadline offset).
    "moves": st.lists(st.tuples(st.integers(0, 30), st.integers(-40, 60)), max_size=3),
}), min_size=1, max_size=12)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan)
def test_each_rule_selects_what_its_plain_words_say(people, rows):
    today = timezone.localdate()
    with transaction.atomic():
        expected = {"overdue": set(), "agreed": set(), "on_time": set()}
        for row in rows:
            first_deadline = today + datetime.timedelta(days=row["deadline"])
            action = make_action(people.partnership, people.owner, deadline=today + datetime.timedelta(days=40))
            deadline = first_deadline
            created = timezone.now() - datetime.timedelta(days=90)
            for n, (after, offset) in enumerate(sorted(row["moves"])):
                new = today + datetime.timedelta(days=offset)
                ActionUpdate.objects.create(action=action, author=people.owner, note="Verschoven",
                                            created_at=created + datetime.timedelta(days=after, minutes=n),
                                            previous_deadline=deadline, new_deadline=new)
                deadline = new
            completed = (timezone.now() + datetime.timedelta(days=row["completed"])
                         if row["status"] == ActionStatus.AFGEROND else None)
            Action.objects.filter(pk=action.pk).update(status=row["status"], deadline=deadline,
                                                       completed_at=completed, created_at=created)
            action.refresh_from_db()
            # The rules in plain words.
            if row["status"] in ACTIVE_STATUSES and deadline < today:
                expected["overdue"].add(action.pk)
            if row["status"] != ActionStatus.VERVALLEN:
                expected["agreed"].add(action.pk)
            if completed is not None and timezone.localtime(completed).date() <= first_deadline:
                expected["on_time"].add(action.pk)
            assert action.is_overdue == (action.pk in expected["overdue"])
            assert is_overdue(action.status, action.deadline, today) == action.is_overdue
        actions = Action.objects.filter(partnership=people.partnership)
        assert set(actions.filter(overdue_q(today)).values_list("pk", flat=True)) == expected["overdue"]
        assert set(actions.filter(agreed_q()).values_list("pk", flat=True)) == expected["agreed"]
        assert set(actions.filter(done_on_time_q()).values_list("pk", flat=True)) == expected["on_time"]
        # The summary above the list and the Voortgang figures count by the same rules.
        summary, figures = counts.summary(actions, today), counts.figures(actions, today)
        assert summary.overdue == figures.overdue == len(expected["overdue"])
        assert summary.done_on_time == figures.done_on_time == len(expected["on_time"])
        assert figures.agreed == len(expected["agreed"])
        transaction.set_rollback(True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_a_page_of_any_class_moves_the_versions_of_what_shows_pages(people):
    """Django signals the concrete class (a good practice), never ``Page``: the hooks follow subclasses."""
    from good_practices.models import GoodPracticeIndexPage, GoodPracticePage
    from tests.factories import publish_section

    library = publish_section(GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard"))
    before = {name: caching.version(name) for name in ("blocks", "library")}
    practice = GoodPracticePage(title="Gastlessen", summary="Werkgevers geven les.")
    library.add_child(instance=practice)
    after_create = {name: caching.version(name) for name in before}
    assert all(after_create[name] > before[name] for name in before)
    practice.save_revision().publish()
    assert all(caching.version(name) > after_create[name] for name in before)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_moves_the_version_when_it_commits_and_a_rollback_moves_nothing(people):
    # A new action concerns its partnership's reports (the scope), a new meeting every report (the whole name).
    scopes = [caching.partnership_scope(people.partnership.pk)]

    def current():
        return caching.version("progress"), caching.scoped_versions("progress", scopes)[0][1]

    whole, scoped = before = current()
    caching.store("progress", ("x",), "oud", scopes=scopes)
    outside = caching.key("progress", "x", scopes=scopes)
    with transaction.atomic():
        make_action(people.partnership, people.owner)
        assert caching.key("progress", "x", scopes=scopes) != outside, "inside the change, its own reads skip the cache"
        assert caching.cached("progress", ("x",), scopes=scopes) is None
    assert current() == (whole, scoped + 1)
    with transaction.atomic():
        make_meeting(people.partnership, title="Werkgroep stagebank")
        assert caching.version("progress") != whole
    assert current() == (whole + 1, scoped + 1)
    committed = current()
    with transaction.atomic():
        make_action(people.partnership, people.owner)
        make_meeting(people.partnership, title="Werkgroep stagebank")
        transaction.set_rollback(True)
    assert current() == committed != before


class UnreachableCache(LocMemCache):
    """A cache server that does not answer (Redis restarting)."""

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    set = add = delete = get


@pytest.mark.django_db
def test_an_unreachable_cache_gives_the_figures_computed_not_an_error(people):
    make_action(people.partnership, people.owner)
    computed = []

    def compute():
        computed.append(1)
        return counts.total(Action.objects.all())

    with override_settings(CACHES={"default": {"BACKEND": "tests.test_one_place.UnreachableCache"}}):
        assert caching.get_or_compute("test", ("total",), compute) == 1
        assert caching.get_or_compute("test", ("total",), compute) == 1
    assert computed == [1, 1]
