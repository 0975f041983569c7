"""Overleg: the agenda writes itself from the plan, decisions become actions, and closed minutes stay closed.

Walks what a procesbewaker, an owner and a bestuurder notice: the agenda's "sinds vorige keer"
(checked against a plain computation over generated plans), decisions recorded as actions with
their timeline, the Dutch messages for a decision that is not an action yet, items moved to the
next meeting, the check-in before and the minutes after, the meeting's praatclub index, and who
may see and change which meeting. Email goes to Django's locmem outbox (Celery eager).
"""

import datetime
import io
import itertools

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st
from icalendar import Calendar
from pypdf import PdfReader

from actieplan.reminders import emails, scan as reminders
from actieplan.meetings import emails as meeting_emails, agenda as meetings, minutes
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, AgendaItemStatus, CheckInAnswer, Decision, MandateLevel, Meeting,
    MeetingKind, MeetingSeries, Profile, ReflectionTheme, Reminder, ReminderKind, Role,
)
from actieplan.actions.models import ACTIVE_STATUSES
from tests.factories import add_member, make_action, make_user
from tests.meeting_factories import make_item, make_meeting, mark_checkin_sent, moment

pytestmark = pytest.mark.django_db

_titles = itertools.count(1)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what was queued for after the commit (the mails), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def theme():
    return ReflectionTheme.objects.order_by("sort_order").first()


def page(client, user, url, method="get", data=None):
    client.force_login(user)
    response = getattr(client, method)(url, data or {})
    return response, response.content.decode()


def decision_post(item, **fields):
    data = {"text": "Besluit", "outcome": "actie", "title": "", "owner": "", "mandate_level": "", "deadline": "",
            "theme": ""}
    data.update(fields)
    return {f"besluit-{item.pk}-{name}": value for name, value in data.items()}


# --- the agenda: "sinds vorige keer" ---------------------------------------------------------------

