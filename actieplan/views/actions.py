"""The working group's pages: action list, board, detail with timeline and update form."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.urls import path

from actieplan.permissions import visible_actions


@login_required
def action_list(request):
    actions = visible_actions(request.user).with_related()
    return TemplateResponse(request, "actieplan/action_list.html", {"actions": actions})


urlpatterns = [
    path("", action_list, name="action_list"),
]
