"""Shared fixtures: real servers (Redis, SMTP, browser) and people in every role."""

import os

import pytest

from tests.services import CHROMIUM, CHROMIUM_ARGS, RedisServer

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# beside it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


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
