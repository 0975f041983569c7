"""Reference data of the reflectietool and the action plan (seeded by data migrations from source 000 and 002)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.search import index


class MandateLevel(models.IntegerChoices):
    """The three layers of the "achtje" (source 002), ordered: escalation goes one level up."""

    UITVOEREND = 1, _("operational/professional")
    MANAGEMENT = 2, _("management/project leadership")
    BESTUURLIJK = 3, _("governance")

    @classmethod
    def next_up(cls, level):
        """The level above ``level``, or None at the top (bestuurlijk)."""
        return cls(level + 1) if level < cls.BESTUURLIJK else None


class BoardDomain(models.TextChoices):
    """The three boards of source 002: without verankering a partnership stays a praatclub."""

    INHOUD = "inhoud", _("content")
    SAMENWERKING = "samenwerking", _("collaboration")
    VERANKERING = "verankering", _("embedding")


class ReflectionTheme(index.Indexed, models.Model):
    """One of the six themes of the reflectietool (source 000), with its werkzame principes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    background_title = models.CharField(_("background title"), max_length=100, blank=True)
    background = models.TextField(
        _("background (effective principles)"), blank=True,
        help_text=_("Why these questions matter; helps the discussion leader to probe further."),
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order"),
              FieldPanel("background_title"), FieldPanel("background")]
    search_fields = [index.SearchField("name"), index.SearchField("background"),
                     index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("reflection theme")
        verbose_name_plural = _("reflection themes")

    def __str__(self):
        return self.name


class ReflectionQuestion(index.Indexed, models.Model):
    """A question of the reflectietool, scored 1 (helemaal niet waar) to 5 (helemaal waar).

    Sessions snapshot the wording when they start, so editing a question later does not change
    what earlier participants answered.
    """

    theme = models.ForeignKey(ReflectionTheme, verbose_name=_("theme"), on_delete=models.PROTECT,
                              related_name="questions")
    number = models.PositiveSmallIntegerField(_("number within the theme"))
    text = models.TextField(_("question"))
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Only active questions go into new sessions."))

    panels = [FieldPanel("theme"), FieldPanel("number"), FieldPanel("text"), FieldPanel("is_active")]
    search_fields = [index.SearchField("text"), index.FilterField("theme")]

    class Meta:
        ordering = ["theme__sort_order", "number"]
        constraints = [models.UniqueConstraint(fields=["theme", "number"], name="unique_question_number_per_theme")]
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")

    def __str__(self):
        return f"{self.theme.name} {self.number}. {self.text}"


#: The "korte handleiding" of source 000, as the platform shows it to the gespreksleider.
DEFAULT_MANUAL = (
    "<ul>"
    "<li>Licht de reflectietool kort toe: waar is hij op gebaseerd, waar komen de zes thema's vandaan "
    "en waar is hij voor bedoeld: het gesprek aangaan en onderzoeken of er actiepunten zinvol zijn.</li>"
    "<li>De tool is op verschillende manieren te gebruiken: als leidraad voor een open gesprek, of door "
    "alle deelnemers op elke vraag een score te laten geven (1 = helemaal niet waar, 5 = helemaal waar) "
    "en die scores daarna samen te bespreken.</li>"
    "<li>Ga uit van een gesprek van ongeveer een uur en ruim de laatste 15 minuten in om samen te kijken "
    "naar concrete verbeter- of actiepunten.</li>"
    "</ul>"
)

#: What the tool is for (source 000, "Waarvoor is de reflectietool te gebruiken?").
DEFAULT_PURPOSE = (
    "<p>De reflectietool helpt partners om met elkaar de dialoog aan te gaan over hun samenwerking, te "
    "bepalen of extra aandacht of interventies nodig zijn en afspraken te maken over verbeteringen. "
    "Reflectie werkt twee kanten op: terugkijken op het 'nu' en vooruitkijken naar de punten waar je "
    "actief werk van wilt maken.</p>"
)


@register_setting(icon="help")
class ReflectionToolSettings(BaseGenericSetting):
    """The short manual and purpose of the reflectietool (source 000), shown to the gespreksleider.

    One editable text for the whole platform, so a redacteur can sharpen the instructions without a
    deploy; seeded by a data migration and defaulting to the wording of the source.
    """

    manual = RichTextField(_("short manual"), default=DEFAULT_MANUAL,
                           features=["bold", "italic", "ul", "ol", "link"],
                           help_text=_("Shown on the session page of the discussion leader."))
    purpose = RichTextField(_("what the reflection tool is for"), default=DEFAULT_PURPOSE, blank=True,
                            features=["bold", "italic", "ul", "ol", "link"])

    panels = [FieldPanel("manual"), FieldPanel("purpose")]

    class Meta:
        verbose_name = _("reflection tool: manual")
        verbose_name_plural = _("reflection tool: manual")
