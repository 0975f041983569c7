"""History is kept: what minutes, sessions and reported figures lean on is archived, not deleted; a deleted person's
name stays; the reminder log keeps its rows; a linked page or a term in use is not deleted silently."""

import datetime
import importlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from actieplan.actions import counts, services
from actieplan.meetings import agenda as meetings, minutes
from actieplan.models import (
    Action, ActionUpdate, Decision, MandateLevel, Meeting, ReflectionResponse, ReflectionScore,
    ReflectionSession, ReflectionTheme, Reminder, ReminderKind, Role,
)
from actieplan.reflection.trend import reflection_trend
from actieplan.reminders import scan as reminders
from actieplan.reminders.emails import deliver
from tests.factories import add_member, make_action, make_user
from tests.meeting_factories import make_item, make_meeting, moment

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def text(response):
    return " ".join(response.content.decode().split())


@pytest.fixture
def decided(people, django_capture_on_commit_callbacks):
    """Closed minutes of a werkgroep meeting with one decision that became an action."""
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=5), chair=people.procesbewaker,
                           invited=[people.werkgroeplid])
    item = make_item(meeting, "Stageplekken")
    theme = ReflectionTheme.objects.order_by("sort_order").first()
    decision = minutes.record_decision(item, people.procesbewaker, "Summa regelt twintig stageplekken.", {
        "owner": people.owner, "mandate_level": MandateLevel.UITVOEREND, "deadline": day(20), "theme": theme})
    with django_capture_on_commit_callbacks(execute=True):
        minutes.close_meeting(meeting, people.procesbewaker, carry_open=False)
    meeting.refresh_from_db()
    return meeting, decision.action


# --- an action that came from a decision ----------------------------------------------------------

def test_an_action_from_a_decision_is_archived_not_deleted_and_the_minutes_stay_as_sent(
        client, admin_user, people, decided):
    meeting, action = decided
    services.add_update(action, people.owner, "Eerste tien plekken geregeld.")
    figures_before = meetings.figures(meeting)
    progress_before = counts.figures(Action.objects.filter(partnership=people.partnership), timezone.localdate())

    client.force_login(admin_user)
    url = reverse("actieplan_actions:delete", args=[action.pk])
    page = text(client.get(url))
    assert "Dit kan niet worden verwijderd" in page and "komt uit een besluit" in page and "Stageplekken" in page
    assert "2 voortgangsnotities" in page and "Archiveren" in page
    client.post(url)
    assert Action.objects.filter(pk=action.pk).exists() and action.updates.count() == 2

    response = client.post(reverse("actieplan_archive_action", args=[action.pk]), follow=True)
    assert "is gearchiveerd" in text(response)
    action.refresh_from_db()
    assert action.archived

    # Hidden from the daily list and the board, with a note and a link to show it.
    client.force_login(people.werkgroeplid)
    listing = text(client.get(reverse("actieplan:action_list")))
    assert "Summa regelt twintig stageplekken." not in listing and "1 gearchiveerde actie" in listing
    assert "Summa regelt twintig stageplekken." in text(client.get(reverse("actieplan:action_list") + "?archief=1"))
    assert "Summa regelt twintig stageplekken." not in text(client.get(reverse("actieplan:action_board")))
    # Kept in every figure that was reported: the meeting's and the Voortgang page's.
    assert meetings.figures(meeting) == figures_before
    assert counts.figures(Action.objects.filter(partnership=people.partnership), timezone.localdate()) == \
        progress_before
    # The closed minutes still name the decision's action, not "besluit zonder actie".
    minutes_page = text(client.get(reverse("actieplan:meeting_minutes", args=[meeting.pk])))
    assert "Summa regelt twintig stageplekken." in minutes_page and "besluit zonder actie" not in minutes_page


def test_an_archived_action_gets_no_reminders(people, decided):
    _meeting, action = decided
    Action.objects.filter(pk=action.pk).update(archived=True, deadline=day(-10))
    reminders.scan()
    assert not Reminder.objects.filter(action=action).exclude(kind=ReminderKind.ASSIGNED).exists()


def test_bulk_delete_of_an_action_from_a_decision_is_refused_too(client, admin_user, people, decided):
    _meeting, action = decided
    client.force_login(admin_user)
    url = reverse("wagtail_bulk_action", args=["actieplan", "action", "delete"]) + f"?id={action.pk}"
    assert "komt uit een besluit" in text(client.get(url))
    client.post(url)
    assert Action.objects.filter(pk=action.pk).exists()


def test_deleting_an_ordinary_action_names_what_goes_with_it(client, admin_user, people):
    action = make_action(people.partnership, people.owner, title="Losse actie")
    ActionUpdate.objects.create(action=action, author=people.owner, note="Gebeld.")
    make_action(people.partnership, people.owner, parent=action)
    client.force_login(admin_user)
    url = reverse("actieplan_actions:delete", args=[action.pk])
    page = text(client.get(url))
    assert "Wat er met deze verwijdering verdwijnt of leeg raakt" in page
    assert "1 voortgangsnotitie in de tijdlijn (wordt mee verwijderd)" in page and "1 subactie" in page
    client.post(url)
    assert not Action.objects.filter(pk=action.pk).exists()


