"""Versioned cache keys for the library: the facet block and search hits are cached until the library changes.

Any publish, unpublish, move or delete of a page and any edit of a vocabulary bumps one version number
in Django's cache (shared by all workers), so every cached entry of the old version is simply never read
again. Entries also expire after ``TIMEOUT`` as a safety net.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "good_practices:library-version"
TIMEOUT = 60 * 60


def version():
    """The current library version (created on first use)."""
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, None)
        value = cache.get(VERSION_KEY) or 1
    return value


def _next_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def bump(**_kwargs):
    """Invalidate everything cached for the library (a signal receiver): now, and again when the changing
    transaction commits, so nothing a request computed from the old rows in between is read afterwards."""
    _next_version()
    if transaction.get_connection().in_atomic_block:  # in autocommit the change has committed already
        transaction.on_commit(_next_version)


def key(*parts):
    """A cache key for ``parts`` at the current version; the parts are hashed (any length, any characters)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f"good_practices:v{version()}:{digest}"


def connect():
    """Wire the invalidation to Wagtail's page signals and the vocabularies' saves (called from AppConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from actieplan.models import Region

    from good_practices import models

    page_published.connect(bump, dispatch_uid="gp_cache_published")
    page_unpublished.connect(bump, dispatch_uid="gp_cache_unpublished")
    post_page_move.connect(bump, dispatch_uid="gp_cache_moved")
    post_delete.connect(bump, sender=Page, dispatch_uid="gp_cache_deleted")
    for model in (PageViewRestriction, Region, models.DelenWaardTheme, models.Transition, models.SchoolType,
                  models.LoopbaanCompetentie, models.TargetGroup, models.CiosLevel, models.ContentArea):
        post_save.connect(bump, sender=model, dispatch_uid=f"gp_cache_save_{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"gp_cache_delete_{model.__name__}")
    m2m_changed.connect(bump, sender=PageViewRestriction.groups.through, dispatch_uid="gp_cache_restriction_groups")
