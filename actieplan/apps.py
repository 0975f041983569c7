from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from actieplan.compat import check_versions

# Before any model or admin module imports a Wagtail API: an unsupported Wagtail stops here, with one line.
check_versions()


class ActieplanConfig(AppConfig):
    """The action plan (see actieplan/README.md for its map). ``ready`` wires what crosses capabilities:
    notifications after saves, the cache versions bumped by changes, the reminders' planners and mails, following
    and the search vocabulary."""

    name = "actieplan"
    verbose_name = _("Action plan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_delete, pre_migrate
        from wagtail.models import Page

        from actieplan import caching, migration_guards, snapshots
        from actieplan.actions.models import Action, ActionUpdate
        from actieplan.following import changes as following_changes, emails as following_emails
        from actieplan.following.models import Change, Follow, FollowerSettings
        from actieplan.following import rules as following_rules
        from actieplan.following.since import FOLLOWING
        from actieplan.meetings import emails as meeting_emails
        from actieplan.meetings.models import AgendaItem, Decision, Meeting
        from actieplan.operations import activity as platform_activity, invitations
        from actieplan.partnerships.models import Membership, Organisation, Partnership, Region
        from actieplan.partnerships.reference import ReflectionTheme
        from actieplan.progress import report as progress_report
        from actieplan.reflection.models import ReflectionResponse, ReflectionScore, ReflectionSession
        from actieplan.reminders import notifications
        from actieplan.search import plan as plan_search

        # A migrate that would reverse a page type while its pages exist stops before it reverses anything.
        pre_migrate.connect(migration_guards.refuse_plan, sender=self, dispatch_uid="actieplan-keep-pages")
        # A deleted person's name stays on their notes, decisions, meetings and sessions.
        pre_delete.connect(snapshots.remember_names, sender=get_user_model(), dispatch_uid="actieplan-keep-names")
        # Event notifications (assigned, completed, blocked) follow every save of an action.
        notifications.connect()
        # The meetings' check-in and minutes mails go through the reminder log like every other mail.
        meeting_emails.register()
        # The invitation of a new partnership's first procesbewaker, too.
        invitations.register()
        # Following: default followers and the changes people hear of (after the notifications above, which
        # the follow mails leave to tell what they tell), their mails and the digest's section.
        following_changes.connect()
        following_emails.register()
        # The plan search's vocabulary ("Bedoelde je: …") follows every saved text.
        plan_search.connect()

        # Cached choice lists and the row, card and filter fragments that show those names.
        caching.bump_on_change("choices", Membership, Organisation, Partnership, Region, ReflectionTheme,
                               get_user_model(), m2m=[Partnership.regions.through])
        # The Voortgang report, its PDF and XLSX. An action, its notes and the partnership itself concern only that
        # partnership's report (progress.report.scopes_of): a note in one region leaves the others' reports cached.
        caching.bump_on_change("progress", Action, ActionUpdate, Partnership, scope=progress_report.scopes_of)
        caching.bump_on_change("progress", Meeting, Decision, ReflectionSession, ReflectionResponse, ReflectionScore,
                               ReflectionTheme)
        # A reflection session's results, perception gaps and trend (reflection/results.py, reflection/views.py).
        caching.bump_on_change("reflection", ReflectionSession, ReflectionResponse, ReflectionScore, ReflectionTheme)
        # The platform operator's overview: counts per partnership (actions, members, sessions, meetings).
        caching.bump_on_change(platform_activity.PLATFORM, Action, ActionUpdate, Meeting, ReflectionSession,
                               Membership, Partnership, get_user_model())
        # The regional benchmark's theme names (its figures come from the weekly snapshot, keyed by week).
        caching.bump_on_change("benchmark", ReflectionTheme)
        # Rendered action-plan blocks on any page: they show actions, sessions and the pages they link to.
        caching.bump_on_change("blocks", Action, ActionUpdate, Partnership, ReflectionTheme, ReflectionSession,
                               ReflectionScore, Page)
        # Cached plan searches: every searched text, what the hits show (names, meetings, sessions) and who may
        # read what (memberships, archived partnerships, invitations, platform admins, sessions' group size).
        caching.bump_on_change(plan_search.SEARCH, Action, ActionUpdate, Decision, AgendaItem, Meeting,
                               ReflectionSession, ReflectionResponse, ReflectionScore, Membership, Partnership,
                               Organisation, ReflectionTheme, get_user_model(),
                               m2m=[Meeting.invited.through, get_user_model().groups.through])
        # "Sinds je laatste bezoek", its items and the count in the header: what changed, what one follows, what
        # one may read (meetings through their items, decisions and invitations; archived partnerships; public
        # proeftuinen), and what the items show (notes, names, titles).
        # Follows, settings and what happens to an action concern only the person or the action's partnership
        # (following.rules.scopes_of); the rest concerns anyone.
        caching.bump_on_change(FOLLOWING, Change, Follow, FollowerSettings, Action, ActionUpdate,
                               scope=following_rules.scopes_of)
        caching.bump_on_change(FOLLOWING, Membership, Meeting, AgendaItem, Decision, Partnership, Page,
                               get_user_model(), m2m=[Meeting.invited.through])