# --- closed minutes and closed sessions -------------------------------------------------------------

def test_closed_minutes_are_archived_not_deleted(client, admin_user, people, decided):
    meeting, action = decided
    client.force_login(admin_user)
    url = reverse("actieplan_meetings:delete", args=[meeting.pk])
    page = text(client.get(url))
    assert "Dit kan niet worden verwijderd" in page and "is afgesloten" in page
    assert "1 besluit" in page and "1 actie uit een besluit" in page
    client.post(url)
    assert Meeting.objects.filter(pk=meeting.pk).exists() and Decision.objects.filter(action=action).exists()

    client.post(reverse("actieplan_archive_meeting", args=[meeting.pk]), follow=True)
    meeting.refresh_from_db()
    assert meeting.archived
    client.force_login(people.werkgroeplid)
    assert str(meeting) not in text(client.get(reverse("actieplan:meeting_list")))
    assert client.get(reverse("actieplan:meeting_minutes", args=[meeting.pk])).status_code == 200


def test_an_open_meeting_can_be_deleted_and_its_delete_page_names_what_goes(client, admin_user, people):
    meeting = make_meeting(people.partnership, moment(5), chair=people.procesbewaker)
    make_item(meeting, "Rondvraag")
    make_item(meeting, "Stages")
    client.force_login(admin_user)
    url = reverse("actieplan_meetings:delete", args=[meeting.pk])
    page = text(client.get(url))
    assert "Dit kan niet worden verwijderd" not in page and "2 agendapunten met de notities" in page
    client.post(url)
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def _session_with_answers(people, n=12, closed=True):
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie voorjaar",
                                               date=day(-30), facilitator=people.procesbewaker)
    question = session.question_wording[0]["question_id"]
    for i in range(n):
        response = ReflectionResponse.objects.create(session=session)
        ReflectionScore.objects.create(response=response, question_id=question, score=1 + i % 5)
    if closed:
        session.close()
    return session


def test_a_closed_session_is_archived_not_deleted_and_stays_in_the_trend(client, admin_user, people):
    session = _session_with_answers(people)
    trend_before = reflection_trend(people.partnership.pk)
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_actieplan_reflectionsession:delete", args=[session.pk])
    page = text(client.get(url))
    assert "Dit kan niet worden verwijderd" in page and "12 antwoordensets" in page and "0 verwijzingen" not in page
    client.post(url)
    assert ReflectionSession.objects.filter(pk=session.pk).exists()

    client.post(reverse("actieplan_archive_reflectionsession", args=[session.pk]), follow=True)
    client.force_login(people.werkgroeplid)
    assert "Reflectie voorjaar" not in text(client.get(reverse("actieplan:reflection_list")))
    assert reflection_trend(people.partnership.pk) == trend_before


def test_an_open_session_without_answers_can_still_be_deleted(client, admin_user, people):
    session = _session_with_answers(people, n=0, closed=False)
    client.force_login(admin_user)
    client.post(reverse("wagtailsnippets_actieplan_reflectionsession:delete", args=[session.pk]))
    assert not ReflectionSession.objects.filter(pk=session.pk).exists()


def test_the_session_list_has_a_defined_order_newest_first(client, people):
    for title, offset in (("Middelste", -20), ("Oudste", -40), ("Nieuwste", -2)):
        ReflectionSession.objects.create(partnership=people.partnership, title=title, date=day(offset))
    client.force_login(people.werkgroeplid)
    page = text(client.get(reverse("actieplan:reflection_list")))
    assert page.index("Nieuwste") < page.index("Middelste") < page.index("Oudste")


# --- a deleted person ---------------------------------------------------------------------------------

