"""Following (issue 27): a bestuurder follows what matters to them and hears of it, once.

Anyone who may read an action, a meeting or a proeftuin can follow it; the owner, the creator, a new owner, the
chair and the invited follow by default. Followers hear of a note, a new status, a moved deadline (with its
reason), a closed action, the minutes and a new version of a proeftuin: at once by mail, in the weekly digest, or
only on "Sinds je laatste bezoek", through the reminder log so nothing is sent twice. Celery runs eagerly here;
tests/test_following_e2e.py does it with Redis, a worker and an SMTP server.

What depends on the date (what became overdue, the digest's week) is in tests/test_following_dates.py.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actieplan.actions import services
from actieplan.following import emails as follow_emails, since
from actieplan.models import (
    ActionStatus, Change, ChangeKind, Follow, FollowerSettings, MailChoice, ReflectionTheme, Reminder, ReminderKind,
    Role,
)
from actieplan.meetings import minutes
from actieplan.reminders import scan
from actieplan.reminders.emails import deliver
from tests.factories import action_form_data, add_member, make_action, make_user
from tests.meeting_factories import make_meeting, moment

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what was queued for after the commit (the mails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def follow_mails(to=None):
    found = [m for m in mail.outbox if f":{ReminderKind.FOLLOWED}:" in m.extra_headers.get("X-LOB-Reminder", "")]
    return [m for m in found if to is None or m.to == [to.email]]


def follows(user, obj):
    field = {"Action": "action", "Meeting": "meeting"}.get(type(obj).__name__, "page")
    return Follow.objects.filter(user=user, **{field: obj}).exists()


@pytest.fixture
def action(people, committed):
    with committed():
        action = make_action(people.partnership, people.owner, title="Stagebank voor het vso",
                             created_by=people.procesbewaker)
    mail.outbox.clear()
    return action


def choose(user, choice):
    FollowerSettings.objects.update_or_create(user=user, defaults={"mail": choice})


# --- who follows ---------------------------------------------------------------------------------------


def test_the_owner_and_the_creator_follow_a_new_action_and_a_new_owner_follows_on_reassignment(
        client, people, action):
    assert follows(people.owner, action) and follows(people.procesbewaker, action)
    assert not follows(people.bestuurder, action)
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_edit", args=[action.pk]),
                           action_form_data(action, owner=people.manager.pk))
    assert response.status_code == 302
    assert follows(people.manager, action) and follows(people.owner, action)
    assert Change.objects.filter(action=action, kind=ChangeKind.ASSIGNED, person=people.manager).exists()


def test_the_chair_the_creator_and_the_invited_follow_a_meeting(people):
    meeting = make_meeting(people.partnership, chair=people.procesbewaker, created_by=people.werkgroeplid,
                           invited=[people.bestuurder, people.owner])
    for person in (people.procesbewaker, people.werkgroeplid, people.bestuurder, people.owner):
        assert follows(person, meeting)
    assert not follows(people.manager, meeting)


def test_a_reader_follows_and_unfollows_with_the_button(client, people, action):
    client.force_login(people.bestuurder)
    detail = reverse("actieplan:action_detail", args=[action.pk])
    html = client.get(detail).content.decode()
    assert ">Volgen</button>" in html and "2 volgers" in html
    response = client.post(reverse("actieplan:follow"), {"actie": action.pk, "volgen": "1", "next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    assert follows(people.bestuurder, action)
    html = client.get(detail).content.decode()
    assert ">Niet meer volgen</button>" in html and "3 volgers" in html
    client.post(reverse("actieplan:follow"), {"actie": action.pk, "volgen": "0", "next": detail})
    assert not follows(people.bestuurder, action)


def test_nobody_follows_what_they_may_not_read(client, people, other_people, action):
    client.force_login(other_people.bestuurder)
    response = client.post(reverse("actieplan:follow"), {"actie": action.pk, "volgen": "1"})
    assert response.status_code == 404 and not follows(other_people.bestuurder, action)
    client.logout()
    response = client.post(reverse("actieplan:follow"), {"actie": action.pk, "volgen": "1"})
    assert response.status_code == 302 and "/inloggen/" in response["Location"]


@pytest.mark.parametrize("data", [{}, {"actie": "abc"}, {"actie": ""}, {"overleg": "99999999"}, {"pagina": "-1"},
                                  {"actie": "1" * 40}, {"next": "https://elders.example/"}])
def test_a_wrong_follow_form_is_a_message_or_a_404_never_an_error(client, people, data):
    client.force_login(people.bestuurder)
    response = client.post(reverse("actieplan:follow"), data)
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "elders" not in response["Location"]
    assert client.get(reverse("actieplan:follow")).status_code == 405


# --- mails: once per change and follower ----------------------------------------------------------------


def test_a_note_by_the_owner_is_mailed_once_to_each_follower_but_not_to_the_owner(people, action, committed):
    Follow.objects.create(user=people.bestuurder, action=action)
    with committed():
        services.add_update(action, people.owner, "Drie werkgevers doen mee aan de stagebank.")
    to_board = follow_mails(people.bestuurder)
    assert len(to_board) == 1 and len(follow_mails(people.procesbewaker)) == 1
    assert follow_mails(people.owner) == []
    message = to_board[0]
    assert message.subject == "Actie ‘Stagebank voor het vso’: nieuwe voortgangsnotitie"
    assert "Otto Eigenaar schreef een voortgangsnotitie." in message.body
    assert "Drie werkgevers doen mee aan de stagebank." in message.body
    change = Change.objects.get(action=action, kind=ChangeKind.NOTE)
    assert f"/actieplan/acties/{action.pk}/#notitie-{change.update_id}" in message.body
    # The hourly scan and a second delivery change nothing: the log holds one row per change and follower.
    with committed():
        scan.scan()
    for reminder in Reminder.objects.filter(kind=ReminderKind.FOLLOWED):
        deliver(reminder.pk)
    assert len(follow_mails()) == 2


def test_each_follower_hears_in_their_own_way(people, action, committed):
    for person, choice in ((people.bestuurder, MailChoice.IMMEDIATE), (people.werkgroeplid, MailChoice.WEEKLY),
                           (people.manager, MailChoice.NONE)):
        Follow.objects.create(user=person, action=action)
        choose(person, choice)
    with committed():
        services.add_update(action, people.owner, "Eerste gesprek gevoerd.")
    assert sorted(m.to[0] for m in follow_mails()) == sorted([people.bestuurder.email, people.procesbewaker.email])


def test_a_moved_deadline_is_told_with_its_reason(client, people, action, committed):
    Follow.objects.create(user=people.bestuurder, action=action)
    client.force_login(people.werkgroeplid)
    new = action.deadline + datetime.timedelta(days=21)
    with committed():
        client.post(reverse("actieplan:action_edit", args=[action.pk]),
                    action_form_data(action, deadline=new.isoformat(),
                                     deadline_reason="De werkgevers vragen om meer tijd."))
    [message] = follow_mails(people.bestuurder)
    assert message.subject.endswith(": deadline verschoven")
    assert "verschoof de deadline van" in message.body and "De werkgevers vragen om meer tijd." in message.body


def test_closing_tells_the_creator_once_by_the_completion_mail_and_the_other_followers_by_a_follow_mail(
        people, action, committed):
    Follow.objects.create(user=people.bestuurder, action=action)
    with committed():
        services.add_update(action, people.owner, "Klaar: de stagebank draait.", new_status=ActionStatus.AFGEROND)
    to_creator = [m for m in mail.outbox if m.to == [people.procesbewaker.email]]
    assert len(to_creator) == 1 and ":afgerond:" in to_creator[0].extra_headers["X-LOB-Reminder"]
    [to_board] = follow_mails(people.bestuurder)
    assert "zette de status op afgerond" in to_board.body


def test_the_first_note_that_comes_with_a_decision_is_not_news_to_the_new_owner(people, committed):
    meeting = make_meeting(people.partnership, moment(0, hour=8), chair=people.procesbewaker)
    item = minutes.add_item(meeting, people.procesbewaker, "Stages in de zorg")
    with committed():
        minutes.record_decision(item, people.procesbewaker, "Otto brengt de stageplekken in kaart.", action_fields={
            "owner": people.owner, "mandate_level": 1, "deadline": timezone.localdate() + datetime.timedelta(days=30),
            "theme": ReflectionTheme.objects.first()})
    assert [m.extra_headers["X-LOB-Reminder"].split(":")[1] for m in mail.outbox if m.to == [people.owner.email]] \
        == ["toegewezen"]


def test_the_minutes_reach_a_follower_who_was_not_invited_by_a_follow_mail_and_the_invited_once(
        people, committed):
    meeting = make_meeting(people.partnership, moment(0, hour=8), chair=people.procesbewaker,
                           invited=[people.werkgroeplid])
    Follow.objects.create(user=people.bestuurder, meeting=meeting)
    with committed():
        minutes.close_meeting(meeting, people.procesbewaker, carry_open=False)
    kinds = sorted((m.to[0], m.extra_headers["X-LOB-Reminder"].split(":")[1]) for m in mail.outbox)
    assert kinds == sorted([(people.werkgroeplid.email, "overleg-verslag"), (people.procesbewaker.email,
                                                                             "overleg-verslag"),
                            (people.bestuurder.email, "gevolgd")])


def test_someone_who_can_no_longer_read_it_is_not_told(people, action, committed):
    Follow.objects.create(user=people.bestuurder, action=action)
    people.bestuurder.lob_memberships.all().delete()
    with committed():
        services.add_update(action, people.owner, "Nieuwe afspraak gemaakt.")
    assert follow_mails(people.bestuurder) == []


def test_a_follow_mail_decided_before_leaving_is_not_sent_after(people, action):
    Follow.objects.create(user=people.bestuurder, action=action)
    services.add_update(action, people.owner, "Nog een notitie.")  # decided; not delivered (no commit here)
    row = Reminder.objects.get(kind=ReminderKind.FOLLOWED, recipient=people.bestuurder)
    Follow.objects.filter(user=people.bestuurder).delete()
    assert deliver(row.pk) == "niet verstuurd"
    row.refresh_from_db()
    assert "volgt dit niet meer" in row.last_error and follow_mails() == []


def test_a_proeftuin_is_followed_by_its_creator_and_a_new_version_is_told(client, people, proeftuinen, committed):
    from good_practices.models import ProeftuinPage

    page = ProeftuinPage(title="Leerlab techniek", summary="Samen met het mbo.", aim="Kennismaken.",
                         owner=people.editor)
    proeftuinen.add_child(instance=page)
    page.save_revision().publish()
    assert follows(people.editor, page)
    client.force_login(people.bestuurder)
    assert ">Volgen</button>" in client.get(page.url).content.decode()
    client.post(reverse("actieplan:follow"), {"pagina": page.pk, "volgen": "1"})
    assert follows(people.bestuurder, page)
    page.summary = "Samen met het mbo en twee werkgevers."
    # Redacteuren submit to the moderators; a moderator publishes the new version.
    moderator = make_user("moderator_proeftuin", is_superuser=True, is_staff=True)
    with committed():
        page.save_revision(user=people.editor).publish(user=moderator)
    [message] = follow_mails(people.bestuurder)
    assert message.subject == "Proeftuin ‘Leerlab techniek’: proeftuin bijgewerkt"
    assert follow_mails(people.editor) == []  # the new version is the editor's own change


# --- "Sinds je laatste bezoek" ----------------------------------------------------------------------------


def test_since_lists_what_changed_newest_first_with_a_count_in_the_header(client, people, action):
    Follow.objects.create(user=people.bestuurder, action=action)
    FollowerSettings.objects.create(user=people.bestuurder, seen_at=timezone.now())  # after the action was made
    services.add_update(action, people.owner, "Eerste werkgever gevonden.")
    services.add_update(action, people.owner, "Tweede werkgever gevonden.", new_status=ActionStatus.BEZIG)
    services.add_update(action, people.bestuurder, "Mijn eigen notitie.")  # not news to me
    client.force_login(people.bestuurder)
    html = client.get("/").content.decode()
    assert 'class="site-since__count">2</span>' in html
    response = client.get(reverse("actieplan:since"))
    items = response.context["items"]
    assert [item.change.kind for item in items] == [ChangeKind.STATUS, ChangeKind.NOTE]
    assert items[0].url.endswith(f"#notitie-{items[0].change.update_id}")
    page = response.content.decode()
    assert "Tweede werkgever gevonden." in page and "Mijn eigen notitie" not in page
    assert "<strong>1</strong> actie kreeg nieuws" in page
    # Marking all as read empties the page and the count; the next change shows again.
    client.post(reverse("actieplan:since_read"))
    assert client.get(reverse("actieplan:since")).context["items"] == []
    assert "site-since__count" not in client.get("/").content.decode()
    services.add_update(action, people.owner, "Derde werkgever.")
    assert 'class="site-since__count">1</span>' in client.get("/").content.decode()


def test_what_one_started_to_follow_after_the_last_visit_shows_from_the_follow_on(client, people, action):
    """Followed after the last visit: what changed before the follow is not news; the meeting one chairs and the
    action one followed long ago show everything since the visit."""
    now = timezone.now()
    FollowerSettings.objects.create(user=people.bestuurder, seen_at=now - datetime.timedelta(hours=3))
    earlier = make_action(people.partnership, people.owner, title="Ouderavond plannen", created_by=people.owner)
    Follow.objects.create(user=people.bestuurder, action=earlier, created_at=now - datetime.timedelta(days=30))
    meeting = make_meeting(people.partnership, moment(7), chair=people.bestuurder, created_by=people.procesbewaker)
    services.add_update(action, people.owner, "Voor het volgen.")
    services.add_update(earlier, people.owner, "Al lang gevolgd.")
    Change.objects.filter(kind=ChangeKind.NOTE).update(created_at=now - datetime.timedelta(hours=2))
    Follow.objects.create(user=people.bestuurder, action=action, created_at=now - datetime.timedelta(hours=1))
    services.add_update(action, people.owner, "Na het volgen.")
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:since"))
    page = response.content.decode()
    assert "Na het volgen." in page and "Al lang gevolgd." in page and "Voor het volgen." not in page
    assert str(meeting) in page  # planned by someone else, chaired by me
    shown = len(response.context["items"])
    assert f'class="site-since__count">{shown}</span>' in client.get("/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_cached_since_page_shows_a_new_note_and_a_new_title_on_reload(client, people):
    """The page is cached (actieplan.caching): a note posted, or a title changed, after a look shows on reload."""
    action = make_action(people.partnership, people.owner, title="Stagebank voor het vso")
    Follow.objects.get_or_create(user=people.bestuurder, action=action)
    FollowerSettings.objects.update_or_create(user=people.bestuurder, defaults={"seen_at": timezone.now()})
    client.force_login(people.bestuurder)
    assert client.get(reverse("actieplan:since")).context["items"] == []
    services.add_update(action, people.owner, "Eerste werkgever gevonden.")
    assert "Eerste werkgever gevonden." in client.get(reverse("actieplan:since")).content.decode()
    action.title = "Stagebank voor het vso en het pro"
    action.save()
    assert "Stagebank voor het vso en het pro" in client.get(reverse("actieplan:since")).content.decode()


@pytest.mark.parametrize("params", [{"x": "1"}, {"pagina": "abc"}, {"q": "\x00"}])
def test_the_since_page_and_the_settings_take_any_input(client, people, params):
    client.force_login(people.bestuurder)
    # A NUL in the query string is the middleware's Dutch 400 page (lobplatform/middleware.py), never a 500.
    assert client.get(reverse("actieplan:since"), params).status_code == (400 if "\x00" in params.get("q", "") else 200)
    response = client.post(reverse("actieplan:follow_settings"), {"mail": "elke-minuut"})
    assert response.status_code == 200 and "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(reverse("actieplan:follow_settings"), {"mail": MailChoice.WEEKLY})
    assert response.status_code == 302
    assert FollowerSettings.objects.get(user=people.bestuurder).mail == MailChoice.WEEKLY


def test_the_settings_page_lists_what_one_follows_with_a_way_out(client, people, action):
    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan:follow_settings")).content.decode()
    assert "Stagebank voor het vso" in html and "(aangemaakt)" in html and "niet meer volgen" in html


def test_a_new_member_can_follow_at_once(client, people, action):
    newcomer = make_user("nieuw_lid")
    add_member(people.partnership, newcomer, people.organisation, Role.DEELNEMER)
    client.force_login(newcomer)
    client.post(reverse("actieplan:follow"), {"actie": action.pk, "volgen": "1"})
    assert follows(newcomer, action)
