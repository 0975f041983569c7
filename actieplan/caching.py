"""The one way the apps cache what they compute: under a key that holds the version of what it shows.

Each cached thing depends on a *name* ("progress", "blocks", "choices", "library", "sites"). Its key holds the
current version of that name; a change to what it shows bumps the version, so an older entry is simply never
read again (entries also expire as a safety net).

Versions live in the database, not in the cache: a change and its bump commit together (the bump runs when the
changing transaction commits), every worker reads the same version, and an unreachable cache (Redis restarting)
can lose no bump, so no figure computed before a change is ever shown as current after it. While a transaction
that changed something is still open, its own reads of that name skip the cache: it sees rows nobody else sees
yet. A cache that cannot be reached is skipped: the value is computed, slower but true.

Reading the versions costs one query, once per request (then remembered until the request ends).
"""

import hashlib
import logging
import uuid

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

#: How long a cached entry lives at most, whatever the version says (a safety net, in seconds).
DEFAULT_TIMEOUT = 60 * 60


class CacheVersion(models.Model):
    """The version of one name of cached things; a change to what they show adds one (see the module)."""

    name = models.CharField(_("name"), max_length=50, primary_key=True)
    counter = models.PositiveBigIntegerField(_("version"), default=0)

    class Meta:
        app_label = "actieplan"
        verbose_name = _("cache version")
        verbose_name_plural = _("cache versions")

    def __str__(self):
        return f"{self.name}: {self.counter}"


_request = Local()  # the versions read during the current request
_pending = Local()  # names changed by the transaction still open on this thread


def _start_request(**_kwargs):
    _request.versions = None
    _request.scoped = {}
    _request.active = True


def _end_request(**_kwargs):
    _request.versions = None
    _request.scoped = None
    _request.active = False


request_started.connect(_start_request, dispatch_uid="actieplan-caching-start")
request_finished.connect(_end_request, dispatch_uid="actieplan-caching-end")


def versions():
    """``{name: counter}`` of every name without a scope (one query; remembered for the rest of the request)."""
    known = getattr(_request, "versions", None) if getattr(_request, "active", False) else None
    if known is None:
        known = dict(CacheVersion.objects.exclude(name__contains="@").values_list("name", "counter"))
        if getattr(_request, "active", False):
            _request.versions = known
    return known


def version(name):
    """The current version of ``name`` (0 before its first change); inside a transaction that changed ``name``
    a new one at every call, so nothing is read from (or shared through) the cache there."""
    if name in _changed_here():
        return f"uncommitted-{uuid.uuid4().hex}"
    return versions().get(name, 0)


def _changed_here():
    """The names bumped by the transaction open on this thread (empty outside a transaction, and after a
    rollback, which drops the pending bump along with the change)."""
    connection = transaction.get_connection()
    names = getattr(_pending, "names", None)
    if names is None:
        names = _pending.names = set()
    if names and not (connection.in_atomic_block
                      and any(entry[1] is _flush for entry in connection.run_on_commit)):
        names.clear()
    return names


def _increment(names):
    for name in sorted(names):
        # One row per statement, each its own small transaction: no lock is held across names.
        if not CacheVersion.objects.filter(name=name).update(counter=F("counter") + 1):
            CacheVersion.objects.bulk_create([CacheVersion(name=name, counter=1)], ignore_conflicts=True)
    if getattr(_request, "active", False):
        _request.versions = None
        _request.scoped = {}


def _flush():
    names = getattr(_pending, "names", None) or set()
    done = set(names)
    names.clear()
    if done:
        _increment(done)


def bump(*names):
    """Make everything cached under ``names`` stale, when the current transaction commits (at once outside
    one). Until then reads of these names in this thread skip the cache."""
    if transaction.get_connection().in_atomic_block:
        pending = _changed_here()
        if not pending:
            transaction.on_commit(_flush)
        pending.update(names)
    else:
        _increment(set(names))


#: ``scopes`` for a platform-wide reader: every scope of the name.
ALL = "*"


def scoped(name, scope):
    """The name of one part of ``name`` (``"following@p12"``): a change that only concerns that part (one
    partnership, one person) bumps it instead of the whole name. Entries read with ``scopes`` hold the version of
    ``name`` and of each of their scopes, so a bump of the whole name still makes every one of them stale."""
    return f"{name}@{scope}"


def partnership_scope(partnership_id):
    """The scope of one partnership (its members read its actions, notes and reports)."""
    return f"p{partnership_id}"


