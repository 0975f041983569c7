"""axe-core in the real browser: no WCAG 2.1 A/AA violations on the pages people use.

Add a page by adding an ``A11yPage`` to ``PAGES``: a name, a path, and optionally the role (an
attribute of ``tests.factories.People``) to log in as first.
"""

from typing import NamedTuple

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.factories import make_action, make_people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


class A11yPage(NamedTuple):
    name: str
    path: str
    login_as: str | None = None


PAGES = [
    A11yPage("startpagina", "/"),
    A11yPage("bibliotheek met filter", "/het-delen-waard/?thema=sluitende-transities&overgang=vo-mbo"),
    A11yPage("bibliotheek met zoekterm", "/het-delen-waard/?q=overdracht"),
    A11yPage("good practice", "/het-delen-waard/warme-overdracht-doorstroom-nazorg/"),
    A11yPage("proeftuinen", "/proeftuinen/"),
    A11yPage("proeftuin", "/proeftuinen/leerlab-noord-west-veluwe/"),
    A11yPage("inloggen", "/inloggen/"),
    A11yPage("zoeken", "/zoeken/?q=overdracht"),
    A11yPage("actielijst", "/actieplan/?overdue=true", login_as="werkgroeplid"),
    A11yPage("actiebord", "/actieplan/bord/", login_as="werkgroeplid"),
    A11yPage("nieuwe actie", "/actieplan/acties/nieuw/", login_as="procesbewaker"),
    A11yPage("importeren", "/actieplan/importeren/", login_as="procesbewaker"),
    A11yPage("agenda-feed", "/actieplan/agenda/", login_as="owner"),
    A11yPage("herinneringen instellen", "/actieplan/voorkeuren/", login_as="owner"),
    A11yPage("sinds je laatste bezoek", "/actieplan/sinds/", login_as="owner"),
    A11yPage("volgen en meldingen", "/actieplan/volgen/instellingen/", login_as="owner"),
    A11yPage("zoeken in het actieplan", "/actieplan/zoeken/?q=overdracht", login_as="owner"),
    A11yPage("zoeken in het actieplan met tikfout", "/actieplan/zoeken/?q=overdrakht", login_as="owner"),
    A11yPage("bibliotheek met tikfout", "/het-delen-waard/?q=overdrakht"),
]


@pytest.fixture
def site_content(live_server):
    from good_practices.demo import load_sample

    load_sample()
    people = make_people("axe")
    make_action(people.partnership, people.owner, title="Warme overdracht vo-mbo afspreken")
    return people


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_load_state()


def test_pages_have_no_wcag21_aa_violations(page, live_server, site_content):
    """Every page of ``PAGES`` in one browser session on one demo load (loading it per page cost five seconds
    each); the failure names every page with its violations, not only the first."""
    failures = []
    logged_in_as = None
    for target in PAGES:
        if target.login_as != logged_in_as:
            page.context.clear_cookies()
            if target.login_as:
                log_in(page, live_server, getattr(site_content, target.login_as))
            logged_in_as = target.login_as
        response = page.goto(live_server.url + target.path)
        if not response.ok:
            failures.append(f"{target.name}: {target.path} answered {response.status}")
            continue
        if target.login_as and "/inloggen/" in page.url:
            failures.append(f"{target.name}: {target.path} sent {target.login_as} to the login page")
            continue
        results = Axe().run(page, options=WCAG_21_AA)
        if results.violations_count:
            failures.append(f"{target.name} ({target.path}):\n{results.generate_report()}")
    assert not failures, "\n\n".join(failures)
