from django import template

from actieplan.progress.models import progress_pages_for

register = template.Library()


@register.simple_tag(takes_context=True)
def progress_menu_url(context):
    """The URL of the Voortgang page the visitor may open (for the main menu), or "" for everyone else."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    page = progress_pages_for(user).only("pk", "url_path").first()
    return page.url if page else ""
