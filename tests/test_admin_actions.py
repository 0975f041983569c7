"""The working group follows actions in the Wagtail admin: listing, inspect with timeline, dashboard, report."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actieplan.models import ActionStatus, ActionUpdate, MandateLevel
from tests.factories import make_action

pytestmark = pytest.mark.django_db



def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def make_late(partnership, owner, title, days_late=5, **fields):
    """An action whose deadline passed while it was open (saved directly: the form refuses past deadlines)."""
    action = make_action(partnership, owner, title=title, **fields)
    action.deadline = days(-days_late)
    action.save()
    return action


@pytest.fixture
def plan(people, other_people):
    a, b = people, other_people
    return {
        "a_late": make_late(a.partnership, a.owner, "Warme overdracht vso-mbo regelen", days_late=9,
                            mandate_level=MandateLevel.MANAGEMENT),
        "a_open": make_action(a.partnership, a.owner, title="Kick-off bijeenkomst loopbaanbegeleiding",
                              deadline=days(20)),
        "a_done": make_action(a.partnership, a.owner, title="Overzicht overlegstructuren maken",
                              deadline=days(3), status=ActionStatus.AFGEROND),
        "b_late": make_late(b.partnership, b.owner, "Stages bij sociale werkbedrijven uitbreiden", days_late=2),
        "b_open": make_action(b.partnership, b.owner, title="Enquête werkgevers uitzetten", deadline=days(10)),
    }


def listing(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("actieplan_actions:list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_admin_list_filtered_by_overdue_shows_only_late_actions(client, people, plan):
    html = listing(client, people.procesbewaker, overdue="true")
    assert "Warme overdracht vso-mbo regelen" in html
    assert "Kick-off bijeenkomst loopbaanbegeleiding" not in html
    assert "Overzicht overlegstructuren maken" not in html
    assert "Verlopen" in html  # the badge


def test_werkgroep_member_of_b_sees_none_of_a_in_admin(client, people, other_people, plan):
    html = listing(client, other_people.werkgroeplid)
    assert "Enquête werkgevers uitzetten" in html
    assert "Stages bij sociale werkbedrijven uitbreiden" in html
    for key in ("a_late", "a_open", "a_done"):
        assert plan[key].title not in html
    # Not through a direct URL either.
    for view in ("inspect", "edit", "history"):
        response = client.get(reverse(f"actieplan_actions:{view}", args=[plan["a_open"].pk]))
        assert response.status_code == 404, view


def test_admin_search_stays_within_the_partnership(client, people, other_people, plan):
    html = listing(client, other_people.werkgroeplid, q="overdracht")
    assert "Warme overdracht vso-mbo regelen" not in html
    html = listing(client, people.werkgroeplid, q="overdracht")
    assert "Warme overdracht vso-mbo regelen" in html


def test_admin_list_exports_csv_and_xlsx_scoped(client, people, plan):
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan_actions:list"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Titel", "Samenwerkingsverband", "Thema", "Eigenaar"]
    titles = {row[0] for row in rows[1:]}
    assert titles == {plan["a_late"].title, plan["a_open"].title, plan["a_done"].title}
    late_row = next(row for row in rows if row[0] == plan["a_late"].title)
    assert late_row[3] == "Otto Eigenaar" and late_row[-1] == "ja"

    response = client.get(reverse("actieplan_actions:list"), {"export": "xlsx", "overdue": "true"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert [row[0] for row in values[1:]] == [plan["a_late"].title]


def test_inspect_view_shows_the_timeline(client, people, plan):
    action = plan["a_open"]
    ActionUpdate.objects.create(action=action, author=people.owner, note="Zaal gereserveerd bij Summa College",
                                created_at=timezone.now() - datetime.timedelta(days=2))
    ActionUpdate.objects.create(action=action, author=people.procesbewaker, note="Uitnodiging verstuurd",
                                new_status=ActionStatus.BEZIG, percent_done=40)
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan_actions:inspect", args=[action.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tijdlijn" in html
    first, second = html.index("Zaal gereserveerd bij Summa College"), html.index("Uitnodiging verstuurd")
    assert first < second  # oldest first, as it happened
    assert "40% gereed" in html and "Pia Procesbewaker" in html


def test_werkgroep_member_edits_own_partnership_action_in_admin_and_it_is_logged(client, people, plan):
    from wagtail.models import ModelLogEntry

    action = plan["a_open"]
    client.force_login(people.procesbewaker)
    url = reverse("actieplan_actions:edit", args=[action.pk])
    assert client.get(url).status_code == 200
    data = {
        "title": "Kick-off bijeenkomst loopbaanbegeleiding (verplaatst)", "description": "",
        "partnership": action.partnership_id, "theme": action.theme_id, "question": "", "source_session": "",
        "board": "", "owner": people.owner.pk, "owner_organisation": "", "mandate_level": MandateLevel.UITVOEREND,
        "deadline": days(25).isoformat(), "status": ActionStatus.BEZIG,
    }
    old_deadline = action.deadline
    # A new deadline needs a reason, as on the front end; nothing is saved without it.
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Geef een reden waarom de deadline verandert" in response.content.decode()
    action.refresh_from_db()
    assert action.deadline == old_deadline and not action.title.endswith("(verplaatst)")

    reason = "De aula is pas later in de maand vrij."
    response = client.post(url, {**data, "deadline_reason": reason})
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert action.title.endswith("(verplaatst)") and action.status == ActionStatus.BEZIG
    assert ModelLogEntry.objects.filter(object_id=str(action.pk), action="wagtail.edit").exists()
    # The new deadline with its reason and the status change are on the timeline, as on the front end.
    moved = action.updates.get(new_deadline__isnull=False)
    assert (moved.previous_deadline, moved.new_deadline, moved.note) == (old_deadline, days(25), reason)
    update = action.updates.exclude(new_status="").get()
    assert update.new_status == ActionStatus.BEZIG and update.author == people.procesbewaker
    assert action.updates.count() == 2


def test_werkgroep_member_creates_action_in_admin_only_for_own_partnership(client, people, other_people):
    from actieplan.models import Action

    client.force_login(people.werkgroeplid)
    url = reverse("actieplan_actions:add")
    html = client.get(url).content.decode()
    assert people.partnership.name in html and other_people.partnership.name not in html
    data = {"title": "Meeloopdagen organiseren", "partnership": people.partnership.pk,
            "theme": plan_theme().pk, "owner": people.owner.pk, "mandate_level": MandateLevel.UITVOEREND,
            "deadline": days(14).isoformat(), "status": ActionStatus.OPEN}
    assert client.post(url, data).status_code == 302
    action = Action.objects.get(title="Meeloopdagen organiseren")
    assert action.created_by == people.werkgroeplid and action.owner_organisation == people.organisation
    response = client.post(url, {**data, "title": "Inbraak", "partnership": other_people.partnership.pk})
    assert response.status_code == 200
    assert not Action.objects.filter(title="Inbraak").exists()


def plan_theme():
    from actieplan.models import ReflectionTheme

    return ReflectionTheme.objects.order_by("sort_order").first()


def test_admin_refuses_owner_from_outside_the_partnership_with_dutch_message(client, people, other_people, plan):
    action = plan["a_open"]
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan_actions:edit", args=[action.pk]), {
        "title": action.title, "partnership": action.partnership_id, "theme": action.theme_id,
        "owner": other_people.owner.pk, "mandate_level": MandateLevel.UITVOEREND,
        "deadline": days(25).isoformat(), "status": ActionStatus.OPEN,
    })
    assert response.status_code == 200
    action.refresh_from_db()
    assert action.owner_id == people.owner.pk


def test_dashboard_panel_lists_my_open_actions(client, people, plan):
    due_soon = make_action(people.partnership, people.owner, title="Beroepenavond plannen", deadline=days(3))
    make_action(people.partnership, people.werkgroeplid, title="Actie van een ander", deadline=days(2))
    people.owner.groups.add(Group.objects.get(name="Werkgroep"))  # admin access; still only a deelnemer
    client.force_login(people.owner)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    html = response.content.decode()
    panel = html[html.index("mijn-acties"):]
    assert "Mijn acties" in html
    assert panel.index("Verlopen") < panel.index(plan["a_late"].title)
    assert panel.index("Deze week") < panel.index(due_soon.title)
    assert plan["a_open"].title in panel  # later
    assert plan["a_done"].title not in panel  # done actions are not "mine to do"
    assert "Actie van een ander" not in panel


def test_overdue_report_lists_visible_late_actions_with_days_and_level(client, people, plan):
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan_overdue_report"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Verlopen acties" in html
    assert plan["a_late"].title in html
    assert plan["b_late"].title not in html  # other partnership
    assert plan["a_open"].title not in html
    assert "management/projectleiding" in html
    row = html[html.index(plan["a_late"].title):]
    assert ">9<" in row.replace(" ", "").replace("\n", "")


def test_overdue_report_exports_xlsx_and_csv(client, people, plan):
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan_overdue_report"), {"export": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="verlopen-acties-')
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0] == ("Titel", "Samenwerkingsverband", "Eigenaar", "Organisatie", "Mandaatniveau", "Deadline",
                       "Dagen verlopen", "Status")
    assert len(rows) == 2
    assert rows[1][0] == plan["a_late"].title and rows[1][2] == "Otto Eigenaar"
    assert rows[1][4] == "management/projectleiding" and rows[1][6] == 9

    response = client.get(reverse("actieplan_overdue_report"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[1][0] == plan["a_late"].title and rows[1][6] == "9"


def test_report_and_admin_closed_to_bestuurders_and_outsiders(client, people, plan):
    for user in (people.bestuurder, people.outsider):
        client.force_login(user)
        response = client.get(reverse("actieplan_overdue_report"))
        assert response.status_code in (302, 403), user
        response = client.get(reverse("actieplan_actions:list"))
        assert response.status_code in (302, 403), user


def test_admin_pages_of_the_actieplan_menu_answer_for_a_superuser(client, people, plan):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("beheer", "beheer@example.nl", "geheim-wachtwoord-123")
    client.force_login(admin)
    action = plan["a_late"]
    urls = [reverse("actieplan_actions:list"), reverse("actieplan_actions:add"),
            reverse("actieplan_actions:inspect", args=[action.pk]),
            reverse("actieplan_actions:edit", args=[action.pk]),
            reverse("actieplan_actions:history", args=[action.pk]),
            reverse("actieplan_overdue_report"), reverse("wagtailadmin_home")]
    for name in ("partnership", "organisation", "membership", "region"):
        urls.append(reverse(f"wagtailsnippets_actieplan_{name}:list"))
        urls.append(reverse(f"wagtailsnippets_actieplan_{name}:add"))
    for url in urls:
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("actieplan_actions:list")).content.decode()
    assert plan["b_late"].title in html and plan["a_late"].title in html
    # The admin menu groups them under "Actieplan" and lists the report.
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Actieplan" in home and "Verlopen acties" in home


def test_admin_listing_and_report_queries_do_not_grow_with_the_number_of_actions(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people.procesbewaker)

    def count_queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    urls = [reverse("actieplan_actions:list"), reverse("actieplan_overdue_report")]
    for n in range(3):
        make_late(people.partnership, people.owner, f"Verlopen {n}")
    client.get(urls[0])  # warm caches (content types, permissions)
    few = [count_queries(url) for url in urls]
    for n in range(3, 30):
        make_late(people.partnership, people.manager if n % 2 else people.owner, f"Verlopen {n}")
    assert [count_queries(url) for url in urls] == few
