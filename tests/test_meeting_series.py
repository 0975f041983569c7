"""Meetings a partnership runs every month: series, attendance, closing with confirmation, addenda.

What a chair notices: a monthly werkgroep series opens its next meeting on the rule's date when one is closed,
with the template agenda and the items carried over; month ends never skip a month; a board meeting invites the
board, not the working group; closing asks first and shows who gets the minutes; attendance is in the minutes and
the PDF; a correction after closing is an addendum beside the untouched original, mailed once.
"""

import datetime
import re
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, strategies as st
from pypdf import PdfReader

from actieplan.meetings import minutes, recurrence
from actieplan.meetings.models import (
    Attendance, AttendanceStatus, MeetingKind, MeetingSeries, MinutesAddendum, RecurrenceRule, default_invitee_ids,
)
from actieplan.models import AgendaItemStatus, Meeting, ReminderKind
from tests.meeting_factories import make_item, make_meeting, moment

pytestmark = pytest.mark.django_db

D = datetime.date


# --- recurrence: plain dates ---------------------------------------------------------------------

def test_day_31_falls_on_the_last_day_of_shorter_months_and_no_month_is_skipped():
    got = recurrence.next_dates(recurrence.MONTHLY_DAY, D(2027, 1, 31), D(2027, 1, 1), 6, day=31)
    assert got == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30), D(2027, 5, 31), D(2027, 6, 30)]
    leap = recurrence.next_dates(recurrence.MONTHLY_DAY, D(2028, 1, 30), D(2028, 1, 30), 2, day=30)
    assert leap == [D(2028, 2, 29), D(2028, 3, 30)]


def test_every_first_tuesday_and_every_quarter_on_the_last_thursday():
    first_tuesdays = recurrence.next_dates(recurrence.MONTHLY_WEEKDAY, D(2026, 12, 1), D(2026, 11, 30), 4,
                                           weekday=1, ordinal=1)
    assert first_tuesdays == [D(2026, 12, 1), D(2027, 1, 5), D(2027, 2, 2), D(2027, 3, 2)]
    quarterly = recurrence.next_dates(recurrence.MONTHLY_WEEKDAY, D(2027, 1, 1), D(2026, 12, 31), 4,
                                      interval=3, weekday=3, ordinal=recurrence.LAST)
    assert quarterly == [D(2027, 1, 28), D(2027, 4, 29), D(2027, 7, 29), D(2027, 10, 28)]


def test_a_series_starting_after_this_months_date_begins_next_month_and_stops_at_its_end():
    # The first Tuesday of December 2026 is the 1st: a series from the 2nd starts in January.
    got = recurrence.next_dates(recurrence.MONTHLY_WEEKDAY, D(2026, 12, 2), D(2026, 12, 1), 3, weekday=1, ordinal=1,
                                until=D(2027, 2, 10))
    assert got == [D(2027, 1, 5), D(2027, 2, 2)]
    weekly = recurrence.next_dates(recurrence.WEEKLY, D(2026, 12, 28), D(2026, 12, 27), 3, interval=2)
    assert weekly == [D(2026, 12, 28), D(2027, 1, 11), D(2027, 1, 25)]


@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)),
       day=st.integers(1, 31), interval=st.integers(1, 12))
