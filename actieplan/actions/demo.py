"""Demo content: about 30 actions of VSV-regio 37, grounded in source 003.

The actions come from the action plan's six priorities (tijd en aandacht voor de jongere, doorstroom
en warme overdracht, extra zorg voor een duurzame uitkomst, samenwerken in de regio, nazorg voor
uitvallers, het eigen netwerk van de jongere) and its three central activities (loopbaanbegeleiding
in de keten; bewustwording en professionalisering; overzicht in de keten en verbinden), each linked
to one of the six reflection themes. Owners sit at all three mandate levels; some actions were done
on time, some late, some are overdue or blocked. Deadlines are relative to today, so "late" stays late.

Idempotent: an action is looked up by (partnership, title); its timeline is only written when the
action itself is created (the timeline is append-only).
"""

import datetime

from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Page

from actieplan.actions.models import Action, ActionStatus, ActionUpdate
from actieplan.partnerships.models import Membership
from actieplan.partnerships.reference import ReflectionTheme

from actieplan.partnerships.demo import PARTNERSHIP_SLUG, demo_user, get_partnership

OPEN, BEZIG, KLAAR, BLOK, VERV = (ActionStatus.OPEN, ActionStatus.BEZIG, ActionStatus.AFGEROND,
                                  ActionStatus.GEBLOKKEERD, ActionStatus.VERVALLEN)
PROCESBEWAKER = "marieke.vandenheuvel"

