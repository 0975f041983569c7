"""The reflectietool on the front end: sessions, the participant form, results, export.

- The working group (procesbewaker, werkgroeplid) creates a session for its partnership and shows
  the participant link and QR code; it closes the session when the scoring is done.
- Participants open the link on their phone without an account. Each visit gets a random
  respondent token, signed into a hidden field; the response keeps only that token (no user, no IP
  address, no browser details), and a token answers once.
- The partnership's members read the results; other people get 404, anonymous visitors the login.
"""

import csv

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import models
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.log_actions import log as audit_log

from actieplan.reflection import aggregation, participation
from actieplan.actions import counts
from actieplan.reflection.admin import CLOSE_LOG_ACTION
from actieplan.actions.models import Action
from actieplan.reflection.models import PartnerKind, ReflectionScore, ReflectionSession
from actieplan.partnerships.models import Partnership
from actieplan.partnerships.reference import ReflectionTheme, ReflectionToolSettings
from actieplan.reflection.models import normalise_join_code
from actieplan.partnerships.permissions import EDITOR_ROLES, can_manage_partnership, is_platform_admin, partnership_ids
from actieplan.validators import csv_safe, parse_id, spreadsheet_text
from actieplan.overrides import template_names

UNKNOWN = "x"
SCORE_CHOICES = [
    ("1", gettext_lazy("1 – helemaal niet waar")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", gettext_lazy("5 – helemaal waar")),
    (UNKNOWN, gettext_lazy("weet niet / n.v.t.")),
]
TOKEN_SALT = "actieplan.reflectie.respondent"


# --- who may see what --------------------------------------------------------------------------

def readable_sessions(user):
    """Sessions ``user`` may read: those of partnerships they belong to (all, for a platform admin)."""
    if is_platform_admin(user):
        return ReflectionSession.objects.all()
    return ReflectionSession.objects.filter(partnership_id__in=partnership_ids(user))


def managed_partnerships(user):
    if is_platform_admin(user):
        return Partnership.objects.filter(archived=False)
    return Partnership.objects.filter(pk__in=partnership_ids(user, EDITOR_ROLES))


def _readable_session(request, pk):
    """The session, or 404 for someone outside its partnership (not 403: do not reveal it exists)."""
    return get_object_or_404(readable_sessions(request.user).select_related("partnership", "facilitator"), pk=pk)


# --- forms -------------------------------------------------------------------------------------

class SessionForm(forms.ModelForm):
    """A new session: for which partnership, when, and who leads the conversation."""

    class Meta:
        model = ReflectionSession
        fields = ["partnership", "title", "date", "facilitator"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {
            "partnership": {"required": gettext_lazy("Kies het samenwerkingsverband van deze sessie."),
                            "invalid_choice": gettext_lazy("Voor dit samenwerkingsverband mag je geen sessie aanmaken.")},
            "title": {"required": gettext_lazy("Geef de sessie een titel, bijvoorbeeld ‘Reflectie voorjaar’.")},
            "date": {"required": gettext_lazy("Vul de datum van het gesprek in."),
                     "invalid": gettext_lazy("Vul een geldige datum in, bijvoorbeeld 14-03-2027.")},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnerships = managed_partnerships(user)
        self.fields["partnership"].queryset = partnerships
        self.fields["partnership"].empty_label = None if partnerships.count() == 1 else "—"
        self.fields["facilitator"].queryset = (get_user_model().objects
                                               .filter(lob_memberships__partnership__in=partnerships)
                                               .distinct().order_by("first_name", "last_name"))
        self.fields["facilitator"].label_from_instance = lambda u: u.get_full_name() or u.get_username()
        self.fields["facilitator"].help_text = _("Leeg laten kan; standaard ben jij de gespreksleider.")

    def clean(self):
        data = super().clean()
        partnership, facilitator = data.get("partnership"), data.get("facilitator")
        if partnership and facilitator and not facilitator.lob_memberships.filter(partnership=partnership).exists():
            self.add_error("facilitator", _("De gespreksleider is geen lid van dit samenwerkingsverband."))
        return data


class AnswerForm(forms.Form):
    """The 22 questions as the session asked them: a score 1–5 or "weet niet", and a comment."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, session_wording, **kwargs):
        super().__init__(*args, **kwargs)
        self.wording = session_wording
        for q in session_wording:
            qid = q["question_id"]
            self.fields[f"score_{qid}"] = forms.ChoiceField(
                label=q["text"], choices=SCORE_CHOICES, widget=forms.RadioSelect,
                error_messages={
                    "required": _("Kies een score van 1 tot en met 5, of ‘weet niet / n.v.t.’."),
                    "invalid_choice": _("Een score moet 1, 2, 3, 4 of 5 zijn (of ‘weet niet / n.v.t.’)."),
                },
            )
            self.fields[f"comment_{qid}"] = forms.CharField(
                label=_("Toelichting (mag leeg blijven)"), required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": _("Houd de toelichting korter dan %(limit_value)d tekens.")},
            )

    def themes(self):
        """Rows for the template: ``[(theme name, [(question, score field, comment field)])]``."""
        grouped = []
        for q in sorted(self.wording, key=lambda q: (q["theme_order"], q["theme"], q["number"])):
            if not grouped or grouped[-1][0] != q["theme"]:
                grouped.append((q["theme"], []))
            grouped[-1][1].append((q, self[f"score_{q['question_id']}"], self[f"comment_{q['question_id']}"]))
        return grouped

    def answers(self):
        """``[(question_id, score or None, comment)]`` from valid data."""
        result = []
        for q in self.wording:
            raw = self.cleaned_data[f"score_{q['question_id']}"]
            result.append((q["question_id"], None if raw == UNKNOWN else int(raw),
                           self.cleaned_data.get(f"comment_{q['question_id']}", "").strip()))
        return result


def _signer(session_code):
    return signing.Signer(salt=f"{TOKEN_SALT}.{session_code}")


def issue_token(session_code):
    """A fresh respondent token, signed for this session, for the hidden field of the form."""
    from actieplan.reflection.models import new_respondent_token

    return _signer(session_code).sign(new_respondent_token())


def read_token(session_code, signed):
    """The respondent token inside ``signed``, or None when it was not issued for this session."""
    try:
        return _signer(session_code).unsign(signed or "")
    except signing.BadSignature:
        return None


# --- participant pages (no account needed) -----------------------------------------------------

def _current_wording():
    """The wording of the active questions now: used when the session code is unknown."""
    probe = ReflectionSession()
    probe.snapshot_questions()
    return probe.question_wording


def find_session(code):
    """The session with this join code (typed codes are forgiving: spaces, dashes, small letters)."""
    if not code:
        return None
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
        from actieplan.reflection.participant_views import resume_url

        return redirect(resume_url(request, session))

    if session is None:
        form = AnswerForm(request.POST, session_wording=_current_wording())
        form.is_valid()
        return _answer_page(request, None, form, code=code, error=_(
            "Er is geen reflectiesessie met de code ‘%(code)s’. Controleer de code die de gespreksleider "
            "heeft gegeven en verstuur je antwoorden opnieuw; ze staan hieronder nog.") % {"code": code or "—"},
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
            "Deze antwoordlink is niet geldig (de code klopt niet of is verlopen). Je antwoorden staan "
            "hieronder nog: controleer ze en verstuur ze opnieuw."))

    if not form.is_valid():
        return _answer_page(request, session, form, error=_(
            "Nog niet alles is goed ingevuld. Bekijk de vragen met een melding; de rest van je antwoorden "
            "is bewaard."))

    outcome, _response = participation.record_response(request, session, form.answers(), token=token)
    if outcome != participation.RECORDED:
        return _answer_page(request, session, form, error=refusal_message(outcome),
                            status=429 if outcome == participation.RATE_LIMITED else 200)
    return redirect("actieplan:reflection_thanks", code=session.code)


CLOSED_MESSAGE = gettext_lazy(
    "Deze sessie is gesloten: de scores liggen vast en er kunnen geen antwoorden meer bij. "
    "Je antwoorden staan hieronder nog, zodat je ze aan de gespreksleider kunt geven.")


def refusal_message(outcome):
    """The polite Dutch sentence for a submission that was not recorded."""
    if outcome == participation.DUPLICATE:
        return _("Vanaf dit apparaat zijn al antwoorden voor deze sessie ingestuurd; iedere deelnemer telt één "
                 "keer mee. Dank je wel! Wil iemand anders meedoen, laat die dan op een eigen telefoon invullen.")
    if outcome == participation.RATE_LIMITED:
        return _("Er zijn vanaf deze verbinding in korte tijd erg veel antwoorden ingestuurd. Wacht een kwartier "
                 "en probeer het dan opnieuw, of vraag de gespreksleider om hulp. Je antwoorden staan hieronder nog.")
    return str(CLOSED_MESSAGE)


def _answer_page(request, session, form, error=None, code="", status=200):
    unanswered = [f for _theme, rows in form.themes() for _q, f, _c in rows if f.errors] if form.is_bound else []
    return TemplateResponse(request, template_names("actieplan/reflection/answer.html"), {
        "session": session, "form": form, "error": error, "code": code,
        "unanswered": unanswered[:5],
        "more_unanswered": max(0, len(unanswered) - 5),
    }, status=status)


def reflection_thanks(request, code):
    session = ReflectionSession.objects.filter(code=code).first()
    if session is None:
        return TemplateResponse(request, template_names("actieplan/reflection/unknown.html"), {"code": code}, status=404)
    return TemplateResponse(request, template_names("actieplan/reflection/thanks.html"), {"session": session})


# --- the working group's pages -----------------------------------------------------------------

@login_required
def reflection_list(request):
    sessions = (readable_sessions(request.user).select_related("partnership", "facilitator")
                .annotate(n_responses=Count("responses")))
    return TemplateResponse(request, template_names("actieplan/reflection/list.html"), {
        "sessions": sessions, "can_create": managed_partnerships(request.user).exists(),
    })


@login_required
def reflection_create(request):
    if not managed_partnerships(request.user).exists():
        raise Http404
    if request.method == "POST":
        form = SessionForm(request.POST, user=request.user)
        if form.is_valid():
            session = form.save(commit=False)
            session.facilitator = session.facilitator or request.user
            session.save()
            audit_log(instance=session, action="wagtail.create", user=request.user)
            messages.success(request, _("De sessie is aangemaakt. Deel de link of laat de QR-code scannen."))
            return redirect("actieplan:reflection_detail", pk=session.pk)
    else:
        initial = {"date": timezone.localdate(), "facilitator": request.user.pk,
                   "title": _("Reflectiesessie %(date)s") % {"date": timezone.localdate().strftime("%d-%m-%Y")}}
        partnership_id = parse_id(request.GET.get("partnership", ""))
        if partnership_id:
            initial["partnership"] = partnership_id
        form = SessionForm(initial=initial, user=request.user)
    return TemplateResponse(request, template_names("actieplan/reflection/form.html"), {"form": form})


def participant_url(request, session):
    return request.build_absolute_uri(reverse("actieplan:reflection_answer", kwargs={"code": session.code}))


def qr_svg(url):
    """The participant link as an inline SVG QR code, drawn on the server (no network, no JavaScript)."""
    svg = segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#1b1b1b", light="#ffffff",
                                                 omitsize=True, svgclass="reflection-qr__code")
    return mark_safe(svg)


@login_required
def reflection_detail(request, pk):
    session = _readable_session(request, pk)
    url = participant_url(request, session)
    return TemplateResponse(request, template_names("actieplan/reflection/detail.html"), {
        "session": session,
        "participant_url": url,
        "qr_svg": qr_svg(url),
        "n_responses": session.responses.count(),
        "can_manage": can_manage_partnership(request.user, session.partnership_id),
        "tool": ReflectionToolSettings.load(request_or_site=request),
        "themes": ReflectionTheme.objects.all(),
    })


@login_required
def reflection_project(request, pk):
    """Full screen for the projector: QR code, join code and a count that refreshes itself (no JavaScript)."""
    session = _readable_session(request, pk)
    url = participant_url(request, session)
    refresh = request.GET.get("verversen") != "uit" and session.is_open
    return TemplateResponse(request, template_names("actieplan/reflection/project.html"), {
        "session": session, "participant_url": url, "qr_svg": qr_svg(url),
        "join_url": request.build_absolute_uri(reverse("actieplan:reflection_join")),
        "code_groups": [session.code[i:i + 3] for i in range(0, len(session.code), 3)],
        "n_responses": session.responses.count(), "refresh_seconds": 10 if refresh else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def reflection_close(request, pk):
    """GET asks for confirmation (the scores are frozen after this); POST closes."""
    session = _readable_session(request, pk)
    if not can_manage_partnership(request.user, session.partnership_id):
        raise Http404
    if request.method == "GET":
        if not session.is_open:
            messages.info(request, _("Deze sessie was al gesloten."))
            return redirect("actieplan:reflection_results", pk=session.pk)
        return TemplateResponse(request, template_names("actieplan/reflection/close.html"), {
            "session": session, "n_responses": session.responses.count()})
    if session.is_open:
        session.close()
        audit_log(instance=session, action=CLOSE_LOG_ACTION, user=request.user,
                  data={"responses": session.responses.count()})
        messages.success(request, _("De sessie is gesloten; de scores liggen nu vast."))
    else:
        messages.info(request, _("Deze sessie was al gesloten."))
    return redirect("actieplan:reflection_results", pk=session.pk)


# --- results -----------------------------------------------------------------------------------

def answers_of(session):
    return ReflectionScore.objects.filter(response__session=session).values_list("question_id", "score", "comment")


def build_results(session):
    """Per-theme and per-question results of ``session`` with the previous session's theme means."""
    results = aggregation.session_results(session.question_wording, answers_of(session))
    previous = session.previous_session()
    if previous is not None:
        aggregation.attach_previous(results, aggregation.session_results(previous.question_wording,
                                                                          answers_of(previous)))
    return results, previous


def answers_with_kind(session):
    return ReflectionScore.objects.filter(response__session=session).values_list(
        "response_id", "response__partner_kind", "question_id", "score")


def perception_gaps(session):
    """Per theme the score per kind of partner (groups of three or more only), largest gaps flagged."""
    themes, kinds = aggregation.perception_gaps(session.question_wording, answers_with_kind(session))
    labels = dict(PartnerKind.choices)
    return {"themes": themes, "kinds": [(kind, labels.get(kind, kind)) for kind in kinds],
            "flagged": [t for t in themes if t.flagged], "min_group": aggregation.MIN_GROUP}


def sessions_until(session):
    """The partnership's sessions up to and including ``session``, oldest first."""
    earlier = ReflectionSession.objects.filter(partnership_id=session.partnership_id).filter(
        models.Q(date__lt=session.date) | models.Q(date=session.date, created_at__lte=session.created_at))
    return list(earlier.order_by("date", "created_at"))


# Trend chart: six lines, one colour and one dash pattern each (never colour alone).
TREND_STYLES = [("#0b4f8a", ""), ("#a14b00", "8 4"), ("#1e6b34", "2 3"), ("#6a1b9a", "10 3 2 3"),
                ("#a4161a", "4 4"), ("#4a4a4a", "12 6")]


def over_time(request, session):
    """Themes and questions over all the partnership's sessions so far, and what the actions did."""
    sessions = sessions_until(session)
    series = [aggregation.session_results(s.question_wording, answers_of(s)) for s in sessions]
    theme_rows, question_rows = aggregation.trend(series)
    width, height, pad_x, pad_y = 640, 300, 40, 24
    lines = []
    for i, row in enumerate(theme_rows):
        colour, dash = TREND_STYLES[i % len(TREND_STYLES)]
        points = [aggregation.trend_point(j, len(sessions), m, width, height, pad_x, pad_y)
                  for j, m in enumerate(row.means) if m is not None]
        lines.append({"row": row, "colour": colour, "dash": dash,
                      "points": " ".join(f"{_svg(x)},{_svg(y)}" for x, y in points),
                      "dots": [(_svg(x), _svg(y)) for x, y in points]})
    grid = [{"value": v, "y": _svg(aggregation.trend_point(0, 2, v, width, height, pad_x, pad_y)[1])} for v in range(1, 6)]
    ticks = [{"x": _svg(aggregation.trend_point(j, len(sessions), 1, width, height, pad_x, pad_y)[0]),
              "label": s.date.strftime("%m-%Y"), "session": s} for j, s in enumerate(sessions)]
    description = "; ".join(
        _("%(theme)s: %(means)s") % {"theme": r.name, "means": " → ".join(_fmt(m) for m in r.means)} for r in theme_rows)

    # Did the actions move the score? Per theme the actions made in earlier sessions of the partnership.
    earlier_ids = [s.pk for s in sessions[:-1]]
    weak_now = {t.theme_id for t in series[-1] if t.weak} if series else set()
    effects = []
    for row in theme_rows:
        made = counts.visible(request.user, Action.objects.filter(
            partnership_id=session.partnership_id, theme_id=row.key, source_session_id__in=earlier_ids))
        figures = counts.summary(made)
        if figures.total or row.key in weak_now:
            effects.append({"row": row, "figures": figures, "weak_now": row.key in weak_now})
    return {
        "sessions": sessions, "themes": theme_rows, "questions": question_rows,
        "chart": {"width": width, "height": height, "lines": lines, "grid": grid, "ticks": ticks,
                  "x0": pad_x, "x1": width - pad_x, "description": description},
        "effects": effects,
    }


def _fmt(value, digits=1):
    return "–" if value is None else number_format(value, digits)


def radar(results, previous):
    """Geometry of the radar chart (inline SVG), with a text description for screen readers."""
    # Wide enough for "Betrokken partners (3,3)" beside the chart at 14px.
    size_w, size_h, centre, radius = 680, 440, (340, 220), 140
    n = len(results)
    axes = []
    for i, theme in enumerate(results):
        x, y = aggregation.radar_point(i, n, 5, radius, centre)
        lx, ly = aggregation.radar_point(i, n, 5.7, radius, centre)
        anchor = "start" if lx > centre[0] + 5 else "end" if lx < centre[0] - 5 else "middle"
        ly += 4 if anchor != "middle" else (-6 if ly < centre[1] else 16)
        # Coordinates as strings: the template would localise floats to "12,5", which SVG cannot read.
        axes.append({"x": _svg(x), "y": _svg(y), "lx": _svg(lx), "ly": _svg(ly),
                     "anchor": anchor, "name": theme.name,
                     "mean_label": "–" if theme.summary.mean is None else floatformat(theme.summary.mean, 1)})
    rings = [{"value": v, "points": aggregation.radar_polygon([v] * n, radius, centre),
              "label_y": _svg(centre[1] - radius * v / 5 + 12)} for v in range(1, 6)]
    current = aggregation.radar_polygon([t.summary.mean for t in results], radius, centre)
    earlier = (aggregation.radar_polygon([t.previous_mean for t in results], radius, centre)
               if previous is not None else None)
    parts = []
    for t in results:
        if previous is not None:
            parts.append(_("%(theme)s %(mean)s (vorige sessie %(prev)s)") % {
                "theme": t.name, "mean": _fmt(t.summary.mean), "prev": _fmt(t.previous_mean)})
        else:
            parts.append(_("%(theme)s %(mean)s") % {"theme": t.name, "mean": _fmt(t.summary.mean)})
    description = _("Gemiddelde score per thema op een schaal van 1 tot 5: %(list)s.") % {"list": "; ".join(parts)}
    return {"width": size_w, "height": size_h, "cx": centre[0], "cy": centre[1], "axes": axes, "rings": rings,
            "current": current, "previous": earlier, "description": description,
            "label_x": _svg(centre[0] + 5),
            "dots": [tuple(map(_svg, aggregation.radar_point(i, n, t.summary.mean or 0, radius, centre)))
                     for i, t in enumerate(results) if t.summary.mean is not None]}


def _svg(number):
    return f"{number:.2f}"


def action_create_url(session, theme_id, question_id=None):
    """Link to the action form, prefilled with partnership, theme, question and session; after saving
    the form returns to these results, so the group can make the next action straight away."""
    try:
        base = reverse("actieplan:action_create")
    except NoReverseMatch:
        return None
    params = {"partnership": session.partnership_id, "theme": theme_id}
    if question_id:
        params["question"] = question_id
    params["source_session"] = session.pk
    params["next"] = reverse("actieplan:reflection_results", args=[session.pk]) + "#aan-de-slag"
    return f"{base}?{urlencode(params)}"


def good_practices_for(theme_id, limit=5):
    """Live public good practices linked to a theme (the good_practices app may not provide the link)."""
    theme = ReflectionTheme.objects.filter(pk=theme_id).first()
    manager = getattr(theme, "good_practices", None) if theme else None
    if manager is None:
        return []
    try:
        pages = manager.all()
        if hasattr(pages, "live"):
            pages = pages.live()
        if hasattr(pages, "public"):
            pages = pages.public()
        return list(pages.order_by("title")[:limit])
    except (AttributeError, LookupError):
        return []


def _results_context(request, session):
    results, previous = build_results(session)
    can_manage = can_manage_partnership(request.user, session.partnership_id)
    actions = list(counts.visible(request.user, session.actions.all()).select_related("owner", "theme")
                   .order_by("created_at", "pk"))
    for theme in results:
        theme.action_url = action_create_url(session, theme.theme_id) if can_manage else None
        theme.good_practices = good_practices_for(theme.theme_id) if theme.weak else []
        # Which weak points already have an action from this session (so nobody makes it twice).
        theme.existing_actions = [a for a in actions if a.theme_id == theme.theme_id]
        for q in theme.questions:
            q.action_url = action_create_url(session, theme.theme_id, q.question_id) if can_manage else None
            q.existing_actions = [a for a in actions if a.question_id == q.question_id]
    return {
        "session": session,
        "results": results,
        "previous": previous,
        "radar": radar(results, previous),
        "weak_themes": aggregation.weak_themes(results),  # weakest first
        "weakest": aggregation.weakest_questions(results),
        "comments": [(t, q) for t in results for q in t.questions if q.comments],
        "n_responses": session.responses.count(),
        "can_manage": can_manage,
        "actions": actions,
        "scale": aggregation.SCALE,
        "gaps": perception_gaps(session),
        "over_time": over_time(request, session),
    }


@login_required
def reflection_results(request, pk):
    session = _readable_session(request, pk)
    return TemplateResponse(request, template_names("actieplan/reflection/results.html"), _results_context(request, session))


@login_required
def reflection_print(request, pk):
    session = _readable_session(request, pk)
    context = _results_context(request, session)
    context["print"] = True
    return TemplateResponse(request, template_names("actieplan/reflection/print.html"), context)


def _csv_safe(value):
    """Keep spreadsheet programs from running a comment as a formula (the rule is in actieplan.validators)."""
    return csv_safe(spreadsheet_text(str(value)))


@login_required
def reflection_csv(request, pk):
    """The results as CSV for a Dutch spreadsheet: semicolons, decimal commas, UTF-8 with BOM."""
    session = _readable_session(request, pk)
    results, previous = build_results(session)
    filename = f"reflectie-{slugify(session.partnership.name)}-{session.date:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("niveau"), _("thema"), _("nr"), _("vraag"), _("aantal scores 1-5"), _("weet niet / n.v.t."),
                     _("gemiddelde"), _("standaardafwijking"), _("laagste"), _("hoogste"),
                     "1", "2", "3", "4", "5", _("gemiddelde vorige sessie"), _("toelichting")])

    def numbers(s):
        return [s.n, s.unknown, _fmt(s.mean, 2) if s.mean is not None else "",
                _fmt(s.sd, 2) if s.sd is not None else "", s.minimum or "", s.maximum or "",
                *[s.distribution.get(v, 0) for v in aggregation.SCALE]]

    for theme in results:
        writer.writerow([_("thema"), theme.name, "", "", *numbers(theme.summary),
                         _fmt(theme.previous_mean, 2) if theme.previous_mean is not None else "", ""])
        for q in theme.questions:
            writer.writerow([_("vraag"), theme.name, q.number, _csv_safe(q.text), *numbers(q.summary), "", ""])
            for comment in q.comments:
                writer.writerow([_("toelichting"), theme.name, q.number, "", *[""] * 12, _csv_safe(comment)])
    # Per kind of partner: the same rule as on the page, so a group of two never shows here either.
    gaps = perception_gaps(session)
    labels = dict(gaps["kinds"])
    for theme in gaps["themes"]:
        for kind, summary in theme.by_kind.items():
            writer.writerow([_("soort partner"), theme.name, "", labels[kind], *numbers(summary), "", ""])
    return response


urlpatterns = [
    path("reflectie/", reflection_list, name="reflection_list"),
    path("reflectie/nieuw/", reflection_create, name="reflection_create"),
    path("reflectie/<int:pk>/", reflection_detail, name="reflection_detail"),
    path("reflectie/<int:pk>/sluiten/", reflection_close, name="reflection_close"),
    path("reflectie/<int:pk>/projecteren/", reflection_project, name="reflection_project"),
    path("reflectie/<int:pk>/resultaten/", reflection_results, name="reflection_results"),
    path("reflectie/<int:pk>/resultaten.csv", reflection_csv, name="reflection_csv"),
    path("reflectie/<int:pk>/afdrukken/", reflection_print, name="reflection_print"),
    path("r/", reflection_answer, name="reflection_join"),
    path("r/<str:code>/", reflection_answer, name="reflection_answer"),
    path("r/<str:code>/bedankt/", reflection_thanks, name="reflection_thanks"),
]
