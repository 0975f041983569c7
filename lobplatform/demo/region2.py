"""Demo content: a second region with its own front door, RMC-regio Rijnmond at ``regio2.localhost``.

One platform serves several regions (README, "Several regions on one platform"): this loader gives RMC-regio
Rijnmond its own Wagtail ``Site`` (hostname :data:`HOSTNAME`, the port of ``WAGTAILADMIN_BASE_URL``) with its own
home page, proeftuinen and Voortgang page, while the library "Het delen waard" stays the one on the first site,
linked from every site by its full address.

Written from source 004 (Hogeschool Rotterdam: the school–parent partnership around LOB on Rotterdam Zuid, the
leerkring of pupils, parents and teachers, and the interventions at Zadkine ICT, Albeda Verpleegkunde, Vmbo
Zuiderpark and Rotterdams Vakcollege De Hef). The people are invented. Idempotent: everything is looked up by its
natural key (slug, hostname, username) and only created when missing.
"""

import datetime
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import Page, Site

from actieplan.actions.models import Action, ActionStatus
from actieplan.partnerships.demo import GROUP_FOR_ROLE, EMAIL_DOMAIN, demo_password
from actieplan.partnerships.models import Membership, Organisation, OrganisationType, Partnership, Region, Role
from actieplan.partnerships.reference import BoardDomain, MandateLevel, ReflectionTheme
from actieplan.progress.demo import ensure_progress_page
from good_practices.models import ProeftuinIndexPage, ProeftuinPage
from good_practices.taxonomy import LeerkringStage
from lobplatform.home.models import HomePage
from lobplatform.home.site_address import address_of

#: The second region's hostname in the demo (``*.localhost`` resolves to this machine in browsers and curl).
HOSTNAME = "regio2.localhost"

NAME = "RMC-regio Rijnmond"
SLUG = "rmc-regio-rijnmond"
DESCRIPTION = (
    "Vmbo- en mbo-scholen, de hogeschool en de gemeente in Rotterdam werken samen aan loopbaanoriëntatie en "
    "-begeleiding, met ouders als partner: de keuze voor een vervolgopleiding wordt thuis gemaakt, dus daar "
    "begint ook het gesprek over de loopbaan.")
REGION = ("Rotterdam Zuid", "Het deel van Rotterdam ten zuiden van de Maas, waar vmbo- en mbo-scholen met de "
                            "hogeschool samenwerken aan ouderbetrokkenheid bij LOB.")

ORGANISATIONS = [
    ("Gemeente Rotterdam (RMC)", OrganisationType.GEMEENTE),
    ("Zadkine", OrganisationType.MBO_34),
    ("Albeda", OrganisationType.MBO_34),
    ("Vmbo Zuiderpark", OrganisationType.VO),
    ("Rotterdams Vakcollege De Hef", OrganisationType.VO),
    ("Hogeschool Rotterdam", OrganisationType.HBO),
]

U, M, B = MandateLevel.UITVOEREND, MandateLevel.MANAGEMENT, MandateLevel.BESTUURLIJK
# (username, first name, last name, organisation, role, mandate level, function)
PEOPLE = [
    ("yara.bouzid", "Yara", "Bouzid", "Gemeente Rotterdam (RMC)", Role.PROCESBEWAKER, M, "RMC-coördinator"),
    ("ingrid.vermeulen", "Ingrid", "Vermeulen", "Zadkine", Role.WERKGROEPLID, U, "loopbaanbegeleider ICT"),
    ("peter.kloosterman", "Peter", "Kloosterman", "Albeda", Role.BESTUURDER, B, "lid college van bestuur"),
    ("dennis.wong", "Dennis", "Wong", "Vmbo Zuiderpark", Role.DEELNEMER, U, "mentor leerjaar 2"),
]

HOME_INTRO = ("Scholen, de hogeschool en de gemeente in Rotterdam werken samen aan LOB, en ouders doen mee: "
              "de loopbaankeuze wordt thuis gemaakt.")