# title, description, theme slug, board, owner, deadline (days from today), status,
# finished (days from today, for afgerond/vervallen), updates: (days ago, author or None = owner, note,
# new status, percent done)
ACTIONS = [
    ("Kick-off bijeenkomst Actieplan Loopbaanbegeleiding organiseren",
     "Alle partners van de keten samen: de uitkomsten van het CINOP-onderzoek delen en de drie centrale "
     "activiteiten van het actieplan toelichten.",
     "inspiratie", "samenwerking", PROCESBEWAKER, -70, KLAAR, -74, [
         (95, None, "Datum geprikt en zaal geregeld bij Summa College.", BEZIG, 30),
         (80, None, "Uitnodiging verstuurd aan scholen, gemeenten, sociale werkbedrijven en het leerwerkloket.", "", 60),
         (74, None, "Bijeenkomst gehouden met 64 deelnemers; verslag en presentaties gedeeld.", KLAAR, 100)]),
    ("Scholingsaanbod gesprekstechnieken en coaching voor mentoren in pro en vso",
     "Ruim de helft van de respondenten wil verdieping, vooral in vso en pro; gesprekstechnieken en "
     "coaching van leerlingen staan bovenaan.",
     "inspiratie", "inhoud", "sanne.hendriks", 40, BEZIG, None, [
         (30, None, "Drie aanbieders gevraagd om een voorstel voor een training op locatie.", BEZIG, 20),
         (9, None, "Keuze gemaakt; eerste groep van 14 mentoren ingepland.", "", 45)]),
    ("Meeloopdagen: professionals kijken een dag mee bij een andere organisatie",
     "Men professionaliseert het liefst door te kijken bij een ander: een rooster van meeloopdagen "
     "tussen scholen, gemeenten en sociale werkbedrijven.",
     "inspiratie", "samenwerking", "joost.verhoeven", 25, OPEN, None, [
         (12, None, "Zes organisaties hebben een gastplek aangeboden; rooster volgt.", "", None)]),
    ("Overzicht van overlegstructuren in de keten opstellen",
     "Welke overleggen zijn er (ZAT, leerlingbesprekingen, commissie doorstroom, afstemmingsoverleg), wie "
     "neemt deel en hoe hangen ze samen?",
     "monitoring", "samenwerking", PROCESBEWAKER, -40, KLAAR, -31, [
         (60, None, "Inventarisatie uitgezet bij de vier subregio's.", BEZIG, 25),
         (41, None, "Helmond en Peelland nog niet compleet; deadline niet gehaald.", "", 70),
         (31, None, "Overzicht af en besproken in de werkgroep.", KLAAR, 100)]),
    ("Eenduidige cijfers over jongeren in een kwetsbare positie (JIKP) per subregio",
     "Eén set cijfers en percentages voor Eindhoven, Kempengemeenten, Helmond en Peellandgemeenten.",
     "monitoring", "verankering", "tom.peters", -12, BEZIG, None, [
         (40, None, "Definities afgestemd met het RMC.", BEZIG, 30),
         (14, None, "Cijfers van twee gemeenten ontbreken nog.", "", 55)]),
    ("Enquête onder werkgevers over stages en banen voor pro- en vso-leerlingen",
     "Werkgevers in de regio bevragen over hun ervaring met stagiairs uit pro, vso en entree.",
     "betrokken-partners", "samenwerking", "bas.willems", 10, BLOK, None, [
         (25, None, "Vragenlijst opgesteld met twee werkgevers.", BEZIG, 40),
         (6, None, "Geblokkeerd: de privacytoets van de vragenlijst is nog niet afgerond.", BLOK, None)]),
    ("ZOWEL.works verkennen als gedeeld overzicht van trajecten",
     "Kan één overzicht van trajecten en aanbod de keten helpen bij het verbinden?",
     "monitoring", "inhoud", "nadia.bouzid", 55, OPEN, None, [
         (5, None, "Demo aangevraagd.", "", None)]),
    ("Universele overdrachtslijst vso/pro naar mbo vaststellen",
     "Bij elke schoolovergang een warme overdracht met een vaste lijst van aandachts- en kernpunten.",
     "daadkracht", "inhoud", "fatima.elamrani", -20, BEZIG, None, [
         (50, None, "Concept op basis van de lijsten van drie scholen.", BEZIG, 40),
         (22, None, "Feedback van het mbo verwerkt; wacht op akkoord van de vso-scholen.", "", 70)]),
    ("Vaste overdrachtsgesprekken vso–mbo in mei en juni",
     "Warme overdracht: mentor, leerling en ontvangende opleiding aan één tafel.",
     "relatie", "samenwerking", "lotte.bakker", 30, OPEN, None, [
         (10, None, "Data afgestemd met ROC ter Aa en Summa College.", "", None)]),
    ("Doorstroomcoaching van ROC ter Aa uitbreiden naar de Peellandgemeenten",
     "Een aanpak die de regio trots maakt breder inzetten; vraagt een besluit over financiering.",
     "betrokken-partners", "verankering", "gerard.coolen", 90, OPEN, None, [
         (8, PROCESBEWAKER, "Agendapunt voor het bestuurlijk overleg van volgende maand.", "", None)]),
    ("Nazorg: uitgestroomde jongeren een jaar volgen en terugkoppelen aan de school",
     "Extra aandacht voor jongeren die uitvallen of dreigen uit te vallen, ook na de schoolperiode.",
     "daadkracht", "inhoud", "ruud.smits", -5, OPEN, None, [
         (35, None, "Eerste lijst van 40 uitgestroomde jongeren ontvangen van de scholen.", "", 10)]),
    ("Vangnet voor jongeren zonder contractverlenging na uitstroom naar werk",
     "Afspraken tussen sociaal werkbedrijf, gemeente en school: wie pakt de jongere op?",
     "betrokken-partners", "samenwerking", "kees.vanrooij", -8, BLOK, None, [
         (30, None, "Werkproces beschreven met Senzer en gemeente Helmond.", BEZIG, 35),
         (10, None, "Geblokkeerd: onduidelijk welke gemeente verantwoordelijk is bij verhuizing.", BLOK, None)]),
    ("Eén registratie: per jongere zichtbaar wie casusverantwoordelijke is",
     "Duidelijke registratie waardoor direct zichtbaar is wie een jongere oppakt.",
     "monitoring", "verankering", "mariska.vanderlinden", 120, OPEN, None, [
         (15, PROCESBEWAKER, "Voorstel voor het bestuurlijk overleg geschreven.", "", None)]),
    ("Per subregio een generalist (procesbewaker) aanwijzen",
     "Eén verantwoordelijke die alle informatie verzamelt en bewaakt wat er wanneer moet gebeuren.",
     "visie-en-ambitie", "verankering", "annemarie.kuijpers", -20, KLAAR, -26, [
         (60, None, "Besproken in het bestuurlijk overleg; akkoord op het principe.", BEZIG, 50),
         (26, None, "Vier generalisten benoemd, één per subregio.", KLAAR, 100)]),
    ("LOB-visie vastleggen in het schoolplan",
     "LOB is nu te weinig integraal in het curriculum opgenomen; de visie hoort in het schoolplan.",
     "visie-en-ambitie", "verankering", "paul.janssen", 60, BEZIG, None, [
         (20, None, "Eerste versie besproken in het managementteam.", BEZIG, 30)]),
    ("De gezamenlijke ambitie bovenaan elke werkgroepagenda",
     "Zodat elke keuze wordt getoetst aan: elke jongere werkt, leert of heeft zorg of dagbesteding.",
     "visie-en-ambitie", "samenwerking", "joost.verhoeven", -50, KLAAR, -56, [
         (56, None, "Agendasjabloon aangepast en gedeeld.", KLAAR, 100)]),
    ("Informele netwerkbijeenkomst op locatie bij Senzer",
     "Elkaar leren kennen op elkaars werkplek: korte lijntjes beginnen bij een goede relatie.",
     "relatie", "samenwerking", "ruud.smits", -35, KLAAR, -37, [
         (50, None, "Uitnodiging verstuurd.", BEZIG, 50),
         (37, None, "Bijeenkomst gehouden met rondleiding; 28 deelnemers.", KLAAR, 100)]),
    ("Kennismaking met het Leerwerkloket in de werkgroep",
     "De samenwerking met leerwerkloketten krijgt een lage beoordeling, wellicht door onbekendheid.",
     "relatie", "samenwerking", "mohamed.yilmaz", -28, KLAAR, -21, [
         (29, None, "Presentatie uitgesteld: werkgroepoverleg verschoven.", "", 50),
         (21, None, "Presentatie gegeven; veel vragen over begeleiding naar werk.", KLAAR, 100)]),
    ("Afspraken met het Leerwerkloket over begeleiding naar werk van entreestudenten",
     "Meer inzicht in wat het leerwerkloket kan doen om studenten echt aan het werk te helpen.",
     "betrokken-partners", "inhoud", "anouk.vermeulen", 35, OPEN, None, [
         (7, None, "Eerste gesprek gepland met het Leerwerkloket.", "", None)]),
    ("Werkgevers uit Kempen en Peelland betrekken bij de beroepenavond",
     "De samenwerking met bedrijven in Kempen en Peelland scoort laag bij gemeenten en ketenpartners.",
     "betrokken-partners", "samenwerking", "wouter.claessens", -3, BEZIG, None, [
         (21, None, "Twaalf werkgevers benaderd, vijf toezeggingen.", BEZIG, 40)]),
    ("Banenmarkt voor de bovenbouw met een vervolg: beroepenavond in het voorjaar",
     "Een banenmarkt werkt alleen als die een vervolg krijgt.",
     "inspiratie", "inhoud", "wouter.claessens", 75, OPEN, None, [
         (4, None, "Datum vastgelegd.", "", None)]),
    ("Lesmateriaal loopbaanleren voor pro delen in de regio (Talentenmap)",
     "Er is behoefte aan materiaal voor pro; de Talentenmap van het praktijkonderwijs delen.",
     "inspiratie", "inhoud", "sanne.hendriks", -15, KLAAR, -18, [
         (30, None, "Toestemming van de makers gekregen.", BEZIG, 50),
         (18, None, "Gedeeld via Het delen waard en toegelicht in de werkgroep.", KLAAR, 100)]),
    ("Vast overleg gemeente en school over proefplaatsing en beschut werk",
     "Een regelmatig gepland overleg tussen gemeente en school voor betere afstemming.",
     "relatie", "samenwerking", "eva.vandijk", 20, BEZIG, None, [
         (16, None, "Eerste overleg gehouden in Son en Breugel.", BEZIG, 30)]),
    ("Per gemeente op één pagina: proefplaatsingsvoorwaarden en beschut werk",
     "Elke gemeente regelt dit anders; maak het per gemeente duidelijk.",
     "monitoring", "inhoud", "tom.peters", 45, OPEN, None, [
         (3, None, "Sjabloon gemaakt; gemeenten gevraagd het in te vullen.", "", 10)]),
    ("Ouders betrekken: het netwerk van de jongere inzetten bij de vervolgkeuze",
     "Meer aandacht voor het eigen netwerk van jongeren en hoe ouders beter betrokken kunnen worden.",
     "daadkracht", "inhoud", "ingrid.martens", 50, OPEN, None, [
         (11, None, "Ouderavond over vervolgkeuze voorbereid met de mentoren.", "", None)]),
    ("Twee keer per jaar een persoonlijk loopbaangesprek met elke pro- en vso-leerling",
     "Tijd en aandacht voor wat de jongere zelf wil en kan: een 'old school' goed gesprek.",
     "daadkracht", "inhoud", "lotte.bakker", 14, BEZIG, None, [
         (28, None, "Gespreksleidraad gemaakt.", BEZIG, 30),
         (6, None, "Eerste ronde gesprekken voor de helft gevoerd.", "", 50)]),
    ("Aanpak voor nieuwkomers die vanuit de ISK uitstromen naar werk",
     "Anderstalige jongeren die uitstromen naar werk vallen vaak buiten beeld.",
     "betrokken-partners", "inhoud", "nadia.bouzid", -10, VERV, -12, [
         (12, PROCESBEWAKER, "Vervallen: opgenomen in de bredere vangnet-actie met Senzer en de gemeente.", VERV,
          None)]),
    ("Taken, rollen en verantwoordelijkheden in de keten vastleggen",
     "Respondenten missen eigenaarschap en duidelijke rollen: wie doet wat bij welke transitie?",
     "visie-en-ambitie", "verankering", PROCESBEWAKER, -15, BEZIG, None, [
         (45, None, "Eerste verdeling besproken in de werkgroep.", BEZIG, 30),
         (17, None, "Nog niet akkoord van alle gemeenten.", "", 60)]),
    ("Jaarlijkse reflectiesessie plannen en de uitkomst naar het bestuur",
     "Met de reflectietool: waar staan we, wat gaat goed, wat pakken we aan? De zwakste punten worden acties.",
     "monitoring", "verankering", "henk.dewit", 6, OPEN, None, [
         (9, PROCESBEWAKER, "Drie data voorgesteld aan de bestuurders.", "", None)]),
    ("Stageplaatsen bij Ergon en Senzer voor vso-leerlingen uitbreiden",
     "Stages bij sociale werkbedrijven worden gewaardeerd; meer plekken voor vso-leerlingen.",
     "betrokken-partners", "samenwerking", "kees.vanrooij", -60, KLAAR, -66, [
         (90, None, "Behoefte per vso-school opgehaald.", BEZIG, 30),
         (66, None, "Tien extra stageplaatsen beschikbaar.", KLAAR, 100)]),
    ("Commissie doorstroom zichtbaar maken: wie zit erin en hoe meld je een leerling aan",
     "De commissie doorstroom staat nog niet goed op de kaart; de relatie met het afstemmingsoverleg is onduidelijk.",
     "relatie", "samenwerking", "fatima.elamrani", 3, OPEN, None, [
         (13, None, "Tekst voor de nieuwsbrief geschreven, wacht op de contactgegevens.", "", 60)]),
]

