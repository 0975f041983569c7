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
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("startpagina")
        verbose_name_plural = _("startpagina's")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().specific()
        return context
