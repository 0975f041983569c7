"""The rough edges of daily work, as an owner, a bestuurder, a participant and an editor met them.

A deadline change shows old → new date and its reason everywhere; the Voortgang charts never cut a label off, the
trend axis follows the real dates, the PDF has no web-only sentences, repeated headings or empty boxes; the login
page has "Wachtwoord vergeten?"; someone without the role hears why and whom to ask; a closed session says so; on
a phone "Mijn acties" starts with the list; text pasted from Word is made plain, an over-long title gets a Dutch
message with the limit; dates are written one way in lower case; the admin speaks Dutch; an abandoned draft does
not block a new page and a redacteur goes through the moderators.
"""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from actieplan.actions import services
from actieplan.models import Action, ActionStatus, ReflectionTheme
from actieplan.progress.demo import ensure_progress_page
from actieplan.reflection.trend import ReflectionTrend, TrendRow, trend_chart
from actieplan.validators import normalise_pasted
from tests.factories import action_form_data, make_action

pytestmark = pytest.mark.django_db


def day(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def pdf_text(response):
    return " ".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split())


def one_line(html):
    return re.sub(r"\s+", " ", html)


@pytest.fixture
def board(people):
    cache.clear()
    return ensure_progress_page(people.partnership, title="Voortgang", slug="voortgang-dagelijks")


# --- the timeline: old → new ----------------------------------------------------------------------

def test_a_deadline_change_shows_old_and_new_date_with_its_reason_everywhere(client, people, board):
    action = make_action(people.partnership, people.owner, title="Stagebank opzetten", deadline=day(10))
    old = action.deadline
    client.force_login(people.werkgroeplid)
    data = action_form_data(action, deadline=day(40).isoformat(), deadline_reason="Wachten op de privacytoets.")
    assert client.post(reverse("actieplan:action_edit", args=[action.pk]), data).status_code == 302
    expected = f"deadline van {_d(old)} naar {_d(day(40))}"

    page = one_line(client.get(reverse("actieplan:action_detail", args=[action.pk])).content.decode())
    assert expected in page and "Wachten op de privacytoets." in page
    superuser = people.procesbewaker
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    inspect = one_line(client.get(reverse("actieplan_actions:inspect", args=[action.pk])).content.decode())
    assert expected in inspect

    client.force_login(people.bestuurder)
    voortgang = one_line(client.get(board.url).content.decode())
    assert f"Laatste keer: {expected}. Reden: Wachten op de privacytoets." in voortgang
    pdf = pdf_text(client.get(board.url, {"formaat": "pdf"}))
    assert expected in pdf and "Wachten op de privacytoets." in pdf
    workbook = load_workbook(io.BytesIO(client.get(board.url, {"formaat": "xlsx"}).content))
    rows = list(workbook["Deadlinewijzigingen"].values)
    assert rows[0][:6] == ("Actie", "Eigenaar", "Oude deadline", "Nieuwe deadline", "Wijziging", "Reden")
    assert rows[1][0] == "Stagebank opzetten" and rows[1][2].date() == old and rows[1][3].date() == day(40)
    assert rows[1][4] == expected and rows[1][5] == "Wachten op de privacytoets."


def _d(value):
    from actieplan.formats import day_label

    return day_label(value)


# --- charts and the Voortgang PDF ----------------------------------------------------------------

