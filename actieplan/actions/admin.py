"""Wagtail admin for actions: the Actieplan menu (actions, and the partnerships' listings from
``actieplan.partnerships.admin``), the dashboard panel "Mijn acties" and the report "Verlopen acties".

Who sees which action is decided in one place, ``actieplan.partnerships.permissions``;
``ActionPermissionPolicy`` makes the admin use it, so the listing, inspect, edit, history, report and
exports are all scoped.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from actieplan.compat import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from actieplan import conflicts, submissions
from actieplan.actions import counts, services
from actieplan.partnerships import audit, permissions, safe_delete
from actieplan.partnerships.audit import ScopedSnippetChooserViewSet
from actieplan.spreadsheets import SafeSpreadsheetExportMixin
from actieplan.partnerships.scoping import PartnershipScopedAdminForm, ScopedObjectMixin
from actieplan.actions.exchange import front_end_action_url
from actieplan.formats import day_label, moment_label, person_name
from actieplan.overrides import template_names
from actieplan.actions.forms import DeadlineReasonMixin, deadline_reason_field
from actieplan.actions.models import Action, ActionUpdate, is_overdue, overdue_q
from actieplan.partnerships.admin import MembershipViewSet, OrganisationViewSet, PartnershipViewSet, RegionViewSet
from actieplan.partnerships.models import Organisation, Partnership
from actieplan.actions.filters import OVERDUE_CHOICES, ActionFilterSet



# --- permissions ---------------------------------------------------------------------------------

def _editable_q(user):
    return Q(partnership_id__in=permissions.member_partnerships(user, permissions.EDITOR_ROLES))


class ActionPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions (from the groups) AND the partnership scope of actieplan.permissions.

    The group gives the right to use the admin for actions at all; the membership decides which ones.
    """

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if user.is_superuser:  # the admin keeps archived partnerships' actions for platform admins
            return True
        if action == "view":
            return permissions.can_view_action(user, instance)
        return permissions.can_edit_action(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not user.is_active or not self.user_has_any_permission(user, actions):
            return Action.objects.none()
        if user.is_superuser:
            return Action.objects.all()
        if "view" in actions and self.user_has_permission(user, "view"):
            # Everything editable is also visible, so the visible scope is the whole answer.
            return counts.visible(user)
        return Action.objects.filter(_editable_q(user))

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


action_policy = ActionPermissionPolicy(Action)
# Must happen before anything asks the registry for Action's policy (that would create a fallback).
register_permission_policy(Action, action_policy)


def admin_visible_actions(user):
    """Actions shown in the admin listing, report and dashboard for ``user``."""
    return action_policy.instances_user_has_any_permission_for(user, ["view", "change"])


audit.register_scope(Action, admin_visible_actions)
safe_delete.register_holder(Partnership, lambda partnership: Action.objects.filter(partnership=partnership).count(),
                            "%(n)d actie", "%(n)d acties")
safe_delete.register_holder(
    Partnership, lambda partnership: ActionUpdate.objects.filter(action__partnership=partnership).count(),
    "%(n)d voortgangsnotitie in de tijdlijn", "%(n)d voortgangsnotities in de tijdlijn")
safe_delete.register_holder(Organisation, lambda organisation: Action.objects.filter(
    owner_organisation=organisation).count(), "%(n)d actie", "%(n)d acties")
# What goes with a deleted action (named on its delete page), and archiving instead where history leans on it.
safe_delete.register_holder(Action, lambda action: action.updates.count(),
                            "%(n)d voortgangsnotitie in de tijdlijn (wordt mee verwijderd)",
                            "%(n)d voortgangsnotities in de tijdlijn (worden mee verwijderd)")
safe_delete.register_holder(Action, lambda action: action.children.count(),
                            "%(n)d subactie (wordt een losse actie)", "%(n)d subacties (worden losse acties)")
safe_delete.register_holder(Action, lambda action: action.linked_pages.count(),
                            "%(n)d koppeling met een good practice of proeftuin",
                            "%(n)d koppelingen met good practices of proeftuinen")
safe_delete.register_archivable(
    Action, _("‘%(name)s’ has been archived: the action no longer appears in the list, on the board or in "
              "the reminders, and it counts in the figures that have already been reported."),
    advice=_("Archive the action instead: it disappears from the list, the board and the reminders; the "
             "timeline, the decision and the figures stay as they were reported."),
    may_archive=lambda user, action: action_policy.user_has_permission_for_instance(user, "change", action))


# --- the Action viewset --------------------------------------------------------------------------

class ActionAdminFilterSet(WagtailFilterSet, ActionFilterSet):
    """The front end's ActionFilterSet, in Wagtail's filter drawer.

    ``overdue`` becomes a choice so the active-filter chip reads "Alleen verlopen acties", not "True";
    it still filters through the shared ``filter_overdue``.
    """

    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"), method="filter_overdue_choice", empty_label=_("All actions"),
        choices=[(value, label) for value, label in OVERDUE_CHOICES if value],
    )

    def filter_overdue_choice(self, queryset, name, value):
        return self.filter_overdue(queryset, name, {"true": True, "false": False}.get(value))

    class Meta(ActionFilterSet.Meta):
        pass

    archived = django_filters.BooleanFilter(label=_("Archived"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin listing has its own search box (Wagtail search) on the same "q" parameter.
        self.filters.pop("q", None)
        # "Alleen mijn acties" is the front end's one-click view; the admin has the owner filter.
        self.filters.pop("mine", None)


class ActionAdminForm(conflicts.ConflictCheckedForm, DeadlineReasonMixin, PartnershipScopedAdminForm):
    """Offers only the partnerships the user may manage, and only their members as owners.

    Editing asks a reason for a new deadline, as the front-end form does, and is checked against changes made
    since the form was opened (``actieplan.conflicts``); a new action's form carries a one-time key.
    """

    member_fields = ("owner",)
    deadline_reason = deadline_reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "owner" in self.fields:
            self.fields["owner"].label_from_instance = person_name
        if "owner_organisation" in self.fields:
            choosable = Organisation.objects.choosable(self.instance.owner_organisation_id)
            if self.managed_partnerships is not None:
                choosable = choosable.filter(memberships__partnership_id__in=self.managed_partnerships).distinct()
            self.fields["owner_organisation"].queryset = choosable
        if self.instance.pk is None:
            self.fields[submissions.FIELD] = submissions.key_field()


class ScopedActionMixin(ScopedObjectMixin):
    scope_policy = action_policy


def _yes_no(value):
    return str(_("yes")) if value else str(_("no"))


# Spreadsheet cells: people by name, booleans in Dutch.
EXPORT_PREPROCESS = {
    "owner": {"csv": person_name, "xlsx": person_name},
    "is_overdue": {"csv": _yes_no, "xlsx": _yes_no},
}


class ActionIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    custom_field_preprocess = EXPORT_PREPROCESS

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("partnership", "theme", "owner", "owner_organisation")


class ActionCreateView(snippet_views.CreateView):
    """One action per submission, as on the front end (a double click on "Opslaan" makes one)."""

    def save_instance(self):
        if self.form.instance.created_by_id is None:
            self.form.instance.created_by = self.request.user
        return submissions.once(self.request, "actie", super().save_instance,
                                url=lambda action: reverse(self.edit_url_name, args=[action.pk]))

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except submissions.Repeat as repeat:
            messages.info(self.request, _("This form had already been submitted; the action was created once."))
            return redirect(repeat.earlier.url or reverse(self.index_url_name))


class ActionEditView(ScopedActionMixin, snippet_views.EditView):
    """Saves through ``services.edit_action`` like the front end: the edit is logged with its changed fields, a
    status or deadline change lands on the timeline, and a change someone made since the form was opened is
    never overwritten (the form comes back with a Dutch message, status 409)."""

    scope_action = "change"

    def post(self, request, *args, **kwargs):
        if not hasattr(self, "object"):
            self.object = self.get_object()
        conflict = self.get_form().conflict(current_user=request.user)
        if conflict:
            return self.conflict_response(conflict)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except conflicts.EditConflict as error:
            self.form = form
            return self.conflict_response(error.conflict)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)

    def conflict_response(self, conflict):
        posted = self.get_form()
        self.object = Action.objects.get(pk=self.object.pk)
        form_class = self.get_form_class()
        self.form = form_class(instance=self.object, initial=posted.merged_initial(self.object),
                               for_user=self.request.user)
        messages.error(self.request, str(conflict))
        return self.render_to_response(self.get_context_data(), status=409)

    def save_instance(self):
        return services.edit_action(self.request.user, self.object, self.form, in_admin=True)


class ActionCopyView(ScopedActionMixin, snippet_views.CopyView):
    scope_action = "view"


class ActionDeleteView(ScopedActionMixin, safe_delete.NamesWhatDependsMixin, snippet_views.DeleteView):
    scope_action = "delete"


class ActionHistoryView(ScopedActionMixin, snippet_views.HistoryView):
    scope_action = "view"


class ActionUsageView(ScopedActionMixin, snippet_views.UsageView):
    scope_action = "view"


class ActionInspectView(snippet_views.InspectView):
    """The action's fields, then its timeline of ActionUpdates (oldest first, never rewritten)."""

    template_name = "actieplan/actions/admin/inspect.html"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not action_policy.user_has_any_permission_for_instance(self.request.user, ["view", "change"], obj):
            raise Http404
        return obj

    def get_owner_display_value(self):
        return person_name(self.object.owner)

    def get_created_by_display_value(self):
        return self.object.created_by_label if self.object.created_by_id or self.object.created_by_name else "—"

    def get_question_display_value(self):
        return self.object.question.text if self.object.question else "—"

    def get_source_session_display_value(self):
        return str(self.object.source_session) if self.object.source_session else "—"

    def get_owner_organisation_display_value(self):
        return str(self.object.owner_organisation or "—")

    def get_board_display_value(self):
        return self.object.get_board_display() or "—"

    def get_created_at_display_value(self):
        return moment_label(self.object.created_at)

    def get_completed_at_display_value(self):
        return moment_label(self.object.completed_at)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["front_end_url"] = front_end_action_url(self.object)
        context["updates"] = self.object.updates.select_related("author")
        context["is_overdue"] = self.object.is_overdue
        return context


class OverdueColumn(Column):
    """A "verlopen" badge for active actions past their deadline."""

    cell_template_name = "actieplan/actions/admin/overdue_cell.html"

    def get_value(self, instance):
        return instance.is_overdue


class ActionViewSet(SnippetViewSet):
    """Actions in the Wagtail admin: filters, search, export, inspect with the timeline."""

    model = Action
    permission_policy = action_policy  # Wagtail 7.4 reads it here, 8.x from the registry (actieplan.compat)
    icon = "tasks"
    menu_label = _("Actions")
    menu_name = "acties"
    menu_order = 100
    admin_url_namespace = "actieplan_actions"
    base_url_path = "actieplan/acties"
    filterset_class = ActionAdminFilterSet
    index_view_class = ActionIndexView
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    copy_view_class = ActionCopyView
    delete_view_class = ActionDeleteView
    history_view_class = ActionHistoryView
    usage_view_class = ActionUsageView
    inspect_view_class = ActionInspectView
    chooser_viewset_class = ScopedSnippetChooserViewSet
    inspect_view_enabled = True
    inspect_view_fields = ["title", "description", "partnership", "theme", "question", "source_session", "board",
                           "owner", "owner_organisation", "mandate_level", "deadline", "status",
                           "created_by", "created_at", "completed_at", "linked_pages"]
    list_per_page = 50
    ordering = "deadline"
    # Database search on the filtered queryset: the shared FilterSet filters on fields (deadline, theme,
    # organisation) that are not FilterFields of the Wagtail search index.
    search_fields = ["title", "description"]
    search_backend_name = None
    list_display = [
        TitleColumn("title", label=_("Title"), url_name="actieplan_actions:edit", sort_key="title", width="28%"),
        Column("owner", label=_("Owner"), accessor=lambda a: person_name(a.owner)),
        Column("partnership", label=_("Partnership"), sort_key="partnership__name"),
        Column("theme", label=_("Theme"), sort_key="theme__sort_order"),
        Column("mandate_level", label=_("Mandate level"), accessor="get_mandate_level_display",
               sort_key="mandate_level"),
        Column("deadline", label=_("Deadline"), accessor=lambda a: day_label(a.deadline), sort_key="deadline"),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        OverdueColumn("overdue", label=_("Overdue")),
    ]
    list_export = ["title", "partnership", "theme", "owner", "owner.email", "owner_organisation",
                   "get_mandate_level_display", "deadline", "get_status_display", "is_overdue"]
    export_headings = {
        "title": _("Title"), "partnership": _("Partnership"), "theme": _("Theme"),
        "owner": _("Owner"), "owner.email": _("Owner email"),
        "owner_organisation": _("Organisation"), "get_mandate_level_display": _("Mandate level"),
        "deadline": _("Deadline"), "get_status_display": _("Status"), "is_overdue": _("Overdue"),
    }
    export_filename = "acties"

    edit_handler = ObjectList([
        MultiFieldPanel([FieldPanel("title"), FieldPanel("description")], heading=_("What")),
        MultiFieldPanel([
            # Plain selects, not snippet choosers: the choices are limited to the user's partnerships.
            FieldPanel("partnership", widget=forms.Select),
            FieldRowPanel([FieldPanel("theme"), FieldPanel("question")]),
            FieldRowPanel([FieldPanel("source_session"), FieldPanel("board")]),
        ], heading=_("Where from")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("owner", widget=forms.Select),
                           FieldPanel("owner_organisation", widget=forms.Select)]),
            FieldRowPanel([FieldPanel("mandate_level"), FieldPanel("deadline"), FieldPanel("status")]),
            FieldPanel("deadline_reason"),  # only on edit (ActionAdminForm)
        ], heading=_("Who, at what level, when")),
        FieldPanel("linked_pages"),
    ], base_form_class=ActionAdminForm)

    def get_queryset(self, request):
        return admin_visible_actions(request.user)


