"""Role × URL over the admin entry points of our partnership-bound models: listing, choosers, reports,
inspect, edit, delete, history, export. Nobody outside partnership A ever sees A's titles; A's working
group finds them everywhere; no cell is a server error."""

import datetime

import pytest
from django.test import Client
from wagtail.log_actions import log

from actieplan.models import Meeting, ReflectionSession, Region
from tests.factories import make_action

pytestmark = pytest.mark.django_db

A_ACTION = "Warme overdracht vso-mbo regelen"
A_PARTNERSHIP = "VSV-regio Noord-A"
A_ORGANISATION = "ROC Zuidoost-Brabant A"
A_REGION = "Kempen-A"
A_SESSION = "Reflectie voorjaar partnership A"
A_MEETING = "Werkgroepoverleg partnership A"

ROLES = ["anoniem", "buitenstaander", "redacteur", "eigenaar_a", "bestuurder_a", "werkgroeplid_a",
         "procesbewaker_a", "werkgroeplid_b", "procesbewaker_b", "beheerder"]
# Who must find partnership A's objects in the admin (the working group of A, and the platform admin).
FINDS_A = {"werkgroeplid_a", "procesbewaker_a", "beheerder"}
# Who must never see a title of partnership A anywhere in the admin.
NEVER_SEES_A = {"anoniem", "buitenstaander", "redacteur", "eigenaar_a", "werkgroeplid_b", "procesbewaker_b"}

ENTRY_POINTS = [
    # (name, url template, the title that would leak, must the working group of A find it there?)
    ("acties: lijst", "/admin/actieplan/acties/", A_ACTION, True),
    ("acties: lijst zoeken", "/admin/actieplan/acties/results/?q=overdracht", A_ACTION, True),
    ("acties: export csv", "/admin/actieplan/acties/?export=csv", A_ACTION, True),
    ("acties: export xlsx", "/admin/actieplan/acties/?export=xlsx", None, False),
    ("acties: kiezer", "/admin/snippets/choose/actieplan/action/", A_ACTION, True),
    ("acties: kiezer zoeken", "/admin/snippets/choose/actieplan/action/results/?q=overdracht", A_ACTION, True),
    ("acties: gekozen", "/admin/snippets/choose/actieplan/action/chosen/{action}/", A_ACTION, True),
    ("acties: inspecteren", "/admin/actieplan/acties/inspect/{action}/", A_ACTION, True),
    ("acties: bewerken", "/admin/actieplan/acties/edit/{action}/", A_ACTION, True),
    ("acties: verwijderen", "/admin/actieplan/acties/delete/{action}/", A_ACTION, False),
    ("acties: geschiedenis", "/admin/actieplan/acties/history/{action}/", A_ACTION, True),
    ("rapport: verlopen acties", "/admin/reports/verlopen-acties/", A_ACTION, True),
    ("rapport: verlopen acties csv", "/admin/reports/verlopen-acties/?export=csv", A_ACTION, True),
    ("rapport: sitegeschiedenis", "/admin/reports/site-history/", A_ACTION, True),
    ("rapport: sitegeschiedenis csv", "/admin/reports/site-history/?export=csv", A_ACTION, True),
    ("sessies: lijst", "/admin/snippets/actieplan/reflectionsession/", A_SESSION, True),
    ("sessies: kiezer", "/admin/snippets/choose/actieplan/reflectionsession/", A_SESSION, True),
    ("sessies: gekozen", "/admin/snippets/choose/actieplan/reflectionsession/chosen/{session}/", A_SESSION, True),
    ("sessies: inspecteren", "/admin/snippets/actieplan/reflectionsession/inspect/{session}/", A_SESSION, True),
    ("sessies: bewerken", "/admin/snippets/actieplan/reflectionsession/edit/{session}/", A_SESSION, True),
    ("sessies: export csv", "/admin/snippets/actieplan/reflectionsession/?export=csv", A_SESSION, True),
    ("overleg: lijst", "/admin/actieplan/overleg/", A_MEETING, True),
    ("overleg: kiezer", "/admin/snippets/choose/actieplan/meeting/", A_MEETING, True),
    ("overleg: inspecteren", "/admin/actieplan/overleg/inspect/{meeting}/", A_MEETING, True),
    ("overleg: export csv", "/admin/actieplan/overleg/?export=csv", A_MEETING, True),
    ("lidmaatschappen: kiezer", "/admin/snippets/choose/actieplan/membership/", A_ORGANISATION, True),
    # Partnerships, organisations, regions and memberships: the rosters of a partnership (issue 25).
    ("samenwerkingsverbanden: lijst", "/admin/snippets/actieplan/partnership/", A_PARTNERSHIP, True),
    ("samenwerkingsverbanden: kiezer", "/admin/snippets/choose/actieplan/partnership/", A_PARTNERSHIP, True),
    ("samenwerkingsverbanden: kiezer zoeken", "/admin/snippets/choose/actieplan/partnership/results/?q=Noord",
     A_PARTNERSHIP, True),
    ("samenwerkingsverbanden: gekozen", "/admin/snippets/choose/actieplan/partnership/chosen/{partnership}/",
     A_PARTNERSHIP, True),
    ("samenwerkingsverbanden: bewerken", "/admin/snippets/actieplan/partnership/edit/{partnership}/", A_PARTNERSHIP,
     False),
    ("samenwerkingsverbanden: geschiedenis", "/admin/snippets/actieplan/partnership/history/{partnership}/",
     A_PARTNERSHIP, False),
    ("organisaties: lijst", "/admin/snippets/actieplan/organisation/", A_ORGANISATION, True),
    ("organisaties: filterkeuzes", "/admin/snippets/actieplan/organisation/", A_PARTNERSHIP, True),
    ("organisaties: filter op A", "/admin/snippets/actieplan/organisation/?partnerships={partnership}",
     A_ORGANISATION, True),
    ("organisaties: export csv", "/admin/snippets/actieplan/organisation/?export=csv", A_ORGANISATION, True),
    ("organisaties: kiezer", "/admin/snippets/choose/actieplan/organisation/", A_ORGANISATION, True),
    ("organisaties: gekozen", "/admin/snippets/choose/actieplan/organisation/chosen/{organisation}/",
     A_ORGANISATION, True),
    ("organisaties: bewerken", "/admin/snippets/actieplan/organisation/edit/{organisation}/", A_ORGANISATION, False),
    ("regio's: lijst", "/admin/snippets/actieplan/region/", A_REGION, False),
    ("regio's: kiezer", "/admin/snippets/choose/actieplan/region/", A_REGION, False),
    ("lidmaatschappen: lijst", "/admin/snippets/actieplan/membership/", A_ORGANISATION, True),
    ("lidmaatschappen: export", "/admin/snippets/actieplan/membership/?export=csv", A_ORGANISATION, False),
    ("lidmaatschappen: bewerken", "/admin/snippets/actieplan/membership/edit/{membership}/", A_ORGANISATION, False),
    ("sessies: filterkeuzes", "/admin/snippets/actieplan/reflectionsession/", A_PARTNERSHIP, True),
    ("overleg: filterkeuzes", "/admin/actieplan/overleg/", A_PARTNERSHIP, True),
    # Odd ids and searches never give a server error (nor anything of A).
    ("samenwerkingsverbanden: gekozen onzin", "/admin/snippets/choose/actieplan/partnership/chosen/abc/", None, False),
    ("organisaties: gekozen onzin", "/admin/snippets/choose/actieplan/organisation/chosen/1e9/", None, False),
    ("regio's: gekozen onzin", "/admin/snippets/choose/actieplan/region/chosen/99999999999999999999/", None, False),
    ("sessies: zoeken en sorteren",
     "/admin/snippets/actieplan/reflectionsession/?q=voorjaar&ordering=-n_responses", None, False),
    ("sessies: resultaten zoeken en sorteren",
     "/admin/snippets/actieplan/reflectionsession/results/?q=voorjaar&ordering=title", None, False),
    ("acties: zoeken met aanhalingsteken", "/admin/actieplan/acties/?q=%22overdracht", None, False),
]
#: Who may see a title there by design: (sub)regions are also the library's vocabulary, which redacteuren keep.
SEES_BY_DESIGN = {"regio's: lijst": {"redacteur"}, "regio's: kiezer": {"redacteur"}}


