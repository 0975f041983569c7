"""The platform operator (platformbeheerder): sets up and archives partnerships and sees how active each one is,
without reading any of what they say.

The operator is a member of the group "Platformbeheerders" (``manage.py lob_setup_groups``) and nothing else; the
one policy (``permissions.can_operate_platform``) lets them reach the pages under ``/actieplan/platform/`` and
no other rule of the policy knows them.
"""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from actieplan.actions import services as action_services
from actieplan.models import (
    Action, ActionStatus, Membership, Organisation, Partnership, ReflectionSession, Reminder, Role,
)
from actieplan.operations import activity
from actieplan.partnerships.permissions import PLATFORM_OPERATOR_GROUP, can_operate_platform
from actieplan.reminders.models import ReminderKind
from tests.factories import make_action, make_people, make_user
from tests.meeting_factories import make_meeting
from tests.plan_factories import stock

pytestmark = pytest.mark.django_db

MARKER = "Zwaluwstaartgeheim"


def make_operator(username="platformbeheerder"):
    return make_user(username, first_name="Paula", last_name="Platform", groups=[PLATFORM_OPERATOR_GROUP])


@pytest.fixture
def operator(db):
    return make_operator()


# --- who may do what -----------------------------------------------------------------------------------------

ROLES = ["anonymous", "outsider", "editor", "bestuurder", "procesbewaker", "operator", "superuser"]
# (name, method, url kind, expected per role in ROLES order): 302 for anonymous is the login page.
MATRIX = [
    #                                        anon outs edit best pb   oper super
    ("overview",      "get",  "overview",   [302, 403, 403, 403, 403, 200, 200]),
    ("create form",   "get",  "create",     [302, 403, 403, 403, 403, 200, 200]),
    ("create",        "post", "create",     [302, 403, 403, 403, 403, 302, 302]),
    ("archive form",  "get",  "archive",    [302, 403, 403, 403, 403, 200, 200]),
    ("archive",       "post", "archive",    [302, 403, 403, 403, 403, 302, 302]),
]
CASES = [(name, method, kind, role, codes[i]) for name, method, kind, codes in MATRIX for i, role in enumerate(ROLES)]


