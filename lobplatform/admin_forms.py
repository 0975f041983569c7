"""Wagtail admin forms that need a Dutch word Wagtail's own translation lacks."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form; its password field has no label of its own, so Django showed "Password"."""

    password = forms.CharField(
        label=_("Wachtwoord"),
        widget=forms.PasswordInput(attrs={"placeholder": _("Vul je wachtwoord in")}),
        strip=False,
    )