# Actions that spread a good practice of "Het delen waard" (chapter 3 of 003) link to its page.
GOOD_PRACTICE_LINKS = {
    "Lesmateriaal loopbaanleren voor pro delen in de regio (Talentenmap)": ["talentenmap-praktijkonderwijs"],
    "Doorstroomcoaching van ROC ter Aa uitbreiden naar de Peellandgemeenten": ["doorstroomcoaching-roc-ter-aa"],
    "Banenmarkt voor de bovenbouw met een vervolg: beroepenavond in het voorjaar": ["banenmarkt-en-beroepenavond"],
    "Vaste overdrachtsgesprekken vso–mbo in mei en juni": ["warme-overdracht-doorstroom-nazorg"],
    "Vangnet voor jongeren zonder contractverlenging na uitstroom naar werk": ["van-school-naar-werk-senzer"],
    "Eén registratie: per jongere zichtbaar wie casusverantwoordelijke is": ["competensys"],
    "Stageplaatsen bij Ergon en Senzer voor vso-leerlingen uitbreiden": ["acquisitie-stageplaatsen"],
}


#: Primary keys of the actions the demo made in this process: loaders after this one may shape what they made
#: (the meetings' decisions date them), never an action that already existed.
made_now = set()


def _link_good_practices(partnership, titles):
    """Link the actions made now (``titles``) to their pages, when the good-practice demo is there."""
    for title, slugs in GOOD_PRACTICE_LINKS.items():
        action = Action.objects.filter(partnership=partnership, title=title).first() if title in titles else None
        pages = list(Page.objects.filter(slug__in=slugs))
        if action and pages:
            action.linked_pages.add(*pages)