def new_partnership_data(**overrides):
    data = {"name": "RMC-regio 25 Rijnmond", "description": "", "first_name": "Fatima", "last_name": "El Amrani",
            "email": "f.elamrani@rotterdam.example", "organisation": "Gemeente Rotterdam (RMC)",
            "organisation_type": "gemeente"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("name,method,kind,role,expected", CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_operator_pages_by_role(client, people, operator, name, method, kind, role, expected):
    users = {"anonymous": None, "outsider": people.outsider, "editor": people.editor,
             "bestuurder": people.bestuurder, "procesbewaker": people.procesbewaker, "operator": operator,
             "superuser": make_user("hoofdbeheerder", is_superuser=True, is_staff=True)}
    if users[role] is not None:
        client.force_login(users[role])
    url = {"overview": reverse("actieplan:platform_overview"),
           "create": reverse("actieplan:platform_partnership_create"),
           "archive": reverse("actieplan:platform_partnership_archive", args=[people.partnership.pk])}[kind]
    before = (Partnership.objects.count(), Partnership.objects.filter(archived=True).count())
    response = client.post(url, new_partnership_data()) if method == "post" else client.get(url)
    assert response.status_code == expected
    if role == "anonymous":
        assert "?next=" in response["Location"]
    after = (Partnership.objects.count(), Partnership.objects.filter(archived=True).count())
    assert (before != after) == (method == "post" and expected == 302 and role != "anonymous")


def test_only_the_group_makes_an_operator(people, operator):
    assert can_operate_platform(operator)
    assert not any(can_operate_platform(u) for u in (people.procesbewaker, people.bestuurder, people.editor))
    operator.is_active = False
    operator.save()
    assert not can_operate_platform(operator)


# --- creating a partnership with its first procesbewaker ------------------------------------------------------

def _set_password_link(message):
    return re.search(r"https?://[^\s]+/actieplan/wachtwoord/[^\s]+/", message.body).group(0)


def test_operator_creates_a_partnership_and_its_procesbewaker_sets_a_password_once(
        client, operator, django_capture_on_commit_callbacks):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actieplan:platform_partnership_create"), new_partnership_data(), follow=True)
    assert "RMC-regio 25 Rijnmond is aangemaakt" in response.content.decode()
    partnership = Partnership.objects.get(name="RMC-regio 25 Rijnmond")
    membership = Membership.objects.get(partnership=partnership)
    assert membership.role == Role.PROCESBEWAKER and membership.organisation.name == "Gemeente Rotterdam (RMC)"
    user = membership.user
    assert user.email == "f.elamrani@rotterdam.example" and not user.has_usable_password()
    # One invitation, through the reminder log like every mail, with the set-password link.
    assert Reminder.objects.filter(kind=ReminderKind.INVITATION, recipient=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["f.elamrani@rotterdam.example"]
    assert "procesbewaker van RMC-regio 25 Rijnmond" in mail.outbox[0].subject
    link = urlsplit(_set_password_link(mail.outbox[0])).path

    client.logout()
    form_page = client.get(link, follow=True)
    assert "Kies het wachtwoord voor je account" in form_page.content.decode()
    form_url = form_page.redirect_chain[-1][0]
    # A weak password gets Django's Dutch message and nothing is saved.
    weak = client.post(form_url, {"new_password1": "1234", "new_password2": "1234"})
    assert weak.status_code == 200 and "Dit wachtwoord is te algemeen" in weak.content.decode()
    assert not get_user_model().objects.get(pk=user.pk).has_usable_password()
    done = client.post(form_url, {"new_password1": "Stroom-Rijnmond-2027", "new_password2": "Stroom-Rijnmond-2027"},
                       follow=True)
    assert "Je wachtwoord is ingesteld" in done.content.decode()
    assert client.login(username=user.get_username(), password="Stroom-Rijnmond-2027")
    # The new procesbewaker may manage the new partnership at once.
    assert client.get(reverse("actieplan:action_create")).status_code == 200
    client.logout()
    # The link worked once.
    again = client.get(link, follow=True)
    assert "Deze link werkt niet meer" in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_create_form_says_what_is_wrong_in_dutch_and_saves_nothing(client, operator, people):
    client.force_login(operator)
    response = client.post(reverse("actieplan:platform_partnership_create"), new_partnership_data(
        name=people.partnership.name.upper(), email="geen-adres"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Er is al een samenwerkingsverband met de naam" in html
    assert "Vul een geldig e-mailadres in" in html
    assert Partnership.objects.count() == 1 and not mail.outbox


def test_a_double_submit_makes_one_partnership_and_one_invitation(client, operator,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(operator)
    form = client.get(reverse("actieplan:platform_partnership_create")).context["form"]
    data = new_partnership_data()
    key_name = next(name for name in form.fields if name not in data)  # the one-time key
    data[key_name] = form[key_name].value()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("actieplan:platform_partnership_create"), data)
        second = client.post(reverse("actieplan:platform_partnership_create"), data, follow=True)
    assert "één keer aangemaakt" in second.content.decode()
    assert Partnership.objects.filter(name="RMC-regio 25 Rijnmond").count() == 1
    assert len(mail.outbox) == 1


def test_an_existing_account_becomes_procesbewaker_and_is_told_to_log_in(client, operator, people,
                                                                          django_capture_on_commit_callbacks):
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("actieplan:platform_partnership_create"),
                    new_partnership_data(email=people.bestuurder.email.upper(), organisation=people.organisation.name))
    partnership = Partnership.objects.get(name="RMC-regio 25 Rijnmond")
    assert Membership.objects.get(partnership=partnership).user == people.bestuurder
    assert Organisation.objects.filter(name=people.organisation.name).count() == 1
    body = mail.outbox[0].body
    assert "Log in met je bestaande account" in body and "/actieplan/wachtwoord/" not in body
    assert people.bestuurder.check_password("geheim-wachtwoord-123")  # untouched


# --- archiving ----------------------------------------------------------------------------------------------

def test_operator_archives_a_partnership_and_nothing_is_deleted(client, operator, people):
    action = make_action(people.partnership, people.owner, title="Stage-afspraken vastleggen")
    client.force_login(people.werkgroeplid)
    assert client.get(reverse("actieplan:action_detail", args=[action.pk])).status_code == 200
    client.force_login(operator)
    confirm = client.get(reverse("actieplan:platform_partnership_archive", args=[people.partnership.pk]))
    assert "Er wordt niets verwijderd" in confirm.content.decode()
    done = client.post(reverse("actieplan:platform_partnership_archive", args=[people.partnership.pk]), follow=True)
    assert "is gearchiveerd" in done.content.decode()
    people.partnership.refresh_from_db()
    assert people.partnership.archived
    assert Action.objects.filter(pk=action.pk).exists() and Membership.objects.filter(
        partnership=people.partnership).count() == 5
    # Its members lose access at once.
    client.force_login(people.werkgroeplid)
    assert client.get(reverse("actieplan:action_detail", args=[action.pk])).status_code == 404
    # The overview lists it under "Gearchiveerd"; the history names who archived it.
    client.force_login(operator)
    html = client.get(reverse("actieplan:platform_overview")).content.decode()
    assert html.index("Gearchiveerd") < html.index(people.partnership.name)
    from wagtail.models import ModelLogEntry
    entry = ModelLogEntry.objects.filter(object_id=str(people.partnership.pk), action="actieplan.gearchiveerd").get()
    assert entry.user == operator


# --- the overview: counts, never content --------------------------------------------------------------------

def test_overview_shows_activity_per_partnership(client, operator, people, other_people):
    today = timezone.localdate()
    make_action(people.partnership, people.owner, deadline=today - datetime.timedelta(days=3))
    make_action(people.partnership, people.owner)
    done = make_action(people.partnership, people.owner)
    action_services.add_update(done, people.owner, "Klaar.", new_status=ActionStatus.AFGEROND)
    make_action(people.partnership, people.owner, status=ActionStatus.VERVALLEN)
    ReflectionSession.objects.create(partnership=people.partnership, title="Najaar")
    make_meeting(people.partnership, chair=people.procesbewaker)
    client.force_login(operator)
    response = client.get(reverse("actieplan:platform_overview"))
    rows = {row.name: row for row in response.context["active"]}
    a, b = rows[people.partnership.name], rows[other_people.partnership.name]
    assert (a.members, a.agreed, a.done, a.overdue, a.sessions, a.meetings) == (5, 3, 1, 1, 1, 1)
    assert (b.members, b.agreed, b.done, b.overdue, b.sessions, b.meetings) == (5, 0, 0, 0, 0, 0)
    assert a.last_activity is not None and b.last_activity is None
    html = response.content.decode()
    assert "nog niets" in html and "33 %" in html


def test_overview_takes_the_same_few_queries_for_many_partnerships(client, operator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from actieplan import caching

    def queries_of_the_page():
        caching.bump(activity.PLATFORM)  # not from the cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("actieplan:platform_overview")).status_code == 200
        return len(queries)

    client.force_login(operator)
    make_people("c")
    queries_of_the_page()  # the first request of a session does a little more (the cache version's first row)
    with_one = queries_of_the_page()
    for prefix in "defgh":
        people = make_people(prefix)
        make_action(people.partnership, people.owner)
        make_meeting(people.partnership, chair=people.procesbewaker)
    assert queries_of_the_page() == with_one
    caching.bump(activity.PLATFORM)
    with CaptureQueriesContext(connection) as queries:
        activity.compute()
    assert len(queries) == 2


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.links.append(attrs[name])


def _reachable(client, seeds, limit=400):
    """Every page of this site the client reaches from ``seeds`` by GET, following links, forms and redirects."""
    seen, queue, pages = set(), list(seeds), {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or "logout" in path or path.startswith("/static/"):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code in (301, 302):
            queue.append(urljoin(path, response["Location"]))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        pages[path] = (response.status_code, body)
        if "html" in response.get("Content-Type", ""):
            parser = _Links()
            parser.feed(body.decode("utf-8", "replace"))
            queue.extend(urljoin(path, link) for link in parser.links)
    return pages


def test_no_content_reaches_the_operator_anywhere(client, operator, people, other_people):
    """A marker in every content field of two partnerships (action title and description, a timeline note, a
    meeting, its agenda note and decision, a reflection comment): nothing the operator can reach shows it, by link
    or by guessing an address, while the overview still counts all of it."""
    content = [stock(people, MARKER), stock(other_people, MARKER.lower())]
    for s in content:
        s.action.description = f"Omschrijving {MARKER}"
        s.action.save()
    from actieplan.progress.demo import ensure_progress_page
    progress = ensure_progress_page(people.partnership, slug="voortgang-a")
    direct = [progress.url, f"{reverse('actieplan:search')}?q=stageplaatsen", reverse("actieplan:action_export_csv"),
              reverse("actieplan:action_export_xlsx"), "/admin/", "/admin/reports/site-history/",
              "/admin/pages/search/?q=stageplaatsen", "/zoeken/?q=stageplaatsen"]
    for s in content:
        direct += [reverse("actieplan:action_detail", args=[s.action.pk]),
                   reverse("actieplan:action_detail", args=[s.note.action_id]),
                   reverse("actieplan:meeting_detail", args=[s.meeting.pk]),
                   reverse("actieplan:meeting_minutes", args=[s.meeting.pk]),
                   reverse("actieplan:reflection_results", args=[s.comment.response.session_id]),
                   reverse("actieplan:reflection_csv", args=[s.comment.response.session_id]),
                   f"/admin/snippets/actieplan/action/edit/{s.action.pk}/",
                   f"/admin/snippets/actieplan/action/inspect/{s.action.pk}/",
                   f"/admin/snippets/actieplan/meeting/edit/{s.meeting.pk}/"]
    client.force_login(operator)
    pages = _reachable(client, [reverse("actieplan:platform_overview"), "/", "/actieplan/", *direct])
    assert reverse("actieplan:platform_overview") in pages and len(pages) > 20
    leaks = [path for path, (_status, body) in pages.items() if MARKER.lower().encode() in body.lower()]
    assert leaks == [], [(p, pages[p][0]) for p in leaks]
    # The same data does reach a member of the partnership (so the marker would be seen if it leaked).
    client.force_login(people.werkgroeplid)
    assert MARKER in client.get(reverse("actieplan:action_detail", args=[content[0].action.pk])).content.decode()
    # … and the overview counts it.
    client.force_login(operator)
    rows = {r.name: r for r in client.get(reverse("actieplan:platform_overview")).context["active"]}
    assert rows[people.partnership.name].agreed == 2 and rows[people.partnership.name].meetings == 1
    assert rows[people.partnership.name].sessions == 2


# --- the figures agree with the plan, whatever the plan -------------------------------------------------------

class OverviewFiguresTest(HypothesisTestCase):
    """For generated platforms, each row of the overview equals a plain count over the rows."""

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(st.tuples(st.integers(0, 2), st.sampled_from([s.value for s in ActionStatus]),
                              st.integers(-5, 5)), max_size=25),
           st.lists(st.integers(0, 2), max_size=5))
    def test_overview_counts_as_by_hand(self, actions, sessions):
        today = timezone.localdate()
        partnerships = [Partnership.objects.create(name=f"Regio {i}", slug=f"regio-{i}") for i in range(3)]
        owner = make_user()
        for p, status, offset in actions:
            make_action(partnerships[p], owner, status=status, deadline=today + datetime.timedelta(days=offset))
        for p in sessions:
            ReflectionSession.objects.create(partnership=partnerships[p], title="Sessie")
        rows = {row.pk: row for row in activity.compute(today)}
        for i, partnership in enumerate(partnerships):
            mine = [(status, offset) for p, status, offset in actions if p == i]
            active = ("open", "bezig", "geblokkeerd")
            expected = (len([s for s, _o in mine if s != "vervallen"]), len([s for s, _o in mine if s == "afgerond"]),
                        len([s for s, o in mine if s in active and o < 0]), sessions.count(i))
            row = rows[partnership.pk]
            assert (row.agreed, row.done, row.overdue, row.sessions) == expected


def test_operator_lands_on_the_overview_after_logging_in(client, operator, people):
    client.force_login(operator)
    assert client.get(reverse("actieplan:after_login"))["Location"] == reverse("actieplan:platform_overview")
    client.force_login(people.procesbewaker)
    assert client.get(reverse("actieplan:after_login"))["Location"] == reverse("actieplan:action_list")


def test_a_name_that_is_taken_gets_the_next_free_number():
    from actieplan.formats import first_free
    from actieplan.operations import services

    assert first_free("regio", lambda name: False) == "regio"
    assert first_free("regio", {"regio", "regio-2"}.__contains__) == "regio-3"
    Partnership.objects.create(name="Regio Noord", slug="regio-noord")
    Partnership.objects.create(name="Regio Noord 2", slug="regio-noord-2")
    assert services._free_slug("Regio Noord") == "regio-noord-3"
