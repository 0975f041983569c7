"""The reflectietool's pages for the working group: sessions, the participant link and QR code, results, export.

- The working group (procesbewaker, werkgroeplid) creates a session for its partnership and shows
  the participant link and QR code; it closes the session when the scoring is done.
- Participants answer on their phone without an account (``participant_views``).
- The partnership's members read the results; other people get 404, anonymous visitors the login.
"""

from types import SimpleNamespace

import segno
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import get_language, gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.log_actions import log as audit_log

from actieplan import caching
from actieplan.accounts import login_required
from actieplan.formats import day_label
from actieplan.reflection import aggregation, benchmark
from actieplan.actions import counts
from actieplan.reflection import participation
from actieplan.reflection.admin import CLOSE_LOG_ACTION, VOID_LOG_ACTION
from actieplan.actions.models import Action, done_q
from actieplan.reflection.models import MAX_EXPECTED_PARTICIPANTS, ReflectionSession
from actieplan.partnerships.models import Partnership, Role
from actieplan.partnerships.reference import ReflectionTheme, ReflectionToolSettings
from actieplan.reflection.forms import ExpectedForm, SessionForm
from actieplan.reflection.results import CACHE_NAME, build_results, fmt, perception_gaps, radar
from actieplan.reflection.trend import reflection_trend, sessions_until, trend_chart
from actieplan.partnerships.permissions import (
    can_manage_partnership, can_set_sharing, is_platform_admin, manageable_partnerships, partnership_ids,
)
from actieplan.spreadsheets import CSV_CONTENT_TYPE, DutchCsv
from actieplan.validators import parse_id, parse_int
from actieplan.overrides import template_names


# --- who may see what --------------------------------------------------------------------------

def readable_sessions(user):
    """Sessions ``user`` may read: those of partnerships they belong to (all, for a platform admin)."""
    if is_platform_admin(user):
        return ReflectionSession.objects.all()
    return ReflectionSession.objects.filter(partnership_id__in=partnership_ids(user))


def _readable_session(request, pk):
    """The session, or 404 for someone outside its partnership (not 403: do not reveal it exists)."""
    return get_object_or_404(readable_sessions(request.user).select_related("partnership", "facilitator"), pk=pk)


# --- forms -------------------------------------------------------------------------------------


# --- participant pages (no account needed) -----------------------------------------------------


# --- the working group's pages -----------------------------------------------------------------

@login_required
def reflection_list(request):
    # Archived sessions leave the list (their scores stay in the trend); newest first, a defined order
    # (``annotate`` drops the model's Meta.ordering).
    sessions = (readable_sessions(request.user).filter(archived=False).select_related("partnership", "facilitator")
                .annotate(n_responses=Count("responses")).order_by("-date", "-created_at", "-pk"))
    return TemplateResponse(request, template_names("actieplan/reflection/list.html"), {
        "sessions": sessions, "can_create": manageable_partnerships(request.user).exists(),
        # Where the procesbewaker decides what the partnership shares with other regions (the benchmark among it).
        "sharing": list(Partnership.objects.filter(pk__in=partnership_ids(request.user, (Role.PROCESBEWAKER,)))),
    })


@login_required
def reflection_create(request):
    if not manageable_partnerships(request.user).exists():
        raise Http404
    if request.method == "POST":
        form = SessionForm(request.POST, user=request.user)
        if form.is_valid():
            session = form.save(commit=False)
            session.facilitator = session.facilitator or request.user
            session.save()
            audit_log(instance=session, action="wagtail.create", user=request.user)
            messages.success(request, _("The session has been created. Share the link or have people scan the QR code."))
            return redirect("actieplan:reflection_detail", pk=session.pk)
    else:
        initial = {"date": timezone.localdate(), "facilitator": request.user.pk,
                   "title": _("Reflection session %(date)s") % {"date": day_label(timezone.localdate())}}
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
        "expected_form": ExpectedForm(instance=session),
        "tickets_left": session.tickets.filter(used=False).count(),
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
            messages.info(request, _("This session was already closed."))
            return redirect("actieplan:reflection_results", pk=session.pk)
        return TemplateResponse(request, template_names("actieplan/reflection/close.html"), {
            "session": session, "n_responses": session.responses.count()})
    if session.is_open:
        session.close()
        audit_log(instance=session, action=CLOSE_LOG_ACTION, user=request.user,
                  data={"responses": session.responses.count()})
        messages.success(request, _("The session is closed; the scores are now fixed."))
    else:
        messages.info(request, _("This session was already closed."))
    return redirect("actieplan:reflection_results", pk=session.pk)


# --- one answer set per participant: expected number, personal codes, voiding a burst ------------------

def _managed_session(request, pk):
    session = _readable_session(request, pk)
    if not can_manage_partnership(request.user, session.partnership_id):
        raise Http404
    return session


