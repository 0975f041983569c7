"""Site-wide protection: login and password-reset throttling, Content-Security-Policy, Permissions-Policy.

- Logins are throttled by django-axes (``AXES_*`` in settings): after ``AXES_FAILURE_LIMIT`` wrong
  passwords for one username from one address, that pair waits ``AXES_COOLOFF_TIME`` (never the username
  alone: nobody can lock out someone else's account); the lockout page says so in Dutch
  (``templates/registration/lockout.html``). The address is the real client's, also behind a trusted proxy
  (``actieplan.clients.client_address``, ``LOB_TRUSTED_PROXIES``).
- Password-reset mails are counted per address and per client in the database (``actieplan.ratelimits``:
  every worker shares the count, with or without Redis): beyond the limit no mail is sent and the form says why.
  The same throttle guards the admin's reset and the site's own ("Wachtwoord vergeten?" on the login page).
- The Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY``) allows only our own scripts on
  the site. The Wagtail admin (and the previews it renders under /admin/) still writes a few inline
  scripts for its widgets, so under /admin/ inline scripts are allowed too; nothing else is relaxed.
"""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import PasswordResetView

from actieplan import ratelimits
from actieplan.clients import client_address
from actieplan.conf import app_settings

ADMIN_PREFIX = "/admin/"


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check on every web login; logins without a request (management commands, the test client's
    ``login()``) have no client to throttle and pass through to the next backend."""

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class ResetThrottleMixin:
    """At most ``LOB_PASSWORD_RESET_PER_ADDRESS`` reset mails per address and ``LOB_PASSWORD_RESET_PER_CLIENT``
    requests per client address in ``LOB_PASSWORD_RESET_WINDOW`` seconds, counted together for both doors."""

    def form_valid(self, form):
        window = app_settings.LOB_PASSWORD_RESET_WINDOW
        email = form.cleaned_data.get("email", "").strip().lower()
        per_address = ratelimits.hit(ratelimits.key("wachtwoordherstel-adres", email), window)
        per_client = ratelimits.hit(ratelimits.key("wachtwoordherstel-client", client_address(self.request)), window)
        if (per_address > app_settings.LOB_PASSWORD_RESET_PER_ADDRESS
                or per_client > app_settings.LOB_PASSWORD_RESET_PER_CLIENT):
            form.add_error(None, _("Er zijn het afgelopen uur al te veel herstelmails aangevraagd. "
                                   "Kijk in je mailbox (ook bij ongewenste mail) of probeer het over een uur opnieuw."))
            return self.form_invalid(form)
        return super().form_valid(form)


class ThrottledPasswordResetView(ResetThrottleMixin, PasswordResetView):
    """Wagtail's password reset, throttled."""


class SitePasswordResetView(ResetThrottleMixin, auth_views.PasswordResetView):
    """The site's "Wachtwoord vergeten?" (from the login page), throttled like the admin's; the mail links to the
    site's own form for a new password."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's inline scripts allowed under /admin/ and a Permissions-Policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and not report_only:
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", []), "'unsafe-inline'"]
            parts.update = update
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def lockout_response(request, original_response=None, credentials=None):
    """Axes' lockout page, in Dutch, with the wait in minutes (HTTP 429)."""
    from django.shortcuts import render

    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    return render(request, "registration/lockout.html", {"cooloff_minutes": minutes}, status=429)
