"""An editor puts the open actions of a partnership on the home page in the Wagtail editor and publishes;
a werkgroep member sees the actions there, an anonymous visitor only what the editor allowed: how many."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from actieplan.models import ReflectionTheme
from tests.factories import make_action, make_people, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "geheim-wachtwoord-123"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def plan(live_server):
    from wagtail.models import Site

    people = make_people("k")
    daadkracht = ReflectionTheme.objects.get(name="Daadkracht")
    titles = ["Stagebank voor de zorg opzetten", "Doorstroomafspraken vo–mbo vastleggen"]
    for title in titles:
        make_action(people.partnership, people.owner, theme=daadkracht, title=title)
    make_action(people.partnership, people.owner, theme=ReflectionTheme.objects.get(name="Relatie"),
                title="Kennismaking met de werkgevers")
    # A web editor who also moderates: redacteuren alone submit their pages to the moderators (migration 0020).
    editor = make_user("k_webredacteur", first_name="Roos", last_name="Redacteur", groups=["Redacteuren", "Moderatoren"])
    home = Site.objects.get(is_default_site=True).root_page
    return people, editor, home, titles


def log_in(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/inloggen/?next={next_url}")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"**{next_url}")


def field(block, label):
    """A field of the block by its label (required ones carry an asterisk)."""
    return block.get_by_label(re.compile(rf"^{label}\s*\*?$"))


def publish(page):
    page.get_by_role("button", name=re.compile("Meer acties|More actions")).click()
    page.get_by_role("button", name=re.compile("^Publiceren|^Publish")).click()


def test_editor_adds_an_action_list_to_the_home_page_and_each_visitor_sees_what_they_may(page, browser, live_server,
                                                                                         plan):
    people, editor, home, titles = plan
    edit_url = f"/admin/pages/{home.pk}/edit/"
    log_in(page, live_server, editor.username, edit_url)
    # The home page's StreamField "Blokken": insert a block, pick the action list, fill in the choices.
    page.locator("[data-contentpath='content'] button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Acties uit het actieplan").click()
    struct = page.locator("[data-contentpath='content']")
    field(struct, "kop").fill("Wat we doen aan daadkracht")
    field(struct, "samenwerkingsverband").select_option(label=people.partnership.name)
    field(struct, "reflectiethema").select_option(label="Daadkracht")
    field(struct, "wat anderen zien").select_option(label="Alleen het aantal acties")
    # A combination that cannot work is refused on save, in Dutch, and the choices are kept.
    field(struct, "status").select_option(["open"])
    field(struct, "volgorde").select_option(label="Laatst afgerond eerst")
    publish(page)
    expect(page.get_by_text("‘Laatst afgerond eerst’ werkt alleen als ‘afgerond’ bij de statussen staat")).to_be_visible()
    struct = page.locator("[data-contentpath='content']")
    expect(field(struct, "kop")).to_have_value("Wat we doen aan daadkracht")
    field(struct, "volgorde").select_option(label="Eerstvolgende deadline eerst")
    publish(page)
    expect(page.get_by_text(re.compile("is gepubliceerd|has been published"))).to_be_visible()

    member = browser.new_context(locale="nl-NL").new_page()
    log_in(member, live_server, people.werkgroeplid.username, "/")
    block = member.locator("section.ap-block--actions")
    expect(block.get_by_role("heading", name="Wat we doen aan daadkracht")).to_be_visible()
    expect(block.get_by_role("link", name=titles[0])).to_be_visible()
    expect(block.get_by_role("link", name=titles[1])).to_be_visible()
    expect(block).not_to_contain_text("Kennismaking met de werkgevers")  # another theme
    expect(block).to_contain_text("2 acties die je kunt inzien")
    results = Axe().run(member, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    member.context.close()

    visitor = browser.new_context(locale="nl-NL").new_page()
    visitor.goto(live_server.url + "/")
    block = visitor.locator("section.ap-block--actions")
    expect(block).to_contain_text("Hier lopen 2 acties van het actieplan.")
    for title in titles:
        expect(block).not_to_contain_text(title)
    assert block.get_by_role("link").count() == 0
    results = Axe().run(visitor, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    visitor.context.close()
