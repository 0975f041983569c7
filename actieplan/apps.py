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

        # The filter choice lists keep the membership and theme names per process for a short while.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from .filters import forget_membership_rows, forget_themes
        from .models import Membership, Organisation, Partnership, ReflectionTheme

        for model in (Membership, Organisation, Partnership, get_user_model()):
            post_save.connect(forget_membership_rows, sender=model, dispatch_uid=f"lob-membership-rows-{model.__name__}")
            post_delete.connect(forget_membership_rows, sender=model,
                                dispatch_uid=f"lob-membership-rows-del-{model.__name__}")
        post_save.connect(forget_themes, sender=ReflectionTheme, dispatch_uid="lob-themes")
        post_delete.connect(forget_themes, sender=ReflectionTheme, dispatch_uid="lob-themes-del")

        # Rendered action-plan blocks (blocks.py) go stale when what they show changes.
        from wagtail.models import Page
        from wagtail.signals import page_unpublished

        from .block_data import forget_blocks
        from .models import Action, ReflectionSession

        for model in (Action, Partnership, ReflectionTheme, ReflectionSession, Page):
            post_save.connect(forget_blocks, sender=model, dispatch_uid=f"lob-blocks-{model.__name__}")
            post_delete.connect(forget_blocks, sender=model, dispatch_uid=f"lob-blocks-del-{model.__name__}")
        page_unpublished.connect(forget_blocks, dispatch_uid="lob-blocks-unpublished")
