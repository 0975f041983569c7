"""What a meeting reads from the plan: the agenda "sinds vorige keer", the check-in and the meeting's figures.

The agenda writes itself from the partnership's actions, between the previous meeting of the same
kind (or four weeks back when there is none) and now:

- **afgerond**: completed since then;
- **nieuw verlopen**: still to do, and the deadline passed since then;
- **geblokkeerd**: blocked now;
- **uitgesteld**: a note since then moved the deadline later (``ActionUpdate.is_postponement``);
- **geen notitie**: still to do, existed already then, and nobody wrote a note since.

An action stands on the agenda once: in the first of these sections that applies, with every reason
that applies (a blocked action that also got no note says both). Each line carries the owner's check-in answer for
this meeting, or "geen antwoord" when the owner was asked and did not answer. Once the minutes are
closed the agenda is frozen (``Meeting.agenda_snapshot``): the closed minutes show the plan as it
stood then, not as it stands today.

The figures of a meeting (decisions, actions made, done, done on time, its praatclub index) come
from :func:`figures_for`, one aggregate over the meeting's decisions, shared by the pages, the PDF,
the minutes mail and the tests.
"""

import copy
import datetime
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actieplan.actions.counts import percent
from actieplan.actions.models import Action, ActionStatus, ActionUpdate, done_on_time_q, done_q, overdue_q
from actieplan.meetings.models import CheckInAnswer, Decision, Meeting
from actieplan.reminders.models import Reminder, ReminderKind
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.formats import day_label, deadline_change_label, person_name

#: Without an earlier meeting of the same kind, the agenda looks this far back.
DEFAULT_LOOKBACK_DAYS = 28

#: The agenda's plan sections, in the order the meeting goes through them.
SECTIONS = OrderedDict([
    ("completed", {"heading": _("Done since last time"),
                   "empty": _("No action has been completed since last time.")}),
    ("overdue", {"heading": _("Newly overdue"),
                 "empty": _("No deadline has passed since last time.")}),
    ("blocked", {"heading": _("Blocked"),
                 "empty": _("No action is blocked.")}),
    ("postponed", {"heading": _("Postponed"),
                   "empty": _("No deadline has been moved since last time.")}),
    ("silent", {"heading": _("No note since last time"),
                "empty": _("Something has been noted for every ongoing action since last time.")}),
])


#: Why an action is on the agenda, in a few words (one per section).
REASONS = {
    "completed": _("done"),
    "overdue": _("newly overdue"),
    "blocked": _("blocked"),
    "postponed": _("postponed"),
    "silent": _("no note since last time"),
}


def _same_line(meeting):
    """Meetings that follow one another: those of the same series, or else of the same kind."""
    if meeting.series_id:
        return Q(series_id=meeting.series_id)
    return Q(kind=meeting.kind)


def previous_meeting(meeting):
    """The last meeting before this one of the same series (a series' first meeting: of the same kind), or None."""
    earlier = (Meeting.objects.filter(partnership_id=meeting.partnership_id, starts_at__lt=meeting.starts_at)
               .exclude(pk=meeting.pk).order_by("-starts_at", "-pk"))
    found = earlier.filter(_same_line(meeting)).first()
    if found is None and meeting.series_id:
        found = earlier.filter(kind=meeting.kind).first()
    return found


def next_meeting(meeting):
    """The first open meeting after this one of the same series (or, outside a series, of the same kind), or None."""
    return (Meeting.objects.open().filter(_same_line(meeting), partnership_id=meeting.partnership_id,
                                          starts_at__gt=meeting.starts_at).exclude(pk=meeting.pk)
            .order_by("starts_at", "pk").first())


def since_moment(meeting, previous=None):
    """Where "sinds vorige keer" starts: the previous meeting's start, or four weeks before this one."""
    previous = previous if previous is not None else previous_meeting(meeting)
    if previous is not None:
        return previous.starts_at
    return meeting.starts_at - datetime.timedelta(days=DEFAULT_LOOKBACK_DAYS)


