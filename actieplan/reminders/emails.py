"""Rendering and sending reminder emails (Dutch, HTML plus plain text), and their signed links.

:func:`deliver` is the only function that sends a ``Reminder``: it claims the row in the database, sends,
and marks it sent (see its docstring for the guarantee). Links in the emails are absolute
(``WAGTAILADMIN_BASE_URL``) and signed with ``django.core.signing``: an update link works for one action and
one person and expires; an unsubscribe link works for one person's digest.
"""

import datetime
import logging
import time
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from actieplan.partnerships.permissions import MEMBER_ROLES, may_receive_about_action, partnership_ids
from actieplan.reminders import kinds
from actieplan.reminders.models import Reminder, ReminderKind
from actieplan.reminders.scan import digest_content
from actieplan.conf import app_settings
from actieplan.validators import one_line
from actieplan.overrides import template_names
from actieplan.formats import person_name

logger = logging.getLogger(__name__)

UPDATE_SALT = "actieplan.reminder-update-link"
UNSUBSCRIBE_SALT = "actieplan.digest-unsubscribe"
DEADLINE_KINDS = (ReminderKind.BEFORE_DEADLINE, ReminderKind.ON_DEADLINE, ReminderKind.OVERDUE,
                  ReminderKind.ESCALATION)
#: Kinds sent to the action's owner, who gets a direct update link.
OWNER_KINDS = (ReminderKind.BEFORE_DEADLINE, ReminderKind.ON_DEADLINE, ReminderKind.OVERDUE, ReminderKind.ASSIGNED)

SENT, ALREADY_SENT, BUSY, CANCELLED = "verstuurd", "al verstuurd", "bezig elders", "niet verstuurd"
#: What a database that is restarting or unreachable raises.
DATABASE_ERRORS = (OperationalError, InterfaceError)
#: Seconds between the tries of the sent mark while the database is away (about half a minute in all).
MARK_RETRY_DELAYS = (0.5, 1, 2, 4, 8, 15)


def update_link_max_age():
    return datetime.timedelta(days=app_settings.LOB_UPDATE_LINK_MAX_AGE_DAYS)


def make_update_token(action, user):
    return signing.dumps({"a": action.pk, "u": user.pk}, salt=UPDATE_SALT)


def read_update_token(token):
    """(action_id, user_id) from a valid token; raises signing.SignatureExpired / BadSignature."""
    data = signing.loads(token, salt=UPDATE_SALT, max_age=update_link_max_age())
    return int(data["a"]), int(data["u"])


