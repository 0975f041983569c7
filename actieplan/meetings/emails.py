"""The meeting mails (check-in before, minutes after) and the personal check-in link.

Both are rows in the reminder log (kinds ``overleg-checkin`` and ``overleg-verslag``, period
``overleg-<meeting id>``), sent by ``actieplan.reminders.emails.deliver`` like every reminder: exactly once
per meeting and person. :func:`register` (called from ``AppConfig.ready``) gives the log the check-in
planner, the message's content and the reason a row is no longer worth sending.

``overleg-checkin``: from ``LOB_CHECKIN_DAYS_BEFORE`` (default 3) days before a meeting until it starts, one
mail per owner of an open action in the meeting's partnership (not per action); no action, so once per
meeting and owner, whatever happens to the meeting's date. ``overleg-verslag`` (the minutes) uses the same
period and is decided when the minutes are closed (``actieplan.meetings.minutes``), not by the scan.

The check-in link works without logging in, like the update link in a reminder: it is signed
(``django.core.signing``) for one meeting and one person, serves only the check-in of that meeting,
and expires: after ``LOB_CHECKIN_DAYS_BEFORE`` + 1 days, and in any case once the meeting starts.
"""

import datetime
from collections import defaultdict

from django.core import signing
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actieplan.actions.models import Action
from actieplan.meetings.models import Meeting, MinutesAddendum
from actieplan.partnerships.models import Membership
from actieplan.reminders.models import ReminderKind
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.conf import app_settings
from actieplan.meetings import agenda
from actieplan.partnerships.permissions import can_check_in, can_view_meeting
from actieplan.reminders import kinds
from actieplan.reminders.emails import absolute
from actieplan.reminders.scan import Planned
from actieplan.validators import parse_id

CHECKIN_SALT = "actieplan.meeting-checkin-link"
MEETING_KINDS = (ReminderKind.CHECKIN, ReminderKind.MINUTES, ReminderKind.ADDENDUM)


def checkin_days_before():
    return int(app_settings.LOB_CHECKIN_DAYS_BEFORE)


def plan_checkins(now, meetings=None):
    """The check-in mails due at ``now``: per open meeting that starts within the check-in window, one per
    owner of an open action in its partnership who has a usable address (two queries).

    ``meetings``: only these (the "send now" button); they must not have started. Owners without an
    address get no row: the meeting page lists them, and the agenda shows they gave no answer.
    """
    if meetings is None:
        meetings = Meeting.objects.open().filter(
            starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=checkin_days_before()),
            partnership__archived=False)
    meetings = [m for m in meetings if m.closed_at is None and m.starts_at > now]
    if not meetings:
        return []
    owners = defaultdict(dict)
    for partnership_id, owner_id, email, active in (
            Action.objects.filter(partnership_id__in={m.partnership_id for m in meetings}, status__in=ACTIVE_STATUSES)
            # Owners who are still members: someone who left keeps no check-in, whatever they still own.
            .filter(Exists(Membership.objects.filter(user_id=OuterRef("owner_id"),
                                                     partnership_id=OuterRef("partnership_id"))))
            .values_list("partnership_id", "owner_id", "owner__email", "owner__is_active").order_by().distinct()):
        if email and active:
            owners[partnership_id][owner_id] = email
    return [Planned(ReminderKind.CHECKIN, meeting.reminder_period, owner_id, email)
            for meeting in sorted(meetings, key=lambda m: m.pk)
            for owner_id, email in sorted(owners[meeting.partnership_id].items())]


def register():
    """Send the check-in and minutes mails through the reminder log (called from ``AppConfig.ready``)."""
    kinds.register(ReminderKind.CHECKIN, message=meeting_message, why_not=why_not, plan=plan_checkins)
    kinds.register(ReminderKind.MINUTES, message=meeting_message, why_not=why_not)
    kinds.register(ReminderKind.ADDENDUM, message=meeting_message, why_not=why_not)


def checkin_link_max_age():
    return datetime.timedelta(days=checkin_days_before() + 1)


def make_checkin_token(meeting, user):
    return signing.dumps({"m": meeting.pk, "u": user.pk}, salt=CHECKIN_SALT)


def read_checkin_token(token):
    """(meeting_id, user_id) from a valid token; raises signing.SignatureExpired / BadSignature."""
    data = signing.loads(token, salt=CHECKIN_SALT, max_age=checkin_link_max_age())
    return int(data["m"]), int(data["u"])


def checkin_url(meeting, user):
    return absolute(reverse("actieplan:meeting_checkin", args=[make_checkin_token(meeting, user)]))


def meeting_url(meeting):
    return absolute(reverse("actieplan:meeting_detail", args=[meeting.pk]))


