"""Backup and restore as the README describes them: ``pg_dump -Fc`` of the database, ``pg_restore`` into an
empty one; the restored copy holds the same actions, timeline and reminder log (PostgreSQL only)."""

import datetime
import subprocess
import uuid

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from actieplan.reminders import scan as reminders
from actieplan.models import Action, ActionUpdate, Reminder
from tests.factories import make_action
from tests.services import _pg_bin

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="pg_dump needs PostgreSQL")]


def dsn(name=None):
    settings = connection.settings_dict
    return (f"host={settings['HOST'] or '127.0.0.1'} port={settings['PORT'] or 5432} user={settings['USER']} "
            f"dbname={name or settings['NAME']}" + (f" password={settings['PASSWORD']}" if settings["PASSWORD"] else ""))


def url(name):
    settings = connection.settings_dict
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return f"postgresql://{auth}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{name}"


def snapshot(conn_or_cursor_factory):
    with conn_or_cursor_factory() as cursor:
        cursor.execute("SELECT id, title, deadline, status, owner_id FROM actieplan_action ORDER BY id")
        actions = cursor.fetchall()
        cursor.execute("SELECT id, action_id, author_id, note, new_status FROM actieplan_actionupdate ORDER BY id")
        timeline = cursor.fetchall()
        cursor.execute("SELECT key, kind, period, email, sent_at IS NOT NULL FROM actieplan_reminder ORDER BY key")
        log = cursor.fetchall()
    return actions, timeline, log


def test_pg_dump_and_pg_restore_keep_actions_timeline_and_reminder_log(people, tmp_path):
    late = make_action(people.partnership, people.owner, title="Warme overdracht vso-mbo")
    Action.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=8))
    make_action(people.partnership, people.manager, title="Ouderavond over de overstap")
    ActionUpdate.objects.create(action=late, author=people.werkgroeplid, note="Eerste gesprek met het ROC gevoerd.")
    reminders.scan(digests=True)
    assert Reminder.objects.exists() and ActionUpdate.objects.exists()
    original = snapshot(connection.cursor)

    dump = tmp_path / "lob.dump"
    database = connection.settings_dict["NAME"]
    subprocess.run([_pg_bin("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", url(database)],
                   check=True, capture_output=True)
    restored = f"lob_restore_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(dsn("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{restored}"')
    try:
        subprocess.run([_pg_bin("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={url(restored)}", str(dump)],
                       check=True, capture_output=True)
        with psycopg.connect(dsn(restored)) as copy:
            assert snapshot(copy.cursor) == original
    finally:
        with psycopg.connect(dsn("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored}"')
