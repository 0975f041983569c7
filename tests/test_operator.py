"""What a newcomer and an operator notice: a Dutch admin, a favicon, the accessibility statement,
/health/, one log line per message, and README commands that work as written."""

import datetime
import io
import logging
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.test import override_settings
from wagtail.models import Task, Workflow

from actieplan.models import Reminder, ReminderKind
from actieplan.reminders.models import period_label
from tests.factories import make_action, make_people, make_user

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def _text(response):
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("beheer", first_name="Bea", last_name="Beheer", is_staff=True, is_superuser=True))
    return client


# --- Dutch where people read -------------------------------------------------------------------

def test_admin_login_labels_are_dutch(client):
    text = _text(client.get("/admin/login/"))
    assert "Wachtwoord" in text
    assert "Password" not in text


def test_wagtail_workflow_and_groups_carry_dutch_names():
    assert list(Workflow.objects.values_list("name", flat=True)) == ["Goedkeuring door moderatoren"]
    assert "Moderators approval" not in set(Task.objects.values_list("name", flat=True))
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {"Moderatoren", "Auteurs"} <= names and not {"Moderators", "Editors"} & names


def test_submit_for_moderation_button_reads_dutch(admin_client):
    call_command("load_demo_content", force=True, stdout=io.StringIO())
    from good_practices.models import GoodPracticePage

    practice = GoodPracticePage.objects.live().first()
    text = _text(admin_client.get(f"/admin/pages/{practice.pk}/edit/"))
    assert "Stuur door naar Goedkeuring door moderatoren" in text
    assert "Moderators approval" not in text
    # An empty read-only link is left out, not shown as "None".
    assert practice.source_proeftuin_id is None
    assert "Voortgekomen uit proeftuin" not in text


def test_admin_dates_keep_dutch_month_names_in_lower_case(admin_client):
    people = make_people("mnd")
    make_action(people.partnership, people.owner, deadline=datetime.date(2025, 5, 21), title="Stagebank vullen")
    text = _text(admin_client.get("/admin/actieplan/acties/"))
    assert "21 mei 2025" in text
    assert "Mei" not in text


@pytest.mark.parametrize("period, expected", [
    ("2026-12-05/7d", "7 dagen vóór de deadline van 5 december 2026"),
    ("2026-12-05/1d", "1 dag vóór de deadline van 5 december 2026"),
    ("2026-12-05", "deadline 5 december 2026"),
    ("2026-12-05/+8d", "8 dagen na de deadline van 5 december 2026"),
    ("2026-W49", "week 49 van 2026"),
    ("2026-12-03T14:03:22.123456", "wijziging van 3 december 2026, 14:03"),
    ("overleg-4", "overleg nr. 4"),
    ("iets-anders", "iets-anders"),
])
def test_reminder_periods_read_as_sentences(period, expected):
    assert period_label(period) == expected


def test_reminder_log_shows_names_and_readable_periods(admin_client):
    people = make_people("log")
    action = make_action(people.partnership, people.owner, title="Ouderavond plannen")
    reminder = Reminder.objects.create(
        key=Reminder.make_key(ReminderKind.BEFORE_DEADLINE, "2026-12-05/7d", people.owner.pk, action.pk),
        action=action, kind=ReminderKind.BEFORE_DEADLINE, period="2026-12-05/7d", recipient=people.owner,
        email=people.owner.email,
    )
    listing = _text(admin_client.get("/admin/actieplan/herinneringen/"))
    inspect = _text(admin_client.get(f"/admin/actieplan/herinneringen/inspect/{reminder.pk}/"))
    for text in (listing, inspect):
        assert people.owner.get_full_name() in text
        assert "7 dagen vóór de deadline van 5 december 2026" in text
    assert people.owner.username not in listing


def test_admin_loads_no_avatars_from_outside(admin_client):
    for url in ("/admin/", "/admin/users/", "/admin/account/"):
        html = admin_client.get(url).content.decode()
        assert "gravatar.com" not in html, url


# --- favicon, accessibility statement ------------------------------------------------------------

def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in client.get("/").content.decode()
    assert (ROOT / "lobplatform/static/favicon.svg").read_text().startswith("<svg")


