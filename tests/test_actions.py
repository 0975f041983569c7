"""The working group's action pages: create and edit with Dutch messages, the append-only timeline,
the audit log, filters, the board, and a list whose query count does not grow with the plan."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from actieplan.actions import services
from actieplan.actions.filters import ActionFilterSet
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, MandateLevel, ReflectionQuestion, ReflectionSession, ReflectionTheme, Role,
)
from tests.factories import add_member, make_action, make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n):
    return TODAY() + datetime.timedelta(days=n)


def themes():
    return list(ReflectionTheme.objects.order_by("sort_order")[:2])


def action_post_data(people, **overrides):
    theme = themes()[0]
    data = {
        "title": "Gezamenlijke LOB-dag met het mbo plannen",
        "description": "Leerlingen van vo en pro lopen een dag mee op het ROC.",
        "partnership": people.partnership.pk,
        "theme": theme.pk,
        "question": "",
        "source_session": "",
        "board": "samenwerking",
        "owner": people.owner.pk,
        "owner_organisation": "",
        "mandate_level": MandateLevel.UITVOEREND,
        "deadline": days(30).isoformat(),
    }
    data.update(overrides)
    return data


def errors_of(response, field):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


# --- create and edit: Dutch messages on the right field, nothing saved -------------------------------------------

def test_werkgroeplid_creates_action_and_owner_organisation_follows_membership(client, people):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_create"), action_post_data(people))
    action = Action.objects.get(title="Gezamenlijke LOB-dag met het mbo plannen")
    assert response.status_code == 302 and response["Location"] == reverse("actieplan:action_detail", args=[action.pk])
    assert action.owner_organisation == people.organisation
    assert action.created_by == people.werkgroeplid
    assert action.status == ActionStatus.OPEN


def test_deadline_in_the_past_is_refused_on_the_deadline_field(client, people):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_create"), action_post_data(people, deadline=days(-1).isoformat()))
    assert response.status_code == 200
    assert errors_of(response, "deadline") == ["De deadline ligt in het verleden. Kies vandaag of een latere datum."]
    html = response.content.decode()
    assert 'id="id_deadline_error"' in html and "De actie is nog niet opgeslagen" in html
    assert not Action.objects.exists()


def test_owner_outside_the_partnership_gets_a_message_on_owner(client, people, other_people):
    admin = make_user("beheerder", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("actieplan:action_create"),
                           action_post_data(people, owner=other_people.werkgroeplid.pk))
    assert errors_of(response, "owner") == [
        "De eigenaar is geen lid van dit samenwerkingsverband. Kies iemand die lid is, "
        "of voeg de persoon eerst toe als lid."]
    assert not Action.objects.exists()


def test_werkgroeplid_cannot_pick_an_owner_from_another_partnership(client, people, other_people):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_create"),
                           action_post_data(people, owner=other_people.werkgroeplid.pk))
    assert errors_of(response, "owner")  # not even offered as a choice
    owner_choices = [pk for pk, _label in response.context["form"].fields["owner"].choices if pk]
    assert other_people.werkgroeplid.pk not in [int(str(pk)) for pk in owner_choices]
    assert people.owner.pk in [int(str(pk)) for pk in owner_choices]
    assert not Action.objects.exists()


def test_organisation_not_matching_the_owner_gets_a_message(client, people):
    other_org = make_organisation(people.partnership, name="ROC Ter AA")
    from tests.factories import add_member
    from actieplan.models import Role

    add_member(people.partnership, make_user(), other_org, Role.DEELNEMER)  # so the organisation is a choice
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:action_create"),
                           action_post_data(people, owner_organisation=other_org.pk))
    assert errors_of(response, "owner_organisation") == [
        f"Deze organisatie past niet bij de eigenaar; de eigenaar is lid namens {people.organisation.name}."]


def test_question_of_another_theme_gets_a_message_on_question(client, people):
    first, second = themes()
    question = ReflectionQuestion.objects.filter(theme=second).first()
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_create"),
                           action_post_data(people, theme=first.pk, question=question.pk))
    assert errors_of(response, "question") == ["Deze vraag hoort niet bij het gekozen thema."]


def test_session_of_another_partnership_gets_a_message_on_session(client, people, other_people):
    admin = make_user("beheerder2", is_superuser=True)
    session = ReflectionSession.objects.create(partnership=other_people.partnership, title="Reflectie voorjaar")
    client.force_login(admin)
    response = client.post(reverse("actieplan:action_create"),
                           action_post_data(people, source_session=session.pk))
    assert errors_of(response, "source_session") == ["Deze reflectiesessie hoort bij een ander samenwerkingsverband."]


def test_create_form_is_prefilled_from_the_reflection_results_link(client, people):
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie najaar")
    question = ReflectionQuestion.objects.filter(theme=themes()[1]).first()
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan:action_create"),
                          {"source_session": session.pk, "question": question.pk})
    initial = response.context["form"].initial
    assert initial == {"source_session": session.pk, "partnership": people.partnership.pk,
                       "question": question.pk, "theme": question.theme_id}
    html = response.content.decode()
    assert f'<option value="{session.pk}" selected>' in html


def test_prefill_ignores_a_session_of_someone_elses_partnership(client, people, other_people):
    session = ReflectionSession.objects.create(partnership=other_people.partnership, title="Geheim")
    client.force_login(people.procesbewaker)
    response = client.get(reverse("actieplan:action_create"), {"source_session": session.pk})
    assert "source_session" not in response.context["form"].initial
    assert "Geheim" not in response.content.decode()


def test_edit_keeps_an_old_deadline_but_refuses_moving_it_into_the_past(client, people):
    action = make_action(people.partnership, people.owner, deadline=days(-3))  # late, created earlier
    client.force_login(people.werkgroeplid)
    url = reverse("actieplan:action_edit", args=[action.pk])
    data = action_post_data(people, title="Nieuwe titel", deadline=days(-3).isoformat(), status="bezig")
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.title == "Nieuwe titel" and action.status == ActionStatus.BEZIG
    # The status change made on the edit form is on the timeline too.
    assert action.updates.get().new_status == ActionStatus.BEZIG

    response = client.post(url, action_post_data(people, deadline=days(-10).isoformat(), status="bezig"))
    assert errors_of(response, "deadline") == ["De deadline ligt in het verleden. Kies vandaag of een latere datum."]
    action.refresh_from_db()
    assert action.deadline == days(-3) and action.title == "Nieuwe titel"


# --- timeline: append-only, status through updates --------------------------------------------------------------

def test_update_with_new_status_moves_the_action_and_sets_completed_at(client, people):
    action = make_action(people.partnership, people.owner, status=ActionStatus.BEZIG)
    client.force_login(people.owner)  # the owner, a deelnemer without admin access
    url = reverse("actieplan:action_detail", args=[action.pk])
    response = client.post(url, {"note": "Draaiboek klaar en gedeeld.", "new_status": "afgerond", "percent_done": "100"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.AFGEROND
    assert action.completed_at is not None and timezone.now() - action.completed_at < datetime.timedelta(minutes=1)
    update = action.updates.get()
    assert (update.author, update.new_status, update.percent_done) == (people.owner, "afgerond", 100)

    client.post(url, {"note": "Toch nog een evaluatie nodig.", "new_status": "bezig"})
    action.refresh_from_db()
    assert action.status == ActionStatus.BEZIG and action.completed_at is None
    page = client.get(url).content.decode()
    assert page.index("Toch nog een evaluatie nodig.") < page.index("Draaiboek klaar en gedeeld.")  # newest first


def test_percent_done_outside_0_to_100_gets_a_clear_message(client, people):
    action = make_action(people.partnership, people.owner)
    client.force_login(people.werkgroeplid)
    url = reverse("actieplan:action_detail", args=[action.pk])
    response = client.post(url, {"note": "Half klaar", "percent_done": "150"})
    assert response.status_code == 200
    assert errors_of(response, "percent_done") == [
        "Het percentage kan niet hoger zijn dan 100; vul een getal in van 0 tot en met 100."]
    response = client.post(url, {"note": "", "percent_done": "-5"})
    assert errors_of(response, "note") == ["Schrijf kort wat er gebeurd is."]
    assert errors_of(response, "percent_done") == [
        "Het percentage kan niet lager zijn dan 0; vul een getal in van 0 tot en met 100."]
    assert not ActionUpdate.objects.exists()


def test_timeline_is_append_only(people):
    action = make_action(people.partnership, people.owner)
    first = services.add_update(action, people.owner, "Eerste gesprek gevoerd.", percent_done=20)
    first.note = "Herschreven geschiedenis"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    services.add_update(action, people.owner, "Correctie: het gesprek was met twee scholen.")
    notes = list(action.updates.values_list("note", flat=True))
    assert notes == ["Eerste gesprek gevoerd.", "Correctie: het gesprek was met twee scholen."]


def test_add_update_refuses_bad_input_from_imports(people):
    action = make_action(people.partnership, people.owner)
    with pytest.raises(ValidationError) as error:
        services.add_update(action, people.owner, "  ", new_status="klaar", percent_done=101)
    assert set(error.value.message_dict) == {"note", "new_status", "percent_done"}
    assert not action.updates.exists()


# --- audit log ----------------------------------------------------------------------------------------------------

def test_create_edit_and_update_are_in_wagtails_audit_log(client, people):
    client.force_login(people.procesbewaker)
    client.post(reverse("actieplan:action_create"), action_post_data(people))
    action = Action.objects.get()
    client.post(reverse("actieplan:action_edit", args=[action.pk]),
                action_post_data(people, title="LOB-dag met ROC en pro", status="open"))
    client.post(reverse("actieplan:action_detail", args=[action.pk]),
                {"note": "Datum geprikt.", "new_status": "bezig"})

    entries = ModelLogEntry.objects.for_instance(action).order_by("timestamp", "pk")
    assert [e.action for e in entries] == ["wagtail.create", "wagtail.edit", "actieplan.update"]
    assert {e.user for e in entries} == {people.procesbewaker}
    assert entries[1].data["changed_fields"] == ["title"]
    update_entry = entries[2]
    assert update_entry.data["new_status"] == "bezig"
    assert update_entry.message == "Voortgang toegevoegd; nieuwe status: bezig"
    assert update_entry.comment == "Datum geprikt."


# --- list: filters, scoping and query count -----------------------------------------------------------------------

def test_list_filters_to_overdue_actions(client, people):
    late = make_action(people.partnership, people.owner, title="Stagebank koppelen", deadline=days(-5))
    make_action(people.partnership, people.owner, title="Ouderavond voorbereiden", deadline=days(10))
    make_action(people.partnership, people.owner, title="Oud en afgerond", deadline=days(-20),
                status=ActionStatus.AFGEROND)
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list"), {"overdue": "true"})
    assert [a.pk for a in response.context["actions"]] == [late.pk]
    html = response.content.decode()
    assert "Stagebank koppelen" in html and "te laat" in html and "Ouderavond voorbereiden" not in html


def test_list_filters_by_status_owner_and_text(client, people):
    a = make_action(people.partnership, people.owner, title="Loopbaandossier doorgeven", status=ActionStatus.BEZIG)
    make_action(people.partnership, people.manager, title="Loopbaandossier evalueren")
    make_action(people.partnership, people.owner, title="Netwerkbijeenkomst werkgevers")
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list"),
                          {"q": "loopbaandossier", "owner": people.owner.pk, "status": ["bezig", "open"]})
    assert [x.pk for x in response.context["actions"]] == [a.pk]


def test_filter_choices_only_show_the_users_partnerships(rf, people, other_people):
    request = rf.get("/")
    request.user = people.werkgroeplid
    form = ActionFilterSet(queryset=Action.objects.all(), request=request).form
    listed = {name: {str(value) for value, _label in form.fields[name].choices if value != ""}
              for name in ("owner", "partnership", "owner_organisation")}
    assert str(people.owner.pk) in listed["owner"] and str(other_people.owner.pk) not in listed["owner"]
    assert listed["partnership"] == {str(people.partnership.pk)}
    assert str(other_people.organisation.pk) not in listed["owner_organisation"]
    # A submitted value from another partnership is refused, not silently applied.
    bound = ActionFilterSet({"owner": other_people.owner.pk, "partnership": other_people.partnership.pk},
                            queryset=Action.objects.all(), request=request)
    assert not bound.form.is_valid()
    assert {"owner", "partnership"} <= set(bound.form.errors)


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("url_name", ["actieplan:action_list", "actieplan:action_board"])
def test_query_count_does_not_grow_with_the_number_of_actions(client, people, url_name):
    owners = [people.owner, people.manager, people.werkgroeplid]
    theme_list = list(ReflectionTheme.objects.all())

    def fill(n):
        Action.objects.bulk_create([
            Action(title=f"Actie {i}", partnership=people.partnership, theme=theme_list[i % len(theme_list)],
                   owner=owners[i % 3], owner_organisation=people.organisation, mandate_level=1 + i % 3,
                   deadline=days(i % 40 - 10), status=ActionStatus.values[i % 5])
            for i in range(n)
        ])

    client.force_login(people.werkgroeplid)
    url = reverse(url_name) + "?overdue=&q="
    client.get(url)  # warm caches (content types, site) so both runs start equal
    fill(10)
    small, _ = _list_queries(client, url)
    fill(190)
    large, response = _list_queries(client, url)
    assert Action.objects.count() == 200
    assert small == large, f"{small} queries for 10 actions, {large} for 200"
    if url_name == "actieplan:action_list":
        assert len(response.context["actions"]) == 25  # paginated


def test_list_and_board_count_an_own_action_outside_ones_partnerships_once(client, people, other_people):
    """The counts add up the parts of the visibility rule: the partnerships one reads, and one's own actions in a
    partnership one takes part in as deelnemer, without counting twice; an own action in a partnership one has
    left is not shown at all (access follows membership)."""
    make_action(people.partnership, people.werkgroeplid, title="Eigen actie in de eigen regio")
    make_action(people.partnership, people.owner, title="Actie van een ander", status=ActionStatus.BEZIG)
    add_member(other_people.partnership, people.werkgroeplid, make_organisation(other_people.partnership),
               Role.DEELNEMER)
    make_action(other_people.partnership, people.werkgroeplid, title="Stagebank in de buurregio",
                status=ActionStatus.BEZIG)
    make_action(other_people.partnership, other_people.owner, title="Niet zichtbaar")
    left = make_partnership()
    make_action(left, people.werkgroeplid, title="Actie in een verband dat ze verliet")  # no membership there
    client.force_login(people.werkgroeplid)
    listing = client.get(reverse("actieplan:action_list"))
    assert listing.context["page_obj"].paginator.count == 3
    assert {a.title for a in listing.context["actions"]} == {"Eigen actie in de eigen regio", "Actie van een ander",
                                                             "Stagebank in de buurregio"}
    board = client.get(reverse("actieplan:action_board"))
    totals = {column["status"]: column["total"] for column in board.context["columns"]}
    assert totals[ActionStatus.OPEN] == 1 and totals[ActionStatus.BEZIG] == 2
    filtered = client.get(reverse("actieplan:action_list"), {"status": "bezig"})
    assert filtered.context["page_obj"].paginator.count == 2


def test_board_shows_columns_with_counts_and_links_to_the_rest(client, people, monkeypatch):
    from actieplan.actions import views as views

    monkeypatch.setattr(views, "BOARD_CARDS_PER_COLUMN", 2)
    for i in range(3):
        make_action(people.partnership, people.owner, title=f"Geblokkeerd {i}", status=ActionStatus.GEBLOKKEERD,
                    deadline=days(i + 1))
    late = make_action(people.partnership, people.manager, title="Te late actie", deadline=days(-2),
                       mandate_level=MandateLevel.BESTUURLIJK)
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:action_board"))
    columns = {c["status"]: c for c in response.context["columns"]}
    assert list(columns) == ["open", "bezig", "geblokkeerd", "afgerond", "vervallen"]
    blocked = columns["geblokkeerd"]
    assert [a.title for a in blocked["cards"]] == ["Geblokkeerd 0", "Geblokkeerd 1"]  # most urgent first
    assert blocked["total"] == 3 and blocked["hidden"] == 1
    html = response.content.decode()
    assert "Nog 1 actie niet getoond." in html and "Alle 3 acties met status geblokkeerd in de lijst" in html
    assert "status=geblokkeerd" in html
    assert [a.pk for a in columns["open"]["cards"]] == [late.pk]
    assert "bestuurlijk" in html and "te laat" in html


def test_board_shows_the_most_recently_finished_actions_first(client, people, monkeypatch):
    from actieplan.models import Action
    from actieplan.actions import views as views

    monkeypatch.setattr(views, "BOARD_CARDS_PER_COLUMN", 2)
    now = timezone.now()
    for i in range(3):
        done = make_action(people.partnership, people.owner, title=f"Afgerond {i}", status=ActionStatus.AFGEROND)
        Action.objects.filter(pk=done.pk).update(updated_at=now - datetime.timedelta(days=10 - i))
    make_action(people.partnership, people.owner, title="Vervallen", status=ActionStatus.VERVALLEN)
    client.force_login(people.bestuurder)
    columns = {c["status"]: c for c in client.get(reverse("actieplan:action_board")).context["columns"]}
    assert [a.title for a in columns["afgerond"]["cards"]] == ["Afgerond 2", "Afgerond 1"]
    assert columns["afgerond"]["hidden"] == 1
    assert [a.title for a in columns["vervallen"]["cards"]] == ["Vervallen"]
    assert not columns["open"]["cards"] and not columns["bezig"]["cards"]


def test_list_and_board_escape_what_people_typed(client, people):
    """Rows and cards come from (cached) templates: what people typed stays text."""
    people.owner.first_name = "<b>Otto</b>"
    people.owner.save()
    make_action(people.partnership, people.owner, title='<script>alert("x")</script> & co')
    client.force_login(people.werkgroeplid)
    for url in (reverse("actieplan:action_list"), reverse("actieplan:action_board")):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>Otto</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in html
        assert "&lt;b&gt;Otto&lt;/b&gt;" in html


def test_list_links_to_export_import_calendar_and_preferences_with_the_current_filters(client, people):
    make_action(people.partnership, people.owner, title="Overdrachtsdossier afspreken")
    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan:action_list"), {"status": "open"}).content.decode()
    assert reverse("actieplan:action_export_xlsx") + "?status=open" in html
    assert reverse("actieplan:action_import") in html
    assert reverse("actieplan:calendar_settings") in html
    assert reverse("actieplan:reminder_preferences") in html
    # A bestuurder reads and exports, but does not import.
    client.force_login(people.bestuurder)
    html = client.get(reverse("actieplan:action_list")).content.decode()
    assert reverse("actieplan:action_export_csv") in html
    assert reverse("actieplan:action_import") not in html


def test_status_filter_counts_actions_not_partnerships(client, people):
    """The list once said "1 actie" for 14 open ones: the count must be the number of rows, for every status."""
    for i in range(14):
        make_action(people.partnership, people.owner, title=f"Open actie {i}")
    for i in range(3):
        make_action(people.partnership, people.owner, title=f"Afgeronde actie {i}", status=ActionStatus.AFGEROND)
    client.force_login(people.werkgroeplid)
    for status, expected in (("open", 14), ("afgerond", 3)):
        response = client.get(reverse("actieplan:action_list"), {"status": status})
        assert response.context["page_obj"].paginator.count == expected
        assert f"{expected} acties" in response.content.decode()
        board = client.get(reverse("actieplan:action_board"))
        column = next(c for c in board.context["columns"] if c["status"] == status)
        assert column["total"] == expected
        csv_rows = client.get(reverse("actieplan:action_export_csv"), {"status": status}).content.decode("utf-8-sig")
        assert len([line for line in csv_rows.splitlines()[1:] if line.strip()]) == expected
