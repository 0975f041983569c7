"""Site-wide protection: login and password-reset throttling, Content-Security-Policy, Permissions-Policy.

- Logins are throttled by django-axes (``AXES_*`` in settings): after ``AXES_FAILURE_LIMIT`` wrong
  passwords for one username from one address, that pair waits ``AXES_COOLOFF_TIME`` (never the username
  alone: nobody can lock out someone else's account); the lockout page says so in Dutch
  (``templates/registration/lockout.html``). The address is the real client's, also behind a trusted proxy
  (``actieplan.clients.client_address``, ``LOB_TRUSTED_PROXIES``).
- Password-reset mails are counted per address and per client in the throttle cache (``LOB_THROTTLE_CACHE``:
  Redis or the database in production, so all workers share the count): beyond the limit no mail is sent and
  the form says why.
- The Content-Security-Policy (django-csp, ``CONTENT_SECURITY_POLICY``) allows only our own scripts on
  the site. The Wagtail admin (and the previews it renders under /admin/) still writes a few inline
  scripts for its widgets, so under /admin/ inline scripts are allowed too; nothing else is relaxed.
"""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.account import PasswordResetView

from actieplan.clients import client_address, count_hit

ADMIN_PREFIX = "/admin/"


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' check on every web login; logins without a request (management commands, the test client's
    ``login()``) have no client to throttle and pass through to the next backend."""

    def authenticate(self, request=None, *args, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)




class ThrottledPasswordResetView(PasswordResetView):
    """Wagtail's password reset, with at most ``LOB_PASSWORD_RESET_PER_ADDRESS`` mails per address and
    ``LOB_PASSWORD_RESET_PER_CLIENT`` requests per client address in ``LOB_PASSWORD_RESET_WINDOW`` seconds."""

    def form_valid(self, form):
        window = getattr(settings, "LOB_PASSWORD_RESET_WINDOW", 3600)
        email = form.cleaned_data.get("email", "").strip().lower()
        per_address = count_hit(f"lob:pwreset:email:{email}", window)
        per_client = count_hit(f"lob:pwreset:ip:{client_address(self.request)}", window)
        if (per_address > getattr(settings, "LOB_PASSWORD_RESET_PER_ADDRESS", 3)
                or per_client > getattr(settings, "LOB_PASSWORD_RESET_PER_CLIENT", 10)):
            form.add_error(None, _("Er zijn het afgelopen uur al te veel herstelmails aangevraagd. "
                                   "Kijk in je mailbox (ook bij ongewenste mail) of probeer het over een uur opnieuw."))
            return self.form_invalid(form)
        return super().form_valid(form)


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