action_spec = st.fixed_dictionaries({
    "status": st.sampled_from(list(ActionStatus.values)),
    "deadline": st.integers(min_value=-40, max_value=30),  # days from today
    "created": st.integers(min_value=-60, max_value=-1),  # days from today
    "completed": st.integers(min_value=-50, max_value=0),  # days from today, for afgerond
    "updates": st.lists(st.tuples(st.integers(min_value=-55, max_value=0), st.booleans(), st.booleans()),
                        max_size=3),  # (days from today, moves the deadline, later)
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(action_spec, min_size=1, max_size=12), since_days=st.integers(min_value=-45, max_value=-2))
def test_agenda_sections_are_exactly_what_a_plain_computation_over_the_plan_gives(people, specs, since_days):
    now = timezone.now()
    since = moment(since_days, hour=10)
    with transaction.atomic():
        previous = make_meeting(people.partnership, since)
        meeting = make_meeting(people.partnership, moment(3))
        expected = {key: set() for key in meetings.SECTIONS}
        for spec in specs:
            title = f"Actie {next(_titles)}"
            created = moment(spec["created"], hour=9)
            completed = moment(spec["completed"], hour=16) if spec["status"] == ActionStatus.AFGEROND else None
            action = make_action(people.partnership, people.owner, title=title, status=spec["status"],
                                 deadline=day(spec["deadline"]), created_by=people.owner)
            Action.objects.filter(pk=action.pk).update(created_at=created, completed_at=completed)
            updates = []
            for days, moves, later in spec["updates"]:
                at = moment(days, hour=11)
                previous_deadline = day(spec["deadline"] - 5) if moves else None
                new_deadline = (day(spec["deadline"]) if later else day(spec["deadline"] - 10)) if moves else None
                ActionUpdate.objects.create(action=action, created_at=at, note="Stand van zaken",
                                            previous_deadline=previous_deadline, new_deadline=new_deadline)
                updates.append((at, moves and later))
            # The rules of the agenda, written out plainly over the generated rows.
            active = spec["status"] in ACTIVE_STATUSES
            if completed is not None and since <= completed < now:
                expected["completed"].add(title)
            if active and since.date() <= day(spec["deadline"]) < timezone.localdate():
                expected["overdue"].add(title)
            if spec["status"] == ActionStatus.GEBLOKKEERD:
                expected["blocked"].add(title)
            if any(postpones and since <= at < now for at, postpones in updates):
                expected["postponed"].add(title)
            if active and created < since and not any(at >= since for at, _p in updates):
                expected["silent"].add(title)

        agenda = meetings.plan_agenda(meeting, now)
        assert agenda["previous"]["id"] == previous.pk
        # Every reason of every action is there ...
        got = {key: set() for key in meetings.SECTIONS}
        for section in agenda["sections"]:
            for line in section["lines"]:
                for reason in line["reasons"]:
                    got[reason["key"]].add(line["title"])
        assert got == expected
        # ... and each action stands once, under the first section that applies to it.
        order = list(meetings.SECTIONS)
        placed = [(section["key"], line) for section in agenda["sections"] for line in section["lines"]]
        assert len({line["title"] for _key, line in placed}) == len(placed)
        for key, line in placed:
            assert key == min((r["key"] for r in line["reasons"]), key=order.index)
        transaction.set_rollback(True)


def test_since_is_the_previous_meeting_of_the_same_kind_or_four_weeks_back(people):
    meeting = make_meeting(people.partnership, moment(5))
    assert meetings.since_moment(meeting) == meeting.starts_at - datetime.timedelta(days=28)
    werkgroep = make_meeting(people.partnership, moment(-20))
    make_meeting(people.partnership, moment(-3), kind=MeetingKind.BESTUUR)  # another kind does not count
    assert meetings.previous_meeting(meeting) == werkgroep
    assert meetings.since_moment(meeting) == werkgroep.starts_at


def test_agenda_page_links_each_line_to_its_action_and_starts_with_what_was_agreed_last_time(client, people):
    previous = make_meeting(people.partnership, moment(-14), chair=people.procesbewaker)
    agreed = make_action(people.partnership, people.owner, title="Stagebank voor vso-leerlingen", deadline=day(20))
    Decision.objects.create(item=make_item(previous, "Stages"), text="Er komt een stagebank.", action=agreed,
                            agreed_deadline=agreed.deadline)
    Decision.objects.create(item=make_item(previous, "Werkwijze"), text="We beginnen elk overleg bij de acties.")
    blocked = make_action(people.partnership, people.owner, title="Privacytoets enquête werkgevers",
                          status=ActionStatus.GEBLOKKEERD)
    meeting = make_meeting(people.partnership, moment(2), chair=people.procesbewaker)

    response, html = page(client, people.bestuurder, reverse("actieplan:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert "Afgesproken vorige keer" in html and "Er komt een stagebank." in html
    assert "We beginnen elk overleg bij de acties." in html and "besluit zonder actie" in html
    blocked_section = html.split('id="plan-blocked"')[1].split("<h3")[0]
    assert "Privacytoets enquête werkgevers" in blocked_section
    assert reverse("actieplan:action_detail", args=[blocked.pk]) in blocked_section
    assert "/bespreken/" not in html  # a bestuurder reads the agenda, the working group runs it


def test_agenda_shows_each_check_in_answer_and_geen_antwoord_for_who_was_asked_but_did_not_answer(client, people):
    meeting = make_meeting(people.partnership, moment(2))
    answered = make_action(people.partnership, people.owner, title="Overdrachtslijst vso-mbo", deadline=day(-3))
    silent = make_action(people.partnership, people.owner, title="Ouderavond over de vervolgkeuze", deadline=day(-2))
    not_asked = make_action(people.partnership, people.manager, title="Meeloopdagen roosteren", deadline=day(-1))
    mark_checkin_sent(meeting, people.owner)
    CheckInAnswer.objects.create(meeting=meeting, action=answered, author=people.owner,
                                 text="Twee van de drie scholen akkoord.")

    _response, html = page(client, people.werkgroeplid, reverse("actieplan:meeting_detail", args=[meeting.pk]))
    overdue = html.split('id="plan-overdue"')[1].split("<h3")[0]
    lines = {title: overdue.split(title)[1].split("</li>")[0]
             for title in (answered.title, silent.title, not_asked.title)}
    assert "“Twee van de drie scholen akkoord.”" in lines[answered.title]
    assert "geen antwoord" in lines[silent.title]
    assert "geen antwoord" not in lines[not_asked.title] and "Check-in" not in lines[not_asked.title]


# --- decisions become actions --------------------------------------------------------------------

def test_a_decision_becomes_an_action_on_the_spot_with_its_timeline_and_the_owner_sees_it(client, people, committed):
    meeting = make_meeting(people.partnership, moment(0, hour=9), chair=people.procesbewaker)
    item = make_item(meeting, "Warme overdracht naar het mbo")
    mail.outbox.clear()
    with committed():
        response, _html = page(client, people.procesbewaker, reverse("actieplan:meeting_decision", args=[meeting.pk, item.pk]),
                               "post", decision_post(item, text="Elke vso-school levert de overdrachtslijst vóór 1 juni aan.",
                                                     title="Overdrachtslijsten vso verzamelen", owner=people.owner.pk,
                                                     mandate_level=MandateLevel.UITVOEREND,
                                                     deadline=day(30).isoformat(), theme=theme().pk))
    assert response.status_code == 302
    decision = Decision.objects.get(item=item)
    action = decision.action
    assert (action.title, action.owner, action.partnership, action.deadline, action.mandate_level) == (
        "Overdrachtslijsten vso verzamelen", people.owner, people.partnership, day(30), MandateLevel.UITVOEREND)
    assert action.created_by == people.procesbewaker and decision.agreed_deadline == day(30)
    first = action.updates.order_by("created_at", "pk").first()
    assert "Afgesproken in het werkgroepoverleg" in first.note and "overdrachtslijst vóór 1 juni" in first.note
    assert action.updates.count() == 1
    # The owner is told at once (the assignment mail) and finds it among their own actions.
    assert any(people.owner.email in m.to and action.title in m.subject for m in mail.outbox)
    _response, html = page(client, people.owner, f"{reverse('actieplan:action_list')}?owner={people.owner.pk}")
    assert "Overdrachtslijsten vso verzamelen" in html
    # And the meeting page shows the decision with its action.
    _response, html = page(client, people.procesbewaker, reverse("actieplan:meeting_detail", args=[meeting.pk]))
    assert "Elke vso-school levert de overdrachtslijst" in html
    assert reverse("actieplan:action_detail", args=[action.pk]) in html


def test_a_decision_without_owner_deadline_or_mandate_level_gets_dutch_messages_and_keeps_the_text(client, people):
    meeting = make_meeting(people.partnership, moment(1))
    item = make_item(meeting, "Nazorg na uitstroom")
    typed = "Uitgestroomde jongeren worden een jaar gevolgd door de school van herkomst."
    response, html = page(client, people.werkgroeplid, reverse("actieplan:meeting_decision", args=[meeting.pk, item.pk]),
                          "post", decision_post(item, text=typed))
    assert response.status_code == 400
    assert "Kies wie deze actie trekt: zonder eigenaar is het geen actie." in html
    assert "Kies op welk mandaatniveau hierover wordt besloten." in html
    assert "Kies een deadline: wanneer moet het af zijn?" in html
    assert "Kies het reflectiethema waar deze actie bij hoort." in html
    assert typed in html  # what was typed is still in the form
    assert "Het besluit is nog niet vastgelegd" in html
    assert not Decision.objects.exists() and not Action.objects.exists()


def test_the_action_rules_speak_through_the_decision_form_and_leave_nothing_half_saved(client, people, other_people):
    meeting = make_meeting(people.partnership, moment(1))
    item = make_item(meeting, "Ketenoverleg")
    url = reverse("actieplan:meeting_decision", args=[meeting.pk, item.pk])
    fields = dict(text="Het RMC belt elke uitvaller binnen een week.", owner=people.owner.pk,
                  mandate_level=MandateLevel.UITVOEREND, theme=theme().pk)
    response, html = page(client, people.procesbewaker, url, "post", decision_post(item, deadline=day(-1).isoformat(),
                                                                               **fields))
    assert response.status_code == 400
    assert "De deadline ligt in het verleden. Kies vandaag of een latere datum." in html
    assert "Het RMC belt elke uitvaller binnen een week." in html
    fields["owner"] = other_people.owner.pk  # not a member: not even offered
    response, html = page(client, people.procesbewaker, url, "post", decision_post(item, deadline=day(5).isoformat(),
                                                                               **fields))
    assert response.status_code == 400 and "Selecteer een geldige keuze" in html
    assert not Decision.objects.exists() and not Action.objects.exists()


def test_a_decision_without_action_is_recorded_and_clearly_marked(client, people):
    meeting = make_meeting(people.partnership, moment(1))
    item = make_item(meeting, "Werkwijze van de werkgroep")
    response, _html = page(client, people.procesbewaker, reverse("actieplan:meeting_decision", args=[meeting.pk, item.pk]),
                           "post", decision_post(item, text="De werkgroep vergadert voortaan op locatie.",
                                                 outcome="geen-actie"))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.action is None and not Action.objects.exists()
    _response, html = page(client, people.procesbewaker, reverse("actieplan:meeting_detail", args=[meeting.pk]))
    block = html.split("De werkgroep vergadert voortaan op locatie.")[1].split("</li>")[0]
    assert "besluit zonder actie" in block


# --- carry-over ----------------------------------------------------------------------------------

def test_an_unfinished_item_moves_to_the_next_meeting_with_one_click_and_keeps_its_history(client, people):
    meeting = make_meeting(people.partnership, moment(0, hour=9))
    following = make_meeting(people.partnership, moment(21))
    item = make_item(meeting, "Privacytoets enquête werkgevers", notes="Loopt nog bij de functionaris.")
    Decision.objects.create(item=item, text="Bas vraagt de planning op.")
    response, _html = page(client, people.werkgroeplid,
                           reverse("actieplan:meeting_item_carry", args=[meeting.pk, item.pk]), "post")
    assert response.status_code == 302
    item.refresh_from_db()
    moved = following.items.get()
    assert item.status == AgendaItemStatus.DOORGESCHOVEN and moved.carried_from == item
    assert (moved.title, moved.status) == ("Privacytoets enquête werkgevers", AgendaItemStatus.OPEN)
    assert item.notes == "Loopt nog bij de functionaris." and item.decisions.count() == 1  # stays where it was made
    _response, html = page(client, people.werkgroeplid, reverse("actieplan:meeting_detail", args=[following.pk]))
    assert "Eerder besproken in 1 overleg" in html and "Loopt nog bij de functionaris." in html
    assert "Bas vraagt de planning op." in html
    # A second click changes nothing.
    page(client, people.werkgroeplid, reverse("actieplan:meeting_item_carry", args=[meeting.pk, item.pk]), "post")
    assert following.items.count() == 1


def test_carrying_over_without_a_next_meeting_plans_one_four_weeks_on_with_the_same_people(client, people):
    meeting = make_meeting(people.partnership, moment(0, hour=9), chair=people.procesbewaker,
                           invited=[people.werkgroeplid, people.owner], location="Summa College")
    item = make_item(meeting, "Beroepenavond")
    minutes.carry_over(item, people.procesbewaker)
    following = Meeting.objects.exclude(pk=meeting.pk).get()
    assert following.starts_at == meeting.starts_at + datetime.timedelta(days=28)
    assert (following.kind, following.chair, following.location) == (meeting.kind, people.procesbewaker,
                                                                     "Summa College")
    assert set(following.invited.all()) == {people.werkgroeplid, people.owner}
    assert following.items.get().carried_from == item


def test_closing_moves_the_open_items_on_freezes_the_agenda_and_sends_the_minutes_once(client, people, committed):
    meeting = make_meeting(people.partnership, moment(0, hour=8), chair=people.procesbewaker,
                           invited=[people.werkgroeplid, people.bestuurder])
    following = make_meeting(people.partnership, moment(28))
    done = make_item(meeting, "Terugblik netwerkbijeenkomst", status=AgendaItemStatus.AFGEHANDELD)
    open_item = make_item(meeting, "Vangnet na uitstroom")
    blocked = make_action(people.partnership, people.manager, title="Afspraken over verhuizing",
                          status=ActionStatus.GEBLOKKEERD)
    minutes.record_decision(done, people.procesbewaker, "Volgend jaar weer, bij Ergon.",
                            action_fields={"owner": people.owner, "mandate_level": MandateLevel.UITVOEREND,
                                           "deadline": day(60), "theme": theme(), "title": "Netwerkbijeenkomst bij Ergon"})
    mail.outbox.clear()
    with committed():
        response, _html = page(client, people.procesbewaker, reverse("actieplan:meeting_close", args=[meeting.pk]),
                               "post", {"carry_open": "on", "confirmed": "True"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_closed and meeting.closed_by == people.procesbewaker
    assert following.items.get().carried_from == open_item
    # The agenda is frozen: what changes in the plan afterwards does not rewrite the minutes.
    blocked.status = ActionStatus.AFGEROND
    blocked.save()
    agenda = meetings.agenda_for_display(meeting)
    assert agenda["frozen"] and "Afspraken over verhuizing" in {
        line["title"] for section in agenda["sections"] if section["key"] == "blocked" for line in section["lines"]}
    # The minutes go to the invited, the chair and the owner of the new action: one mail each.
    minutes_mails = [m for m in mail.outbox if m.extra_headers.get("X-LOB-Reminder", "").split(":")[1:2] == ["overleg-verslag"]]
    assert sorted(m.to[0] for m in minutes_mails) == sorted(
        u.email for u in (people.procesbewaker, people.werkgroeplid, people.bestuurder, people.owner))
    to_owner = next(m for m in minutes_mails if m.to == [people.owner.email])
    assert "Jouw nieuwe acties" in to_owner.alternatives[0][0] and "Netwerkbijeenkomst bij Ergon" in to_owner.body
    assert reminders.record(minutes.plan_minutes(meeting))[0] == []  # decided once: never again


def test_minutes_cannot_be_closed_before_the_day_of_the_meeting(client, people):
    meeting = make_meeting(people.partnership, moment(3))
    response, html = page(client, people.procesbewaker, reverse("actieplan:meeting_close", args=[meeting.pk]), "post")
    assert response.status_code == 409 and "Je kunt het verslag afsluiten vanaf de dag van het overleg" in html
    meeting.refresh_from_db()
    assert not meeting.is_closed


# --- closed minutes stay closed --------------------------------------------------------------------

def test_closed_minutes_refuse_every_change_and_say_why(client, people):
    meeting = make_meeting(people.partnership, moment(-1), chair=people.procesbewaker)
    item = make_item(meeting, "Overlegstructuren", notes="Vastgesteld.")
    action = make_action(people.partnership, people.owner, title="Sociale kaart bijwerken")
    minutes.close_meeting(meeting, people.procesbewaker, carry_open=False)
    posts = [
        ("meeting_item_note", [meeting.pk, item.pk], {f"notitie-{item.pk}-notes": "Achteraf nog iets"}),
        ("meeting_decision", [meeting.pk, item.pk], decision_post(item, text="Achteraf besloten", outcome="geen-actie")),
        ("meeting_item_add", [meeting.pk], {"nieuw-title": "Vergeten punt"}),
        ("meeting_discuss", [meeting.pk, action.pk], {}),
        ("meeting_item_carry", [meeting.pk, item.pk], {}),
        ("meeting_close", [meeting.pk], {}),
        ("meeting_edit", [meeting.pk], {"kind": "bestuur"}),
    ]
    for name, args, data in posts:
        response, html = page(client, people.procesbewaker, reverse(f"actieplan:{name}", args=args), "post", data)
        assert response.status_code == 409, name
        assert "Het verslag van dit overleg is afgesloten op" in html, name
        assert "zodat iedereen hetzelfde verslag houdt" in html, name
    item.refresh_from_db()
    assert item.notes == "Vastgesteld." and item.status == AgendaItemStatus.OPEN
    assert meeting.items.count() == 1 and not Decision.objects.exists()
    assert Meeting.objects.get(pk=meeting.pk).kind == MeetingKind.WERKGROEP
    with pytest.raises(minutes.MinutesClosed):
        minutes.save_note(item, people.procesbewaker, "Via de code")


# --- check-in --------------------------------------------------------------------------------------

def run_scan(now=None):
    result = reminders.scan(now, digests=False)
    for reminder_id in result.new_ids:
        emails.deliver(reminder_id)
    return result


def test_the_scan_plans_one_check_in_per_owner_of_open_actions_once_from_three_days_before(people, other_people):
    meeting = make_meeting(people.partnership, moment(2))
    for n in range(3):  # three actions, one mail
        make_action(people.partnership, people.owner, title=f"Actie {n} van Otto", created_by=people.owner)
    make_action(people.partnership, people.manager, title="Actie van Mila", created_by=people.manager)
    make_action(people.partnership, people.werkgroeplid, title="Al af", status=ActionStatus.AFGEROND)
    unreachable = make_user("zonder_adres", email="")
    add_member(people.partnership, unreachable, people.organisation, Role.DEELNEMER)
    make_action(people.partnership, unreachable, title="Actie zonder adres", created_by=unreachable)
    make_action(other_people.partnership, other_people.owner, title="Ander verband", created_by=other_people.owner)
    make_meeting(people.partnership, moment(5))  # outside the window: not yet
    make_meeting(people.partnership, moment(-1))  # past: never
    mail.outbox.clear()

    run_scan()
    run_scan()  # a second scan (or a retry) sends nothing more
    checkins = Reminder.objects.filter(kind=ReminderKind.CHECKIN)
    assert sorted(checkins.values_list("recipient_id", "period")) == sorted(
        [(people.owner.pk, meeting.reminder_period), (people.manager.pk, meeting.reminder_period)])
    sent = [m for m in mail.outbox if "Check-in" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted([people.owner.email, people.manager.email])
    to_otto = next(m for m in sent if m.to == [people.owner.email])
    for n in range(3):
        assert f"Actie {n} van Otto" in to_otto.body
    assert "Actie van Mila" not in to_otto.body


def test_the_check_in_link_gives_a_line_per_action_and_the_answers_land_in_the_timeline_and_on_the_agenda(
        client, people, committed):
    meeting = make_meeting(people.partnership, moment(2))
    first = make_action(people.partnership, people.owner, title="Gastlessen werkgevers", created_by=people.owner)
    second = make_action(people.partnership, people.owner, title="Stagebank vso", created_by=people.owner)
    make_action(people.partnership, people.manager, title="Niet van Otto", created_by=people.manager)
    mail.outbox.clear()
    with committed():
        minutes.send_checkin_now(meeting, people.procesbewaker)
    message = next(m for m in mail.outbox if m.to == [people.owner.email])
    link = next(word for word in message.body.split() if "/overleg/check-in/" in word)
    assert link in message.alternatives[0][0]

    client.logout()  # no login needed
    url = link.replace("http://testserver", "")
    html = client.get(url).content.decode()
    assert "Gastlessen werkgevers" in html and "Stagebank vso" in html and "Niet van Otto" not in html
    response = client.post(url, {f"actie_{first.pk}": "Drie werkgevers hebben toegezegd.", f"actie_{second.pk}": ""})
    assert response.status_code == 200 and "Bedankt!" in response.content.decode()

    note = first.updates.get()
    assert note.author == people.owner and "Drie werkgevers hebben toegezegd." in note.note
    assert not second.updates.exists()  # an empty line is no answer
    assert CheckInAnswer.objects.get(meeting=meeting, action=first).text == "Drie werkgevers hebben toegezegd."
    # The same answer again changes nothing; a new one is a new note on the timeline.
    client.post(url, {f"actie_{first.pk}": "Drie werkgevers hebben toegezegd."})
    assert first.updates.count() == 1
    client.post(url, {f"actie_{first.pk}": "Vier werkgevers nu."})
    assert first.updates.count() == 2 and CheckInAnswer.objects.get(action=first).text == "Vier werkgevers nu."

    _response, html = page(client, people.procesbewaker, reverse("actieplan:meeting_detail", args=[meeting.pk]))
    assert "“Vier werkgevers nu.”" in html
    assert "Stagebank vso</a>: <span class=\"mt-checkin--none\">geen antwoord</span>" in html


def test_no_check_in_for_a_meeting_that_has_started(client, people):
    meeting = make_meeting(people.partnership, timezone.now() - datetime.timedelta(minutes=5))
    make_action(people.partnership, people.owner, title="Open actie", created_by=people.owner)
    response, html = page(client, people.procesbewaker, reverse("actieplan:meeting_checkin_send", args=[meeting.pk]),
                          "post")
    assert response.status_code == 409
    assert "Dit overleg is al begonnen" in html and "een check-in kan alleen vóór het overleg" in html
    run_scan()
    assert not Reminder.objects.filter(kind=ReminderKind.CHECKIN).exists()
    # A link sent earlier no longer works once the meeting has started.
    client.logout()
    response = client.get(reverse("actieplan:meeting_checkin", args=[meeting_emails.make_checkin_token(meeting,
                                                                                                   people.owner)]))
    assert response.status_code == 410 and "Dit overleg is al begonnen" in response.content.decode()


def test_a_check_in_link_that_is_tampered_with_expired_or_of_a_non_member_tells_what_to_do(client, people,
                                                                                          other_people, settings):
    meeting = make_meeting(people.partnership, moment(2))
    token = meeting_emails.make_checkin_token(meeting, people.owner)
    response = client.get(reverse("actieplan:meeting_checkin", args=[token[:-3] + "xyz"]))
    assert response.status_code == 400 and "Deze link klopt niet" in response.content.decode()
    settings.LOB_CHECKIN_DAYS_BEFORE = -1  # every link is older than its life
    response = client.get(reverse("actieplan:meeting_checkin", args=[token]))
    assert response.status_code == 410 and "verlopen" in response.content.decode()
    settings.LOB_CHECKIN_DAYS_BEFORE = 3
    stranger = meeting_emails.make_checkin_token(meeting, other_people.owner)
    response = client.get(reverse("actieplan:meeting_checkin", args=[stranger]))
    assert response.status_code == 403
    # The update link of a reminder does not open a check-in (one purpose per link).
    action = make_action(people.partnership, people.owner, title="Eigen actie", created_by=people.owner)
    response = client.get(reverse("actieplan:meeting_checkin", args=[emails.make_update_token(action, people.owner)]))
    assert response.status_code == 400


def test_sending_the_check_in_by_hand_twice_still_sends_each_owner_one_mail(client, people, committed):
    meeting = make_meeting(people.partnership, moment(6))  # before the scan's window: by hand
    make_action(people.partnership, people.owner, title="Open actie", created_by=people.owner)
    mail.outbox.clear()
    url = reverse("actieplan:meeting_checkin_send", args=[meeting.pk])
    with committed():
        page(client, people.procesbewaker, url, "post")
    with committed():
        response, _html = page(client, people.procesbewaker, url, "post")
    assert response.status_code == 302
    run_scan(timezone.now() + datetime.timedelta(days=4))  # and the scan, once in the window
    assert [m.to for m in mail.outbox if "Check-in" in m.subject] == [[people.owner.email]]


def test_a_check_in_not_sent_before_the_meeting_started_is_cancelled_not_sent_late(people):
    meeting = make_meeting(people.partnership, moment(2))
    make_action(people.partnership, people.owner, title="Open actie", created_by=people.owner)
    ids, _counts = reminders.record(meeting_emails.plan_checkins(timezone.now()))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    mail.outbox.clear()
    assert emails.deliver(ids[0]) == emails.CANCELLED
    assert not mail.outbox
    assert "al begonnen" in Reminder.objects.get(pk=ids[0]).last_error


# --- figures ---------------------------------------------------------------------------------------

decision_spec = st.fixed_dictionaries({
    "has_action": st.booleans(),
    "status": st.sampled_from(list(ActionStatus.values)),
    "agreed": st.integers(min_value=-30, max_value=30),  # agreed deadline, days from today
    "completed": st.integers(min_value=-40, max_value=0),  # for afgerond
    "moved": st.integers(min_value=0, max_value=20),  # a later postponement
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(decision_spec, max_size=10))
def test_meeting_figures_and_its_praatclub_index_agree_with_a_plain_count(people, specs):
    with transaction.atomic():
        meeting = make_meeting(people.partnership, moment(-40))
        other = make_meeting(people.partnership, moment(-35))
        item = make_item(meeting)
        Decision.objects.create(item=make_item(other), text="Elders besloten")  # never counted here
        expected = dict(decisions=0, without_action=0, actions=0, done=0, done_on_time=0, overdue=0, assessable=0)
        for spec in specs:
            expected["decisions"] += 1
            if not spec["has_action"]:
                Decision.objects.create(item=item, text="Zonder actie")
                expected["without_action"] += 1
                continue
            agreed = day(spec["agreed"])
            action = make_action(people.partnership, people.owner, status=spec["status"],
                                 deadline=agreed + datetime.timedelta(days=spec["moved"]), created_by=people.owner)
            if spec["moved"]:  # moved after the meeting: the timeline keeps the deadline agreed there
                ActionUpdate.objects.create(action=action, author=people.owner, note="Verschoven",
                                            previous_deadline=agreed, new_deadline=action.deadline)
            completed = moment(spec["completed"], hour=16) if spec["status"] == ActionStatus.AFGEROND else None
            Action.objects.filter(pk=action.pk).update(completed_at=completed)
            Decision.objects.create(item=item, text="Met actie", action=action, agreed_deadline=agreed)
            expected["actions"] += 1
            done = spec["status"] == ActionStatus.AFGEROND
            expected["done"] += done
            expected["done_on_time"] += done and completed.date() <= agreed
            expected["overdue"] += spec["status"] in ACTIVE_STATUSES and action.deadline < timezone.localdate()
            expected["assessable"] += done or agreed < timezone.localdate()
        figures = meetings.figures(meeting)
        assert {name: getattr(figures, name) for name in expected} == expected
        assert figures.index == (expected["done_on_time"] / expected["assessable"] if expected["assessable"] else None)
        assert meetings.figures_for([meeting, other])[meeting.pk] == figures
        transaction.set_rollback(True)


def test_the_meeting_list_shows_each_past_meetings_praatclub_index(client, people):
    meeting = make_meeting(people.partnership, moment(-30))
    item = make_item(meeting)
    for n, (status, completed) in enumerate([(ActionStatus.AFGEROND, -25), (ActionStatus.OPEN, None)]):
        action = make_action(people.partnership, people.owner, status=status, deadline=day(-20))
        Action.objects.filter(pk=action.pk).update(completed_at=moment(completed) if completed else None)
        Decision.objects.create(item=item, text=f"Besluit {n}", action=action, agreed_deadline=day(-20))
    _response, html = page(client, people.bestuurder, reverse("actieplan:meeting_list"))
    assert "2 besluiten, 2 acties, 50% op tijd af" in html


# --- the minutes as a page, a PDF and a mail -------------------------------------------------------

def test_the_minutes_page_and_pdf_hold_the_decisions_and_the_new_actions_per_owner(client, people):
    meeting = make_meeting(people.partnership, moment(0, hour=8), chair=people.procesbewaker,
                           invited=[people.werkgroeplid], title="Werkgroep juni")
    item = make_item(meeting, "Ouders betrekken bij de vervolgkeuze", notes="Ouderavond in september.")
    fields = {"owner": people.manager, "mandate_level": MandateLevel.MANAGEMENT, "deadline": day(40), "theme": theme()}
    minutes.record_decision(item, people.procesbewaker, "Ouderavond organiseren",
                            action_fields={**fields, "title": "Ouderavond over de vervolgkeuze"})
    minutes.record_decision(item, people.procesbewaker, "Mentoren bellen ouders vooraf.")
    minutes.close_meeting(meeting, people.procesbewaker)

    response, html = page(client, people.bestuurder, reverse("actieplan:meeting_minutes", args=[meeting.pk]))
    assert response.status_code == 200
    for text in ("Ouders betrekken bij de vervolgkeuze", "Ouderavond in september.", "Ouderavond over de vervolgkeuze",
                 "Mentoren bellen ouders vooraf.", "besluit zonder actie", "Nieuwe acties per eigenaar",
                 "Verslag afgesloten op"):
        assert text in html
    response = client.get(reverse("actieplan:meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in ("Verslag: Werkgroep juni", "Ouderavond over de vervolgkeuze", "Mila Manager",
                     "Mentoren bellen ouders vooraf.", "besluit zonder actie", "pagina 1 van"):
        assert expected in text


# --- who may see and change a meeting ------------------------------------------------------------

def test_meetings_are_for_members_only_per_partnership(client, people, other_people):
    meeting = make_meeting(people.partnership, moment(0, hour=8), chair=people.procesbewaker)
    meeting.invited.add(people.manager)  # a deelnemer reads the meetings they are invited to, not the others
    item = make_item(meeting)
    views = {
        "detail": ("get", reverse("actieplan:meeting_detail", args=[meeting.pk])),
        "minutes": ("get", reverse("actieplan:meeting_minutes", args=[meeting.pk])),
        "pdf": ("get", reverse("actieplan:meeting_minutes_pdf", args=[meeting.pk])),
        "note": ("post", reverse("actieplan:meeting_item_note", args=[meeting.pk, item.pk])),
        "edit": ("get", reverse("actieplan:meeting_edit", args=[meeting.pk])),
    }
    expected = {
        #                  detail minutes pdf note edit
        "outsider":        (404, 404, 404, 404, 404),
        "editor":          (404, 404, 404, 404, 404),
        "other":           (404, 404, 404, 404, 404),
        "owner":           (404, 404, 404, 404, 404),
        "invited":         (200, 200, 200, 403, 403),
        "bestuurder":      (200, 200, 200, 403, 403),
        "werkgroeplid":    (200, 200, 200, 302, 200),
        "procesbewaker":   (200, 200, 200, 302, 200),
    }
    users = {"outsider": people.outsider, "editor": people.editor, "other": other_people.procesbewaker,
             "owner": people.owner, "invited": people.manager, "bestuurder": people.bestuurder, "werkgroeplid": people.werkgroeplid,
             "procesbewaker": people.procesbewaker}
    for role, codes in expected.items():
        client.force_login(users[role])
        for (name, (method, url)), code in zip(views.items(), codes):
            assert getattr(client, method)(url).status_code == code, (role, name)
    client.logout()
    for name, (method, url) in views.items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], name
    # The list shows only one's own partnerships' meetings.
    make_meeting(other_people.partnership, moment(3), title="Overleg van het andere verband")
    _response, html = page(client, people.bestuurder, reverse("actieplan:meeting_list"))
    assert "Overleg van het andere verband" not in html


def test_a_bestuurder_who_chairs_the_board_meeting_may_write_its_minutes(client, people):
    meeting = make_meeting(people.partnership, moment(0, hour=8), kind=MeetingKind.BESTUUR, chair=people.bestuurder)
    item = make_item(meeting, "Doorstroomcoaching uitbreiden")
    response, _html = page(client, people.bestuurder, reverse("actieplan:meeting_decision", args=[meeting.pk, item.pk]),
                           "post", decision_post(item, text="Het bestuur financiert twee jaar.", outcome="geen-actie"))
    assert response.status_code == 302 and Decision.objects.get().created_by == people.bestuurder


def test_the_working_group_plans_a_meeting_with_dutch_messages_for_mistakes(client, people, other_people):
    url = reverse("actieplan:meeting_create")
    response, html = page(client, people.procesbewaker, url)
    assert response.status_code == 200 and "Nieuw overleg plannen" in html
    response, html = page(client, people.procesbewaker, url, "post", {
        "partnership": people.partnership.pk, "kind": "werkgroep", "date": "", "time": "25:00",
        "duration_minutes": "90", "invited": [other_people.owner.pk]})
    assert response.status_code == 200
    assert "Kies de datum van het overleg." in html and "Vul een geldige tijd in" in html
    assert "Selecteer een geldige keuze" in html  # someone of another partnership is not offered
    response, _html = page(client, people.procesbewaker, url, "post", {
        "partnership": people.partnership.pk, "kind": "werkgroep", "date": day(10).isoformat(), "time": "14:00",
        "duration_minutes": "90", "location": "Summa College", "chair": people.procesbewaker.pk,
        "invited": [people.werkgroeplid.pk, people.owner.pk]})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day(10).isoformat()} 14:00"
    assert set(meeting.invited.all()) == {people.werkgroeplid, people.owner}
    assert str(meeting).startswith("Werkgroepoverleg ")
    response, _html = page(client, people.bestuurder, url)
    assert response.status_code == 403


# --- calendar, admin and demo ----------------------------------------------------------------------

def test_meetings_appear_in_the_personal_calendar_feed_next_to_the_deadlines(client, people):
    meeting = make_meeting(people.partnership, moment(5, hour=14), invited=[people.owner], location="ROC ter Aa",
                           title="Werkgroep: warme overdracht")
    make_meeting(people.partnership, moment(6), title="Niet uitgenodigd")
    make_action(people.partnership, people.owner, title="Eigen actie", deadline=day(9))
    token = Profile.for_user(people.owner).calendar_token
    calendar = Calendar.from_ical(client.get(reverse("actieplan:calendar_feed", args=[token])).content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"Overleg: Werkgroep: warme overdracht", "Deadline: Eigen actie"}
    event = events["Overleg: Werkgroep: warme overdracht"]
    assert event.decoded("dtstart") == meeting.starts_at and event.decoded("dtend") == meeting.ends_at
    assert str(event["location"]) == "ROC ter Aa"
    assert str(event["uid"]).startswith(f"overleg-{meeting.pk}@")
    assert reverse("actieplan:meeting_detail", args=[meeting.pk]) in str(event["url"])


def test_the_admin_lists_only_ones_own_meetings_and_refuses_to_edit_closed_minutes(client, people, other_people):
    mine = make_meeting(people.partnership, moment(-2), title="Werkgroep mei")
    make_meeting(other_people.partnership, moment(-2), title="Werkgroep elders")
    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan_meetings:list")).content.decode()
    assert "Werkgroep mei" in html and "Werkgroep elders" not in html
    assert client.get(reverse("actieplan_meetings:edit", args=[mine.pk])).status_code == 200
    minutes.close_meeting(mine, people.procesbewaker)
    response = client.get(reverse("actieplan_meetings:edit", args=[mine.pk]), follow=True)
    assert "Het verslag van dit overleg is afgesloten op" in response.content.decode()
    html = client.get(reverse("actieplan_meetings:inspect", args=[mine.pk])).content.decode()
    assert "Agendapunten en besluiten" in html
    other = Meeting.objects.get(title="Werkgroep elders")
    assert client.get(reverse("actieplan_meetings:inspect", args=[other.pk])).status_code == 404


def test_demo_meetings_load_twice_without_duplicates_and_their_decisions_are_the_demo_actions():
    from actieplan.actions import demo as demo_actions
    from actieplan.meetings import demo as demo_meetings
    from actieplan.partnerships import demo as demo_partnership
    from actieplan.reminders.notifications import muted

    with muted():
        for _round in range(2):
            demo_partnership.load()
            demo_actions.load()
            demo_meetings.load()
    partnership = demo_partnership.get_partnership()
    assert Meeting.objects.filter(partnership=partnership).count() == 5
    past = Meeting.objects.filter(partnership=partnership, starts_at__lt=timezone.now())
    assert past.count() == 3 and all(m.is_closed for m in past)
    # Past meetings say who was there (everyone invited but one, who sent apologies).
    for meeting in past:
        lists = meeting.attendance_lists()
        assert len(lists["afgemeld"]) == 1 and len(lists["aanwezig"]) >= 4 and not lists["unknown"]
    # A monthly werkgroep series (the coming meeting is one of its dates) and a quarterly board series whose
    # next meeting is open with the series' template agenda.
    werkgroep = MeetingSeries.objects.get(partnership=partnership, kind=MeetingKind.WERKGROEP)
    assert werkgroep.interval == 1 and werkgroep.meetings.count() == 3
    coming = Meeting.objects.get(partnership=partnership, kind=MeetingKind.WERKGROEP, starts_at__gt=timezone.now())
    assert coming.series == werkgroep
    assert werkgroep.next_dates(timezone.localtime(coming.starts_at).date() - datetime.timedelta(days=1))[0] == \
        timezone.localtime(coming.starts_at).date()
    assert not coming.is_closed and coming.items.filter(carried_from__isnull=False).exists()
    board = MeetingSeries.objects.get(partnership=partnership, kind=MeetingKind.BESTUUR)
    assert board.interval == 3 and "kwartaal" in board.describe()
    next_board = board.meetings.get(closed_at__isnull=True)
    assert next_board.starts_at > timezone.now()
    assert [i.title for i in next_board.items.order_by("position")] == board.template_items()
    assert set(next_board.invited.all()) == set(board.invited.all())
    linked = Decision.objects.filter(item__meeting__partnership=partnership, action__isnull=False)
    assert linked.count() >= 8
    for decision in linked.select_related("action", "item__meeting"):
        assert decision.action.created_at.date() == decision.item.meeting.starts_at.date()
        assert decision.agreed_deadline == decision.action.deadline
    assert Decision.objects.filter(item__meeting__partnership=partnership, action__isnull=True).exists()
    assert CheckInAnswer.objects.filter(meeting=coming).count() == 4
    answered = CheckInAnswer.objects.filter(meeting=coming).first()
    assert answered.action.updates.filter(note__contains=answered.text).exists()
    asked = Reminder.objects.filter(kind=ReminderKind.CHECKIN, period=coming.reminder_period)
    assert asked.exists() and not asked.filter(sent_at__isnull=True).exists()
