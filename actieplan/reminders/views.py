"""Reminder preferences, digest unsubscribe, and the update page behind the link in a reminder.

- ``voorkeuren/`` (login): digest on/off and the days before a deadline to be reminded.
- ``weekoverzicht/afmelden/<token>/`` (no login): a signed link from the digest; GET asks to
  confirm (link scanners must not unsubscribe anyone), POST unsubscribes. Mail clients' one-click
  unsubscribe (RFC 8058, ``List-Unsubscribe-Post``) POSTs here without a CSRF token.
- ``herinnering/<token>/`` (no login): a signed, expiring link for one action and one person,
  where the owner adds a progress update through ``services.add_update``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from actieplan.accounts import login_required, login_url
from actieplan.reminders import emails, scan as reminders
from actieplan.actions import views as action_views
from actieplan.actions.forms import ActionUpdateForm
from actieplan.actions.models import Action
from actieplan.partnerships.models import Profile
from actieplan.partnerships.permissions import can_update_action
from actieplan.overrides import template_names


class ReminderPreferencesForm(forms.ModelForm):
    """A person's own reminder settings."""

    class Meta:
        model = Profile
        fields = ["digest_enabled", "reminder_days_before"]
        labels = {
            "digest_enabled": _("Send me a weekly summary every Monday"),
            "reminder_days_before": _("Remind me this many days before a deadline"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = ",".join(str(d) for d in reminders.default_days_before())
        self.fields["reminder_days_before"].help_text = _(
            "Whole days, separated by commas, for example 14,3. Leave empty for the default (%(default)s)."
        ) % {"default": default}

    def clean_reminder_days_before(self):
        value = self.cleaned_data["reminder_days_before"].strip()
        if not value:
            return ""
        try:
            days = reminders.parse_days(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter whole days from 1 to %(max)s, separated by commas, for example 7,1.")
                % {"max": reminders.MAX_DAYS_BEFORE})
        if not days:
            return ""
        return ",".join(str(d) for d in days)


@login_required
def reminder_preferences(request):
    profile = Profile.for_user(request.user)
    form = ReminderPreferencesForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your reminder preferences have been saved."))
        return redirect("actieplan:reminder_preferences")
    return TemplateResponse(request, template_names("actieplan/reminders/preferences.html"), {
        "form": form, "has_email": bool(request.user.email),
    })


@csrf_exempt
def digest_unsubscribe(request, token):
    try:
        user = get_user_model().objects.get(pk=emails.read_unsubscribe_token(token))
    except (signing.BadSignature, get_user_model().DoesNotExist, KeyError, ValueError):
        return TemplateResponse(request, template_names("actieplan/reminders/digest_unsubscribe.html"), {"invalid": True}, status=400)
    profile = Profile.for_user(user)
    done = False
    if request.method == "POST":
        profile.digest_enabled = False
        profile.save(update_fields=["digest_enabled"])
        done = True
    return TemplateResponse(request, template_names("actieplan/reminders/digest_unsubscribe.html"), {
        "done": done or not profile.digest_enabled, "person": user,
    })


def reminder_update(request, token):
    """Add a progress update from the link in a reminder, without logging in."""
    context = {"login_url": f"{login_url()}?next={reverse('actieplan:action_list')}"}
    try:
        action_id, user_id = emails.read_update_token(token)
    except signing.SignatureExpired:
        context["problem"] = _("This link has expired. Log in to update the progress; the next reminder will "
                               "contain a new link again.")
        return TemplateResponse(request, template_names("actieplan/reminders/update.html"), context, status=410)
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        context["problem"] = _("This link is not right (perhaps it was not copied completely). Log in to "
                               "update the progress.")
        return TemplateResponse(request, template_names("actieplan/reminders/update.html"), context, status=400)
    action = Action.objects.with_related().filter(pk=action_id).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if action is None or user is None or not can_update_action(user, action):
        context["problem"] = _("This link no longer gives access to this action, for example because someone "
                               "else has become the owner. Log in to see your actions.")
        return TemplateResponse(request, template_names("actieplan/reminders/update.html"), context, status=403)
    form = ActionUpdateForm(request.POST or None, action=action)
    if request.method == "POST":
        # The same path as the action's page: one note per submission, a status someone else set is not undone.
        outcome = action_views.post_update(request, action, form, user)
        if outcome in (action_views.NOTE_SAVED, action_views.NOTE_REPEATED):
            context.update({"action": action, "saved": True})
            return TemplateResponse(request, template_names("actieplan/reminders/update.html"), context)
        form = outcome
    context.update({"action": action, "form": form, "person": user,
                    "updates": list(action.updates.select_related("author").order_by("-created_at")[:5])})
    return TemplateResponse(request, template_names("actieplan/reminders/update.html"), context)


urlpatterns = [
    path("voorkeuren/", reminder_preferences, name="reminder_preferences"),
    path("weekoverzicht/afmelden/<str:token>/", digest_unsubscribe, name="digest_unsubscribe"),
    path("herinnering/<str:token>/", reminder_update, name="reminder_update"),
]