def section_querysets(partnership_id, since, now):
    """The five sections as querysets of actions (postponed: of actions with a postponing note)."""
    today = timezone.localtime(now).date()
    since_day = timezone.localtime(since).date()
    actions = Action.objects.filter(partnership_id=partnership_id)
    postponing = ActionUpdate.objects.filter(
        action=OuterRef("pk"), previous_deadline__isnull=False, new_deadline__gt=F("previous_deadline"),
        created_at__gte=since, created_at__lt=now)
    noted = ActionUpdate.objects.filter(action=OuterRef("pk"), created_at__gte=since)
    return {
        "completed": actions.filter(status=ActionStatus.AFGEROND, completed_at__gte=since, completed_at__lt=now),
        "overdue": actions.filter(overdue_q(today), deadline__gte=since_day),
        "blocked": actions.filter(status=ActionStatus.GEBLOKKEERD),
        "postponed": actions.filter(Exists(postponing)),
        "silent": actions.filter(status__in=ACTIVE_STATUSES, created_at__lt=since).exclude(Exists(noted)),
    }


SECTION_ORDER = {
    "completed": ("completed_at", "pk"),
    "overdue": ("deadline", "pk"),
    "blocked": ("deadline", "pk"),
    "postponed": ("deadline", "pk"),
    "silent": ("deadline", "pk"),
}


def checkin_state(meeting):
    """(answers by action id, ids of the owners the check-in mail went to) for ``meeting``."""
    answers = {a.action_id: a for a in CheckInAnswer.objects.filter(meeting=meeting)}
    asked = set(Reminder.objects.filter(kind=ReminderKind.CHECKIN, period=meeting.reminder_period,
                                        sent_at__isnull=False).values_list("recipient_id", flat=True))
    return answers, asked


def _line(action, answers, asked, detail=""):
    answer = answers.get(action.pk)
    return {
        "action_id": action.pk,
        "title": action.title,
        "owner": person_name(action.owner),
        "owner_id": action.owner_id,
        "deadline": action.deadline.isoformat(),
        "status": action.status,
        "status_label": str(action.get_status_display()),
        "detail": str(detail),
        "checkin": answer.text if answer else "",
        # Only open actions were in the check-in: a finished one is not "geen antwoord".
        "asked": action.owner_id in asked and action.status in ACTIVE_STATUSES,
    }


def _postponement_details(partnership_id, since, now):
    """Per action the text of its postponements since ``since``: old → new deadline and the reason."""
    details = {}
    updates = (ActionUpdate.objects.filter(action__partnership_id=partnership_id, previous_deadline__isnull=False,
                                           new_deadline__gt=F("previous_deadline"), created_at__gte=since,
                                           created_at__lt=now)
               .order_by("created_at", "pk"))
    for update in updates:
        details.setdefault(update.action_id, []).append(
            _("%(change)s: %(reason)s") % {
                "change": deadline_change_label(update.previous_deadline, update.new_deadline),
                "reason": update.note})
    return {pk: "; ".join(str(text) for text in texts) for pk, texts in details.items()}


def _detail(key, action, today, postponements):
    if key == "completed":
        return _("done on %(day)s") % {"day": day_label(timezone.localtime(action.completed_at).date())}
    if key == "overdue":
        days = (today - action.deadline).days
        return _("1 day past the deadline") if days == 1 else _("%(n)s days past the deadline") % {"n": days}
    if key == "postponed":
        return postponements.get(action.pk, "")
    return ""


def previous_decisions(previous):
    """The decisions of the previous meeting, each with where its action stands now."""
    if previous is None:
        return []
    lines = []
    for decision in (Decision.objects.filter(item__meeting=previous)
                     .select_related("action__owner", "item").order_by("item__position", "item__pk", "pk")):
        action = decision.action
        lines.append({
            "text": decision.text,
            "item": decision.item.title,
            "action_id": action.pk if action else None,
            "title": action.title if action else "",
            "owner": person_name(action.owner) if action else "",
            "deadline": action.deadline.isoformat() if action else "",
            "status": action.status if action else "",
            "status_label": str(action.get_status_display()) if action else "",
        })
    return lines


