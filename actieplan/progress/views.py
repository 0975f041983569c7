"""/actieplan/voortgang/: on to the Voortgang page of the visitor's partnership. The page itself serves its
HTML, PDF and XLSX (``ProgressPage.serve``)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _

from actieplan.accounts import login_required
from actieplan.partnerships.permissions import PROGRESS_ROLES, is_platform_admin, partnership_ids
from actieplan.progress.models import progress_pages_for


@login_required
def progress_redirect(request):
    """/actieplan/voortgang/: on to the Voortgang page of the visitor's partnership."""
    page = progress_pages_for(request.user).first()
    if page is None:
        if not partnership_ids(request.user, PROGRESS_ROLES) and not is_platform_admin(request.user):
            raise PermissionDenied(_("De voortgangspagina is voor het bestuur en de werkgroep."))
        raise Http404(_("Er is nog geen voortgangspagina voor uw samenwerkingsverband."))
    url = page.url
    if request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    return redirect(url)


urlpatterns = [
    path("voortgang/", progress_redirect, name="progress"),
]
