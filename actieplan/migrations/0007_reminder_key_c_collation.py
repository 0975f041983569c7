"""The reminder log's key compares byte by byte on PostgreSQL (COLLATE "C").

Keys are ASCII (``<action>:<kind>:<period>:<recipient>``) and only ever compared for equality, so
the database's linguistic collation (en_US.UTF-8 and the like) buys nothing and makes every
insert into, and every look-up in, the unique index of a large log slower. SQLite already
compares bytes (BINARY). Django's ``db_collation`` cannot say "C on PostgreSQL only", hence
RunPython; the model state is unchanged.
"""

from django.db import migrations


def key_collation(collation):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("actieplan", "Reminder")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN key TYPE varchar(200) COLLATE {collation}")

    return apply


class Migration(migrations.Migration):

    dependencies = [
        ("actieplan", "0006_reminder_bulk_friendly"),
    ]

    operations = [
        migrations.RunPython(key_collation('"C"'), key_collation("pg_catalog.\"default\"")),
    ]
