"""Property-based fuzzing: whatever anonymous visitors, members and admins put in our query strings and
forms, no response is a server error.

Hypothesis draws the values a careless user or an attacker would: very long strings, huge, negative and
malformed ids, far-future and impossible dates, odd unicode, NUL, many parameters. Each example is one
request through the real URL configuration and middleware (the test client, with
``raise_request_exception=False`` so a 500 is a status, not an exception). Kept to about a minute.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actieplan.models import Meeting, ReflectionSession
from good_practices.models import GoodPracticeIndexPage
from tests.factories import make_action, publish_section

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Values that broke or could break parsing somewhere: ids, dates, numbers, text.
huge_ids = st.sampled_from(["99999999999999999999", "2147483648", "-1", "0", "1e9", "0x10", "١٢", "²", "1.5", " 1",
                            "9" * 400, "%00", "null", "[]", "{}", "1;DROP TABLE"])
odd_dates = st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "99999-01-01", "31-12-2999", "2026-13-01",
                             "1900-01-01", "2026/01/01", "gisteren", "\x00", "2026-01-01T25:00"])
odd_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30),
    st.sampled_from(["\x00", "\r\nBcc: x@example.nl", "\"", "'", "\\", "%", "*", "(", "&&", "<script>", "=1+1",
                     "\u202e", "\ufeff", "😀" * 50, "a" * 5000, "Ω" * 3000]),
)
values = st.one_of(huge_ids, odd_dates, odd_text, st.integers().map(str))

PARAMS = ["q", "status", "theme", "partnership", "owner", "organisation", "mandate_level", "board", "overdue",
          "deadline_from", "deadline_to", "page", "sort", "order", "year", "week", "since", "view", "source_session",
          "question", "region", "themes", "transitions", "school_types", "competenties", "target_groups", "p",
          "export", "next", "token", "code", "ordering", "id"]
query = st.dictionaries(st.one_of(st.sampled_from(PARAMS), st.text(min_size=1, max_size=12)),
                        st.one_of(values, st.lists(values, max_size=3)), max_size=8)


@pytest.fixture
def site(people, other_people, admin_user):
    library = publish_section(GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard"))
    action = make_action(people.partnership, people.owner, title="Warme overdracht vso-mbo")
    session = ReflectionSession.objects.create(partnership=people.partnership, title="Reflectie voorjaar")
    meeting = Meeting.objects.create(partnership=people.partnership, title="Werkgroep december",
                                     starts_at=datetime.datetime(2026, 12, 20, 10, tzinfo=datetime.timezone.utc))
    clients = {"anoniem": Client(raise_request_exception=False)}
    for name, user in (("lid", people.werkgroeplid), ("eigenaar", people.owner), ("admin", admin_user)):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients[name] = client
    urls = [
        "/", "/zoeken/", "/het-delen-waard/", "/inloggen/", reverse("actieplan:action_list"),
        reverse("actieplan:action_board"), reverse("actieplan:action_create"),
        reverse("actieplan:action_detail", args=[action.pk]), reverse("actieplan:action_edit", args=[action.pk]),
        reverse("actieplan:action_export_csv"), reverse("actieplan:action_export_xlsx"),
        reverse("actieplan:action_import"), reverse("actieplan:reflection_list"),
        reverse("actieplan:reflection_create"), reverse("actieplan:reflection_detail", args=[session.pk]),
        reverse("actieplan:reflection_results", args=[session.pk]), reverse("actieplan:reflection_csv", args=[session.pk]),
        reverse("actieplan:reflection_answer", args=[session.code]), reverse("actieplan:reflection_join"),
        reverse("actieplan:meeting_list"), reverse("actieplan:meeting_detail", args=[meeting.pk]),
        reverse("actieplan:meeting_create"), reverse("actieplan:reminder_preferences"),
        reverse("actieplan:calendar_settings"),
        "/admin/", "/admin/actieplan/acties/", "/admin/actieplan/acties/results/",
        "/admin/snippets/choose/actieplan/action/", "/admin/snippets/choose/actieplan/action/results/",
        "/admin/snippets/choose/actieplan/reflectionsession/results/", "/admin/reports/site-history/",
        "/admin/reports/verlopen-acties/", "/admin/snippets/actieplan/reflectionsession/",
        "/admin/actieplan/overleg/", "/admin/snippets/actieplan/partnership/",
    ]
    return {"clients": clients, "urls": urls, "action": action, "session": session, "meeting": meeting}


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} → {response.status_code}"


@FUZZ
@given(data=st.data())
def test_query_strings_never_cause_a_server_error(site, data):
    role = data.draw(st.sampled_from(sorted(site["clients"])), label="rol")
    url = data.draw(st.sampled_from(site["urls"]), label="url")
    params = data.draw(query, label="query")
    response = site["clients"][role].get(url, params)
    assert_no_server_error(response, f"{role} GET {url} {params!r}")


@FUZZ
@given(data=st.data())
def test_ids_in_paths_never_cause_a_server_error(site, data):
    role = data.draw(st.sampled_from(sorted(site["clients"])), label="rol")
    pattern = data.draw(st.sampled_from([
        "/actieplan/acties/{}/", "/actieplan/acties/{}/bewerken/", "/actieplan/reflectie/{}/resultaten/",
        "/actieplan/overleg/{}/", "/actieplan/r/{}/", "/actieplan/herinnering/{}/",
        "/actieplan/weekoverzicht/afmelden/{}/", "/actieplan/overleg/check-in/{}/",
        "/admin/snippets/choose/actieplan/action/chosen/{}/", "/admin/actieplan/acties/edit/{}/",
        "/admin/actieplan/acties/inspect/{}/", "/admin/snippets/actieplan/partnership/delete/{}/"]), label="pad")
    ident = data.draw(st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str),
                                st.sampled_from(["abc", "1e9", "9" * 300, "%2e%2e", "0"])), label="id")
    response = site["clients"][role].get(pattern.format(ident))
    assert_no_server_error(response, f"{role} GET {pattern.format(ident)}")


def action_form(site, data):
    return {
        "title": data.draw(odd_text, label="titel"), "description": data.draw(odd_text, label="omschrijving"),
        "partnership": data.draw(huge_ids | st.just(str(site["action"].partnership_id))),
        "theme": data.draw(huge_ids | st.just(str(site["action"].theme_id))),
        "owner": data.draw(huge_ids | st.just(str(site["action"].owner_id))),
        "mandate_level": data.draw(values), "deadline": data.draw(odd_dates), "board": data.draw(values),
        "owner_organisation": data.draw(values), "question": data.draw(values), "source_session": data.draw(values),
        "status": data.draw(values),
    }


@FUZZ
@given(data=st.data())
def test_forms_never_cause_a_server_error(site, data):
    action, session, meeting = site["action"], site["session"], site["meeting"]
    role = data.draw(st.sampled_from(["lid", "eigenaar", "admin", "anoniem"]), label="rol")
    target = data.draw(st.sampled_from(["create", "edit", "update", "session", "meeting", "item", "answer",
                                        "import-confirm", "preferences", "login"]), label="formulier")
    if target in ("create", "edit"):
        url = reverse("actieplan:action_create") if target == "create" else reverse("actieplan:action_edit",
                                                                                   args=[action.pk])
        form = action_form(site, data)
    elif target == "update":
        url = reverse("actieplan:action_detail", args=[action.pk])
        form = {"note": data.draw(odd_text), "new_status": data.draw(values), "new_deadline": data.draw(odd_dates),
                "deadline_reason": data.draw(odd_text), "progress": data.draw(values)}
    elif target == "session":
        url = reverse("actieplan:reflection_create")
        form = {"partnership": data.draw(huge_ids), "title": data.draw(odd_text), "date": data.draw(odd_dates),
                "facilitator": data.draw(huge_ids)}
    elif target == "meeting":
        url = reverse("actieplan:meeting_create")
        form = {"partnership": data.draw(huge_ids), "kind": data.draw(values), "title": data.draw(odd_text),
                "starts_at": data.draw(odd_dates), "duration_minutes": data.draw(values),
                "location": data.draw(odd_text), "chair": data.draw(huge_ids)}
    elif target == "item":
        url = reverse("actieplan:meeting_item_add", args=[meeting.pk])
        form = {"title": data.draw(odd_text), "description": data.draw(odd_text)}
    elif target == "answer":
        url = reverse("actieplan:reflection_answer", args=[session.code])
        form = {f"q{n}": data.draw(values) for n in range(1, 4)} | {"comment": data.draw(odd_text)}
    elif target == "import-confirm":
        url = reverse("actieplan:action_import")
        form = {"confirm": "1", "token": data.draw(odd_text)}
    elif target == "preferences":
        url = reverse("actieplan:reminder_preferences")
        form = {"digest_enabled": data.draw(values), "reminder_days_before": data.draw(values)}
    else:
        url = "/inloggen/"
        form = {"username": data.draw(odd_text), "password": data.draw(odd_text)}
    # The test client refuses NUL in form values itself (it cannot encode them); send them as the browser would.
    response = site["clients"][role].post(url, form)
    assert_no_server_error(response, f"{role} POST {url} {form!r}")


def test_many_parameters_and_huge_query_strings(site):
    for role, client in site["clients"].items():
        for url in site["urls"][:8]:
            many = "&".join(f"status={n}" for n in range(1200))
            assert_no_server_error(client.get(f"{url}?{many}"), f"{role} {url} 1200 parameters")
            assert_no_server_error(client.get(f"{url}?q={'x' * 100_000}"), f"{role} {url} 100 kB")


# --- every URL pattern, with the values that broke something once (issue 25) -----------------------------

HOSTILE_QUERY = {"q": '"', "deadline_after": "0001-01-01", "deadline_before": "9999-12-31", "since": "0001-01-01",
                 "completed_after": "0001-01-01", "page": "2147483648", "p": "9223372036854775807", "id": "0",
                 "partnership": "2147483648", "owner": "-1", "ordering": "-pk", "sort": '"', "year": "0",
                 "week": "53", "code": '"', "token": '"'}
#: Numbers past any database integer are refused before a view runs (SQLite cannot compare with them).
HUGE_QUERY = {"page": "99999999999999999999", "p": "99999999999999999999", "id": "99999999999999999999"}
HUGE_ID = "99999999999999999999"
#: Wagtail's own pages that show its error pages on purpose.
DELIBERATE_ERRORS = {"admin/failwhale/", "admin/test404/"}
#: Hand-written examples for the few patterns that are regular expressions.
REGEX_EXAMPLES = {
    "wagtailadmin_pages:revisions_compare": ["admin/pages/{id}/revisions/compare/live...latest/"],
    "wagtaildocs_serve": ["documenten/{id}/bestand.pdf"],
    "wagtail_serve": ["", "het-delen-waard/", 'bestaat-niet"/'],
}


def url_patterns():
    """``[(route, name)]`` of every pattern the site answers, from the real URL configuration."""
    from django.urls import URLResolver, get_resolver

    found = []

    def walk(patterns, prefix="", namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace and (f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
            else:
                name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
                found.append((prefix + str(pattern.pattern), name))

    walk(get_resolver().url_patterns)
    return found


def concrete(route, name, ident):
    """The paths for one pattern: each ``<converter:name>`` filled with ``ident`` (ids) or a hostile word."""
    import re
    import uuid

    if "^" in route or "$" in route:
        if name in REGEX_EXAMPLES:
            return ["/" + example.format(id=ident) for example in REGEX_EXAMPLES[name]]
        return ["/" + route.replace("^.*/$", "iets/bestaat/niet/")] if route.endswith("^.*/$") else []
    values = {"int": ident, "str": 'a"b', "slug": "geen-slug", "uuid": str(uuid.UUID(int=0)), "path": "a/b",
              "positive_int": ident}

    def fill(match):
        converter = match.group(1) or "str"
        return values.get(converter, "x")

    return ["/" + re.sub(r"<(?:(\w+):)?\w+>", fill, route)]


def test_every_url_pattern_answers_hostile_values_without_a_server_error(site, admin_user):
    """Every pattern of the site (front end, admin, Wagtail), as a platform admin, with a real and a huge id,
    hostile query values (a quote in a search, year 1 and 9999, ids past any integer), and a NUL in the query
    (refused with 400 before any view runs). Runs on SQLite and PostgreSQL like the rest of the suite."""
    client = site["clients"]["admin"]
    anonymous = site["clients"]["anoniem"]
    problems = []
    patterns = url_patterns()
    assert len(patterns) > 300  # the whole site, Wagtail's admin included
    for route, name in patterns:
        if route in DELIBERATE_ERRORS:
            continue
        for ident in (str(site["action"].pk), HUGE_ID):
            for path in concrete(route, name, ident):
                for query in (HOSTILE_QUERY, {}):
                    response = client.get(path, query)
                    if response.status_code >= 500:
                        problems.append(f"{path} {query and 'vijandige query'} → {response.status_code}")
        for path in concrete(route, name, "1"):
            for query in ({"q": "a\x00b"}, HUGE_QUERY):
                response = anonymous.get(path, query)
                if response.status_code != 400:
                    problems.append(f"{path} {query} → {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("url_name,field", [
    ("actieplan:action_detail", "note"), ("actieplan:reflection_join", "code"), ("actieplan:action_create", "title"),
])
def test_a_nul_in_a_form_field_is_a_400_not_a_server_error(site, url_name, field):
    from urllib.parse import urlencode

    client = site["clients"]["lid"]
    args = [site["action"].pk] if url_name == "actieplan:action_detail" else []
    response = client.post(reverse(url_name, args=args), urlencode({field: "voor\x00na"}),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "stuurtekens" in response.content.decode()
