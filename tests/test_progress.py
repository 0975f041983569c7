"""Voortgang: the bestuurders' page that shows whether the partnership acts or only talks.

What a bestuurder notices: the figures per theme, board, organisation and mandate level (checked
against a plain Python computation over generated plans), that they equal the action list's counts
for the same filters, the praatclub index and its definition, who the plan hangs on, where it is
stuck, the postponements with their reasons, what changed since the last board meeting, the
reflection trend, the PDF and XLSX for the meeting, and that nobody else can open the page.
"""

import datetime
import io
import itertools
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from actieplan.actions import counts
from actieplan.progress.demo import ensure_progress_page
from actieplan.models import (
    Action, ActionStatus, ActionUpdate, BoardDomain, MandateLevel, Meeting, MeetingKind, Organisation,
    ReflectionResponse, ReflectionScore, ReflectionSession, ReflectionTheme, Region, Role,
)
from actieplan.actions.models import ACTIVE_STATUSES
from tests.factories import action_form_data, add_member, make_action, make_organisation, make_user

pytestmark = pytest.mark.django_db

_n = itertools.count(1)


def day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def moment(offset, hour=12):
    return timezone.make_aware(datetime.datetime.combine(day(offset), datetime.time(hour)))


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def board(people):
    """The partnership of ``people`` with its Voortgang page."""
    page = ensure_progress_page(people.partnership, title="Voortgang", slug=f"voortgang-{next(_n)}")
    return people, page


def figures_on(response):
    """The key figures as the page shows them (data-figure="…")."""
    import re

    html = response.content.decode()
    return {name: int(value) for name, value in re.findall(r'data-figure="(\w+)">(\d+)<', html)}


def test_bestuurder_sees_what_was_agreed_done_and_late(client, board):
    people, page = board
    make_action(people.partnership, people.owner, title="Gastlessen mbo", status=ActionStatus.AFGEROND)
    make_action(people.partnership, people.owner, title="Warme overdracht", deadline=day(10))
    late = make_action(people.partnership, people.manager, title="Convenant ondertekenen", deadline=day(10),
                       mandate_level=MandateLevel.BESTUURLIJK)
    Action.objects.filter(pk=late.pk).update(deadline=day(-40))
    make_action(people.partnership, people.owner, title="Oud idee", status=ActionStatus.VERVALLEN)
    client.force_login(people.bestuurder)
    response = client.get(page.url)
    assert response.status_code == 200
    shown = figures_on(response)
    assert shown["agreed"] == 3 and shown["done"] == 1 and shown["overdue"] == 1 and shown["to_do"] == 2
    html = response.content.decode()
    assert "Wat is de praatclub-index?" in html
    assert "Convenant ondertekenen" in html  # stuck at the bestuurlijk layer
    assert "40 dagen te laat" in html


# --- every figure against a plain Python computation over generated plans ----------------------------------------

STATUSES = [s.value for s in ActionStatus]
BOARDS = ["", *[b.value for b in BoardDomain]]

row_strategy = st.fixed_dictionaries({
    "status": st.sampled_from(STATUSES),
    "deadline": st.integers(-200, 200),
    "created": st.integers(-400, -1),
    "completed_after": st.integers(0, 300),
    "theme": st.integers(0, 5),
    "board": st.sampled_from(BOARDS),
    "level": st.sampled_from([1, 2, 3]),
    "org": st.sampled_from([0, 1, 2, None]),
    "first_deadline": st.one_of(st.none(), st.integers(-200, 200)),
    "postponements": st.integers(0, 3),
})


