"""A main action stays open while one of its sub-actions is open, from any side: closing the main action, reopening a
sub-action under a closed main action, moving or adding an open sub-action under a closed one, and both at once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actieplan.actions import services
from actieplan.models import Action, ActionStatus, MandateLevel
from tests.factories import action_form_data, make_action, make_people

pytestmark = pytest.mark.django_db

REFUSED = "Een subactie kan alleen openstaan onder een hoofdactie die nog openstaat"


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def closed_parent(people):
    """A main action that is done, with a sub-action that is done too."""
    parent = make_action(people.partnership, people.owner, title="Doorlopende leerlijn LOB")
    child = make_action(people.partnership, people.owner, title="Leerlijn vo-mbo", parent=parent)
    services.add_update(child, people.owner, "Klaar.", new_status=ActionStatus.AFGEROND)
    services.add_update(parent, people.owner, "Alles klaar.", new_status=ActionStatus.AFGEROND)
    return parent, child


def test_closing_a_main_action_with_an_open_sub_action_is_still_refused(people):
    parent = make_action(people.partnership, people.owner)
    make_action(people.partnership, people.owner, parent=parent)
    with pytest.raises(ValidationError, match="nog 1 openstaande subactie"):
        services.add_update(parent, people.owner, "Klaar.", new_status=ActionStatus.AFGEROND)


def test_reopening_a_sub_action_of_a_closed_main_action_through_a_note_is_refused(client, people, closed_parent):
    parent, child = closed_parent
    client.force_login(people.owner)
    response = client.post(reverse("actieplan:action_detail", args=[child.pk]),
                           {"note": "Toch nog werk.", "new_status": ActionStatus.BEZIG, "seen_status": "afgerond"})
    page = response.content.decode()
    assert REFUSED in page and "Doorlopende leerlijn LOB" in page
    assert Action.objects.get(pk=child.pk).status == ActionStatus.AFGEROND
    assert response.context["form"]["note"].value() == "Toch nog werk."


def test_reopening_it_on_the_board_is_refused(client, people, closed_parent):
    _parent, child = closed_parent
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_status", args=[child.pk]),
                           {"status": ActionStatus.OPEN, "van": ActionStatus.AFGEROND}, follow=True)
    assert REFUSED in response.content.decode()
    assert Action.objects.get(pk=child.pk).status == ActionStatus.AFGEROND


def test_reopening_it_on_the_edit_form_is_refused_on_the_status_field(client, people, closed_parent):
    _parent, child = closed_parent
    client.force_login(people.werkgroeplid)
    data = action_form_data(child, status=ActionStatus.OPEN, parent=child.parent_id, weight="")
    response = client.post(reverse("actieplan:action_edit", args=[child.pk]), data)
    assert response.status_code == 200
    assert REFUSED in " ".join(response.context["form"].errors["status"])
    assert Action.objects.get(pk=child.pk).status == ActionStatus.AFGEROND


def test_reopening_it_in_the_admin_is_refused(client, admin_user, people, closed_parent):
    _parent, child = closed_parent
    client.force_login(admin_user)
    url = reverse("actieplan_actions:edit", args=[child.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}
    data.update(status=ActionStatus.BEZIG, deadline=child.deadline.isoformat(), linked_pages=[])
    response = client.post(url, data)
    assert REFUSED in response.content.decode()
    assert Action.objects.get(pk=child.pk).status == ActionStatus.AFGEROND


def test_an_open_action_cannot_be_moved_or_added_under_a_closed_main_action(people, closed_parent):
    parent, _child = closed_parent
    loose = make_action(people.partnership, people.owner, title="Losse actie")
    loose.parent = parent
    with pytest.raises(ValidationError) as refused:
        loose.full_clean()
    assert REFUSED in " ".join(refused.value.message_dict["parent"])
    new = Action(title="Nieuwe subactie", partnership=people.partnership, theme=parent.theme, owner=people.owner,
                 mandate_level=MandateLevel.UITVOEREND, deadline=day(10), parent=parent)
    with pytest.raises(ValidationError) as refused:
        new.full_clean()
    assert REFUSED in " ".join(refused.value.message_dict["parent"])
    # A finished action may be filed under it.
    done = make_action(people.partnership, people.owner, status=ActionStatus.AFGEROND)
    done.parent = parent
    done.full_clean()


def test_the_front_end_offers_no_closed_main_action_and_no_sub_action_link_on_it(client, people, closed_parent):
    parent, _child = closed_parent
    client.force_login(people.werkgroeplid)
    form = client.get(reverse("actieplan:action_create")).context["form"]
    assert parent not in form.fields["parent"].queryset
    assert "Subactie toevoegen" not in client.get(reverse("actieplan:action_detail", args=[parent.pk])).content.decode()


def test_an_old_violation_does_not_block_editing_the_title(client, people, closed_parent):
    """Data from before the rule (an open sub-action under a closed main action) can still be edited; only a
    change of status or main action is checked."""
    parent, child = closed_parent
    Action.objects.filter(pk=child.pk).update(status=ActionStatus.OPEN)
    child.refresh_from_db()
    client.force_login(people.werkgroeplid)
    data = action_form_data(child, title="Leerlijn vo-mbo (herzien)", parent=parent.pk, weight="")
    assert client.post(reverse("actieplan:action_edit", args=[child.pk]), data).status_code == 302


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_closing_the_main_action_and_reopening_a_sub_action_at_once_never_both_succeed():
    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (row locks); SQLite serialises the whole database")
    people = make_people("e")
    for _round in range(3):
        parent = make_action(people.partnership, people.owner, title="Hoofdactie")
        child = make_action(people.partnership, people.owner, title="Subactie", parent=parent)
        services.add_update(child, people.owner, "Klaar.", new_status=ActionStatus.AFGEROND)
        barrier = threading.Barrier(2)
        outcomes = {}

        def change(name, action, status):
            try:
                barrier.wait(timeout=30)
                services.add_update(Action.objects.get(pk=action.pk), people.owner, name, new_status=status)
                outcomes[name] = "saved"
            except ValidationError:
                outcomes[name] = "refused"
            finally:
                connection.close()

        threads = [threading.Thread(target=change, args=("sluiten", parent, ActionStatus.AFGEROND)),
                   threading.Thread(target=change, args=("heropenen", child, ActionStatus.BEZIG))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        parent.refresh_from_db()
        child.refresh_from_db()
        assert sorted(outcomes.values()) == ["refused", "saved"], outcomes
        assert not (parent.status == ActionStatus.AFGEROND and child.status == ActionStatus.BEZIG)
