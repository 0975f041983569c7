"""``{% current_site as site %}``: Wagtail's ``{% wagtail_site %}`` without a database query per page; and the pages
every region's site links to although only one site holds them (the library, the accessibility statement).

Wagtail looks the site up for every request that does not go through its page serving (the action list, the
board, the reflection pages). The look-up is kept in Django's cache through ``actieplan.caching`` (name
"sites"), which a save or delete of any site makes stale in every worker at once (see apps.py).
"""

from django import template
from django.http.request import split_domain_port
from wagtail.models import Site

from actieplan import caching
from actieplan.partnerships.permissions import can_operate_platform
from good_practices.models import GoodPracticeIndexPage
from lobplatform.home.models import AccessibilityStatementPage

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


def _links(site, request):
    """``{"library": (title, url) or None, "statement": url or None}`` for ``site`` (see :func:`shared_links`)."""
    libraries = GoodPracticeIndexPage.objects.live().order_by("path")
    statements = AccessibilityStatementPage.objects.live().order_by("path")
    library = None
    if site is None or not libraries.descendant_of(site.root_page, inclusive=True).exists():
        shared = libraries.first()
        library = (shared.title, shared.get_url(request)) if shared is not None else None
    statement = (statements.descendant_of(site.root_page).first() if site is not None else None) or statements.first()
    return {"library": library, "statement": statement.get_url(request) if statement is not None else None}


@register.simple_tag(takes_context=True)
def shared_links(context):
    """The pages every region's site links to although one site holds them: the national library "Het delen
    waard" (``library``: title and address, only when the current site does not hold it, whose own menu lists it)
    and the accessibility statement (``statement``: the site's own, else the platform's). A page on another site
    has its full address, on that site's host. Kept in the cache under the library's version (every page change)
    and the sites' (every site change)."""
    request = context.get("request")
    site = current_site(context)
    if request is None:
        return _links(site, None)
    if not hasattr(request, "_lob_shared_links"):
        parts = ("shared-links", site.pk if site else None, caching.version("sites"))
        request._lob_shared_links = caching.get_or_compute("library", parts, lambda: _links(site, request))
    return request._lob_shared_links


@register.filter
def operates_platform(user):
    """``{% if user|operates_platform %}``: the menu's way to the operator's overview."""
    return can_operate_platform(user)