def build_plan(people, rows, organisations):
    """Insert ``rows`` as actions (with their timeline of deadline changes) of ``people.partnership``."""
    Action.objects.filter(partnership=people.partnership).delete()
    themes = list(ReflectionTheme.objects.order_by("sort_order"))
    actions = []
    for row in rows:
        done = row["status"] == ActionStatus.AFGEROND
        completed = min(row["created"] + row["completed_after"], 0)
        actions.append(Action(
            title=f"Actie {next(_n)}", partnership=people.partnership, theme=themes[row["theme"]], board=row["board"],
            owner=people.owner, owner_organisation=organisations[row["org"]] if row["org"] is not None else None,
            mandate_level=row["level"], deadline=day(row["deadline"]), status=row["status"],
            created_at=moment(row["created"]), completed_at=moment(completed) if done else None))
    Action.objects.bulk_create(actions)
    updates = []
    for action, row in zip(actions, rows):
        if row["first_deadline"] is not None:
            updates.append(ActionUpdate(action=action, note="Eerste wijziging", created_at=moment(row["created"], 13),
                                        previous_deadline=day(row["first_deadline"]), new_deadline=action.deadline))
        for k in range(row["postponements"]):
            updates.append(ActionUpdate(action=action, note=f"Uitstel {k}", created_at=moment(row["created"], 14 + k),
                                        previous_deadline=day(row["deadline"] - 10), new_deadline=action.deadline))
    ActionUpdate.objects.bulk_create(updates)
    return actions


def plain_figures(rows):
    """The Figures of ``rows``, computed the long way."""
    def late_days(r):
        return -r["deadline"] if r["status"] in ACTIVE_STATUSES and r["deadline"] < 0 else 0

    def on_time(r):
        first = r["first_deadline"] if r["first_deadline"] is not None else (
            r["deadline"] - 10 if r["postponements"] else r["deadline"])
        return r["status"] == "afgerond" and min(r["created"] + r["completed_after"], 0) <= first

    late = [r for r in rows if late_days(r)]
    return {
        "agreed": sum(r["status"] != "vervallen" for r in rows),
        "done": sum(r["status"] == "afgerond" for r in rows),
        "done_on_time": sum(on_time(r) for r in rows),
        "open": sum(r["status"] in ACTIVE_STATUSES for r in rows),
        "overdue": len(late),
        "blocked": sum(r["status"] == "geblokkeerd" for r in rows),
        "cancelled": sum(r["status"] == "vervallen" for r in rows),
        "overdue_month": sum(1 <= late_days(r) <= 30 for r in late),
        "overdue_quarter": sum(31 <= late_days(r) <= 90 for r in late),
        "overdue_longer": sum(late_days(r) > 90 for r in late),
        "longest_overdue_days": max((late_days(r) for r in late), default=None),
    }, on_time


def as_dict(f):
    return {name: getattr(f, name) for name in (
        "agreed", "done", "done_on_time", "open", "overdue", "blocked", "cancelled", "overdue_month",
        "overdue_quarter", "overdue_longer", "longest_overdue_days")}


@pytest.fixture
def organisations(people):
    """Three member organisations of the partnership (the list offers the organisations of its members)."""
    orgs = [people.organisation, make_organisation(people.partnership, "ROC ter Aa"),
            make_organisation(people.partnership, "Gemeente Helmond")]
    for org in orgs[1:]:
        add_member(people.partnership, make_user(), org, Role.DEELNEMER)
    return orgs


def half_up_percent(part, whole):
    """The percentage as a reader computes it: exact decimals, a half rounded up."""
    if not whole:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@given(whole=st.integers(1, 100_000), data=st.data())
def test_percent_rounds_a_half_up_and_never_by_a_float(whole, data):
    part = data.draw(st.integers(0, whole))
    assert counts.percent(part, whole) == half_up_percent(part, whole)
    assert counts.percent(part, 0) is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy, max_size=25), min_age=st.sampled_from([0, 30, 90, 180]))
