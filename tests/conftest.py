"""Shared fixtures: real servers (Redis, SMTP, browser) and people in every role."""

import os

import pytest

from tests.services import CHROMIUM, CHROMIUM_ARGS, RedisServer

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
    """Each test starts without cached names and fragments (sites, themes, memberships, rows):
    a rolled-back test must not leave them to the next one."""
    from django.core.cache import cache

    from good_practices.caching import bump
    from lobplatform.home.templatetags.site_tags import forget_sites

    cache.clear()
    forget_sites()
    bump()  # the library's cached facets and search hits belong to the previous test's data


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