HOME_BODY = (
    "<p>Ouders zijn de belangrijkste gesprekspartner van jongeren bij hun keuze voor een vervolgopleiding. Op "
    "Rotterdam Zuid ontwierpen leerlingen, ouders en leraren daarom samen, in een <b>leerkring</b>, hoe school en "
    "thuis elkaar vaker spreken over de loopbaan. Hier staan de proeftuinen van onze regio en het actieplan van de "
    "werkgroep; de good practices van alle regio's staan in de landelijke bibliotheek <i>Het delen waard</i>.</p>")

PROEFTUINEN_INTRO = ("<p>Kleine proeven in onze regio: eerst doen, dan delen wat werkt.</p>")
PROEFTUINEN = [
    {"slug": "leerkring-school-en-thuis-zadkine-ict", "title": "Leerkring school en thuis bij Zadkine ICT",
     "summary": "Studenten, ouders en docenten van de ICT-opleiding ontwerpen samen hoe school en thuis contact "
                "houden over de loopbaan, te beginnen met een welkomstbijeenkomst.",
     "aim": "Dat ouders van eerstejaars ICT-studenten de loopbaanbegeleider kennen en weten wanneer ze zelf aan "
            "zet zijn, zodat minder studenten in het eerste jaar uitvallen of overstappen.",
     "partners": "Zadkine ICT, ouders en studenten, Hogeschool Rotterdam (procesbegeleiding en onderzoek)",
     "stage": LeerkringStage.UITWERKEN, "board": BoardDomain.SAMENWERKING, "start": -120, "end": 240,
     "orgs": ["Zadkine", "Hogeschool Rotterdam"]},
    {"slug": "lob-diner-vakcollege-de-hef", "title": "Het LOB-diner op Vakcollege De Hef",
     "summary": "Leerlingen koken voor hun ouders en mentoren, en aan tafel gaat het over wat ze later willen "
                "worden: een ontmoeting in plaats van een ouderavond.",
     "aim": "Dat elke leerling van leerjaar 3 met ouders en mentor een gesprek voert over de profielkeuze, in een "
            "vorm die ouders uitnodigt in plaats van afschrikt.",
     "partners": "Rotterdams Vakcollege De Hef, ouders, Hogeschool Rotterdam",
     "stage": LeerkringStage.UITVOEREN, "board": BoardDomain.INHOUD, "start": -60, "end": 300,
     "orgs": ["Rotterdams Vakcollege De Hef"]},
]

# (title, owner, theme, status, deadline in days from today, board)
ACTIONS = [
    ("Welkomstbijeenkomst voor ouders bij de start van elke mbo-opleiding", "ingrid.vermeulen",
     "Betrokken partners", ActionStatus.BEZIG, 30, BoardDomain.SAMENWERKING),
    ("Thuisopdrachten LOB in leerjaar 2 met een gesprek thuis", "dennis.wong", "Betrokken partners",
     ActionStatus.OPEN, 45, BoardDomain.INHOUD),
    ("Een leerkring van leerlingen, ouders en leraren op een vierde school starten", "yara.bouzid",
     "Daadkracht", ActionStatus.OPEN, -10, BoardDomain.VERANKERING),
    ("Ouderbetrokkenheid bij LOB meten met de vragenlijst van de hogeschool", "yara.bouzid", "Monitoring",
     ActionStatus.AFGEROND, -20, BoardDomain.VERANKERING),
]


def _port():
    return address_of(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "http://localhost")[1]


def _partnership():
    partnership = Partnership.objects.filter(slug=SLUG).first()
    if partnership is not None:
        return partnership, False
    partnership = Partnership.objects.create(name=NAME, slug=SLUG, description=DESCRIPTION)
    region = Region.objects.filter(name=REGION[0]).first() or Region.objects.create(
        name=REGION[0], slug="rotterdam-zuid", description=REGION[1])
    partnership.regions.add(region)
    return partnership, True


def _people(partnership, new_partnership):
    organisations = {}
    for name, organisation_type in ORGANISATIONS:
        organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            organisation = Organisation.objects.create(name=name, organisation_type=organisation_type)
            organisation.partnerships.add(partnership)
        elif new_partnership:
            organisation.partnerships.add(partnership)
        organisations[name] = organisation
    User = get_user_model()
    password, created = demo_password(), 0
    people = {}
    for username, first, last, org, role, level, function in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, email=f"{username}@{EMAIL_DOMAIN}", password=password,
                                            first_name=first, last_name=last)
            created += 1
            group = GROUP_FOR_ROLE.get(role)
            if group:
                user.groups.add(Group.objects.get(name=group))
        if not Membership.objects.filter(user=user, partnership=partnership).exists():
            Membership.objects.create(user=user, partnership=partnership, organisation=organisations[org], role=role,
                                      mandate_level=level, function_title=function)
        people[username] = (user, organisations[org], level)
    return people, created, password


