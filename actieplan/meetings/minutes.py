"""The one place where meetings change: planning, series, agenda items, notes, decisions, attendance, check-in
answers, closing and addenda.

Every function runs in a transaction, locks the meeting row, refuses to touch closed minutes
(:class:`MinutesClosed`, with a Dutch message that says why) and writes Wagtail's audit log.
Changes to actions go through ``actieplan.services`` like everywhere else: a decision becomes an
action through ``services.create_action`` (the same validation as the action form) and its
timeline starts with the decision; a check-in answer is a note through ``services.add_update``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.log_actions import log as audit_log

from actieplan import conflicts
from actieplan.meetings import agenda as meetings, emails as meeting_emails
from actieplan.reminders import scan as reminders
from actieplan.actions import services
from actieplan.meetings.models import (
    AgendaItem, AgendaItemStatus, Attendance, AttendanceStatus, CheckInAnswer, Decision, Meeting, MeetingSeries,
    MinutesAddendum,
)
from actieplan.reminders.models import ReminderKind
from actieplan.validators import one_line
from actieplan.formats import person_name
from actieplan.reminders.tasks import enqueue_on_commit

CLOSE_LOG_ACTION = "actieplan.overleg_afgesloten"
DECISION_LOG_ACTION = "actieplan.overleg_besluit"
NOTE_LOG_ACTION = "actieplan.overleg_notitie"
ITEM_LOG_ACTION = "actieplan.overleg_agendapunt"
CARRY_LOG_ACTION = "actieplan.overleg_doorgeschoven"
ADDENDUM_LOG_ACTION = "actieplan.overleg_aanvulling"
ATTENDANCE_LOG_ACTION = "actieplan.overleg_aanwezigheid"
CARRY_OVER_DAYS = 28


@hooks.register("register_log_actions")
def register_meeting_log_actions(actions):
    actions.register_action(CLOSE_LOG_ACTION, gettext_lazy("Minutes closed"),
                            gettext_lazy("Minutes closed and sent out"))
    actions.register_action(DECISION_LOG_ACTION, gettext_lazy("Decision recorded"),
                            gettext_lazy("Decision recorded in the minutes"))
    actions.register_action(NOTE_LOG_ACTION, gettext_lazy("Note saved"),
                            gettext_lazy("Note on an agenda item saved"))
    actions.register_action(ITEM_LOG_ACTION, gettext_lazy("Agenda item added"),
                            gettext_lazy("Agenda item added to the agenda"))
    actions.register_action(CARRY_LOG_ACTION, gettext_lazy("Agenda item carried over"),
                            gettext_lazy("Agenda item carried over to the next meeting"))
    actions.register_action(ADDENDUM_LOG_ACTION, gettext_lazy("Addition to the minutes"),
                            gettext_lazy("Addition to the minutes added and sent out"))
    actions.register_action(ATTENDANCE_LOG_ACTION, gettext_lazy("Attendance recorded"),
                            gettext_lazy("Attendance recorded"))


class MinutesClosed(ValidationError):
    """Closed minutes are the record everybody received; they are not edited afterwards."""


class CheckInRefused(ValidationError):
    """A check-in that makes no sense: the meeting has started, or its minutes are closed."""


def _log(instance, action, user, data=None):
    audit_log(instance=instance, action=action, user=user if getattr(user, "is_authenticated", False) else None,
              data=data or {})


def closed_message(meeting):
    return _("The minutes of this meeting were closed on %(day)s by %(name)s and sent out. They can no "
             "longer be changed, so that everyone keeps the same minutes. If something is not right, add an "
             "addition: it goes to the same people and is shown next to the minutes.") % {
        "day": formats.date_format(timezone.localtime(meeting.closed_at), "j F Y"),
        "name": meeting.closed_by_label}


def _locked_open(meeting):
    """The meeting row, locked for this transaction; refuses closed minutes."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.closed_at is not None:
        raise MinutesClosed(closed_message(locked))
    return locked


