"""The meeting pages (overleg): list, plan, the agenda that is also the minutes, the minutes page and PDF,
and the check-in page behind the link in the check-in mail.

Members of a partnership see its meetings (others get 404); the working group and the chair plan
them, write the minutes and close them (others get 403). Every change goes through
``actieplan.minutes``; a change to closed minutes is refused with the reason (409). The pages work
without JavaScript: each form posts and comes back to its place on the agenda.
"""

import datetime

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from actieplan.accounts import login_required, login_url
from actieplan.meetings import emails as meeting_emails, agenda as meetings, minutes
from actieplan.meetings.forms import (
    AgendaItemForm, CheckInForm, CloseForm, DecisionForm, MeetingForm, NoteForm, manageable_partnerships,
)
from actieplan.actions.models import Action
from actieplan.meetings.models import AgendaItem, AgendaItemStatus, Meeting
from actieplan.partnerships.models import Membership, Role
from actieplan.partnerships.permissions import can_manage_meeting, can_view_meeting, is_platform_admin, partnership_ids
from actieplan.overrides import template_names
from actieplan.formats import person_name


def _visible_meetings(user):
    meetings_ = Meeting.objects.select_related("partnership", "chair")
    if is_platform_admin(user):
        return meetings_
    return meetings_.filter(partnership_id__in=partnership_ids(user))


def _meeting_or_404(user, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("partnership", "chair", "closed_by"), pk=pk)
    if not can_view_meeting(user, meeting):
        raise Http404
    return meeting


def _managed_meeting(user, pk):
    meeting = _meeting_or_404(user, pk)
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied(_("Alleen de werkgroep en de voorzitter schrijven het verslag van dit overleg."))
    return meeting