def test_a_deleted_persons_name_stays_on_notes_decisions_meetings_and_sessions(client, people, decided):
    meeting, action = decided
    chair = make_user("voorzitter_weg", first_name="Vera", last_name="Voorzitter")
    add_member(people.partnership, chair, people.organisation, Role.WERKGROEPLID)
    Meeting.objects.filter(pk=meeting.pk).update(chair=chair, closed_by=chair)
    Decision.objects.filter(action=action).update(created_by=chair)
    services.add_update(action, chair, "Overleg met Summa gehad.")
    session = _session_with_answers(people, n=3)
    ReflectionSession.objects.filter(pk=session.pk).update(facilitator=chair)
    Reminder.objects.create(key=Reminder.make_key(ReminderKind.DIGEST, "2026-W50", chair.pk),
                            kind=ReminderKind.DIGEST, period="2026-W50", recipient=chair, email=chair.email,
                            sent_at=timezone.now())
    sent_before = Reminder.objects.count()

    get_user_model().objects.filter(pk=chair.pk).delete()

    assert Reminder.objects.count() == sent_before  # the log keeps its rows
    assert ActionUpdate.objects.get(note="Overleg met Summa gehad.").author_label == "Vera Voorzitter"
    assert Decision.objects.get(action=action).created_by_label == "Vera Voorzitter"
    meeting.refresh_from_db()
    assert meeting.chair_label == meeting.closed_by_label == "Vera Voorzitter"
    client.force_login(people.werkgroeplid)
    for url in (reverse("actieplan:action_detail", args=[action.pk]),
                reverse("actieplan:meeting_minutes", args=[meeting.pk]),
                reverse("actieplan:meeting_detail", args=[meeting.pk]),
                reverse("actieplan:reflection_detail", args=[session.pk])):
        page = text(client.get(url))
        assert "Vera Voorzitter" in page and "verwijderde gebruiker" not in page, url


def test_a_reminder_for_a_deleted_person_is_kept_and_not_sent(people):
    gone = make_user("weg", first_name="Wout", last_name="Weg")
    row = Reminder.objects.create(key=Reminder.make_key(ReminderKind.DIGEST, "2026-W51", gone.pk),
                                  kind=ReminderKind.DIGEST, period="2026-W51", recipient=gone, email=gone.email)
    gone.delete()
    deliver(row.pk)
    row.refresh_from_db()
    assert row.sent_at is None and row.cancelled_at is not None and "bestaat niet meer" in row.last_error


# --- pages and terms that are in use ------------------------------------------------------------------

def test_deleting_a_good_practice_that_actions_link_to_is_refused_with_the_real_count(
        client, admin_user, people, library):
    from good_practices.models import GoodPracticePage

    practice = GoodPracticePage(title="Loopbaandossier", summary="Samenvatting")
    library.add_child(instance=practice)
    practice.save_revision().publish()
    for title in ("Dossier invoeren", "Dossier evalueren"):
        make_action(people.partnership, people.owner, title=title).linked_pages.add(practice)
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:delete", args=[practice.pk])
    page = text(client.get(url))
    assert "gekoppeld aan 2 acties" in page and "Dossier invoeren" in page and "Publicatie ongedaan maken" in page
    client.post(url)
    assert GoodPracticePage.objects.filter(pk=practice.pk).exists()
    # The library above it is refused too (deleting it would delete the practice).
    assert "gekoppeld aan 2 acties" in text(client.get(reverse("wagtailadmin_pages:delete", args=[library.pk])))
    # Without links it is deleted as before.
    for action in Action.objects.filter(linked_pages=practice):
        action.linked_pages.remove(practice)
    assert "gekoppeld aan" not in text(client.get(url))


def test_deleting_a_library_theme_in_use_is_refused_with_the_pages_that_use_it(client, admin_user, library):
    from good_practices.models import DelenWaardTheme, GoodPracticePage

    theme = DelenWaardTheme.objects.create(name="Ouderbetrokkenheid", slug="ouderbetrokkenheid-test")
    practice = GoodPracticePage(title="Ouderavond met leerlingen", summary="Samenvatting")
    library.add_child(instance=practice)
    practice.themes.add(theme)
    practice.save_revision().publish()
    client.force_login(admin_user)
    url = reverse("wagtailsnippets_good_practices_delenwaardtheme:delete", args=[theme.pk])
    page = text(client.get(url))
    assert "gebruikt door 1 pagina" in page and "Ouderavond met leerlingen" in page
    client.post(url)
    assert DelenWaardTheme.objects.filter(pk=theme.pk).exists()
    unused = DelenWaardTheme.objects.create(name="Ongebruikt", slug="ongebruikt-test")
    client.post(reverse("wagtailsnippets_good_practices_delenwaardtheme:delete", args=[unused.pk]))
    assert not DelenWaardTheme.objects.filter(pk=unused.pk).exists()


# --- the migration keeps every row --------------------------------------------------------------------

def test_this_rounds_migration_only_adds_and_changes_nothing_that_is_stored():
    """Fields are added with a default, links change only what Django does on a later delete: no row is
    rewritten or removed by migrating (a data migration would show up here as RunPython or RemoveField)."""
    from django.db import migrations

    module = importlib.import_module("actieplan.migrations.0020_history_kept_and_submission_keys")
    allowed = (migrations.AddField, migrations.AlterField, migrations.CreateModel, migrations.AddConstraint)
    operations = module.Migration.operations
    assert operations and all(isinstance(op, allowed) for op in operations)
    for op in operations:
        if isinstance(op, migrations.AddField):
            assert op.field.null or op.field.has_default(), op.name
        if isinstance(op, migrations.AlterField):
            assert op.field.db_constraint is False, "only Django's on_delete changes, no database constraint"
