from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoodPracticesConfig(AppConfig):
    name = "good_practices"
    verbose_name = _("Het delen waard")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from good_practices import caching

        caching.connect()