class ActieplanViewSetGroup(SnippetViewSetGroup):
    """The "Actieplan" menu in the admin."""

    items = (ActionViewSet, PartnershipViewSet, OrganisationViewSet, MembershipViewSet, RegionViewSet)
    menu_label = _("Action plan")
    menu_icon = "tasks"
    menu_name = "actieplan"
    menu_order = 150


register_snippet(ActieplanViewSetGroup)


# --- dashboard panel "Mijn acties" ---------------------------------------------------------------

def my_open_actions(user, today=None):
    """The user's own open actions grouped as (overdue, due this week, later)."""
    today = today or timezone.localdate()
    week_end = today + datetime.timedelta(days=7)
    actions = list(counts.mine_active(user).select_related("partnership").order_by("deadline", "pk"))
    overdue = [a for a in actions if is_overdue(a.status, a.deadline, today)]
    this_week = [a for a in actions if today <= a.deadline <= week_end]
    later = [a for a in actions if a.deadline > week_end]
    return overdue, this_week, later


def action_linker(user):
    """A function giving, per action, where ``user`` follows it: the admin edit page for the working group,
    the inspect page for other admin readers, the front end otherwise. Looks up memberships once, not per row.
    """
    superuser = user.is_superuser
    may_change = action_policy.user_has_permission(user, "change")
    may_view = action_policy.user_has_permission(user, "view")
    editable = set(permissions.partnership_ids(user, permissions.EDITOR_ROLES))
    readable = set(permissions.partnership_ids(user))

    def link(action):
        if may_change and (superuser or action.partnership_id in editable):
            return reverse("actieplan_actions:edit", args=[action.pk])
        if may_view and (superuser or action.partnership_id in readable or action.owner_id == user.pk):
            return reverse("actieplan_actions:inspect", args=[action.pk])
        return front_end_action_url(action)

    return link


