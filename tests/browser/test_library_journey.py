"""A visitor looks for practices on warm transitions to the mbo, searches, and opens one."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def library(live_server):
    from good_practices.demo import load_sample

    return load_sample()[0]


def test_visitor_filters_by_theme_and_transition_searches_and_opens_a_practice(page, live_server, library):
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Het delen waard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het delen waard")
    status = page.get_by_role("status")
    expect(status).to_contain_text("good practices")

    # Filter: the theme of warm transitions, and the transition vo → mbo.
    page.get_by_role("checkbox", name=re.compile(r"^Sluitende transities")).check()
    page.get_by_role("checkbox", name=re.compile(r"^vo → mbo")).check()
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url(re.compile(r"thema=sluitende-transities.*overgang=vo-mbo"))
    results = page.locator(".gp-results .gp-card h3")
    titles = results.all_inner_texts()
    assert "Begeleiding zodat de doorstroom vo – mbo goed gaat" in titles
    assert "Albeda Verpleegkunde: structureel contact, ook als alles goed gaat" in titles
    assert "Peelportaal" not in titles  # another theme
    assert "Acquisitie die tot veel succesvolle stageplaatsen leidt" not in titles  # another transition
    expect(status).to_have_text(re.compile(rf"^\s*{len(titles)} good practices?\s*$"))
    # The selections survive the round trip.
    expect(page.get_by_role("checkbox", name=re.compile(r"^Sluitende transities"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^vo → mbo"))).to_be_checked()

    # Search within the filtered list.
    page.get_by_label("Zoek in de bibliotheek").fill("nazorg")
    page.get_by_role("button", name="Toon resultaten").click()
    page.wait_for_url(re.compile(r"q=nazorg"))
    expect(status).to_contain_text("gevonden voor “nazorg”")
    titles = results.all_inner_texts()
    assert titles == ["Warme overdracht, doorstroom en nazorg in de regio"]

    # Open it.
    page.get_by_role("link", name="Warme overdracht, doorstroom en nazorg in de regio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Warme overdracht, doorstroom en nazorg in de regio")
    expect(page.get_by_role("complementary", name="In het kort")).to_contain_text("Sluitende transities")
    page.get_by_role("navigation", name="Kruimelpad").get_by_role("link", name="Het delen waard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het delen waard")


def test_the_library_works_on_a_phone(phone_page, live_server, library):
    phone_page.goto(live_server.url + library.url)
    phone_page.get_by_text("Filters", exact=True).click()  # folded on a phone
    phone_page.get_by_role("checkbox", name=re.compile(r"^Kracht van samenwerken")).check()
    phone_page.get_by_role("button", name="Toon resultaten").click()
    phone_page.wait_for_url(re.compile(r"thema=kracht-van-samenwerken"))
    titles = phone_page.locator(".gp-results .gp-card h3").all_inner_texts()
    assert titles and "Peelportaal" in titles
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