def test_every_figure_equals_a_plain_computation(people, organisations, rows, min_age):
    build_plan(people, rows, organisations)
    actions = Action.objects.filter(partnership=people.partnership)
    expected, on_time = plain_figures(rows)
    assert as_dict(counts.figures(actions, timezone.localdate())) == expected

    themes = list(ReflectionTheme.objects.order_by("sort_order"))
    splits = {
        "theme": lambda r: themes[r["theme"]].pk,
        "board": lambda r: r["board"] or None,
        "organisation": lambda r: organisations[r["org"]].pk if r["org"] is not None else None,
        "mandate_level": lambda r: r["level"],
    }
    for grouping, key in splits.items():
        groups = {}
        for r in rows:
            groups.setdefault(key(r), []).append(r)
        got = {f.key if f.key != "" else None: as_dict(f) for f in counts.figures_by(actions, grouping, timezone.localdate())}
        assert got == {k: plain_figures(v)[0] for k, v in groups.items()}, grouping

    overall, quarters = counts.praatclub_index(actions, timezone.localdate(), min_age)
    assessed = [r for r in rows if r["status"] != "vervallen" and r["created"] < -min_age]
    per_quarter = {}
    for r in assessed:
        q = counts.quarter_start(day(r["created"]))
        n = per_quarter.setdefault(q, [0, 0, 0])
        n[0] += 1
        n[1] += r["status"] == "afgerond"
        n[2] += on_time(r)
    assert {q.quarter: [q.agreed, q.done, q.done_on_time] for q in quarters} == per_quarter
    assert [q.quarter for q in quarters] == sorted(per_quarter)
    assert (overall.agreed, overall.done, overall.done_on_time) == (
        len(assessed), sum(r["status"] == "afgerond" for r in assessed), sum(on_time(r) for r in assessed))
    for index in (overall, *quarters):
        assert (index.done_percent, index.on_time_percent) == (
            half_up_percent(index.done, index.agreed), half_up_percent(index.done_on_time, index.agreed))

    postponed = counts.postponements(actions)
    real = [r for r in rows if r["postponements"] or (r["first_deadline"] is not None
                                                      and r["deadline"] > r["first_deadline"])]
    assert postponed.postponements == sum(
        r["postponements"] + (r["first_deadline"] is not None and r["deadline"] > r["first_deadline"]) for r in rows)
    assert postponed.actions_postponed == len(real)

    changes = counts.changes_since(actions, moment(-60), until=moment(0, 23))
    recent = [r for r in rows if r["created"] >= -60]
    assert (changes.agreed, changes.completed, changes.overdue, changes.postponed, changes.blocked) == (
        sum(r["status"] != "vervallen" for r in recent),
        sum(r["status"] == "afgerond" and min(r["created"] + r["completed_after"], 0) >= -60 for r in rows),
        sum(r["status"] in ACTIVE_STATUSES and -60 <= r["deadline"] < 0 for r in rows),
        sum(r in real for r in recent),
        sum(r["status"] == "geblokkeerd" for r in recent),
    )

    stuck = {layer.level: layer.stuck for layer in counts.stuck_by_layer(actions, timezone.localdate())}
    assert stuck == {level: sum(r["level"] == level and r["status"] in ACTIVE_STATUSES
                                and (r["deadline"] < 0 or r["status"] == "geblokkeerd") for r in rows)
                     for level in (1, 2, 3)}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(owners=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(STATUSES)), max_size=30),
       share=st.sampled_from([10, 25, 50]))
def test_kartrekkers_are_who_holds_more_than_the_share_of_the_open_actions(people, owners, share):
    Action.objects.filter(partnership=people.partnership).delete()
    holders = [people.owner, people.manager, people.werkgroeplid, people.procesbewaker]
    for who, status in owners:
        Action.objects.create(title=f"Actie {next(_n)}", partnership=people.partnership,
                              theme=ReflectionTheme.objects.first(), owner=holders[who], mandate_level=1,
                              deadline=day(20), status=status)
    open_total, risky, _orgs = counts.kartrekker_risk(Action.objects.filter(partnership=people.partnership), share)
    open_per = {}
    for who, status in owners:
        if status in ACTIVE_STATUSES:
            open_per[holders[who].pk] = open_per.get(holders[who].pk, 0) + 1
    assert open_total == sum(open_per.values())
    assert {k.key: k.open for k in risky} == {pk: n for pk, n in open_per.items() if n * 100 > share * open_total}
    assert all(len(k.actions) == min(k.open, 5) for k in risky)


