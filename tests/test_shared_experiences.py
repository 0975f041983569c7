"""Issue 28, what works spreads across regions: a good practice's public page counts the partnerships that took it
up and shows the closing notes of done actions of the partnerships that chose to share them, as "een
samenwerkingsverband in <provincie>" unless they chose to be named; nothing else of an action leaves the plan."""

import itertools

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.actions import services
from actieplan.models import Partnership
from good_practices.models import GoodPracticePage
from tests.factories import add_member, make_action, make_organisation, make_partnership, make_user

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


@pytest.fixture
def practice(library):
    page = GoodPracticePage(title="Stagebank met de gemeente", summary="Een stagebank die werkt.")
    library.add_child(instance=page)
    page.save_revision().publish()
    return page


def done_with_note(partnership, practice, note, *, title=None, owner=None, **sharing):
    Partnership.objects.filter(pk=partnership.pk).update(**sharing)
    owner = owner or make_user(first_name="Olga", last_name=f"Eigenaar{next(_n)}")
    action = make_action(partnership, owner, title=title or f"Actie {next(_n)}",
                         description="Interne omschrijving die binnen het plan blijft.")
    action.linked_pages.add(practice)
    services.add_update(action, owner, "Tussenstand: nog bezig met de gemeente.")
    services.add_update(action, owner, note, new_status="afgerond")
    return action


def test_an_anonymous_experience_shows_the_province_and_nothing_else_of_the_action(client, practice):
    partnership = make_partnership("Regio Zuidoost-Brabant")
    owner = make_user(first_name="Henk", last_name="Hoogeveen")
    action = done_with_note(partnership, practice, "Werkte goed: twintig nieuwe stageplekken.",
                            title="Stagebank opzetten (geheim)", owner=owner, share_experiences=True,
                            province="noord-brabant")
    html = client.get(practice.url).content.decode()
    assert "Werkte goed: twintig nieuwe stageplekken." in html
    assert "Een samenwerkingsverband in Noord-Brabant" in html
    for leak in ("Regio Zuidoost-Brabant", "Stagebank opzetten (geheim)", "Hoogeveen", "Henk",
                 "Tussenstand", "Interne omschrijving", reverse("actieplan:action_detail", args=[action.pk])):
        assert leak not in html, leak
    assert "Opgepakt door 1 samenwerkingsverband." in html and "Geteld over alle regio's" in html


def test_a_named_experience_shows_the_partnership_and_the_action_title_but_not_the_owner(client, practice):
    partnership = make_partnership("Regio Twente")
    owner = make_user(first_name="Henk", last_name="Hoogeveen")
    action = done_with_note(partnership, practice, "Ouders kwamen massaal.", title="Ouderavond stages",
                            owner=owner, share_experiences=True, experiences_named=True, province="overijssel")
    html = client.get(practice.url).content.decode()
    assert "Regio Twente" in html and "Ouderavond stages" in html and "Ouders kwamen massaal." in html
    assert "Hoogeveen" not in html and reverse("actieplan:action_detail", args=[action.pk]) not in html


def test_switching_sharing_off_removes_the_experience_at_once_and_archived_or_reopened_never_show(
        client, practice, people):
    Partnership.objects.filter(pk=people.partnership.pk).update(province="utrecht")
    done_with_note(people.partnership, practice, "Notitie van regio A.", share_experiences=True)
    assert "Notitie van regio A." in client.get(practice.url).content.decode()  # now cached
    procesbewaker = Client()
    procesbewaker.force_login(people.procesbewaker)
    response = procesbewaker.post(reverse("actieplan:partnership_sharing", args=[people.partnership.pk]),
                                  {"province": "utrecht"})  # every box unticked
    assert response.status_code == 302
    assert "Notitie van regio A." not in client.get(practice.url).content.decode()

    archived = make_partnership()
    done_with_note(archived, practice, "Notitie van een gearchiveerde regio.", share_experiences=True)
    Partnership.objects.get(pk=archived.pk).save()  # a save bumps the cache, as the admin's archive does
    Partnership.objects.filter(pk=archived.pk).update(archived=True)
    Partnership.objects.get(pk=archived.pk).save()
    reopened_in = make_partnership()
    action = done_with_note(reopened_in, practice, "Notitie die daarna weer openging.", share_experiences=True)
    services.add_update(action, action.owner, "Toch nog niet klaar.", new_status="bezig")
    html = client.get(practice.url).content.decode()
    assert "gearchiveerde regio" not in html and "weer openging" not in html


def test_sharing_anonymously_needs_a_province(people):
    client = Client()
    client.force_login(people.procesbewaker)
    response = client.post(reverse("actieplan:partnership_sharing", args=[people.partnership.pk]),
                           {"share_experiences": "on", "province": ""})
    assert response.status_code == 200
    assert "Kies de provincie" in response.content.decode()
    people.partnership.refresh_from_db()
    assert not people.partnership.share_experiences


regions = st.lists(st.tuples(st.booleans(), st.booleans(), st.sampled_from(["", "limburg", "zeeland"])),
                   min_size=1, max_size=6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(regions)
def test_a_partnership_that_does_not_share_never_appears(practice, rows):
    """Generated regions, each with a done action linked to the practice: the public page holds the closing notes,
    names and titles of exactly the sharing ones (a name and title only when named), none of the others."""
    with transaction.atomic():
        made = []
        for share, named, province in rows:
            n = next(_n)
            partnership = make_partnership(f"Regio nummer {n}")
            done_with_note(partnership, practice, f"Ervaring-{n}-tekst", title=f"Titel-{n}-actie",
                           share_experiences=share, experiences_named=named, province=province)
            made.append((n, share, named))
        html = Client().get(practice.url).content.decode()
        for n, share, named in made:
            assert (f"Ervaring-{n}-tekst" in html) == share
            assert (f"Regio nummer {n}<" in html or f"Regio nummer {n}," in html) == (share and named)
            assert (f"Titel-{n}-actie" in html) == (share and named)
        transaction.set_rollback(True)
