"""Rate limits that hold across every worker, with or without Redis: counters in the database.

A limit counts *hits* of one key (a keyed hash of who and what, never an address in plain text) in a window that
starts at the first hit. The counter is one row, updated in one statement, so two workers counting at once both
count, and a Redis restart (the cache is an accelerator, see ``lobplatform/cache.py``) neither forgets a count nor
lets a client through. Hits are rare events (an answer set sent, a password-reset mail asked for), so a write per
hit costs nothing that matters; reading a count is one primary-key look-up.

Old rows are removed by ``manage.py apply_retention`` (windows last minutes to an hour).
"""

import datetime

from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

#: Rows whose window started this long ago are removed by ``apply_retention``.
KEEP = datetime.timedelta(days=1)


class RateCounter(models.Model):
    """How often one key was hit since ``started_at`` (the first hit of its current window)."""

    key = models.CharField(_("key"), max_length=64, primary_key=True)
    started_at = models.DateTimeField(_("window started at"))
    hits = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        app_label = "actieplan"
        verbose_name = _("rate limit counter")
        verbose_name_plural = _("rate limit counters")

    def __str__(self):
        return f"{self.key[:12]}…: {self.hits}"


def key(scope, *parts):
    """A keyed hash of ``parts`` within ``scope``: what is counted, without storing who."""
    return salted_hmac(f"actieplan.limiet.{scope}", "\x1f".join(str(p) for p in parts)).hexdigest()


def count(digest, window_seconds):
    """Hits of ``digest`` in its current window (0 once the window is over)."""
    since = timezone.now() - datetime.timedelta(seconds=window_seconds)
    return (RateCounter.objects.filter(key=digest, started_at__gt=since).values_list("hits", flat=True).first()
            or 0)


def hit(digest, window_seconds):
    """Count one hit of ``digest``; returns the hits in the window, this one included. A window that is over
    starts again at this hit."""
    now = timezone.now()
    expired = Q(started_at__lte=now - datetime.timedelta(seconds=window_seconds))
    changes = {"hits": Case(When(expired, then=Value(1)), default=F("hits") + 1),
               "started_at": Case(When(expired, then=Value(now)), default=F("started_at"))}
    if not RateCounter.objects.filter(key=digest).update(**changes):
        # The first hit: insert, unless another worker just did (then count on its row).
        RateCounter.objects.bulk_create([RateCounter(key=digest, started_at=now, hits=0)], ignore_conflicts=True)
        RateCounter.objects.filter(key=digest).update(**changes)
    return RateCounter.objects.filter(key=digest).values_list("hits", flat=True).first() or 1


def prune(now=None):
    """Remove the counters whose window started more than :data:`KEEP` ago; returns how many."""
    now = now or timezone.now()
    deleted, _per_model = RateCounter.objects.filter(started_at__lt=now - KEEP).delete()
    return deleted
