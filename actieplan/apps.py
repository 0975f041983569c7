from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActieplanConfig(AppConfig):
    name = "actieplan"
    verbose_name = _("Actieplan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Event notifications (assigned, completed, blocked) follow every save of an action.
        from . import notifications

        notifications.connect()
