"""The Wagtail site's own address follows the one setting the links in mails come from.

Wagtail builds the links in its own mails (a page approved in moderation, a comment) from the ``Site`` row's
hostname and port, while our reminders, minutes and feeds use ``WAGTAILADMIN_BASE_URL``. The home page's
migration made that row ``localhost:80``, so moderation mails pointed at ``http://localhost/``. After every
``migrate`` (compose runs it at each start) a default site that still has that first address takes the
hostname and port of ``WAGTAILADMIN_BASE_URL``; a site whose address someone chose is left alone.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site

#: The address the home page's migration gave the default site.
FIRST_ADDRESS = ("localhost", 80)


def address_of(base_url):
    """``(hostname, port)`` of an absolute URL, the port filled in from the scheme."""
    parts = urlsplit(base_url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def follow_base_url(sender=None, **kwargs):
    """post_migrate: give the default site the address of WAGTAILADMIN_BASE_URL if it still has the first one."""
    base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    hostname, port = address_of(base_url)
    if not hostname:
        return
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) != FIRST_ADDRESS or (hostname, port) == FIRST_ADDRESS:
        return
    if Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists():
        return
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
