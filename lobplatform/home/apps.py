from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The reference site's home page, navigation and site-wide template tags."""

    name = "lobplatform.home"
    label = "home"
    verbose_name = "Home"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import Site

        from actieplan import caching

        # The site look-up of {% current_site %} (home/templatetags/site_tags.py).
        caching.bump_on_change("sites", Site)