def _actions(partnership, people):
    if Action.objects.filter(partnership=partnership).exists():
        return 0
    today, now = timezone.localdate(), timezone.now()
    themes = {theme.name: theme for theme in ReflectionTheme.objects.all()}
    procesbewaker = people["yara.bouzid"][0]
    for title, owner, theme, status, days, board in ACTIONS:
        user, organisation, level = people[owner]
        Action.objects.create(
            title=title, partnership=partnership, theme=themes[theme], owner=user, owner_organisation=organisation,
            mandate_level=level, deadline=today + datetime.timedelta(days=days), status=status, board=board,
            created_by=procesbewaker, completed_at=now if status == ActionStatus.AFGEROND else None)
    return len(ACTIONS)


def _home(partnership):
    """The region's home page and its Site (hostname :data:`HOSTNAME`)."""
    site = Site.objects.filter(hostname=HOSTNAME).first()
    if site is not None:
        return site.root_page.specific
    home = HomePage.objects.filter(slug=SLUG, depth=2).first()
    if home is None:
        home = HomePage(title=NAME, slug=SLUG, intro=HOME_INTRO, body=HOME_BODY, content=json.dumps([{
            "type": "action_list", "value": {
                "title": "Wat we nu doen", "partnership": str(partnership.pk), "theme": "", "board": "",
                "status": ["open", "bezig", "geblokkeerd"], "linked_page": None, "number": 5, "order": "deadline",
                "public_display": "count"}}]))
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
    Site.objects.create(hostname=HOSTNAME, port=_port(), root_page=home, site_name=NAME, is_default_site=False)
    return home


def _proeftuinen(home):
    index = ProeftuinIndexPage.objects.child_of(home).first()
    if index is None:
        index = ProeftuinIndexPage(title="Proeftuinen", slug="proeftuinen", intro=PROEFTUINEN_INTRO,
                                   show_in_menus=True)
        home.add_child(instance=index)
        index.save_revision().publish()
    today, made = timezone.localdate(), 0
    for data in PROEFTUINEN:
        if ProeftuinPage.objects.child_of(index).filter(slug=data["slug"]).exists():
            continue
        page = ProeftuinPage(
            title=data["title"], slug=data["slug"], summary=data["summary"], aim=data["aim"],
            partners=data["partners"], stage=data["stage"], board=data["board"],
            start_date=today + datetime.timedelta(days=data["start"]),
            end_date=today + datetime.timedelta(days=data["end"]),
            region=Region.objects.filter(name=REGION[0]).first())
        page.partner_organisations.set(Organisation.objects.filter(name__in=data["orgs"]))
        index.add_child(instance=page)
        page.save_revision().publish()
        made += 1
    return made


def load(stdout=None):
    partnership, new_partnership = _partnership()
    people, created_users, password = _people(partnership, new_partnership)
    actions = _actions(partnership, people)
    home = _home(partnership)
    pilots = _proeftuinen(home)
    ensure_progress_page(partnership, parent=home, intro=(
        "<p>Wat de werkgroep van RMC-regio Rijnmond heeft afgesproken, wat af is en waar het vastzit: voor het "
        "bestuur, vóór elk bestuurlijk overleg.</p>"))
    if stdout is not None:
        site = Site.objects.get(hostname=HOSTNAME)
        stdout.write(f"  {NAME}: {actions} acties en {pilots} proeftuinen aangemaakt; eigen site op "
                     f"{site.root_url}/\n")
        if created_users:
            stdout.write(f"    demo-accounts ({created_users} aangemaakt, wachtwoord {password}): procesbewaker "
                         f"yara.bouzid · werkgroeplid ingrid.vermeulen · bestuurder peter.kloosterman · "
                         f"deelnemer dennis.wong\n")
    return partnership
