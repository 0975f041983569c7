"""Shared fixtures: real servers (Redis, SMTP, browser) and people in every role."""

import os

import pytest

from tests.services import CHROMIUM, CHROMIUM_ARGS, RedisServer

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# No test may depend on the day it runs. The modules that compute with "today" (reminders and digests,
# notifications, progress, meetings, the calendar feed) run once on the real clock and once at each of these
# local moments: the seven days of a week (and a Monday before the digest) around the turn of a year (also a turn of a month), late on New
# Year's Eve, the last day of a short month, and the hour that does not exist when the clocks go forward.
ANY_DAY_MODULES = {"test_reminders", "test_notifications", "test_progress", "test_meetings", "test_calendar",
                   "test_following_dates"}
ANY_DAY_MOMENTS = [
    "2026-12-28T09:00",  # Monday: the weekly digest's morning
    "2026-12-29T09:00",
    "2026-12-30T09:00",
    "2026-12-31T23:30",  # Thursday, half an hour before the turn of the year
    "2027-01-01T00:30",
    "2027-01-02T09:00",  # Saturday
    "2027-01-03T22:00",  # Sunday evening, before the digest window opens
    "2027-01-04T06:30",  # Monday before 07:00: the digest's week is still the week before
    "2027-02-28T12:00",
    "2027-03-28T02:30",
]


def pytest_addoption(parser):
    parser.addoption(
        "--today", metavar="YYYY-MM-DDTHH:MM",
        help="run every test with the clock set to this local moment (it ticks on from there) instead of "
             "running the date-sensitive modules on each day of a week; 'now' runs them on the real clock only")


def pytest_generate_tests(metafunc):
    if metafunc.module.__name__.rpartition(".")[2] in ANY_DAY_MODULES and not metafunc.config.getoption("--today"):
        metafunc.parametrize("clock", ["now", *ANY_DAY_MOMENTS], indirect=True)


@pytest.fixture(autouse=True)
def clock(request):
    """The moment a test runs at, in Europe/Amsterdam: the real clock, or (``--today``, or a parameter of
    the date-sensitive modules) Python's clock set to that moment and ticking on from there. ``timezone.now``,
    ``localdate``, ``time.time`` and the database's auto_now fields (Django fills them from Python) follow it."""
    value = getattr(request, "param", None) or request.config.getoption("--today") or "now"
    if value == "now":
        yield
        return
    import datetime
    import zoneinfo

    import time_machine

    moment = datetime.datetime.fromisoformat(value).replace(tzinfo=zoneinfo.ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep ``serialized_rollback`` working in browser tests.

    Django keeps the serialized test database (Site, home page, groups, reference data) on the
    connection object, and connection objects live in context variables. Once Playwright's sync
    API has started, tests run in another context whose fresh connections lack it, so
    serialized_rollback silently restored nothing in every browser test after the first one.
    On the class, every connection object sees it.
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
    yield


@pytest.fixture(autouse=True)
def fresh_display_caches():
    """Each test starts without cached figures, names and fragments (sites, themes, memberships, rows, the
    library): a rolled-back test never bumped their versions, so what it cached must not reach the next one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def redis_server():
    """A real redis-server on a free loopback port (stop()/start() to simulate an outage)."""
    server = RedisServer().start()
    yield server
    server.cleanup()


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright (its own browser download is not available here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def people(db):
    """A partnership with a procesbewaker, werkgroeplid, bestuurder, owner, manager, editor and outsider."""
    from tests.factories import make_people

    return make_people("a")


@pytest.fixture
def other_people(db):
    """A second, unrelated partnership: its people must never see the first one's actions."""
    from tests.factories import make_people

    return make_people("b")


@pytest.fixture
def library(db):
    """The library "Het delen waard", published under the home page and empty."""
    from good_practices.models import GoodPracticeIndexPage
    from tests.factories import publish_section

    return publish_section(GoodPracticeIndexPage(title="Het delen waard", slug="het-delen-waard", show_in_menus=True))


@pytest.fixture
def proeftuinen(db):
    """The proeftuinen index, published under the home page and empty."""
    from good_practices.models import ProeftuinIndexPage
    from tests.factories import publish_section

    return publish_section(ProeftuinIndexPage(title="Proeftuinen", slug="proeftuinen", show_in_menus=True))