def make_unsubscribe_token(user):
    return signing.dumps({"u": user.pk}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    return int(signing.loads(token, salt=UNSUBSCRIBE_SALT)["u"])


def absolute(path):
    return f"{app_settings.LOB_BASE_URL}{path}"


def action_url(action):
    try:
        return absolute(reverse("actieplan:action_detail", args=[action.pk]))
    except NoReverseMatch:
        return absolute(reverse("actieplan:action_list"))


def update_url(action, user):
    return absolute(reverse("actieplan:reminder_update", args=[make_update_token(action, user)]))


def unsubscribe_url(user):
    return absolute(reverse("actieplan:digest_unsubscribe", args=[make_unsubscribe_token(user)]))


def _date(value):
    return formats.date_format(value, "j F Y")


def _days(n):
    return _("1 day") if n == 1 else _("%(n)s days") % {"n": n}


def _deadline_text(reminder, action, today):
    """Subject and opening sentence for a deadline-bound reminder, in terms of today, not the plan."""
    title, deadline = action.title, _date(action.deadline)
    days_left = (action.deadline - today).days
    kind = reminder.kind
    if kind == ReminderKind.BEFORE_DEADLINE:
        return (_("Reminder: ‘%(title)s’ is due in %(days)s") % {"title": title, "days": _days(days_left)},
                _("The deadline of your action ‘%(title)s’ is in %(days)s, on %(deadline)s.")
                % {"title": title, "days": _days(days_left), "deadline": deadline})
    if kind == ReminderKind.ON_DEADLINE:
        return (_("Today is the deadline of ‘%(title)s’") % {"title": title},
                _("Today, %(deadline)s, is the deadline of your action ‘%(title)s’.")
                % {"title": title, "deadline": deadline})
    if kind == ReminderKind.OVERDUE:
        return (_("Overdue: ‘%(title)s’ was due on %(deadline)s") % {"title": title, "deadline": deadline},
                _("Your action ‘%(title)s’ is %(days)s past the deadline (%(deadline)s). Let us know how it "
                  "is going, or agree a new deadline with the process facilitator.")
                % {"title": title, "days": _days(-days_left), "deadline": deadline})
    return (_("Escalation: ‘%(title)s’ is %(days)s past the deadline") % {"title": title, "days": _days(-days_left)},
            _("The action ‘%(title)s’ of %(owner)s (%(organisation)s) is %(days)s past the deadline of "
              "%(deadline)s and is stuck at the mandate level %(level)s. You are receiving this message as "
              "process facilitator or because you are one mandate level higher in the same organisation: "
              "help get the action moving again.")
            % {"title": title, "owner": person_name(action.owner), "organisation": action.owner_organisation or "-",
               "days": _days(-days_left), "deadline": deadline, "level": action.get_mandate_level_display()})


def _event_text(reminder, action):
    title = action.title
    kind = reminder.kind
    if kind == ReminderKind.ASSIGNED:
        return (_("New action for you: ‘%(title)s’") % {"title": title},
                _("You have become the owner of the action ‘%(title)s’ in %(partnership)s. The deadline is "
                  "%(deadline)s.") % {"title": title, "partnership": action.partnership,
                                      "deadline": _date(action.deadline)})
    if kind == ReminderKind.UNASSIGNED:
        return (_("‘%(title)s’ has been handed over to %(owner)s") % {"title": title, "owner": person_name(action.owner)},
                _("The action ‘%(title)s’ has been handed over to %(owner)s. You are no longer its owner.")
                % {"title": title, "owner": person_name(action.owner)})
    if kind == ReminderKind.COMPLETED:
        return (_("Done: ‘%(title)s’") % {"title": title},
                _("%(owner)s has completed the action ‘%(title)s’, which you created.")
                % {"title": title, "owner": person_name(action.owner)})
    if kind == ReminderKind.BLOCKED:
        return (_("Blocked: ‘%(title)s’") % {"title": title},
                _("The action ‘%(title)s’ of %(owner)s has been set to blocked. You created it: see whether "
                  "you can help.") % {"title": title, "owner": person_name(action.owner)})
    # NO_EMAIL: the procesbewaker is told that the owner cannot be reached.
    return (_("Owner without an email address: ‘%(title)s’") % {"title": title},
            _("%(owner)s is the owner of the action ‘%(title)s’, but has no (active) email address. The "
              "reminder (%(what)s) could therefore not be sent. Add the email address or inform the owner "
              "yourself.") % {"title": title, "owner": person_name(action.owner),
                               "what": _missed_kind_label(reminder.period)})


def _missed_kind_label(period):
    kind = period.split("/", 1)[0]
    return ReminderKind(kind).label if kind in ReminderKind.values else kind


def latest_update(action):
    return action.updates.order_by("-created_at", "-pk").first()


def build_message(reminder, now=None):
    """The email for one ``Reminder`` row (Dutch, plain text plus HTML)."""
    now = now or timezone.now()
    user = reminder.recipient
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "recipient": user,
            "recipient_name": (user.first_name or person_name(user)) if user else "",
            "preferences_url": absolute(reverse("actieplan:reminder_preferences")),
            "site_name": app_settings.LOB_SITE_NAME,
            "kind": reminder.kind,
        }
        headers = {"X-LOB-Reminder": reminder.key}
        registered = kinds.registered(reminder.kind)
        if registered is not None:
            subject, template, extra = registered.message(reminder, now)
            context.update(extra)
        elif reminder.kind == ReminderKind.DIGEST:
            context.update(digest_content(user, now))
            context["unsubscribe_url"] = unsubscribe_url(user)
            context["week"] = reminder.period
            context["actions_url"] = absolute(reverse("actieplan:action_list"))
            subject = _("Your weekly summary of the action plan (%(week)s)") % {"week": reminder.period}
            headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            template = "actieplan/reminders/email/digest"
        else:
            action = reminder.action
            if reminder.kind in DEADLINE_KINDS:
                subject, intro = _deadline_text(reminder, action, timezone.localtime(now).date())
            else:
                subject, intro = _event_text(reminder, action)
            is_owner = user is not None and action.owner_id == user.pk and action.is_active
            context.update({
                "action": action,
                "intro": intro,
                "action_url": action_url(action),
                "update_url": update_url(action, user) if is_owner and reminder.kind in OWNER_KINDS else "",
                "update_link_days": update_link_max_age().days,
                "latest_update": latest_update(action),
            })
            template = "actieplan/reminders/email/action"
        # A title saved before titles were checked may still hold a line break: never a broken header.
        subject = one_line(subject)
        context["subject"] = subject
        text = render_to_string(template_names(f"{template}.txt"), context)
        html = render_to_string(template_names(f"{template}.html"), context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[reminder.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def _why_not(reminder):
    """A reason not to send a row any more (closed action, moved deadline, the recipient may no longer read what
    the mail shows), or ''. Asked when the mail is sent, not when it was decided."""
    action = reminder.action
    # A deleted person's rows stay in the log with an empty link (the key still names them).
    if (reminder.recipient_id is None and not reminder.key.endswith(":-")) or (
            reminder.recipient_id is not None and reminder.recipient is None):
        return "De ontvanger bestaat niet meer."
    if reminder.recipient is not None and not reminder.recipient.is_active:
        return "Het account van de ontvanger is gedeactiveerd."
    registered = kinds.registered(reminder.kind)
    if registered is not None:
        return registered.why_not(reminder, None)
    if reminder.kind == ReminderKind.DIGEST:
        if reminder.recipient is not None and not partnership_ids(reminder.recipient, MEMBER_ROLES):
            return "Niet meer nodig: de ontvanger is van geen samenwerkingsverband meer lid."
        return ""
    if action is None:
        return "De actie bestaat niet meer."
    if reminder.recipient is not None and not may_receive_about_action(
            reminder.recipient, action, as_former_owner=reminder.kind == ReminderKind.UNASSIGNED):
        return "Niet meer nodig: de ontvanger is geen lid meer (of het samenwerkingsverband is gearchiveerd)."
    kind, period = reminder.kind, reminder.period
    if kind == ReminderKind.NO_EMAIL:
        kind, period = period.split("/", 1)
    if kind in DEADLINE_KINDS:
        if not action.is_active:
            return f"Niet meer nodig: de actie is {action.get_status_display()}."
        if not period.startswith(action.deadline.isoformat()):
            return "Niet meer nodig: de deadline is verschoven."
    return ""


class NotMarked(Exception):
    """The mail server accepted the message, but the database could not record it (it went away): the caller
    must retry only the mark (:func:`deliver` with ``sent_message_id=message_id``), never the send."""

    def __init__(self, reminder_id, message_id, error):
        super().__init__(f"Herinnering {reminder_id} is verstuurd ({message_id}) maar nog niet als verstuurd "
                         f"vastgelegd: {error}")
        self.reminder_id = reminder_id
        self.message_id = message_id


def claim_timeout():
    return datetime.timedelta(minutes=float(app_settings.LOB_REMINDER_CLAIM_MINUTES))


def _message_id(reminder):
    domain = urlsplit(app_settings.LOB_BASE_URL).hostname or "lob-platform.localhost"
    return make_msgid(idstring=f"lob-herinnering-{reminder.pk}", domain=domain)


def _claim(reminder_id, now):
    """Lock the row, decide whether it is still to be sent and, if so, claim it and build its message; commits
    before returning. Returns a status (BUSY, ALREADY_SENT, CANCELLED) or ``(reminder, message)``."""
    with transaction.atomic():
        rows = Reminder.objects.filter(pk=reminder_id)
        if connection.vendor == "postgresql":
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        else:
            rows = rows.select_for_update()
        reminder = rows.select_related("action__partnership", "action__theme", "action__owner",
                                       "action__owner_organisation", "recipient").first()
        if reminder is None:
            return BUSY
        if reminder.sent_at is not None:
            return ALREADY_SENT
        if reminder.cancelled_at is not None or not reminder.email:
            return CANCELLED
        if reminder.claimed_at is not None and reminder.claimed_at > timezone.now() - claim_timeout():
            return BUSY  # another delivery is talking to the mail server right now
        reason = _why_not(reminder)
        if reason:
            reminder.cancelled_at = timezone.now()
            reminder.last_error = reason
            reminder.save(update_fields=["cancelled_at", "last_error"])
            logger.info("Herinnering %s (%s) niet verstuurd: %s", reminder.pk, reminder.kind, reason)
            return CANCELLED
        if reminder.recipient and reminder.recipient.email and reminder.recipient.email != reminder.email:
            reminder.email = reminder.recipient.email  # they changed their address since the decision
        if reminder.claimed_at is not None:
            logger.warning("Herinnering %s: de vorige verzending (%s) is niet afgemaakt; nog een poging met "
                           "dezelfde Message-ID", reminder.pk, reminder.message_id)
        # One Message-ID per reminder, kept over every attempt: a copy that did reach someone is the same message.
        reminder.message_id = reminder.message_id or _message_id(reminder)
        reminder.claimed_at = timezone.now()
        message = build_message(reminder, now)
        message.extra_headers["Message-ID"] = reminder.message_id
        reminder.save(update_fields=["claimed_at", "message_id", "email"])
    return reminder, message


def _mark_sent(reminder_id, message_id):
    """Record the send; returns whether this delivery's claim was still the row's (the check after)."""
    return bool(Reminder.objects.filter(pk=reminder_id, message_id=message_id, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""))


def _with_database(write, *args):
    """``write(*args)``, retried while the database is away (a restart takes seconds); raises the last error
    after :data:`MARK_RETRY_DELAYS`."""
    for delay in (*MARK_RETRY_DELAYS, None):
        try:
            return write(*args)
        except DATABASE_ERRORS as error:
            if delay is None:
                raise
            logger.warning("%s: database niet bereikbaar (%s); nieuwe poging over %s s", write.__name__,
                           str(error).strip(), delay)
            connection.close()  # a broken connection: the next try opens a fresh one
            time.sleep(delay)


def deliver(reminder_id, connection_=None, now=None, *, sent_message_id=None):
    """Send one ``Reminder`` row once.

    1. **Claim** (one committed transaction, the row locked with ``SELECT … FOR UPDATE SKIP LOCKED`` on
       PostgreSQL): skip the row if it is sent, cancelled, no longer needed, or claimed by another delivery in the
       last ``LOB_REMINDER_CLAIM_MINUTES``; otherwise record ``claimed_at`` and the row's Message-ID.
    2. **Send**, outside any transaction; a refused send releases the claim, counts the attempt, keeps the error
       and re-raises for the caller's retry.
    3. **Mark** ``sent_at`` where the Message-ID is still this one (the check after). While the database is away
       (a restart) the mark is retried; if it stays away, :class:`NotMarked` tells the caller to retry the mark
       alone (``sent_message_id``), never the send.

    So no reminder is sent twice through a retry, a second worker or a database restart during sending. What
    remains: a process killed between the mail server's acceptance and the mark (milliseconds), or a database
    away for longer than the claim lasts while its mark waits; then a later delivery sends the reminder once more,
    with the same Message-ID.
    """
    if sent_message_id:
        return _finish(reminder_id, sent_message_id)
    claimed = _claim(reminder_id, now)
    if not isinstance(claimed, tuple):
        return claimed
    reminder, message = claimed
    try:
        if connection_ is not None:
            message.connection = connection_  # the command reuses one SMTP connection for a batch
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - recorded, then re-raised for the retry policy
        logger.warning("Herinnering %s (%s) niet verstuurd: %s: %s", reminder.pk, reminder.kind,
                       type(exc).__name__, exc)
        try:
            Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
                claimed_at=None, attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000])
        except DATABASE_ERRORS:
            logger.exception("Herinnering %s: de mislukte poging kon niet worden vastgelegd; de claim verloopt "
                             "vanzelf", reminder.pk)
        raise
    return _finish(reminder.pk, reminder.message_id, reminder.kind)


def _finish(reminder_id, message_id, kind=""):
    try:
        marked = _with_database(_mark_sent, reminder_id, message_id)
    except DATABASE_ERRORS as error:
        raise NotMarked(reminder_id, message_id, error) from error
    if marked:
        logger.info("Herinnering %s (%s) verstuurd, Message-ID %s", reminder_id, kind, message_id)
    else:
        logger.warning("Herinnering %s was al als verstuurd vastgelegd door een andere poging (Message-ID %s): "
                       "mogelijk twee keer verstuurd", reminder_id, message_id)
    return SENT
