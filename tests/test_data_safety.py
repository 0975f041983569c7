"""Nothing is lost silently: partnerships and organisations that hold history cannot be deleted, only
archived; what a deleted person wrote stays."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from actieplan.reminders import scan as reminders
from actieplan.models import Action, ActionUpdate, Organisation, Partnership, ReflectionSession, Reminder
from tests.factories import action_form_data, make_action, make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(people):
    action = make_action(people.partnership, people.owner, title="Warme overdracht vso-mbo regelen")
    ActionUpdate.objects.create(action=action, author=people.werkgroeplid, note="Eerste gesprek gevoerd.")
    ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie voorjaar")
    return action


def test_deleting_a_partnership_with_actions_is_refused_in_dutch_and_offers_archive(client, admin_user, people, held):
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_actieplan_partnership:delete", args=[people.partnership.pk])
    html = client.get(url).content.decode()
    assert "Dit kan niet worden verwijderd" in html
    assert "1 actie" in html and "1 voortgangsnotitie in de tijdlijn" in html and "1 reflectiesessie" in html
    assert "Archiveren" in html
    response = client.post(url)
    assert response.status_code == 200
    assert Partnership.objects.filter(pk=people.partnership.pk).exists()
    assert Action.objects.filter(pk=held.pk).exists() and ActionUpdate.objects.filter(action=held).exists()


def test_bulk_delete_of_partnerships_is_refused_too(client, admin_user, people, held):
    client.force_login(admin_user)
    url = reverse("wagtail_bulk_action", args=["actieplan", "partnership", "delete"]) + f"?id={people.partnership.pk}"
    assert "Dit kan niet worden verwijderd" in client.get(url).content.decode()
    client.post(url)
    assert Partnership.objects.filter(pk=people.partnership.pk).exists()


def test_the_database_refuses_too(people, held):
    with pytest.raises(ProtectedError):
        people.partnership.delete()
    with pytest.raises(ProtectedError):
        held.owner_organisation.delete()


def test_deleting_an_organisation_with_actions_is_refused_and_keeps_the_actions_organisation(
        client, admin_user, people, held):
    client.force_login(admin_user)
    org = people.organisation
    url = reverse("wagtailsnippets_actieplan_organisation:delete", args=[org.pk])
    html = client.get(url).content.decode()
    assert "Dit kan niet worden verwijderd" in html and "1 actie" in html and "lidmaatschappen" in html
    client.post(url)
    assert Organisation.objects.filter(pk=org.pk).exists()
    held.refresh_from_db()
    assert held.owner_organisation_id == org.pk


def test_an_empty_partnership_can_still_be_deleted(client, admin_user):
    empty = make_partnership("Leeg verband")
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_actieplan_partnership:delete", args=[empty.pk])
    assert "Dit kan niet worden verwijderd" not in client.get(url).content.decode()
    client.post(url)
    assert not Partnership.objects.filter(pk=empty.pk).exists()


def test_archived_partnership_leaves_lists_and_reminders_and_keeps_history(client, admin_user, people, held):
    client.force_login(admin_user)
    response = client.post(reverse("actieplan_archive_partnership", args=[people.partnership.pk]), follow=True)
    assert "is gearchiveerd" in response.content.decode()
    people.partnership.refresh_from_db()
    assert people.partnership.archived

    client.force_login(people.werkgroeplid)
    assert "Warme overdracht vso-mbo regelen" not in client.get(reverse("actieplan:action_list")).content.decode()
    client.force_login(people.owner)
    assert "Warme overdracht vso-mbo regelen" not in client.get(reverse("actieplan:action_list")).content.decode()

    # Due tomorrow, overdue, … : an archived partnership gets no reminder at all.
    held.deadline = timezone.localdate() - datetime.timedelta(days=10)
    held.save()
    before = set(Reminder.objects.values_list("pk", flat=True))
    reminders.scan(digests=True)
    assert not Reminder.objects.exclude(pk__in=before).exists()
    assert Action.objects.filter(pk=held.pk).exists() and held.updates.count() == 1
    # The platform admin still finds it in the admin (history is kept there).
    client.force_login(admin_user)
    assert client.get(reverse("actieplan_actions:inspect", args=[held.pk])).status_code == 200


def test_active_partnership_still_gets_reminders(people, held):
    held.deadline = timezone.localdate() - datetime.timedelta(days=10)
    held.save()
    before = set(Reminder.objects.values_list("pk", flat=True))
    reminders.scan()
    assert Reminder.objects.exclude(pk__in=before).filter(action=held).exists()


def test_what_a_deleted_person_wrote_stays(people, held):
    get_user_model().objects.filter(pk=people.werkgroeplid.pk).delete()
    note = ActionUpdate.objects.get(action=held)
    assert note.note == "Eerste gesprek gevoerd." and note.author is None


def test_deleting_an_owner_in_the_admin_is_refused_not_a_server_error(client, admin_user, people, held):
    client.force_login(admin_user)
    url = reverse("wagtailusers_users:delete", args=[people.owner.pk])
    response = client.post(url, follow=True)
    assert response.status_code < 500
    assert get_user_model().objects.filter(pk=people.owner.pk).exists()
    assert Action.objects.filter(pk=held.pk, owner=people.owner).exists()


def test_an_organisation_with_actions_is_archived_instead_and_no_longer_offered(client, admin_user, people, held):
    from wagtail.models import ModelLogEntry

    from actieplan.models import Membership, Role
    from tests.factories import add_member, make_organisation

    org = people.organisation
    other = make_organisation(people.partnership)
    add_member(people.partnership, people.outsider, other, Role.DEELNEMER)
    client.force_login(admin_user)
    html = client.get(reverse("wagtailsnippets_actieplan_organisation:delete", args=[org.pk])).content.decode()
    assert "Archiveer de organisatie" in html and reverse("actieplan_archive_organisation", args=[org.pk]) in html
    response = client.post(reverse("actieplan_archive_organisation", args=[org.pk]), follow=True)
    assert "is gearchiveerd" in response.content.decode()
    org.refresh_from_db()
    assert org.archived
    assert ModelLogEntry.objects.filter(object_id=str(org.pk), action="actieplan.gearchiveerd").exists()
    # Archiving twice changes nothing and logs once.
    client.post(reverse("actieplan_archive_organisation", args=[org.pk]))
    assert ModelLogEntry.objects.filter(object_id=str(org.pk), action="actieplan.gearchiveerd").count() == 1

    # A new action is no longer offered the archived organisation; the existing action keeps it and still saves.
    client.force_login(people.werkgroeplid)
    offered = client.get(reverse("actieplan:action_create")).context["form"].fields["owner_organisation"].queryset
    assert other in offered and org not in offered
    edit = client.get(reverse("actieplan:action_edit", args=[held.pk])).context["form"]
    assert org in edit.fields["owner_organisation"].queryset
    data = action_form_data(held, title="Warme overdracht vso-mbo regelen (met Summa)", owner_organisation=org.pk)
    assert client.post(reverse("actieplan:action_edit", args=[held.pk]), data).status_code == 302
    held.refresh_from_db()
    assert held.title.endswith("(met Summa)") and held.owner_organisation_id == org.pk
    response = client.post(reverse("actieplan:action_create"), {**data, "title": "Nieuwe actie"})
    assert response.status_code == 200 and "owner_organisation" in response.context["form"].errors
    assert not Action.objects.filter(title="Nieuwe actie").exists()

    # In the admin: a new membership cannot name it, the existing ones keep it.
    client.force_login(admin_user)
    form = client.get(reverse("wagtailsnippets_actieplan_membership:add")).context["form"]
    assert org not in form.fields["organisation"].queryset and other in form.fields["organisation"].queryset
    kept = Membership.objects.filter(organisation=org).first()
    form = client.get(reverse("wagtailsnippets_actieplan_membership:edit", args=[kept.pk])).context["form"]
    assert org in form.fields["organisation"].queryset
