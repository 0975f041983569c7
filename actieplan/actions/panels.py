"""Panels for the Wagtail editor of pages that actions link to (good practices, proeftuinen)."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from actieplan.actions import counts
from actieplan.actions.models import Action
from actieplan.actions.models import linkable_pages
from actieplan.partnerships.permissions import manageable_partnerships


class LinkedActionsPanel(Panel):
    """The actions linked to this page (status, owner, deadline) and a link to add one already linked.

    Titles follow the permission policy as everywhere: an editor who is not a member of the
    partnership sees how many actions are linked, not what they are.
    """

    def __init__(self, heading=_("Actions from the action plan"), **kwargs):
        super().__init__(heading=heading, **kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "actieplan/actions/admin/linked_actions_panel.html"

        def is_required(self):
            return False

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            user = self.request.user
            saved = page is not None and page.pk is not None
            linked = Action.objects.filter(linked_pages=page.pk) if saved else Action.objects.none()
            visible = counts.visible(user, linked)
            context.update({
                "saved": saved,
                "actions": list(visible.select_related("owner", "partnership").order_by("deadline", "pk")),
                "hidden": counts.total(linked) - counts.total(visible) if saved else 0,
                "add_url": "",
                "linkable": saved and linkable_pages().filter(pk=page.pk).exists(),
            })
            if context["linkable"] and manageable_partnerships(user).exists():
                try:
                    context["add_url"] = f'{reverse("actieplan:action_create")}?linked_page={page.pk}'
                except NoReverseMatch:
                    pass
            return context
