"""The participant's questionnaire on a phone: one theme per step, six steps, no JavaScript needed.

Each step posts its own questions; whatever was filled in is kept in the server-side draft
(:mod:`actieplan.participation`) before anything is checked, so "Vorige", a validation message or a
lost connection never loses an answer. Opening the session link again continues at the first step
that is not complete. The last step also asks, optionally, which kind of partner the participant is.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _, gettext_lazy

from actieplan.overrides import template_names
from actieplan.reflection import participation
from actieplan.reflection.forms import (
    CLOSED_MESSAGE, SCORE_CHOICES, UNKNOWN, AnswerForm, issue_token, read_token, refusal_message,
)
from actieplan.reflection.models import PartnerKind, ReflectionSession, normalise_join_code
from actieplan.validators import MAX_COMMENT_CHARS, has_control_characters, strip_control_characters


class StepForm(AnswerForm):
    """The questions of one theme; on the last step also the optional kind of partner."""

    partner_kind = forms.ChoiceField(
        label=gettext_lazy("What kind of partner are you? (may be left empty)"), required=False,
        choices=[("", gettext_lazy("I would rather not say")), *PartnerKind.choices], widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Choose one of the partner types, or ‘I would rather not say’.")},
    )

    def __init__(self, *args, last, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["token"]
        if not last:
            del self.fields["partner_kind"]

    def valid_draft(self):
        """What may go into the draft from this post, also when other questions are still empty."""
        allowed = {value for value, _label in SCORE_CHOICES}
        answers = {}
        for q in self.wording:
            qid = q["question_id"]
            score = self.data.get(f"score_{qid}", "")
            # Kept as typed, minus control characters (a NUL once made the last step fail for good).
            comment = strip_control_characters(self.data.get(f"comment_{qid}", "") or "")[:MAX_COMMENT_CHARS]
            score = score if score in allowed else ""
            if score or comment:
                answers[str(qid)] = [score, comment]
        return answers


def steps(session):
    """``[(theme, [question dict with "position"])]``: the six steps, questions numbered 1..22 overall."""
    grouped = session.themes_with_questions()
    position = 0
    for _theme, questions in grouped:
        for q in questions:
            position += 1
            q["position"] = position
    return grouped


def step_url(session, step):
    return reverse("actieplan:reflection_step", kwargs={"code": session.code, "step": step})


def _complete(draft_answers, questions):
    return all(draft_answers.get(str(q["question_id"]), ["", ""])[0] for q in questions)


def resume_url(request, session):
    """The first step this device has not completed (step 1 for a new visit); where the link leads."""
    if participation.answered_on_this_device(request, session):
        return reverse("actieplan:reflection_thanks", kwargs={"code": session.code})
    answers = participation.draft(request, session)["answers"]
    for number, (_theme, questions) in enumerate(steps(session), start=1):
        if not _complete(answers, questions):
            return step_url(session, number)
    return step_url(session, len(steps(session)))


def _initial(draft):
    initial = {"partner_kind": draft.get("kind", "")}
    for qid, (score, comment) in draft["answers"].items():
        initial[f"score_{qid}"] = score
        initial[f"comment_{qid}"] = comment
    return initial


def needs_ticket(request, session):
    """A session with personal codes: take one from the link (``?kaart=``) and say whether this device still needs
    one before it can answer."""
    if not session.requires_ticket or not session.is_open or participation.answered_on_this_device(request, session):
        return False
    if request.GET.get("kaart"):
        participation.claim_ticket(request, session, request.GET["kaart"])
    return not participation.ticket(request, session)


def _ticket_page(request, session):
    typed = request.GET.get("kaart", "")
    return TemplateResponse(request, template_names("actieplan/reflection/ticket.html"), {
        "session": session, "typed": typed, "action": step_url(session, 1)}, status=403 if typed else 200)


def reflection_step(request, code, step):
    session = find_session(code)
    if session is None:
        return TemplateResponse(request, template_names("actieplan/reflection/unknown.html"), {"code": code}, status=404)
    # Only a visit asks for the code: a post is kept in the draft first, and the last step's refusal says why.
    if request.method != "POST" and needs_ticket(request, session):
        return _ticket_page(request, session)
    all_steps = steps(session)
    if not 1 <= step <= len(all_steps):
        return redirect(resume_url(request, session))
    theme, questions = all_steps[step - 1]
    last = step == len(all_steps)
    context = {"session": session, "theme": theme, "questions": questions, "step": step,
               "step_count": len(all_steps), "question_count": sum(len(qs) for _t, qs in all_steps),
               "last": last, "previous_url": step_url(session, step - 1) if step > 1 else None}

    if not session.is_open and request.method != "POST":
        # Closed: no step counter or questions (a participant would think it can still be filled in).
        return TemplateResponse(request, template_names("actieplan/reflection/closed.html"), {
            "session": session, "answered": participation.answered_on_this_device(request, session)})

    if participation.answered_on_this_device(request, session):
        context.update(form=None, done=True)
        return TemplateResponse(request, template_names("actieplan/reflection/step.html"), context)

    if request.method != "POST":
        form = StepForm(session_wording=questions, last=last, initial=_initial(participation.draft(request, session)))
        return _page(request, context, form)

    form = StepForm(request.POST, session_wording=questions, last=last)
    kind = request.POST.get("partner_kind") if last else None
    if kind is not None and kind not in PartnerKind.values:
        kind = ""
    saved = participation.save_draft(request, session, form.valid_draft(), kind)
    if not session.is_open:
        form.is_valid()
        return _page(request, context, form, error=CLOSED_MESSAGE)
    if request.POST.get("richting") == "vorige" and step > 1:
        return redirect(step_url(session, step - 1))
    if not form.is_valid():
        return _page(request, context, form, error=_(
            "Not everything in this step has been filled in. Choose a score or ‘do not know / n/a’ for every "
            "question; what you had already filled in has been kept."))
    if not last:
        return redirect(step_url(session, step + 1))

    # The last step: every earlier step must be complete too (a step may have been skipped by URL).
    for number, (_theme, step_questions) in enumerate(all_steps, start=1):
        if not _complete(saved["answers"], step_questions):
            messages.warning(request, _("Step %(step)s has not been completely filled in. Complete it first; "
                                        "your other answers have been kept.") % {"step": number})
            return redirect(step_url(session, number))
    answers = []
    for _theme, step_questions in all_steps:
        for q in step_questions:
            score, comment = saved["answers"][str(q["question_id"])]
            # A draft kept from before control characters were stripped is cleaned here too.
            answers.append((q["question_id"], None if score == UNKNOWN else int(score),
                            strip_control_characters(comment).strip()[:MAX_COMMENT_CHARS]))
    outcome, _response = participation.record_response(request, session, answers, partner_kind=saved.get("kind", ""),
                                                       token=saved.get("key"))
    if outcome == participation.DUPLICATE and saved.get("key"):
        # This draft was sent before (a double tap, a retry): its answer set is in, once.
        participation.mark_answered(request, session)
        participation.drop_draft(request, session)
        return redirect("actieplan:reflection_thanks", code=session.code)
    if outcome != participation.RECORDED:
        return _page(request, context, form, error=refusal_message(outcome),
                     status=429 if outcome == participation.RATE_LIMITED else 200)
    return redirect("actieplan:reflection_thanks", code=session.code)


def _page(request, context, form, error=None, status=200):
    rows = [(q, form[f"score_{q['question_id']}"], form[f"comment_{q['question_id']}"]) for q in context["questions"]]
    unanswered = [f for _q, f, _c in rows if f.errors] if form.is_bound else []
    context.update(form=form, rows=rows, error=error, unanswered=unanswered,
                   partner_kind=form["partner_kind"] if "partner_kind" in form.fields else None)
    return TemplateResponse(request, template_names("actieplan/reflection/step.html"), context, status=status)


# --- the whole questionnaire on one page (still accepted), and the thanks page --------------------

def _current_wording():
    """The wording of the active questions now: used when the session code is unknown."""
    probe = ReflectionSession()
    probe.snapshot_questions()
    return probe.question_wording


def find_session(code):
    """The session with this join code (typed codes are forgiving: spaces, dashes, small letters)."""
    if not code or has_control_characters(code) or len(code) > 100:
        return None  # never a code; a NUL would also fail the query on PostgreSQL
    sessions = ReflectionSession.objects.select_related("partnership")
    return sessions.filter(code=code).first() or sessions.filter(code=normalise_join_code(code)).first()


def reflection_answer(request, code=None):
    """The session link. A visit goes to the step-by-step form (where this device left off); a POST
    of the whole questionnaire at once is still accepted. Never a 500: every refusal re-renders the
    form with the answers kept."""
    code = (code or request.POST.get("code") or request.GET.get("code") or "").strip()
    session = find_session(code)

    if request.method != "POST":
        if session is None:
            status = 404 if code else 200
            return TemplateResponse(request, template_names("actieplan/reflection/unknown.html"), {"code": code}, status=status)
        if needs_ticket(request, session):
            return _ticket_page(request, session)
        return redirect(resume_url(request, session))

    if session is None:
        form = AnswerForm(request.POST, session_wording=_current_wording())
        form.is_valid()
        return _answer_page(request, None, form, code=code, error=_(
            "There is no reflection session with the code ‘%(code)s’. Check the code the discussion leader "
            "gave you and send your answers again; they are still shown below.") % {"code": code or "—"},
            status=404)

    form = AnswerForm(request.POST, session_wording=session.question_wording)
    if not session.is_open:
        form.is_valid()
        return _answer_page(request, session, form, error=CLOSED_MESSAGE)

    token = read_token(session.code, form.data.get("token"))
    if token is None:
        form.is_valid()
        form.data = form.data.copy()
        form.data["token"] = issue_token(session.code)
        return _answer_page(request, session, form, error=_(
            "This answer link is not valid (the code is wrong or has expired). Your answers are still shown "
            "below: check them and send them again."))

    if not form.is_valid():
        return _answer_page(request, session, form, error=_(
            "Not everything has been filled in correctly. Look at the questions with a message; the rest of "
            "your answers have been kept."))

    outcome, _response = participation.record_response(request, session, form.answers(), token=token)
    if outcome != participation.RECORDED:
        return _answer_page(request, session, form, error=refusal_message(outcome),
                            status=429 if outcome == participation.RATE_LIMITED else 200)
    return redirect("actieplan:reflection_thanks", code=session.code)


def _answer_page(request, session, form, error=None, code="", status=200):
    unanswered = [f for _theme, rows in form.themes() for _q, f, _c in rows if f.errors] if form.is_bound else []
    return TemplateResponse(request, template_names("actieplan/reflection/answer.html"), {
        "session": session, "form": form, "error": error, "code": code,
        "unanswered": unanswered[:5],
        "more_unanswered": max(0, len(unanswered) - 5),
    }, status=status)


def reflection_thanks(request, code):
    session = find_session(code)
    if session is None:
        return TemplateResponse(request, template_names("actieplan/reflection/unknown.html"), {"code": code}, status=404)
    return TemplateResponse(request, template_names("actieplan/reflection/thanks.html"), {"session": session})


urlpatterns = [
    path("r/", reflection_answer, name="reflection_join"),
    path("r/<str:code>/", reflection_answer, name="reflection_answer"),
    path("r/<str:code>/bedankt/", reflection_thanks, name="reflection_thanks"),
    path("r/<str:code>/stap/<int:step>/", reflection_step, name="reflection_step"),
]