@login_required
@require_POST
def reflection_expected(request, pk):
    """Set (or raise) the expected number of participants while the session is open."""
    session = _managed_session(request, pk)
    form = ExpectedForm(request.POST, instance=session)
    if not session.is_open:
        messages.info(request, _("This session is closed; the number of participants no longer matters."))
    elif form.is_valid():
        form.save()
        audit_log(instance=session, action="wagtail.edit", user=request.user,
                  data={"expected_participants": session.expected_participants})
        messages.success(request, _("The expected number of participants has been saved."))
    else:
        for error in form.errors.get("expected_participants", []):
            messages.error(request, error)
    return redirect(reverse("actieplan:reflection_detail", args=[session.pk]) + "#een-per-deelnemer")


@login_required
@require_http_methods(["GET", "POST"])
def reflection_tickets(request, pk):
    """Personal codes: POST makes more, GET is the printable list of the unused ones with their links."""
    session = _managed_session(request, pk)
    if request.method == "POST":
        count = parse_int(request.POST.get("aantal", ""), minimum=1, maximum=MAX_EXPECTED_PARTICIPANTS)
        if not session.is_open:
            messages.error(request, _("This session is closed; no more codes are needed."))
        elif count is None:
            messages.error(request, _("Enter a number of codes from 1 to %(max)s.")
                           % {"max": MAX_EXPECTED_PARTICIPANTS})
        else:
            participation.make_tickets(session, count)
            audit_log(instance=session, action="wagtail.edit", user=request.user, data={"persoonlijke_codes": count})
            messages.success(request, _("%(n)s personal codes created. Print them or share the links; each "
                                        "code works once.") % {"n": count})
            return redirect("actieplan:reflection_tickets", pk=session.pk)
        return redirect(reverse("actieplan:reflection_detail", args=[session.pk]) + "#een-per-deelnemer")
    base = participant_url(request, session)
    tickets = [{"code": t.code, "url": f"{base}?kaart={t.code}"} for t in session.tickets.filter(used=False)]
    return TemplateResponse(request, template_names("actieplan/reflection/tickets.html"), {
        "session": session, "tickets": tickets, "used": session.tickets.filter(used=True).count(),
        "join_url": request.build_absolute_uri(reverse("actieplan:reflection_join"))})


def _minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@login_required
@require_http_methods(["GET", "POST"])
def reflection_arrivals(request, pk):
    """How many answer sets arrived per minute (nothing of their content); while the session is open the
    facilitator can void the answer sets of a minute that was a burst."""
    session = _managed_session(request, pk)
    arrivals = {}
    for response_id, submitted_at in session.responses.values_list("pk", "submitted_at"):
        arrivals.setdefault(_minute(submitted_at), []).append(response_id)
    if request.method == "POST":
        chosen = [minute for minute in request.POST.getlist("minuut") if minute in arrivals]
        if not session.is_open:
            messages.error(request, _("This session is closed; the scores are fixed."))
        elif not chosen:
            messages.error(request, _("Choose the minute (or minutes) whose submissions you want to void."))
        else:
            ids = [pk_ for minute in chosen for pk_ in arrivals[minute]]
            with transaction.atomic():
                locked = ReflectionSession.objects.select_for_update().get(pk=session.pk)
                removed = locked.responses.filter(pk__in=ids).delete()[1].get("actieplan.ReflectionResponse", 0)
            audit_log(instance=session, action=VOID_LOG_ACTION, user=request.user,
                      data={"antwoordensets": removed, "minuten": chosen})
            messages.success(request, ngettext("%(n)s completed questionnaire has been voided and does not count.",
                                               "%(n)s completed questionnaires have been voided and do not count.",
                                               removed) % {"n": removed})
            return redirect("actieplan:reflection_arrivals", pk=session.pk)
    rows = [{"minute": minute, "label": minute.replace("T", " "), "count": len(ids)}
            for minute, ids in sorted(arrivals.items())]
    busiest = max((row["count"] for row in rows), default=0)
    return TemplateResponse(request, template_names("actieplan/reflection/arrivals.html"), {
        "session": session, "rows": rows, "busiest": busiest, "total": sum(r["count"] for r in rows)})


# --- results -----------------------------------------------------------------------------------


