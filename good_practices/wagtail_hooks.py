"""Admin for Het delen waard: the taxonomy snippets, and the "share as good practice" button on proeftuinen."""

from django.apps import apps
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from good_practices.models import (
    CiosLevel, ContentArea, DelenWaardTheme, LoopbaanCompetentie, ProeftuinPage, SchoolType, TargetGroup,
    Transition,
)
from good_practices.taxonomy import Taxonomy
from good_practices.views import PromoteProeftuinView, can_promote


class TaxonomyViewSet(SnippetViewSet):
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "description"]
    ordering = ["sort_order", "name"]


def _viewset(model_, icon_):
    return type(f"{model_.__name__}ViewSet", (TaxonomyViewSet,), {"model": model_, "icon": icon_})


class DelenWaardTaxonomyGroup(SnippetViewSetGroup):
    """One menu item "Indeling Het delen waard" with every vocabulary the library filters on."""

    menu_label = _("Het delen waard classification")
    menu_name = "indeling-het-delen-waard"  # fixed, whatever the language: actieplan folds it by name
    menu_icon = "tag"
    menu_order = 310
    items = [
        _viewset(DelenWaardTheme, "folder-open-inverse"),
        _viewset(Transition, "arrow-right"),
        _viewset(SchoolType, "home"),
        _viewset(LoopbaanCompetentie, "user"),
        _viewset(TargetGroup, "group"),
        _viewset(CiosLevel, "link"),
        _viewset(ContentArea, "list-ul"),
    ]


register_snippet(DelenWaardTaxonomyGroup)


@hooks.register("register_admin_urls")
def promote_urls():
    return [
        path("proeftuinen/<int:page_id>/good-practice/", PromoteProeftuinView.as_view(),
             name="good_practices_promote"),
    ]


@hooks.register("register_page_header_buttons")
def promote_button(page, user, view_name, next_url=None):
    specific = page.specific_deferred
    if isinstance(specific, ProeftuinPage) and specific.is_finished and can_promote(user, specific):
        yield Button(
            _("Share as good practice"), reverse("good_practices_promote", args=[page.pk]),
            icon_name="pick", priority=40,
        )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(
        "good_practices.promote", _("Shared as good practice"),
        _("Pilot project shared as draft good practice in Het delen waard"),
    )


# --- keeping the library alive: review report and dashboard panel ---------------------------------------

from wagtail.admin.menu import MenuItem  # noqa: E402

from good_practices.reports import PracticesToReviewPanel, PracticesToReviewReportView, may_review  # noqa: E402


class ReviewReportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_review(request.user)


@hooks.register("register_admin_urls")
def review_report_urls():
    return [
        path("reports/good-practices-te-beoordelen/", PracticesToReviewReportView.as_view(),
             name="good_practices_review_report"),
        path("reports/good-practices-te-beoordelen/results/", PracticesToReviewReportView.as_view(results_only=True),
             name="good_practices_review_report_results"),
    ]


@hooks.register("register_reports_menu_item")
def review_report_menu_item():
    return ReviewReportMenuItem(_("Good practices to review"), reverse("good_practices_review_report"),
                                name="good-practices-te-beoordelen", icon_name="time", order=660)


@hooks.register("construct_homepage_panels")
def add_review_panel(request, panels):
    if may_review(request.user):
        panels.append(PracticesToReviewPanel())


# --- a vocabulary term in use is not deleted silently --------------------------------------------------

def pages_using(term):
    """The pages (good practices, proeftuinen, any page type) that use ``term``: its real usage, which Wagtail's
    reference index does not count (it does not follow many-to-many fields)."""
    found = []
    for model in apps.get_models():
        if not issubclass(model, Page):
            continue
        for field in model._meta.local_many_to_many:
            if field.related_model is type(term):
                found.extend(model.objects.filter(**{field.name: term}).only("pk", "title"))
    return sorted({page.pk: page for page in found}.values(), key=lambda page: page.title)


@hooks.register("before_delete_snippet")
def refuse_deleting_a_term_in_use(request, instances):
    """A theme, transition or other term that pages use: refused, with the real number of pages and their titles."""
    refused = [{"term": term, "pages": pages_using(term)} for term in instances if isinstance(term, Taxonomy)]
    refused = [row for row in refused if row["pages"]]
    if not refused:
        return None
    return TemplateResponse(request, "good_practices/admin/term_delete_refused.html", {"refused": refused})
