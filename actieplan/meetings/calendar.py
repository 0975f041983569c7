"""Per person an iCalendar feed of their open actions' deadlines and their meetings, at a secret URL they can revoke.

Meetings are those the person is invited to or chairs, from 90 days back on, as timed events in
the site's time zone; a meeting's UID stays the same when it is moved, so calendars update it.

The feed URL carries ``Profile.calendar_token`` instead of a login, because calendar apps cannot log
in; whoever has the URL sees the titles of that person's open actions, so it can be replaced at any time.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from actieplan.accounts import login_required
from actieplan.conf import app_settings
from actieplan.actions.exchange import front_end_action_url
from actieplan.actions.models import Action
from actieplan.meetings.models import Meeting
from actieplan.partnerships.models import Profile
from actieplan.partnerships.permissions import visible_actions_filter, visible_meetings_filter
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.overrides import template_names


def absolute(path_):
    return app_settings.LOB_BASE_URL + path_


def feed_url(profile):
    return absolute(reverse("actieplan:calendar_feed", args=[profile.calendar_token]))


def build_calendar(user):
    """The VCALENDAR with one all-day VEVENT per open action owned by ``user``."""
    cal = Calendar()
    cal.add("prodid", "-//LOB-platform//Actieplan//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("My actions and meetings (LOB platform)"))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    host = app_settings.LOB_BASE_URL.split("://", 1)[-1].split("/")[0] or "lob-platform"
    now = timezone.now()
    # Asked at every fetch (permissions): once the person leaves the partnership or it is archived, its
    # actions and meetings leave the feed.
    actions = (Action.objects.filter(visible_actions_filter(user), owner=user, status__in=ACTIVE_STATUSES,
                                     archived=False)
               .select_related("partnership").order_by("deadline", "pk"))
    for action in actions:
        url = absolute(front_end_action_url(action))
        event = Event()
        event.add("uid", f"actie-{action.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", action.deadline)
        # A deadline on the last day a date can hold (old or scripted data) has no day after it: a one-day
        # event needs no DTEND (RFC 5545 3.6.1), and the rest of the feed must not fail on it.
        if action.deadline < datetime.date.max:
            event.add("dtend", action.deadline + datetime.timedelta(days=1))
        event.add("summary", _("Deadline: %(title)s") % {"title": action.title})
        lines = [
            _("Status: %(status)s") % {"status": action.get_status_display()},
            _("Partnership: %(partnership)s") % {"partnership": action.partnership},
            _("Mandate level: %(level)s") % {"level": action.get_mandate_level_display()},
        ]
        if action.is_overdue:
            lines.insert(1, _("Note: this action is overdue."))
        lines.append(_("Update: %(url)s") % {"url": url})
        event.add("description", "\n".join(str(line) for line in lines))
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    for meeting in meetings_in_feed(user, now):
        cal.add_component(meeting_event(meeting, host, now))
    return cal


MEETING_FEED_DAYS_BACK = 90


def meetings_in_feed(user, now):
    mine = Meeting.objects.filter(Q(invited=user) | Q(chair=user),
                                  starts_at__gte=now - datetime.timedelta(days=MEETING_FEED_DAYS_BACK))
    readable = Meeting.objects.filter(visible_meetings_filter(user)).values("pk")
    return (mine.filter(pk__in=readable, partnership__archived=False)
            .select_related("partnership").distinct().order_by("starts_at", "pk"))


def meeting_event(meeting, host, now):
    """A timed VEVENT for a meeting, with its place or link and the agenda's address."""
    url = absolute(reverse("actieplan:meeting_detail", args=[meeting.pk]))
    event = Event()
    event.add("uid", f"overleg-{meeting.pk}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("summary", _("Meeting: %(title)s") % {"title": meeting})
    if meeting.location:
        event.add("location", meeting.location)
    lines = [
        _("%(kind)s of %(partnership)s") % {"kind": meeting.get_kind_display().capitalize(),
                                             "partnership": meeting.partnership},
        _("Agenda and minutes: %(url)s") % {"url": url},
    ]
    if meeting.is_closed:
        lines.insert(1, _("The minutes have been closed."))
    event.add("description", "\n".join(str(line) for line in lines))
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("last-modified", meeting.updated_at)
    return event


def calendar_feed(request, token):
    """The feed itself: no login, the unguessable token is the key; an unknown token is a plain 404."""
    profile = Profile.objects.filter(calendar_token=token).select_related("user").first()
    if profile is None or not profile.user.is_active:
        raise Http404
    response = HttpResponse(build_calendar(profile.user).to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mijn-acties.ics"'
    # The URL is a secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
def calendar_settings(request):
    profile = Profile.for_user(request.user)
    url = feed_url(profile)
    context = {
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[-1],
        "open_count": Action.objects.filter(visible_actions_filter(request.user), owner=request.user,
                                            status__in=ACTIVE_STATUSES, archived=False).count(),
    }
    return TemplateResponse(request, template_names("actieplan/meetings/calendar_settings.html"), context)


@login_required
@require_POST
def calendar_revoke(request):
    profile = Profile.for_user(request.user)
    profile.calendar_token = uuid.uuid4()
    profile.save(update_fields=["calendar_token"])
    messages.success(request, _("You have a new calendar link. The old link no longer works; subscribe to "
                                "your calendar again with the new link."))
    return redirect("actieplan:calendar_settings")


urlpatterns = [
    path("agenda/", calendar_settings, name="calendar_settings"),
    path("agenda/nieuwe-link/", calendar_revoke, name="calendar_revoke"),
    path("agenda/<uuid:token>.ics", calendar_feed, name="calendar_feed"),
]
