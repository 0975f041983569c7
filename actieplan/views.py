from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse

from .permissions import visible_actions


@login_required
def action_list(request):
    """The working group's action list, scoped to the user's partnerships."""
    actions = visible_actions(request.user).with_related()
    return TemplateResponse(request, "actieplan/action_list.html", {"actions": actions})
