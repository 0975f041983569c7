"""Each rule of the permission policy has two forms, and they must agree for everyone.

`actieplan/partnerships/permissions.py` answers "may this person read this?" one object at a time (a page, a
mail, a feed) and as a filter for many at once (a list, a count, a search). A difference between the two is a
page that links to what it then refuses, or a count that includes what nobody may open. Over generated
platforms (memberships in any role of any partnership, an archived partnership, deactivated accounts and
superusers, actions owned across organisations, meetings with chairs, invitees and decisions), each per-object
answer is checked against its filter:

- ``can_view_action`` against ``visible_actions_filter``;
- ``can_view_meeting`` against ``visible_meetings_filter``;
- ``can_read_reflection`` against ``readable_reflection_filter``;
- ``can_manage_partnership`` against ``manageable_partnerships``.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.actions.models import Action
from actieplan.meetings.models import Decision, Meeting
from actieplan.partnerships import permissions
from actieplan.partnerships.models import Partnership, Role
from tests.factories import add_member, make_action, make_organisation, make_partnership, make_user
from tests.meeting_factories import make_item, make_meeting

USERS = 5
ROLES = [None, *Role.values]

platforms = st.fixed_dictionaries({
    "archived": st.booleans(),
    "people": st.lists(st.fixed_dictionaries({
        "superuser": st.sampled_from([False, False, False, True]),
        "active": st.sampled_from([True, True, True, False]),
        "roles": st.tuples(st.sampled_from(ROLES), st.sampled_from(ROLES)),
        "organisations": st.tuples(st.integers(0, 1), st.integers(0, 1)),
    }), min_size=USERS, max_size=USERS),
    "actions": st.lists(st.tuples(st.integers(0, 1), st.integers(0, USERS - 1), st.sampled_from([None, 0, 1])),
                        min_size=1, max_size=6),
    "meetings": st.lists(st.fixed_dictionaries({
        "partnership": st.integers(0, 1),
        "chair": st.sampled_from([None, *range(USERS)]),
        "invited": st.sets(st.integers(0, USERS - 1), max_size=3),
        "decision_for": st.sampled_from([None, *range(USERS)]),
    }), min_size=1, max_size=4),
})


def build(spec):
    partnerships = [make_partnership(), make_partnership()]
    if spec["archived"]:
        Partnership.objects.filter(pk=partnerships[1].pk).update(archived=True)
    organisations = [make_organisation(partnerships[0]), make_organisation(partnerships[1])]
    for organisation in organisations:
        organisation.partnerships.set(partnerships)
    people = []
    for person in spec["people"]:
        user = make_user(is_superuser=person["superuser"], is_active=person["active"])
        for index, role in enumerate(person["roles"]):
            if role is not None:
                add_member(partnerships[index], user, organisations[person["organisations"][index]], role)
        people.append(user)
    actions = []
    for partnership, owner, organisation in spec["actions"]:
        actions.append(make_action(partnerships[partnership], people[owner],
                                   owner_organisation=None if organisation is None else organisations[organisation]))
    meetings = []
    for row in spec["meetings"]:
        meeting = make_meeting(partnerships[row["partnership"]],
                               chair=None if row["chair"] is None else people[row["chair"]],
                               invited=[people[i] for i in row["invited"]])
        if row["decision_for"] is not None:
            action = make_action(partnerships[row["partnership"]], people[row["decision_for"]])
            Decision.objects.create(item=make_item(meeting), text="Afgesproken", action=action)
            actions.append(action)
        meetings.append(meeting)
    return partnerships, people, actions, meetings


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(platforms)
def test_the_per_object_rules_and_their_filters_agree_for_everyone(spec):
    with transaction.atomic():
        partnerships, people, actions, meetings = build(spec)
        for user in people:
            visible = set(Action.objects.filter(permissions.visible_actions_filter(user)).values_list("pk", flat=True))
            assert {a.pk for a in actions if permissions.can_view_action(user, a)} == visible & {a.pk for a in actions}
            shown = set(Meeting.objects.filter(permissions.visible_meetings_filter(user)).values_list("pk", flat=True))
            assert {m.pk for m in meetings if permissions.can_view_meeting(user, m)} == shown
            readable = set(Partnership.objects.filter(permissions.readable_reflection_filter(user, "pk"))
                           .values_list("pk", flat=True))
            assert {p.pk for p in partnerships if permissions.can_read_reflection(user, p.pk)} == readable & {
                p.pk for p in partnerships}
            manageable = set(permissions.manageable_partnerships(user).values_list("pk", flat=True))
            assert {p.pk for p in partnerships if permissions.can_manage_partnership(user, p.pk)} == manageable
        transaction.set_rollback(True)
