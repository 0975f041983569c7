"""The mails about what people follow, sent through the reminder log.

``gevolgd``: one mail per change and follower who chose "direct" (period ``wijziging-<change id>``), decided when
the change is saved (``following.changes``) and sent by ``reminders.emails.deliver`` like every reminder, so a
retry, a second worker or a crash sends it at most once. At the moment of sending it is dropped when the person no
longer follows it, may no longer read it, or chose another way of hearing.

The weekly digest gets a section "Wat er veranderde in wat je volgt" for those who chose "in het weekoverzicht":
one line per change of the week before the digest (from Monday 07:00 to Monday 07:00, so every change falls in
exactly one digest), leaving out changes already sent to them at once (a change of mind during the week).
"""

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actieplan.following import rules
from actieplan.following.models import MAILED_KINDS, Change, ChangeKind, Follow, FollowerSettings, MailChoice
from actieplan.formats import person_name
from actieplan.reminders import kinds
from actieplan.reminders.emails import absolute
from actieplan.reminders.models import Reminder, ReminderKind
from actieplan.reminders.scan import digest_start


def change_of(reminder):
    pk = Change.pk_from_period(reminder.period)
    if pk is None:
        return None
    return (Change.objects.select_related("action__partnership", "action__owner", "update", "meeting__partnership",
                                          "page", "actor", "person").filter(pk=pk).first())


def change_path(change):
    """Where a change is shown: the note on the action's timeline, the meeting or its minutes, the proeftuin."""
    try:
        if change.action_id:
            path = reverse("actieplan:action_detail", args=[change.action_id])
            return f"{path}#notitie-{change.update_id}" if change.update_id else path
        if change.meeting_id:
            name = "actieplan:meeting_minutes" if change.kind == ChangeKind.MINUTES else "actieplan:meeting_detail"
            return reverse(name, args=[change.meeting_id])
    except NoReverseMatch:
        return ""
    return change.page.url if change.page_id and change.page else ""


def subject_title(change):
    """The title of what changed: an action, a meeting or a proeftuin."""
    if change.action_id:
        return change.action.title
    if change.meeting_id:
        return str(change.meeting)
    return change.page.title if change.page else ""


def headline(change):
    """One sentence that says what happened ("Otto Eigenaar zette de status op geblokkeerd.")."""
    who = person_name(change.actor) if change.actor_id else _("Someone")
    update = change.update
    if change.kind == ChangeKind.NOTE:
        return _("%(who)s wrote a progress note.") % {"who": who}
    if change.kind in (ChangeKind.STATUS, ChangeKind.CLOSED):
        return _("%(who)s set the status to %(status)s.") % {"who": who,
                                                               "status": update.get_new_status_display()}
    if change.kind == ChangeKind.DEADLINE:
        return _("%(who)s moved the deadline from %(old)s to %(new)s.") % {
            "who": who, "old": formats.date_format(update.previous_deadline, "j F Y"),
            "new": formats.date_format(update.new_deadline, "j F Y")}
    if change.kind == ChangeKind.ASSIGNED:
        return _("%(person)s is now the owner.") % {"person": person_name(change.person)}
    if change.kind == ChangeKind.PLANNED:
        return _("Scheduled for %(moment)s.") % {"moment": _moment(change.meeting.starts_at)}
    if change.kind == ChangeKind.MOVED:
        return _("Moved from %(old)s to %(new)s.") % {"old": _moment(change.previous_moment),
                                                            "new": _moment(change.meeting.starts_at)}
    if change.kind == ChangeKind.MINUTES:
        return _("%(who)s closed the minutes and sent them out.") % {"who": who}
    return _("%(who)s published a new version.") % {"who": who}


def _moment(value):
    return formats.date_format(timezone.localtime(value), "l j F Y, H:i") if value else "–"


def why_not(reminder, now=None):
    """A reason not to send a ``gevolgd`` mail any more, or ''."""
    change = change_of(reminder)
    user = reminder.recipient
    if change is None:
        return "De wijziging bestaat niet meer."
    if user is None:
        return "De ontvanger bestaat niet meer."
    if not rules.followers(change).filter(user=user).exists():
        return "Niet meer nodig: de ontvanger volgt dit niet meer."
    if rules.mail_choice(user) != MailChoice.IMMEDIATE:
        return "Niet meer nodig: de ontvanger wil hierover geen e-mail per wijziging meer."
    if not rules.may_read(user, action=change.action, meeting=change.meeting, page=change.page):
        return "Niet meer nodig: de ontvanger mag dit niet meer lezen."
    return ""


