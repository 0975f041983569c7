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

    PRO = "pro", _("practical education (pro)")
    VSO = "vso", _("secondary special education (vso)")
    VO = "vo", _("secondary education (vo)")
    MBO_ENTREE = "mbo-entree-2", _("mbo entree/level 2")
    MBO_34 = "mbo-3-4", _("mbo level 3-4")
    HBO = "hbo", _("higher education")
    GEMEENTE = "gemeente", _("municipality / RMC")
    SOCIAAL_WERKBEDRIJF = "sociaal-werkbedrijf", _("social employment company")
    WERKGEVER = "werkgever", _("company or employer organisation")
    LEERWERKLOKET = "leerwerkloket", _("learning-and-work desk")
    KETENPARTNER = "ketenpartner", _("other chain partner (CJG, UWV, …)")


class Role(models.TextChoices):
    """What someone does in a partnership; decides what they may see and change."""

    PROCESBEWAKER = "procesbewaker", _("process facilitator")
    WERKGROEPLID = "werkgroeplid", _("working group member")
    BESTUURDER = "bestuurder", _("board member")
    DEELNEMER = "deelnemer", _("participant")


class Province(models.TextChoices):
    """The twelve provinces: how a partnership that shares its experiences anonymously is described."""

    GRONINGEN = "groningen", _("Groningen")
    FRIESLAND = "friesland", _("Friesland")
    DRENTHE = "drenthe", _("Drenthe")
    OVERIJSSEL = "overijssel", _("Overijssel")
    FLEVOLAND = "flevoland", _("Flevoland")
    GELDERLAND = "gelderland", _("Gelderland")
    UTRECHT = "utrecht", _("Utrecht")
    NOORD_HOLLAND = "noord-holland", _("North Holland")
    ZUID_HOLLAND = "zuid-holland", _("South Holland")
    ZEELAND = "zeeland", _("Zeeland")
    NOORD_BRABANT = "noord-brabant", _("North Brabant")
    LIMBURG = "limburg", _("Limburg")


class Region(index.Indexed, models.Model):
    """A sub-region (e.g. Eindhoven, Kempengemeenten, Helmond, Peellandgemeenten in source 003)."""

    name = models.CharField(_("name"), max_length=100, unique=True, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True,
                                   validators=[MaxTextLengthValidator(MAX_DESCRIPTION_CHARS)])

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    # FilterField("id"): the admin's chooser searches within what the user may see (a pk__in scope).
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("(sub)region")
        verbose_name_plural = _("(sub)regions")

    def __str__(self):
        return self.name


class Partnership(index.Indexed, models.Model):
    """A samenwerkingsverband (e.g. VSV-regio 37 Zuidoost-Brabant) whose members act together."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_single_line])
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True,
                                   validators=[MaxTextLengthValidator(MAX_DESCRIPTION_CHARS)])
    regions = models.ManyToManyField(Region, verbose_name=_("(sub)regions"), blank=True,
                                     related_name="partnerships")
    # Instead of deleting: an archived partnership leaves the lists and the reminders, its history stays.
    archived = models.BooleanField(
        _("archived"), default=False,
        help_text=_("An archived partnership disappears from the lists and no longer gets reminders; "
                    "actions, timeline and sessions are kept."))
    # Sharing across regions, set by the partnership's procesbewaker (actieplan/partnerships/sharing.py).
    province = models.CharField(_("province"), max_length=20, choices=Province.choices, blank=True)
    benchmark_opt_in = models.BooleanField(
        _("takes part in the comparison with other regions"), default=False,
        help_text=_("The mean scores per theme of the last closed reflection session count (without a name) "
                    "towards the comparison; only those who take part see the comparison."))
    benchmark_opt_in_at = models.DateTimeField(
        _("taking part since"), null=True, blank=True, editable=False,
        help_text=_("When taking part in the comparison was last switched on; it counts from the following "
                    "Monday."))
    share_experiences = models.BooleanField(
        _("shares experiences on good practices"), default=False,
        help_text=_("The closing note of a completed action that is linked to a good practice is public on "
                    "the page of that good practice."))
    experiences_named = models.BooleanField(
        _("named in shared experiences"), default=False,
        help_text=_("Without a name it says \"a partnership in <province>\"; with a name, the name of the "
                    "partnership and the title of the action."))

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("regions"),
              FieldPanel("archived"), FieldPanel("province"), FieldPanel("benchmark_opt_in"),
              FieldPanel("share_experiences"), FieldPanel("experiences_named")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def choosable(self, current=None):
        """What a form offers: organisations not archived, plus ``current`` (the id already chosen), so an
        existing action or membership of an archived organisation still saves unchanged."""
        return self.filter(models.Q(archived=False) | models.Q(pk=current)) if current else self.filter(archived=False)


class Organisation(index.Indexed, models.Model):
    """A school, municipality, employer or chain partner that takes part in partnerships."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[validate_single_line])
    organisation_type = models.CharField(_("type of organisation"), max_length=30, choices=OrganisationType.choices)
    region = models.ForeignKey(Region, verbose_name=_("(sub)region"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="organisations")
    partnerships = models.ManyToManyField(Partnership, verbose_name=_("partnerships"),
                                          blank=True, related_name="organisations")
    website = models.URLField(_("website address"), blank=True)
    # Instead of deleting: an archived organisation is no longer offered for new actions and memberships;
    # the actions and memberships that name it keep it.
    archived = models.BooleanField(
        _("archived"), default=False,
        help_text=_("An archived organisation is no longer a choice for new actions and memberships; actions "
                    "and memberships that name it keep it."))

    objects = OrganisationQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("organisation_type"), FieldPanel("region"),
              FieldPanel("partnerships"), FieldPanel("website"), FieldPanel("archived")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"),
                     index.FilterField("organisation_type"), index.FilterField("id")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's place in a partnership: for which organisation, in which role, at which mandate level."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="lob_memberships")
    partnership = models.ForeignKey(Partnership, verbose_name=_("partnership"),
                                    on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT,
                                     related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.DEELNEMER)
    mandate_level = models.PositiveSmallIntegerField(_("mandate level"), choices=MandateLevel.choices,
                                                     default=MandateLevel.UITVOEREND)
    function_title = models.CharField(_("job title"), max_length=150, blank=True, validators=[validate_single_line])

    panels = [FieldPanel("user"), FieldPanel("partnership"), FieldPanel("organisation"), FieldPanel("role"),
              FieldPanel("mandate_level"), FieldPanel("function_title")]

    class Meta:
        ordering = ["partnership", "organisation", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["user", "partnership"], name="one_membership_per_partnership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        name = person_name(self.user)
        return f"{name} ({self.get_role_display()}, {self.organisation})"


class Profile(models.Model):
    """A person's own settings: reminder preferences and the secret of their calendar feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lob_profile")
    digest_enabled = models.BooleanField(_("receive weekly summary"), default=True)
    reminder_days_before = models.CharField(
        _("reminder days before the deadline"), max_length=50, blank=True,
        help_text=_("For example 7,1. Empty: the platform default."),
    )
    calendar_token = models.UUIDField(_("calendar feed secret key"), default=uuid.uuid4, unique=True)

    class Meta:
        verbose_name = _("personal settings")
        verbose_name_plural = _("personal settings")

    def __str__(self):
        return str(self.user)

    @classmethod
    def for_user(cls, user):
        profile, _created = cls.objects.get_or_create(user=user)
        return profile
