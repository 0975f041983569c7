"""Two people editing the same thing: nothing either typed is lost, and the later one is told what changed and by whom.

Each test opens a form as one person, lets someone else change the record, sends the first form as it was, and
checks what a person notices: a 409 with a Dutch message naming the field, the new value and who changed it; the
other's change still stored; what this person typed still in the form; and that sending the form again applies
both changes.
"""

import datetime
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from actieplan.actions import services
from actieplan.models import Action, ActionStatus, ActionUpdate, AgendaItem, Meeting
from tests.factories import action_form_data, make_action
from tests.meeting_factories import make_item, make_meeting, moment

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def posted(form, **changes):
    """What a browser sends for ``form`` as it was rendered, with ``changes`` typed in (by field name)."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if name in changes:
            value = changes[name]
        key = form.add_prefix(name)
        if isinstance(value, (list, tuple)):
            data[key] = [str(getattr(v, "pk", v)) for v in value]
        elif value is None:
            data[key] = ""
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif hasattr(value, "isoformat"):
            data[key] = value.strftime("%H:%M") if isinstance(value, datetime.time) else value.isoformat()
        else:
            data[key] = str(value)
    return data


def opened_form(client, user, url, key="form"):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.context[key]


def text(response):
    return " ".join(response.content.decode().split())


# --- an action, on the front end -------------------------------------------------------------------

def test_a_later_save_does_not_overwrite_a_title_or_a_status_set_meanwhile(client, people):
    action = make_action(people.partnership, people.owner, title="Stageplekken in kaart brengen")
    edit = reverse("actieplan:action_edit", args=[action.pk])
    form_a = opened_form(client, people.werkgroeplid, edit)
    form_b = opened_form(client, people.procesbewaker, edit)

    # Pia renames it; Otto (the owner) blocks it through a progress note.
    client.force_login(people.procesbewaker)
    assert client.post(edit, posted(form_b, title="Stageplekken vso in kaart brengen")).status_code == 302
    client.force_login(people.owner)
    client.post(reverse("actieplan:action_detail", args=[action.pk]),
                {"note": "Wacht op de gemeente.", "new_status": ActionStatus.GEBLOKKEERD})
    action.refresh_from_db()
    assert action.status == ActionStatus.GEBLOKKEERD

    # Wim sends the form he opened before both changes, with a new description.
    client.force_login(people.werkgroeplid)
    response = client.post(edit, posted(form_a, description="Samen met de mbo-scholen."))
    assert response.status_code == 409
    page = text(response)
    assert "is gewijzigd door" in page and "Er is niets overschreven" in page
    assert "Pia Procesbewaker" in page and "Otto Eigenaar" in page
    assert "‘Stageplekken vso in kaart brengen’" in page and "open → geblokkeerd" in page
    action.refresh_from_db()
    assert (action.title, action.status, action.description) == (
        "Stageplekken vso in kaart brengen", ActionStatus.GEBLOKKEERD, "")

    # What Wim typed is still there; the fields he left alone show the new values.
    again = response.context["form"]
    assert again["description"].value() == "Samen met de mbo-scholen."
    assert again["title"].value() == "Stageplekken vso in kaart brengen"
    assert again["status"].value() == ActionStatus.GEBLOKKEERD

    assert client.post(edit, posted(again)).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.status, action.description) == (
        "Stageplekken vso in kaart brengen", ActionStatus.GEBLOKKEERD, "Samen met de mbo-scholen.")
    # The timeline never says Wim moved it back to open.
    assert not ActionUpdate.objects.filter(action=action, new_status=ActionStatus.OPEN).exists()


def test_a_field_both_changed_keeps_what_this_person_typed_and_says_so(client, people):
    action = make_action(people.partnership, people.owner, title="Ouderavond plannen")
    edit = reverse("actieplan:action_edit", args=[action.pk])
    form_a = opened_form(client, people.werkgroeplid, edit)
    form_b = opened_form(client, people.procesbewaker, edit)
    client.force_login(people.procesbewaker)
    client.post(edit, posted(form_b, title="Ouderavond plannen in maart"))
    client.force_login(people.werkgroeplid)
    response = client.post(edit, posted(form_a, title="Ouderavond plannen met de gemeente"))
    assert response.status_code == 409
    assert "Je had ingevuld: ‘Ouderavond plannen met de gemeente’" in text(response)
    assert response.context["form"]["title"].value() == "Ouderavond plannen met de gemeente"
    assert Action.objects.get(pk=action.pk).title == "Ouderavond plannen in maart"


def test_a_deadline_moved_meanwhile_is_a_conflict_not_a_request_for_a_reason(client, people):
    action = make_action(people.partnership, people.owner, deadline=day(20))
    edit = reverse("actieplan:action_edit", args=[action.pk])
    form_a = opened_form(client, people.werkgroeplid, edit)
    form_b = opened_form(client, people.procesbewaker, edit)
    client.force_login(people.procesbewaker)
    assert client.post(edit, posted(form_b, deadline=day(40), deadline_reason="Na de zomer.")).status_code == 302

    client.force_login(people.werkgroeplid)
    response = client.post(edit, posted(form_a, title="Nieuwe titel"))
    page = text(response)
    assert response.status_code == 409
    assert "Geef een reden" not in page and "Deadline" in page and "Pia Procesbewaker" in page
    assert Action.objects.get(pk=action.pk).deadline == day(40)
    assert response.context["form"]["deadline"].value() == day(40)
    assert client.post(edit, posted(response.context["form"])).status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Nieuwe titel"


def test_links_to_good_practices_added_by_two_people_are_both_kept(client, people, library):
    from good_practices.models import GoodPracticePage

    practices = []
    for title in ("Loopbaandossier", "Ouders als partner"):
        practice = GoodPracticePage(title=title, summary="Samenvatting")
        library.add_child(instance=practice)
        practice.save_revision().publish()
        practices.append(practice)
    action = make_action(people.partnership, people.owner)
    edit = reverse("actieplan:action_edit", args=[action.pk])
    form_a = opened_form(client, people.werkgroeplid, edit)
    form_b = opened_form(client, people.procesbewaker, edit)
    client.force_login(people.procesbewaker)
    client.post(edit, posted(form_b, linked_pages=[practices[0].pk]))
    client.force_login(people.werkgroeplid)
    response = client.post(edit, posted(form_a, linked_pages=[practices[1].pk]))
    assert response.status_code == 409
    assert "Loopbaandossier" in text(response)
    assert client.post(edit, posted(response.context["form"])).status_code == 302
    assert set(Action.objects.get(pk=action.pk).linked_pages.values_list("pk", flat=True)) == {
        practices[0].pk, practices[1].pk}


def test_without_a_change_in_between_the_form_saves_as_before(client, people):
    action = make_action(people.partnership, people.owner)
    edit = reverse("actieplan:action_edit", args=[action.pk])
    form = opened_form(client, people.werkgroeplid, edit)
    # A note without a new status changes no field of the form: no conflict.
    services.add_update(action, people.owner, "Eerste afspraak gemaakt.")
    assert client.post(edit, posted(form, title="Andere titel")).status_code == 302
    # A post from a page without the version (an older page) is saved as before.
    assert client.post(edit, action_form_data(Action.objects.get(pk=action.pk), title="Derde titel")).status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Derde titel"


# --- status changes through a note, the board and the link in a reminder --------------------------

def test_a_note_with_a_status_chosen_on_an_old_page_keeps_the_note_and_the_other_status(client, people):
    action = make_action(people.partnership, people.owner)
    detail = reverse("actieplan:action_detail", args=[action.pk])
    form_owner = opened_form(client, people.owner, detail)
    services.add_update(action, people.procesbewaker, "Geen budget.", new_status=ActionStatus.GEBLOKKEERD)

    client.force_login(people.owner)
    response = client.post(detail, posted(form_owner, note="Klaar, draaiboek gedeeld.",
                                          new_status=ActionStatus.AFGEROND))
    assert response.status_code == 200
    page = text(response)
    assert "intussen gewijzigd van open naar geblokkeerd door Pia Procesbewaker" in page
    assert Action.objects.get(pk=action.pk).status == ActionStatus.GEBLOKKEERD
    assert not ActionUpdate.objects.filter(note="Klaar, draaiboek gedeeld.").exists()
    again = response.context["form"]
    assert again["note"].value() == "Klaar, draaiboek gedeeld."
    # Sending it again, knowing: applied.
    assert client.post(detail, posted(again)).status_code == 302
    assert Action.objects.get(pk=action.pk).status == ActionStatus.AFGEROND
    assert ActionUpdate.objects.filter(note="Klaar, draaiboek gedeeld.").count() == 1


def test_the_board_card_does_not_undo_a_status_someone_set_meanwhile(client, people):
    action = make_action(people.partnership, people.owner)
    client.force_login(people.werkgroeplid)
    html = client.get(reverse("actieplan:action_board")).content.decode()
    assert 'name="van" value="open"' in html and 'name="eenmalig"' in html
    services.add_update(action, people.owner, "Wacht op de gemeente.", new_status=ActionStatus.GEBLOKKEERD)

    response = client.post(reverse("actieplan:action_status", args=[action.pk]),
                           {"status": ActionStatus.BEZIG, "van": ActionStatus.OPEN,
                            "next": reverse("actieplan:action_board")}, follow=True)
    assert "intussen gewijzigd van open naar geblokkeerd door Otto Eigenaar" in text(response)
    assert Action.objects.get(pk=action.pk).status == ActionStatus.GEBLOKKEERD


def test_the_link_in_a_reminder_keeps_the_note_when_the_status_changed_meanwhile(client, people):
    from actieplan.reminders import emails

    action = make_action(people.partnership, people.owner)
    url = reverse("actieplan:reminder_update", args=[emails.make_update_token(action, people.owner)])
    form = client.get(url).context["form"]
    services.add_update(action, people.procesbewaker, "Afgeblazen.", new_status=ActionStatus.VERVALLEN)
    response = client.post(url, posted(form, note="Halverwege.", new_status=ActionStatus.BEZIG))
    assert "intussen gewijzigd van open naar vervallen" in text(response)
    assert response.context["form"]["note"].value() == "Halverwege."
    assert Action.objects.get(pk=action.pk).status == ActionStatus.VERVALLEN


# --- the Wagtail admin's edit view -----------------------------------------------------------------

def test_the_admin_edit_view_shows_the_conflict_and_keeps_the_change(client, admin_user, people):
    action = make_action(people.partnership, people.owner, title="Warme overdracht")
    url = reverse("actieplan_actions:edit", args=[action.pk])
    client.force_login(admin_user)
    response = client.get(url)
    form = response.context["form"]
    assert 'name="versie"' in response.content.decode()
    services.add_update(action, people.owner, "Vastgelopen.", new_status=ActionStatus.GEBLOKKEERD)

    response = client.post(url, posted(form, title="Warme overdracht vso-mbo"))
    assert response.status_code == 409
    page = text(response)
    assert "Otto Eigenaar" in page and "geblokkeerd" in page and "Er is niets overschreven" in page
    action.refresh_from_db()
    assert (action.title, action.status) == ("Warme overdracht", ActionStatus.GEBLOKKEERD)
    again = response.context["form"]
    assert again["title"].value() == "Warme overdracht vso-mbo" and again["status"].value() == "geblokkeerd"
    response = client.post(url, posted(again))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    action.refresh_from_db()
    assert (action.title, action.status) == ("Warme overdracht vso-mbo", ActionStatus.GEBLOKKEERD)


# --- meetings: an agenda item's note, the meeting itself, closing the minutes -----------------------

def test_two_people_writing_the_same_agenda_note_lose_nothing(client, people):
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=5), chair=people.procesbewaker)
    item = make_item(meeting, "Stageplekken")
    detail = reverse("actieplan:meeting_detail", args=[meeting.pk])
    url = reverse("actieplan:meeting_item_note", args=[meeting.pk, item.pk])

    def note_form(user):
        client.force_login(user)
        response = client.get(detail)
        return next(i for i in response.context["items"] if i.pk == item.pk).note_form

    form_a, form_b = note_form(people.procesbewaker), note_form(people.werkgroeplid)
    client.force_login(people.procesbewaker)
    assert client.post(url, posted(form_a, notes="Summa levert twintig plekken.")).status_code == 302
    client.force_login(people.werkgroeplid)
    response = client.post(url, posted(form_b, notes="Gemeente zoekt mee."))
    assert response.status_code == 409
    page = text(response)
    assert "Summa levert twintig plekken." in page and "Pia Procesbewaker" in page
    assert AgendaItem.objects.get(pk=item.pk).notes == "Summa levert twintig plekken."
    again = next(i for i in response.context["items"] if i.pk == item.pk).note_form
    assert again["notes"].value() == "Gemeente zoekt mee."
    merged = "Summa levert twintig plekken. Gemeente zoekt mee."
    assert client.post(url, posted(again, notes=merged)).status_code == 302
    assert AgendaItem.objects.get(pk=item.pk).notes == merged


def test_replanning_a_meeting_keeps_a_place_someone_changed_meanwhile(client, people):
    meeting = make_meeting(people.partnership, moment(10), chair=people.procesbewaker, location="Summa")
    edit = reverse("actieplan:meeting_edit", args=[meeting.pk])
    form_a = opened_form(client, people.procesbewaker, edit)
    form_b = opened_form(client, people.werkgroeplid, edit)
    client.force_login(people.werkgroeplid)
    assert client.post(edit, posted(form_b, location="Gemeentehuis Helmond")).status_code == 302
    client.force_login(people.procesbewaker)
    response = client.post(edit, posted(form_a, time=datetime.time(9, 30)))
    assert response.status_code == 409
    assert "Gemeentehuis Helmond" in text(response) and "Wim Werkgroep" in text(response)
    assert Meeting.objects.get(pk=meeting.pk).location == "Gemeentehuis Helmond"
    again = response.context["form"]
    assert again["time"].value() == "09:30" and again["location"].value() == "Gemeentehuis Helmond"
    assert client.post(edit, posted(again)).status_code == 302
    meeting.refresh_from_db()
    assert meeting.location == "Gemeentehuis Helmond"
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(9, 30)


def test_minutes_are_not_closed_over_a_note_the_closer_has_not_seen(client, people):
    meeting = make_meeting(people.partnership, moment(0, hour=0, minute=5), chair=people.procesbewaker)
    item = make_item(meeting, "Rondvraag")
    detail = reverse("actieplan:meeting_detail", args=[meeting.pk])
    client.force_login(people.procesbewaker)
    close_link = client.get(detail).context["close_versie"]  # the meeting page's "Verslag afsluiten…" link
    close_form = opened_form(client, people.procesbewaker, reverse("actieplan:meeting_close", args=[meeting.pk])
                             + "?versie=" + quote(close_link))
    client.force_login(people.werkgroeplid)
    note_form = next(i for i in client.get(detail).context["items"] if i.pk == item.pk).note_form
    client.post(reverse("actieplan:meeting_item_note", args=[meeting.pk, item.pk]),
                posted(note_form, notes="Besluit over de stages volgt."))

    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:meeting_close", args=[meeting.pk]), posted(close_form))
    assert response.status_code == 409
    page = text(response)
    assert "Rondvraag" in page and "Besluit over de stages volgt." in page and "Wim Werkgroep" in page
    assert not Meeting.objects.get(pk=meeting.pk).is_closed
    # The confirmation page shows what changed; closing from it as it is now works.
    assert 'name="versie"' in response.content.decode()
    close_form = response.context["form"]
    assert client.post(reverse("actieplan:meeting_close", args=[meeting.pk]), posted(close_form)).status_code == 302
    assert Meeting.objects.get(pk=meeting.pk).is_closed
