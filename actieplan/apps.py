from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from actieplan.compat import check_versions

# Before any model or admin module imports a Wagtail API: an unsupported Wagtail stops here, with one line.
check_versions()


class ActieplanConfig(AppConfig):
    """The action plan (see actieplan/README.md for its map). ``ready`` wires what crosses capabilities:
    notifications after saves, the cache versions bumped by changes, and the reminders' planners and mails."""

    name = "actieplan"
    verbose_name = _("Actieplan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from wagtail.models import Page

        from actieplan import caching
        from actieplan.actions.models import Action, ActionUpdate
        from actieplan.meetings import emails as meeting_emails
        from actieplan.meetings.models import Decision, Meeting
        from actieplan.partnerships.models import Membership, Organisation, Partnership, Region
        from actieplan.partnerships.reference import ReflectionTheme
        from actieplan.reflection.models import ReflectionResponse, ReflectionScore, ReflectionSession
        from actieplan.reminders import notifications

        # Event notifications (assigned, completed, blocked) follow every save of an action.
        notifications.connect()
        # The meetings' check-in and minutes mails go through the reminder log like every other mail.
        meeting_emails.register()

        # Cached choice lists and the row, card and filter fragments that show those names.
        caching.bump_on_change("choices", Membership, Organisation, Partnership, Region, ReflectionTheme,
                               get_user_model(), m2m=[Partnership.regions.through])
        # The Voortgang report, its PDF and XLSX.
        caching.bump_on_change("progress", Action, ActionUpdate, Meeting, Decision, ReflectionSession,
                               ReflectionResponse, ReflectionScore, Partnership, ReflectionTheme)
        # Rendered action-plan blocks on any page: they show actions, sessions and the pages they link to.
        caching.bump_on_change("blocks", Action, ActionUpdate, Partnership, ReflectionTheme, ReflectionSession,
                               ReflectionScore, Page)
