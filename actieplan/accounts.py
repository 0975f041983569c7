"""Logging in for the apps' pages, in any host site.

The pages send visitors to the site's own login page, ``settings.LOGIN_URL``, when the site has one. A site
without one (Django's default ``/accounts/login/`` answers 404, or Wagtail's page tree catches it) gets the apps'
own login page, ``/actieplan/inloggen/`` (``actieplan:login``), with the template ``actieplan/login.html``.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import resolve_url
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.functional import lazy

#: Wagtail's catch-all page route: a path it "resolves" is no login page, only a page that may not exist.
WAGTAIL_SERVE = "wagtail_serve"


def login_url():
    """The login page to send visitors to: the site's ``LOGIN_URL`` if it leads to a view, else the apps' own."""
    try:
        url = resolve_url(settings.LOGIN_URL)
    except NoReverseMatch:  # a URL name the site does not have
        return reverse("actieplan:login")
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return url  # a login on another host (single sign-on): the site knows it exists
    try:
        match = resolve(parts.path)
    except Resolver404:
        return reverse("actieplan:login")
    return reverse("actieplan:login") if match.url_name == WAGTAIL_SERVE else url


#: For decorators that resolve their login URL per request.
lazy_login_url = lazy(login_url, str)


def login_required(view):
    """Django's ``login_required``, with :func:`login_url` instead of a bare ``settings.LOGIN_URL``."""
    return user_passes_test(lambda user: user.is_authenticated, login_url=lazy_login_url())(view)


class LoginView(auth_views.LoginView):
    """The apps' own login page, for sites without one; after logging in, members land on their action plan."""

    template_name = "actieplan/login.html"

    def get_default_redirect_url(self):
        if getattr(settings, "LOGIN_REDIRECT_URL", None) not in (None, "/accounts/profile/"):
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        return reverse("actieplan:after_login")
