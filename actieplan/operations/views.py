"""The platform operator's pages (``/actieplan/platform/``) and the invitation's set-password page.

Every page asks ``permissions.can_operate_platform``; what they show of a partnership is its name, its state and
counts (``activity``). None of them reads an action, note, comment, session or minute.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actieplan import submissions
from actieplan.accounts import login_required, login_url
from actieplan.operations import activity, services
from actieplan.operations.forms import NewPartnershipForm
from actieplan.overrides import template_names
from actieplan.partnerships.models import Partnership
from actieplan.partnerships.permissions import can_operate_platform


def operator_only(view):
    """Logged in (else the login page) and a platform operator (else 403 with the reason)."""
    @login_required
    def wrapped(request, *args, **kwargs):
        if not can_operate_platform(request.user):
            raise PermissionDenied(_("This page is for platform operators."))
        return view(request, *args, **kwargs)
    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@operator_only
def platform_overview(request):
    """Per partnership: members, actions agreed / done / overdue, sessions, meetings and the last activity."""
    rows = activity.overview()
    return TemplateResponse(request, template_names("actieplan/operations/overview.html"), {
        "active": [row for row in rows if not row.archived],
        "archived": [row for row in rows if row.archived],
    })


CREATE_PURPOSE = "samenwerkingsverband"


def _already_sent(request):
    key, _natural = submissions.submission_key(request, CREATE_PURPOSE)
    return submissions.SubmissionKey.objects.filter(key=key).exists()


def _repeated(request):
    messages.info(request, _("This form had already been sent; the partnership has been created once."))
    return redirect("actieplan:platform_overview")


@operator_only
@require_http_methods(["GET", "POST"])
def partnership_create(request):
    """A new partnership with its first procesbewaker, who gets an invitation to choose a password."""
    form = NewPartnershipForm(request.POST or None)
    if request.method == "POST" and _already_sent(request):
        # Before validating: a repeat would otherwise be told that the name is taken (by itself).
        return _repeated(request)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in (
            "name", "description", "first_name", "last_name", "email", "organisation", "organisation_type")}
        try:
            partnership = submissions.once(request, CREATE_PURPOSE,
                                           lambda: services.create_partnership(request.user, **data))
        except submissions.Repeat:
            return _repeated(request)
        messages.success(request, _("%(name)s has been created. %(email)s will receive an invitation to "
                                    "choose a password.") % {"name": partnership.name, "email": data["email"]})
        return redirect("actieplan:platform_overview")
    return TemplateResponse(request, template_names("actieplan/operations/create.html"), {"form": form},
                            status=400 if form.errors else 200)


@operator_only
@require_http_methods(["GET", "POST"])
def partnership_archive(request, pk):
    """Archive a partnership after confirming: its members lose access, nothing is deleted."""
    partnership = get_object_or_404(Partnership, pk=pk)
    if request.method == "POST":
        if services.archive_partnership(request.user, partnership):
            messages.success(request, _("%(name)s has been archived. Nothing has been deleted: actions, "
                                        "timeline, sessions and meetings are all kept.") % {"name": partnership.name})
        else:
            messages.info(request, _("%(name)s had already been archived.") % {"name": partnership.name})
        return redirect("actieplan:platform_overview")
    return TemplateResponse(request, template_names("actieplan/operations/archive.html"),
                            {"partnership": partnership})


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link in the invitation: choose a password, once (Django's password-reset token)."""

    template_name = "actieplan/operations/set_password.html"
    reset_url_token = "wachtwoord-kiezen"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been set. Log in with your username %(username)s.")
                         % {"username": form.user.get_username()})
        return response

    def get_success_url(self):
        return login_url()


urlpatterns = [
    path("platform/", platform_overview, name="platform_overview"),
    path("platform/nieuw/", partnership_create, name="platform_partnership_create"),
    path("platform/<int:pk>/archiveren/", partnership_archive, name="platform_partnership_archive"),
    path("wachtwoord/<uidb64>/<token>/", SetPasswordView.as_view(), name="set_password"),
]
