"""Redacteuren go through the workflow "Goedkeuring door moderatoren": they add and edit pages and submit them;
the Moderatoren approve and publish. With the publish permission (0002 gave it) Wagtail offered them "Publiceren"
beside "Ter moderatie indienen", so the workflow could be skipped by exactly the role that must go through it.

Only a Redacteuren group that exists is changed (the apps' migrations create no group; ``lob_setup_groups`` makes
one without the publish permission). Going back gives nothing back: migrating never grants page rights."""

from django.db import migrations


def withdraw_publish(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors = Group.objects.filter(name="Redacteuren").first()
    if editors is not None:
        GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actieplan", "0022_meeting_series_attendance_addenda"),
    ]

    operations = [migrations.RunPython(withdraw_publish, migrations.RunPython.noop)]