def test_bar_labels_are_never_cut_and_the_pdf_has_no_web_sentences_repeated_headings_or_emoji(client, people, board):
    long_name = "Betrokken partners uit het hele netwerk van de regio"
    theme = ReflectionTheme.objects.order_by("sort_order").first()
    theme.name = long_name
    theme.save()
    for n in range(3):
        make_action(people.partnership, people.owner, theme=theme, deadline=day(-3 + 10 * n))
    done = make_action(people.partnership, people.owner, theme=theme)
    services.add_update(done, people.owner, "Klaar! 🎉 Iedereen was er 👍🏽.", new_status=ActionStatus.AFGEROND)
    board.intro = "<p>Download de PDF om rond te sturen.</p>"
    board.save_revision().publish()
    cache.clear()
    client.force_login(people.bestuurder)
    html = one_line(client.get(board.url).content.decode())
    bars = html.split('class="pg-bars__rows"')[1].split("</ul>")[0]
    assert f'<span class="pg-bars__label">{long_name}</span>' in bars  # the whole label, as text that wraps
    assert "1 van 4 afgerond, 1 verlopen" in bars
    pdf = pdf_text(client.get(board.url, {"formaat": "pdf"}))
    assert "Download" not in pdf and "in de lijst" not in pdf
    assert "Per bord Per bord" not in pdf and "Per thema Per thema" not in pdf
    assert "Per bord Bord Afgesproken" in pdf
    assert long_name in pdf and "1 van 4 afgerond, 1 verlopen" in pdf
    assert "Klaar!" in pdf and "Iedereen was er" in pdf and "🎉" not in pdf and "👍" not in pdf


def test_the_trend_axis_spaces_sessions_by_their_real_dates():
    dates = [datetime.date(2025, 1, 21), datetime.date(2026, 1, 6), datetime.date(2026, 11, 10),
             datetime.date(2026, 12, 8)]
    trend = ReflectionTrend(tuple((i, f"Sessie {i}", d) for i, d in enumerate(dates)),
                            (TrendRow(1, "Daadkracht", [2.0, 2.5, 3.0, 3.2], theme_id=1),))
    chart = trend_chart(trend)
    xs = [p["x"] for p in chart["lines"][0]["points"]]
    span = (dates[-1] - dates[0]).days
    for x, d in zip(xs, dates):
        expected = chart["left"] + (chart["right"] - chart["left"]) * (d - dates[0]).days / span
        assert abs(x - expected) < 0.2
    assert xs[1] - xs[0] > 8 * (xs[3] - xs[2])  # a year apart against a month apart: not evenly spaced


# --- the small doors -------------------------------------------------------------------------------

def test_the_login_page_offers_a_throttled_password_reset_in_dutch(client, people, settings):
    html = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in html and "Wachtwoord vergeten?" in html
    mail.outbox.clear()
    cache.clear()
    response = client.post(reverse("password_reset"), {"email": people.owner.email})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    message = mail.outbox[-1]
    assert message.to == [people.owner.email] and "Je hebt gevraagd om een nieuw wachtwoord" in message.body
    link = re.search(r"https?://[^/]+(/wachtwoord-herstellen/[^\s]+)", message.body).group(1)
    form = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in form.content.decode()
    for _attempt in range(3):
        client.post(reverse("password_reset"), {"email": people.owner.email})
    refused = client.post(reverse("password_reset"), {"email": people.owner.email})
    assert refused.status_code == 200 and "te veel herstelmails" in refused.content.decode()
    assert len(mail.outbox) == 3  # the first three mails only (counted with the admin's reset)


def test_a_logged_in_deelnemer_hears_why_the_voortgang_page_is_closed_and_whom_to_ask(client, people, board):
    client.force_login(people.owner)  # a deelnemer of the partnership
    for url in (board.url, reverse("actieplan:progress")):
        response = client.get(url)
        html = one_line(response.content.decode())
        assert response.status_code == 403, url
        assert "Deze voortgangspagina is niet voor jouw rol" in html
        assert "Je bent deelnemer bij" in html and people.partnership.name in html
        assert "Pia Procesbewaker" in html and people.procesbewaker.email in html
        assert 'name="password"' not in html  # no bare login form for someone already logged in
    client.logout()
    assert client.get(board.url).status_code == 302  # anonymous visitors still go to the login page