def plan_agenda(meeting, now=None):
    """The agenda's part from the plan, as plain data (the same shape as the frozen snapshot)."""
    now = now or timezone.now()
    previous = previous_meeting(meeting)
    since = since_moment(meeting, previous)
    today = timezone.localtime(now).date()
    answers, asked = checkin_state(meeting)
    postponements = _postponement_details(meeting.partnership_id, since, now)
    sections, lines = [], {}
    for key, queryset in section_querysets(meeting.partnership_id, since, now).items():
        actions = queryset.select_related("owner").order_by(*SECTION_ORDER[key])
        section = {"key": key, "heading": str(SECTIONS[key]["heading"]), "empty": str(SECTIONS[key]["empty"]),
                   "lines": []}
        for action in actions:
            detail = _detail(key, action, today, postponements)
            reason = {"key": key, "label": str(REASONS[key]), "detail": str(detail)}
            if action.pk in lines:  # on the agenda once, under its first section, with every reason
                lines[action.pk]["reasons"].append(reason)
                continue
            line = _line(action, answers, asked, detail)
            line["reasons"] = [reason]
            lines[action.pk] = line
            section["lines"].append(line)
        sections.append(section)
    return {
        "since": since.isoformat(),
        "computed_at": now.isoformat(),
        "previous": {"id": previous.pk, "title": str(previous)} if previous else None,
        "previous_decisions": previous_decisions(previous),
        "sections": sections,
    }


def reason_text(reason):
    """"nieuw verlopen: 5 dagen over de deadline"; a detail that starts with the label stands alone
    ("afgerond op 18 november 2026")."""
    label, detail = str(reason.get("label", "")), str(reason.get("detail", ""))
    if not detail:
        return label
    return detail if detail.startswith(label) else f"{label}: {detail}"


def once_per_action(sections):
    """``sections`` with each action once, under its first section, with all its reasons.

    The agenda is built that way; minutes frozen before it was (whose sections could list one action several
    times) are shown the same way.
    """
    seen, merged = {}, []
    for section in sections:
        kept = []
        for line in section["lines"]:
            reasons = line.get("reasons") or [{"key": section["key"], "label": str(REASONS.get(section["key"], "")),
                                               "detail": line.get("detail", "")}]
            if line["action_id"] in seen:
                known = seen[line["action_id"]]["reasons"]
                known.extend(r for r in reasons if r["key"] not in {k["key"] for k in known})
                continue
            line = {**line, "reasons": list(reasons)}
            seen[line["action_id"]] = line
            kept.append(line)
        merged.append({**section, "lines": kept})
    for section in merged:
        for line in section["lines"]:
            line["reasons"] = [{**reason, "text": reason_text(reason)} for reason in line["reasons"]]
    return merged


def agenda_for_display(meeting, now=None):
    """The live agenda of an open meeting, or the frozen one of closed minutes, with links filled in."""
    if meeting.is_closed and meeting.agenda_snapshot:
        agenda = copy.deepcopy(meeting.agenda_snapshot)
        frozen = True
    elif meeting.is_closed:
        return None  # closed before agendas were frozen (demo history): the minutes are the items
    else:
        agenda = plan_agenda(meeting, now)
        frozen = False
    agenda = {**agenda, "frozen": frozen, "since": datetime.datetime.fromisoformat(agenda["since"]),
              "sections": once_per_action(agenda["sections"])}
    for section in agenda["sections"]:
        for line in section["lines"]:
            line["url"] = reverse("actieplan:action_detail", args=[line["action_id"]])
            line["deadline_date"] = datetime.date.fromisoformat(line["deadline"])
    for line in agenda["previous_decisions"]:
        line["url"] = reverse("actieplan:action_detail", args=[line["action_id"]]) if line["action_id"] else ""
        line["deadline_date"] = datetime.date.fromisoformat(line["deadline"]) if line["deadline"] else None
    return agenda


