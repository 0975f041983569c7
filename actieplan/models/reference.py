"""Reference data of the reflectietool and the action plan (seeded by data migrations from source 000 and 002)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class MandateLevel(models.IntegerChoices):
    """The three layers of the "achtje" (source 002), ordered: escalation goes one level up."""

    UITVOEREND = 1, _("uitvoerend/professioneel")
    MANAGEMENT = 2, _("management/projectleiding")
    BESTUURLIJK = 3, _("bestuurlijk")

    @classmethod
    def next_up(cls, level):
        """The level above ``level``, or None at the top (bestuurlijk)."""
        return cls(level + 1) if level < cls.BESTUURLIJK else None


class BoardDomain(models.TextChoices):
    """The three boards of source 002: without verankering a partnership stays a praatclub."""

    INHOUD = "inhoud", _("inhoud")
    SAMENWERKING = "samenwerking", _("samenwerking")
    VERANKERING = "verankering", _("verankering")


class ReflectionTheme(index.Indexed, models.Model):
    """One of the six themes of the reflectietool (source 000), with its werkzame principes."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    background_title = models.CharField(_("titel achtergrond"), max_length=100, blank=True)
    background = models.TextField(
        _("achtergrond (werkzame principes)"), blank=True,
        help_text=_("Waarom deze vragen ertoe doen; helpt de gespreksleider bij het doorvragen."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order"),
              FieldPanel("background_title"), FieldPanel("background")]
    search_fields = [index.SearchField("name"), index.SearchField("background"),
                     index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("reflectiethema")
        verbose_name_plural = _("reflectiethema's")

    def __str__(self):
        return self.name


class ReflectionQuestion(index.Indexed, models.Model):
    """A question of the reflectietool, scored 1 (helemaal niet waar) to 5 (helemaal waar).

    Sessions snapshot the wording when they start, so editing a question later does not change
    what earlier participants answered.
    """

    theme = models.ForeignKey(ReflectionTheme, verbose_name=_("thema"), on_delete=models.PROTECT,
                              related_name="questions")
    number = models.PositiveSmallIntegerField(_("nummer binnen het thema"))
    text = models.TextField(_("vraag"))
    is_active = models.BooleanField(_("actief"), default=True,
                                    help_text=_("Alleen actieve vragen komen in nieuwe sessies."))

    panels = [FieldPanel("theme"), FieldPanel("number"), FieldPanel("text"), FieldPanel("is_active")]
    search_fields = [index.SearchField("text"), index.FilterField("theme")]

    class Meta:
        ordering = ["theme__sort_order", "number"]
        constraints = [models.UniqueConstraint(fields=["theme", "number"], name="unique_question_number_per_theme")]
        verbose_name = _("reflectievraag")
        verbose_name_plural = _("reflectievragen")

    def __str__(self):
        return f"{self.theme.name} {self.number}. {self.text}"
