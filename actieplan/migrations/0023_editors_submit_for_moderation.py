"""Redacteuren go through the workflow "Goedkeuring door moderatoren": they add and edit pages and submit them;
the Moderatoren approve and publish. With the publish permission (0002 gave it) Wagtail offered them "Publiceren"
beside "Ter moderatie indienen", so the workflow could be skipped by exactly the role that must go through it."""

from django.db import migrations


def withdraw_publish(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors = Group.objects.filter(name="Redacteuren").first()
    if editors is not None:
        GroupPagePermission.objects.filter(group=editors, permission__codename="publish_page").delete()


def give_publish_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors = Group.objects.filter(name="Redacteuren").first()
    root = Page.objects.filter(depth=1).first()
    if editors is not None and root is not None:
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"))


class Migration(migrations.Migration):
    dependencies = [
        ("actieplan", "0022_meeting_series_attendance_addenda"),
    ]

    operations = [migrations.RunPython(withdraw_publish, give_publish_back)]
