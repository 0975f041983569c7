"""``{% since_count as n %}`` for the header and ``{% follow_button action %}`` for the pages of what can be
followed (an action, a meeting, a proeftuin)."""

from django import template

from actieplan.following import rules, since
from actieplan.following.models import Follow

register = template.Library()

FIELDS = {"action": "actie", "meeting": "overleg", "page": "pagina"}


@register.simple_tag(takes_context=True)
def since_count(context):
    """How many things changed since the visitor's last visit (0 for anonymous visitors); cached per person."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return since.count(user)


@register.inclusion_tag("actieplan/following/button.html", takes_context=True)
def follow_button(context, obj):
    """The Volgen / Niet meer volgen form for ``obj``, with its number of followers. Only shown to people who
    are logged in (whoever sees the page may read it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or obj is None:
        return {"hidden": True}
    target = rules.target_of(obj)
    (field, value), = target.items()
    follows = Follow.objects.filter(**target)
    return {
        "field": FIELDS[field], "pk": value.pk, "next": request.get_full_path(),
        "following": follows.filter(user=user).exists(), "followers": follows.count(),
        "csrf_token": context.get("csrf_token"), "request": request,
    }
