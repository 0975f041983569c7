"""``{% current_site as site %}``: Wagtail's ``{% wagtail_site %}`` without a database query per page.

Wagtail looks the site up for every request that does not go through its page serving (the action list, the
board, the reflection pages). The look-up is kept in Django's cache through ``actieplan.caching`` (name
"sites"), which a save or delete of any site makes stale in every worker at once (see apps.py).
"""

from django import template
from django.http.request import split_domain_port
from wagtail.models import Site

from actieplan import caching

register = template.Library()


@register.simple_tag(takes_context=True)
def current_site(context):
    request = context.get("request")
    if request is None:
        return None
    if not hasattr(request, "_wagtail_site"):
        host = (split_domain_port(request._get_raw_host())[0], request.get_port())
        request._wagtail_site = caching.get_or_compute("sites", host, lambda: Site._find_for_request(request))
    return request._wagtail_site
