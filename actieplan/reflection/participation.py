"""Taking part in a reflection session without an account: the draft, the device mark, the rate limit.

Nothing here stores who a participant is. The draft of a questionnaire lives in the participant's
own Django session (server side, so it survives a lost connection and a closed browser tab) and is
dropped once the answers are in. After a submission the session only remembers *that* this device
answered this reflection session, never which answer set is theirs. The rate limit counts
submissions per reflection session and client in the database (``actieplan.ratelimits``: shared by every
worker, kept through a Redis restart), under a keyed hash; no IP address reaches the database.
"""

import secrets

from django.db import IntegrityError, transaction

from actieplan import ratelimits
from actieplan.conf import app_settings
from actieplan.partnerships.reference import ReflectionQuestion
from actieplan.reflection.models import ReflectionResponse, ReflectionScore, ReflectionSession

DRAFT_KEY = "reflectie_concept"
DONE_KEY = "reflectie_ingevuld"

# Outcomes of :func:`record_response`.
RECORDED, CLOSED, DUPLICATE, RATE_LIMITED = "recorded", "closed", "duplicate", "rate_limited"


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


# --- rate limit --------------------------------------------------------------------------------

def _client_address(request):
    header = app_settings.LOB_REFLECTION_CLIENT_IP_HEADER
    if header and request.META.get(header):
        # The proxy's header lists the client first ("client, proxy1, proxy2").
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def _rate_key(request, session):
    # Address and browser together: phones of one group often share the school's Wi-Fi address.
    client = f"{_client_address(request)}|{request.META.get('HTTP_USER_AGENT', '')}"
    return ratelimits.key("reflectie-inzendingen", session.code, client)


def rate_limited(request, session):
    """Whether this client already sent the maximum number of answer sets to ``session`` in the window."""
    return ratelimits.count(_rate_key(request, session), rate_window_seconds()) >= submissions_per_client()


def count_submission(request, session):
    ratelimits.hit(_rate_key(request, session), rate_window_seconds())


# --- recording an answer set -------------------------------------------------------------------

def record_response(request, session, answers, partner_kind="", token=None):
    """Store one answer set: ``answers`` is ``[(question_id, score or None, comment)]``.

    Returns one of RECORDED, CLOSED, DUPLICATE (this device, this token or this account already
    answered) or RATE_LIMITED, and the response when recorded.
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
    try:
        with transaction.atomic():
            # Lock the session row so a submission and the facilitator's "close" cannot interleave.
            locked = ReflectionSession.objects.select_for_update().get(pk=session.pk)
            if not locked.is_open:
                return CLOSED, None
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
