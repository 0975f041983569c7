"""Wagtail admin for meetings (Overleg): a scoped viewset with the agenda and decisions in the inspect view.

Scoped like actions and sessions: the working group sees and plans its own partnerships' meetings,
bestuurders read theirs, everyone else gets 404. Closed minutes are not edited here either: the edit
view refuses them and says why (``actieplan.minutes.closed_message``). Agenda, minutes and decisions
are written on the meeting page itself, where decisions become actions.
"""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.permission_policies import ModelPermissionPolicy
from actieplan.compat import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from actieplan.meetings import agenda as meetings, minutes
from actieplan.partnerships import permissions
from actieplan.partnerships import audit, safe_delete
from actieplan.partnerships.audit import ScopedSnippetChooserViewSet
from actieplan.partnerships.models import Partnership
from actieplan.spreadsheets import SafeSpreadsheetExportMixin
from actieplan.partnerships.scoping import PartnershipScopedAdminForm, ScopedObjectMixin
from actieplan.meetings.models import Meeting
from actieplan.formats import person_name


class MeetingPermissionPolicy(ModelPermissionPolicy):
    """The group's model permission AND membership of the meeting's partnership (or being its chair)."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "view":
            return permissions.can_view_meeting(user, instance)
        return permissions.can_manage_meeting(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not user.is_active or not self.user_has_any_permission(user, actions):
            return Meeting.objects.none()
        if user.is_superuser:
            return Meeting.objects.all()
        if "view" in actions and self.user_has_permission(user, "view"):
            return Meeting.objects.filter(partnership_id__in=permissions.member_partnerships(user))
        return Meeting.objects.filter(partnership_id__in=permissions.member_partnerships(user, permissions.EDITOR_ROLES))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


meeting_policy = MeetingPermissionPolicy(Meeting)
register_permission_policy(Meeting, meeting_policy)
audit.register_scope(Meeting, lambda user: meeting_policy.instances_user_has_any_permission_for(user, ["view", "change"]))
safe_delete.register_holder(Partnership, lambda partnership: Meeting.objects.filter(partnership=partnership).count(),
                            "%(n)d overleg", "%(n)d overleggen")


class MeetingAdminForm(PartnershipScopedAdminForm):
    member_fields = ("chair", "invited")

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.instance.is_closed:
            raise forms.ValidationError(minutes.closed_message(self.instance))
        partnership = data.get("partnership")
        if partnership is not None:
            members = set(partnership.memberships.values_list("user_id", flat=True))
            if any(user.pk not in members for user in data.get("invited") or []):
                self.add_error("invited", _("Nodig alleen leden van dit samenwerkingsverband uit."))
        return data


class ScopedMeetingMixin(ScopedObjectMixin):
    scope_policy = meeting_policy


class MeetingIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    def get_base_queryset(self):
        return (meeting_policy.instances_user_has_any_permission_for(self.request.user, ["view", "change"])
                .select_related("partnership", "chair").annotate(n_decisions=Count("items__decisions")))


class MeetingCreateView(snippet_views.CreateView):
    def save_instance(self):
        if self.form.instance.created_by_id is None:
            self.form.instance.created_by = self.request.user
        return super().save_instance()


class MeetingEditView(ScopedMeetingMixin, snippet_views.EditView):
    """Closed minutes are refused before the form is even shown."""

    scope_action = "change"

    def dispatch(self, request, *args, **kwargs):
        meeting = Meeting.objects.filter(pk=kwargs.get("pk")).first()
        if meeting is not None and meeting.is_closed and permissions.can_view_meeting(request.user, meeting):
            messages.error(request, minutes.closed_message(meeting))
            return redirect(reverse(self.inspect_url_name, args=[meeting.pk]))
        return super().dispatch(request, *args, **kwargs)


class MeetingDeleteView(ScopedMeetingMixin, snippet_views.DeleteView):
    scope_action = "delete"


class MeetingCopyView(ScopedMeetingMixin, snippet_views.CopyView):
    scope_action = "view"


class MeetingHistoryView(ScopedMeetingMixin, snippet_views.HistoryView):
    scope_action = "view"


class MeetingUsageView(ScopedMeetingMixin, snippet_views.UsageView):
    scope_action = "view"


class MeetingInspectView(ScopedMeetingMixin, snippet_views.InspectView):
    """The meeting's fields, then its agenda items with notes and decisions, and its figures."""

    scope_action = "view"
    template_name = "actieplan/meetings/admin/inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["items"] = (self.object.items.select_related("action")
                            .prefetch_related("decisions__action__owner").order_by("position", "pk"))
        context["figures"] = meetings.figures(self.object)
        context["front_end_url"] = reverse("actieplan:meeting_detail", args=[self.object.pk])
        context["closed_message"] = minutes.closed_message(self.object) if self.object.is_closed else ""
        return context

    def get_chair_display_value(self):
        chair = self.object.chair
        return person_name(chair) if chair else "—"

    def get_invited_display_value(self):
        return ", ".join(person_name(u) for u in self.object.invited.all()) or "—"


