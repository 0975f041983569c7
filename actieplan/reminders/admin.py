"""Wagtail admin: the reminder log, read-only.

Operators see what the scan decided, what went out, what is still waiting (and why: attempts and
the last error) and what was deliberately not sent. Nobody edits the log: it is the record that
makes every reminder go out once, so add, edit, delete and copy are refused by the permission policy.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from actieplan.compat import register_permission_policy

from actieplan.reminders.models import Reminder, ReminderKind
from actieplan.spreadsheets import SafeSpreadsheetExportMixin


class ReminderLogPermissionPolicy(ModelPermissionPolicy):
    """Only "view" exists for the log (superusers, or whoever has ``actieplan.view_reminder``)."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, "view")

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


reminder_log_policy = ReminderLogPermissionPolicy(Reminder)
register_permission_policy(Reminder, reminder_log_policy)


class ReminderLogFilterSet(WagtailFilterSet):
    STATE_CHOICES = [
        ("verstuurd", _("sent")),
        ("wacht", _("waiting to be sent")),
        ("mislukt", _("failed, will be retried")),
        ("niet-verstuurd", _("deliberately not sent")),
    ]

    state = django_filters.ChoiceFilter(label=_("State"), choices=STATE_CHOICES, method="filter_state",
                                        empty_label=_("All"))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ReminderKind.choices, empty_label=_("All"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Decided on"))

    class Meta:
        model = Reminder
        fields = ["state", "kind", "created_at"]

    def filter_state(self, queryset, name, value):
        unsent = Q(sent_at__isnull=True, cancelled_at__isnull=True)
        return queryset.filter({
            "verstuurd": Q(sent_at__isnull=False),
            "wacht": unsent & Q(attempts=0),
            "mislukt": unsent & Q(attempts__gt=0),
            "niet-verstuurd": Q(cancelled_at__isnull=False),
        }[value])


class ReminderLogIndexView(SafeSpreadsheetExportMixin, generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("action", "recipient")


class ReminderLogViewSet(ModelViewSet):
    """The reminder log as a read-only listing with filters, search, inspect and CSV/XLSX export."""

    model = Reminder
    permission_policy = reminder_log_policy  # Wagtail 7.4 reads it here, 8.x from the registry (actieplan.compat)
    index_view_class = ReminderLogIndexView
    icon = "mail"
    menu_label = _("Reminder log")
    menu_name = "herinneringenlog"
    url_prefix = "actieplan/herinneringen"
    add_to_admin_menu = True
    menu_order = 290
    filterset_class = ReminderLogFilterSet
    search_fields = ["key", "email", "action__title", "recipient__last_name", "recipient__first_name"]
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    list_per_page = 50
    list_display = [
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("recipient", label=_("Recipient"), accessor="get_recipient_display"),
        Column("period", label=_("Period"), accessor="get_period_display"),
        DateColumn("created_at", label=_("Decided on"), sort_key="created_at"),
        DateColumn("sent_at", label=_("Sent on"), sort_key="sent_at"),
        Column("attempts", label=_("Attempts")),
        Column("last_error", label=_("Last error")),
    ]
    list_export = ["key", "get_kind_display", "get_action_display", "get_period_display", "get_recipient_display",
                   "email", "created_at", "sent_at", "cancelled_at", "attempts", "last_error"]
    export_headings = {"get_kind_display": _("Kind"), "get_action_display": _("Action"),
                       "get_period_display": _("Period"), "get_recipient_display": _("Recipient")}
    export_filename = "herinneringen"
    inspect_view_fields = ["key", "kind", "action", "period", "recipient", "email", "created_at", "sent_at",
                           "cancelled_at", "attempts", "last_error"]

    form_fields = ["email"]  # required by ModelViewSet; the policy refuses every edit anyway


reminder_log_viewset = ReminderLogViewSet("herinneringenlog")


@hooks.register("register_admin_viewset")
def register_reminder_log_viewset():
    return reminder_log_viewset
