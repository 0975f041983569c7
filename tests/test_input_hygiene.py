"""Bad input gets a clear Dutch message, never a 500 and never a broken mail or export.

The rules live in ``actieplan.validators``; the forms, the admin and the import all use them.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actieplan.models import Action
from actieplan.validators import parse_id, parse_int
from tests.factories import make_action
from tests.test_actions import action_post_data

pytestmark = pytest.mark.django_db

SINGLE_LINE = "Gebruik één regel gewone tekst, zonder regeleinden of onzichtbare stuurtekens."


@pytest.mark.parametrize("title", ["Stage\r\nBcc: iedereen@example.nl", "Regel een\nregel twee", "Bel\x01 ROC",
                                   "Escape \x1b[31m rood", "Lijn\u2028scheiding"])
def test_front_end_refuses_control_characters_and_line_breaks_in_the_title(client, people, title):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_create"), action_post_data(people, title=title))
    assert response.status_code == 200
    assert SINGLE_LINE in response.content.decode()
    assert not Action.objects.exists()


def test_description_keeps_its_line_breaks_but_not_control_characters(client, people):
    client.force_login(people.werkgroeplid)
    client.post(reverse("actieplan:action_create"), action_post_data(people, description="Stap 1\r\nStap 2"))
    assert Action.objects.get().description.splitlines() == ["Stap 1", "Stap 2"]
    response = client.post(reverse("actieplan:action_create"), action_post_data(people, description="Bel\x07"))
    assert "onzichtbare stuurtekens" in response.content.decode()


def test_admin_refuses_line_breaks_in_the_title(client, people):
    client.force_login(people.procesbewaker)
    action = make_action(people.partnership, people.owner, title="Netjes")
    url = reverse("actieplan_actions:edit", args=[action.pk])
    data = {"title": "Twee\nregels", "description": "", "partnership": people.partnership.pk,
            "theme": action.theme_id, "question": "", "source_session": "", "board": "", "owner": people.owner.pk,
            "owner_organisation": "", "mandate_level": action.mandate_level,
            "deadline": action.deadline.isoformat(), "status": "open"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert SINGLE_LINE in response.content.decode()
    action.refresh_from_db()
    assert action.title == "Netjes"


def test_deadline_more_than_ten_years_out_is_refused(client, people):
    client.force_login(people.werkgroeplid)
    far = timezone.localdate().replace(year=timezone.localdate().year + 11)
    response = client.post(reverse("actieplan:action_create"), action_post_data(people, deadline=far.isoformat()))
    assert "meer dan 10 jaar in de toekomst" in response.content.decode()
    assert not Action.objects.exists()
    near = timezone.localdate().replace(year=timezone.localdate().year + 9)
    client.post(reverse("actieplan:action_create"), action_post_data(people, deadline=near.isoformat()))
    assert Action.objects.get().deadline == near


@pytest.mark.parametrize("deadline", ["9999-12-31", "0001-01-01", "2026-02-30", "99999-01-01", "\x00"])
def test_absurd_deadlines_are_a_form_error(client, people, deadline):
    client.force_login(people.werkgroeplid)
    response = client.post(reverse("actieplan:action_create"), action_post_data(people, deadline=deadline))
    # A NUL in a form field is refused before the form with the Dutch 400 page (lobplatform/middleware.py).
    assert response.status_code == (400 if "\x00" in deadline else 200)
    assert not Action.objects.exists()


def test_mail_about_an_old_title_with_a_line_break_is_still_sent(people, django_capture_on_commit_callbacks):
    # Saved before titles were checked (straight into the database): the mail folds it into one line.
    with django_capture_on_commit_callbacks(execute=True):
        action = make_action(people.partnership, people.owner, title="Oud\r\nBcc: x@example.nl",
                             created_by=people.procesbewaker)
    [message] = [m for m in mail.outbox if m.to == [people.owner.email]]
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Oud Bcc: x@example.nl" in message.subject
    assert action.pk


@pytest.mark.parametrize("value, expected", [("12", 12), ("0", None), ("-3", None), ("1e3", None), ("١٢", None),
                                             ("²", None), ("99999999999999999999", None), (" 7", None), ("", None),
                                             (None, None), ("2147483647", 2147483647), ("2147483648", None)])
def test_ids_from_urls_are_parsed_strictly(value, expected):
    assert parse_id(value) == expected


def test_numbers_from_query_strings_are_parsed_strictly():
    assert parse_int("5", minimum=1, maximum=10) == 5
    assert parse_int("50", default=1, minimum=1, maximum=10) == 1
    assert parse_int("x", default=3) == 3
    assert parse_int("-2") == -2


@pytest.mark.parametrize("query", ["partnership=99999999999999999999", "partnership=١", "theme=-1&question=abc",
                                   "source_session=1e9", "partnership=%00"])
def test_prefills_with_odd_ids_are_ignored(client, people, query):
    client.force_login(people.werkgroeplid)
    # A NUL or a number past any database integer in the query string is the middleware's Dutch 400.
    refused = "%00" in query or "99999999999999999999" in query
    response = client.get(reverse("actieplan:action_create") + "?" + query)
    assert response.status_code == (400 if refused else 200)
    if refused:
        return
    response = client.get(reverse("actieplan:reflection_create") + "?" + query)
    assert response.status_code == 200


def test_oversized_query_string_is_a_dutch_400(client, people):
    client.force_login(people.werkgroeplid)
    response = client.get(reverse("actieplan:action_list") + "?q=" + "x" * 20_000)
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_too_many_parameters_is_a_dutch_400(client):
    response = client.get("/zoeken/?" + "&".join(f"a{i}=1" for i in range(1500)))
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_too_many_fields_in_a_post_is_a_dutch_400(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
    response = client.post(reverse("login"), {f"veld{i}": "1" for i in range(200)})
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_oversized_post_body_is_a_dutch_400(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client.post(reverse("login"), {"username": "x" * 20_000})
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


def test_normal_filters_still_work(client, people):
    client.force_login(people.werkgroeplid)
    make_action(people.partnership, people.owner, title="Gewone actie",
                deadline=timezone.localdate() + datetime.timedelta(days=5))
    response = client.get(reverse("actieplan:action_list"), {"status": "open", "page": "1"})
    assert response.status_code == 200 and "Gewone actie" in response.content.decode()