def _moment(days_from_today, hour=10):
    """An aware datetime ``days_from_today`` from now, at a plausible office hour."""
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def load(stdout=None):
    partnership = get_partnership()
    if partnership is None:  # the partnership loader runs first; without it there is nothing to attach to
        raise RuntimeError(f"Samenwerkingsverband {PARTNERSHIP_SLUG} ontbreekt: laad eerst actieplan.demo.partnership.")
    themes = {theme.slug: theme for theme in ReflectionTheme.objects.all()}
    memberships = {m.user.username: m for m in Membership.objects.filter(partnership=partnership)
                   .select_related("user", "organisation")}
    procesbewaker = demo_user(PROCESBEWAKER)
    existing = set(Action.objects.filter(partnership=partnership).values_list("title", flat=True))
    today = timezone.localdate()

    created = 0
    titles = set()
    for title, description, theme, board, owner_name, deadline_days, status, finished_days, updates in ACTIONS:
        if title in existing:
            continue
        membership = memberships[owner_name]
        first_update = max(days for days, *_rest in updates)
        action = Action(
            title=title, description=description, partnership=partnership, theme=themes[theme], board=board,
            owner=membership.user, owner_organisation=membership.organisation,
            mandate_level=membership.mandate_level, deadline=today + datetime.timedelta(days=deadline_days),
            status=status, created_by=procesbewaker, created_at=_moment(-first_update - 7, hour=9),
            completed_at=_moment(finished_days, hour=16) if status == KLAAR else None,
        )
        # Saved without full_clean on purpose: demo history has deadlines that have passed since.
        action.save()
        made_now.add(action.pk)
        titles.add(title)
        log(instance=action, action="wagtail.create", user=procesbewaker)
        for days_ago, author, note, new_status, percent in sorted(updates, key=lambda u: -u[0]):
            ActionUpdate.objects.create(
                action=action, author=demo_user(author) if author else membership.user,
                created_at=_moment(-days_ago, hour=14), note=note, new_status=new_status, percent_done=percent,
            )
        created += 1
    _link_good_practices(partnership, titles)
    if stdout is not None and created:
        stdout.write(f"  Actieplan: {created} acties aangemaakt voor {partnership}.\n")