def test_a_closed_session_tells_the_participant_it_is_closed_without_a_step_counter(client, people):
    from actieplan.models import ReflectionSession

    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie voorjaar",
                                               date=timezone.localdate(), facilitator=people.procesbewaker)
    session.close()
    response = client.get(reverse("actieplan:reflection_step", kwargs={"code": session.code, "step": 1}))
    html = response.content.decode()
    assert response.status_code == 200 and "Deze sessie is gesloten" in html
    assert "Stap 1 van 6" not in html and "<progress" not in html and 'type="radio"' not in html


def test_mijn_acties_starts_with_the_list_and_the_filters_folded(client, people):
    make_action(people.partnership, people.werkgroeplid, title="Van mij")
    client.force_login(people.werkgroeplid)
    html = client.get(reverse("actieplan:action_list"), {"mine": "on"}).content.decode()
    details = re.search(r"<details class=\"ap-filters[^\"]*\"[^>]*>", html).group(0)
    assert " open" not in details.replace('class="ap-filters ap-filters--active"', "")
    assert "ap-filters--active" in details and "Filteren en zoeken (1 actief)" in html
    wrong = client.get(reverse("actieplan:action_list"), {"deadline_after": "morgen"}).content.decode()
    assert re.search(r"<details class=\"ap-filters[^\"]*\" open>", wrong)  # an error unfolds them
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "actieplan/static/actieplan/actieplan.css").read_text()
    assert ".ap-filters--active::details-content" in css.split("@media (min-width: 48.01rem)")[1]


# --- forgiving input ------------------------------------------------------------------------------

def action_post(people, **fields):
    data = {"title": "Actie", "description": "", "partnership": people.partnership.pk,
            "theme": ReflectionTheme.objects.order_by("sort_order").first().pk, "question": "", "source_session": "",
            "board": "", "owner": people.owner.pk, "owner_organisation": "", "mandate_level": 1,
            "deadline": day(30).isoformat()}
    data.update(fields)
    return data


def test_a_title_pasted_from_word_is_made_plain_not_refused(client, people):
    client.force_login(people.werkgroeplid)
    pasted = "\u201cWarme\u00a0overdracht\u201d\tvso\u2013mbo\u200b met \u2018De Hef\u2019 "
    response = client.post(reverse("actieplan:action_create"), action_post(
        people, title=pasted, description="Stap 1:\tbellen\r\nStap\u00a02: \u201cmailen\u201d"))
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.title == "\"Warme overdracht\" vso\u2013mbo met 'De Hef'"
    assert action.description == "Stap 1:\tbellen\nStap 2: \"mailen\""
    assert normalise_pasted("a\u00ad\ufeffb") == "ab"


def test_an_over_long_title_gets_a_dutch_message_with_the_limit_before_anything_is_cut(client, people):
    client.force_login(people.werkgroeplid)
    form = client.get(reverse("actieplan:action_create")).content.decode()
    title_input = re.search(r'<input[^>]*name="title"[^>]*>', form).group(0)
    assert "maxlength" not in title_input  # the browser would cut a pasted title off without a word
    long_title = "Overdracht " + "van vso naar mbo " * 14
    response = client.post(reverse("actieplan:action_create"), action_post(people, title=long_title))
    html = response.content.decode()
    assert response.status_code == 200 and not Action.objects.exists()
    assert f"Deze tekst is {len(long_title.strip())} tekens lang; er passen er 200 in." in html
    assert long_title.strip()[:60] in html  # the typed title is still there, whole


# --- one date format, the admin in Dutch -----------------------------------------------------------

def test_dates_are_written_one_way_with_lower_case_months(client, people):
    make_action(people.partnership, people.owner, title="In maart", deadline=datetime.date(2027, 3, 15))
    client.force_login(people.werkgroeplid)
    for url in (reverse("actieplan:action_list"), reverse("actieplan:action_board")):
        html = client.get(url).content.decode()
        assert "15 maart 2027" in html and "Mrt" not in html and "15 mrt" not in html, url


