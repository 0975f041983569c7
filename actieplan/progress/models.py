"""The bestuurders' Voortgang page: one Wagtail page per partnership, private to its board and working group."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from actieplan.conf import app_settings
from actieplan.overrides import template_names
from actieplan.partnerships.models import Partnership
from actieplan.partnerships.permissions import PROGRESS_ROLES, can_view_progress, is_platform_admin, partnership_ids
from actieplan.progress import exports, report

#: The page's sections in their order: (field name, heading). Editors switch each on or off.
SECTIONS = (
    ("show_figures", _("Figures by theme, board, organisation and mandate level")),
    ("show_praatclub", _("Talking-shop index")),
    ("show_kartrekkers", _("Key-person risk")),
    ("show_stuck", _("Where things are stuck")),
    ("show_postponements", _("Postponement")),
    ("show_since", _("Since the last board meeting")),
    ("show_reflection", _("Reflection: trend of the scores")),
    ("show_results", _("Recent results")),
)


class ProgressPage(Page):
    """Voortgang: whether the partnership acts or only talks, for the board meeting (figures, PDF, XLSX).

    Wagtail page privacy keeps it to the groups Bestuurders and Werkgroep; :meth:`serve` further
    limits it to the bestuurders and working group of its own partnership.
    """

    partnership = models.OneToOneField(Partnership, verbose_name=_("partnership"),
                                       on_delete=models.PROTECT, related_name="progress_page")
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "ul", "ol", "link"],
                          help_text=_("A short explanation for the board, above the figures."))
    praatclub_min_age_days = models.PositiveSmallIntegerField(
        _("talking-shop index: actions agreed at least this many days ago"), default=90)
    kartrekker_share = models.PositiveSmallIntegerField(
        _("key-person risk: more than this percentage of the open actions"), default=25)
    show_figures = models.BooleanField(_("show figures"), default=True)
    show_praatclub = models.BooleanField(_("show talking-shop index"), default=True)
    show_kartrekkers = models.BooleanField(_("show key-person risk"), default=True)
    show_stuck = models.BooleanField(_("show 'where things are stuck'"), default=True)
    show_postponements = models.BooleanField(_("show postponement"), default=True)
    show_since = models.BooleanField(_("show 'since the last board meeting'"), default=True)
    show_reflection = models.BooleanField(_("show trend of the reflection scores"), default=True)
    show_results = models.BooleanField(_("show recent results"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("partnership"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel(name) for name, _heading in SECTIONS], heading=_("Sections on the page")),
        MultiFieldPanel([FieldPanel("praatclub_min_age_days"), FieldPanel("kartrekker_share")],
                        heading=_("Thresholds")),
    ]
    parent_page_types = app_settings.LOB_INDEX_PARENT_PAGE_TYPES
    subpage_types = []
    template = template_names("actieplan/progress/page.html")

    class Meta:
        verbose_name = _("progress page")
        verbose_name_plural = _("progress pages")

    def serve(self, request, *args, **kwargs):
        """The page for its own board and working group: HTML, or ``?formaat=pdf`` / ``xlsx``."""
        if not can_view_progress(request.user, self.partnership_id):
            raise PermissionDenied(_("This progress page is for the board and the working group of %(name)s.")
                                   % {"name": self.partnership})
        context = report.page_context(self, request)
        export = request.GET.get("formaat")
        if export == "pdf":
            return exports.pdf_response(self, request, context)
        if export == "xlsx":
            return exports.xlsx_response(self, context)
        return TemplateResponse(request, self.get_template(request), context)

    def shown_sections(self):
        return {name: getattr(self, name) for name, _heading in SECTIONS}


def progress_pages_for(user):
    """The live Voortgang pages ``user`` may open, ordered by title."""
    pages = ProgressPage.objects.live().order_by("title")
    if is_platform_admin(user):
        return pages
    return pages.filter(partnership_id__in=partnership_ids(user, PROGRESS_ROLES))