@login_required
def meeting_list(request):
    now = timezone.now()
    visible = list(_visible_meetings(request.user).order_by("starts_at", "pk"))
    coming = [m for m in visible if not m.is_closed and m.ends_at >= now]
    past = sorted((m for m in visible if m not in coming), key=lambda m: m.starts_at, reverse=True)
    figures = meetings.figures_for(past)
    for meeting in past:
        meeting.figures = figures[meeting.pk]
    return TemplateResponse(request, template_names("actieplan/meetings/list.html"), {
        "coming": coming, "past": past,
        "can_create": manageable_partnerships(request.user).exists(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not manageable_partnerships(request.user).exists():
        raise PermissionDenied(_("Alleen de werkgroep plant een overleg."))
    if request.method == "POST":
        form = MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            meeting = minutes.save_meeting(request.user, form)
            messages.success(request, _("Het overleg is gepland. De agenda vult zich uit het actieplan; vul hem aan "
                                        "met eigen agendapunten."))
            return redirect("actieplan:meeting_detail", pk=meeting.pk)
    else:
        partnerships = list(manageable_partnerships(request.user).values_list("pk", flat=True))
        initial = {"chair": request.user.pk, "duration_minutes": 90}
        if len(partnerships) == 1:
            initial["partnership"] = partnerships[0]
            initial["invited"] = list(Membership.objects.filter(
                partnership_id=partnerships[0], role__in=(Role.PROCESBEWAKER, Role.WERKGROEPLID))
                .values_list("user_id", flat=True))
        form = MeetingForm(user=request.user, initial=initial)
    return TemplateResponse(request, template_names("actieplan/meetings/form.html"), {"form": form, "meeting": None})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _managed_meeting(request.user, pk)
    if meeting.is_closed:
        return _refuse_closed(request, meeting)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            minutes.save_meeting(request.user, form)
        except minutes.MinutesClosed as error:
            return _refuse_closed(request, meeting, error)
        messages.success(request, _("De wijzigingen zijn opgeslagen."))
        return redirect("actieplan:meeting_detail", pk=meeting.pk)
    return TemplateResponse(request, template_names("actieplan/meetings/form.html"), {"form": form, "meeting": meeting})


def _items(meeting):
    return list(meeting.items.select_related("action__owner", "carried_from__meeting", "carried_to__meeting")
                .prefetch_related("decisions__action__owner").order_by("position", "pk"))


def _detail_context(request, meeting, bound=None):
    """Everything the agenda page shows; ``bound`` holds the forms that came back with errors."""
    bound = bound or {}
    may_manage = can_manage_meeting(request.user, meeting)
    items = _items(meeting)
    writable = may_manage and not meeting.is_closed
    for item in items:
        item.decision_list = list(item.decisions.all())
        item.earlier = item.history()
        if writable and item.status != AgendaItemStatus.DOORGESCHOVEN:
            item.note_form = bound.get(("note", item.pk)) or NoteForm(prefix=f"notitie-{item.pk}",
                                                                      initial={"notes": item.notes})
            decision_form = bound.get(("decision", item.pk))
            if decision_form is None:
                initial = {}
                if item.action is not None:
                    initial = {"theme": item.action.theme_id, "owner": item.action.owner_id,
                               "mandate_level": item.action.mandate_level}
                decision_form = DecisionForm(meeting=meeting, prefix=f"besluit-{item.pk}", initial=initial)
            item.decision_form = decision_form
            item.decision_open = ("decision", item.pk) in bound
    now = timezone.now()
    checkin_from = meeting.starts_at - datetime.timedelta(days=meeting_emails.checkin_days_before())
    return {
        "meeting": meeting,
        "can_manage": may_manage,
        "writable": writable,
        "closed_message": minutes.closed_message(meeting) if meeting.is_closed else "",
        "agenda": meetings.agenda_for_display(meeting, now),
        "items": items,
        "item_form": bound.get("item") or AgendaItemForm(prefix="nieuw"),
        "checkin": meetings.checkin_overview(meeting) if not meeting.is_closed else None,
        "checkin_from": checkin_from,
        "checkin_days": meeting_emails.checkin_days_before(),
        "checkin_possible": not meeting.is_closed and not meeting.has_started(now),
        "figures": meetings.figures(meeting),
        "close_form": CloseForm(),
        "may_close": writable and timezone.localtime(meeting.starts_at).date() <= timezone.localdate(),
        "discussed": {item.action_id for item in items if item.action_id and item.status == AgendaItemStatus.OPEN},
        "next_meeting": meetings.next_meeting(meeting),
        "previous_meeting": meetings.previous_meeting(meeting),
    }


def _render_detail(request, meeting, bound=None, status=200):
    return TemplateResponse(request, template_names("actieplan/meetings/detail.html"), _detail_context(request, meeting, bound),
                            status=status)


def _refuse_closed(request, meeting, error=None):
    messages.error(request, error.messages[0] if error is not None else minutes.closed_message(meeting))
    return _render_detail(request, meeting, status=409)


def _back(meeting, anchor=""):
    return redirect(reverse("actieplan:meeting_detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def meeting_detail(request, pk):
    return _render_detail(request, _meeting_or_404(request.user, pk))


def _item_or_404(meeting, item_pk):
    return get_object_or_404(AgendaItem.objects.select_related("meeting", "action"), pk=item_pk, meeting=meeting)


@login_required
@require_POST
def meeting_item_add(request, pk):
    meeting = _managed_meeting(request.user, pk)
    form = AgendaItemForm(request.POST, prefix="nieuw")
    if not form.is_valid():
        return _render_detail(request, meeting, {"item": form}, status=400)
    try:
        item = minutes.add_item(meeting, request.user, form.cleaned_data["title"], form.cleaned_data["description"])
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except ValidationError as error:
        form.add_error("title", error.messages)
        return _render_detail(request, meeting, {"item": form}, status=400)
    messages.success(request, _("Agendapunt ‘%(title)s’ toegevoegd.") % {"title": item.title})
    return _back(meeting, f"punt-{item.pk}")


@login_required
@require_POST
def meeting_discuss(request, pk, action_pk):
    meeting = _managed_meeting(request.user, pk)
    action = get_object_or_404(Action, pk=action_pk, partnership_id=meeting.partnership_id)
    try:
        item = minutes.discuss_action(meeting, request.user, action)
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    messages.success(request, _("‘%(title)s’ staat op de agenda; schrijf er een notitie of besluit bij.")
                     % {"title": action.title})
    return _back(meeting, f"punt-{item.pk}")


@login_required
@require_POST
def meeting_item_note(request, pk, item_pk):
    meeting = _managed_meeting(request.user, pk)
    item = _item_or_404(meeting, item_pk)
    form = NoteForm(request.POST, prefix=f"notitie-{item.pk}")
    if not form.is_valid():
        return _render_detail(request, meeting, {("note", item.pk): form}, status=400)
    status = request.POST.get("status") or None
    try:
        minutes.save_note(item, request.user, form.cleaned_data["notes"], status=status)
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_detail(request, meeting, {("note", item.pk): form}, status=400)
    messages.success(request, _("Agendapunt afgehandeld.") if status == AgendaItemStatus.AFGEHANDELD
                     else _("Notitie opgeslagen."))
    return _back(meeting, f"punt-{item.pk}")


@login_required
@require_POST
def meeting_item_carry(request, pk, item_pk):
    meeting = _managed_meeting(request.user, pk)
    item = _item_or_404(meeting, item_pk)
    try:
        new_item, created = minutes.carry_over(item, request.user)
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    following = new_item.meeting
    when = formats.date_format(timezone.localtime(following.starts_at), "l j F Y, H:i")
    if created:
        messages.success(request, _("Er was nog geen volgend %(noun)s; het is gepland op %(when)s. ‘%(title)s’ staat "
                                    "daar op de agenda. Pas datum en plaats aan als dat niet klopt.")
                         % {"noun": meeting.kind_noun, "when": when, "title": item.title})
    else:
        messages.success(request, _("‘%(title)s’ is doorgeschoven naar het %(noun)s van %(when)s.")
                         % {"title": item.title, "noun": meeting.kind_noun, "when": when})
    return _back(meeting, f"punt-{item.pk}")


@login_required
@require_POST
def meeting_decision(request, pk, item_pk):
    meeting = _managed_meeting(request.user, pk)
    item = _item_or_404(meeting, item_pk)
    form = DecisionForm(request.POST, meeting=meeting, prefix=f"besluit-{item.pk}")
    if not form.is_valid():
        return _render_detail(request, meeting, {("decision", item.pk): form}, status=400)
    try:
        decision = minutes.record_decision(item, request.user, form.cleaned_data["text"],
                                           action_fields=form.action_fields() if form.makes_action else None)
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except ValidationError as error:
        form.add_model_errors(error)
        return _render_detail(request, meeting, {("decision", item.pk): form}, status=400)
    if decision.action is not None:
        messages.success(request, _("Besluit vastgelegd en actie ‘%(title)s’ aangemaakt voor %(owner)s.") % {
            "title": decision.action.title,
            "owner": person_name(decision.action.owner)})
    else:
        messages.success(request, _("Besluit zonder actie vastgelegd."))
    return _back(meeting, f"punt-{item.pk}")


@login_required
@require_POST
def meeting_checkin_send(request, pk):
    meeting = _managed_meeting(request.user, pk)
    try:
        queued = minutes.send_checkin_now(meeting, request.user)
    except minutes.CheckInRefused as error:
        messages.error(request, error.messages[0])
        return _render_detail(request, meeting, status=409)
    if queued:
        messages.success(request, _("De check-in gaat nu naar %(n)s eigenaren.") % {"n": queued})
    else:
        messages.info(request, _("Iedere eigenaar met een e-mailadres heeft de check-in voor dit overleg al gekregen; "
                                 "niemand krijgt hem twee keer."))
    return _back(meeting, "check-in")


@login_required
@require_POST
def meeting_close(request, pk):
    meeting = _managed_meeting(request.user, pk)
    form = CloseForm(request.POST)
    form.is_valid()
    try:
        meeting, carried, following = minutes.close_meeting(meeting, request.user,
                                                            carry_open=form.cleaned_data.get("carry_open", False))
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _render_detail(request, meeting, status=409)
    text = _("Het verslag is afgesloten en gaat per mail naar de genodigden, met de nieuwe acties per eigenaar.")
    if carried:
        text += " " + _("%(n)s open agendapunt(en) staan op de agenda van het %(noun)s van %(when)s.") % {
            "n": len(carried), "noun": meeting.kind_noun,
            "when": formats.date_format(timezone.localtime(following.starts_at), "j F Y")}
    messages.success(request, text)
    return redirect("actieplan:meeting_minutes", pk=meeting.pk)


def _minutes_context(meeting):
    items = _items(meeting)
    for item in items:
        item.decision_list = list(item.decisions.all())
    return {
        "meeting": meeting,
        "items": items,
        "agenda": meetings.agenda_for_display(meeting) if meeting.is_closed else None,
        "groups": meetings.new_actions_by_owner(meeting),
        "figures": meetings.figures(meeting),
        "invited": list(meeting.invited.order_by("first_name", "last_name", "username")),
        "generated_at": timezone.now(),
    }


@login_required
def meeting_minutes(request, pk):
    meeting = _meeting_or_404(request.user, pk)
    return TemplateResponse(request, template_names("actieplan/meetings/minutes.html"), _minutes_context(meeting))


@login_required
def meeting_minutes_pdf(request, pk):
    from weasyprint import HTML

    meeting = _meeting_or_404(request.user, pk)
    html = render_to_string(template_names("actieplan/meetings/minutes_pdf.html"), _minutes_context(meeting), request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="verslag-{meeting.kind}-{day}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def meeting_checkin(request, token):
    """The owner's one line per open action, from the link in the check-in mail; no login."""
    context = {"login_url": f"{login_url()}?next={reverse('actieplan:meeting_list')}"}
    try:
        meeting_id, user_id = meeting_emails.read_checkin_token(token)
    except signing.SignatureExpired:
        context["problem"] = _("Deze link is verlopen. Log in om de voortgang van je acties bij te werken.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=410)
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        context["problem"] = _("Deze link klopt niet (misschien is hij niet helemaal gekopieerd). Log in om de "
                               "voortgang van je acties bij te werken.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=400)
    meeting = Meeting.objects.select_related("partnership").filter(pk=meeting_id).first()
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if meeting is None or person is None or not can_view_meeting(person, meeting):
        context["problem"] = _("Deze link geeft geen toegang meer tot dit overleg. Log in om je acties te zien.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=403)
    context.update({"meeting": meeting, "person": person, "moment": meeting_emails.meeting_moment(meeting)})
    try:
        minutes.ensure_checkin_possible(meeting)
    except minutes.CheckInRefused as error:
        context["problem"] = error.messages[0] + " " + _("Geef je voortgang door op de pagina van de actie.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=410)
    actions = meeting_emails.open_actions_of(meeting, person)
    answers = dict(meeting.checkin_answers.filter(action__in=actions).values_list("action_id", "text"))
    form = CheckInForm(request.POST or None, actions=actions, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            saved = minutes.answer_checkin(meeting, person, form.answers())
        except minutes.CheckInRefused as error:
            context["problem"] = error.messages[0]
            return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=410)
        context.update({"saved": saved, "done": True})
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context)
    context.update({"form": form, "actions": actions})
    return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context)


urlpatterns = [
    path("overleg/", meeting_list, name="meeting_list"),
    path("overleg/nieuw/", meeting_create, name="meeting_create"),
    path("overleg/check-in/<str:token>/", meeting_checkin, name="meeting_checkin"),
    path("overleg/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("overleg/<int:pk>/bewerken/", meeting_edit, name="meeting_edit"),
    path("overleg/<int:pk>/agendapunten/", meeting_item_add, name="meeting_item_add"),
    path("overleg/<int:pk>/bespreken/<int:action_pk>/", meeting_discuss, name="meeting_discuss"),
    path("overleg/<int:pk>/agendapunten/<int:item_pk>/notitie/", meeting_item_note, name="meeting_item_note"),
    path("overleg/<int:pk>/agendapunten/<int:item_pk>/doorschuiven/", meeting_item_carry, name="meeting_item_carry"),
    path("overleg/<int:pk>/agendapunten/<int:item_pk>/besluit/", meeting_decision, name="meeting_decision"),
    path("overleg/<int:pk>/check-in/", meeting_checkin_send, name="meeting_checkin_send"),
    path("overleg/<int:pk>/afsluiten/", meeting_close, name="meeting_close"),
    path("overleg/<int:pk>/verslag/", meeting_minutes, name="meeting_minutes"),
    path("overleg/<int:pk>/verslag.pdf", meeting_minutes_pdf, name="meeting_minutes_pdf"),
]
