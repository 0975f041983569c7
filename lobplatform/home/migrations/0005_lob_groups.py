"""The reference site's groups: Werkgroep, Bestuurders and Redacteuren, the editors with page rights on the root
page (this site is the platform, so its editors run every page of it; they submit to the Moderatoren, who publish).

The apps no longer create groups when they migrate (a host site decides with ``manage.py lob_setup_groups``); this
site keeps them. On an install that already has them (created by actieplan 0002 before 0.2) it adds only what is
missing.
"""

from django.db import migrations

from actieplan.partnerships.groups import set_up_groups


def groups(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    set_up_groups(apps, editor_pages=Page.objects.filter(depth=1).values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_homepage_content"),
        ("actieplan", "0026_reflection_one_answer_set_per_participant"),
        ("good_practices", "0004_action_plan_blocks"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(groups, migrations.RunPython.noop)]
