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
    ("show_figures", _("Cijfers per thema, bord, organisatie en mandaatniveau")),
    ("show_praatclub", _("Praatclub-index")),
    ("show_kartrekkers", _("Kartrekkersrisico")),
    ("show_stuck", _("Waar het vastzit")),
    ("show_postponements", _("Uitstel")),
    ("show_since", _("Sinds het laatste bestuurlijk overleg")),
    ("show_reflection", _("Reflectie: verloop van de scores")),
    ("show_results", _("Recente resultaten")),
)


class ProgressPage(Page):
    """Voortgang: whether the partnership acts or only talks, for the board meeting (figures, PDF, XLSX).

    Wagtail page privacy keeps it to the groups Bestuurders and Werkgroep; :meth:`serve` further
    limits it to the bestuurders and working group of its own partnership.
    """

    partnership = models.OneToOneField(Partnership, verbose_name=_("samenwerkingsverband"),
                                       on_delete=models.PROTECT, related_name="progress_page")
    intro = RichTextField(_("inleiding"), blank=True, features=["bold", "italic", "ul", "ol", "link"],
                          help_text=_("Een korte toelichting voor het bestuur, boven de cijfers."))
    praatclub_min_age_days = models.PositiveSmallIntegerField(
        _("praatclub-index: acties die minstens zoveel dagen geleden zijn afgesproken"), default=90)
    kartrekker_share = models.PositiveSmallIntegerField(
        _("kartrekkersrisico: meer dan dit percentage van de openstaande acties"), default=25)
    show_figures = models.BooleanField(_("cijfers tonen"), default=True)
    show_praatclub = models.BooleanField(_("praatclub-index tonen"), default=True)
    show_kartrekkers = models.BooleanField(_("kartrekkersrisico tonen"), default=True)
    show_stuck = models.BooleanField(_("'waar het vastzit' tonen"), default=True)
    show_postponements = models.BooleanField(_("uitstel tonen"), default=True)
    show_since = models.BooleanField(_("'sinds het laatste bestuurlijk overleg' tonen"), default=True)
    show_reflection = models.BooleanField(_("verloop van de reflectiescores tonen"), default=True)
    show_results = models.BooleanField(_("recente resultaten tonen"), default=True)

    content_panels = Page.content_panels + [
        FieldPanel("partnership"),
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel(name) for name, _heading in SECTIONS], heading=_("Onderdelen op de pagina")),
        MultiFieldPanel([FieldPanel("praatclub_min_age_days"), FieldPanel("kartrekker_share")],
                        heading=_("Drempels")),
    ]
    parent_page_types = app_settings.LOB_INDEX_PARENT_PAGE_TYPES
    subpage_types = []
    template = template_names("actieplan/progress/page.html")

    class Meta:
        verbose_name = _("voortgangspagina")
        verbose_name_plural = _("voortgangspagina's")

    def serve(self, request, *args, **kwargs):
        """The page for its own board and working group: HTML, or ``?formaat=pdf`` / ``xlsx``."""
        if not can_view_progress(request.user, self.partnership_id):
            raise PermissionDenied(_("Deze voortgangspagina is voor het bestuur en de werkgroep van %(name)s.")
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
