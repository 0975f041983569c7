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
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
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
from actieplan.partnerships.admin import filterset_for
from actieplan.partnerships.audit import ScopedSnippetChooserViewSet
from actieplan.partnerships.models import Partnership
from actieplan.spreadsheets import SafeSpreadsheetExportMixin
from actieplan.partnerships.scoping import PartnershipScopedAdminForm, ScopedObjectMixin
from actieplan.actions.models import Action
from actieplan.meetings.models import Decision, Meeting, MeetingSeries
from actieplan.formats import day_label, person_name


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
        objects = self.model._default_manager
        if not user.is_active or not self.user_has_any_permission(user, actions):
            return objects.none()
        if user.is_superuser:
            return objects.all()
        if "view" in actions and self.user_has_permission(user, "view"):
            return objects.filter(partnership_id__in=permissions.member_partnerships(user))
        return objects.filter(partnership_id__in=permissions.member_partnerships(user, permissions.EDITOR_ROLES))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


meeting_policy = MeetingPermissionPolicy(Meeting)
register_permission_policy(Meeting, meeting_policy)
series_policy = MeetingPermissionPolicy(MeetingSeries)
register_permission_policy(MeetingSeries, series_policy)
audit.register_scope(MeetingSeries,
                     lambda user: series_policy.instances_user_has_any_permission_for(user, ["view", "change"]))
safe_delete.register_holder(Partnership,
                            lambda partnership: MeetingSeries.objects.filter(partnership=partnership).count(),
                            "%(n)d overlegreeks", "%(n)d overlegreeksen")
audit.register_scope(Meeting, lambda user: meeting_policy.instances_user_has_any_permission_for(user, ["view", "change"]))
safe_delete.register_holder(Partnership, lambda partnership: Meeting.objects.filter(partnership=partnership).count(),
                            "%(n)d overleg", "%(n)d overleggen")


def _decision_of(action):
    return Decision.objects.select_related("item__meeting").filter(action=action).first()


def action_from_a_decision(action):
    """An action a meeting decided keeps its place in those minutes and in that meeting's figures."""
    decision = _decision_of(action)
    if decision is None:
        return []
    return [_("The action comes from a decision at %(meeting)s (agenda item ‘%(item)s’): the minutes and the "
              "talking-shop index of that meeting count this action.") % {
        "meeting": decision.item.meeting, "item": decision.item.title}]


def closed_minutes(meeting):
    if not meeting.is_closed:
        return []
    return [minutes.closed_message(meeting)]


safe_delete.register_protection(Action, action_from_a_decision)
safe_delete.register_protection(Meeting, closed_minutes)
safe_delete.register_holder(Action, lambda action: action.agenda_items.count(),
                            "%(n)d agendapunt van een overleg (verliest de koppeling)",
                            "%(n)d agendapunten van overleggen (verliezen de koppeling)")
safe_delete.register_holder(Action, lambda action: action.checkin_answers.count(),
                            "%(n)d check-in-antwoord (wordt mee verwijderd)",
                            "%(n)d check-in-antwoorden (worden mee verwijderd)")
safe_delete.register_holder(Meeting, lambda meeting: meeting.items.count(),
                            "%(n)d agendapunt met de notities (wordt mee verwijderd)",
                            "%(n)d agendapunten met de notities (worden mee verwijderd)")
safe_delete.register_holder(Meeting, lambda meeting: Decision.objects.filter(item__meeting=meeting).count(),
                            "%(n)d besluit (wordt mee verwijderd)", "%(n)d besluiten (worden mee verwijderd)")
safe_delete.register_holder(
    Meeting, lambda meeting: Decision.objects.filter(item__meeting=meeting, action__isnull=False).count(),
    "%(n)d actie uit een besluit (verliest haar herkomst)", "%(n)d acties uit besluiten (verliezen hun herkomst)")
safe_delete.register_holder(Meeting, lambda meeting: meeting.checkin_answers.count(),
                            "%(n)d check-in-antwoord (wordt mee verwijderd)",
                            "%(n)d check-in-antwoorden (worden mee verwijderd)")
safe_delete.register_archivable(
    Meeting, _("%(name)s has been archived: the meeting no longer appears in the list; the minutes, the "
               "decisions and the figures are kept."),
    advice=_("Archive the meeting instead: it disappears from the list of meetings, and the minutes, the "
             "decisions, their actions and the figures on the progress page stay as they were sent out."),
    may_archive=lambda user, meeting: meeting_policy.user_has_permission_for_instance(user, "change", meeting))


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
                self.add_error("invited", _("Only invite members of this partnership."))
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


class MeetingDeleteView(ScopedMeetingMixin, safe_delete.NamesWhatDependsMixin, snippet_views.DeleteView):
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
        context["attendance"] = self.object.attendance_lists()
        context["addenda"] = list(self.object.addenda.select_related("created_by"))
        return context

    def get_chair_display_value(self):
        return self.object.chair_label or "—"

    def get_invited_display_value(self):
        return ", ".join(person_name(u) for u in self.object.invited.all()) or "—"


class ClosedColumn(Column):
    def get_value(self, instance):
        return _("finalised") if instance.is_closed else _("open")