def person_scope(user_id):
    """The scope of one person (their own follows and settings)."""
    return f"u{user_id}"


def scoped_versions(name, scopes):
    """``[(scoped name, counter)]`` of ``scopes`` (or, with :data:`ALL`, of every scope of ``name``): one query,
    remembered for the rest of the request. The names without a scope are read by :func:`versions`."""
    wanted = ALL if scopes == ALL else tuple(sorted({scoped(name, s) for s in scopes}))
    memo = getattr(_request, "scoped", None) if getattr(_request, "active", False) else None
    if memo is not None and (name, wanted) in memo:
        return memo[(name, wanted)]
    rows = CacheVersion.objects.order_by("name")
    rows = rows.filter(name__startswith=f"{name}@") if wanted == ALL else rows.filter(name__in=wanted)
    found = dict(rows.values_list("name", "counter"))
    result = sorted(found.items()) if wanted == ALL else [(n, found.get(n, 0)) for n in wanted]
    if memo is not None:
        memo[(name, wanted)] = result
    return result


def _dirty(name, scopes):
    """Whether the transaction open on this thread changed ``name`` or one of its ``scopes``."""
    changed = _changed_here()
    if name in changed:
        return True
    if not scopes:
        return False
    if scopes == ALL:
        return any(n.startswith(f"{name}@") for n in changed)
    return any(scoped(name, s) in changed for s in scopes)


def key(name, *parts, scopes=None):
    """The cache key for ``parts`` under the current version of ``name`` (and of its ``scopes``, see
    :func:`scoped`); the parts are hashed (any length, any characters), so anything that tells two entries apart
    may go in."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    current = str(version(name))
    if scopes is not None and _dirty(name, scopes):
        current = f"uncommitted-{uuid.uuid4().hex}"  # as version(): this transaction's own rows, shared with nobody
    elif scopes is not None:
        current += "." + hashlib.sha256(repr(scoped_versions(name, scopes)).encode()).hexdigest()[:16]
    return f"lob:{name}:{current}:{digest}"


def _cache_call(method, *args, default=None):
    try:
        return getattr(cache, method)(*args)
    except Exception:  # an unreachable cache is a slow path, not an error page
        logger.warning("Cache niet bereikbaar (%s); zonder cache verder", method, exc_info=True)
        return default


def cached(name, parts, scopes=None):
    """The value cached for ``parts`` under ``name``'s current version (and its ``scopes``'), or None (also while
    this transaction changed ``name`` or one of those scopes, and when the cache cannot be reached)."""
    if _dirty(name, scopes):
        return None
    return _cache_call("get", key(name, *parts, scopes=scopes))


def store(name, parts, value, timeout=DEFAULT_TIMEOUT, scopes=None):
    """Keep ``value`` for ``parts`` under ``name``'s current version (not while this transaction changed it)."""
    if not _dirty(name, scopes):
        _cache_call("set", key(name, *parts, scopes=scopes), value, timeout)


def get_or_compute(name, parts, compute, timeout=DEFAULT_TIMEOUT, scopes=None):
    """The value cached for ``parts`` under ``name``'s current version, computed (and stored) when missing."""
    value = cached(name, parts, scopes)
    if value is None:
        value = compute()
        store(name, parts, value, timeout, scopes)
    return value


def bump_on_change(name, *senders, m2m=(), scope=None):
    """Bump ``name`` whenever an instance of one of ``senders`` (or of a subclass: a concrete page class for
    ``Page``) is saved or deleted, or one of the ``m2m`` relations changes. Called from ``AppConfig.ready``.

    ``scope(instance)``: the scopes a saved or deleted instance concerns (see :func:`scoped`), or None when it may
    concern anyone: then the whole name is bumped."""

    def receiver(sender, **kwargs):
        if kwargs.get("raw"):
            return
        if any(issubclass(sender, model) for model in senders):
            scopes = scope(kwargs["instance"]) if scope else None
            bump(*(scoped(name, s) for s in scopes)) if scopes else bump(name)

    receiver.__name__ = f"bump_{name}"
    _receivers.append(receiver)  # signals hold receivers weakly
    post_save.connect(receiver, dispatch_uid=f"lob-cache-{name}-save-{len(_receivers)}")
    post_delete.connect(receiver, dispatch_uid=f"lob-cache-{name}-delete-{len(_receivers)}")
    for through in m2m:
        m2m_changed.connect(lambda **_kw: bump(name), sender=through, weak=False,
                            dispatch_uid=f"lob-cache-{name}-m2m-{through._meta.label}")


_receivers = []
