"""Upgrades and rollback as an operator does them: the README's backup before an upgrade restores the release
before it exactly; the demo loader, which runs at every start, never changes a row that exists; and a migration that
added a page type cannot be reversed into broken pages: it says so, and changes nothing."""

import datetime
import io
import os
import re
import subprocess
import textwrap
import uuid
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection, migrations
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from tests.services import _pg_bin

ROOT = Path(__file__).resolve().parent.parent
PROJECT_APPS = ("actieplan", "good_practices", "home")

pytestmark = pytest.mark.django_db


# --- page types in migrations --------------------------------------------------------------------------------

def test_every_migration_that_adds_a_page_type_guards_its_pages_after_creating_them():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    checked = 0
    for (app_label, name), migration in loader.disk_migrations.items():
        if app_label not in PROJECT_APPS:
            continue
        for position, operation in enumerate(migration.operations):
            if isinstance(operation, migrations.CreateModel) and any(
                    str(base).lower() == "wagtailcore.page" for base in operation.bases):
                label = f"{app_label}.{operation.name}"
                later = migration.operations[position + 1:]
                assert any(isinstance(op, migrations.RunPython) and label in (op.hints or {}).get("page_models", ())
                           for op in later), f"{app_label}/{name} creates {label} without keep_pages()"
                checked += 1
    assert checked >= 7


MIGRATE_BACK = textwrap.dedent('''
    import django, sys
    django.setup()
    from django.core.management import CommandError, call_command
    from django.db import connection
    from django.test import Client
    from actieplan.models import Partnership, ProgressPage
    from actieplan.progress.demo import ensure_progress_page

    def applied():
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
            return cursor.fetchall()

    call_command("migrate", verbosity=0)
    partnership = Partnership.objects.create(name="VSV-regio 37", slug="vsv-37")
    page = ensure_progress_page(partnership, title="Voortgang VSV-regio 37", slug="voortgang")
    before = applied()
    try:
        call_command("migrate", "actieplan", "0014", verbosity=0)
    except CommandError as error:
        print("GEWEIGERD:", error)
    print("ONGEWIJZIGD" if applied() == before else "GEWIJZIGD")
    print("PAGINA", Client().get(page.url).status_code)
    page.delete()
    call_command("migrate", "actieplan", "0014", verbosity=0)
    print("TERUG", ProgressPage._meta.db_table in connection.introspection.table_names())
    call_command("migrate", verbosity=0)
    again = ensure_progress_page(partnership, title="Voortgang VSV-regio 37", slug="voortgang")
    print("VOORUIT", Client().get(again.url).status_code)
''')


