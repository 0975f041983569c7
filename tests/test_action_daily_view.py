"""The action plan as a werkgroep member uses it every day: the default order and sortable columns,
"Mijn acties", the summary above the list, progress bars and sub-actions, the status form on a board
card, the printable list, landing on the plan after login, and pages that survive deleted people."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actieplan.actions import services
from actieplan.models import Action, ActionStatus, ActionUpdate, Organisation
from tests.factories import make_action, make_user

pytestmark = pytest.mark.django_db


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def titles(response):
    return [a.title for a in response.context["actions"]]


def test_default_order_puts_work_to_do_first_by_deadline_then_finished(client, people):
    make_action(people.partnership, people.owner, title="Afgerond, vroeg", deadline=days(1),
                status=ActionStatus.AFGEROND)
    make_action(people.partnership, people.owner, title="Open, later", deadline=days(20))
    make_action(people.partnership, people.owner, title="Geblokkeerd, eerst", deadline=days(2),
                status=ActionStatus.GEBLOKKEERD)
    make_action(people.partnership, people.owner, title="Vervallen", deadline=days(3), status=ActionStatus.VERVALLEN)
    make_action(people.partnership, people.owner, title="Bezig, midden", deadline=days(10), status=ActionStatus.BEZIG)
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list"))
    assert titles(response) == ["Geblokkeerd, eerst", "Bezig, midden", "Open, later", "Afgerond, vroeg", "Vervallen"]


def test_columns_sort_by_link_and_show_the_active_sort(client, people):
    make_action(people.partnership, people.owner, title="Bravo", deadline=days(5))
    make_action(people.partnership, people.manager, title="alfa", deadline=days(9), status=ActionStatus.AFGEROND)
    make_action(people.partnership, people.owner, title="Charlie", deadline=days(1))
    client.force_login(people.werkgroeplid)
    url = reverse("actieplan:action_list")
    assert titles(client.get(url, {"sort": "titel"})) == ["alfa", "Bravo", "Charlie"]
    assert titles(client.get(url, {"sort": "-titel"})) == ["Charlie", "Bravo", "alfa"]
    assert titles(client.get(url, {"sort": "deadline"})) == ["Charlie", "Bravo", "alfa"]
    assert titles(client.get(url, {"sort": "-deadline"})) == ["alfa", "Bravo", "Charlie"]
    assert titles(client.get(url, {"sort": "status"})) == ["Bravo", "Charlie", "alfa"]  # open before afgerond
    response = client.get(url, {"status": "open", "sort": "deadline"})
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html and "(oplopend gesorteerd)" in html
    # The active column's link turns the order around and keeps the filters.
    active = next(c for c in response.context["sort_links"] if c["active"])
    assert active["url"] == "?status=open&sort=-deadline" and f'href="{active["url"].replace("&", "&amp;")}"' in html
    # An unknown sort falls back to the default order, no error.
    assert client.get(url, {"sort": "DROP TABLE"}).status_code == 200


def test_mine_is_one_click_and_counts_only_my_actions(client, people):
    make_action(people.partnership, people.werkgroeplid, title="Van mij")
    make_action(people.partnership, people.owner, title="Van Otto")
    client.force_login(people.werkgroeplid)
    html = client.get(reverse("actieplan:action_list")).content.decode()
    assert 'href="/actieplan/?mine=on"' in html and "Mijn acties" in html
    response = client.get(reverse("actieplan:action_list"), {"mine": "on"})
    assert titles(response) == ["Van mij"] and "1 actie" in response.content.decode()


def test_summary_counts_link_to_exactly_those_actions(client, people):
    make_action(people.partnership, people.owner, title="Open 1")
    make_action(people.partnership, people.owner, title="Open en te laat", deadline=days(-3))
    make_action(people.partnership, people.owner, title="Geblokkeerd", status=ActionStatus.GEBLOKKEERD)
    make_action(people.partnership, people.owner, title="Klaar", status=ActionStatus.AFGEROND)
    old = make_action(people.partnership, people.owner, title="Lang geleden klaar", status=ActionStatus.AFGEROND)
    Action.objects.filter(pk=old.pk).update(completed_at=timezone.now() - datetime.timedelta(days=400))
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list"))
    figures = {f["key"]: f for f in response.context["summary"]}
    # "nog te doen" is everything not finished (open, bezig, geblokkeerd), as on Voortgang and in the blocks.
    assert {k: f["count"] for k, f in figures.items()} == {"to-do": 3, "late": 1, "blocked": 1, "done": 1}
    assert [str(f["label"]) for f in figures.values()] == ["nog te doen", "verlopen", "geblokkeerd",
                                                           "afgerond dit kwartaal"]
    for figure in figures.values():
        followed = client.get(figure["url"])
        assert followed.context["page_obj"].paginator.count == figure["count"], figure["key"]
        assert figure["url"].replace("&", "&amp;") in response.content.decode()


def test_progress_from_latest_note_else_the_status_default(client, people):
    open_action = make_action(people.partnership, people.owner, title="Nog niets")
    busy = make_action(people.partnership, people.owner, title="Bezig zonder percentage", status=ActionStatus.BEZIG)
    noted = make_action(people.partnership, people.owner, title="Met percentage")
    services.add_update(noted, people.owner, "Eerste stap", percent_done=20)
    services.add_update(noted, people.owner, "Verder", percent_done=70)
    services.add_update(noted, people.owner, "Alleen een notitie")
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list"))
    percent = {a.pk: a.percent for a in response.context["actions"]}
    assert percent == {open_action.pk: 0, busy.pk: 50, noted.pk: 70}
    assert '<progress max="100" value="70">' in response.content.decode()


def test_parent_rolls_up_weighted_progress_and_cannot_close_with_open_children(client, people):
    parent = make_action(people.partnership, people.owner, title="Warme overdracht vo-mbo")
    heavy = make_action(people.partnership, people.owner, title="Dossiers", parent=parent, weight=3)
    light = make_action(people.partnership, people.owner, title="Intake", parent=parent)
    make_action(people.partnership, people.owner, title="Vervallen stap", parent=parent, status=ActionStatus.VERVALLEN)
    services.add_update(heavy, people.owner, "Bijna", percent_done=80)
    services.add_update(light, people.owner, "Begonnen", percent_done=20)
    client.force_login(people.werkgroeplid)
    detail = client.get(reverse("actieplan:action_detail", args=[parent.pk]))
    assert detail.context["percent"] == round((3 * 80 + 1 * 20) / 4)  # vervallen counts not
    assert "Dossiers" in detail.content.decode() and "gewicht 3" in detail.content.decode()
    listed = {a.pk: a.percent for a in client.get(reverse("actieplan:action_list")).context["actions"]}
    assert listed[parent.pk] == 65
    assert (listed[heavy.pk], listed[light.pk]) == (80, 20)  # children on the same page keep their own figure
    board = client.get(reverse("actieplan:action_board")).context["columns"]
    carded = {card.pk: (card.percent, card.child_count) for column in board for card in column["cards"]}
    assert carded[parent.pk] == (65, 3) and carded[heavy.pk] == (80, 0)
    # Without weights: the plain mean.
    Action.objects.filter(pk=heavy.pk).update(weight=None)
    assert client.get(reverse("actieplan:action_detail", args=[parent.pk])).context["percent"] == 50
    # A half is rounded up, as every percentage on the platform: 0 % and 25 % make 13 %, not the even 12.
    services.add_update(heavy, people.owner, "Opnieuw begonnen", percent_done=0)
    services.add_update(light, people.owner, "Kwart", percent_done=25)
    assert client.get(reverse("actieplan:action_detail", args=[parent.pk])).context["percent"] == 13

    # Closing the parent while a child is open is refused, and says why.
    response = client.post(reverse("actieplan:action_detail", args=[parent.pk]),
                           {"note": "Klaar", "new_status": "afgerond"})
    assert response.status_code == 200
    assert "Deze actie heeft nog 2 openstaande subacties." in response.content.decode()
    parent.refresh_from_db()
    assert parent.status == ActionStatus.OPEN
    for child in (heavy, light):
        services.add_update(child, people.owner, "Af", new_status=ActionStatus.AFGEROND)
    services.add_update(parent, people.owner, "Nu wel", new_status=ActionStatus.AFGEROND)
    parent.refresh_from_db()
    assert parent.status == ActionStatus.AFGEROND


def test_a_sub_action_of_another_partnership_is_refused(people, other_people):
    from django.core.exceptions import ValidationError

    parent = make_action(other_people.partnership, other_people.owner, title="Elders")
    child = Action(title="Hier", partnership=people.partnership, theme=parent.theme, owner=people.owner,
                   mandate_level=1, deadline=days(5), parent=parent)
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert error.value.message_dict["parent"] == ["De hoofdactie hoort bij een ander samenwerkingsverband."]


def test_status_changes_from_the_board_card_without_javascript(client, people):
    action = make_action(people.partnership, people.owner, title="Stagebank vullen")
    client.force_login(people.werkgroeplid)
    board = client.get(reverse("actieplan:action_board"))
    html = board.content.decode()
    assert f'action="{reverse("actieplan:action_status", args=[action.pk])}"' in html
    response = client.post(reverse("actieplan:action_status", args=[action.pk]),
                           {"status": "bezig", "next": reverse("actieplan:action_board")})
    assert response.status_code == 302 and response["Location"] == reverse("actieplan:action_board")
    action.refresh_from_db()
    assert action.status == ActionStatus.BEZIG
    assert ActionUpdate.objects.filter(action=action, new_status="bezig").count() == 1
    followed = client.get(reverse("actieplan:action_board"))
    assert "“Stagebank vullen” staat nu op bezig." in followed.content.decode()
    # A bestuurder reads the board but gets no form, and a forged post is refused.
    client.force_login(people.bestuurder)
    assert f'action="{reverse("actieplan:action_status", args=[action.pk])}"' not in \
        client.get(reverse("actieplan:action_board")).content.decode()
    assert client.post(reverse("actieplan:action_status", args=[action.pk]), {"status": "open"}).status_code == 403
    # A werkgroeplid who becomes bestuurder loses the form at once (the cached membership rows follow).
    client.force_login(people.werkgroeplid)
    membership = people.partnership.memberships.get(user=people.werkgroeplid)
    membership.role = "bestuurder"
    membership.save()
    assert f'action="{reverse("actieplan:action_status", args=[action.pk])}"' not in \
        client.get(reverse("actieplan:action_board")).content.decode()
    membership.role = "werkgroeplid"
    membership.save()
    # A bad status or an outside "next" never breaks or leaves the site.
    response = client.post(reverse("actieplan:action_status", args=[action.pk]),
                           {"status": "klaar!", "next": "https://example.com/"})
    assert response.status_code == 302 and response["Location"] == reverse("actieplan:action_board")


def test_printable_list_has_all_matching_rows_and_print_css(client, people):
    for i in range(30):
        make_action(people.partnership, people.owner, title=f"Actie {i}")
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list"), {"afdrukken": "1"})
    assert len(response.context["actions"]) == 30
    assert 'rel="next"' not in response.content.decode()
    from django.contrib.staticfiles import finders

    css = open(finders.find("actieplan/actieplan.css")).read()
    assert "@media print" in css and ".ap-filters" in css.split("@media print")[1]


def test_after_login_a_member_lands_on_the_action_plan(client, people):
    response = client.post(reverse("login"), {"username": people.werkgroeplid.username,
                                              "password": "geheim-wachtwoord-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("actieplan:action_list")
    client.logout()
    response = client.post(reverse("login"), {"username": people.editor.username,
                                              "password": "geheim-wachtwoord-123"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"


def test_deleted_note_author_creator_and_organisation_never_break_the_page(client, people):
    author = make_user("vertrokken", first_name="Vera", last_name="Vertrokken")
    from tests.factories import add_member
    from actieplan.models import Role

    lone_org = Organisation.objects.create(name="Opgeheven school", organisation_type="vo")
    add_member(people.partnership, author, people.organisation, Role.WERKGROEPLID)
    action = make_action(people.partnership, people.owner, title="Overdracht", created_by=author)
    Action.objects.filter(pk=action.pk).update(owner_organisation=lone_org)
    services.add_update(action, author, "Gesprek gevoerd met het mbo.")
    author.delete()
    # An organisation that still holds actions is kept (issue 11: nothing is lost silently).
    from django.db.models import ProtectedError
    with pytest.raises(ProtectedError):
        lone_org.delete()
    client.force_login(people.werkgroeplid)
    for url in (reverse("actieplan:action_detail", args=[action.pk]), reverse("actieplan:action_list"),
                reverse("actieplan:action_board"), reverse("actieplan:action_export_csv")):
        assert client.get(url).status_code == 200, url
    html = client.get(reverse("actieplan:action_detail", args=[action.pk])).content.decode()
    # The name stays on the note and on "aangemaakt door" (a snapshot taken when the account was deleted).
    assert "Vera Vertrokken" in html and "Gesprek gevoerd met het mbo." in html
    assert "verwijderde gebruiker" not in html


def test_long_dutch_words_wrap_on_cards(client, people):
    make_action(people.partnership, people.owner, title="Verantwoordelijkhedenverdelingsoverleg management/projectleiding")
    client.force_login(people.werkgroeplid)
    assert client.get(reverse("actieplan:action_board")).status_code == 200
    from django.contrib.staticfiles import finders

    css = open(finders.find("actieplan/actieplan.css")).read()
    assert "overflow-wrap: anywhere" in css


@pytest.mark.parametrize("query", ["", "?sort=-deadline&status=open&status=bezig", "?mine=on", "?afdrukken=1",
                                   "bord"])
def test_query_count_is_constant_with_notes_sub_actions_and_cached_fragments(client, people, query):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actieplan.models import ReflectionTheme

    theme_list = list(ReflectionTheme.objects.all())

    def fill(n):
        made = Action.objects.bulk_create([
            Action(title=f"Actie {i}", partnership=people.partnership, theme=theme_list[i % len(theme_list)],
                   owner=[people.owner, people.werkgroeplid][i % 2], owner_organisation=people.organisation,
                   mandate_level=1 + i % 3, deadline=days(i % 30 - 5), status=ActionStatus.values[i % 5])
            for i in range(n)])
        Action.objects.bulk_create([
            Action(title=f"Subactie {a.pk}", partnership=people.partnership, theme=a.theme, owner=people.owner,
                   mandate_level=1, deadline=days(3), parent=a, weight=2) for a in made[::3]])
        ActionUpdate.objects.bulk_create([ActionUpdate(action=a, note="Stap", percent_done=40) for a in made[::2]])

    url = reverse("actieplan:action_board") if query == "bord" else reverse("actieplan:action_list") + query
    client.force_login(people.werkgroeplid)
    client.get(url)  # warm the site and content-type caches
    fill(6)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    fill(54)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as cached:  # fragments from the cache: no extra queries either
        assert client.get(url).status_code == 200
    assert len(small) == len(large) == len(cached), (len(small), len(large), len(cached))


def test_action_form_offers_kies_groups_questions_per_theme_and_links_errors_to_fields(client, people):
    from actieplan.models import ReflectionQuestion, ReflectionTheme

    client.force_login(people.procesbewaker)
    html = client.get(reverse("actieplan:action_create")).content.decode()
    assert "---------" not in html and "Kies…" in html
    first_theme = ReflectionTheme.objects.order_by("sort_order").first()
    assert f'<optgroup label="{first_theme.name}">' in html and 'data-narrow-by="id_theme"' in html
    assert 'type="checkbox"' in html or "id_linked_pages" not in html  # no Ctrl-click box
    assert "Houd Ctrl" not in html
    other = ReflectionQuestion.objects.exclude(theme=first_theme).first()
    response = client.post(reverse("actieplan:action_create"), {
        "title": "", "partnership": people.partnership.pk, "theme": first_theme.pk, "question": other.pk,
        "owner": people.owner.pk, "mandate_level": 1, "deadline": days(10).isoformat()})
    html = response.content.decode()
    assert response.status_code == 200 and not Action.objects.exists()
    assert '<a href="#id_title">' in html and '<a href="#id_question">' in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_question_error"' in html


def test_sub_action_is_created_from_the_parent_page(client, people):
    parent = make_action(people.partnership, people.owner, title="Loopbaandossier invoeren")
    client.force_login(people.werkgroeplid)
    detail = client.get(reverse("actieplan:action_detail", args=[parent.pk])).content.decode()
    assert "Subactie toevoegen" in detail
    form = client.get(reverse("actieplan:action_create"), {"parent": parent.pk}).context["form"]
    assert form.initial["parent"] == parent.pk and form.initial["partnership"] == people.partnership.pk


def test_cached_rows_and_choices_follow_a_rename_at_once(client, people):
    """Rows and choice lists come from Django's cache; a save of a name they show replaces them everywhere."""
    make_action(people.partnership, people.owner, title="Netwerkdag")
    client.force_login(people.werkgroeplid)
    url = reverse("actieplan:action_list")
    assert "Otto Eigenaar" in client.get(url).content.decode()
    people.owner.first_name = "Otto-Jan"
    people.owner.save()
    people.partnership.name = "VSV-regio Zuidoost"
    people.partnership.save()
    html = client.get(url).content.decode()
    assert "Otto-Jan Eigenaar" in html and "VSV-regio Zuidoost" in html
    assert f'<option value="{people.partnership.pk}">VSV-regio Zuidoost</option>' in html