def test_accessibility_statement_is_linked_from_every_page_and_says_its_status(client):
    call_command("load_demo_content", force=True, stdout=io.StringIO())
    home = client.get("/").content.decode()
    assert 'href="/toegankelijkheid/"' in home
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    text = _text(response)
    for needed in ("Toegankelijkheidsverklaring", "WCAG 2.1", "Nalevingsstatus", "voldoet gedeeltelijk",
                   "axe-core", "Handhavingsprocedure", "Nationale ombudsman", "1 november 2026"):
        assert needed in text, needed
    # It is a footer link, not a section card on the home page.
    assert "Toegankelijkheidsverklaring" not in _text(client.get("/")).split("Aan de slag")[1].split("LOB-platform:")[0]


# --- operator ------------------------------------------------------------------------------------

def test_health_endpoint_reports_database_and_cache(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = response.json()
    assert any("Database" in name for name in body) and any("Cache" in name for name in body)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_health_endpoint_fails_when_the_cache_does_not_keep_anything(client):
    assert client.get("/health/?format=json").status_code == 500


def test_compose_healthcheck_asks_the_health_endpoint():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "/health/" in compose


def test_every_log_line_is_written_once():
    stream = io.StringIO()
    root = logging.getLogger()
    handler = logging.StreamHandler(stream)
    old = root.handlers[:]
    root.handlers = [handler]
    try:
        for name in ("django.utils.autoreload", "django.server", "django.request", "actieplan"):
            logging.getLogger(name).warning("regel van %s", name)
    finally:
        root.handlers = old
    lines = stream.getvalue().splitlines()
    assert sorted(lines) == sorted(f"regel van {name}" for name in
                                   ("django.utils.autoreload", "django.server", "django.request", "actieplan"))
    # And no logger on the way adds a handler of its own besides the root's.
    for name in ("django", "django.server", "django.request"):
        assert logging.getLogger(name).handlers == [], name


# --- README commands as written --------------------------------------------------------------------

def _readme_commands():
    readme = (ROOT / "README.md").read_text()
    # The host-site steps run in another site's own environment (`python manage.py …` there); they are carried out
    # literally by tests/test_host_site.py.
    readme = re.sub(r"\n## Add to an existing Wagtail site\n.*?(?=\n## )", "\n", readme, flags=re.S)
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                commands.append(line)
    commands += re.findall(r"`((?:uv run |\.venv/bin/)?python [^`]+)`", readme)
    commands += re.findall(r"`(bin/[a-z]+[^`]*)`", readme)
    return commands


def test_readme_never_shows_a_bare_python_that_misses_the_environment():
    bare = [c for c in _readme_commands() if re.match(r"python3? ", c)]
    assert bare == [], "use `.venv/bin/python …` in the README"


def test_readme_commands_name_real_scripts_commands_and_options():
    known = get_commands()
    checked = 0
    for command in _readme_commands():
        words = shlex.split(command)
        while words and "=" in words[0]:  # PORT=8080 bin/run
            words.pop(0)
        if not words or words[0] in ("cp", "docker", "tail", "pg_dump", "pg_restore", "createdb", "tar", "mkdir", "echo"):
            continue
        if words[:2] == ["uv", "run"]:
            words = words[2:]
        if words[0].startswith("bin/"):
            assert (ROOT / words[0]).stat().st_mode & 0o111, f"{words[0]} is not executable"
            checked += 1
            continue
        assert words[0] in ("python", ".venv/bin/python"), command
        if words[1] == "manage.py":
            name, args = words[2], words[3:]
            assert name in known, f"README names an unknown command: {command}"
            parser = load_command_class(known[name], name).create_parser("manage.py", name)
            parser.parse_args(args)  # raises (CommandError / SystemExit) on an unknown option
        else:
            assert (ROOT / words[1]).exists(), command
        checked += 1
    assert checked >= 6


def test_readme_manage_py_command_runs_as_written_in_a_fresh_process(tmp_path):
    """`.venv/bin/python manage.py send_reminders` from the README, in its own process.

    On PostgreSQL it runs against the (migrated) test database; on SQLite, whose test database lives in
    memory, it migrates a database file of its own first."""
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST"))}
    env.update({"DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev"})
    steps = [["send_reminders"]]
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path}/db.sqlite3"
        steps.insert(0, ["migrate", "--no-input", "-v", "0"])
    for args in steps:
        result = subprocess.run([str(ROOT / ".venv/bin/python"), "manage.py", *args], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "No module named" not in result.stderr
