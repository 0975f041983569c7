"""The reminder log in the Wagtail admin: operators can read it, nobody can change it."""

import datetime

import pytest
from django.utils import timezone

from actieplan.reminders import scan as reminders
from actieplan.models import Reminder
from tests.factories import make_action, make_user


@pytest.fixture
def logged(people):
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    make_action(people.partnership, people.owner, deadline=deadline, title="Loopbaandossier invoeren")
    reminders.scan(digests=False)
    return Reminder.objects.get(kind="voor-deadline")


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("beheer", is_superuser=True, is_staff=True))
    return client


def test_superuser_reads_filters_searches_and_inspects_the_log(admin_client, logged):
    listing = admin_client.get("/admin/actieplan/herinneringen/")
    assert listing.status_code == 200
    assert "Loopbaandossier invoeren" in listing.content.decode()
    waiting = admin_client.get("/admin/actieplan/herinneringen/?state=wacht&q=Loopbaandossier").content.decode()
    assert "Loopbaandossier invoeren" in waiting
    assert "Loopbaandossier invoeren" not in admin_client.get(
        "/admin/actieplan/herinneringen/?state=verstuurd").content.decode()
    inspect = admin_client.get(f"/admin/actieplan/herinneringen/inspect/{logged.pk}/")
    assert inspect.status_code == 200 and logged.key in inspect.content.decode()


def test_nobody_can_add_change_or_delete_log_rows(admin_client, logged):
    for url in ("/admin/actieplan/herinneringen/new/", f"/admin/actieplan/herinneringen/edit/{logged.pk}/",
                f"/admin/actieplan/herinneringen/delete/{logged.pk}/"):
        response = admin_client.get(url)
        assert response.status_code in (302, 403), url
    admin_client.post(f"/admin/actieplan/herinneringen/delete/{logged.pk}/")
    assert Reminder.objects.filter(pk=logged.pk).exists()


def test_people_without_rights_do_not_see_the_log(client, people, logged):
    client.force_login(people.procesbewaker)
    response = client.get("/admin/actieplan/herinneringen/")
    assert response.status_code in (302, 403)
