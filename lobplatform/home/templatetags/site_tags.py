"""``{% current_site as site %}``: Wagtail's ``{% wagtail_site %}`` without a database query per page.

Wagtail looks the site up for every request that does not go through its page serving (the
action list, the board, the reflection pages), which costs a query and the ORM work of
building it on pages that are measured against a plain Wagtail page. The lookup is kept per
worker process for a minute and dropped as soon as a site is saved or deleted in this process.
"""

import time

from django import template
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http.request import split_domain_port
from wagtail.models import Site

register = template.Library()

TTL_SECONDS = 60
_sites = {}


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def forget_sites(**kwargs):
    _sites.clear()


@register.simple_tag(takes_context=True)
def current_site(context):
    request = context.get("request")
    if request is None:
        return None
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    cached = _sites.get(key)
    if cached is None or cached[1] < time.monotonic():
        cached = _sites[key] = (Site._find_for_request(request), time.monotonic() + TTL_SECONDS)
    request._wagtail_site = cached[0]
    return cached[0]
