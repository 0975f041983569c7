"""What differs between the Wagtail and Django versions the apps support, in one place.

Supported: Wagtail 7.4 LTS and 8.x, on the Django versions that Wagtail release supports (5.2 LTS, 6.0, and 6.1
with Wagtail 8), Python 3.11–3.13. ``check_versions`` runs when Django loads the apps (``apps.py``), before any
model or admin module imports a Wagtail API, so an unsupported Wagtail stops the start with one line naming the
supported versions instead of an ImportError deep inside the admin.
"""

import django
import wagtail
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: (major, minor) pairs from and up to which the apps run; checked against ``wagtail.VERSION``.
WAGTAIL_MIN = (7, 4)
WAGTAIL_BELOW = (9, 0)
DJANGO_MIN = (5, 2)
SUPPORTED = "Wagtail 7.4 LTS or 8.x on Django 5.2 or later"

WAGTAIL_VERSION = tuple(wagtail.VERSION[:2])
#: Wagtail 8 keeps one registry of permission policies for every model (``wagtail.permissions``).
HAS_POLICY_REGISTRY = WAGTAIL_VERSION >= (8, 0)


def unsupported_message(wagtail_version=None, django_version=None):
    """The one line a start on an unsupported version fails with, or ``None`` when the versions are fine."""
    wagtail_version = tuple(wagtail_version or wagtail.VERSION[:2])
    django_version = tuple(django_version or django.VERSION[:2])
    if WAGTAIL_MIN <= wagtail_version < WAGTAIL_BELOW and django_version >= DJANGO_MIN:
        return None
    found = "Wagtail {}.{} on Django {}.{}".format(*wagtail_version[:2], *django_version[:2])
    return f"lob-actieplan (actieplan, good_practices) needs {SUPPORTED}; this site has {found}."


def check_versions():
    message = unsupported_message()
    if message:
        raise ImproperlyConfigured(message)


#: The Page model that migrations point at. Wagtail 8 lets a site swap it (``WAGTAIL_PAGE_MODEL``); 7.4 has
#: no such setting. Migrations use this instead of ``settings.WAGTAIL_PAGE_MODEL``, which 7.4 does not define.
PAGE_MODEL = getattr(settings, "WAGTAIL_PAGE_MODEL", "wagtailcore.Page")


def register_permission_policy(model, policy=None, exact_class=False):
    """Register ``policy`` for ``model`` in Wagtail 8's policy registry. Wagtail 7.4 has no registry: there
    each viewset names its policy (``permission_policy = …``), which is harmless on 8."""
    if HAS_POLICY_REGISTRY:
        # Imported here, not at the top: apps.py imports this module before Django's app registry is ready,
        # and wagtail.permissions imports Wagtail's models.
        from wagtail.permissions import register_permission_policy as register

        register(model, policy, exact_class=exact_class)
