"""Demo content: the partnership of source 003 (VSV-regio 37 Zuidoost-Brabant), its four sub-regions,
member organisations of the types the research questioned, and people in every role and mandate level.

The people are invented; organisations are the ones named in 003 (Summa College, ROC ter Aa, Praktijkschool
Eindhoven, Ergon, Senzer, WIJ Eindhoven, gemeente Son en Breugel) or generic ones for a type.
Idempotent: everything is looked up by its natural key (name, slug, username) and only created when missing.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.text import slugify

from actieplan.partnerships.reference import MandateLevel
from actieplan.partnerships.models import Membership, Organisation, OrganisationType, Partnership, Region, Role

#: The demo accounts' password, published in the README: only for the embedded default (DEBUG on).
DEMO_PASSWORD = "lob-demo-2026"
EMAIL_DOMAIN = "demo.lob-platform.localhost"

PARTNERSHIP_NAME = "VSV-regio 37 Zuidoost-Brabant"
PARTNERSHIP_SLUG = "vsv-regio-37-zuidoost-brabant"
PARTNERSHIP_DESCRIPTION = (
    "Scholen, gemeenten en ketenpartners in de regio's Eindhoven-Kempenland en Helmond-Peelland werken samen "
    "aan het meerjarige Actieplan Loopbaanbegeleiding voor het versterken van de sluitende aanpak. Het doel: "
    "elke jongere tussen de 12 en 27 jaar – te beginnen bij de groep met een opleiding in het v(s)o, "
    "praktijkonderwijs en entree – werkt, volgt onderwijs of heeft zorg of dagbesteding. Drie activiteiten "
    "staan centraal: loopbaanbegeleiding in de keten, bewustwording en professionalisering, en overzicht in "
    "de keten en verbinden."
)

REGIONS = [
    ("Eindhoven", "De stad Eindhoven: de grootste subregio, met de meeste scholen en respondenten."),
    ("Kempengemeenten", "Bergeijk, Best, Bladel, Cranendonck, Eersel, Geldrop-Mierlo, Heeze-Leende, Nuenen, "
                        "Oirschot, Reusel-de Mierden, Son en Breugel, Valkenswaard, Veldhoven en Waalre."),
    ("Helmond", "De stad Helmond."),
    ("Peellandgemeenten", "Asten, Deurne, Gemert-Bakel, Laarbeek en Someren."),
]

# (name, type, sub-region)
ORGANISATIONS = [
    ("Praktijkschool Eindhoven", OrganisationType.PRO, "Eindhoven"),
    ("Vso-school Helmond", OrganisationType.VSO, "Helmond"),
    ("Vo-school Kempen", OrganisationType.VO, "Kempengemeenten"),
    ("Vo-school Peelland", OrganisationType.VO, "Peellandgemeenten"),
    ("Summa Plus", OrganisationType.MBO_ENTREE, "Eindhoven"),
    ("Summa College", OrganisationType.MBO_34, "Eindhoven"),
    ("ROC ter Aa", OrganisationType.MBO_34, "Helmond"),
    ("Gemeente Eindhoven (RMC)", OrganisationType.GEMEENTE, "Eindhoven"),
    ("Gemeente Helmond (RMC)", OrganisationType.GEMEENTE, "Helmond"),
    ("Gemeente Son en Breugel", OrganisationType.GEMEENTE, "Kempengemeenten"),
    ("Gemeente Deurne", OrganisationType.GEMEENTE, "Peellandgemeenten"),
    ("Ergon", OrganisationType.SOCIAAL_WERKBEDRIJF, "Eindhoven"),
    ("Senzer", OrganisationType.SOCIAAL_WERKBEDRIJF, "Helmond"),
    ("Leerwerkloket Zuidoost-Brabant", OrganisationType.LEERWERKLOKET, "Eindhoven"),
    ("Werkgeversnetwerk MKB Zuidoost-Brabant", OrganisationType.WERKGEVER, "Kempengemeenten"),
    ("WIJ Eindhoven", OrganisationType.KETENPARTNER, "Eindhoven"),
]

U, M, B = MandateLevel.UITVOEREND, MandateLevel.MANAGEMENT, MandateLevel.BESTUURLIJK

# (username, first name, last name, organisation, role, mandate level, function)
PEOPLE = [
    ("marieke.vandenheuvel", "Marieke", "van den Heuvel", "Gemeente Eindhoven (RMC)", Role.PROCESBEWAKER, M,
     "procesbewaker Actieplan Loopbaanbegeleiding"),
    ("joost.verhoeven", "Joost", "Verhoeven", "Summa College", Role.WERKGROEPLID, U, "LOB-coördinator"),
    ("fatima.elamrani", "Fatima", "El Amrani", "ROC ter Aa", Role.WERKGROEPLID, U, "doorstroomcoach"),
    ("sanne.hendriks", "Sanne", "Hendriks", "Praktijkschool Eindhoven", Role.WERKGROEPLID, M,
     "teamleider arbeidstoeleiding"),
    ("ruud.smits", "Ruud", "Smits", "Senzer", Role.WERKGROEPLID, U, "jobcoach school naar werk"),
    ("henk.dewit", "Henk", "de Wit", "Summa College", Role.BESTUURDER, B, "lid college van bestuur"),
    ("annemarie.kuijpers", "Annemarie", "Kuijpers", "Gemeente Helmond (RMC)", Role.BESTUURDER, B,
     "wethouder onderwijs en jeugd"),
    ("paul.janssen", "Paul", "Janssen", "Vo-school Kempen", Role.BESTUURDER, B, "rector-bestuurder"),
    ("lotte.bakker", "Lotte", "Bakker", "Vso-school Helmond", Role.DEELNEMER, U, "mentor bovenbouw"),
    ("mohamed.yilmaz", "Mohamed", "Yilmaz", "Leerwerkloket Zuidoost-Brabant", Role.DEELNEMER, U, "adviseur"),
    ("eva.vandijk", "Eva", "van Dijk", "Gemeente Son en Breugel", Role.DEELNEMER, U, "leerplichtambtenaar"),
    ("tom.peters", "Tom", "Peters", "Gemeente Deurne", Role.DEELNEMER, U, "RMC-trajectbegeleider"),
    ("anouk.vermeulen", "Anouk", "Vermeulen", "Summa Plus", Role.DEELNEMER, U, "loopbaanbegeleider entree"),
    ("kees.vanrooij", "Kees", "van Rooij", "Ergon", Role.DEELNEMER, M, "manager leren en ontwikkelen"),
    ("ingrid.martens", "Ingrid", "Martens", "Vso-school Helmond", Role.DEELNEMER, M, "locatiedirecteur"),
    ("bas.willems", "Bas", "Willems", "Werkgeversnetwerk MKB Zuidoost-Brabant", Role.DEELNEMER, M,
     "programmamanager onderwijs en arbeidsmarkt"),
    ("nadia.bouzid", "Nadia", "Bouzid", "WIJ Eindhoven", Role.DEELNEMER, M, "teamleider jongeren"),
    ("wouter.claessens", "Wouter", "Claessens", "Vo-school Peelland", Role.DEELNEMER, M, "afdelingsleider"),
    ("gerard.coolen", "Gerard", "Coolen", "ROC ter Aa", Role.DEELNEMER, B, "voorzitter college van bestuur"),
    ("mariska.vanderlinden", "Mariska", "van der Linden", "Gemeente Deurne", Role.DEELNEMER, B,
     "wethouder participatie"),
]

GROUP_FOR_ROLE = {Role.PROCESBEWAKER: "Werkgroep", Role.WERKGROEPLID: "Werkgroep", Role.BESTUURDER: "Bestuurders"}


def _region(name, description):
    region = Region.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
    if region is None:
        region = Region.objects.create(name=name, slug=slugify(name), description=description)
    return region


def _organisation(name, organisation_type, region):
    """(organisation, created now)."""
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        return Organisation.objects.create(name=name, organisation_type=organisation_type, region=region), True
    return organisation, False


def get_partnership():
    return Partnership.objects.filter(slug=PARTNERSHIP_SLUG).first()


def demo_user(username):
    return get_user_model().objects.get(username=username)


def demo_password():
    """The published demo password where the demo belongs (the embedded default, DEBUG on); anywhere else a new
    random one, printed once when the accounts are made: a known password never opens a real deployment."""
    if settings.DEBUG:
        return DEMO_PASSWORD
    return secrets.token_urlsafe(15)


def load(stdout=None):
    User = get_user_model()
    regions = {name: _region(name, description) for name, description in REGIONS}

    # Only what this run creates is linked: an existing partnership, organisation or account keeps the regions,
    # partnerships and groups it has (someone may have removed a demo account from a group on purpose).
    partnership = get_partnership()
    if partnership is None:
        partnership = Partnership.objects.create(name=PARTNERSHIP_NAME, slug=PARTNERSHIP_SLUG,
                                                 description=PARTNERSHIP_DESCRIPTION)
        partnership.regions.add(*regions.values())
        new_partnership = True
    else:
        new_partnership = False

    organisations = {}
    for name, organisation_type, region in ORGANISATIONS:
        organisation, created = _organisation(name, organisation_type, regions[region])
        if created or new_partnership:
            organisation.partnerships.add(partnership)
        organisations[name] = organisation

    created_users = 0
    password = demo_password()
    for username, first, last, org, role, level, function in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username=username, email=f"{username}@{EMAIL_DOMAIN}",
                                            password=password, first_name=first, last_name=last)
            created_users += 1
        if not Membership.objects.filter(user=user, partnership=partnership).exists():
            Membership.objects.create(user=user, partnership=partnership, organisation=organisations[org],
                                      role=role, mandate_level=level, function_title=function)
        group_name = GROUP_FOR_ROLE.get(role)
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))

    if stdout is not None and created_users:
        stdout.write(f"  Demo-accounts ({created_users} aangemaakt), wachtwoord voor allemaal: {password}\n"
                     f"    procesbewaker: marieke.vandenheuvel · werkgroeplid: joost.verhoeven · "
                     f"bestuurder: henk.dewit · deelnemer: lotte.bakker\n")
    return partnership
