from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The reference site's home page, navigation and site-wide template tags."""

    name = "lobplatform.home"
    label = "home"
    verbose_name = "Home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate
        from wagtail.models import Site

        from actieplan import caching
        from lobplatform.home import site_address

        post_migrate.connect(site_address.follow_base_url, sender=self, dispatch_uid="lob-site-address")
        safe_wagtail_exports()

        # The site look-up of {% current_site %} (home/templatetags/site_tags.py).
        caching.bump_on_change("sites", Site)


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
