"""The working group exports its action plan and imports actions from a spreadsheet, all or nothing."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from wagtail.models import ModelLogEntry

from actieplan.models import Action, ActionStatus, MandateLevel, Membership, ReflectionTheme
from tests.factories import make_action

pytestmark = pytest.mark.django_db

HEADER = ["Titel", "Omschrijving", "Samenwerkingsverband", "Thema", "Bord", "Eigenaar", "Organisatie",
          "Mandaatniveau", "Deadline", "Status"]


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def csv_file(rows, header=HEADER, name="acties.csv"):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(rows, header=HEADER, name="acties.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def row(people, title, *, owner=None, theme="Daadkracht", level="management/projectleiding", deadline=None,
        status="open", partnership=None):
    return [title, "Uit de reflectiesessie", partnership if partnership is not None else people.partnership.name,
            theme, "samenwerking", owner or people.owner.email, "", level,
            (deadline or day(30)).strftime("%d-%m-%Y"), status]


def upload(client, people, file):
    return client.post(reverse("actieplan:action_import"), {"partnership": people.partnership.pk, "file": file})


def test_preview_with_one_broken_row_saves_nothing_and_names_the_row(client, people, other_people):
    client.force_login(people.procesbewaker)
    before = Action.objects.count()
    rows = [
        row(people, "Kick-off bijeenkomst loopbaanbegeleiding"),
        row(people, "Banenmarkt bovenbouw", owner=other_people.owner.email),  # not a member here
        row(people, "Overdrachtslijst vso-mbo", owner=people.werkgroeplid.username, level="bestuurlijk"),
    ]
    response = upload(client, people, csv_file(rows))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 regel heeft een fout" in html
    assert "Er is niets opgeslagen" in html
    broken = html[html.index('id="regel-3"'):html.index('id="regel-4"')]
    assert "is geen lid van" in broken
    assert "geen lid" not in html[html.index('id="regel-2"'):html.index('id="regel-3"')]
    assert 'name="confirm"' not in html  # no way to save a broken file
    assert Action.objects.count() == before


@pytest.mark.parametrize("bad_row, message", [
    (dict(owner="niemand@example.nl"), "is geen lid van"),
    (dict(deadline="31-02-2027"), "geen geldige datum"),
    (dict(theme="Communicatie"), "Thema “Communicatie” bestaat niet"),
    (dict(level="directie"), "Mandaatniveau “directie” bestaat niet"),
    (dict(status="half klaar"), "Status “half klaar” bestaat niet"),
    (dict(partnership="Een ander verband"), "hoort bij samenwerkingsverband"),
])
def test_each_kind_of_mistake_gets_a_dutch_message(client, people, bad_row, message):
    client.force_login(people.procesbewaker)
    fields = dict(bad_row)
    deadline = fields.pop("deadline", None)
    data = row(people, "Actie met een fout", **fields)
    if deadline:
        data[8] = deadline
    html = upload(client, people, csv_file([data])).content.decode()
    assert message in html
    assert Action.objects.count() == 0


def test_past_deadline_is_refused(client, people):
    client.force_login(people.procesbewaker)
    html = upload(client, people, csv_file([row(people, "Te laat gepland", deadline=day(-3))])).content.decode()
    assert "ligt in het verleden" in html


def test_missing_required_columns_are_named(client, people):
    client.force_login(people.procesbewaker)
    header = ["Titel", "Eigenaar", "Deadline"]
    response = upload(client, people, csv_file([["Iets", people.owner.email, "01-01-2030"]], header=header))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Deze verplichte kolommen ontbreken: Thema, Mandaatniveau" in html


def test_not_a_spreadsheet_gets_a_message_not_a_500(client, people):
    client.force_login(people.procesbewaker)
    response = upload(client, people, SimpleUploadedFile("acties.xlsx", b"PK\x03\x04 dit is geen excel"))
    assert response.status_code == 400
    assert "kon niet worden gelezen" in response.content.decode()


def test_valid_xlsx_import_creates_actions_with_audit_log(client, people):
    client.force_login(people.procesbewaker)
    rows = [
        row(people, "Kick-off bijeenkomst loopbaanbegeleiding", theme="Inspiratie", level="uitvoerend/professioneel"),
        row(people, "Overdrachtslijst vso-mbo", owner=people.manager.username, level="2", status="bezig"),
    ]
    rows[1][8] = day(40)  # a real date cell, as Excel stores it
    response = upload(client, people, xlsx_file(rows))
    html = response.content.decode()
    assert "Alle regels zijn in orde" in html
    assert Action.objects.count() == 0  # the preview saves nothing
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"})
    assert response.status_code == 302
    actions = {a.title: a for a in Action.objects.all()}
    assert set(actions) == {"Kick-off bijeenkomst loopbaanbegeleiding", "Overdrachtslijst vso-mbo"}
    second = actions["Overdrachtslijst vso-mbo"]
    assert second.owner == people.manager and second.mandate_level == MandateLevel.MANAGEMENT
    assert second.status == ActionStatus.BEZIG and second.deadline == day(40)
    assert second.created_by == people.procesbewaker and second.owner_organisation == people.organisation
    assert second.theme == ReflectionTheme.objects.get(name="Daadkracht")
    for action in actions.values():
        assert ModelLogEntry.objects.filter(object_id=str(action.pk), action="wagtail.create",
                                            user=people.procesbewaker).exists()


def test_confirm_revalidates_and_saves_nothing_when_a_row_became_invalid(client, people):
    client.force_login(people.procesbewaker)
    rows = [row(people, "Eerste actie"), row(people, "Tweede actie", owner=people.manager.email)]
    html = upload(client, people, csv_file(rows)).content.decode()
    token = html.split('name="token" value="')[1].split('"')[0]
    people.manager.lob_memberships.all().delete()  # the manager left the partnership in the meantime
    response = client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"})
    assert response.status_code == 400
    assert "is geen lid van" in response.content.decode()
    assert Action.objects.count() == 0


def test_tampered_token_is_refused(client, people):
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:action_import"), {"token": "vervalst", "confirm": "1"}, follow=True)
    assert "Upload het bestand opnieuw" in response.content.decode()
    assert Action.objects.count() == 0


@pytest.mark.parametrize("role", ["owner", "bestuurder", "outsider"])
def test_only_people_who_manage_the_partnership_may_import(client, people, role):
    client.force_login(getattr(people, role))
    assert client.get(reverse("actieplan:action_import")).status_code == 403


def test_werkgroep_member_cannot_import_into_another_partnership(client, people, other_people):
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:action_import"),
                           {"partnership": other_people.partnership.pk,
                            "file": csv_file([row(other_people, "Inbraak")])})
    assert response.status_code == 400
    assert "Je mag geen acties importeren voor dit samenwerkingsverband" in response.content.decode()
    assert Action.objects.count() == 0


def test_export_is_scoped_and_filtered_with_the_list_query(client, people, other_people):
    mine = make_action(people.partnership, people.owner, title="Warme overdracht regelen", deadline=day(5))
    done = make_action(people.partnership, people.owner, title="Sociale kaart bijwerken", deadline=day(5),
                       status=ActionStatus.AFGEROND)
    make_action(other_people.partnership, other_people.owner, title="Actie van een ander verband")
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_export_csv"))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Disposition"].startswith('attachment; filename="actieplan-')
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADER
    assert {r[0] for r in rows[1:]} == {mine.title, done.title}

    response = client.get(reverse("actieplan:action_export_xlsx"), {"status": "afgerond"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0] == tuple(HEADER)
    assert [v[0] for v in values[1:]] == [done.title]
    assert values[1][8].date() == day(5)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips(client, people, fmt):
    themes = list(ReflectionTheme.objects.order_by("sort_order"))
    originals = [
        make_action(people.partnership, people.owner, title="Kick-off bijeenkomst", theme=themes[4],
                    deadline=day(14), description="Met alle partners", board="inhoud"),
        make_action(people.partnership, people.manager, title="Afspraken leerwerkloket", theme=themes[2],
                    deadline=day(60), mandate_level=MandateLevel.MANAGEMENT, status=ActionStatus.BEZIG),
        make_action(people.partnership, people.bestuurder, title="Verankeren in het bestuursoverleg",
                    theme=themes[0], deadline=day(90), mandate_level=MandateLevel.BESTUURLIJK,
                    board="verankering", status=ActionStatus.GEBLOKKEERD),
    ]
    client.force_login(people.procesbewaker)
    exported = client.get(reverse(f"actieplan:action_export_{fmt}")).content

    def snapshot(actions):
        return sorted((a.title, a.description, a.theme_id, a.board, a.owner_id, a.owner_organisation_id,
                       a.mandate_level, a.deadline, a.status) for a in actions)

    expected = snapshot(originals)
    Action.objects.all().delete()
    html = upload(client, people, SimpleUploadedFile(f"actieplan.{fmt}", exported)).content.decode()
    assert "Alle regels zijn in orde" in html, html
    token = html.split('name="token" value="')[1].split('"')[0]
    client.post(reverse("actieplan:action_import"), {"token": token, "confirm": "1"})
    assert snapshot(Action.objects.all()) == expected


def test_an_email_shared_by_two_accounts_is_exported_as_username_and_refused_on_import(client, people):
    from tests.factories import make_user

    make_user("otto_privé", email=people.owner.email)  # a second account with the same address
    action = make_action(people.partnership, people.owner, title="Stagebank vullen", deadline=day(20))
    client.force_login(people.procesbewaker)
    rows = list(csv.reader(io.StringIO(client.get(reverse("actieplan:action_export_csv")).content
                                       .decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == action.title and rows[1][5] == people.owner.username
    # Only members can own an action: among them the address is unique, so the import finds the owner.
    html = upload(client, people, csv_file([row(people, "Dubbel adres", owner=people.owner.email)])).content.decode()
    assert "hoort bij meerdere" not in html and 'name="confirm"' in html
    # Two members with one address: the username decides.
    Membership.objects.create(partnership=people.partnership, user=type(people.owner).objects.get(username="otto_privé"),
                              organisation=people.organisation)
    html = upload(client, people, csv_file([row(people, "Dubbel adres", owner=people.owner.email)])).content.decode()
    assert "hoort bij meerdere leden" in html


def test_the_same_file_a_second_time_gets_a_warning_naming_the_duplicates(client, people):
    client.force_login(people.procesbewaker)
    rows = [row(people, "Stagebank vullen"), row(people, "Ouderavond organiseren")]
    first = upload(client, people, csv_file(rows))
    client.post(reverse("actieplan:action_import"), {"token": first.context["token"], "confirm": "1"})
    assert Action.objects.filter(title__in=["Stagebank vullen", "Ouderavond organiseren"]).count() == 2

    # The same file again, plus one new row: the preview names the two rows already in the plan.
    second = upload(client, people, csv_file([*rows, row(people, "Netwerkbijeenkomst plannen")]))
    html = " ".join(second.content.decode().split())
    assert "Let op: 2 regels staan al in het actieplan." in html
    assert "Regel 2</a>: Stagebank vullen" in html and "Regel 3</a>: Ouderavond organiseren" in html
    assert "Alleen de 1 nieuwe actie importeren" in html
    again = upload(client, people, csv_file(rows))
    assert "Dit bestand is op" in again.content.decode() and "al geïmporteerd door Pia Procesbewaker" in (
        again.content.decode())

    # "Alleen de nieuwe": one action more, no duplicates.
    client.post(reverse("actieplan:action_import"),
                {"token": second.context["token"], "confirm": "1", "skip_duplicates": "1"})
    assert Action.objects.filter(title="Stagebank vullen").count() == 1
    assert Action.objects.filter(title="Netwerkbijeenkomst plannen").count() == 1


def test_two_rows_of_one_file_that_are_the_same_action_are_named(client, people):
    client.force_login(people.procesbewaker)
    response = upload(client, people, csv_file([row(people, "Stagebank vullen"), row(people, "stagebank  vullen")]))
    assert "dezelfde actie als regel 2" in response.content.decode()


def test_the_preview_says_the_same_for_an_unknown_account_and_one_outside_the_partnership(client, people,
                                                                                          other_people):
    """No account enumeration: whoever imports cannot learn which addresses have an account on the platform."""
    client.force_login(people.procesbewaker)
    existing = other_people.owner.email  # an account of another partnership
    rows = [row(people, "Actie voor iemand elders", owner=existing),
            row(people, "Actie voor niemand", owner="bestaat-niet@example.nl")]
    html = upload(client, people, csv_file(rows)).content.decode()

    def message(number, address):
        part = html[html.index(f'id="regel-{number}"'):]
        part = part[:part.index("</tr>")]
        return part.split("<li>", 1)[1].split("</li>", 1)[0].replace(address, "ADRES")

    assert message(2, existing) == message(3, "bestaat-niet@example.nl")
    assert "onbekend" not in html
