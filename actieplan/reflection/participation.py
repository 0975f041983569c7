"""Taking part in a reflection session without an account: the draft, the limits, one answer set per participant.

Nothing here stores who a participant is: no name, no IP address, no browser details. The draft of a
questionnaire lives in the participant's own Django session (server side, so it survives a lost connection and a
closed browser tab) and is dropped once the answers are in; after a submission the session only remembers *that*
this device answered this reflection session, never which answer set is theirs.

A device that clears its cookies is a new device, so three things keep one client from multiplying its answers,
all decided on the server inside the transaction that records an answer set:

- the facilitator's *expected number of participants*: the session takes at most that many answer sets, refuses
  the rest and counts them (``refused_submissions``), so the session page shows that someone tried more;
- *personal codes* (``requires_ticket``): each works once, and is marked used without a time or a link to the
  answer set, so a client without a fresh code cannot add an answer set at all;
- a flood limit per client address (the real one behind a trusted proxy, ``actieplan.clients``), counted in the
  database under a keyed hash (``actieplan.ratelimits``: shared by every worker, kept through a Redis restart);
  no address reaches the database. It is generous
  (a class behind one school address must fit); the two rules above are what bound a session.

And the facilitator can void a burst of answer sets that arrived in the same minute while the session is open
(``views.reflection_arrivals``).
"""

import secrets

from django.db import IntegrityError, transaction
from django.db.models import F

from actieplan import ratelimits
from actieplan.clients import client_address
from actieplan.conf import app_settings
from actieplan.partnerships.reference import ReflectionQuestion
from actieplan.reflection.models import ReflectionResponse, ReflectionScore, ReflectionSession, ReflectionTicket

DRAFT_KEY = "reflectie_concept"
DONE_KEY = "reflectie_ingevuld"

# Outcomes of :func:`record_response`.
RECORDED, CLOSED, DUPLICATE, RATE_LIMITED, FULL, NO_TICKET = (
    "recorded", "closed", "duplicate", "rate_limited", "full", "no_ticket")


def submissions_per_client():
    return app_settings.LOB_REFLECTION_SUBMISSIONS_PER_CLIENT


def rate_window_seconds():
    return app_settings.LOB_REFLECTION_RATE_WINDOW_SECONDS


# --- the draft in the participant's session ----------------------------------------------------

def draft(request, session):
    """``{"answers": {question id (str): [raw score, comment]}, "kind": str, "key": str}`` of this device, for
    ``session``. The key is random and becomes the answer set's respondent token: the last step sent twice (a
    double tap, a retry) stores one answer set."""
    drafts = request.session.get(DRAFT_KEY, {})
    return drafts.get(str(session.pk), {"answers": {}, "kind": ""})


def save_draft(request, session, answers=None, kind=None):
    """Merge ``answers`` (same shape as in :func:`draft`) and ``kind`` into the draft and store it."""
    drafts = request.session.get(DRAFT_KEY, {})
    current = drafts.get(str(session.pk), {"answers": {}, "kind": ""})
    current.setdefault("key", secrets.token_urlsafe(24))
    current["answers"].update(answers or {})
    if kind is not None:
        current["kind"] = kind
    drafts[str(session.pk)] = current
    request.session[DRAFT_KEY] = drafts
    request.session.modified = True
    return current


def drop_draft(request, session):
    drafts = request.session.get(DRAFT_KEY, {})
    if drafts.pop(str(session.pk), None) is not None:
        request.session[DRAFT_KEY] = drafts


def answered_on_this_device(request, session):
    return session.pk in request.session.get(DONE_KEY, [])


def mark_answered(request, session):
    request.session[DONE_KEY] = [*request.session.get(DONE_KEY, []), session.pk]


# --- personal codes --------------------------------------------------------------------------------

def ticket(request, session):
    """The unused personal code this device holds for ``session`` (from its link or typed in), or ''.

    A code another device used in the meantime (a shared link) no longer counts: that device is asked for its own.
    """
    code = draft(request, session).get("ticket", "")
    if code and not ReflectionTicket.objects.filter(session=session, code=code, used=False).exists():
        return ""
    return code


