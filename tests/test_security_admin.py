"""The admin never shows one partnership's actions, sessions, people or events to another partnership.

Wagtail's snippet choosers and its site history report read every object by default; a werkgroeplid of
partnership A must find only A's titles there, as in the listings.
"""

import pytest
from django.urls import reverse
from wagtail.log_actions import log

from actieplan.models import Meeting, ReflectionSession
from tests.factories import make_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_plans(people, other_people):
    a, b = people, other_people
    plan = {
        "a_action": make_action(a.partnership, a.owner, title="Warme overdracht vso-mbo regelen"),
        "b_action": make_action(b.partnership, b.owner, title="Geheime stagebank Helmond opzetten"),
        "a_session": ReflectionSession.objects.create(partnership=a.partnership, title="Reflectie voorjaar A"),
        "b_session": ReflectionSession.objects.create(partnership=b.partnership, title="Reflectie geheim B"),
    }
    log(instance=plan["a_action"], action="wagtail.create", user=a.procesbewaker)
    log(instance=plan["b_action"], action="wagtail.create", user=b.procesbewaker)
    log(instance=plan["a_session"], action="wagtail.create", user=a.procesbewaker)
    log(instance=plan["b_session"], action="wagtail.create", user=b.procesbewaker)
    return plan


def get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    if response.streaming:
        return response, b"".join(response.streaming_content).decode()
    return response, response.content.decode()


CHOOSERS = [
    ("action", "Warme overdracht vso-mbo regelen", "Geheime stagebank Helmond opzetten"),
    ("reflectionsession", "Reflectie voorjaar A", "Reflectie geheim B"),
]


@pytest.mark.parametrize("model, own, foreign", CHOOSERS)
def test_snippet_chooser_lists_only_own_partnership(client, people, two_plans, model, own, foreign):
    response, html = get(client, people.werkgroeplid, f"/admin/snippets/choose/actieplan/{model}/")
    assert response.status_code == 200
    assert own in html
    assert foreign not in html


@pytest.mark.parametrize("model, own, foreign", CHOOSERS)
def test_snippet_chooser_search_finds_nothing_across_partnerships(client, people, two_plans, model, own, foreign):
    url = f"/admin/snippets/choose/actieplan/{model}/results/"
    response, html = get(client, people.werkgroeplid, url, q=foreign.split()[1])
    assert response.status_code == 200
    assert foreign not in html
    response, html = get(client, people.werkgroeplid, url, q=own.split()[1])
    assert own in html


@pytest.mark.parametrize("model, key", [("action", "b_action"), ("reflectionsession", "b_session")])
def test_snippet_chosen_of_other_partnership_is_404(client, people, two_plans, model, key):
    foreign = two_plans[key]
    response, html = get(client, people.werkgroeplid, f"/admin/snippets/choose/actieplan/{model}/chosen/{foreign.pk}/")
    assert response.status_code == 404
    assert str(foreign) not in html
    own = two_plans[key.replace("b_", "a_")]
    response, html = get(client, people.werkgroeplid, f"/admin/snippets/choose/actieplan/{model}/chosen/{own.pk}/")
    assert response.status_code == 200
    assert str(own) in html


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999999", "-1", "%00"])
def test_snippet_chosen_with_malformed_id_is_404(client, people, two_plans, pk):
    response, _ = get(client, people.werkgroeplid, f"/admin/snippets/choose/actieplan/action/chosen/{pk}/")
    # A NUL in the path never reaches the view: the middleware's Dutch 400 (lobplatform/middleware.py).
    assert response.status_code == (400 if pk == "%00" else 404)


def test_meeting_and_membership_choosers_are_scoped(client, people, other_people):
    Meeting.objects.create(partnership=other_people.partnership, title="Bestuursoverleg geheim B",
                           starts_at="2026-12-10T10:00:00+01:00")
    response, html = get(client, people.werkgroeplid, "/admin/snippets/choose/actieplan/meeting/")
    assert response.status_code == 200 and "Bestuursoverleg geheim B" not in html
    response, html = get(client, people.werkgroeplid, "/admin/snippets/choose/actieplan/membership/")
    assert response.status_code == 200
    assert "Pia" in html and "b_procesbewaker" not in html and other_people.organisation.name not in html


def test_site_history_shows_only_own_partnership_events(client, people, other_people, two_plans):
    response, html = get(client, people.werkgroeplid, reverse("wagtailadmin_reports:site_history"))
    assert response.status_code == 200
    assert "Warme overdracht vso-mbo regelen" in html
    assert "Reflectie voorjaar A" in html
    assert "Geheime stagebank Helmond opzetten" not in html
    assert "Reflectie geheim B" not in html
    assert "b_procesbewaker" not in html  # not even in the user filter


def test_site_history_export_is_scoped(client, people, two_plans):
    response, body = get(client, people.werkgroeplid, reverse("wagtailadmin_reports:site_history"), export="csv")
    assert response.status_code == 200
    assert "Warme overdracht vso-mbo regelen" in body
    assert "Geheime stagebank Helmond opzetten" not in body
    assert "Reflectie geheim B" not in body


def test_site_history_results_view_is_scoped(client, people, two_plans):
    response, html = get(client, people.werkgroeplid, reverse("wagtailadmin_reports:site_history_results"))
    assert response.status_code == 200
    assert "Geheime stagebank Helmond opzetten" not in html


def test_anonymous_visitors_are_sent_to_the_login_for_the_site_history(client):
    for url in (reverse("wagtailadmin_reports:site_history"), reverse("wagtailadmin_reports:site_history_results")):
        response = client.get(url, {"export": "csv"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_superuser_still_sees_every_partnership_in_history_and_chooser(client, admin_user, two_plans):
    response, html = get(client, admin_user, reverse("wagtailadmin_reports:site_history"))
    assert "Geheime stagebank Helmond opzetten" in html and "Warme overdracht vso-mbo regelen" in html
    response, html = get(client, admin_user, "/admin/snippets/choose/actieplan/action/")
    assert "Geheime stagebank Helmond opzetten" in html