class MeetingViewSet(SnippetViewSet):
    """Meetings in the Wagtail admin: list with filters and export, plan, inspect the minutes."""

    model = Meeting
    icon = "date"
    menu_label = _("Meeting")
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
        TitleColumn("title", label=_("Meeting"), url_name="actieplan_meetings:inspect", accessor=str),
        Column("partnership", label=_("Partnership")),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        DateColumn("starts_at", label=_("Date"), sort_key="starts_at"),
        Column("n_decisions", label=_("Decisions")),
        ClosedColumn("closed", label=_("Minutes")),
    ]
    filterset_class = filterset_for(Meeting, ["partnership", "kind"])
    list_export = ["__str__", "partnership", "get_kind_display", "starts_at", "location", "chair", "closed_at"]
    export_headings = {"__str__": _("Meeting"), "partnership": _("Partnership"),
                       "get_kind_display": _("Kind"), "starts_at": _("Starts at"), "location": _("Location or link"),
                       "chair": _("Chair"), "closed_at": _("Minutes closed on")}
    export_filename = "overleggen"
    ordering = "-starts_at"
    search_fields = ["title", "location"]
    search_backend_name = None
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldPanel("partnership", widget=forms.Select), FieldPanel("kind"), FieldPanel("title"),
        ], heading=_("What")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("duration_minutes")]),
            FieldPanel("location"),
        ], heading=_("When and where")),
        MultiFieldPanel([
            FieldPanel("chair", widget=forms.Select), FieldPanel("invited", widget=forms.CheckboxSelectMultiple),
        ], heading=_("Who")),
    ], base_form_class=MeetingAdminForm)

    def get_queryset(self, request):
        return meeting_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])


register_snippet(MeetingViewSet)


class SeriesAdminForm(PartnershipScopedAdminForm):
    member_fields = ("chair", "invited")


class ScopedSeriesMixin(ScopedObjectMixin):
    scope_policy = series_policy


class SeriesEditView(ScopedSeriesMixin, snippet_views.EditView):
    scope_action = "change"


class SeriesDeleteView(ScopedSeriesMixin, snippet_views.DeleteView):
    scope_action = "delete"


class SeriesHistoryView(ScopedSeriesMixin, snippet_views.HistoryView):
    scope_action = "view"


class SeriesUsageView(ScopedSeriesMixin, snippet_views.UsageView):
    scope_action = "view"


class SeriesInspectView(ScopedSeriesMixin, snippet_views.InspectView):
    scope_action = "view"

    def get_rule_display_value(self):
        return self.object.describe()

    def get_chair_display_value(self):
        return person_name(self.object.chair) if self.object.chair else "—"

    def get_ends_on_display_value(self):
        return day_label(self.object.ends_on) or _("ongoing")

    def get_first_date_display_value(self):
        return day_label(self.object.first_date)

    def get_agenda_template_display_value(self):
        return format_html_join(mark_safe("<br>"), "{}", ((item,) for item in self.object.template_items())) or "—"

    def get_invited_display_value(self):
        return ", ".join(person_name(u) for u in self.object.invited.all()) or "—"


class RuleColumn(Column):
    def get_value(self, instance):
        return instance.describe()


class MeetingSeriesViewSet(SnippetViewSet):
    """Meeting series in the Wagtail admin: the same series the meeting pages make, with their rule in words.
    The series' meetings are opened by the pages and by closing minutes (``actieplan.meetings.minutes``)."""

    model = MeetingSeries
    icon = "repeat"
    menu_label = _("Meeting series")
    menu_name = "overlegreeksen"
    menu_order = 161
    add_to_admin_menu = True
    admin_url_namespace = "actieplan_meeting_series"
    base_url_path = "actieplan/overlegreeksen"
    permission_policy = series_policy
    edit_view_class = SeriesEditView
    delete_view_class = SeriesDeleteView
    history_view_class = SeriesHistoryView
    usage_view_class = SeriesUsageView
    inspect_view_class = SeriesInspectView
    chooser_viewset_class = ScopedSnippetChooserViewSet
    inspect_view_enabled = True
    inspect_view_fields = ["partnership", "kind", "rule", "first_date", "ends_on", "location", "chair", "invited",
                           "agenda_template"]
    list_display = [
        TitleColumn("title", label=_("Series"), url_name="actieplan_meeting_series:inspect", accessor=str),
        Column("partnership", label=_("Partnership")),
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        RuleColumn("rule", label=_("Recurrence")),
    ]
    list_filter = ["partnership", "kind"]
    ordering = "title"
    search_fields = ["title", "location"]
    search_backend_name = None
    edit_handler = ObjectList([
        MultiFieldPanel([
            FieldPanel("partnership", widget=forms.Select), FieldPanel("kind"), FieldPanel("title"),
        ], heading=_("What")),
        MultiFieldPanel([
            FieldPanel("rule", widget=forms.RadioSelect),
            FieldRowPanel([FieldPanel("interval"), FieldPanel("ordinal"), FieldPanel("weekday"),
                           FieldPanel("day_of_month")]),
            FieldRowPanel([FieldPanel("first_date"), FieldPanel("ends_on")]),
            FieldRowPanel([FieldPanel("start_time"), FieldPanel("duration_minutes")]),
            FieldPanel("location"),
        ], heading=_("When and where")),
        MultiFieldPanel([
            FieldPanel("chair", widget=forms.Select), FieldPanel("invited", widget=forms.CheckboxSelectMultiple),
        ], heading=_("Who")),
        FieldPanel("agenda_template"),
    ], base_form_class=SeriesAdminForm)

    def get_queryset(self, request):
        return series_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])


register_snippet(MeetingSeriesViewSet)
