"""Admin view: promote a finished proeftuin to a draft good practice in the library."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from good_practices.models import ProeftuinPage


def can_promote(user, proeftuin):
    """Editors who may edit the proeftuin and add pages to the library may promote it."""
    library = proeftuin.library()
    return (
        library is not None
        and proeftuin.permissions_for_user(user).can_edit()
        and library.permissions_for_user(user).can_add_subpage()
    )


class PromoteProeftuinView(WagtailAdminTemplateMixin, View):
    """Asks for confirmation (GET), then creates the draft good practice (POST) and opens it for editing."""

    template_name = "good_practices/admin/promote_confirm.html"
    header_icon = "pick"
    _show_breadcrumbs = True

    def dispatch(self, request, page_id):
        self.proeftuin = get_object_or_404(ProeftuinPage, pk=page_id)
        if not can_promote(request.user, self.proeftuin):
            raise PermissionDenied
        return super().dispatch(request, page_id)

    def get_page_title(self):
        return _("Share pilot project as a good practice")

    def get_page_subtitle(self):
        return self.proeftuin.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailadmin_pages:edit", args=[self.proeftuin.pk]), "label": self.proeftuin.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({
            "proeftuin": self.proeftuin,
            "library": self.proeftuin.library(),
            "existing": self.proeftuin.promoted_practices.order_by("pk").first(),
            "edit_url": reverse("wagtailadmin_pages:edit", args=[self.proeftuin.pk]),
        })
        return context

    def get(self, request, page_id):
        return self.render_to_response(self.get_context_data())

    def post(self, request, page_id):
        try:
            practice, created = self.proeftuin.promote(user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("wagtailadmin_pages:edit", self.proeftuin.pk)
        if created:
            messages.success(request, _("Draft good practice “%(title)s” created. Complete it and submit it "
                                        "for approval.") % {"title": practice.title})
        else:
            messages.info(request, _("This pilot project was already shared as a good practice earlier; it is open below."))
        return redirect("wagtailadmin_pages:edit", practice.pk)
