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
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from actieplan import conflicts, submissions
from actieplan.accounts import login_required, login_url
from actieplan.meetings import emails as meeting_emails, agenda as meetings, minutes
from actieplan.meetings.forms import (
    TEMPLATE_AGENDAS, AddendumForm, AgendaItemForm, AttendanceForm, CheckInForm, CloseForm, DecisionForm,
    MeetingForm, MeetingSeriesForm, NoteForm, initial_for_kind, manageable_partnerships,
)
from actieplan.actions.models import Action
from actieplan.meetings.models import AgendaItem, AgendaItemStatus, Meeting, MeetingKind, MeetingSeries
from actieplan.partnerships.permissions import (
    can_check_in, can_manage_meeting, can_view_meeting, can_view_series, is_platform_admin, partnership_ids,
    visible_meetings_filter,
)
from actieplan.overrides import template_names
from actieplan.formats import person_name, without_emoji


def _visible_meetings(user):
    meetings_ = Meeting.objects.select_related("partnership", "chair", "series")
    if is_platform_admin(user):
        return meetings_
    return meetings_.filter(visible_meetings_filter(user)).distinct()


def _meeting_or_404(user, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("partnership", "chair", "closed_by", "series"), pk=pk)
    if not can_view_meeting(user, meeting):
        raise Http404
    return meeting


def _managed_meeting(user, pk):
    meeting = _meeting_or_404(user, pk)
    if not can_manage_meeting(user, meeting):
        raise PermissionDenied(_("Only the working group and the chair write the minutes of this meeting."))
    return meeting


@login_required
def meeting_list(request):
    now = timezone.now()
    visible = list(_visible_meetings(request.user).current().order_by("starts_at", "pk"))
    coming = [m for m in visible if not m.is_closed and m.ends_at >= now]
    past = sorted((m for m in visible if m not in coming), key=lambda m: m.starts_at, reverse=True)
    figures = meetings.figures_for(past)
    for meeting in past:
        meeting.figures = figures[meeting.pk]
    series = list(_visible_series(request.user))
    _attach_series_facts(series)
    return TemplateResponse(request, template_names("actieplan/meetings/list.html"), {
        "coming": coming, "past": past, "series_list": series,
        "can_create": manageable_partnerships(request.user).exists(),
        "kinds": MeetingKind.choices,
    })


def _visible_series(user):
    series = MeetingSeries.objects.select_related("partnership", "chair")
    if is_platform_admin(user):
        return series
    return series.filter(partnership_id__in=partnership_ids(user))


def _attach_series_facts(series_list):
    """Per series: its praatclub index over all its meetings and its next open meeting (two queries)."""
    figures = meetings.series_figures([s.pk for s in series_list])
    upcoming = {}
    for meeting in (Meeting.objects.open().filter(series__in=series_list, starts_at__gte=timezone.now()
                                                   - datetime.timedelta(hours=12)).order_by("starts_at", "pk")):
        upcoming.setdefault(meeting.series_id, meeting)
    for series in series_list:
        series.figures = figures[series.pk]
        series.next_open = upcoming.get(series.pk)


def _kind_from(request):
    kind = request.GET.get("soort", "")
    return kind if kind in MeetingKind.values else MeetingKind.WERKGROEP


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    if not manageable_partnerships(request.user).exists():
        raise PermissionDenied(_("Only the working group schedules a meeting."))
    if request.method == "POST":
        form = MeetingForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                meeting = submissions.once(request, "overleg", lambda: minutes.save_meeting(request.user, form),
                                           url=lambda m: reverse("actieplan:meeting_detail", args=[m.pk]))
            except submissions.Repeat as repeat:
                messages.info(request, _("This form had already been submitted; the meeting has been scheduled once."))
                return redirect(repeat.earlier.url or "actieplan:meeting_list")
            messages.success(request, _("The meeting has been scheduled. The agenda fills itself from the "
                                        "action plan; add your own agenda items to it."))
            return redirect("actieplan:meeting_detail", pk=meeting.pk)
    else:
        form = MeetingForm(user=request.user, initial=initial_for_kind(request.user, _kind_from(request)))
    return TemplateResponse(request, template_names("actieplan/meetings/form.html"), {"form": form, "meeting": None})


# --- series ---------------------------------------------------------------------------------------

def _series_or_404(user, pk):
    series = get_object_or_404(MeetingSeries.objects.select_related("partnership", "chair"), pk=pk)
    if not can_view_series(user, series):
        raise Http404
    return series


