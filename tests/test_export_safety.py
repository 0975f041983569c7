"""Exports never run a formula in a spreadsheet and never fail on a character XLSX cannot hold.

Titles like these were saved before titles were checked, or arrive through the description; they are
written straight into the database here, as an old row would be.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from actieplan.models import Action, ReflectionSession
from tests.factories import make_action

pytestmark = pytest.mark.django_db

NASTY = ["=HYPERLINK(\"http://evil.example\",\"klik\")", "+31 6 1234", "-2+3", "@SUM(A1:A9)", "\tTab vooraan",
         "\rCR vooraan"]
CONTROL = "Titel met \x01 en ESC \x1b erin"


@pytest.fixture
def nasty_plan(people):
    actions = [make_action(people.partnership, people.owner, title=f"Actie {n}") for n in range(len(NASTY) + 1)]
    for action, title in zip(actions, NASTY + [CONTROL]):
        Action.objects.filter(pk=action.pk).update(title=title, description="Omschrijving \x07 met bel")
    return actions


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_cells(data, delimiter=";"):
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


def test_front_end_csv_neutralises_formula_prefixes(client, people, nasty_plan):
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_export_csv"))
    assert response.status_code == 200
    cells = csv_cells(response.content)
    for title in NASTY:
        assert "'" + title in cells
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in cells)
    assert not any("\x01" in cell or "\x1b" in cell for cell in cells)


def test_front_end_xlsx_survives_control_characters_and_keeps_formulas_as_text(client, people, nasty_plan):
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_export_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert "Titel met \ufffd en ESC \ufffd erin" in titles
    formula_cell = next(row[0] for row in sheet.iter_rows(min_row=2) if str(row[0].value).startswith("=HYPER"))
    assert formula_cell.data_type == "s"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_admin_action_export_survives_and_neutralises(client, people, nasty_plan, fmt):
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan_actions:list"), {"export": fmt})
    assert response.status_code == 200
    data = body(response)
    if fmt == "csv":
        cells = csv_cells(data, delimiter=",")
        assert "'=HYPERLINK(\"http://evil.example\",\"klik\")" in cells
        assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)
    else:
        sheet = load_workbook(io.BytesIO(data)).active
        values = [c.value for row in sheet.iter_rows() for c in row]
        assert "Titel met \ufffd en ESC \ufffd erin" in values


@pytest.mark.parametrize("url_name", ["actieplan_overdue_report", "wagtailsnippets_actieplan_reflectionsession:list",
                                      "wagtailadmin_reports:site_history"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_other_admin_exports_survive_and_neutralise(client, admin_user, people, url_name, fmt):
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Sessie")
    ReflectionSession.objects.filter(pk=session.pk).update(title="=cmd|' /C calc'!A0 \x01")
    action = make_action(people.partnership, people.owner, title="x")
    Action.objects.filter(pk=action.pk).update(title="=cmd|' /C calc'!A0 \x01", deadline="2020-01-01")
    from wagtail.log_actions import log
    log(instance=Action.objects.get(pk=action.pk), action="wagtail.edit", user=admin_user)
    client.force_login(admin_user)
    response = client.get(reverse(url_name), {"export": fmt})
    assert response.status_code == 200
    data = body(response)
    if fmt == "csv":
        cells = csv_cells(data, delimiter=",")
        assert any(cell.startswith("'=cmd") for cell in cells)
        assert not any(cell.startswith("=") for cell in cells)
    else:
        load_workbook(io.BytesIO(data))  # readable at all


def test_reflection_csv_uses_the_same_rule(client, people):
    from actieplan.validators import csv_safe

    assert csv_safe("=1+1") == "'=1+1" and csv_safe("@x") == "'@x" and csv_safe("gewoon") == "gewoon"
    assert csv_safe(-5) == -5
