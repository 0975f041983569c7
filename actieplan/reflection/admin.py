"""Wagtail admin for the reflectietool: the "Reflectietool" menu with themes, questions and sessions.

Themes and questions are reference data that redacteuren may sharpen; a session keeps the wording
it was scored on (``ReflectionSession.question_wording``), so editing a question never rewrites
history. Sessions are scoped like actions: the working group sees and edits only its own
partnerships' sessions (``actieplan.permissions``), everyone else gets 404.
"""

from django import forms
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.permission_policies import ModelPermissionPolicy
from actieplan.compat import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from actieplan.partnerships import permissions
from actieplan.partnerships import audit, safe_delete
from actieplan.partnerships.admin import filterset_for
from actieplan.partnerships.audit import ScopedSnippetChooserViewSet
from actieplan.partnerships.models import Partnership
from actieplan.spreadsheets import SafeSpreadsheetExportMixin
from actieplan.partnerships.scoping import PartnershipScopedAdminForm, ScopedObjectMixin
from actieplan.partnerships.reference import ReflectionQuestion, ReflectionTheme
from actieplan.reflection.models import ReflectionSession


class ReflectionSessionPermissionPolicy(ModelPermissionPolicy):
    """The group's model permission AND membership of the session's partnership."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if user.is_superuser:
            return True
        if action == "view":
            return instance.partnership_id in permissions.partnership_ids(user)
        return permissions.can_manage_partnership(user, instance.partnership_id)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not user.is_active or not self.user_has_any_permission(user, actions):
            return ReflectionSession.objects.none()
        if user.is_superuser:
            return ReflectionSession.objects.all()
        if "view" in actions and self.user_has_permission(user, "view"):
            return ReflectionSession.objects.filter(partnership_id__in=permissions.partnership_ids(user))
        return ReflectionSession.objects.filter(
            partnership_id__in=permissions.partnership_ids(user, permissions.EDITOR_ROLES))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


CLOSE_LOG_ACTION = "actieplan.reflectie_gesloten"
VOID_LOG_ACTION = "actieplan.reflectie_ongeldig"


@hooks.register("register_log_actions")
def register_reflection_log_actions(actions):
    actions.register_action(CLOSE_LOG_ACTION, _("Session closed"), _("Session closed; the scores are fixed"))
    actions.register_action(VOID_LOG_ACTION, _("Submissions voided"),
                            _("Completed questionnaires voided (a series in the same minute)"))


session_policy = ReflectionSessionPermissionPolicy(ReflectionSession)
register_permission_policy(ReflectionSession, session_policy)
audit.register_scope(ReflectionSession,
                     lambda user: session_policy.instances_user_has_any_permission_for(user, ["view", "change"]))
safe_delete.register_holder(
    Partnership, lambda partnership: ReflectionSession.objects.filter(partnership=partnership).count(),
    "%(n)d reflectiesessie", "%(n)d reflectiesessies")


def closed_session(session):
    """A closed session's scores are in the trend and on the Voortgang page: they stay."""
    if session.is_open:
        return []
    return [_("The session is closed: the scores are fixed and count towards the trend per theme and on the "
              "progress page.")]


safe_delete.register_protection(ReflectionSession, closed_session)
safe_delete.register_holder(ReflectionSession, lambda session: session.responses.count(),
                            "%(n)d antwoordenset (wordt mee verwijderd)", "%(n)d antwoordensets (worden mee verwijderd)")
safe_delete.register_holder(ReflectionSession, lambda session: session.actions.count(),
                            "%(n)d actie uit deze sessie (verliest haar herkomst)",
                            "%(n)d acties uit deze sessie (verliezen hun herkomst)")
safe_delete.register_archivable(
    ReflectionSession, _("%(name)s has been archived: the session is no longer in the list; the scores still "
                         "count towards the trend and the figures."),
    advice=_("Archive the session instead: it disappears from the list of sessions, and the scores still "
             "count towards the trend per theme and on the progress page."),
    may_archive=lambda user, session: session_policy.user_has_permission_for_instance(user, "change", session))