def over_time(request, session, latest=None):
    """Themes and questions over all the partnership's sessions so far, and what the actions did (``latest``: the
    session's own results, when the caller has them already)."""
    def compute():
        trend = reflection_trend(session.partnership_id, until=session, questions=True)
        return trend, list(sessions_until(session.partnership_id, until=session)), trend_chart(trend)

    # The chart's figures are formatted for the language: it is part of the key.
    trend, sessions, chart = caching.get_or_compute(CACHE_NAME, ("trend", session.pk, get_language()), compute)
    # Did the actions move the score? Per theme the actions made in earlier sessions of the partnership.
    earlier_ids = [s.pk for s in sessions[:-1]]
    if latest is None:
        latest, _previous = build_results(session)
    weak_now = {t.theme_id for t in latest if t.weak}
    # One GROUP BY for every theme: how many actions, and how many done (the rule of counts.summary).
    made = counts.visible(request.user, Action.objects.filter(
        partnership_id=session.partnership_id, source_session_id__in=earlier_ids))
    per_theme = {row.pop("theme_id"): SimpleNamespace(**row) for row in made.order_by().values("theme_id").annotate(
        total=Count("pk"), done=Count("pk", filter=done_q()))}
    effects = []
    for row in trend.themes:
        figures = per_theme.get(row.key, SimpleNamespace(total=0, done=0))
        if figures.total or row.key in weak_now:
            effects.append({"row": row, "figures": figures, "weak_now": row.key in weak_now})
    return {
        "sessions": sessions, "themes": [row for row in trend.themes if any(m is not None for m in row.means)],
        "questions": list(trend.questions), "chart": chart, "effects": effects,
        # The trend's markup (over_time.html) is cached under this key: the version, the session, the language.
        "fragment_key": caching.key(CACHE_NAME, "over-time-html", session.pk, get_language()),
    }


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
    # Each question's figures (tables.html) are the same for everyone: rendered once per version and language.
    figures_html = caching.get_or_compute(CACHE_NAME, ("question-html", session.pk, get_language()), lambda: {
        q.question_id: render_to_string("actieplan/reflection/includes/question_figures.html",
                                        {"q": q, "theme": t, "scale": aggregation.SCALE})
        for t in results for q in t.questions})
    for theme in results:
        theme.action_url = action_create_url(session, theme.theme_id) if can_manage else None
        theme.good_practices = good_practices_for(theme.theme_id) if theme.weak else []
        # Which weak points already have an action from this session (so nobody makes it twice).
        theme.existing_actions = [a for a in actions if a.theme_id == theme.theme_id]
        for q in theme.questions:
            q.action_url = action_create_url(session, theme.theme_id, q.question_id) if can_manage else None
            q.existing_actions = [a for a in actions if a.question_id == q.question_id]
            q.figures_html = figures_html.get(q.question_id)
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
        "over_time": over_time(request, session, results),
        # This session's theme means beside the other regions' (reflection/benchmark.py); None: not taking part.
        "benchmark": benchmark.comparison(session.partnership, {t.theme_id: t.summary.mean for t in results}),
        "benchmark_partnership": session.partnership,
        "can_set_sharing": can_set_sharing(request.user, session.partnership_id),
        "own_label": _("the mean of this session"),
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


@login_required
def reflection_csv(request, pk):
    """The results as CSV for a Dutch spreadsheet (actieplan.spreadsheets: semicolons, decimal commas, BOM)."""
    session = _readable_session(request, pk)
    results, previous = build_results(session)
    filename = f"reflectie-{slugify(session.partnership.name)}-{session.date:%Y-%m-%d}.csv"
    out = DutchCsv([_("level"), _("theme"), _("no."), _("question"), _("number of scores 1-5"), _("do not know / n/a"),
                    _("mean"), _("standard deviation"), _("lowest"), _("highest"),
                    "1", "2", "3", "4", "5", _("mean of previous session"), _("explanation")])

    def numbers(s):
        return [s.n, s.unknown, fmt(s.mean, 2) if s.mean is not None else "",
                fmt(s.sd, 2) if s.sd is not None else "", s.minimum or "", s.maximum or "",
                *[s.distribution.get(v, 0) for v in aggregation.SCALE]]

    for theme in results:
        out.row([_("theme"), theme.name, "", "", *numbers(theme.summary),
                 fmt(theme.previous_mean, 2) if theme.previous_mean is not None else "", ""])
        for q in theme.questions:
            out.row([_("question"), theme.name, q.number, q.text, *numbers(q.summary), "", ""])
            for comment in q.comments:
                out.row([_("explanation"), theme.name, q.number, "", *[""] * 12, comment])
    # Per kind of partner: exactly the cells the page shows (the same rule, so a small group never shows here),
    # and only the mean and its number of scores: no distribution, spread or extremes.
    gaps = perception_gaps(session)
    labels = dict(gaps["kinds"])
    for theme in gaps["themes"]:
        for kind, summary in theme.by_kind.items():
            if summary is not None and summary.mean is not None:
                out.row([_("partner type"), theme.name, "", labels[kind], summary.n, "",
                         fmt(summary.mean, 2), "", "", "", "", "", "", "", "", "", ""])
    response = HttpResponse(out.content(), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
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
    path("reflectie/<int:pk>/verwacht/", reflection_expected, name="reflection_expected"),
    path("reflectie/<int:pk>/codes/", reflection_tickets, name="reflection_tickets"),
    path("reflectie/<int:pk>/inzendingen/", reflection_arrivals, name="reflection_arrivals"),
]