def checkin_overview(meeting):
    """Per owner of an open action: whether the check-in went out, and their answer per action."""
    answers, asked = checkin_state(meeting)
    pending = set(Reminder.objects.filter(kind=ReminderKind.CHECKIN, period=meeting.reminder_period,
                                          sent_at__isnull=True, cancelled_at__isnull=True)
                  .values_list("recipient_id", flat=True))
    owners = OrderedDict()
    actions = (Action.objects.filter(partnership_id=meeting.partnership_id, status__in=ACTIVE_STATUSES)
               .select_related("owner").order_by("owner__first_name", "owner__last_name", "owner_id", "deadline"))
    for action in actions:
        owner = owners.setdefault(action.owner_id, {
            "name": person_name(action.owner),
            "state": ("asked" if action.owner_id in asked else "waiting" if action.owner_id in pending
                      else "no-email" if not (action.owner.email and action.owner.is_active) else "not-asked"),
            "lines": [],
        })
        answer = answers.get(action.pk)
        owner["lines"].append({"action_id": action.pk, "title": action.title,
                               "url": reverse("actieplan:action_detail", args=[action.pk]),
                               "checkin": answer.text if answer else ""})
    people = list(owners.values())
    return {
        "people": people,
        "asked": sum(1 for p in people if p["state"] == "asked"),
        "answered": sum(1 for p in people if p["state"] == "asked" and any(line["checkin"] for line in p["lines"])),
        "answers": sum(1 for p in people for line in p["lines"] if line["checkin"]),
    }


# --- figures -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingFigures:
    """What came out of a meeting, and how it went since.

    ``assessable``: the actions from this meeting whose agreed deadline has passed, or that are done
    already; ``index``: of those, the share done by the deadline agreed in the meeting (the
    meeting's praatclub index), None while nothing can be assessed yet.
    """

    decisions: int
    without_action: int
    actions: int
    done: int
    done_on_time: int
    overdue: int
    assessable: int

    @property
    def index(self):
        return self.done_on_time / self.assessable if self.assessable else None

    @property
    def index_percent(self):
        return percent(self.done_on_time, self.assessable)


def _figure_expressions(today):
    done = done_q(prefix="action__")
    return {
        "decisions": Count("pk"),
        "without_action": Count("pk", filter=Q(action__isnull=True)),
        "actions": Count("action"),
        "done": Count("pk", filter=done),
        "done_on_time": Count("pk", filter=done_on_time_q(prefix="action__")),
        "overdue": Count("pk", filter=overdue_q(today, prefix="action__")),
        "assessable": Count("pk", filter=Q(action__isnull=False) & (Q(agreed_deadline__lt=today) | done)),
    }


def figures_for(meetings, today=None):
    """``{meeting id: MeetingFigures}`` for ``meetings`` (ids or objects), in one aggregate query."""
    today = today or timezone.localdate()
    ids = [getattr(m, "pk", m) for m in meetings]
    empty = dict.fromkeys(_figure_expressions(today), 0)
    figures = {pk: MeetingFigures(**empty) for pk in ids}
    rows = (Decision.objects.filter(item__meeting_id__in=ids).order_by().values("item__meeting_id")
            .annotate(**_figure_expressions(today)))
    for row in rows:
        pk = row.pop("item__meeting_id")
        figures[pk] = MeetingFigures(**row)
    return figures


def figures(meeting, today=None):
    """The :class:`MeetingFigures` of one meeting."""
    return figures_for([meeting], today)[meeting.pk]


def series_figures(series_ids, today=None):
    """``{series id: MeetingFigures}``: the same figures over all meetings of each series (its praatclub index),
    in one aggregate query."""
    today = today or timezone.localdate()
    empty = dict.fromkeys(_figure_expressions(today), 0)
    result = {pk: MeetingFigures(**empty) for pk in series_ids}
    rows = (Decision.objects.filter(item__meeting__series_id__in=series_ids).order_by()
            .values("item__meeting__series_id").annotate(**_figure_expressions(today)))
    for row in rows:
        pk = row.pop("item__meeting__series_id")
        result[pk] = MeetingFigures(**row)
    return result


def new_actions_by_owner(meeting):
    """The actions decided in ``meeting``, grouped per owner (for the minutes page, PDF and mail)."""
    groups = OrderedDict()
    decisions = (Decision.objects.filter(item__meeting=meeting, action__isnull=False)
                 .select_related("action__owner", "action__theme")
                 .order_by("action__owner__first_name", "action__owner__last_name", "action__owner_id",
                           "action__deadline"))
    for decision in decisions:
        action = decision.action
        group = groups.setdefault(action.owner_id, {"owner": action.owner, "name": person_name(action.owner),
                                                    "actions": []})
        group["actions"].append(action)
    return list(groups.values())
