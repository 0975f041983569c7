"""The operator's form: a new partnership with its first procesbewaker."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from actieplan import submissions
from actieplan.partnerships.models import Organisation, OrganisationType, Partnership
from actieplan.validators import SingleLineField


class NewPartnershipForm(submissions.OnceForm, forms.Form):
    """The partnership's name, and who leads it: the procesbewaker's name, address and organisation."""

    name = SingleLineField(label=_("Naam van het samenwerkingsverband"), max_length=200,
                           help_text=_("Bijvoorbeeld: RMC-regio 25 Rijnmond."))
    description = forms.CharField(label=_("Omschrijving"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))
    first_name = SingleLineField(label=_("Voornaam van de procesbewaker"), max_length=150)
    last_name = SingleLineField(label=_("Achternaam van de procesbewaker"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres van de procesbewaker"),
                             help_text=_("Hierheen gaat de uitnodiging met de link om een wachtwoord te kiezen."),
                             error_messages={"invalid": _("Vul een geldig e-mailadres in, zoals naam@school.nl.")})
    organisation = SingleLineField(label=_("Organisatie van de procesbewaker"), max_length=200,
                                   help_text=_("Een bestaande organisatie met deze naam wordt hergebruikt."))
    organisation_type = forms.ChoiceField(label=_("Type organisatie"), choices=OrganisationType.choices,
                                          initial=OrganisationType.GEMEENTE,
                                          help_text=_("Alleen nodig voor een nieuwe organisatie."))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Partnership.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("Er is al een samenwerkingsverband met de naam %(name)s."),
                                        params={"name": name})
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).count() > 1:
            raise forms.ValidationError(_("Meer dan één account heeft dit e-mailadres; vraag een beheerder welk "
                                          "account de procesbewaker is."))
        return email

    def existing_organisation(self):
        return Organisation.objects.filter(name__iexact=self.cleaned_data["organisation"].strip()).first()