def test_a_day_of_the_month_series_meets_once_in_every_intervalth_month(start, day, interval):
    got = recurrence.next_dates(recurrence.MONTHLY_DAY, start, start - datetime.timedelta(days=1), 8,
                                interval=interval, day=day)
    months = [d.year * 12 + d.month for d in got]
    assert all(b - a == interval for a, b in zip(months, months[1:]))
    for d in got:
        last = (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
        assert d.day == min(day, last.day) and d >= start


@given(start=st.dates(min_value=D(2020, 1, 1), max_value=D(2035, 12, 31)), weekday=st.integers(0, 6),
       ordinal=st.sampled_from(recurrence.ORDINALS), interval=st.integers(1, 12))
def test_an_nth_weekday_series_meets_on_that_weekday_of_every_intervalth_month(start, weekday, ordinal, interval):
    got = recurrence.next_dates(recurrence.MONTHLY_WEEKDAY, start, start - datetime.timedelta(days=1), 6,
                                interval=interval, weekday=weekday, ordinal=ordinal)
    assert len(got) == 6 and got == sorted(set(got)) and got[0] >= start
    for d in got:
        assert d.weekday() == weekday
        assert recurrence.ordinal_of(d) == (ordinal, weekday) or (ordinal == recurrence.LAST
                                                                  and (d + datetime.timedelta(days=7)).month != d.month)
    months = [d.year * 12 + d.month for d in got]
    assert all((b - a) % interval == 0 and b > a for a, b in zip(months, months[1:]))


# --- a monthly werkgroep series ------------------------------------------------------------------

def series_post(people, **overrides):
    today = timezone.localdate()
    data = {"partnership": people.partnership.pk, "kind": "werkgroep", "title": "Werkgroep LOB",
            "rule": RecurrenceRule.MONTHLY_WEEKDAY, "interval": "1", "ordinal": "1", "weekday": "1",
            "day_of_month": "", "first_date": today.isoformat(), "ends_on": "", "start_time": "14:00",
            "duration_minutes": "90", "location": "ROC ter Aa, Helmond", "chair": people.procesbewaker.pk,
            "invited": [people.procesbewaker.pk, people.werkgroeplid.pk],
            "agenda_template": "Opening\r\nSinds vorige keer\r\nRondvraag"}
    data.update(overrides)
    return data


def first_tuesday_on_or_after(day):
    return recurrence.next_dates(recurrence.MONTHLY_WEEKDAY, day, day - datetime.timedelta(days=1), 1,
                                 weekday=1, ordinal=1)[0]


def test_a_chair_makes_a_monthly_series_and_its_first_meeting_opens_with_the_template_agenda(client, people):
    client.force_login(people.procesbewaker)
    form = client.get(reverse("actieplan:series_create")).content.decode()
    assert "Opening en mededelingen" in form  # a werkgroep template to start from
    response = client.post(reverse("actieplan:series_create"), series_post(people))
    series = MeetingSeries.objects.get()
    assert response.status_code == 302 and response.url == reverse("actieplan:series_detail", args=[series.pk])
    assert series.describe() == "elke maand op de eerste dinsdag, om 14:00"
    first = series.meetings.get()
    assert timezone.localtime(first.starts_at).date() == first_tuesday_on_or_after(timezone.localdate())
    assert timezone.localtime(first.starts_at).time() == datetime.time(14, 0)
    assert [i.title for i in first.items.order_by("position")] == ["Opening", "Sinds vorige keer", "Rondvraag"]
    assert set(first.invited.all()) == {people.procesbewaker, people.werkgroeplid}
    assert str(first).startswith("Werkgroep LOB ")
    page = client.get(reverse("actieplan:series_detail", args=[series.pk])).content.decode()
    assert "Volgend overleg" in page and reverse("actieplan:meeting_detail", args=[first.pk]) in page


def test_a_series_form_with_mistakes_gets_dutch_messages_and_saves_nothing(client, people):
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:series_create"), series_post(
        people, ordinal="", interval="40", start_time="", title="x" * 230))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kies welke weekdag van de maand" in html
    assert "Kies een getal van 1 tot en met 12." in html
    assert "Kies de begintijd van het overleg." in html
    assert "Deze tekst is 230 tekens lang; er passen er 200 in." in html
    assert not MeetingSeries.objects.exists() and not Meeting.objects.exists()


def test_closing_a_series_meeting_opens_the_next_on_the_rules_date_with_the_carried_items(client, people):
    today = timezone.localdate()
    series = MeetingSeries.objects.create(
        partnership=people.partnership, kind=MeetingKind.WERKGROEP, title="Werkgroep LOB", rule=RecurrenceRule.MONTHLY_DAY,
        day_of_month=31, first_date=today - datetime.timedelta(days=40), start_time=datetime.time(14),
        chair=people.procesbewaker, agenda_template="Opening\nRondvraag")
    series.invited.set([people.werkgroeplid])
    meeting, created = minutes.open_occurrence(series, today, people.procesbewaker)  # moved to today
    assert created
    carried = make_item(meeting, "Enquête onder werkgevers")
    make_item(meeting, "Afgehandeld punt", status=AgendaItemStatus.AFGEHANDELD)
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:meeting_close", args=[meeting.pk]),
                           {"carry_open": "on", "confirmed": "True"})
    assert response.status_code == 302
    following = series.meetings.exclude(pk=meeting.pk).get()
    expected = series.next_dates(today)[0]
    assert timezone.localtime(following.starts_at).date() == expected
    assert expected.day == min(31, (expected.replace(day=28) + datetime.timedelta(days=4)).replace(day=1).toordinal()
                               - expected.replace(day=1).toordinal())  # the 31st, or the month's last day
    titles = [i.title for i in following.items.order_by("position", "pk")]
    assert sorted(titles) == ["Enquête onder werkgevers", "Opening", "Rondvraag"]
    assert following.items.get(title="Enquête onder werkgevers").carried_from == carried
    assert set(following.invited.all()) == {people.werkgroeplid}
    # Nothing left to carry: closing the next one still opens the one after it.
    minutes.close_meeting(following, people.procesbewaker, now=following.starts_at + datetime.timedelta(hours=2))
    assert series.meetings.count() == 3