class MyActionsPanel(Component):
    """Dashboard panel: the logged-in person's open actions — overdue, due this week, later."""

    name = "mijn_acties"
    template_name = "actieplan/actions/admin/my_actions_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        user = request.user
        overdue, this_week, later = my_open_actions(user)
        link = action_linker(user)
        groups = [
            {"key": "verlopen", "title": _("Overdue"), "actions": overdue},
            {"key": "deze-week", "title": _("This week"), "actions": this_week},
            {"key": "later", "title": _("Later on"), "actions": later},
        ]
        for group in groups:
            group["items"] = [{"action": a, "url": link(a)} for a in group["actions"]]
        return {"groups": groups, "total": counts.total(counts.mine_active(user)),
                "today": timezone.localdate(), "request": request,
                "can_import": bool(permissions.partnership_ids(user, permissions.EDITOR_ROLES))
                or user.is_superuser}


@hooks.register("construct_homepage_panels")
def add_my_actions_panel(request, panels):
    panels.append(MyActionsPanel())


# --- report "Verlopen acties" --------------------------------------------------------------------

class OverdueActionsReportView(SafeSpreadsheetExportMixin, ReportView):
    """Overdue actions the user may see, with days overdue and mandate level; CSV/XLSX export."""

    page_title = _("Overdue actions")
    header_icon = "warning"
    index_url_name = "actieplan_overdue_report"
    index_results_url_name = "actieplan_overdue_report_results"
    any_permission_required = ["view", "change"]
    filterset_class = ActionAdminFilterSet
    paginate_by = 50
    list_export = ["title", "partnership", "owner", "owner_organisation", "get_mandate_level_display",
                   "deadline", "days_overdue", "get_status_display"]
    export_headings = {
        "title": _("Title"), "partnership": _("Partnership"), "owner": _("Owner"),
        "owner_organisation": _("Organisation"), "get_mandate_level_display": _("Mandate level"),
        "deadline": _("Deadline"), "days_overdue": _("Days overdue"), "get_status_display": _("Status"),
    }
    custom_field_preprocess = EXPORT_PREPROCESS

    @property
    def permission_policy(self):
        return action_policy

    def get_filename(self):
        return f"verlopen-acties-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Title"), get_url=self.link, width="28%"),
            Column("partnership", label=_("Partnership")),
            Column("owner", label=_("Owner"), accessor=lambda a: person_name(a.owner)),
            Column("mandate_level", label=_("Mandate level"), accessor="get_mandate_level_display"),
            Column("deadline", label=_("Deadline"), accessor=lambda a: day_label(a.deadline)),
            Column("days_overdue", label=_("Days overdue")),
            Column("status", label=_("Status"), accessor="get_status_display"),
        ]

    @cached_property
    def link(self):
        return action_linker(self.request.user)

    def get_queryset(self):
        today = timezone.localdate()
        self.queryset = (admin_visible_actions(self.request.user).filter(overdue_q(today))
                         .select_related("partnership", "owner", "owner_organisation")
                         .order_by("deadline", "pk"))
        return super().get_queryset()

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for action in object_list:
            action.days_overdue = (today - action.deadline).days
        return object_list

    def to_row_dict(self, item):
        item.days_overdue = (timezone.localdate() - item.deadline).days
        return super().to_row_dict(item)


