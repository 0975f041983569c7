from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail import blocks
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from actieplan.blocks import ACTIEPLAN_BLOCKS


class HomePage(Page):
    """The start page of a region's site: what the partnership is for and the ways in."""

    intro = models.CharField(_("intro"), max_length=300, blank=True)
    body = RichTextField(_("tekst"), blank=True)
    content = StreamField([
        ("paragraph", blocks.RichTextBlock(label=_("Alinea"), icon="pilcrow",
                                           features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])),
        *ACTIEPLAN_BLOCKS,
    ], verbose_name=_("blokken"), blank=True,
        help_text=_("Onder de tekst: alinea's en blokken uit het actieplan (acties, kerncijfers, reflectie)."))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body"), FieldPanel("content")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    # Several under the root: each region's front door is its own home page with its own Wagtail Site.
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("startpagina")
        verbose_name_plural = _("startpagina's")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The accessibility statement is linked from the footer, not a section of the site.
        context["sections"] = (
            self.get_children().live().public().not_type(AccessibilityStatementPage).specific()
        )
        return context


class AccessibilityStatus(models.TextChoices):
    """The statuses of the Dutch government's model statement (toegankelijkheidsverklaring.nl)."""

    A = "A", _("A: voldoet volledig")
    B = "B", _("B: voldoet gedeeltelijk")
    C = "C", _("C: eerste maatregelen genomen")
    D = "D", _("D: eisen nog niet toegepast")
    E = "E", _("E: geen verklaring, niet onderzocht")


class AccessibilityStatementPage(Page):
    """The toegankelijkheidsverklaring that Dutch public-sector sites must publish (/toegankelijkheid/).

    The fields follow the model statement: organisation, scope, status against WCAG 2.1 level AA, how it was
    assessed, the known limitations and how to report a problem.
    """

    organisation = models.CharField(_("organisatie"), max_length=200)
    scope = models.CharField(_("waar de verklaring over gaat"), max_length=300)
    status = models.CharField(_("status"), max_length=1, choices=AccessibilityStatus.choices,
                              default=AccessibilityStatus.B)
    drawn_up_on = models.DateField(_("opgesteld op"))
    last_reviewed_on = models.DateField(_("laatst herzien op"))
    evaluation = RichTextField(_("hoe is de toegankelijkheid onderzocht"))
    limitations = RichTextField(_("bekende beperkingen en wat we eraan doen"), blank=True)
    contact_email = models.EmailField(_("e-mailadres voor meldingen"))
    response_days = models.PositiveSmallIntegerField(_("reactie binnen (werkdagen)"), default=5)

    content_panels = Page.content_panels + [
        FieldPanel("organisation"),
        FieldPanel("scope"),
        FieldPanel("status"),
        FieldPanel("drawn_up_on"),
        FieldPanel("last_reviewed_on"),
        FieldPanel("evaluation"),
        FieldPanel("limitations"),
        FieldPanel("contact_email"),
        FieldPanel("response_days"),
    ]
    search_fields = Page.search_fields + [index.SearchField("evaluation"), index.SearchField("limitations")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("toegankelijkheidsverklaring")
        verbose_name_plural = _("toegankelijkheidsverklaringen")
