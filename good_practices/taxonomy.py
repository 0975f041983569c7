"""The vocabularies that tag good practices and proeftuinen (editable snippets, seeded by a data migration), and
the stages of a leerkring. The bottom of the app: the filters and the pages build on it."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


class Taxonomy(models.Model):
    """Shared shape of the filter vocabularies: editable in the admin, seeded by a data migration."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    description = models.TextField(_("explanation"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order"), FieldPanel("description")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class DelenWaardTheme(Taxonomy):
    """One of the four themes of chapter 3 "Het delen waard!" (source 003)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("Het delen waard theme")
        verbose_name_plural = _("Het delen waard themes")


class Transition(Taxonomy):
    """A transition (overgang) a practice supports, e.g. vo → mbo or vso → dagbesteding."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")


class SchoolType(Taxonomy):
    """A school type (onderwijssoort) as used in the regional research: pro, vso, vo, mbo entree/2, …"""

    class Meta(Taxonomy.Meta):
        verbose_name = _("type of education")
        verbose_name_plural = _("types of education")


class LoopbaanCompetentie(Taxonomy):
    """One of the five loopbaancompetenties, with the questions a pupil asks themself (source 003)."""

    reflection_questions = models.CharField(_("reflection questions"), max_length=250, blank=True)

    panels = Taxonomy.panels + [FieldPanel("reflection_questions")]

    class Meta(Taxonomy.Meta):
        verbose_name = _("career competence")
        verbose_name_plural = _("career competences")


class TargetGroup(Taxonomy):
    """A doelgroep that gets extra attention, e.g. jongeren in een kwetsbare positie or nieuwkomers."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class CiosLevel(Taxonomy):
    """A part of the school–parent partnership around LOB: CIOS+R (source 004)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("element of partnership with parents (CIOS+R)")
        verbose_name_plural = _("elements of partnership with parents (CIOS+R)")


class ContentArea(Taxonomy):
    """One of the three content areas a proeftuin can work on: curriculum, leerling, docent (source 002)."""

    class Meta(Taxonomy.Meta):
        verbose_name = _("content area")
        verbose_name_plural = _("content areas")


class LeerkringStage(models.TextChoices):
    """The six stages of a leerkring (source 004), in order."""

    KENNISMAKING = "kennismaking", _("1. Getting acquainted")
    SITUATIEANALYSE = "situatieanalyse", _("2. Situation analysis")
    DOEL_SCHETSEN = "doel-schetsen", _("3. Outlining the goal")
    SELECTEREN = "selecteren", _("4. Selecting interventions")
    UITWERKEN = "uitwerken", _("5. Developing interventions")
    UITVOEREN = "uitvoeren", _("6. Implementing interventions")
