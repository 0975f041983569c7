"""Redis as Django's cache, as an accelerator only: when Redis cannot be reached, every call is a miss.

Django's own ``RedisCache`` raises on a refused connection, so a Redis restart turned every page that reads the
cache (Wagtail's site root behind ``{% pageurl %}``, the ``{% cache %}`` fragments) into a 500. This backend
answers a cache call it cannot make the way a cold cache would: ``get`` gives the default, ``set``, ``add`` and
``delete`` store nothing, ``incr`` says the key is missing. Pages are computed instead: slower, never wrong,
because what the platform caches is keyed by versions that live in the database (``actieplan.caching``) or by
the ``updated_at`` of what a fragment shows.

Two things make the outage cheap and leave nothing stale behind it:

- After a failed call the process leaves Redis alone for ``RETRY_AFTER`` seconds (every call is a miss at once,
  instead of a connection attempt per call), then tries again. The first failure and the recovery are logged
  once each, not per call.
- A ``set`` or ``delete`` that could not reach Redis may leave an *older* value there (Wagtail deletes its
  site-root entry when a site changes; Redis kept with ``appendonly`` comes back with what it had). Their keys
  are remembered in the process and deleted as soon as Redis answers again, before anything is read from it.
  A process that exits during the outage takes its list along; what it could have left behind is keyed by
  versions or by ``updated_at``, except Wagtail's site-root paths, which expire within the hour anyway.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

#: Seconds a process skips Redis after a failed call before it tries again.
RETRY_AFTER = 2.0
#: Keys remembered per process for deletion when Redis is back; beyond this every key under the prefix goes.
MAX_REMEMBERED = 10_000
#: What a refused, reset or timed-out connection raises (redis-py wraps most, not all, socket errors).
UNREACHABLE = (RedisError, OSError)


class _Outage:
    """What one process knows about one Redis location: since when it is unreachable, when to try again, and
    the keys to delete once it answers. Shared by the threads of the process (Django makes a cache object per
    thread)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.since = None
        self.retry_at = 0.0
        self.stale_keys = set()
        self.overflow = False

    def skip(self):
        return self.since is not None and time.monotonic() < self.retry_at

    def remember(self, keys):
        with self.lock:
            for key in keys:
                if len(self.stale_keys) >= MAX_REMEMBERED:
                    self.overflow = True
                    break
                self.stale_keys.add(key)

    def failed(self, location, method, error, keys=()):
        self.remember(keys)
        with self.lock:
            first = self.since is None
            if first:
                self.since = time.monotonic()
            self.retry_at = time.monotonic() + RETRY_AFTER
        if first:
            logger.warning("Redis-cache %s niet bereikbaar (%s: %s); pagina's worden zonder cache berekend",
                           location, method, error)


_outages = {}
_outages_lock = threading.Lock()


def outage(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache`` whose calls turn into cache misses while Redis cannot be reached (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._outage = outage(self._location)

    # --- the guard around every call ---------------------------------------------------------------------

    def _call(self, method, fallback, call, stale_keys=()):
        state = self._outage
        if state.skip():
            state.remember(stale_keys)
            return fallback
        try:
            if state.since is not None:
                self._recover()
            return call()
        except UNREACHABLE as error:
            state.failed(self._location, method, error, stale_keys)
            return fallback

    def _recover(self):
        """Redis answers again: first delete what a failed write may have left stale, then carry on."""
        state = self._outage
        with state.lock:
            keys, overflow = list(state.stale_keys), state.overflow
        client = self._cache.get_client(None, write=True)
        client.ping()  # raises while Redis is still away: the outage goes on
        if overflow:
            for key in client.scan_iter(match=f"{self.key_prefix}:*", count=1000):
                client.delete(key)
        elif keys:
            client.delete(*keys)
        with state.lock:
            state.stale_keys.difference_update(keys)
            state.overflow = False
            lasted = time.monotonic() - state.since
            state.since = None
        logger.warning("Redis-cache %s weer bereikbaar na %.0f s; %s oude sleutel(s) verwijderd", self._location,
                       lasted, "alle" if overflow else len(keys))

    def _key(self, key, version):
        return self.make_and_validate_key(key, version=version)

    # --- Django's cache API --------------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._call("get", default, lambda: super(ResilientRedisCache, self).get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
                          [self._key(key, version)])

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version))

    def delete(self, key, version=None):
        return self._call("delete", False, lambda: super(ResilientRedisCache, self).delete(key, version),
                          [self._key(key, version)])

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, lambda: super(ResilientRedisCache, self).get_many(keys, version))

    def has_key(self, key, version=None):
        return self._call("has_key", False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._call("incr", missing, lambda: super(ResilientRedisCache, self).incr(key, delta, version))
        if value is missing:
            raise ValueError(f"Key '{key}' not found (Redis niet bereikbaar).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        keys = [self._key(key, version) for key in data]
        failed = self._call("set_many", keys, lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
                            keys)
        return list(data) if failed is keys else []

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", None, lambda: super(ResilientRedisCache, self).delete_many(keys, version),
                          [self._key(key, version) for key in keys])

    def clear(self):
        return self._call("clear", False, lambda: super(ResilientRedisCache, self).clear())
