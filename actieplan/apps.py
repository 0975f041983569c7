from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActieplanConfig(AppConfig):
    name = "actieplan"
    verbose_name = _("Actieplan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Event notifications (assigned, completed, blocked) follow every save of an action.
        from actieplan.reminders import notifications

        notifications.connect()

        # The cached choice lists (and the row and card fragments that show those names) carry a
        # version that any save or delete of a name they show replaces, in every worker at once.
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from actieplan.actions.filters import bump_choices_version
        from actieplan.partnerships.models import Membership, Organisation, Partnership
        from actieplan.partnerships.reference import ReflectionTheme

        for model in (Membership, Organisation, Partnership, ReflectionTheme, get_user_model()):
            post_save.connect(bump_choices_version, sender=model, dispatch_uid=f"lob-choices-{model.__name__}")
            post_delete.connect(bump_choices_version, sender=model, dispatch_uid=f"lob-choices-del-{model.__name__}")

        # The Voortgang report is cached under a version that every change to the plan bumps.
        from actieplan.actions.models import Action, ActionUpdate
        from actieplan.meetings.models import Meeting
        from actieplan.reflection.models import ReflectionResponse, ReflectionScore
        from actieplan.progress.report import bump_version

        for model in (Action, ActionUpdate, Meeting, ReflectionResponse, ReflectionScore):
            post_save.connect(bump_version, sender=model, dispatch_uid=f"lob-progress-{model.__name__}")
            post_delete.connect(bump_version, sender=model, dispatch_uid=f"lob-progress-del-{model.__name__}")

        # Rendered action-plan blocks (blocks.py) go stale when what they show changes.
        from wagtail.models import Page
        from wagtail.signals import page_unpublished

        from actieplan.blocks.data import forget_blocks
        from actieplan.actions.models import Action
        from actieplan.reflection.models import ReflectionSession

        for model in (Action, Partnership, ReflectionTheme, ReflectionSession, Page):
            post_save.connect(forget_blocks, sender=model, dispatch_uid=f"lob-blocks-{model.__name__}")
            post_delete.connect(forget_blocks, sender=model, dispatch_uid=f"lob-blocks-del-{model.__name__}")
        page_unpublished.connect(forget_blocks, dispatch_uid="lob-blocks-unpublished")