def meeting_moment(meeting):
    """'dinsdag 10 maart 2026 om 14:00' in the site's time zone."""
    local = timezone.localtime(meeting.starts_at)
    return _("%(day)s at %(time)s") % {"day": formats.date_format(local, "l j F Y"),
                                       "time": formats.time_format(local, "H:i")}


def meeting_of(reminder):
    pk = Meeting.pk_from_period(reminder.period)
    if pk is None:
        return None
    return Meeting.objects.select_related("partnership", "chair").filter(pk=pk).first()


def addendum_of(reminder):
    """The addendum an ``overleg-aanvulling`` row is about (period ``overleg-<meeting>-<addendum>``), or None."""
    _meeting, _sep, number = reminder.period.rpartition("-")
    return MinutesAddendum.objects.filter(pk=parse_id(number)).select_related("created_by").first()


def open_actions_of(meeting, user):
    return list(Action.objects.filter(partnership_id=meeting.partnership_id, owner=user, status__in=ACTIVE_STATUSES)
                .select_related("theme").order_by("deadline", "pk"))


def why_not(reminder, now=None):
    """A reason not to send a meeting mail any more, or ''."""
    now = now or timezone.now()
    meeting = meeting_of(reminder)
    if meeting is None:
        return "Het overleg bestaat niet meer."
    recipient = reminder.recipient
    if reminder.kind == ReminderKind.ADDENDUM:
        if addendum_of(reminder) is None:
            return "De aanvulling bestaat niet meer."
        if recipient is None or not can_view_meeting(recipient, meeting):
            return "Niet meer nodig: de ontvanger mag dit overleg niet (meer) lezen."
        return ""
    if reminder.kind == ReminderKind.CHECKIN:
        if recipient is None or not can_check_in(recipient, meeting):
            return "Niet meer nodig: de ontvanger is geen lid meer van dit samenwerkingsverband."
        if meeting.is_closed:
            return "Niet meer nodig: het verslag van het overleg is al afgesloten."
        if meeting.has_started(now):
            return "Niet meer nodig: het overleg is al begonnen."
        if not open_actions_of(meeting, reminder.recipient):
            return "Niet meer nodig: de ontvanger heeft geen open acties meer in dit samenwerkingsverband."
    elif not meeting.is_closed:
        return "Het verslag van dit overleg is niet afgesloten."
    elif recipient is None or not can_view_meeting(recipient, meeting):
        return "Niet meer nodig: de ontvanger mag dit overleg niet (meer) lezen."
    return ""


def meeting_message(reminder, now=None):
    """(subject, template name without extension, context) of a check-in or minutes mail."""
    meeting = meeting_of(reminder)
    user = reminder.recipient
    context = {"meeting": meeting, "meeting_moment": meeting_moment(meeting), "meeting_url": meeting_url(meeting),
               "kind_noun": meeting.kind_noun}
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j F")
    if reminder.kind == ReminderKind.CHECKIN:
        actions = open_actions_of(meeting, user)
        for action in actions:
            action.latest_note = action.updates.order_by("-created_at", "-pk").first()
        context.update({
            "actions": actions,
            "checkin_url": checkin_url(meeting, user),
            "link_days": checkin_link_max_age().days,
        })
        subject = _("Check-in for the %(noun)s on %(day)s: how are your actions doing?") % {
            "noun": meeting.kind_noun, "day": day}
        return subject, "actieplan/meetings/email/checkin", context
    minutes_url = absolute(reverse("actieplan:meeting_minutes", args=[meeting.pk]))
    if reminder.kind == ReminderKind.ADDENDUM:
        addendum = addendum_of(reminder)
        context.update({"addendum": addendum, "minutes_url": minutes_url,
                        "pdf_url": absolute(reverse("actieplan:meeting_minutes_pdf", args=[meeting.pk]))})
        subject = _("Addition to the minutes of the %(noun)s on %(day)s") % {"noun": meeting.kind_noun, "day": day}
        return subject, "actieplan/meetings/email/addendum", context
    groups = agenda.new_actions_by_owner(meeting)
    context.update({
        "figures": agenda.figures(meeting),
        "groups": groups,
        "own_actions": next((g["actions"] for g in groups if g["owner"] is not None and g["owner"].pk == user.pk), []),
        "items": list(meeting.items.prefetch_related("decisions__action").order_by("position", "pk")),
        "minutes_url": absolute(reverse("actieplan:meeting_minutes", args=[meeting.pk])),
        "pdf_url": absolute(reverse("actieplan:meeting_minutes_pdf", args=[meeting.pk])),
    })
    subject = _("Minutes of the %(noun)s on %(day)s") % {"noun": meeting.kind_noun, "day": day}
    return subject, "actieplan/meetings/email/minutes", context