@pytest.fixture
def world(people, other_people, admin_user):
    people.organisation.name = A_ORGANISATION
    people.organisation.save()
    people.partnership.name = A_PARTNERSHIP
    people.partnership.save()
    people.partnership.regions.add(Region.objects.create(name=A_REGION, slug="kempen-a"))
    action = make_action(people.partnership, people.owner, title=A_ACTION)
    action.deadline = datetime.date.today() - datetime.timedelta(days=3)  # also in the overdue report
    action.save()
    session = ReflectionSession.objects.create(partnership=people.partnership, title=A_SESSION)
    meeting = Meeting.objects.create(partnership=people.partnership, title=A_MEETING,
                                     starts_at=datetime.datetime(2026, 12, 20, 10, tzinfo=datetime.timezone.utc))
    for instance in (action, session, meeting):
        log(instance=instance, action="wagtail.create", user=people.procesbewaker)
    users = {
        "buitenstaander": people.outsider, "redacteur": people.editor, "eigenaar_a": people.owner,
        "bestuurder_a": people.bestuurder, "werkgroeplid_a": people.werkgroeplid,
        "procesbewaker_a": people.procesbewaker, "werkgroeplid_b": other_people.werkgroeplid,
        "procesbewaker_b": other_people.procesbewaker, "beheerder": admin_user,
    }
    membership = people.procesbewaker.lob_memberships.get()
    return {"users": users, "ids": {"action": action.pk, "session": session.pk, "meeting": meeting.pk,
                                    "partnership": people.partnership.pk, "organisation": people.organisation.pk,
                                    "membership": membership.pk}}


def fetch(world, role, url):
    client = Client(raise_request_exception=False)
    if role != "anoniem":
        client.force_login(world["users"][role])
    response = client.get(url.format(**world["ids"]))
    if response.streaming:
        return response, b"".join(response.streaming_content).decode("utf-8", "replace")
    return response, response.content.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ROLES)
def test_admin_entry_points_by_role(world, role):
    problems = []
    for name, url, title, found_by_group in ENTRY_POINTS:
        response, body = fetch(world, role, url)
        if response.status_code >= 500:
            problems.append(f"{name}: {response.status_code}")
            continue
        if title and role in NEVER_SEES_A - SEES_BY_DESIGN.get(name, set()) and title in body:
            problems.append(f"{name}: ziet '{title}' ({response.status_code})")
        if title and found_by_group and role in FINDS_A and (response.status_code != 200 or title not in body):
            problems.append(f"{name}: vindt '{title}' niet ({response.status_code})")
        if role == "anoniem" and response.status_code not in (302, 404):
            problems.append(f"{name}: anoniem krijgt {response.status_code}")
    assert not problems, f"{role}:\n" + "\n".join(problems)
