"""The invitation of a partnership's first procesbewaker: one mail with a link to set a password.

The mail is a row in the reminder log (kind ``uitnodiging``, period ``samenwerkingsverband-<id>``), sent by
``actieplan.reminders.emails.deliver`` like every reminder: once, by a Celery worker or, without a broker, straight
from the request. The link is Django's own password-reset link (``default_token_generator``): it is made when the
mail is sent, holds the account's password hash and last login, and so works once: setting the password (or
logging in) ends it. It also expires after ``PASSWORD_RESET_TIMEOUT``. Someone who already has a password gets the
same mail with the login page instead.
"""

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from actieplan.accounts import login_url
from actieplan.formats import first_free
from actieplan.partnerships.models import Partnership
from actieplan.reminders import kinds, scan
from actieplan.reminders.emails import absolute
from actieplan.reminders.models import ReminderKind
from actieplan.reminders.tasks import enqueue_on_commit

PERIOD_PREFIX = "samenwerkingsverband-"


def period_of(partnership):
    return f"{PERIOD_PREFIX}{partnership.pk}"


def partnership_of(reminder):
    pk = reminder.period.removeprefix(PERIOD_PREFIX)
    return Partnership.objects.filter(pk=int(pk)).first() if pk.isdigit() else None


def set_password_url(user):
    """The one-time link to set ``user``'s password (``actieplan:set_password``)."""
    return absolute(reverse("actieplan:set_password", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                             default_token_generator.make_token(user)]))


def link_days():
    return max(1, math.ceil(int(settings.PASSWORD_RESET_TIMEOUT) / 86400))


def invite(partnership, user):
    """Log the invitation of ``user`` as procesbewaker of ``partnership`` and send it once this transaction commits;
    returns whether a new invitation was logged (a second call for the same pair sends nothing)."""
    ids, _counts = scan.record([scan.Planned(ReminderKind.INVITATION, period_of(partnership), user.pk, user.email)])
    enqueue_on_commit(ids)
    return bool(ids)


def message(reminder, now):
    partnership = partnership_of(reminder)
    user = reminder.recipient
    context = {"partnership": partnership, "username": user.get_username(), "link_days": link_days()}
    if user.has_usable_password():
        context["login_url"] = absolute(login_url())
    else:
        context["set_password_url"] = set_password_url(user)
    subject = _("You are the process facilitator of %(name)s") % {"name": partnership.name}
    return subject, "actieplan/operations/email/invitation", context


def why_not(reminder, now):
    partnership = partnership_of(reminder)
    if partnership is None:
        return "Het samenwerkingsverband bestaat niet meer."
    if partnership.archived:
        return "Niet meer nodig: het samenwerkingsverband is gearchiveerd."
    if reminder.recipient is None or not partnership.memberships.filter(user_id=reminder.recipient_id).exists():
        return "Niet meer nodig: de ontvanger is geen lid meer van het samenwerkingsverband."
    return ""


def register():
    """Send invitations through the reminder log (called from ``AppConfig.ready``)."""
    kinds.register(ReminderKind.INVITATION, message=message, why_not=why_not)


def new_account(email, first_name, last_name):
    """An account for ``email`` without a usable password (the invitation sets it); its username is the address,
    or the address with a number when that is taken."""
    User = get_user_model()
    username = first_free(email.lower(), lambda name: User.objects.filter(username__iexact=name).exists())
    user = User(username=username[:150], email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.save()
    return user