class OverdueActionsMenuItem(MenuItem):
    def is_shown(self, request):
        return action_policy.user_has_any_permission(request.user, ["view", "change"])


@hooks.register("register_admin_urls")
def register_overdue_report_urls():
    return [
        path("reports/verlopen-acties/", OverdueActionsReportView.as_view(), name="actieplan_overdue_report"),
        path("reports/verlopen-acties/results/", OverdueActionsReportView.as_view(results_only=True),
             name="actieplan_overdue_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def register_overdue_report_menu_item():
    return OverdueActionsMenuItem(_("Overdue actions"), reverse("actieplan_overdue_report"),
                                  name="verlopen-acties", icon_name="warning", order=650)



# --- a page that actions link to is not deleted silently -------------------------------------------

def actions_linked_to(page):
    """The actions linked to ``page`` or to a page under it (deleting the page would drop those links)."""
    pages = Page.objects.descendant_of(page, inclusive=True).values("pk")
    return Action.objects.filter(linked_pages__in=pages).distinct().order_by("title")


def _refuse_page_delete(request, pages):
    refused = []
    for page in pages:
        linked = actions_linked_to(page)
        total = counts.total(linked)
        if total:
            readable = counts.visible(request.user, linked)
            refused.append({"page": page, "total": total, "hidden": total - counts.total(readable),
                            "visible": list(readable.select_related("partnership")[:10])})
    if not refused:
        return None
    return TemplateResponse(request, template_names("actieplan/actions/admin/page_delete_refused.html"),
                            {"refused": refused})


@hooks.register("before_delete_page")
def refuse_deleting_a_linked_page(request, page):
    """A good practice or proeftuin (or a page above them) that actions link to: say which and how many, and offer
    unpublishing instead (the links stay, the page is no longer shown)."""
    return _refuse_page_delete(request, [page])


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_linked_pages(request, action_type, objects, action_class_instance):
    if action_type == "delete" and objects and isinstance(objects[0], Page):
        return _refuse_page_delete(request, objects)
    return None
