"""/actieplan/voortgang/: on to the Voortgang page of the visitor's partnership. The page itself serves its
HTML, PDF and XLSX (``ProgressPage.serve``).

Someone logged in without the role (a deelnemer, another partnership's member) gets a page that says why and whom
to ask, from both doors: this address and the page itself, where Wagtail's page privacy would otherwise show a
bare login form to a person who is already logged in (:func:`explain_no_access`, a ``before_serve_page`` hook that
runs before Wagtail's own check).
"""

from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from wagtail import hooks

from actieplan.accounts import login_required
from actieplan.formats import person_name
from actieplan.overrides import template_names
from actieplan.partnerships.models import Membership, Partnership, Role
from actieplan.partnerships.permissions import (
    MEMBER_ROLES, PROGRESS_ROLES, can_view_progress, is_platform_admin, partnership_ids,
)
from actieplan.progress.models import ProgressPage, progress_pages_for


def no_access(request, partnership=None):
    """403 with the reason and whom to ask: the procesbewaker(s) of the partnership (or of the visitor's own)."""
    partnerships = [partnership] if partnership is not None else list(
        Partnership.objects.filter(pk__in=partnership_ids(request.user, MEMBER_ROLES)))
    contacts = (Membership.objects.filter(partnership__in=partnerships, role=Role.PROCESBEWAKER,
                                          user__is_active=True)
                .select_related("user", "partnership").order_by("partnership__name", "user__last_name"))
    roles = list(Membership.objects.filter(user=request.user, partnership__in=partnerships)
                 .select_related("partnership").order_by("partnership__name"))
    return TemplateResponse(request, template_names("actieplan/progress/no_access.html"), {
        "partnership": partnership, "roles": roles,
        "contacts": [{"name": person_name(m.user), "email": m.user.email, "partnership": m.partnership}
                     for m in contacts],
    }, status=403)


@hooks.register("before_serve_page", order=-10)
def explain_no_access(page, request, serve_args, serve_kwargs):
    """A logged-in visitor of a Voortgang page who may not read it hears why, instead of getting a login form."""
    if not issubclass(page.specific_class or type(page), ProgressPage) or not request.user.is_authenticated:
        return None
    progress_page = page.specific
    if can_view_progress(request.user, progress_page.partnership_id):
        return None
    return no_access(request, progress_page.partnership)


@login_required
def progress_redirect(request):
    """/actieplan/voortgang/: on to the Voortgang page of the visitor's partnership."""
    page = progress_pages_for(request.user).first()
    if page is None:
        if not partnership_ids(request.user, PROGRESS_ROLES) and not is_platform_admin(request.user):
            return no_access(request)
        raise Http404(_("There is no progress page for your partnership yet."))
    url = page.url
    if request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    return redirect(url)


urlpatterns = [
    path("voortgang/", progress_redirect, name="progress"),
]
