"""Every create happens once: a double click, Back-and-resubmit or a retried request makes one row.

Each form that creates something carries a one-time key (the hidden field ``eenmalig``, new at every render of
a fresh form). The view claims the key in the same transaction as the create (:func:`once`): the key's row is
unique, so of two identical posts the second waits for the first to commit and then finds the key taken; it
creates nothing and is shown what the first one made. A post that failed (a validation error) rolled its claim
back, so the same form may be sent again after a correction.

A post without a key (a page from before this check, a script) is keyed by what it sends instead: the same
person sending exactly the same form to the same address within :data:`WINDOW` counts as the same submission.
"""

import datetime
import hashlib
import re
import uuid

from django import forms
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIELD = "eenmalig"
#: How long an identical post without a key counts as a repeat.
WINDOW = datetime.timedelta(minutes=10)
_KEY_FORMAT = re.compile(r"^[0-9a-f]{32}$")
#: Posted fields that are not part of what was sent (they differ between two renders of the same form).
_NOT_CONTENT = {"csrfmiddlewaretoken", FIELD}


class SubmissionKey(models.Model):
    """A form submission that created something, by its one-time key: the unique ``key`` makes a repeat a no-op."""

    key = models.CharField(_("key"), max_length=64)
    purpose = models.CharField(_("what"), max_length=50)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+", db_constraint=False)
    object_id = models.CharField(_("created object"), max_length=64, blank=True)
    url = models.CharField(_("result URL"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)

    class Meta:
        app_label = "actieplan"
        constraints = [models.UniqueConstraint(fields=["key"], name="submission_key_unique")]
        verbose_name = _("submitted form")
        verbose_name_plural = _("submitted forms")

    def __str__(self):
        return f"{self.purpose}: {self.object_id}"


def new_key():
    return uuid.uuid4().hex


def key_field():
    """The hidden field a creating form adds (``self.fields[FIELD] = key_field()``)."""
    return forms.CharField(widget=forms.HiddenInput, required=False, initial=new_key)


class OnceForm:
    """A form mixin: adds the one-time key (a new one for every unbound form)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FIELD] = key_field()


def _identity(request, user=None):
    user = user or getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"session:{request.session.session_key or ''}" if hasattr(request, "session") else "anonymous"


def submission_key(request, purpose, extra="", user=None):
    """``(key, natural)``: the stored key of this post (hashed with who sent it and what for), and whether it
    came from the post's content (no one-time key was posted)."""
    # The key field, also under a form's prefix ("besluit-12-eenmalig").
    posted = next((value for name, value in request.POST.items() if name == FIELD or name.endswith(f"-{FIELD}")), "")
    if _KEY_FORMAT.match(posted):
        raw, natural = f"key:{posted}", False
    else:
        items = sorted((k, v) for k, values in request.POST.lists() if k not in _NOT_CONTENT for v in values)
        raw, natural = f"post:{request.path}:{items!r}", True
    digest = hashlib.sha256(f"{purpose}|{extra}|{_identity(request, user)}|{raw}".encode()).hexdigest()
    return digest, natural


class Repeat(Exception):
    """The post was sent before: nothing was created now; ``earlier`` is the first submission's row."""

    def __init__(self, earlier):
        self.earlier = earlier
        super().__init__(earlier.url or earlier.object_id)


def once(request, purpose, create, *, url=None, extra="", user=None):
    """Run ``create()`` once per submission: the key is claimed in the same transaction (see the module).

    Returns what ``create()`` returned; raises :class:`Repeat` when this submission was already made, and
    whatever ``create()`` raises (then nothing is kept, the claim neither). ``url(result)`` is where a repeat is
    sent; ``extra`` narrows the key (e.g. the action a note is for); ``user`` is who sends it when that is not
    the logged-in user (the personal link in a mail).
    """
    key, natural = submission_key(request, purpose, extra, user)
    if user is None:
        user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        if natural:
            SubmissionKey.objects.filter(key=key, created_at__lt=timezone.now() - WINDOW).delete()
        try:
            with transaction.atomic():
                claim = SubmissionKey.objects.create(key=key, purpose=purpose[:50], user=user)
        except IntegrityError:
            earlier = SubmissionKey.objects.filter(key=key).first()
            if earlier is None:  # pragma: no cover - the other claim rolled back between the two statements
                raise
            raise Repeat(earlier) from None
        result = create()
        claim.object_id = str(getattr(result, "pk", "") or "")[:64]
        claim.url = (url(result) if url else "")[:500]
        claim.save(update_fields=["object_id", "url"])
        return result