def claim_ticket(request, session, code):
    """Keep ``code`` in this device's draft when it is an unused code of ``session``; returns whether it is."""
    code = "".join((code or "").split()).replace("-", "").upper()[:16]
    if not code or not ReflectionTicket.objects.filter(session=session, code=code, used=False).exists():
        return False
    drafts = request.session.get(DRAFT_KEY, {})
    current = drafts.get(str(session.pk), {"answers": {}, "kind": ""})
    current["ticket"] = code
    drafts[str(session.pk)] = current
    request.session[DRAFT_KEY] = drafts
    request.session.modified = True
    return True


def make_tickets(session, count):
    """``count`` new personal codes for ``session``, which from now on takes answer sets only with one."""
    made = ReflectionTicket.objects.bulk_create(ReflectionTicket(session=session) for _ in range(count))
    if not session.requires_ticket:
        session.requires_ticket = True
        session.save(update_fields=["requires_ticket"])
    return made


# --- the flood limit -------------------------------------------------------------------------------

def _rate_key(request, session):
    # The address only (no browser details: those are a fingerprint, and any client can vary them at will).
    return ratelimits.key("reflectie-inzendingen", session.code, client_address(request))


def rate_limited(request, session):
    """Whether this client address already sent the maximum number of answer sets to ``session`` in the window."""
    return ratelimits.count(_rate_key(request, session), rate_window_seconds()) >= submissions_per_client()


def count_submission(request, session):
    ratelimits.hit(_rate_key(request, session), rate_window_seconds())


# --- recording an answer set -------------------------------------------------------------------

def record_response(request, session, answers, partner_kind="", token=None):
    """Store one answer set: ``answers`` is ``[(question_id, score or None, comment)]``.

    Returns one of RECORDED, CLOSED, DUPLICATE (this device, this token or this account already answered),
    RATE_LIMITED, FULL (the expected number of participants has answered; counted) or NO_TICKET (the session
    asks for a personal code and this device has none that is still unused), and the response when recorded.
    """
    user = request.user if request.user.is_authenticated else None
    if answered_on_this_device(request, session):
        return DUPLICATE, None
    if token and ReflectionResponse.objects.filter(respondent_token=token).exists():
        return DUPLICATE, None
    if user is not None and ReflectionResponse.objects.filter(session=session, user=user).exists():
        return DUPLICATE, None
    if rate_limited(request, session):
        return RATE_LIMITED, None
    code = ticket(request, session)
    try:
        with transaction.atomic():
            # Lock the session row so a submission and the facilitator's "close" cannot interleave, and so two
            # submissions never both take the last expected place.
            locked = ReflectionSession.objects.select_for_update().get(pk=session.pk)
            if not locked.is_open:
                return CLOSED, None
            if locked.expected_participants and locked.responses.count() >= locked.expected_participants:
                ReflectionSession.objects.filter(pk=locked.pk).update(refused_submissions=F("refused_submissions") + 1)
                return FULL, None
            if locked.requires_ticket and not (code and ReflectionTicket.objects.filter(
                    session=locked, code=code, used=False).update(used=True)):
                return NO_TICKET, None
            response = ReflectionResponse.objects.create(
                session=locked, respondent_token=token or secrets.token_urlsafe(24), user=user,
                partner_kind=partner_kind or "")
            # A question deleted from the reference data since the session started cannot hold a score.
            existing = set(ReflectionQuestion.objects.filter(pk__in=[a[0] for a in answers])
                           .values_list("pk", flat=True))
            ReflectionScore.objects.bulk_create(
                ReflectionScore(response=response, question_id=qid, score=score, comment=comment)
                for qid, score, comment in answers if qid in existing
            )
    except IntegrityError:
        return DUPLICATE, None
    count_submission(request, session)
    mark_answered(request, session)
    drop_draft(request, session)
    return RECORDED, response