# --- the page agrees with the list, and costs the same number of queries for any plan size ----------------------

def test_the_pages_figures_equal_the_lists_counts_for_the_same_filters(client, board, organisations):
    people, page = board
    rows = [dict(status=s, deadline=d, created=-100, completed_after=5, theme=t, board="inhoud", level=1, org=o,
                 first_deadline=None, postponements=0)
            for s, d, t, o in itertools.product(STATUSES, (-50, -5, 5, 40), (0, 2), (0, 1, None))]
    build_plan(people, rows, organisations)
    client.force_login(people.bestuurder)
    for query in ({}, {"owner_organisation": organisations[1].pk},
                  {"deadline_after": day(-10).isoformat(), "deadline_before": day(30).isoformat()},
                  {"owner_organisation": organisations[0].pk, "deadline_before": day(0).isoformat()}):
        response = client.get(page.url, query)
        shown = figures_on(response)
        list_url = response.context["list_url"]
        assert shown["agreed"] == list_count(client, list_url, status=["open", "bezig", "afgerond", "geblokkeerd"])
        assert shown["done"] == list_count(client, list_url, status="afgerond")
        assert shown["blocked"] == list_count(client, list_url, status="geblokkeerd")
        assert shown["overdue"] == list_count(client, list_url, overdue="true")
        assert shown["to_do"] == list_count(client, list_url, status=["open", "bezig", "geblokkeerd"])


def list_count(client, list_url, **extra):
    """The count the action list shows for the page's link plus ``extra`` filters."""
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(list_url)
    data = {**parse_qs(parts.query), **extra}
    return client.get(parts.path, data).context["page_obj"].paginator.count


def test_the_sub_region_filter_counts_the_actions_of_its_organisations(client, board, organisations):
    people, page = board
    helmond = Region.objects.create(name="Helmond", slug="helmond")
    people.partnership.regions.add(helmond)
    Organisation.objects.filter(pk=organisations[2].pk).update(region=helmond)
    make_action(people.partnership, people.owner, owner_organisation=organisations[2])
    make_action(people.partnership, people.owner, owner_organisation=organisations[1])
    client.force_login(people.bestuurder)
    assert figures_on(client.get(page.url, {"region": helmond.pk}))["agreed"] == 1
    assert figures_on(client.get(page.url))["agreed"] == 2
    # A bad date in a shared link: a Dutch message, no 500, and (as on the action list) no filter at all.
    bad = {"region": helmond.pk, "deadline_after": "31-02-2026"}
    response = client.get(page.url, bad)
    assert response.status_code == 200
    assert "Deze filters kloppen niet" in response.content.decode()
    assert figures_on(response)["agreed"] == 2
    listed = client.get(reverse("actieplan:action_list"), bad)
    assert "Deze filters kloppen niet" in listed.content.decode() and listed.context["page_obj"].paginator.count == 2
    # The page's link to the list carries every filter it shares with the list, the (sub)region included.
    link = client.get(page.url, {"region": helmond.pk}).context["list_url"]
    assert f"region={helmond.pk}" in link
    assert client.get(link).context["page_obj"].paginator.count == 1


def page_queries(client, page):
    # One request first: Django's and Wagtail's per-process look-ups (content types, the site's root paths) are
    # filled by whatever ran before in this process; the count is about the page, not about them.
    client.get(page.url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page.url).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_number_of_queries_for_10_and_1000_actions(client, board, organisations):
    people, page = board
    client.force_login(people.bestuurder)
    rows = [dict(status=STATUSES[i % 5], deadline=(i * 7) % 300 - 150, created=-(i % 390) - 1,
                 completed_after=i % 40, theme=i % 6, board=BOARDS[i % 4], level=1 + i % 3, org=[0, 1, 2, None][i % 4],
                 first_deadline=(i % 11) - 5 if i % 3 == 0 else None, postponements=i % 3)
            for i in range(1000)]
    build_plan(people, rows[:10], organisations)
    small = page_queries(client, page)
    build_plan(people, rows, organisations)
    large = page_queries(client, page)
    assert small == large
    # A budget, not a target: the header's "since your last visit" count, the follow button, the current
    # membership checks and (on a cold page like this one) the regional comparison's own sessions and themes each
    # cost a query or two; what matters is that the plan's size costs none.
    assert large < 52


