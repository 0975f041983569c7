"""Partnerships, their member organisations and people (memberships with a role)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from actieplan.partnerships.reference import MandateLevel
from actieplan.validators import MAX_DESCRIPTION_CHARS, MaxTextLengthValidator, validate_single_line
from actieplan.formats import person_name


class OrganisationType(models.TextChoices):
    """Organisation types as used in the regional research (source 003)."""

    PRO = "pro", _("praktijkonderwijs (pro)")
    VSO = "vso", _("voortgezet speciaal onderwijs (vso)")
    VO = "vo", _("voortgezet onderwijs (vo)")
    MBO_ENTREE = "mbo-entree-2", _("mbo entree/niveau 2")
    MBO_34 = "mbo-3-4", _("mbo niveau 3-4")
    HBO = "hbo", _("hoger onderwijs")
    GEMEENTE = "gemeente", _("gemeente / RMC")
    SOCIAAL_WERKBEDRIJF = "sociaal-werkbedrijf", _("sociaal werkbedrijf")
    WERKGEVER = "werkgever", _("bedrijf of werkgeversorganisatie")
    LEERWERKLOKET = "leerwerkloket", _("leerwerkloket")
    KETENPARTNER = "ketenpartner", _("andere ketenpartner (CJG, UWV, …)")


class Role(models.TextChoices):
    """What someone does in a partnership; decides what they may see and change."""

    PROCESBEWAKER = "procesbewaker", _("procesbewaker")
    WERKGROEPLID = "werkgroeplid", _("werkgroeplid")
    BESTUURDER = "bestuurder", _("bestuurder")
    DEELNEMER = "deelnemer", _("deelnemer")


class Province(models.TextChoices):
    """The twelve provinces: how a partnership that shares its experiences anonymously is described."""

    GRONINGEN = "groningen", _("Groningen")
    FRIESLAND = "friesland", _("Friesland")
    DRENTHE = "drenthe", _("Drenthe")
    OVERIJSSEL = "overijssel", _("Overijssel")
    FLEVOLAND = "flevoland", _("Flevoland")
    GELDERLAND = "gelderland", _("Gelderland")
    UTRECHT = "utrecht", _("Utrecht")
    NOORD_HOLLAND = "noord-holland", _("Noord-Holland")
    ZUID_HOLLAND = "zuid-holland", _("Zuid-Holland")
    ZEELAND = "zeeland", _("Zeeland")
    NOORD_BRABANT = "noord-brabant", _("Noord-Brabant")
    LIMBURG = "limburg", _("Limburg")


class Region(index.Indexed, models.Model):
    """A sub-region (e.g. Eindhoven, Kempengemeenten, Helmond, Peellandgemeenten in source 003)."""

    name = models.CharField(_("naam"), max_length=100, unique=True, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True,
                                   validators=[MaxTextLengthValidator(MAX_DESCRIPTION_CHARS)])

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    # FilterField("id"): the admin's chooser searches within what the user may see (a pk__in scope).
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("(sub)regio")
        verbose_name_plural = _("(sub)regio's")

    def __str__(self):
        return self.name


class Partnership(index.Indexed, models.Model):
    """A samenwerkingsverband (e.g. VSV-regio 37 Zuidoost-Brabant) whose members act together."""

    name = models.CharField(_("naam"), max_length=200, unique=True, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("omschrijving"), blank=True,
                                   validators=[MaxTextLengthValidator(MAX_DESCRIPTION_CHARS)])
    regions = models.ManyToManyField(Region, verbose_name=_("(sub)regio's"), blank=True,
                                     related_name="partnerships")
    # Instead of deleting: an archived partnership leaves the lists and the reminders, its history stays.
    archived = models.BooleanField(
        _("gearchiveerd"), default=False,
        help_text=_("Een gearchiveerd samenwerkingsverband verdwijnt uit de lijsten en krijgt geen herinneringen "
                    "meer; acties, tijdlijn en sessies blijven bewaard."))
    # Sharing across regions, set by the partnership's procesbewaker (actieplan/partnerships/sharing.py).
    province = models.CharField(_("provincie"), max_length=20, choices=Province.choices, blank=True)
    benchmark_opt_in = models.BooleanField(
        _("doet mee aan de vergelijking met andere regio's"), default=False,
        help_text=_("De gemiddelde scores per thema van de laatste gesloten reflectiesessie tellen (zonder naam) mee "
                    "in de vergelijking; alleen wie meedoet, ziet de vergelijking."))
    benchmark_opt_in_at = models.DateTimeField(
        _("doet mee sinds"), null=True, blank=True, editable=False,
        help_text=_("Wanneer het meedoen aan de vergelijking het laatst is aangezet; het telt mee vanaf de maandag "
                    "daarna."))
    share_experiences = models.BooleanField(
        _("deelt ervaringen bij good practices"), default=False,
        help_text=_("De afsluitnotitie van een afgeronde actie die aan een good practice gekoppeld is, staat openbaar "
                    "op de pagina van die good practice."))
    experiences_named = models.BooleanField(
        _("met naam bij gedeelde ervaringen"), default=False,
        help_text=_("Zonder naam staat er \"een samenwerkingsverband in <provincie>\"; met naam de naam van het "
                    "samenwerkingsverband en de titel van de actie."))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("regions"),
              FieldPanel("archived"), FieldPanel("province"), FieldPanel("benchmark_opt_in"),
              FieldPanel("share_experiences"), FieldPanel("experiences_named")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("samenwerkingsverband")
        verbose_name_plural = _("samenwerkingsverbanden")

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def choosable(self, current=None):
        """What a form offers: organisations not archived, plus ``current`` (the id already chosen), so an
        existing action or membership of an archived organisation still saves unchanged."""
        return self.filter(models.Q(archived=False) | models.Q(pk=current)) if current else self.filter(archived=False)


class Organisation(index.Indexed, models.Model):
    """A school, municipality, employer or chain partner that takes part in partnerships."""

    name = models.CharField(_("naam"), max_length=200, unique=True, validators=[validate_single_line])
    organisation_type = models.CharField(_("type organisatie"), max_length=30, choices=OrganisationType.choices)
    region = models.ForeignKey(Region, verbose_name=_("(sub)regio"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="organisations")
    partnerships = models.ManyToManyField(Partnership, verbose_name=_("samenwerkingsverbanden"),
                                          blank=True, related_name="organisations")
    website = models.URLField(_("website"), blank=True)
    # Instead of deleting: an archived organisation is no longer offered for new actions and memberships;
    # the actions and memberships that name it keep it.
    archived = models.BooleanField(
        _("gearchiveerd"), default=False,
        help_text=_("Een gearchiveerde organisatie is geen keuze meer bij nieuwe acties en lidmaatschappen; "
                    "acties en lidmaatschappen die haar noemen, houden haar."))

    objects = OrganisationQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("organisation_type"), FieldPanel("region"),
              FieldPanel("partnerships"), FieldPanel("website"), FieldPanel("archived")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"),
                     index.FilterField("organisation_type"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's place in a partnership: for which organisation, in which role, at which mandate level."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("persoon"), on_delete=models.CASCADE,
                             related_name="lob_memberships")
    partnership = models.ForeignKey(Partnership, verbose_name=_("samenwerkingsverband"),
                                    on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisatie"), on_delete=models.PROTECT,
                                     related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.DEELNEMER)
    mandate_level = models.PositiveSmallIntegerField(_("mandaatniveau"), choices=MandateLevel.choices,
                                                     default=MandateLevel.UITVOEREND)
    function_title = models.CharField(_("functie"), max_length=150, blank=True, validators=[validate_single_line])

    panels = [FieldPanel("user"), FieldPanel("partnership"), FieldPanel("organisation"), FieldPanel("role"),
              FieldPanel("mandate_level"), FieldPanel("function_title")]

    class Meta:
        ordering = ["partnership", "organisation", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "partnership"], name="one_membership_per_partnership")]
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")

    def __str__(self):
        name = person_name(self.user)
        return f"{name} ({self.get_role_display()}, {self.organisation})"


class Profile(models.Model):
    """A person's own settings: reminder preferences and the secret of their calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lob_profile")
    digest_enabled = models.BooleanField(_("weekoverzicht ontvangen"), default=True)
    reminder_days_before = models.CharField(
        _("herinneren dagen vóór de deadline"), max_length=50, blank=True,
        help_text=_("Bijvoorbeeld 7,1. Leeg: de standaard van het platform."),
    )
    calendar_token = models.UUIDField(_("geheime sleutel agenda-feed"), default=uuid.uuid4, unique=True)

    class Meta:
        verbose_name = _("persoonlijke instellingen")
        verbose_name_plural = _("persoonlijke instellingen")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        profile, _created = cls.objects.get_or_create(user=user)
        return profile
