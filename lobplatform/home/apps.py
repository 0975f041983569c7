from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The reference site's home page, navigation and site-wide template tags."""

    name = "lobplatform.home"
    label = "home"
    verbose_name = "Home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.models import ModelLogEntry, PageLogEntry, Site

        from actieplan import caching
        from actieplan.actions.models import ImportReceipt
        from lobplatform.logs import log_audit_entry, log_import

        # The site look-up of {% current_site %} (home/templatetags/site_tags.py).
        caching.bump_on_change("sites", Site)
        # Deletions and archiving in Wagtail's audit log go to the operator's log too.
        for model in (ModelLogEntry, PageLogEntry):
            post_save.connect(log_audit_entry, sender=model, dispatch_uid=f"lob-oplog-{model.__name__}")
        post_save.connect(log_import, sender=ImportReceipt, dispatch_uid="lob-oplog-import")
