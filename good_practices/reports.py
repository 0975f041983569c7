"""Keeping the library alive: the report of good practices not reviewed in twelve months, and its dashboard panel."""

from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies.pages import PagePermissionPolicy

from actieplan.spreadsheets import SafeSpreadsheetExportMixin
from good_practices.models import GoodPracticePage, due_for_review

page_policy = PagePermissionPolicy()


def practices_to_review(user):
    """The practices ``user`` may edit that are due for review, oldest review first."""
    editable = page_policy.instances_user_has_permission_for(user, "change").values("pk")
    return (due_for_review(GoodPracticePage.objects.filter(pk__in=editable))
            .order_by("reviewed_at", "first_published_at", "title"))


def may_review(user):
    return page_policy.user_has_any_permission(user, ["change", "publish"])


class PracticesToReviewReportView(SafeSpreadsheetExportMixin, ReportView):
    """Good practices not reviewed in twelve months (never reviewed: since first published); CSV/XLSX export."""

    page_title = _("Good practices to review")
    header_icon = "time"
    index_url_name = "good_practices_review_report"
    index_results_url_name = "good_practices_review_report_results"
    paginate_by = 50
    list_export = ["title", "reviewed_at", "first_published_at", "live", "url"]
    export_headings = {
        "title": _("Title"), "reviewed_at": _("Last reviewed on"),
        "first_published_at": _("First published on"), "live": _("Published"), "url": _("Address"),
    }

    def dispatch(self, request, *args, **kwargs):
        from django.core.exceptions import PermissionDenied

        if not may_review(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filename(self):
        return f"good-practices-te-beoordelen-{timezone.localdate():%Y-%m-%d}"

    @cached_property
    def columns(self):
        from django.urls import reverse

        return [
            TitleColumn("title", label=_("Title"), get_url=lambda p: reverse("wagtailadmin_pages:edit", args=[p.pk]),
                        width="45%"),
            DateColumn("reviewed_at", label=_("Last reviewed on")),
            DateColumn("first_published_at", label=_("First published on")),
            Column("live", label=_("Status"), accessor=lambda p: _("published") if p.live else _("draft")),
        ]

    def get_queryset(self):
        self.queryset = practices_to_review(self.request.user)
        return super().get_queryset()


class PracticesToReviewPanel(Component):
    """Dashboard panel for redacteuren: how many practices wait for a review, and the oldest few."""

    name = "good_practices_te_beoordelen"
    template_name = "good_practices/admin/review_panel.html"
    order = 120

    def get_context_data(self, parent_context):
        practices = practices_to_review(parent_context["request"].user)
        return {"total": practices.count(), "oldest": list(practices[:5])}