def test_the_admin_listing_and_help_menu_are_dutch(client, people):
    with translation.override("nl"):
        assert translation.gettext("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s") % {
            "start_index": 1, "end_index": 40, "items_count": 40, "model_name": "pagina's"} == "1–40 van 40 pagina's"
        assert translation.gettext("Editor Guide") == "Handleiding voor redacteuren"
    superuser = people.procesbewaker
    superuser.is_superuser = True
    superuser.is_staff = True
    superuser.save()
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "Editor Guide" not in html and "Handleiding voor redacteuren" in html


@override_settings(DEBUG=True)
def test_a_missing_page_is_dutch_also_while_debugging(client, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "lobplatform.middleware.DutchNotFoundMiddleware"]
    response = client.get("/bestaat-niet-meer/")
    html = response.content.decode()
    assert response.status_code == 404 and "Pagina niet gevonden" in html and "Page not found" not in html


# --- editors ---------------------------------------------------------------------------------------

def proeftuin_post(title, slug):
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    return nested_form_data({
        "title": title, "slug": slug, "summary": "Mbo-docenten geven les op het vmbo.",
        "aim": "Leerlingen leren het mbo kennen.", "stage": "kennismaking", "start_date": "2025-09-01",
        "end_date": "2026-01-01", "body": streamfield([]), "evaluation": rich_text(""),
    })


def test_an_abandoned_draft_does_not_block_a_new_page_with_the_same_title(client, proeftuinen, people):
    from good_practices.models import ProeftuinPage

    abandoned = ProeftuinPage(title="Gastlessen mbo-docenten", slug="gastlessen", summary="Begonnen.",
                              aim="Kennismaken.", stage="kennismaking", start_date=datetime.date(2025, 9, 1), live=False)
    proeftuinen.add_child(instance=abandoned)  # an autosaved start nobody finished, never published
    client.force_login(people.editor)
    add = reverse("wagtailadmin_pages:add", args=["good_practices", "proeftuinpage", proeftuinen.pk])
    response = client.post(add, proeftuin_post("Gastlessen mbo-docenten", "gastlessen"))
    assert response.status_code == 302
    new = ProeftuinPage.objects.exclude(pk=abandoned.pk).get()
    assert new.slug == "gastlessen-2" and new.title == "Gastlessen mbo-docenten"
    # A page that is published keeps its address; the message says where it is, on top of the form.
    abandoned.save_revision().publish()
    response = client.post(add, proeftuin_post("Gastlessen mbo-docenten", "gastlessen"))
    html = one_line(response.content.decode())
    assert response.status_code == 200
    assert "Het webadres ‘gastlessen’ is al in gebruik door de pagina ‘Gastlessen mbo-docenten’ (gepubliceerd)" in html
    assert f"/admin/pages/{abandoned.pk}/edit/" in html


def test_a_redacteur_submits_to_the_moderators_and_cannot_publish_past_them(client, proeftuinen, people):
    from good_practices.models import ProeftuinPage

    page = ProeftuinPage(title="Leerlab techniek", slug="leerlab-techniek", summary="Samen met het mbo.",
                         aim="Kennismaken.", stage="kennismaking", start_date=datetime.date(2025, 9, 1), live=False)
    proeftuinen.add_child(instance=page)
    assert not page.permissions_for_user(people.editor).can_publish()
    moderator = people.manager
    moderator.groups.add(Group.objects.get(name="Moderatoren"))
    assert page.permissions_for_user(moderator).can_publish()
    client.force_login(people.editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert 'name="action-submit"' in edit and 'name="action-publish"' not in edit
    # A hand-made POST that asks to publish does not publish either.
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**nested_form_data({
        "title": "Leerlab techniek", "slug": "leerlab-techniek", "summary": "Samen met het mbo.", "aim": "Kennismaken.",
        "stage": "kennismaking", "start_date": "2025-09-01", "end_date": "", "body": streamfield([]),
        "evaluation": rich_text("")}), "action-publish": "action-publish"})
    page.refresh_from_db()
    assert not page.live