def test_a_second_look_comes_from_the_cache_until_the_plan_changes(client, board):
    people, page = board
    client.force_login(people.bestuurder)
    make_action(people.partnership, people.owner)
    assert figures_on(client.get(page.url))["agreed"] == 1
    make_action(people.partnership, people.owner)
    assert figures_on(client.get(page.url))["agreed"] == 2


# --- who may open the page -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("export", ["", "pdf", "xlsx"])
def test_only_the_board_and_working_group_of_the_partnership_can_open_the_page(client, board, other_people, export):
    people, page = board
    make_action(people.partnership, people.owner, title="Vertrouwelijke actie")
    query = {"formaat": export} if export else {}

    response = client.get(page.url, query)  # anonymous: to the login page
    assert response.status_code == 302 and "/inloggen/" in response["Location"]

    for someone in (other_people.werkgroeplid, other_people.bestuurder, people.owner, people.outsider, people.editor):
        client.force_login(someone)
        response = client.get(page.url, query)
        assert response.status_code in (302, 403), someone
        assert b"Vertrouwelijke actie" not in response.content and b"Afgesproken" not in response.content
        client.logout()

    for someone in (people.bestuurder, people.procesbewaker, people.werkgroeplid):
        client.force_login(someone)
        assert client.get(page.url, query).status_code == 200, someone
        client.logout()


def test_the_progress_address_leads_to_the_partnerships_page_and_the_menu_shows_it(client, board, other_people):
    people, page = board
    client.force_login(people.bestuurder)
    response = client.get(reverse("actieplan:progress"), {"deadline_after": day(-30).isoformat()})
    assert response.status_code == 302 and response["Location"].startswith(page.url)
    assert "deadline_after=" in response["Location"]
    home = client.get("/")
    assert f'href="{page.url}"' in home.content.decode() and ">Voortgang<" in home.content.decode()

    client.force_login(people.owner)  # a deelnemer: no Voortgang in the menu, the address refuses
    assert client.get(reverse("actieplan:progress")).status_code == 403
    assert ">Voortgang<" not in client.get("/").content.decode()

    client.force_login(other_people.bestuurder)  # a partnership without a page yet: a 404, not a 500
    assert client.get(reverse("actieplan:progress")).status_code == 404


# --- postponements: a reason for every deadline change ---------------------------------------------------------------

def test_moving_a_deadline_asks_for_a_reason_which_lands_on_the_timeline_and_the_page(client, board):
    people, page = board
    action = make_action(people.partnership, people.owner, title="Stagebank vullen", deadline=day(10))
    client.force_login(people.werkgroeplid)
    url = reverse("actieplan:action_edit", args=[action.pk])

    response = client.post(url, action_form_data(action, deadline=day(40).isoformat(), deadline_reason="  "))
    assert response.status_code == 200
    assert response.context["form"].errors["deadline_reason"] == [
        "Geef een reden waarom de deadline verandert; die reden komt in de tijdlijn van de actie."]
    action.refresh_from_db()
    assert action.deadline == day(10) and not action.updates.exists()

    # Other changes need no reason.
    assert client.post(url, action_form_data(action, title="Stagebank vullen met werkgevers")).status_code == 302
    assert not action.updates.exists()

    reason = "De werkgeversvereniging schuift pas in maart aan."
    assert client.post(url, action_form_data(action, title="Stagebank vullen met werkgevers", deadline=day(40).isoformat(),
                                      deadline_reason=reason)).status_code == 302
    update = action.updates.get()
    assert (update.previous_deadline, update.new_deadline, update.note) == (day(10), day(40), reason)
    assert update.is_postponement
    detail = client.get(reverse("actieplan:action_detail", args=[action.pk])).content.decode()
    assert reason in detail

    client.force_login(people.bestuurder)
    html = client.get(page.url).content.decode()
    assert "1 keer is een deadline verschoven" in html and "bij 1 actie." in html
    assert "Stagebank vullen met werkgevers" in html and reason in html