def test_the_praatclub_index_per_meeting_and_per_series(client, people):
    from tests.factories import make_action
    from actieplan.models import ActionStatus, Decision

    today = timezone.localdate()
    series = MeetingSeries.objects.create(
        partnership=people.partnership, kind=MeetingKind.WERKGROEP, title="Werkgroep LOB",
        rule=RecurrenceRule.MONTHLY_WEEKDAY, ordinal=1, weekday=1, first_date=today - datetime.timedelta(days=120),
        start_time=datetime.time(14))
    first = make_meeting(people.partnership, moment(-100), series=series)
    second = make_meeting(people.partnership, moment(-60), series=series)
    for meeting, statuses in ((first, [ActionStatus.AFGEROND, ActionStatus.OPEN]), (second, [ActionStatus.AFGEROND])):
        item = make_item(meeting, "Punt")
        for status in statuses:
            action = make_action(people.partnership, people.owner, status=status, deadline=today + datetime.timedelta(days=5))
            action.__class__.objects.filter(pk=action.pk).update(deadline=today - datetime.timedelta(days=10))
            Decision.objects.create(item=item, text="Besluit", action=action, agreed_deadline=today - datetime.timedelta(days=10))
    from actieplan.meetings import agenda

    figures = agenda.series_figures([series.pk])[series.pk]
    per_meeting = agenda.figures_for([first, second])
    assert figures.assessable == per_meeting[first.pk].assessable + per_meeting[second.pk].assessable == 3
    client.force_login(people.bestuurder)
    html = client.get(reverse("actieplan:series_detail", args=[series.pk])).content.decode()
    assert "Praatclub-index van deze reeks" in html
    assert f"{figures.index_percent}%" in html


# --- invitees by kind ----------------------------------------------------------------------------

def test_a_board_meeting_invites_the_board_and_a_werkgroep_meeting_the_working_group(client, people):
    assert default_invitee_ids(people.partnership.pk, MeetingKind.BESTUUR) == [people.bestuurder.pk]
    assert set(default_invitee_ids(people.partnership.pk, MeetingKind.WERKGROEP)) == {
        people.procesbewaker.pk, people.werkgroeplid.pk}
    client.force_login(people.procesbewaker)
    form = client.get(reverse("actieplan:meeting_create"), {"soort": "bestuur"}).context["form"]
    assert form.initial["kind"] == "bestuur" and form.initial["invited"] == [people.bestuurder.pk]
    form = client.get(reverse("actieplan:meeting_create")).context["form"]
    assert set(form.initial["invited"]) == {people.procesbewaker.pk, people.werkgroeplid.pk}
    # Editable: the chair adds the manager to a board meeting.
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(reverse("actieplan:meeting_create"), {
        "partnership": people.partnership.pk, "kind": "bestuur", "title": "", "date": day.isoformat(), "time": "09:00",
        "duration_minutes": "60", "location": "", "chair": people.procesbewaker.pk,
        "invited": [people.bestuurder.pk, people.manager.pk]})
    assert response.status_code == 302
    assert set(Meeting.objects.get().invited.all()) == {people.bestuurder, people.manager}


# --- closing: confirmation, attendance, addenda ----------------------------------------------------

@pytest.fixture
def held(people):
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=1), chair=people.procesbewaker,
                           invited=[people.werkgroeplid, people.bestuurder, people.owner], title="Werkgroep: nazorg")
    make_item(meeting, "Nazorg na uitstroom", notes="Afspraken met Senzer.")
    return meeting


def test_closing_asks_first_and_shows_who_gets_the_minutes(client, people, held):
    people.owner.email = ""
    people.owner.save()
    client.force_login(people.procesbewaker)
    confirm = client.get(reverse("actieplan:meeting_close", args=[held.pk]))
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Verslag afsluiten en rondsturen?" in html
    assert "Het verslag gaat naar 3 mensen" in html
    for person in (people.procesbewaker, people.werkgroeplid, people.bestuurder):
        assert person.email in html
    assert "Zonder e-mailadres" in html and "Otto Eigenaar" in html
    # A POST without the confirmation (an old form, a double click) shows the same question and closes nothing.
    response = client.post(reverse("actieplan:meeting_close", args=[held.pk]), {"carry_open": "on"})
    assert response.status_code == 200 and "Verslag afsluiten en rondsturen?" in response.content.decode()
    assert not Meeting.objects.get(pk=held.pk).is_closed
    # The question it shows is one that "Ja" answers: its form carries the confirmation.
    assert re.search(r'name="confirmed" value="True"', response.content.decode())
    response = client.post(reverse("actieplan:meeting_close", args=[held.pk]), {"confirmed": "True"})
    assert response.status_code == 302 and Meeting.objects.get(pk=held.pk).is_closed