def message(reminder, now=None):
    """(subject, template name without extension, context) of one ``gevolgd`` mail."""
    change = change_of(reminder)
    title = subject_title(change)
    context = {
        "change": change,
        "title": title,
        "headline": headline(change),
        "update": change.update,
        "change_url": absolute(change_path(change)),
        "settings_url": absolute(reverse("actieplan:follow_settings")),
        "since_url": absolute(reverse("actieplan:since")),
        "what": _what(change),
    }
    subject = _("%(what)s ‘%(title)s’: %(kind)s") % {"what": context["what"], "title": title,
                                                     "kind": change.get_kind_display()}
    return subject, "actieplan/following/email/change", context


def _what(change):
    if change.action_id:
        return _("Action")
    if change.meeting_id:
        return _("Meeting")
    return _("Pilot project")


# --- the weekly digest ------------------------------------------------------------------------------------

def digest_window(now):
    """The week a digest at ``now`` reports: from the previous digest's Monday 07:00 to this one's."""
    end = digest_start(now)
    return end - datetime.timedelta(days=7), end


def digest_changes(user, now):
    """The changes of the digest's week in what ``user`` follows, for a person who chose the weekly digest: not
    their own, readable, not told by another mail, and not already sent to them at once."""
    start, end = digest_window(now)
    changes = (Change.objects.filter(created_at__gte=start, created_at__lt=end, kind__in=MAILED_KINDS)
               .filter(rules.mine(user), rules.readable_changes(user)).exclude(actor_id=user.pk)
               .select_related("action__owner", "update", "meeting", "page", "actor", "person")
               .order_by("created_at", "pk"))
    sent = set(Reminder.objects.filter(kind=ReminderKind.FOLLOWED, recipient=user, sent_at__isnull=False)
               .values_list("period", flat=True))
    followed = Follow.objects.filter(user=user)
    followed = ({("action", pk) for pk in followed.values_list("action_id", flat=True) if pk}
                | {("meeting", pk) for pk in followed.values_list("meeting_id", flat=True) if pk}
                | {("page", pk) for pk in followed.values_list("page_id", flat=True) if pk})
    lines = []
    for change in changes:
        target = (("action", change.action_id) if change.action_id else ("meeting", change.meeting_id)
                  if change.meeting_id else ("page", change.page_id))
        if target not in followed or change.period in sent or rules.creation_note(change):
            continue
        if user.pk in rules.told_elsewhere(change):
            continue
        lines.append({"change": change, "title": subject_title(change), "headline": headline(change),
                      "url": absolute(change_path(change))})
    return lines


def _weekly_people():
    return FollowerSettings.objects.filter(mail=MailChoice.WEEKLY, user__is_active=True).exclude(user__email="")


def digest_recipients(now):
    """Who gets a digest for what they follow: those who chose it and have at least one line this week."""
    start, end = digest_window(now)
    people = {}
    active = Change.objects.filter(created_at__gte=start, created_at__lt=end, kind__in=MAILED_KINDS)
    candidates = _weekly_people().filter(user__lob_follows__isnull=False).select_related("user").distinct()
    for settings in candidates:
        if not active.exists():
            break
        if digest_changes(settings.user, now):
            people[settings.user_id] = settings.user.email
    return people


def digest_section(user, now):
    if rules.mail_choice(user) != MailChoice.WEEKLY:
        return None
    lines = digest_changes(user, now)
    if not lines:
        return None
    return {"template": "actieplan/following/email/digest_section", "lines": lines,
            "settings_url": absolute(reverse("actieplan:follow_settings"))}


def register():
    """Send the follow mails through the reminder log and give the digest its section (``AppConfig.ready``)."""
    kinds.register(ReminderKind.FOLLOWED, message=message, why_not=why_not)
    kinds.register_digest_section("following", recipients=digest_recipients, content=digest_section)
