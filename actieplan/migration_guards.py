"""Migrations that add a page type say clearly when they cannot be reversed.

Reversing a migration that created a Wagtail page model drops its table, but the pages' rows in
``wagtailcore_page`` stay: each such page then answers 500 and blocks its slug (seen after migrating back to an
earlier release and forward again). Such a migration ends with :func:`keep_pages` for the page models it creates:
forwards it does nothing; backwards, it runs before the table is dropped and refuses while pages of those types
exist, naming them and what to do (delete them first, or roll back by restoring the backup taken before the
upgrade; see the README). Without such pages the migration reverses as before. ``tests/test_upgrade.py`` checks
that every migration creating a page model has it.

:func:`refuse_plan` (connected to ``pre_migrate`` in ``ActieplanConfig.ready``) asks the same before ``migrate``
reverses anything, so a refused rollback leaves the database exactly as it was, not half-way.
"""

from django.core.management import CommandError
from django.db import migrations
from django.db.migrations.exceptions import IrreversibleError

#: The message's end, after what was found.
ADVICE = ("Zonder hun tabel zouden deze pagina's een serverfout geven en hun adres bezet houden. Verwijder ze eerst in "
          "de Wagtail-admin, of ga terug naar de vorige versie door de back-up van vóór de upgrade terug te zetten "
          "(README, 'Upgrade and roll back').")


def _found(content_types, pages, models):
    """Dutch phrases naming the pages of ``models`` that exist ("2 pagina('s) van het type …: 'Titel' (/pad/)")."""
    found = []
    for label in models:
        app_label, model = label.lower().split(".")
        content_type = content_types.objects.filter(app_label=app_label, model=model).first()
        if content_type is None:
            continue
        rows = pages.objects.filter(content_type=content_type).order_by("path")
        if rows.exists():
            examples = ", ".join(f"'{title}' ({url_path})" for title, url_path in
                                 rows.values_list("title", "url_path")[:3])
            found.append(f"{rows.count()} pagina('s) van het type {label}: {examples}")
    return found


def guarded_models(migration):
    """The page models ``migration`` keeps (its :func:`keep_pages` operations)."""
    return [label for operation in migration.operations if isinstance(operation, migrations.RunPython)
            for label in (operation.hints or {}).get("page_models", ())]


def refuse_plan(sender, plan=None, apps=None, **kwargs):
    """``pre_migrate``: refuse a plan that would reverse a page type while pages of it exist."""
    models = [label for migration, backwards in (plan or []) if backwards for label in guarded_models(migration)]
    if not models or apps is None:
        return
    try:
        content_types, pages = apps.get_model("contenttypes", "ContentType"), apps.get_model("wagtailcore", "Page")
    except LookupError:
        return
    found = _found(content_types, pages, models)
    if found:
        raise CommandError("Terugdraaien kan niet zonder kapotte pagina's: " + "; ".join(found) + ". " + ADVICE)


def keep_pages(*models):
    """A ``RunPython`` for the end of a migration that creates the page models ``models`` ("app_label.Model")."""

    def refuse_while_pages_exist(apps, schema_editor):
        found = _found(apps.get_model("contenttypes", "ContentType"), apps.get_model("wagtailcore", "Page"), models)
        if found:
            raise IrreversibleError("Terugdraaien kan niet zonder kapotte pagina's: " + "; ".join(found) + ". " + ADVICE)

    return migrations.RunPython(migrations.RunPython.noop, refuse_while_pages_exist, elidable=False,
                                hints={"page_models": models})