# --- since the last board meeting, the reflection trend, recent results ------------------------------------------------

def test_since_the_last_board_meeting_by_default_or_a_chosen_date(client, board):
    people, page = board
    Meeting.objects.create(partnership=people.partnership, kind=MeetingKind.BESTUUR, title="Bestuur juni",
                           starts_at=moment(-60))
    Meeting.objects.create(partnership=people.partnership, kind=MeetingKind.BESTUUR, title="Bestuur september",
                           starts_at=moment(-20))
    Meeting.objects.create(partnership=people.partnership, kind=MeetingKind.WERKGROEP, title="Werkgroep",
                           starts_at=moment(-5))
    Meeting.objects.create(partnership=people.partnership, kind=MeetingKind.BESTUUR, title="Bestuur straks",
                           starts_at=moment(7))
    old = make_action(people.partnership, people.owner, title="Van voor juni")
    Action.objects.filter(pk=old.pk).update(created_at=moment(-90))
    recent = make_action(people.partnership, people.owner, title="Van oktober")
    Action.objects.filter(pk=recent.pk).update(created_at=moment(-10))
    done = make_action(people.partnership, people.owner, title="Afgerond in oktober")
    Action.objects.filter(pk=done.pk).update(created_at=moment(-50), status=ActionStatus.AFGEROND,
                                             completed_at=moment(-3))
    ActionUpdate.objects.create(action=done, note="Het draaiboek is klaar en gedeeld.", created_at=moment(-3))
    late = make_action(people.partnership, people.owner, title="Net verlopen")
    Action.objects.filter(pk=late.pk).update(created_at=moment(-50), deadline=day(-2))
    client.force_login(people.bestuurder)

    response = client.get(page.url)
    shown = figures_on(response)
    html = response.content.decode()
    assert "Sinds het laatste bestuurlijk overleg" in html and "Bestuur september" in html
    assert (shown["since_agreed"], shown["since_completed"], shown["since_overdue"]) == (1, 1, 1)
    assert "Het draaiboek is klaar en gedeeld." in html  # recent results with their last note

    shown = figures_on(client.get(page.url, {"sinds": day(-100).isoformat()}))
    assert (shown["since_agreed"], shown["since_completed"]) == (4, 1)


def test_the_reflection_trend_covers_every_session(client, board):
    people, page = board
    themes = list(ReflectionTheme.objects.order_by("sort_order"))
    questions = [theme.questions.order_by("number").first() for theme in themes]
    for i, (title, score) in enumerate([("Startsessie", 2), ("Tussenstand", 3), ("Jaarevaluatie", 4)]):
        session = ReflectionSession.objects.create(partnership=people.partnership, title=title, date=day(-300 + 100 * i))
        for k in range(4):  # four people: no figure is shown of fewer than three
            response = ReflectionResponse.objects.create(session=session, respondent_token=f"t-{next(_n)}")
            for question in questions:
                ReflectionScore.objects.create(response=response, question=question, score=score + k % 2)
    client.force_login(people.bestuurder)
    html = client.get(page.url).content.decode()
    for title in ("Startsessie", "Tussenstand", "Jaarevaluatie"):
        assert title in html
    assert "2,5" in html and "3,5" in html and "4,5" in html  # the means per session, all three
    assert html.count("<polyline") == 6  # a line per theme


# --- exports ----------------------------------------------------------------------------------------------------------

