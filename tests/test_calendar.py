"""An owner subscribes their calendar to their open actions' deadlines, and can revoke the link."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from actieplan.models import ActionStatus, MandateLevel, Profile
from tests.factories import make_action

pytestmark = pytest.mark.django_db



def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def owner_actions(people, other_people):
    late = make_action(people.partnership, people.owner, title="Warme overdracht vso-mbo", deadline=day(3))
    late.deadline = day(-4)
    late.save()
    return {
        "late": late,
        "open": make_action(people.partnership, people.owner, title="Kick-off loopbaanbegeleiding",
                            deadline=day(12), mandate_level=MandateLevel.MANAGEMENT),
        "blocked": make_action(people.partnership, people.owner, title="Afspraken met het leerwerkloket",
                               deadline=day(30), status=ActionStatus.GEBLOKKEERD),
        "done": make_action(people.partnership, people.owner, title="Sociale kaart bijgewerkt", deadline=day(5),
                            status=ActionStatus.AFGEROND),
        "someone_else": make_action(people.partnership, people.manager, title="Actie van Mila", deadline=day(8)),
    }


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def feed_url_of(client, user):
    client.force_login(user)
    html = client.get(reverse("actieplan:calendar_settings")).content.decode()
    url = html.split('id="agenda-link" value="')[1].split('"')[0]
    client.logout()
    return url.replace("http://testserver", "")


def test_feed_lists_open_deadlines_as_all_day_events(client, people, owner_actions):
    url = feed_url_of(client, people.owner)
    calendar = fetch(client, url)  # logged out: the token is the key
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Deadline: Warme overdracht vso-mbo", "Deadline: Kick-off loopbaanbegeleiding",
                           "Deadline: Afspraken met het leerwerkloket"}
    kickoff = events["Deadline: Kick-off loopbaanbegeleiding"]
    start = kickoff.decoded("dtstart")
    assert start == day(12) and not isinstance(start, datetime.datetime)  # all-day
    assert kickoff.decoded("dtend") == day(13)
    assert str(kickoff["uid"]) == f"actie-{owner_actions['open'].pk}@testserver"
    assert "Status: open" in str(kickoff["description"])
    assert "Mandaatniveau: management/projectleiding" in str(kickoff["description"])
    link = f"http://testserver/actieplan/acties/{owner_actions['open'].pk}/"
    assert str(kickoff["url"]) == link and link in str(kickoff["description"])
    assert "verlopen" in str(events["Deadline: Warme overdracht vso-mbo"]["description"])
    assert "Status: geblokkeerd" in str(events["Deadline: Afspraken met het leerwerkloket"]["description"])
    uids = [str(e["uid"]) for e in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_unknown_token_is_404(client, people):
    assert client.get("/actieplan/agenda/3f1c2d4e-0000-4000-8000-000000000000.ics").status_code == 404


def test_revoking_gives_a_new_url_and_kills_the_old_one(client, people, owner_actions):
    old_url = feed_url_of(client, people.owner)
    assert client.get(old_url).status_code == 200
    client.force_login(people.owner)
    response = client.post(reverse("actieplan:calendar_revoke"), follow=True)
    assert "De oude link werkt niet meer" in response.content.decode()
    client.logout()
    new_url = feed_url_of(client, people.owner)
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert len(fetch(client, new_url).walk("VEVENT")) == 3


def test_settings_page_needs_login_and_revoke_needs_post(client, people):
    response = client.get(reverse("actieplan:calendar_settings"))
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    client.force_login(people.owner)
    token = Profile.for_user(people.owner).calendar_token
    assert client.get(reverse("actieplan:calendar_revoke")).status_code == 405
    assert Profile.for_user(people.owner).calendar_token == token


def test_each_person_sees_only_their_own_feed(client, people, owner_actions):
    calendar = fetch(client, feed_url_of(client, people.manager))
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Deadline: Actie van Mila"]