class ReflectionSessionAdminForm(PartnershipScopedAdminForm):
    """Only the partnerships the user may manage, and only their members as gespreksleider."""

    member_fields = ("facilitator",)


class ScopedSessionMixin(ScopedObjectMixin):
    scope_policy = session_policy


class SessionIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    def get_base_queryset(self):
        return (session_policy.instances_user_has_any_permission_for(self.request.user, ["view", "change"])
                .select_related("partnership", "facilitator").annotate(n_responses=Count("responses")))


class SessionEditView(ScopedSessionMixin, snippet_views.EditView):
    scope_action = "change"


class SessionDeleteView(ScopedSessionMixin, safe_delete.NamesWhatDependsMixin, snippet_views.DeleteView):
    scope_action = "delete"


class SessionInspectView(ScopedSessionMixin, snippet_views.InspectView):
    scope_action = "view"


class SessionHistoryView(ScopedSessionMixin, snippet_views.HistoryView):
    scope_action = "view"


class SessionUsageView(ScopedSessionMixin, snippet_views.UsageView):
    scope_action = "view"


class SessionCopyView(ScopedSessionMixin, snippet_views.CopyView):
    scope_action = "view"


class ReflectionThemeViewSet(SnippetViewSet):
    model = ReflectionTheme
    icon = "list-ol"
    menu_label = _("Themes")
    list_display = ["name", "background_title", "sort_order"]
    search_fields = ["name", "background"]
    ordering = ["sort_order"]


class ReflectionQuestionViewSet(SnippetViewSet):
    model = ReflectionQuestion
    icon = "help"
    menu_label = _("Questions")
    list_display = ["text", "theme", "number", "is_active"]
    list_filter = ["theme", "is_active"]
    search_fields = ["text"]


class ResponseCountColumn(Column):
    def get_value(self, instance):
        return getattr(instance, "n_responses", None)


class ReflectionSessionViewSet(SnippetViewSet):
    model = ReflectionSession
    icon = "group"
    menu_label = _("Sessions")
    permission_policy = session_policy
    edit_handler = ObjectList([
        # A plain select (not the snippet chooser) so only the user's own partnerships are offered.
        FieldPanel("partnership", widget=forms.Select), FieldPanel("title"), FieldPanel("date"),
        FieldPanel("facilitator"), FieldPanel("expected_participants"),
    ], base_form_class=ReflectionSessionAdminForm)
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    delete_view_class = SessionDeleteView
    inspect_view_class = SessionInspectView
    history_view_class = SessionHistoryView
    usage_view_class = SessionUsageView
    copy_view_class = SessionCopyView
    chooser_viewset_class = ScopedSnippetChooserViewSet
    inspect_view_enabled = True
    inspect_view_fields = ["partnership", "title", "date", "facilitator", "status", "code", "closed_at"]
    list_display = [
        TitleColumn("title", label=_("title"), url_name="wagtailsnippets_actieplan_reflectionsession:edit"),
        "partnership",
        DateColumn("date", label=_("date")),
        "status",
        ResponseCountColumn("n_responses", label=_("answers")),
    ]
    filterset_class = filterset_for(ReflectionSession, ["partnership", "status"])
    list_export = ["title", "partnership", "date", "status", "facilitator"]
    # A database search on the listing's own queryset: Wagtail's search backend cannot sort its results by the
    # answer count (searching, then sorting gave a server error).
    search_fields = ["title"]
    search_backend_name = None


class ReflectionViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Reflection tool")
    menu_name = "reflectietool"  # fixed, whatever the language: fold_admin_menus finds it by name
    menu_icon = "list-ol"
    menu_order = 210
    items = (ReflectionSessionViewSet, ReflectionThemeViewSet, ReflectionQuestionViewSet)


register_snippet(ReflectionViewSetGroup)