# --- planning --------------------------------------------------------------------------------------

@transaction.atomic
def save_meeting(user, form):
    """Create or change a meeting from a valid ``MeetingForm`` (or the admin's form); changing closed minutes is
    refused, and so is overwriting a change someone made since the form was opened (``EditConflict``)."""
    creating = form.instance.pk is None
    names = form.conflict_names() if isinstance(form, conflicts.ConflictCheckedForm) else []
    before = {}
    if not creating:
        locked = _locked_open(form.instance)
        if names:
            conflict = form.conflict(locked, current_user=user)
            if conflict:
                raise conflicts.EditConflict(conflict)
        before = conflicts.state(locked, names)
    meeting = form.save(commit=False)
    if creating and meeting.created_by_id is None and getattr(user, "is_authenticated", False):
        meeting.created_by = user
    meeting.save()
    form.save_m2m()
    after = conflicts.state(meeting, names)
    _log(meeting, "wagtail.create" if creating else "wagtail.edit", user,
         data={} if creating else {"changed_fields": [n for n in names if before.get(n) != after.get(n)]})
    return meeting


# --- agenda and minutes ----------------------------------------------------------------------------

def _next_position(meeting):
    return (meeting.items.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def add_item(meeting, user, title, description="", action=None):
    """A free agenda item (or one about ``action``) at the end of the agenda."""
    meeting = _locked_open(meeting)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the agenda item a title.")})
    if action is not None and action.partnership_id != meeting.partnership_id:
        raise ValidationError({"action": _("This action belongs to another partnership.")})
    item = AgendaItem.objects.create(meeting=meeting, title=title[:200], description=description.strip(),
                                     action=action, position=_next_position(meeting), created_by=user)
    _log(meeting, ITEM_LOG_ACTION, user, data={"item": item.pk, "title": item.title})
    return item


@transaction.atomic
def discuss_action(meeting, user, action):
    """Put an action from the plan on the agenda (once): its notes and decisions then have a place."""
    existing = meeting.items.filter(action=action, status=AgendaItemStatus.OPEN).first()
    if existing is not None:
        _locked_open(meeting)
        return existing
    return add_item(meeting, user, action.title, action=action)


def item_log_entries(item):
    """The audit-log entries about one agenda item (they are logged on its meeting), from a moment on."""
    return lambda since: conflicts.log_entries(item.meeting, since, item=item.pk)


@transaction.atomic
def save_note(item, user, notes, status=None, form=None):
    """The minutes of one agenda item, and optionally its new state (open or afgehandeld).

    With ``form`` (a ``NoteForm`` that carries the version it showed), a note or state someone else saved since
    the form was opened is not overwritten: ``EditConflict`` says what they wrote.
    """
    meeting = _locked_open(item.meeting)
    item = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    if item.status == AgendaItemStatus.DOORGESCHOVEN:
        raise ValidationError(_("This agenda item has been carried over to the next meeting; write the note there."))
    if form is not None:
        conflict = form.conflict(item, entries=item_log_entries(item), current_user=user)
        if conflict:
            raise conflicts.EditConflict(conflict)
    before = (item.notes, item.status)
    item.notes = (notes or "").strip()
    if status in (AgendaItemStatus.OPEN, AgendaItemStatus.AFGEHANDELD):
        item.status = status
    item.save(update_fields=["notes", "status"])
    changed = [name for name, old, new in (("notes", before[0], item.notes), ("status", before[1], item.status))
               if old != new]
    if changed:
        _log(meeting, NOTE_LOG_ACTION, user, data={"item": item.pk, "changed_fields": changed})
    return item


@transaction.atomic
def record_decision(item, user, text, action_fields=None):
    """A decision on ``item``: with ``action_fields`` it becomes an action on the spot, else a decision
    without action.

    ``action_fields`` are Action fields (title, owner, mandate_level, deadline, theme, …) validated by
    ``Action.full_clean`` inside ``services.create_action``: a ``ValidationError`` names the field and
    leaves nothing saved, neither the action nor the decision.
    """
    meeting = _locked_open(item.meeting)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write down what was decided.")})
    action = None
    if action_fields is not None:
        fields = dict(action_fields)
        fields.setdefault("title", one_line(text)[:200])
        fields.setdefault("description", text)
        fields["partnership"] = meeting.partnership
        fields["created_by"] = user if getattr(user, "is_authenticated", False) else None
        action = services.create_action(user, **fields)
        services.add_update(action, user, _("Agreed in the %(noun)s on %(day)s (agenda item ‘%(item)s’): "
                                            "%(text)s") % {
            "noun": meeting.kind_noun, "day": formats.date_format(timezone.localtime(meeting.starts_at), "j F Y"),
            "item": item.title, "text": text})
    decision = Decision.objects.create(item=item, text=text, action=action,
                                       agreed_deadline=action.deadline if action else None, created_by=user)
    _log(meeting, DECISION_LOG_ACTION, user, data={"decision": decision.pk, "action": action.pk if action else None,
                                                    "text": text})
    return decision


# --- series ---------------------------------------------------------------------------------------

def _add_template_items(meeting, series, user):
    position = _next_position(meeting)
    for offset, title in enumerate(series.template_items()):
        AgendaItem.objects.create(meeting=meeting, title=title, position=position + offset, created_by=user,
                                  from_template=True)


def open_occurrence(series, day, user):
    """The series' meeting on ``day``: made with the series' time, place, chair, invitees and template agenda."""
    existing = series.meetings.filter(starts_at__date=day).order_by("starts_at", "pk").first()
    if existing is not None:
        return existing, False
    meeting = Meeting.objects.create(
        partnership=series.partnership, kind=series.kind, series=series, starts_at=series.moment(day),
        duration_minutes=series.duration_minutes, location=series.location, chair=series.chair,
        created_by=user if getattr(user, "is_authenticated", False) else None)
    meeting.invited.set(series.invited.all())
    _add_template_items(meeting, series, user)
    _log(meeting, "wagtail.create", user, data={"series": series.pk})
    return meeting, True


def next_occurrence_day(series, after):
    """The series' first date after ``after`` (a date) that has no meeting yet, or None when the series ended."""
    taken = set(series.meetings.values_list("starts_at", flat=True))
    taken_days = {timezone.localtime(moment).date() for moment in taken}
    for day in series.next_dates(after, count=len(taken_days) + 1):
        if day not in taken_days:
            return day
    return None


@transaction.atomic
def open_next_in_series(series, user, after=None):
    """Open the series' next meeting: after its last meeting (or today), on the next date of its rule.

    Returns (meeting, created); (None, False) when the series has ended.
    """
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    last = series.meetings.order_by("-starts_at", "-pk").first()
    if after is None:
        after = max(timezone.localdate() - datetime.timedelta(days=1),
                    timezone.localtime(last.starts_at).date() if last else series.first_date - datetime.timedelta(days=1))
    day = next_occurrence_day(series, after)
    if day is None:
        return None, False
    return open_occurrence(series, day, user)


@transaction.atomic
def save_series(user, form):
    """Create or change a series from a valid ``MeetingSeriesForm``; a new series opens its first meeting.

    Returns (series, first meeting or None). Meetings already planned keep their own date, place and people.
    """
    creating = form.instance.pk is None
    series = form.save(commit=False)
    if creating and getattr(user, "is_authenticated", False):
        series.created_by = user
    series.save()
    form.save_m2m()
    _log(series, "wagtail.create" if creating else "wagtail.edit", user,
         data={} if creating else {"changed_fields": form.changed_data})
    first = None
    if creating:
        first, _created = open_next_in_series(series, user)
    return series, first


def _plan_next(meeting, user):
    """The next meeting: of the series (opened on its next date), else of the same kind, else a new one four
    weeks later with the same people and place."""
    following = meetings.next_meeting(meeting)
    if following is not None:
        return following, False
    if meeting.series_id:
        # Never in the past: minutes closed late open the series' next date from today on.
        after = max(timezone.localtime(meeting.starts_at).date(), timezone.localdate() - datetime.timedelta(days=1))
        day = next_occurrence_day(meeting.series, after)
        if day is not None:
            return open_occurrence(meeting.series, day, user)
    following = Meeting.objects.create(
        partnership=meeting.partnership, kind=meeting.kind,
        # On the local wall clock: a 9:00 meeting stays at 9:00 when the clocks change in between.
        starts_at=timezone.localtime(meeting.starts_at) + datetime.timedelta(days=CARRY_OVER_DAYS),
        duration_minutes=meeting.duration_minutes, location=meeting.location, chair=meeting.chair,
        created_by=user if getattr(user, "is_authenticated", False) else None)
    following.invited.set(meeting.invited.all())
    _log(following, "wagtail.create", user, data={"from_meeting": meeting.pk})
    return following, True


def _carry(item, following, user):
    new = AgendaItem.objects.create(meeting=following, title=item.title, description=item.description,
                                    action=item.action, carried_from=item, position=_next_position(following),
                                    created_by=user)
    item.status = AgendaItemStatus.DOORGESCHOVEN
    item.save(update_fields=["status"])
    return new


@transaction.atomic
def carry_over(item, user):
    """Move an unfinished item to the next meeting (planned four weeks on if there is none yet).

    The item stays in this meeting's minutes, marked as moved, with its notes and decisions; the new
    item points back to it. Returns (new item, whether the next meeting was created for it).
    """
    meeting = _locked_open(item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if item.status == AgendaItemStatus.DOORGESCHOVEN:
        return item.carried_to, False
    following, created = _plan_next(meeting, user)
    new = _carry(item, following, user)
    _log(meeting, CARRY_LOG_ACTION, user, data={"item": item.pk, "changed_fields": ["status"], "to": following.pk})
    return new, created


def minutes_recipients(meeting):
    """Who gets the minutes (and every addendum): the invited members, the chair and the owners of the actions
    made. Returns (people who get the mail, people without a usable address), each sorted by name."""
    people = {user.pk: user for user in meeting.invited.all()}
    if meeting.chair is not None:
        people[meeting.chair.pk] = meeting.chair
    for group in meetings.new_actions_by_owner(meeting):
        if group["owner"] is not None:
            people[group["owner"].pk] = group["owner"]
    ordered = sorted(people.values(), key=lambda u: (person_name(u).lower(), u.pk))
    return ([u for u in ordered if u.email and u.is_active], [u for u in ordered if not (u.email and u.is_active)])


def plan_minutes(meeting, kind=ReminderKind.MINUTES, period=None):
    """The minutes mail (or an addendum's, with its own ``period``) as rows for the reminder log."""
    receiving, _without = minutes_recipients(meeting)
    return [reminders.Planned(kind, period or meeting.reminder_period, user.pk, user.email)
            for user in sorted(receiving, key=lambda u: u.pk)]


def minutes_state(meeting):
    """What the minutes hold now, per agenda item (title, state, note, decisions): closing compares it with what
    the person closing saw, so nobody closes (and mails round) minutes they have not seen."""
    decisions = {}
    for item_id, decision_id in Decision.objects.filter(item__meeting=meeting).values_list("item_id", "pk"):
        decisions.setdefault(item_id, []).append(decision_id)
    return {str(item.pk): [item.title, item.status, item.notes, sorted(decisions.get(item.pk, []))]
            for item in meeting.items.all()}


def sign_minutes(meeting):
    return conflicts.sign_state(minutes_state(meeting))


def minutes_conflict(meeting, seen, user):
    """The changes to the minutes since ``seen`` (a signed :func:`minutes_state`), as a ``Conflict``."""
    read = conflicts.read(seen)
    conflict = conflicts.Conflict(subject=_("The minutes"))
    if read is None:
        return conflict
    before, opened_at = read
    now = minutes_state(meeting)
    entries = conflicts.log_entries(meeting, opened_at)
    titles = {str(item.pk): item.title for item in meeting.items.all()}
    for key in sorted(set(before) | set(now), key=lambda k: int(k)):
        if before.get(key) == now.get(key):
            continue
        mine = [e for e in entries if (e.data or {}).get("item") == int(key)] or entries
        who = conflicts.latest(mine, user)
        old, new = before.get(key), now.get(key)
        if old is None:
            what, after = _("new agenda item"), new[0]
        elif new is None:
            what, after = _("agenda item deleted"), old[0]
        else:
            parts = []
            if old[2] != new[2]:
                parts.append(_("note: %(text)s") % {"text": conflicts.display(AgendaItem, "notes", new[2])})
            if old[1] != new[1]:
                parts.append(_("state: %(state)s") % {"state": conflicts.display(AgendaItem, "status", new[1])})
            if old[3] != new[3]:
                parts.append(_("decisions: %(n)d") % {"n": len(new[3])})
            if old[0] != new[0]:
                parts.append(_("title: %(title)s") % {"title": new[0]})
            what, after = _("changed"), "; ".join(parts)
        conflict.changes.append(conflicts.Change(
            name=key, label=_("Agenda item ‘%(title)s’") % {"title": titles.get(key) or (old or new)[0]},
            before=what, after=after, by=who[0], at=who[1]))
    return conflict


@transaction.atomic
def close_meeting(meeting, user, carry_open=True, now=None, seen=None):
    """Close the minutes: freeze the agenda, move open items on, and send the minutes round (once).

    Refused before the day of the meeting, and (``EditConflict``) when the minutes changed since the page the
    person closes from was opened (``seen``: its :func:`sign_minutes`). Returns (meeting, carried items, next
    meeting or None).
    """
    now = now or timezone.now()
    meeting = _locked_open(meeting)
    if seen:
        conflict = minutes_conflict(meeting, seen, user)
        if conflict:
            raise conflicts.EditConflict(conflict)
    if timezone.localtime(meeting.starts_at).date() > timezone.localtime(now).date():
        raise ValidationError(_("This meeting is not until %(day)s. You can close the minutes from the day "
                                "of the meeting onwards.") % {"day": formats.date_format(timezone.localtime(meeting.starts_at),
                                                                             "j F Y")})
    meeting.agenda_snapshot = meetings.plan_agenda(meeting, now)
    carried, following = [], None
    if carry_open:
        for item in (meeting.items.filter(status=AgendaItemStatus.OPEN, from_template=False).select_for_update()
                     .order_by("position", "pk")):
            if following is None:
                following, _created = _plan_next(meeting, user)
            carried.append(_carry(item, following, user))
    if following is None and meeting.series_id:
        # A series goes on: its next meeting is opened now, with the template agenda, even with nothing carried.
        following, _created = _plan_next(meeting, user)
    meeting.closed_at = now
    meeting.closed_by = user if getattr(user, "is_authenticated", False) else None
    meeting.save(update_fields=["agenda_snapshot", "closed_at", "closed_by", "updated_at"])
    ids, _counts = reminders.record(plan_minutes(meeting))
    enqueue_on_commit(ids)
    _log(meeting, CLOSE_LOG_ACTION, user, data={"carried": [i.pk for i in carried]})
    return meeting, carried, following


# --- attendance and addenda -----------------------------------------------------------------------

def attendance_people(meeting):
    """Whose attendance the minutes record: the invitees and the chair, by name."""
    people = {user.pk: user for user in meeting.invited.all()}
    if meeting.chair is not None:
        people.setdefault(meeting.chair.pk, meeting.chair)
    return sorted(people.values(), key=lambda u: (person_name(u).lower(), u.pk))


@transaction.atomic
def save_attendance(meeting, user, statuses):
    """Record who was there: ``{person id: status}`` for the invitees and the chair; an empty status clears it.

    Part of the minutes, so closed minutes refuse it (an addendum says what was wrong).
    """
    meeting = _locked_open(meeting)
    allowed = {person.pk for person in attendance_people(meeting)}
    changed = 0
    for person_id, status in statuses.items():
        if person_id not in allowed:
            continue
        if status in AttendanceStatus.values:
            row, created = Attendance.objects.get_or_create(
                meeting=meeting, person_id=person_id,
                defaults={"status": status, "recorded_by": user if user.is_authenticated else None})
            if not created and row.status != status:
                row.status, row.recorded_by, row.recorded_at = status, user, timezone.now()
                row.save(update_fields=["status", "recorded_by", "recorded_at"])
            changed += 1
        else:
            changed += Attendance.objects.filter(meeting=meeting, person_id=person_id).delete()[0]
    _log(meeting, ATTENDANCE_LOG_ACTION, user, data={"statuses": {str(k): v for k, v in statuses.items()}})
    return changed


@transaction.atomic
def add_addendum(meeting, user, text):
    """A correction to closed minutes: kept beside them (they stay as sent) and mailed to the same people, once."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_closed:
        raise ValidationError({"text": _("The minutes have not been closed yet: edit the minutes themselves.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write down what should be added to or corrected in the minutes.")})
    addendum = MinutesAddendum(meeting=meeting, text=text, created_by=user if user.is_authenticated else None)
    addendum.full_clean(exclude=["meeting", "created_by"])
    addendum.save()
    ids, _counts = reminders.record(plan_minutes(meeting, ReminderKind.ADDENDUM, addendum.reminder_period))
    enqueue_on_commit(ids)
    _log(meeting, ADDENDUM_LOG_ACTION, user, data={"addendum": addendum.pk, "text": text})
    return addendum


# --- check-in --------------------------------------------------------------------------------------

def ensure_checkin_possible(meeting, now=None):
    now = now or timezone.now()
    if meeting.is_closed:
        raise CheckInRefused(_("The minutes of this meeting have already been closed; a check-in no longer makes sense."))
    if meeting.has_started(now):
        raise CheckInRefused(_("This meeting has already started (%(moment)s); a check-in is only possible before the meeting.")
                             % {"moment": formats.date_format(timezone.localtime(meeting.starts_at), "j F Y, H:i")})


@transaction.atomic
def send_checkin_now(meeting, user, now=None):
    """The check-in mails of one meeting now, instead of waiting for the scan; each owner still gets one."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_checkin_possible(meeting, now)
    ids, _counts = reminders.record(meeting_emails.plan_checkins(now, meetings=[meeting]))
    enqueue_on_commit(ids)
    return len(ids)


@transaction.atomic
def answer_checkin(meeting, user, answers, now=None):
    """Store an owner's one-line answers (``{action: text}``) and put each on the action's timeline.

    Only the owner's open actions in the meeting's partnership count; an empty line is no answer; a
    line that says the same as before changes nothing. Returns the number of answers saved.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    ensure_checkin_possible(meeting, now)
    saved = 0
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j F")
    for action, text in answers.items():
        text = " ".join((text or "").split())[:300]
        if not text or action.owner_id != user.pk or action.partnership_id != meeting.partnership_id:
            continue
        existing = CheckInAnswer.objects.filter(meeting=meeting, action=action).first()
        if existing is not None and existing.text == text:
            continue
        services.add_update(action, user, _("Check-in for the %(noun)s on %(day)s: %(text)s") % {
            "noun": meeting.kind_noun, "day": day, "text": text})
        if existing is None:
            CheckInAnswer.objects.create(meeting=meeting, action=action, author=user, text=text)
        else:
            existing.text, existing.author, existing.answered_at = text, user, timezone.now()
            existing.save(update_fields=["text", "author", "answered_at"])
        saved += 1
    return saved
