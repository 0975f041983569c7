"""A region's own front door: RMC-regio Rijnmond's pages live under their own Wagtail ``Site`` (the demo's
``regio2.localhost``), the library "Het delen waard" stays the one national library on the first site, and the
apps' front-end URLs work on every hostname. Routed with Django's test client and the ``HTTP_HOST`` header."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Site

from actieplan.models import Action, Partnership, ProgressPage
from good_practices.models import GoodPracticeIndexPage, GoodPracticePage, ProeftuinIndexPage, ProeftuinPage
from lobplatform.demo import region2
from tests.factories import make_people

pytestmark = pytest.mark.django_db

REGIO2 = {"HTTP_HOST": region2.HOSTNAME}


@pytest.fixture
def platform(library, proeftuinen):
    """The first site with the library (one practice) and its proeftuinen, and the demo's second region."""
    practice = GoodPracticePage(title="Welkomstbijeenkomst voor ouders", slug="welkomstbijeenkomst",
                                summary="Ouders leren de school kennen.")
    library.add_child(instance=practice)
    practice.save_revision().publish()
    first = make_people("a")
    partnership = region2.load()
    return {"library": library, "practice": practice, "first": first, "rijnmond": partnership,
            "default": Site.objects.get(is_default_site=True), "regio2": Site.objects.get(hostname=region2.HOSTNAME)}


def test_each_hostname_gets_its_own_home_page_and_proeftuinen(client, platform):
    first_home = client.get("/").content.decode()
    regio2_home = client.get("/", **REGIO2).content.decode()
    assert "RMC-regio Rijnmond" in regio2_home and "RMC-regio Rijnmond" not in first_home
    regio2_pilots = client.get("/proeftuinen/", **REGIO2)
    assert regio2_pilots.status_code == 200
    html = regio2_pilots.content.decode()
    assert "Het LOB-diner op Vakcollege De Hef" in html and "Leerkring school en thuis bij Zadkine ICT" in html
    assert "Het LOB-diner" not in client.get("/proeftuinen/").content.decode()
    # A proeftuin is served on its own host only.
    assert client.get("/proeftuinen/lob-diner-vakcollege-de-hef/", **REGIO2).status_code == 200
    assert client.get("/proeftuinen/lob-diner-vakcollege-de-hef/").status_code == 404


def test_the_one_library_is_linked_by_its_full_address_from_the_other_site(client, platform):
    library_url = platform["default"].root_url + platform["library"].url_path.removeprefix(
        platform["default"].root_page.url_path[:-1])
    assert library_url.startswith("http://") and library_url.endswith("/het-delen-waard/")
    regio2_home = client.get("/", **REGIO2).content.decode()
    assert f'href="{library_url}">Het delen waard</a>' in regio2_home
    # On its own site the menu links it relatively, once.
    first_home = client.get("/").content.decode()
    assert first_home.count('href="/het-delen-waard/"') >= 1 and library_url not in first_home
    # There is one library: none on the second site, and the regio's host does not serve it.
    assert GoodPracticeIndexPage.objects.count() == 1
    assert client.get("/het-delen-waard/", **REGIO2).status_code == 404
    assert client.get("/het-delen-waard/").status_code == 200


def test_links_between_sites_are_full_urls_to_the_right_host(rf, platform):
    pilot = ProeftuinPage.objects.get(slug="lob-diner-vakcollege-de-hef")
    practice = platform["practice"]
    on_first = rf.get("/", HTTP_HOST=platform["default"].hostname)
    on_regio2 = rf.get("/", **REGIO2)
    # From the other site: the full address on the page's own host; from its own site: a relative address.
    assert pilot.get_url(on_first) == f"{platform['regio2'].root_url}/proeftuinen/lob-diner-vakcollege-de-hef/"
    assert pilot.get_url(on_regio2) == "/proeftuinen/lob-diner-vakcollege-de-hef/"
    assert practice.get_url(on_regio2) == f"{platform['default'].root_url}/het-delen-waard/welkomstbijeenkomst/"
    assert practice.get_url(on_first) == "/het-delen-waard/welkomstbijeenkomst/"
    assert platform["regio2"].root_url == f"http://{region2.HOSTNAME}"


