from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The reference site's home page, navigation and site-wide template tags."""

    name = "lobplatform.home"
    label = "home"
    verbose_name = "Home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate, post_save
        from wagtail.models import ModelLogEntry, PageLogEntry, Site

        from actieplan import caching
        from actieplan.actions.models import ImportReceipt
        from lobplatform.home import site_address
        from lobplatform.logs import log_audit_entry, log_import

        post_migrate.connect(site_address.follow_base_url, sender=self, dispatch_uid="lob-site-address")
        safe_wagtail_exports()

        # The site look-up of {% current_site %} (home/templatetags/site_tags.py).
        caching.bump_on_change("sites", Site)
        # Deletions and archiving in Wagtail's audit log go to the operator's log too.
        for model in (ModelLogEntry, PageLogEntry):
            post_save.connect(log_audit_entry, sender=model, dispatch_uid=f"lob-oplog-{model.__name__}")
        post_save.connect(log_import, sender=ImportReceipt, dispatch_uid="lob-oplog-import")


def safe_wagtail_exports():
    """Wagtail's own exports (its reports, redirects, form submissions) write cells as they are, so a page title
    ``=HYPERLINK(…)`` became a live formula. On this site they go through the same rule as every export of the
    apps (``actieplan.spreadsheets.safe_cell``): the reference site's choice, made once here; the apps never
    change Wagtail for a host site, they mix the rule into their own views."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from actieplan.spreadsheets import safe_cell

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "lob_safe", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return safe_cell(original(self, field, value, export_format), export_format)

    preprocess_field_value.lob_safe = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