def _managed_series(user, pk):
    series = _series_or_404(user, pk)
    if not can_manage_meeting(user, series):
        raise PermissionDenied(_("Only the working group and the chair manage this meeting series."))
    return series


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request):
    if not manageable_partnerships(request.user).exists():
        raise PermissionDenied(_("Only the working group creates a meeting series."))
    if request.method == "POST":
        form = MeetingSeriesForm(request.POST, user=request.user)
        if form.is_valid():
            series, first = minutes.save_series(request.user, form)
            if first is not None:
                messages.success(request, _("The series ‘%(title)s’ is ready: %(rule)s. The first meeting, "
                                            "on %(when)s, has been opened with the fixed agenda items.") % {
                    "title": series.title, "rule": series.describe(),
                    "when": formats.date_format(timezone.localtime(first.starts_at), "l j F Y, H:i")})
            else:
                messages.warning(request, _("The series has been saved, but according to the recurrence "
                                            "there will be no more meetings. Check the end date."))
            return redirect("actieplan:series_detail", pk=series.pk)
    else:
        kind = _kind_from(request)
        initial = initial_for_kind(request.user, kind)
        today = timezone.localdate()
        initial.update({"title": str(meetings_title(kind)), "rule": "monthly-weekday", "interval": 3 if kind == MeetingKind.BESTUUR else 1,
                        "ordinal": 1, "weekday": 1, "first_date": today, "start_time": datetime.time(14, 0),
                        "agenda_template": str(TEMPLATE_AGENDAS.get(kind, ""))})
        form = MeetingSeriesForm(user=request.user, initial=initial)
    return TemplateResponse(request, template_names("actieplan/meetings/series_form.html"),
                            {"form": form, "series": None})


def meetings_title(kind):
    return {MeetingKind.WERKGROEP: _("LOB working group"), MeetingKind.BESTUUR: _("Board meeting"),
            MeetingKind.REGIONAAL_NETWERK: _("Regional network")}.get(kind, "")


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request, pk):
    series = _managed_series(request.user, pk)
    form = MeetingSeriesForm(request.POST or None, instance=series, user=request.user)
    if request.method == "POST" and form.is_valid():
        minutes.save_series(request.user, form)
        messages.success(request, _("The series has been changed. Whatever is already scheduled keeps its "
                                    "own date; the next meeting to be opened follows the new recurrence."))
        return redirect("actieplan:series_detail", pk=series.pk)
    return TemplateResponse(request, template_names("actieplan/meetings/series_form.html"),
                            {"form": form, "series": series})


@login_required
def series_detail(request, pk):
    series = _series_or_404(request.user, pk)
    _attach_series_facts([series])
    all_meetings = list(series.meetings.select_related("partnership", "series").order_by("-starts_at", "-pk"))
    figures = meetings.figures_for(all_meetings)
    for meeting in all_meetings:
        meeting.figures = figures[meeting.pk]
    last = all_meetings[0] if all_meetings else None
    after = max(timezone.localdate(), timezone.localtime(last.starts_at).date() if last else timezone.localdate())
    return TemplateResponse(request, template_names("actieplan/meetings/series_detail.html"), {
        "series": series, "meetings": all_meetings,
        "planned_dates": series.next_dates(after, count=4),
        "can_manage": can_manage_meeting(request.user, series),
    })