def test_the_pdf_holds_the_figures_the_date_and_page_numbers(client, board):
    people, page = board
    for i in range(7):
        make_action(people.partnership, people.owner, title=f"Actie voor de PDF {i}",
                    status=ActionStatus.AFGEROND if i < 3 else ActionStatus.OPEN)
    client.force_login(people.bestuurder)
    response = client.get(page.url, {"formaat": "pdf"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"voortgang-{people.partnership.slug}-{timezone.localdate():%Y-%m-%d}.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Voortgang" in text and "Praatclub-index" in text and "Kartrekkersrisico" in text
    assert "Afgesproken\n7" in text or "Afgesproken 7" in text
    assert f"pagina 1 van {len(reader.pages)}" in text
    from django.utils.formats import date_format
    assert date_format(timezone.localdate(), "j F Y") in text


def test_the_xlsx_holds_the_same_figures(client, board):
    people, page = board
    make_action(people.partnership, people.owner, status=ActionStatus.AFGEROND)
    make_action(people.partnership, people.owner)
    client.force_login(people.bestuurder)
    response = client.get(page.url, {"formaat": "xlsx"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    overview = workbook["Overzicht"]
    header = [c.value for c in overview[4]]
    total = dict(zip(header, [c.value for c in overview[5]]))
    assert total["Afgesproken"] == 2 and total["Afgerond"] == 1 and total["Nog te doen"] == 1
    assert {"Per thema", "Per bord", "Per organisatie", "Per mandaatniveau", "Praatclub-index"} <= set(
        workbook.sheetnames)


def test_sections_the_editor_switched_off_are_not_shown(client, board):
    people, page = board
    page.show_kartrekkers = False
    page.show_reflection = False
    page.save_revision().publish()
    client.force_login(people.bestuurder)
    html = client.get(page.url).content.decode()
    assert "Kartrekkersrisico" not in html and "Reflectie: verloop" not in html
    assert "Praatclub-index" in html


# --- the demo ------------------------------------------------------------------------------------------------------------

def test_the_demo_has_a_private_voortgang_page_for_vsv_regio_37(client, settings):
    from wagtail.models import PageViewRestriction

    settings.DEBUG = True  # the embedded default: the demo accounts get the published password

    from actieplan.actions import demo as demo_actions
    from actieplan.meetings import demo as demo_meetings
    from actieplan.partnerships import demo as demo_partnership
    from actieplan.progress import demo as demo_progress
    from actieplan.reflection import demo as demo_reflection
    from actieplan.models import ProgressPage
    from lobplatform.demo import site as demo_site

    out = io.StringIO()
    for loader in (demo_site, demo_partnership, demo_reflection, demo_actions, demo_meetings, demo_progress,
                   demo_progress):  # twice: nothing is duplicated
        loader.load(out)
    page = ProgressPage.objects.get()
    assert page.partnership.slug == demo_partnership.PARTNERSHIP_SLUG and page.live
    restriction = PageViewRestriction.objects.get(page=page)
    assert set(restriction.groups.values_list("name", flat=True)) == {"Bestuurders", "Werkgroep"}

    client.login(username="henk.dewit", password=demo_partnership.DEMO_PASSWORD)
    home = client.get("/").content.decode()
    assert f'href="{page.url}"' in home
    response = client.get(reverse("actieplan:progress"), follow=True)
    assert response.status_code == 200 and response.redirect_chain[-1][0] == page.url
    html = response.content.decode()
    assert "Sinds het laatste bestuurlijk overleg" in html and "praatclub" in html
    assert figures_on(response)["agreed"] == counts.figures(Action.objects.filter(partnership=page.partnership)).agreed

    client.logout()
    client.login(username="lotte.bakker", password=demo_partnership.DEMO_PASSWORD)  # deelnemer
    assert f'href="{page.url}"' not in client.get("/").content.decode()
    assert client.get(page.url).status_code == 403  # logged in: told why and whom to ask, not a login form