class ClosedColumn(Column):
    def get_value(self, instance):
        return _("afgesloten") if instance.is_closed else _("open")


class MeetingViewSet(SnippetViewSet):
    """Meetings in the Wagtail admin: list with filters and export, plan, inspect the minutes."""

    model = Meeting
    icon = "date"
    menu_label = _("Overleg")
    menu_name = "overleg"
    menu_order = 160
    add_to_admin_menu = True
    admin_url_namespace = "actieplan_meetings"
    base_url_path = "actieplan/overleg"
    permission_policy = meeting_policy
    index_view_class = MeetingIndexView
    add_view_class = MeetingCreateView
    edit_view_class = MeetingEditView
    delete_view_class = MeetingDeleteView
    copy_view_class = MeetingCopyView
    history_view_class = MeetingHistoryView
    usage_view_class = MeetingUsageView
    inspect_view_class = MeetingInspectView
    chooser_viewset_class = ScopedSnippetChooserViewSet
    inspect_view_enabled = True
    inspect_view_fields = ["partnership", "kind", "starts_at", "duration_minutes", "location", "chair", "invited",
                           "closed_at", "closed_by"]
    list_display = [
        TitleColumn("title", label=_("Overleg"), url_name="actieplan_meetings:inspect", accessor=str),
        Column("partnership", label=_("Samenwerkingsverband")),
        Column("kind", label=_("Soort"), accessor="get_kind_display"),
        DateColumn("starts_at", label=_("Datum"), sort_key="starts_at"),
        Column("n_decisions", label=_("Besluiten")),
        ClosedColumn("closed", label=_("Verslag")),
    ]
    list_filter = ["partnership", "kind"]
    list_export = ["__str__", "partnership", "get_kind_display", "starts_at", "location", "chair", "closed_at"]
    export_headings = {"__str__": _("Overleg"), "partnership": _("Samenwerkingsverband"),
                       "get_kind_display": _("Soort"), "starts_at": _("Begint om"), "location": _("Plaats of link"),
                       "chair": _("Voorzitter"), "closed_at": _("Verslag afgesloten op")}
    export_filename = "overleggen"
    ordering = "-starts_at"
    search_fields = ["title", "location"]
    search_backend_name = None
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldPanel("partnership", widget=forms.Select), FieldPanel("kind"), FieldPanel("title"),
        ], heading=_("Wat")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("duration_minutes")]),
            FieldPanel("location"),
        ], heading=_("Wanneer en waar")),
        MultiFieldPanel([
            FieldPanel("chair", widget=forms.Select), FieldPanel("invited", widget=forms.CheckboxSelectMultiple),
        ], heading=_("Wie")),
    ], base_form_class=MeetingAdminForm)

    def get_queryset(self, request):
        return meeting_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])


register_snippet(MeetingViewSet)