def run_script(script, env, timeout=600):
    result = subprocess.run([str(ROOT / ".venv/bin/python"), "-c", script], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    return result.stdout


def fresh_env(database_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST"))}
    env.update({"DJANGO_SETTINGS_MODULE": "lobplatform.settings.dev", "DATABASE_URL": database_url, "DEBUG": "0",
                "ALLOWED_HOSTS": "testserver,localhost",
                "LOG_LEVEL": "WARNING", **extra})
    return env


def test_migrating_back_past_a_page_type_refuses_while_its_pages_exist_and_changes_nothing(tmp_path):
    """On a database of its own (SQLite file): back to before the Voortgang page type, with a Voortgang page."""
    out = run_script(MIGRATE_BACK, fresh_env(f"sqlite:///{tmp_path}/terug.sqlite3"))
    refused = re.search(r"GEWEIGERD: (.*)", out)
    assert refused, out
    assert ("Terugdraaien kan niet zonder kapotte pagina's: 1 pagina('s) van het type actieplan.ProgressPage: "
            "'Voortgang VSV-regio 37' (/home/voortgang/)") in refused.group(1)
    assert "back-up van vóór de upgrade terug te zetten" in refused.group(1)
    assert "ONGEWIJZIGD" in out, "not one migration was reversed"
    assert "PAGINA 302" in out, "the private page still works (to the login)"
    assert "TERUG False" in out and "VOORUIT 302" in out, "without such pages it reverses, and forward again"


# --- the demo loader on an upgrade -----------------------------------------------------------------------------

SKIP_MODELS = {
    # Bookkeeping that moves with any change: cache versions, sessions, throttles, search and reference indexes.
    "actieplan.cacheversion", "actieplan.ratecounter", "actieplan.heartbeat", "sessions.session",
    "wagtailsearch.indexentry", "wagtailcore.referenceindex", "axes.accessattempt", "axes.accesslog",
    "axes.accessfailurelog",
}
#: Columns a tree keeps for itself: adding a page under a parent counts its children.
SKIP_COLUMNS = {"numchild"}


def snapshot():
    """``{model label: {pk: row}}`` of every table (through tables included)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in SKIP_MODELS or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in SKIP_COLUMNS]
        rows[label] = {row[model._meta.pk.attname]: row for row in model._base_manager.values(*fields)}
    return rows


def test_load_demo_content_on_an_upgrade_changes_no_row_that_exists(settings):
    """The previous release had no meetings and no Voortgang page in its demo; weeks later the new release's loader
    runs at start-up (the embedded default, ``bin/run``). What existed keeps every value: dates, links, groups,
    publication."""
    settings.DEBUG = True  # the embedded default: production settings refuse to load the demo at all
    full = list(settings.LOB_DEMO_LOADERS)
    settings.LOB_DEMO_LOADERS = [loader for loader in full if ".meetings." not in loader and ".progress." not in loader]
    call_command("load_demo_content", stdout=io.StringIO())
    before = snapshot()
    assert before["actieplan.action"], "the old release made its actions"

    settings.LOB_DEMO_LOADERS = full
    with time_machine.travel(timezone.now() + datetime.timedelta(days=23), tick=True):
        call_command("load_demo_content", stdout=io.StringIO())
    after = snapshot()
    changed = {label: [pk for pk, row in rows.items() if after[label].get(pk) != row]
               for label, rows in before.items()}
    assert {label: pks for label, pks in changed.items() if pks} == {}
    assert len(after["actieplan.meeting"]) > len(before.get("actieplan.meeting", {})), "the new release's demo was added"


# --- the README's upgrade, with its backup and its rollback (PostgreSQL) -------------------------------------

def readme_block(marker):
    """The shell lines of the README's block after ``<!-- marker -->``."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split(f"<!-- {marker} -->", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return block


def database_state(url):
    """What a release sees of the database: its migrations and every row of the plan, the log and the pages."""
    with psycopg.connect(url) as db:
        state = {"migrations": db.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()}
        state["tables"] = db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                                     "ORDER BY tablename").fetchall()
        for table, order in (("actieplan_action", "id"), ("actieplan_actionupdate", "id"),
                             ("actieplan_reminder", "key"), ("wagtailcore_page", "path"), ("auth_user", "id")):
            state[table] = db.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    return state


def media_state(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in Path(folder).rglob("*") if p.is_file()}


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump and pg_restore need PostgreSQL")
def test_the_readme_upgrade_backs_up_first_and_its_rollback_restores_the_release_before(tmp_path):
    db = connection.settings_dict
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT']}"
    name = f"lob_upgrade_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    media = tmp_path / "media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images/gastles.png").write_bytes(b"\x89PNG voor de upgrade")
    env = fresh_env(f"{server}/{name}", MEDIA_ROOT=str(media),
                    PATH=f"{Path(_pg_bin('pg_dump')).parent}:{os.environ['PATH']}")
    try:
        # The release before: this code's migrations but the last one of actieplan, with the demo in it.
        run_script('import django; django.setup(); from django.core.management import call_command; '
                   'call_command("migrate", verbosity=0); call_command("load_demo_content", force=True, verbosity=0); '
                   'call_command("migrate", "actieplan", "0018", verbosity=0)', env)
        before, media_before = database_state(env["DATABASE_URL"]), media_state(media)

        subprocess.run(["bash", "-euo", "pipefail", "-c", readme_block("upgrade:backup")], cwd=tmp_path, env=env,
                       check=True, capture_output=True)
        # The upgrade: the new release's migrations, then a day of use (a note, an upload).
        run_script('import django; django.setup(); from django.core.management import call_command; '
                   'call_command("migrate", verbosity=0); from actieplan.models import Action, ActionUpdate; '
                   'a = Action.objects.order_by("pk").first(); '
                   'ActionUpdate.objects.create(action=a, author=a.owner, note="Na de upgrade")', env)
        (media / "original_images/na-de-upgrade.png").write_bytes(b"\x89PNG erna")
        assert database_state(env["DATABASE_URL"]) != before

        restored = subprocess.run(["bash", "-euo", "pipefail", "-c", readme_block("upgrade:rollback")], cwd=tmp_path,
                                  env=env, capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr[-3000:]
        restored_url = re.search(r"DATABASE_URL=(\S+)", restored.stdout).group(1)
        restored_media = Path(re.search(r"MEDIA_ROOT=(\S+)", restored.stdout).group(1))
        assert database_state(restored_url) == before, "the release before, exactly"
        assert media_state(restored_media) == media_before

        # Upgrading the restored copy again works, and it serves.
        run_script('import django; django.setup(); from django.core.management import call_command; '
                   'call_command("migrate", verbosity=0); from django.test import Client; '
                   'print(Client().get("/").status_code)', {**env, "DATABASE_URL": restored_url})
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            for database in admin.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                                          [f"{name}%"]).fetchall():
                admin.execute(f'DROP DATABASE IF EXISTS "{database[0]}" WITH (FORCE)')