def test_attendance_is_in_the_minutes_and_the_pdf_and_frozen_after_closing(client, people, held):
    client.force_login(people.procesbewaker)
    data = {f"aanwezig-persoon_{people.procesbewaker.pk}": "aanwezig",
            f"aanwezig-persoon_{people.werkgroeplid.pk}": "afgemeld",
            f"aanwezig-persoon_{people.bestuurder.pk}": "afwezig",
            f"aanwezig-persoon_{people.owner.pk}": "aanwezig",
            f"aanwezig-persoon_{people.outsider.pk}": "aanwezig"}  # not invited: ignored
    assert client.post(reverse("actieplan:meeting_attendance", args=[held.pk]), data).status_code == 302
    assert dict(Attendance.objects.values_list("person__username", "status")) == {
        people.procesbewaker.username: "aanwezig", people.werkgroeplid.username: "afgemeld",
        people.bestuurder.username: "afwezig", people.owner.username: "aanwezig"}
    minutes.close_meeting(held, people.procesbewaker)
    html = client.get(reverse("actieplan:meeting_minutes", args=[held.pk])).content.decode()
    attendance = html.split('class="mt-attendance-list"')[1].split("</dl>")[0]
    assert "Otto Eigenaar, Pia Procesbewaker" in attendance.split("Afgemeld")[0]
    assert "Wim Werkgroep" in attendance.split("Afgemeld")[1].split("Afwezig")[0]
    assert "Bea Bestuurder" in attendance.split("Afwezig zonder afmelding")[1]
    pdf = client.get(reverse("actieplan:meeting_minutes_pdf", args=[held.pk]))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Aanwezig: Otto Eigenaar, Pia Procesbewaker" in " ".join(text.split())
    assert "Afgemeld: Wim Werkgroep" in " ".join(text.split())
    response = client.post(reverse("actieplan:meeting_attendance", args=[held.pk]),
                           {f"aanwezig-persoon_{people.bestuurder.pk}": "aanwezig"})
    assert response.status_code == 409
    assert Attendance.objects.get(person=people.bestuurder).status == AttendanceStatus.AFWEZIG


def test_a_correction_after_closing_is_an_addendum_beside_the_unchanged_minutes_mailed_once(
        client, people, held, django_capture_on_commit_callbacks):
    client.force_login(people.procesbewaker)
    assert client.post(reverse("actieplan:meeting_addendum", args=[held.pk]),
                       {"aanvulling-text": "Te vroeg"}).status_code == 400  # not closed yet
    minutes.close_meeting(held, people.procesbewaker)
    held.refresh_from_db()
    snapshot, items = held.agenda_snapshot, list(held.items.values_list("title", "notes", "status"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actieplan:meeting_addendum", args=[held.pk]),
                               {"aanvulling-text": "Correctie:\u00a0de afspraak met Senzer is op 12 maart, niet 2 maart."})
    assert response.status_code == 302
    addendum = MinutesAddendum.objects.get()
    assert addendum.text == "Correctie: de afspraak met Senzer is op 12 maart, niet 2 maart."
    held.refresh_from_db()
    assert held.agenda_snapshot == snapshot and list(held.items.values_list("title", "notes", "status")) == items
    sent = [m for m in mail.outbox if "Aanvulling op het verslag" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted(u.email for u in (
        people.procesbewaker, people.werkgroeplid, people.bestuurder, people.owner))
    assert all("12 maart" in m.body for m in sent)
    # Kept beside the original on the minutes page, the agenda page and in the PDF.
    html = client.get(reverse("actieplan:meeting_minutes", args=[held.pk])).content.decode()
    assert html.index("Aanvullingen op het verslag") < html.index("Nazorg na uitstroom")
    assert "Afspraken met Senzer." in html and "12 maart, niet 2 maart" in html
    pdf = client.get(reverse("actieplan:meeting_minutes_pdf", args=[held.pk]))
    assert "12 maart, niet 2 maart" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    # Mailed once: recording the same addendum's mails again adds nothing; the addendum itself stays as written.
    from actieplan.reminders import scan

    assert scan.record(minutes.plan_minutes(held, ReminderKind.ADDENDUM, addendum.reminder_period))[0] == []
    with pytest.raises(Exception):
        addendum.save()
    # A bestuurder reads it but cannot add one.
    client.force_login(people.bestuurder)
    assert client.post(reverse("actieplan:meeting_addendum", args=[held.pk]),
                       {"aanvulling-text": "Ook nog"}).status_code == 403