@login_required
@require_POST
def series_open_next(request, pk):
    series = _managed_series(request.user, pk)
    meeting, created = minutes.open_next_in_series(series, request.user)
    if meeting is None:
        messages.warning(request, _("According to the recurrence, there will be no more meetings in this series."))
        return redirect("actieplan:series_detail", pk=series.pk)
    if created:
        messages.success(request, _("The meeting on %(when)s has been opened with the fixed agenda items.") % {
            "when": formats.date_format(timezone.localtime(meeting.starts_at), "l j F Y, H:i")})
    return redirect("actieplan:meeting_detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = _managed_meeting(request.user, pk)
    if meeting.is_closed:
        return _refuse_closed(request, meeting)
    form = MeetingForm(request.POST or None, instance=meeting, user=request.user)
    conflict = form.conflict(current_user=request.user) if request.method == "POST" else None
    if request.method == "POST" and not conflict and form.is_valid():
        try:
            minutes.save_meeting(request.user, form)
        except minutes.MinutesClosed as error:
            return _refuse_closed(request, meeting, error)
        except conflicts.EditConflict as error:
            conflict = error.conflict
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("actieplan:meeting_detail", pk=meeting.pk)
    if conflict:
        current = Meeting.objects.get(pk=meeting.pk)
        form = MeetingForm(instance=current, user=request.user, initial=form.merged_initial(current))
    return TemplateResponse(request, template_names("actieplan/meetings/form.html"),
                            {"form": form, "meeting": meeting, "conflict": conflict}, status=409 if conflict else 200)


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
            item.note_form = bound.get(("note", item.pk)) or NoteForm(prefix=f"notitie-{item.pk}", item=item,
                                                                      initial={"notes": item.notes})
            item.conflict = bound.get(("conflict", item.pk))
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
    people = minutes.attendance_people(meeting)
    may_close = writable and timezone.localtime(meeting.starts_at).date() <= timezone.localdate()
    attendance_form = bound.get("attendance") or AttendanceForm(
        people=people, recorded={a.person_id: a.status for a in meeting.attendance.all()}, prefix="aanwezig")
    return {
        "attendance_form": attendance_form if writable and people else None,
        "attendance": meeting.attendance_lists(),
        "addenda": list(meeting.addenda.select_related("created_by")),
        "addendum_form": (bound.get("addendum") or AddendumForm(prefix="aanvulling")) if may_manage and meeting.is_closed else None,
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
        # The close link carries the minutes as this page shows them: closing compares them (actieplan.conflicts).
        "close_versie": minutes.sign_minutes(meeting) if may_close else "",
        "may_close": may_close,
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
        item = submissions.once(request, "agendapunt", lambda: minutes.add_item(
            meeting, request.user, form.cleaned_data["title"], form.cleaned_data["description"]),
            url=lambda i: reverse("actieplan:meeting_detail", args=[meeting.pk]) + f"#punt-{i.pk}",
            extra=f"overleg-{meeting.pk}")
    except submissions.Repeat as repeat:
        messages.info(request, _("This agenda item had already been added; it is on the agenda once."))
        return redirect(repeat.earlier.url or reverse("actieplan:meeting_detail", args=[meeting.pk]))
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except ValidationError as error:
        form.add_error("title", error.messages)
        return _render_detail(request, meeting, {"item": form}, status=400)
    messages.success(request, _("Agenda item ‘%(title)s’ added.") % {"title": item.title})
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
    messages.success(request, _("‘%(title)s’ is on the agenda; add a note or decision to it.")
                     % {"title": action.title})
    return _back(meeting, f"punt-{item.pk}")


@login_required
@require_POST
def meeting_item_note(request, pk, item_pk):
    meeting = _managed_meeting(request.user, pk)
    item = _item_or_404(meeting, item_pk)
    form = NoteForm(request.POST, prefix=f"notitie-{item.pk}", item=item)
    if not form.is_valid():
        return _render_detail(request, meeting, {("note", item.pk): form}, status=400)
    status = request.POST.get("status") or None
    try:
        minutes.save_note(item, request.user, form.cleaned_data["notes"], status=status, form=form)
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except conflicts.EditConflict as error:
        # The other person's note is saved; this person's text stays in the form, to merge and save again.
        current = AgendaItem.objects.get(pk=item.pk)
        again = NoteForm(prefix=f"notitie-{item.pk}", item=current, initial=form.merged_initial(current))
        return _render_detail(request, meeting, {("note", item.pk): again, ("conflict", item.pk): error.conflict},
                              status=409)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render_detail(request, meeting, {("note", item.pk): form}, status=400)
    messages.success(request, _("Agenda item dealt with.") if status == AgendaItemStatus.AFGEHANDELD
                     else _("Note saved."))
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
    if created and following.series_id:
        messages.success(request, _("The next meeting of the series has been opened: %(when)s, with the "
                                    "fixed agenda items. ‘%(title)s’ is on its agenda.") % {"when": when, "title": item.title})
    elif created:
        messages.success(request, _("There was no next %(noun)s yet; it has been scheduled for %(when)s. "
                                    "‘%(title)s’ is on its agenda. Change the date and location if they are "
                                    "not right.")
                         % {"noun": meeting.kind_noun, "when": when, "title": item.title})
    else:
        messages.success(request, _("‘%(title)s’ has been carried over to the %(noun)s on %(when)s.")
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
        decision = submissions.once(request, "besluit", lambda: minutes.record_decision(
            item, request.user, form.cleaned_data["text"],
            action_fields=form.action_fields() if form.makes_action else None),
            url=lambda d: reverse("actieplan:meeting_detail", args=[meeting.pk]) + f"#punt-{item.pk}",
            extra=f"agendapunt-{item.pk}")
    except submissions.Repeat as repeat:
        messages.info(request, _("This decision had already been recorded; it appears once in the minutes."))
        return redirect(repeat.earlier.url or reverse("actieplan:meeting_detail", args=[meeting.pk]))
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except ValidationError as error:
        form.add_model_errors(error)
        return _render_detail(request, meeting, {("decision", item.pk): form}, status=400)
    if decision.action is not None:
        messages.success(request, _("Decision recorded and action ‘%(title)s’ created for %(owner)s.") % {
            "title": decision.action.title,
            "owner": person_name(decision.action.owner)})
    else:
        messages.success(request, _("Decision recorded without an action."))
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
        messages.success(request, _("The check-in is now going to %(n)s owners.") % {"n": queued})
    else:
        messages.info(request, _("Every owner with an email address has already received the check-in for "
                                 "this meeting; nobody gets it twice."))
    return _back(meeting, "check-in")


@login_required
@require_POST
def meeting_attendance(request, pk):
    meeting = _managed_meeting(request.user, pk)
    form = AttendanceForm(request.POST, people=minutes.attendance_people(meeting), recorded={}, prefix="aanwezig")
    if not form.is_valid():
        return _render_detail(request, meeting, {"attendance": form}, status=400)
    try:
        minutes.save_attendance(meeting, request.user, form.statuses())
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    messages.success(request, _("The attendance has been saved."))
    return _back(meeting, "aanwezigheid")


@login_required
@require_POST
def meeting_addendum(request, pk):
    meeting = _managed_meeting(request.user, pk)
    form = AddendumForm(request.POST, prefix="aanvulling")
    if not form.is_valid():
        return _render_detail(request, meeting, {"addendum": form}, status=400)
    try:
        minutes.add_addendum(meeting, request.user, form.cleaned_data["text"])
    except ValidationError as error:
        form.add_error("text", error.messages)
        return _render_detail(request, meeting, {"addendum": form}, status=400)
    receiving, _without = minutes.minutes_recipients(meeting)
    messages.success(request, _("The addendum has been added to the minutes and is being emailed to %(n)s people.") % {
        "n": len(receiving)})
    return _back(meeting, "aanvullingen")


def _close_confirmation(request, meeting, form, status=200, conflict=None):
    """What closing will do, before it is done: who gets the minutes, what moves on and where to (and, after a
    refused close, what changed in the minutes since they were opened)."""
    receiving, without = minutes.minutes_recipients(meeting)
    open_items = list(meeting.items.filter(status=AgendaItemStatus.OPEN, from_template=False).order_by("position", "pk"))
    following = meetings.next_meeting(meeting)
    next_day = None
    if following is None and meeting.series_id:
        after = max(timezone.localtime(meeting.starts_at).date(), timezone.localdate() - datetime.timedelta(days=1))
        next_day = minutes.next_occurrence_day(meeting.series, after)
    return TemplateResponse(request, template_names("actieplan/meetings/close.html"), {
        "meeting": meeting, "form": form, "receiving": receiving, "without": without, "open_items": open_items,
        "following": following, "next_day": next_day, "attendance": meeting.attendance_lists(),
        "figures": meetings.figures(meeting), "conflict": conflict,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_close(request, pk):
    """GET: the confirmation (who receives the minutes); POST with ``confirmed``: close and send them."""
    meeting = _managed_meeting(request.user, pk)
    if meeting.is_closed:
        return _refuse_closed(request, meeting)
    form = CloseForm(request.POST or None)
    if request.method == "GET" or not form.is_valid() or not form.cleaned_data.get("confirmed"):
        if timezone.localtime(meeting.starts_at).date() > timezone.localdate():
            messages.error(request, _("This meeting is not until %(day)s. You can close the minutes from the "
                                      "day of the meeting onwards.") % {"day": formats.date_format(timezone.localtime(meeting.starts_at),
                                                                                   "j F Y")})
            return _render_detail(request, meeting, status=409)
        # The question, with a form that answers it (also after a POST without the confirmation: an old page, a
        # double click). The minutes as the person closing saw them: as posted, from the meeting page's link, else
        # as they are now.
        posted = form.cleaned_data if form.is_bound and form.is_valid() else None
        seen = ((posted or {}).get("versie") or request.GET.get("versie", "")[:4000]
                or minutes.sign_minutes(meeting))
        carry = posted["carry_open"] if posted is not None else True
        return _close_confirmation(request, meeting, CloseForm(
            initial={"confirmed": True, "carry_open": carry, "versie": seen}))
    try:
        meeting, carried, following = minutes.close_meeting(meeting, request.user,
                                                            carry_open=form.cleaned_data.get("carry_open", False),
                                                            seen=form.cleaned_data.get("versie") or None)
    except minutes.MinutesClosed as error:
        return _refuse_closed(request, meeting, error)
    except conflicts.EditConflict as error:
        fresh = CloseForm(initial={"confirmed": True, "carry_open": form.cleaned_data.get("carry_open", False),
                                   "versie": minutes.sign_minutes(meeting)})
        return _close_confirmation(request, meeting, fresh, status=409, conflict=error.conflict)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _render_detail(request, meeting, status=409)
    text = _("The minutes have been closed and are being emailed to the invitees, with the new actions per owner.")
    if carried:
        text += " " + ngettext("%(n)s open agenda item is on the agenda of the %(noun)s on %(when)s.",
                               "%(n)s open agenda items are on the agenda of the %(noun)s on %(when)s.",
                               len(carried)) % {
            "n": len(carried), "noun": meeting.kind_noun,
            "when": formats.date_format(timezone.localtime(following.starts_at), "j F Y")}
    elif following is not None:
        text += " " + _("The next meeting of the series has been opened: %(when)s.") % {
            "when": formats.date_format(timezone.localtime(following.starts_at), "j F Y")}
    messages.success(request, text)
    return redirect("actieplan:meeting_minutes", pk=meeting.pk)


def _minutes_context(meeting):
    items = _items(meeting)
    for item in items:
        item.decision_list = list(item.decisions.all())
    return {
        "meeting": meeting,
        "attendance": meeting.attendance_lists(),
        "addenda": list(meeting.addenda.select_related("created_by")),
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
    html = without_emoji(render_to_string(template_names("actieplan/meetings/minutes_pdf.html"),
                                          _minutes_context(meeting), request=request))
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
        context["problem"] = _("This link has expired. Log in to update the progress of your actions.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=410)
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        context["problem"] = _("This link is not right (perhaps it was not copied completely). Log in to "
                               "update the progress of your actions.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=400)
    meeting = Meeting.objects.select_related("partnership").filter(pk=meeting_id).first()
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if meeting is None or person is None or not can_check_in(person, meeting):
        context["problem"] = _("This link no longer gives access to this meeting. Log in to see your actions.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=403)
    context.update({"meeting": meeting, "person": person, "moment": meeting_emails.meeting_moment(meeting)})
    try:
        minutes.ensure_checkin_possible(meeting)
    except minutes.CheckInRefused as error:
        context["problem"] = error.messages[0] + " " + _("Report your progress on the action page.")
        return TemplateResponse(request, template_names("actieplan/meetings/checkin.html"), context, status=410)
    actions = meeting_emails.open_actions_of(meeting, person)
    answers = dict(meeting.checkin_answers.filter(action__in=actions).values_list("action_id", "text"))
    form = CheckInForm(request.POST or None, actions=actions, answers=answers)
    if request.method == "POST" and form.is_valid():
        try:
            saved = submissions.once(request, "check-in", lambda: minutes.answer_checkin(meeting, person, form.answers()),
                                     extra=f"overleg-{meeting.pk}", user=person)
        except submissions.Repeat:
            saved = 0
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
    path("overleg/<int:pk>/aanwezigheid/", meeting_attendance, name="meeting_attendance"),
    path("overleg/<int:pk>/aanvulling/", meeting_addendum, name="meeting_addendum"),
    path("overleg/reeksen/nieuw/", series_create, name="series_create"),
    path("overleg/reeksen/<int:pk>/", series_detail, name="series_detail"),
    path("overleg/reeksen/<int:pk>/bewerken/", series_edit, name="series_edit"),
    path("overleg/reeksen/<int:pk>/volgend-overleg/", series_open_next, name="series_open_next"),
    path("overleg/<int:pk>/verslag/", meeting_minutes, name="meeting_minutes"),
    path("overleg/<int:pk>/verslag.pdf", meeting_minutes_pdf, name="meeting_minutes_pdf"),
]
