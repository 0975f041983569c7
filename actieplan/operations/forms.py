"""The operator's form: a new partnership with its first procesbewaker."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from actieplan import submissions
from actieplan.partnerships.models import Organisation, OrganisationType, Partnership
from actieplan.validators import SingleLineField


class NewPartnershipForm(submissions.OnceForm, forms.Form):
    """The partnership's name, and who leads it: the procesbewaker's name, address and organisation."""

    name = SingleLineField(label=_("Name of the partnership"), max_length=200,
                           help_text=_("For example: RMC region 25 Rijnmond."))
    description = forms.CharField(label=_("Brief description"), required=False, max_length=2000, widget=forms.Textarea(
        attrs={"rows": 3}))
    first_name = SingleLineField(label=_("First name of the process facilitator"), max_length=150)
    last_name = SingleLineField(label=_("Last name of the process facilitator"), max_length=150)
    email = forms.EmailField(label=_("Email address of the process facilitator"),
                             help_text=_("The invitation with the link to choose a password is sent here."),
                             error_messages={"invalid": _("Enter a valid email address, such as name@school.nl.")})
    organisation = SingleLineField(label=_("Organisation of the process facilitator"), max_length=200,
                                   help_text=_("An existing organisation with this name is reused."))
    organisation_type = forms.ChoiceField(label=_("Type of organisation"), choices=OrganisationType.choices,
                                          initial=OrganisationType.GEMEENTE,
                                          help_text=_("Only needed for a new organisation."))

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Partnership.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError(_("There is already a partnership called %(name)s."),
                                        params={"name": name})
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).count() > 1:
            raise forms.ValidationError(_("More than one account has this email address; ask an "
                                          "administrator which account is the process facilitator."))
        return email

    def existing_organisation(self):
        return Organisation.objects.filter(name__iexact=self.cleaned_data["organisation"].strip()).first()
