"""The vocabularies that tag good practices and proeftuinen (editable snippets, seeded by a data migration), and
the stages of a leerkring. The bottom of the app: the filters and the pages build on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Taxonomy(models.Model):
    """Shared shape of the filter vocabularies: editable in the admin, seeded by a data migration."""

    name = models.CharField(_("naam"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    description = models.TextField(_("toelichting"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order"), FieldPanel("description")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class DelenWaardTheme(Taxonomy):
    """One of the four themes of chapter 3 "Het delen waard!" (source 003)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("thema Het delen waard")
        verbose_name_plural = _("thema's Het delen waard")


class Transition(Taxonomy):
    """A transition (overgang) a practice supports, e.g. vo → mbo or vso → dagbesteding."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("overgang")
        verbose_name_plural = _("overgangen")


class SchoolType(Taxonomy):
    """A school type (onderwijssoort) as used in the regional research: pro, vso, vo, mbo entree/2, …"""

    class Meta(Taxonomy.Meta):
        verbose_name = _("onderwijssoort")
        verbose_name_plural = _("onderwijssoorten")


class LoopbaanCompetentie(Taxonomy):
    """One of the five loopbaancompetenties, with the questions a pupil asks themself (source 003)."""

    reflection_questions = models.CharField(_("reflectievragen"), max_length=250, blank=True)

    panels = Taxonomy.panels + [FieldPanel("reflection_questions")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("loopbaancompetentie")
        verbose_name_plural = _("loopbaancompetenties")


class TargetGroup(Taxonomy):
    """A doelgroep that gets extra attention, e.g. jongeren in een kwetsbare positie or nieuwkomers."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("doelgroep")
        verbose_name_plural = _("doelgroepen")


class CiosLevel(Taxonomy):
    """A part of the school–parent partnership around LOB: CIOS+R (source 004)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("onderdeel partnerschap met ouders (CIOS+R)")
        verbose_name_plural = _("onderdelen partnerschap met ouders (CIOS+R)")


class ContentArea(Taxonomy):
    """One of the three content areas a proeftuin can work on: curriculum, leerling, docent (source 002)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("inhoudelijk gebied")
        verbose_name_plural = _("inhoudelijke gebieden")


class LeerkringStage(models.TextChoices):
    """The six stages of a leerkring (source 004), in order."""

    KENNISMAKING = "kennismaking", _("1. Kennismaking")
    SITUATIEANALYSE = "situatieanalyse", _("2. Situatieanalyse")
    DOEL_SCHETSEN = "doel-schetsen", _("3. Doel schetsen")
    SELECTEREN = "selecteren", _("4. Selecteren interventies")
    UITWERKEN = "uitwerken", _("5. Uitwerken interventies")
    UITVOEREN = "uitvoeren", _("6. Uitvoeren interventies")
