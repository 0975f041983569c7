"""Following's pages: the follow button's form, "Sinds je laatste bezoek", and the settings.

- ``volgen/`` (POST, login): follow or unfollow an action, meeting or proeftuin one may read, then back to where
  the button was. A thing one may not read answers 404, as its page would; a wrong form is a Dutch message.
- ``sinds/`` (login): what changed since the last visit, newest first; ``sinds/gelezen/`` (POST) marks all as
  read. No JavaScript: reloading the page shows what is new.
- ``volgen/instellingen/`` (login): how to hear of changes (at once, weekly, not by mail), and what one follows.
"""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Page

from actieplan.accounts import login_required
from actieplan.actions.models import Action
from actieplan.following import rules, since as since_page
from actieplan.following.models import Follow, FollowerSettings, MailChoice
from actieplan.meetings.models import Meeting
from actieplan.overrides import template_names
from actieplan.partnerships.models import Profile
from actieplan.validators import parse_id

#: The form field that names the target, and what it names.
TARGETS = {"actie": ("action", Action), "overleg": ("meeting", Meeting), "pagina": ("page", Page)}


def _back(request, fallback):
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return back
    return fallback


def _target(request):
    """(field, object) named by the form, or None; 404 for what the person may not read."""
    for name, (field, model) in TARGETS.items():
        if name in request.POST:
            pk = parse_id(request.POST.get(name, ""))
            obj = model.objects.filter(pk=pk).first() if pk else None
            if obj is None or not rules.may_read(request.user, request=request, **{field: obj}):
                raise Http404
            return field, obj
    return None


def _own_url(field, obj):
    if field == "action":
        return reverse("actieplan:action_detail", args=[obj.pk])
    if field == "meeting":
        return reverse("actieplan:meeting_detail", args=[obj.pk])
    return obj.url or "/"


@login_required
@require_POST
def follow(request):
    target = _target(request)
    if target is None:
        messages.error(request, _("It is not clear what you want to follow; try again from the page."))
        return redirect(_back(request, reverse("actieplan:since")))
    field, obj = target
    back = _back(request, _own_url(field, obj))
    if request.POST.get("volgen") == "0":
        Follow.objects.filter(user=request.user, **{field: obj}).delete()
        messages.success(request, _("You no longer follow ‘%(title)s’.") % {"title": obj})
    else:
        Follow.objects.get_or_create(user=request.user, **{field: obj})
        messages.success(request, _("You are following ‘%(title)s’. You will see changes under ‘Since your last visit’.")
                         % {"title": obj})
    return redirect(back)


@login_required
def since(request):
    settings = FollowerSettings.objects.filter(user=request.user).first()
    moment = since_page.since_moment(request.user, settings)
    first_visit = settings is None or settings.seen_at is None
    items, summary = since_page.page(request.user, moment, reuse=not first_visit)
    return TemplateResponse(request, template_names("actieplan/following/since.html"), {
        "since": moment,
        "first_visit": first_visit,
        "first_visit_days": since_page.FIRST_VISIT_DAYS,
        "items": items,
        "summary": summary,
        "shown": since_page.SHOWN,
        "mail": settings.get_mail_display() if settings else MailChoice.IMMEDIATE.label,
    })


@login_required
@require_POST
def since_read(request):
    since_page.mark_read(request.user)
    messages.success(request, _("Everything has been read. Anything that changes will appear here again."))
    return redirect("actieplan:since")


class FollowSettingsForm(forms.ModelForm):
    """How a person hears of changes in what they follow."""

    class Meta:
        model = FollowerSettings
        fields = ["mail"]
        widgets = {"mail": forms.RadioSelect}
        labels = {"mail": gettext_lazy("How do you want to hear about changes in what you follow?")}


@login_required
@require_http_methods(["GET", "POST"])
def follow_settings(request):
    settings = rules.settings_for(request.user)
    form = FollowSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        if settings.mail == MailChoice.WEEKLY:
            # Choosing the weekly digest switches it back on if it was unsubscribed.
            Profile.objects.filter(user=request.user).update(digest_enabled=True)
        messages.success(request, _("Your choice has been saved."))
        return redirect("actieplan:follow_settings")
    follows = (Follow.objects.filter(user=request.user)
               .select_related("action", "meeting", "page").order_by("-created_at", "-pk"))
    return TemplateResponse(request, template_names("actieplan/following/settings.html"), {
        "form": form,
        "actions": [f for f in follows if f.action_id and rules.may_read(request.user, action=f.action)],
        "meetings": [f for f in follows if f.meeting_id and rules.may_read(request.user, meeting=f.meeting)],
        "pages": [f for f in follows if f.page_id and f.page.live],
        "has_email": bool(request.user.email),
    })


urlpatterns = [
    path("volgen/", follow, name="follow"),
    path("volgen/instellingen/", follow_settings, name="follow_settings"),
    path("sinds/", since, name="since"),
    path("sinds/gelezen/", since_read, name="since_read"),
]