def test_the_footer_links_the_one_accessibility_statement_from_every_site(client, platform):
    from lobplatform.demo.site import load_accessibility_statement

    load_accessibility_statement(platform["default"].root_page.specific)
    assert 'href="/toegankelijkheid/"' in client.get("/").content.decode()
    assert f'href="{platform["default"].root_url}/toegankelijkheid/"' in client.get("/", **REGIO2).content.decode()


@pytest.mark.parametrize("host", ["testserver", region2.HOSTNAME])
def test_the_apps_front_end_works_on_both_hostnames(client, platform, host):
    """The action plan, reflection, meetings and search answer on every host, each person seeing their own plan."""
    from django.contrib.auth import get_user_model

    werkgroeplid = get_user_model().objects.get(username="ingrid.vermeulen")
    client.force_login(werkgroeplid)
    for name in ("action_list", "action_board", "reflection_list", "meeting_list", "search"):
        response = client.get(reverse(f"actieplan:{name}"), HTTP_HOST=host)
        assert response.status_code == 200, name
    html = client.get(reverse("actieplan:action_list"), HTTP_HOST=host).content.decode()
    assert "Thuisopdrachten LOB in leerjaar 2" in html
    action = Action.objects.get(title__startswith="Thuisopdrachten LOB")
    assert client.get(reverse("actieplan:action_detail", args=[action.pk]), HTTP_HOST=host).status_code == 200
    # Someone of the first region sees none of Rijnmond's plan on either host.
    client.force_login(platform["first"].werkgroeplid)
    assert "Thuisopdrachten LOB" not in client.get(reverse("actieplan:action_list"), HTTP_HOST=host).content.decode()
    assert client.get(reverse("actieplan:action_detail", args=[action.pk]), HTTP_HOST=host).status_code == 404


def test_voortgang_leads_to_the_regions_own_site(client, platform):
    from django.contrib.auth import get_user_model

    bestuurder = get_user_model().objects.get(username="peter.kloosterman")
    page = ProgressPage.objects.get(partnership=platform["rijnmond"])
    assert page.get_site() == platform["regio2"]
    client.force_login(bestuurder)
    for host in ("testserver", region2.HOSTNAME):
        response = client.get(reverse("actieplan:progress"), HTTP_HOST=host)
        assert response.status_code == 302
        assert response["Location"] == f"http://{region2.HOSTNAME}/voortgang/"  # on its own host, from either
    served = client.get("/voortgang/", **REGIO2)
    assert served.status_code == 200 and "Voortgang" in served.content.decode()
    # The first region's people may not open it, on any host.
    client.force_login(platform["first"].bestuurder)
    assert client.get("/voortgang/", **REGIO2).status_code == 403


def test_the_demo_region_loads_once(platform):
    region2.load()
    assert Site.objects.filter(hostname=region2.HOSTNAME).count() == 1
    assert Partnership.objects.filter(slug=region2.SLUG).count() == 1
    assert Action.objects.filter(partnership=platform["rijnmond"]).count() == len(region2.ACTIONS)
    assert ProeftuinIndexPage.objects.count() == 2 and ProeftuinPage.objects.filter(
        slug__in=[p["slug"] for p in region2.PROEFTUINEN]).count() == 2


def test_a_finished_proeftuin_of_a_region_becomes_a_draft_in_the_one_national_library(client, platform):
    """A region's own site has proeftuinen but no library: sharing a finished one lands in the national library."""
    from tests.test_good_practices import proeftuin

    regional_index = ProeftuinIndexPage.objects.descendant_of(platform["regio2"].root_page).get()
    pilot = proeftuin(regional_index, title="Ouderavond in de wijk", slug="ouderavond-in-de-wijk")
    client.force_login(platform["first"].editor)
    response = client.post(reverse("good_practices_promote", args=[pilot.pk]))
    created = GoodPracticePage.objects.get(source_proeftuin=pilot)
    assert response.status_code == 302
    assert created.get_parent().pk == platform["library"].pk
