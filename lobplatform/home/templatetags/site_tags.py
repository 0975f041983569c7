"""``{% current_site as site %}``: Wagtail's ``{% wagtail_site %}`` without a database query per page; and the pages
every region's site links to although only one site holds them (the library, the accessibility statement).

Wagtail looks the site up for every request that does not go through its page serving (the action list, the
board, the reflection pages). The look-up is kept in Django's cache through ``actieplan.caching`` (name
"sites"), which a save or delete of any site makes stale in every worker at once (see apps.py).
"""

from django import template
from django.db.models import Q
from django.http.request import split_domain_port
from wagtail.models import Page, Site

from actieplan import caching
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


def _url(url_path, site):
    """The address of the page at ``url_path``: relative on ``site``, else the full URL on the site that holds it
    (as Wagtail's ``Page.get_url``, from its cached site root paths, without loading the page's specific class)."""
    for site_id, root_path, root_url, _language in Site.get_site_root_paths():
        if url_path.startswith(root_path):
            path = url_path[len(root_path) - 1:]
            return path if site is not None and site_id == site.pk else root_url + path
    return None


def _links(site):
    """``{"library": (title, url) or None, "statement": url or None}`` for ``site`` (see :func:`shared_links`), from
    one query over both kinds of page."""
    kinds = Q()
    for model in (GoodPracticeIndexPage, AccessibilityStatementPage):
        kinds |= Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
    pages = list(Page.objects.live().filter(kinds).order_by("path")
                 .values("title", "path", "url_path", "content_type__model"))

    def on_site(page):
        return site is not None and page["path"].startswith(site.root_page.path)

    libraries = [p for p in pages if p["content_type__model"] == GoodPracticeIndexPage._meta.model_name]
    statements = [p for p in pages if p["content_type__model"] == AccessibilityStatementPage._meta.model_name]
    library = None
    if libraries and not any(on_site(p) for p in libraries):
        library = (libraries[0]["title"], _url(libraries[0]["url_path"], site))
    statement = next((p for p in statements if on_site(p)), statements[0] if statements else None)
    return {"library": library, "statement": _url(statement["url_path"], site) if statement is not None else None}


@register.simple_tag(takes_context=True)
def shared_links(context):
    """The pages every region's site links to although one site (the default one) holds them: the national library
    "Het delen waard" (``library``: title and address, only when the current site does not hold it, whose own menu
    lists it) and the accessibility statement (``statement``: the site's own, else the platform's); nothing on the
    default site. A page on another site
    has its full address, on that site's host. Kept in the cache under the library's version (every page change)
    and the sites' (every site change)."""
    request = context.get("request")
    site = current_site(context)
    if site is None or site.is_default_site:
        # The platform's own site holds the library and the statement: its menu lists the one, the footer's plain
        # address finds the other, and its pages pay nothing for this.
        return {"library": None, "statement": None}
    if request is None:
        return _links(site)
    if not hasattr(request, "_lob_shared_links"):
        parts = ("shared-links", site.pk if site else None, caching.version("sites"))
        request._lob_shared_links = caching.get_or_compute("library", parts, lambda: _links(site))
    return request._lob_shared_links

