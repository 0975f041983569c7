"""The demo shows a real partnership of source 003 with people in every role and ~30 actions that tell a story."""

import io

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from actieplan.actions import demo as demo_actions
from actieplan.partnerships import demo as demo_partnership
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, MandateLevel, Membership, Organisation, OrganisationType, Partnership, Region,
    Role,
)

pytestmark = pytest.mark.django_db


def load_twice():
    out = io.StringIO()
    demo_partnership.load(out)
    demo_actions.load(out)
    first = out.getvalue()
    counts = _counts()
    out2 = io.StringIO()
    demo_partnership.load(out2)
    demo_actions.load(out2)
    return first, out2.getvalue(), counts


def _counts():
    return {model.__name__: model.objects.count()
            for model in (Region, Partnership, Organisation, Membership, Action, ActionUpdate)}


def test_loader_creates_the_partnership_people_and_actions_and_twice_duplicates_nothing():
    first_output, second_output, counts = load_twice()
    assert _counts() == counts
    assert "lob-demo-2026" in first_output and "lob-demo-2026" not in second_output

    partnership = Partnership.objects.get(name="VSV-regio 37 Zuidoost-Brabant")
    assert "sluitende aanpak" in partnership.description
    assert set(partnership.regions.values_list("name", flat=True)) == {
        "Eindhoven", "Kempengemeenten", "Helmond", "Peellandgemeenten"}
    types = set(partnership.organisations.values_list("organisation_type", flat=True))
    assert {OrganisationType.PRO, OrganisationType.VSO, OrganisationType.VO, OrganisationType.MBO_34,
            OrganisationType.MBO_ENTREE, OrganisationType.GEMEENTE, OrganisationType.SOCIAAL_WERKBEDRIJF,
            OrganisationType.LEERWERKLOKET, OrganisationType.WERKGEVER} <= types
    assert {"Summa College", "ROC ter Aa", "Praktijkschool Eindhoven"} <= set(
        partnership.organisations.values_list("name", flat=True))
    assert set(partnership.organisations.values_list("region__name", flat=True)) == {
        "Eindhoven", "Kempengemeenten", "Helmond", "Peellandgemeenten"}


def test_people_in_every_role_with_groups_and_the_demo_password():
    load_twice()
    memberships = Membership.objects.filter(partnership__slug=demo_partnership.PARTNERSHIP_SLUG).select_related("user")
    assert set(memberships.values_list("role", flat=True)) == set(Role.values)
    deelnemer_levels = set(memberships.filter(role=Role.DEELNEMER).values_list("mandate_level", flat=True))
    assert deelnemer_levels == set(MandateLevel.values)
    for membership in memberships:
        groups = set(membership.user.groups.values_list("name", flat=True))
        if membership.role in (Role.PROCESBEWAKER, Role.WERKGROEPLID):
            assert "Werkgroep" in groups
        elif membership.role == Role.BESTUURDER:
            assert "Bestuurders" in groups
    assert authenticate(username="marieke.vandenheuvel", password="lob-demo-2026") is not None
    assert authenticate(username="lotte.bakker", password="lob-demo-2026") is not None


def test_about_thirty_actions_that_tell_an_honest_story():
    load_twice()
    today = timezone.localdate()
    actions = Action.objects.filter(partnership__slug=demo_partnership.PARTNERSHIP_SLUG)
    assert 28 <= actions.count() <= 35
    assert set(actions.values_list("mandate_level", flat=True)) == set(MandateLevel.values)
    assert actions.values("theme").distinct().count() == 6
    done = actions.filter(status=ActionStatus.AFGEROND)
    on_time = [a for a in done if a.completed_at and timezone.localtime(a.completed_at).date() <= a.deadline]
    late_done = [a for a in done if a.completed_at and timezone.localtime(a.completed_at).date() > a.deadline]
    assert on_time and late_done
    assert actions.overdue(today).count() >= 4  # late stays late: deadlines are relative to today
    assert actions.filter(status=ActionStatus.GEBLOKKEERD).exists()
    for action in actions:
        assert 1 <= action.updates.count() <= 3, action.title
        membership = Membership.objects.get(partnership=action.partnership, user=action.owner)
        assert action.owner_organisation == membership.organisation
    # Every action was created in the audit log, so its history shows in the admin.
    from wagtail.models import ModelLogEntry
    assert ModelLogEntry.objects.filter(action="wagtail.create",
                                        object_id__in=[str(pk) for pk in actions.values_list("pk", flat=True)]
                                        ).count() == actions.count()


def test_full_demo_links_actions_to_good_practices_and_fills_marieke_s_dashboard(client, settings):
    from django.core.management import call_command
    from django.urls import reverse

    settings.DEBUG = True  # the embedded default, where the demo and its published password belong
    call_command("load_demo_content", stdout=io.StringIO())
    action = Action.objects.get(title="Lesmateriaal loopbaanleren voor pro delen in de regio (Talentenmap)")
    assert [p.slug for p in action.linked_pages.all()] == ["talentenmap-praktijkonderwijs"]

    assert client.login(username="marieke.vandenheuvel", password="lob-demo-2026")
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Mijn acties" in html and "Taken, rollen en verantwoordelijkheden in de keten vastleggen" in html
    report = client.get(reverse("actieplan_overdue_report")).content.decode()
    assert "Universele overdrachtslijst vso/pro naar mbo vaststellen" in report
