"""Demo content: Het delen waard (sources 003 and 004) and the leerlabs as proeftuinen (source 002).

Idempotent: pages are found by slug under their index page and only created when missing, so
an editor's later changes are never overwritten. Pages are published, which indexes them for search.
"""

import datetime

from django.db.models import Q
from django.utils.text import slugify
from wagtail.models import Site, Workflow, WorkflowPage

from actieplan.models import Organisation, OrganisationType, ReflectionTheme, Region

from good_practices.models import (
    CiosLevel, ContentArea, DelenWaardTheme, GoodPracticeIndexPage, GoodPracticePage, LeerkringStage,
    LoopbaanCompetentie, ProeftuinIndexPage, ProeftuinPage, SchoolType, TargetGroup, Transition,
)

SOURCE_003 = "CINOP (2018), onderzoek voor het Actieplan Loopbaanbegeleiding, VSV-regio 37 Zuidoost-Brabant"
SOURCE_004 = "Hogeschool Rotterdam, project ‘Leerling, ouders en school samen voor de loopbaan’ (Rotterdam Zuid)"
SOURCE_002 = "Sterk Beroepsonderwijs (2023), leerlabs Doorlopende leerroutes"

ORIGIN_003 = (
    "<p>Dit voorbeeld kwam naar voren in het onderzoek dat CINOP in het najaar van 2018 deed voor het "
    "Actieplan Loopbaanbegeleiding in Zuidoost-Brabant. Aan het eind van de vragenlijst konden scholen, "
    "gemeenten en ketenpartners aanpakken en successen noemen waar ze trots op zijn en die ze in de regio "
    "willen delen. Wil je er meer over weten? Vraag het na in het regionale netwerk, of neem het mee naar "
    "een markt met goede voorbeelden rond een overgang of loopbaancompetentie.</p>"
)

LIBRARY = {
    "slug": "het-delen-waard",
    "title": "Het delen waard",
    "search_description": "Goede voorbeelden uit de regio van loopbaanbegeleiding en soepele overgangen: "
                          "filter op thema, overgang, onderwijssoort, loopbaancompetentie, regio en doelgroep.",
    "intro": "<p>Scholen, gemeenten en ketenpartners doen al veel wat werkt. Hier delen we het: aanpakken, "
             "trajecten en samenwerkingen waar men trots op is. Filter op wat voor jou telt, of zoek op een "
             "woord.</p>",
}

PROEFTUINEN = {
    "slug": "proeftuinen",
    "title": "Proeftuinen",
    "search_description": "Kleine proeftuinen in plaats van eindeloos vergaderen: probeer samen iets uit, "
                          "kijk wat er gebeurt en leer ervan.",
    "intro": "<p>Vergadertijgers? Ervaring ontstaat door doen! Praat niet te lang en te veel, maar zet kleine "
             "proeftuinen op en kijk samen wat er gebeurt. Zo ontdek je wat past bij de leerlingen, de school "
             "en de regionale partners. Wat werkt, delen we daarna in <i>Het delen waard</i>.</p>",
}

REGIONS = {
    "Eindhoven": "De stad Eindhoven.",
    "Kempengemeenten": "Bergeijk, Best, Bladel, Cranendonck, Eersel, Geldrop-Mierlo, Heeze-Leende, Nuenen, "
                       "Oirschot, Reusel-de Mierden, Son en Breugel, Valkenswaard, Veldhoven en Waalre.",
    "Helmond": "De stad Helmond.",
    "Peellandgemeenten": "Asten, Deurne, Gemert-Bakel, Laarbeek en Someren.",
}

ORGANISATIONS = {
    "Summa College": OrganisationType.MBO_34,
    "Praktijkschool Eindhoven": OrganisationType.PRO,
    "ROC ter Aa": OrganisationType.MBO_34,
    "Senzer": OrganisationType.SOCIAAL_WERKBEDRIJF,
    "Gemeente Son en Breugel": OrganisationType.GEMEENTE,
    "Stichting Meedoen Werkt": OrganisationType.KETENPARTNER,
    "Zadkine": OrganisationType.MBO_34,
    "Albeda": OrganisationType.MBO_34,
    "Vmbo Zuiderpark": OrganisationType.VO,
    "Rotterdams Vakcollege De Hef": OrganisationType.VO,
}

# Chapter 3 "Het delen waard!" of source 003, theme by theme. Keys: slug, title, summary, and the
# taxonomy slugs (t = transitions, s = school types, c = competenties, g = target groups,
# r = reflection themes), region and organisations.
JC, KS, ST, OV = "jongere-centraal", "kracht-van-samenwerken", "sluitende-transities", "overig"
PRACTICES = [
    # Jongere centraal – inzet op netwerk – extra aandacht voor bepaalde doelgroep
    dict(slug="roma-kwetsbaar-en-weerbaar", title="Kwetsbaar en weerbaar: leerlingen met een Roma-achtergrond",
         theme=JC, summary="Een school zet gericht in op leerlingen met een Roma-achtergrond. De aanpak erkent dat deze "
         "jongeren kwetsbaar zijn en werkt tegelijk aan hun weerbaarheid, met de familie als partner.",
         t=["po-vo", "vo-mbo"], s=["vo"], c=["motievenreflectie", "netwerken"], g=["kwetsbare-jongeren", "ouders"],
         r=["relatie"]),
    dict(slug="stichting-meedoen-werkt", title="Stichting Meedoen Werkt in Son en Breugel", theme=JC,
         summary="Een lokaal initiatief in Son en Breugel dat inzet op meedoen: wie moeilijk aan school of werk komt, "
         "vindt hier een plek om mee te doen. Meer informatie staat op meedoenwerkt.nl.",
         t=["pro-arbeid", "vso-arbeid", "uitval-terug"], s=["pro", "vso"], c=["werkexploratie", "netwerken"],
         g=["kwetsbare-jongeren", "banenafspraak"], r=["betrokken-partners"], region="Kempengemeenten",
         orgs=["Stichting Meedoen Werkt", "Gemeente Son en Breugel"]),
    dict(slug="talentenmap-praktijkonderwijs", title="Talentenmap Praktijkonderwijs", theme=JC,
         summary="Leerlingen van het praktijkonderwijs maken in een talentenmap zichtbaar wat ze kunnen en willen. "
         "De map is het vertrekpunt voor gesprekken over stage, werk en vervolgopleiding.",
         t=["pro-arbeid", "pro-mbo"], s=["pro"], c=["kwaliteitenreflectie", "motievenreflectie"],
         g=["kwetsbare-jongeren"], r=["monitoring"]),
    dict(slug="praktijkleerlijnen-meters-maken", title="Praktijkleerlijnen: meters maken op lerend werken", theme=JC,
         summary="Wie geen (juiste) startkwalificatie heeft, kan via een praktijkleerlijn al werkend leren en een "
         "erkend certificaat halen. Het voorbeeld komt uit regio Noordoost, waar zo meters worden gemaakt met "
         "lerend werken.",
         t=["mbo-arbeid", "uitval-terug"], s=["pro", "vso", "mbo-entree-2"], c=["werkexploratie", "loopbaansturing"],
         g=["zonder-startkwalificatie"], r=["daadkracht"]),
    dict(slug="intensieve-taaltraining-staatsexamen-nt2", title="Intensieve taaltraining naar het staatsexamen NT2",
         theme=JC, summary="Nieuwkomers krijgen intensief taalonderwijs en halen na gemiddeld een tot anderhalf jaar "
         "het volledige staatsexamen NT2 (programma I). Daarna stromen ze door naar een vervolgopleiding.",
         t=["vo-mbo"], s=["isk"], c=["loopbaansturing"], g=["nieuwkomers"], r=["visie-en-ambitie"]),
    dict(slug="digitaal-portfolio-volution", title="Digitaal portfolio in samenwerking met Volution", theme=JC,
         summary="Leerlingen houden een digitaal loopbaanportfolio bij dat samen met Volution is ingericht. Zo zijn "
         "ervaringen, reflecties en bewijsstukken op één plek te vinden, ook bij een overstap.",
         t=["vo-mbo", "pro-arbeid"], s=["vo", "pro"], c=["kwaliteitenreflectie", "motievenreflectie"],
         g=["professionals"], r=["monitoring"]),
    dict(slug="summa-plus-via-traject", title="Summa Plus en het VIA-traject van Summa College", theme=JC,
         summary="Summa Plus biedt voorzieningen voor jongeren die in het reguliere mbo (nog) niet op hun plek zijn. "
         "Het VIA-traject helpt hen via maatwerk naar een opleiding of werk.",
         t=["vo-mbo", "uitval-terug"], s=["mbo-entree-2"], c=["loopbaansturing", "werkexploratie"],
         g=["dreigende-uitval", "zonder-startkwalificatie"], r=["daadkracht"], region="Eindhoven",
         orgs=["Summa College"]),
    dict(slug="presentaties-wie-ben-ik", title="Presentaties: Wie ben ik?", theme=JC,
         summary="Leerlingen presenteren zichzelf aan klasgenoten, mentor en ouders: wie ben ik, wat kan ik en wat "
         "wil ik? Het voorbereiden dwingt tot nadenken over kwaliteiten en motieven.",
         t=["vo-mbo", "pro-mbo"], s=["vo", "pro", "vso"], c=["kwaliteitenreflectie", "motievenreflectie"],
         g=["ouders"], r=["inspiratie"]),
    dict(slug="dienstverband-vso-leerling", title="Dienstverband voor een vso-leerling, gericht op ontwikkeling",
         theme=JC, summary="Een werkgever biedt een vso-leerling een dienstverband dat draait om ontwikkeling. Na enkele "
         "jaren stroomt de jongere door naar een vervolgopleiding.",
         t=["vso-arbeid", "vso-mbo"], s=["vso"], c=["werkexploratie", "loopbaansturing"],
         g=["kwetsbare-jongeren", "banenafspraak"], r=["betrokken-partners"]),
    dict(slug="outreachende-aanpak-huisbezoeken", title="Outreachende aanpak met huisbezoeken", theme=JC,
         summary="Professionals wachten niet tot een jongere zich meldt, maar gaan zelf op pad, onder meer met "
         "huisbezoeken. Zo komen thuiszitters en stille uitvallers weer in beeld.",
         t=["uitval-terug"], s=["vo", "mbo-entree-2"], c=["netwerken"], g=["dreigende-uitval", "ouders"],
         r=["relatie"]),
    dict(slug="maatwerk-voor-de-jongere", title="Maatwerk voor de jongere", theme=JC,
         summary="Geen standaardtraject, maar kijken wat deze jongere nodig heeft en het aanbod daarop aanpassen. "
         "Respondenten noemen het de sleutel voor jongeren die iets extra's nodig hebben.",
         t=["vo-mbo", "pro-arbeid", "vso-arbeid"], s=["pro", "vso", "mbo-entree-2"], c=["loopbaansturing"],
         g=["kwetsbare-jongeren"], r=["visie-en-ambitie"]),
    dict(slug="goed-contact-persoonlijke-benadering", title="Goed contact en een persoonlijke benadering", theme=JC,
         summary="Een ouderwets goed gesprek: tijd en aandacht voor wat de jongere zelf wil en kan, met een open en "
         "niet-veroordelende houding. Die persoonlijke band draagt de begeleiding.",
         t=["vo-mbo", "mbo-arbeid"], s=["vo", "pro", "vso", "mbo-entree-2"], c=["motievenreflectie"],
         g=["kwetsbare-jongeren"], r=["relatie"]),
    dict(slug="generalist-thuissituatie-eerst", title="Samen met de generalist: eerst de thuissituatie, dan scholing",
         theme=JC, summary="De begeleider werkt samen met de generalist van de gemeente om de thuis- of gezinssituatie "
         "weer onder controle te krijgen. Pas daarna onderzoeken ze samen welke scholing haalbaar is.",
         t=["uitval-terug"], s=["vo", "mbo-entree-2"], c=["netwerken"], g=["kwetsbare-jongeren", "dreigende-uitval"],
         r=["betrokken-partners"]),
    dict(slug="traject-als-scholing-nog-niet-haalbaar-is", title="Ruimte voor jongeren bij wie scholing (nog) niet haalbaar is",
         theme=JC, summary="Voor jongeren voor wie school op dit moment te veel is, is er een eigen traject. Ze blijven "
         "in beeld en werken stap voor stap aan een duurzame plek, in onderwijs, werk of dagbesteding.",
         t=["uitval-terug", "vso-dagbesteding"], s=["vso", "pro"], c=["loopbaansturing"],
         g=["kwetsbare-jongeren", "dreigende-uitval"], r=["visie-en-ambitie"]),
    dict(slug="slbers-schakelen-op-tijd-hulp-in", title="SLB'ers die op tijd hulp inschakelen", theme=JC,
         summary="Studieloopbaanbegeleiders die in de les zien dat een student vastloopt, schakelen direct hulp in. "
         "Vroeg signaleren voorkomt dat een student uitvalt.",
         t=["mbo-arbeid"], s=["mbo-entree-2", "mbo-3-4"], c=["loopbaansturing"], g=["dreigende-uitval", "professionals"],
         r=["daadkracht"]),
    # Kracht van samenwerken en netwerken
    dict(slug="peelportaal", title="Peelportaal", theme=KS,
         summary="Het Peelportaal is genoemd als voorbeeld van de kracht van samenwerken in de Peel: één plek waar "
         "partners rond onderwijs en werk elkaar vinden, zodat jongeren en werkgevers niet langs vele loketten hoeven.",
         t=["pro-arbeid", "vso-arbeid", "mbo-arbeid"], s=["pro", "vso", "mbo-entree-2"], c=["netwerken", "werkexploratie"],
         g=["banenafspraak"], r=["betrokken-partners"], region="Peellandgemeenten"),
    dict(slug="integrale-aanpak-son-en-breugel", title="Integrale aanpak gemeente Son en Breugel", theme=KS,
         summary="De gemeente Son en Breugel pakt onderwijs, zorg en werk voor jongeren in samenhang aan. Eén plan "
         "per jongere en korte lijnen tussen de afdelingen.",
         t=["uitval-terug", "vo-mbo"], s=["vo", "vso"], c=["netwerken"], g=["kwetsbare-jongeren"],
         r=["betrokken-partners", "visie-en-ambitie"], region="Kempengemeenten", orgs=["Gemeente Son en Breugel"]),
    dict(slug="scholen-leerplicht-ggd-swv", title="Scholen, leerplicht, GGD en samenwerkingsverband samen aan tafel",
         theme=KS, summary="Bij een leerling die (dreigt) uit te vallen kijken school, leerplicht, GGD en het "
         "samenwerkingsverband passend onderwijs samen wat goed is voor deze leerling. Niemand hoeft het alleen op te lossen.",
         t=["uitval-terug"], s=["vo", "vso", "mbo-entree-2"], c=["netwerken"], g=["dreigende-uitval"],
         r=["betrokken-partners", "relatie"]),
    dict(slug="overleg-mentoren-bpv-docent-leerlingbegeleider", title="Overleg tussen mentor, bpv-docent en leerlingbegeleider",
         theme=KS, summary="Mentoren, de bpv-docent en de leerlingbegeleider stemmen regelmatig af, en alle docenten van "
         "een groep bespreken hun leerlingen samen. Zo krijgt iedere leerling één samenhangend beeld.",
         t=["mbo-arbeid", "pro-arbeid"], s=["pro", "mbo-entree-2"], c=["kwaliteitenreflectie"], g=["professionals"],
         r=["relatie"]),
    dict(slug="flexibele-samenwerking-intern-extern", title="Flexibele samenwerking met interne en externe betrokkenen",
         theme=KS, summary="De school werkt per jongere met wie er nodig is, binnen en buiten de school, zonder vaste "
         "overlegstructuur voor alles. Dat maakt snel schakelen mogelijk.",
         t=["vo-mbo", "vso-arbeid"], s=["vso", "vo"], c=["netwerken"], g=["professionals"], r=["daadkracht"]),
    dict(slug="intensieve-contacten-met-stagegevers", title="Intensieve contacten met stagegevers", theme=KS,
         summary="Stagebegeleiders onderhouden een nauwe band met stagebedrijven. Werkgevers weten wat ze van de school "
         "kunnen verwachten en leerlingen krijgen een stage die bij hen past.",
         t=["pro-arbeid", "mbo-arbeid"], s=["pro", "vso", "mbo-entree-2"], c=["werkexploratie", "netwerken"],
         g=["professionals"], r=["relatie", "betrokken-partners"]),
    dict(slug="voat-summa-plus-atc-praktijkschool", title="Samenwerking VOAT (Summa Plus) en ATC (Praktijkschool Eindhoven)",
         theme=KS, summary="De VOAT van Summa Plus en het ATC van Praktijkschool Eindhoven werken samen aan de route naar "
         "werk. Leerlingen profiteren van de kennis en contacten van beide.",
         t=["pro-arbeid", "pro-mbo"], s=["pro", "mbo-entree-2"], c=["werkexploratie", "netwerken"],
         g=["zonder-startkwalificatie"], r=["betrokken-partners"], region="Eindhoven",
         orgs=["Summa College", "Praktijkschool Eindhoven"]),
    dict(slug="atc-arbeidstoeleiding", title="Organisatie van het ATC voor arbeidstoeleiding", theme=KS,
         summary="Het arbeidstrainingscentrum (ATC) van Praktijkschool Eindhoven is ingericht op de toeleiding naar "
         "werk: oefenen in een realistische werkomgeving, met begeleiding naar een baan.",
         t=["pro-arbeid"], s=["pro"], c=["werkexploratie", "loopbaansturing"], g=["banenafspraak"],
         r=["daadkracht"], region="Eindhoven", orgs=["Praktijkschool Eindhoven"]),
    dict(slug="samenwerking-rond-het-samenwerkingsverband", title="Samenwerking rond het samenwerkingsverband passend onderwijs",
         theme=KS, summary="Scholen regelen de samenwerking en organisatie rond het samenwerkingsverband passend "
         "onderwijs goed. Heldere afspraken over wie wat doet voorkomen dat leerlingen tussen wal en schip raken.",
         t=["po-vo", "vo-mbo"], s=["vo", "vso"], c=["netwerken"], g=["kwetsbare-jongeren"], r=["betrokken-partners"]),
    dict(slug="samen-kijken-bij-dreigende-uitval", title="Samen kijken wat goed is bij (dreigende) uitval", theme=KS,
         summary="Een ketenpartner werkt intensiever samen met scholen: gezamenlijk kijken naar wat goed is voor een "
         "leerling die (dreigt) uit (te) vallen, samen met leerplicht, GGD en samenwerkingsverband.",
         t=["uitval-terug"], s=["vo", "mbo-entree-2"], c=["netwerken"], g=["dreigende-uitval"],
         r=["relatie", "betrokken-partners"]),
    dict(slug="ogo-overleg", title="OGO-overleg: op overeenstemming gericht overleg", theme=KS,
         summary="In het wettelijk verplichte op overeenstemming gericht overleg (OGO) stemmen gemeenten en "
         "samenwerkingsverbanden hun plannen af. Respondenten noemen het een waardevol moment om elkaar scherp te houden.",
         t=["uitval-terug"], s=["vo", "vso"], c=["netwerken"], g=["professionals"], r=["visie-en-ambitie", "betrokken-partners"]),
    # Sluitende transities – warme overdracht
    dict(slug="die-ene-collega-in-de-arbeidstoeleiding", title="Die ene collega in de arbeidstoeleiding", theme=ST,
         summary="Een collega in de arbeidstoeleiding spant zich in om uitgestroomde en (bijna) gestrande leerlingen "
         "weer op de rit te krijgen. De relatie die hij al had met de jongere blijkt de ingang.",
         t=["pro-arbeid", "vso-arbeid", "uitval-terug"], s=["pro", "vso"], c=["netwerken"], g=["dreigende-uitval"],
         r=["relatie"]),
    dict(slug="acquisitie-stageplaatsen", title="Acquisitie die tot veel succesvolle stageplaatsen leidt", theme=ST,
         summary="Door actief bedrijven te benaderen vindt de school veel stageplaatsen die ook echt slagen. Een goede "
         "match tussen leerling en stagebedrijf is de eerste stap naar werk.",
         t=["pro-arbeid", "mbo-arbeid"], s=["pro", "mbo-entree-2"], c=["werkexploratie"], g=["professionals"],
         r=["betrokken-partners"]),
    dict(slug="doorstroomcoaching-roc-ter-aa", title="Doorstroomcoaching ROC ter Aa", theme=ST,
         summary="Doorstroomcoaches van ROC ter Aa begeleiden jongeren bij de overstap naar en binnen het mbo. Ze "
         "blijven aanspreekpunt tot de jongere goed is geland.",
         t=["vo-mbo", "mbo-arbeid"], s=["vo", "mbo-entree-2", "mbo-3-4"], c=["loopbaansturing"],
         g=["dreigende-uitval"], r=["daadkracht"], region="Helmond", orgs=["ROC ter Aa"]),
    dict(slug="van-school-naar-werk-senzer", title="De aanpak ‘van school naar werk’ (Senzer)", theme=ST,
         summary="Senzer begeleidt jongeren van pro en vso naar werk volgens een vaste aanpak die al op school begint. "
         "Zo is er geen gat tussen het laatste schooljaar en de eerste werkdag.",
         t=["pro-arbeid", "vso-arbeid"], s=["pro", "vso"], c=["werkexploratie", "netwerken"], g=["banenafspraak"],
         r=["betrokken-partners"], region="Helmond", orgs=["Senzer"]),
    dict(slug="warme-overdracht-doorstroom-nazorg", title="Warme overdracht, doorstroom en nazorg in de regio", theme=ST,
         summary="Bij elke overstap draagt de school de jongere persoonlijk over en blijft ze hem nog een tijd volgen. "
         "Wie toch uitvalt, wordt snel weer opgepakt.",
         t=["vo-mbo", "pro-mbo", "vso-mbo", "mbo-arbeid"], s=["vo", "pro", "vso", "mbo-entree-2"],
         c=["loopbaansturing"], g=["dreigende-uitval"], r=["relatie", "monitoring"]),
    dict(slug="competensys", title="CompetenSYS: vastleggen wat iemand kan, wil en is", theme=ST,
         summary="Een gestandaardiseerd systeem legt relevante informatie vast over wat een jongere kan, wil en is. "
         "Die informatie gaat mee bij de overstap naar werk of vervolgonderwijs.",
         t=["pro-arbeid", "vso-arbeid", "pro-mbo"], s=["pro", "vso"], c=["kwaliteitenreflectie", "motievenreflectie"],
         g=["professionals"], r=["monitoring"]),
    dict(slug="aansluiting-vso-pro", title="Aansluiting vso en pro", theme=ST,
         summary="Vso en praktijkonderwijs stemmen hun aanbod en overdracht op elkaar af, zodat een leerling die "
         "overstapt niet opnieuw hoeft te beginnen.",
         t=["vso-mbo", "pro-mbo"], s=["vso", "pro"], c=["loopbaansturing"], g=["kwetsbare-jongeren"], r=["relatie"]),
    dict(slug="doorstroom-vo-mbo", title="Begeleiding zodat de doorstroom vo – mbo goed gaat", theme=ST,
         summary="De school begeleidt leerlingen gericht naar een passende mbo-opleiding en bereidt de overstap samen "
         "met het mbo voor. Minder switchers en uitvallers in het eerste jaar is het doel.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], c=["werkexploratie", "loopbaansturing"], g=["dreigende-uitval"],
         r=["daadkracht"]),
    dict(slug="banenmarkt-en-beroepenavond", title="Banenmarkt voor de bovenbouw en een beroepenavond", theme=ST,
         summary="Leerlingen in de bovenbouw bezoeken een banenmarkt; later in het schooljaar volgt een beroepenavond. "
         "Respondenten benadrukken dat zo'n activiteit wel een vervolg moet krijgen.",
         t=["vo-mbo", "pro-arbeid"], s=["vo", "pro"], c=["werkexploratie", "netwerken"], g=["ouders"],
         r=["inspiratie"]),
    # Overig
    dict(slug="individueel-ontwikkelplan-medewerkers", title="Individueel ontwikkelplan (IOP) voor medewerkers",
         theme=OV, summary="Medewerkers werken met een individueel ontwikkelplan met leer- en loopbaandoelen. Wie zelf "
         "bewust met de eigen loopbaan bezig is, begeleidt jongeren daar beter in.",
         t=[], s=["vo", "mbo-3-4"], c=["loopbaansturing"], g=["professionals"], r=["inspiratie"]),
]

# The four interventions of the leerkringen in Rotterdam Zuid (source 004).
INTERVENTIONS = [
    dict(slug="zadkine-ict-welkomstbijeenkomsten", title="Zadkine ICT: welkomstbijeenkomsten en meer", theme=JC,
         summary="De ICT-opleiding van Zadkine begint het jaar met welkomstbijeenkomsten voor nieuwe studenten en hun "
         "ouders. Teamleider en studieloopbaanbegeleider bespreken daar met ouders wat ze van elkaar mogen verwachten.",
         body="<p>Tijdens de bijeenkomsten krijgen ouders en studenten informatie over de opleiding. In een nieuw "
              "onderdeel vragen de teamleider en een studieloopbaanbegeleider ouders naar hun goede ervaringen met "
              "het voortgezet onderwijs: hoe ging de communicatie, de ondersteuning en de samenwerking daar? Samen "
              "bespreken ze welke van die ervaringen het mbo kan voortzetten. Later in het schooljaar komt de opleiding "
              "erop terug, om te zien of de verwachtingen zijn waargemaakt.</p>",
         t=["vo-mbo"], s=["mbo-3-4"], c=["netwerken"], g=["ouders"], cios=["contact"], r=["relatie"], orgs=["Zadkine"]),
    dict(slug="albeda-verpleegkunde-structureel-contact", title="Albeda Verpleegkunde: structureel contact, ook als alles goed gaat",
         theme=ST, summary="De opleiding Verpleegkunde van het Albeda plant in het eerste jaar vaste contactmomenten met "
         "ouders, met een gespreksagenda. Niet alleen bij problemen, maar ook over wat goed gaat.",
         body="<p>Een jaarkalender legt de contactmomenten vast, van intake en plaatsing tot het eind van het eerste "
              "jaar. Dat is een belangrijke overgang: een nieuwe school die meer zelfstandigheid vraagt, en een "
              "werkveld waarvan de student tijdens de stage ontdekt of het past. Ouders die weten hoe het gaat en "
              "makkelijk contact opnemen, kunnen hun kind beter steunen. De toon wordt positiever: in plaats van "
              "problemen oplossen, problemen voorkomen.</p>",
         t=["vo-mbo"], s=["mbo-3-4"], c=["loopbaansturing"], g=["ouders"], cios=["informatie"],
         r=["relatie", "monitoring"], orgs=["Albeda"]),
    dict(slug="zuiderpark-thuisopdrachten", title="Zuiderpark: thuisopdrachten gekoppeld aan de mentorgesprekken",
         theme=JC, summary="Vmbo Zuiderpark geeft leerlingen in leerjaar 3 en 4 opdrachten om thuis met hun ouders over "
         "de loopbaan te praten. In de rapportgesprekken komt de mentor erop terug.",
         body="<p>Leerlingen interviewen hun ouders bijvoorbeeld over hun eigen loopbaan of de beroepen in de familie, "
              "of vragen welke kwaliteiten hun ouders in hen zien. Het gesprek aan de keukentafel is belangrijk voor de "
              "loopbaan van leerlingen, maar gaat in veel gezinnen niet vanzelf: ouders weten niet altijd hoe belangrijk "
              "hun betrokkenheid is of hoe ze zo'n gesprek voeren. Doordat de mentor de opdracht in het rapportgesprek "
              "toelicht, horen ouders niet alleen van hun kind wat de bedoeling is.</p>",
         t=["vo-mbo"], s=["vo"], c=["kwaliteitenreflectie", "motievenreflectie"], g=["ouders"], cios=["ondersteuning"],
         r=["inspiratie"], orgs=["Vmbo Zuiderpark"]),
    dict(slug="de-hef-lob-diner", title="De Hef: het LOB-diner", theme=JC,
         summary="Het Rotterdams Vakcollege De Hef nodigt leerlingen en hun ouders uit voor een LOB-diner: eerst in "
         "kleine groepjes een spel met loopbaanopdrachten, daarna samen aan tafel om door te praten.",
         body="<p>Mentoren en leraren spelen mee. Voor het spel is een set kaarten ontwikkeld met teksten en "
              "afbeeldingen van beroepen, werkvelden, kwaliteiten en werkwaarden. De gesprekken die tijdens het diner "
              "beginnen, lopen door in de individuele mentor-ouder-leerlinggesprekken (MOL-gesprekken), waar "
              "concrete afspraken worden gemaakt over de volgende stappen van de leerling.</p>",
         t=["vo-mbo"], s=["vo"], c=["werkexploratie", "netwerken"], g=["ouders"], cios=["informatie", "samenwerking"],
         r=["relatie", "inspiratie"], orgs=["Rotterdams Vakcollege De Hef"]),
]

LEERKRING_004 = (
    "<p>De interventie is bedacht in een leerkring van leerlingen (of studenten), ouders en leraren, die samen de "
    "fasen kennismaking, situatieanalyse, doel schetsen, selecteren, uitwerken en uitvoeren doorliepen. Het resultaat "
    "was niet alleen een plan, maar ook de ervaring dat gelijkwaardig samenwerken tussen school, leerling en ouders "
    "kan.</p>"
)

# The leerlabs of source 002, as proeftuinen: what each one tried, and where it stands.
S = LeerkringStage
LEERLABS = [
    dict(slug="leerlab-noord-west-veluwe", title="Leerlab Noord-West Veluwe", stage=S.UITWERKEN, board="samenwerking",
         summary="Vmbo- en mbo-docenten leren elkaar kennen zonder vooropgezet programma, en leggen samen hun PTA's en "
                 "OER's naast elkaar, met de avo-vakken als gemeenschappelijke basis.",
         aim="Een doorlopende leerroute vmbo–mbo die ontstaat uit de ontmoeting tussen docenten, omgaand met de "
             "verschillen tussen de vo-scholen.",
         partners="Meerdere vo-scholen en een mbo-instelling in Noord-West Veluwe; docenten uit beide sectoren.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["relatie"], start=datetime.date(2021, 9, 1)),
    dict(slug="leerlab-noord-drenthe", title="Leerlab Noord-Drenthe", stage=S.UITVOEREN, board="samenwerking",
         summary="Vroege kennismaking met het mbo en een zachte landing stonden centraal, met LOB als rode draad. Na "
                 "de coronatijd gaf een barbecue voor stuurgroep en ontwikkelteams de relaties een nieuwe impuls.",
         aim="Leerlingen maken vroeg kennis met het mbo en landen er zacht, zodat de overstap minder groot voelt.",
         partners="Vo-scholen en een mbo-instelling in Noord-Drenthe; stuurgroep en ontwikkelteams van docenten.",
         evaluation="<p>Beginnen met de samenwerking, zonder vast programma, werkte: uit de ontmoeting tussen docenten "
                    "ontstonden vanzelf initiatieven. Investeren in persoonlijke relaties, ook buiten de vergadertafel, "
                    "bleek nodig om de samenwerking vitaal te houden.</p>",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["relatie", "inspiratie"], start=datetime.date(2021, 9, 1),
         end=datetime.date(2023, 7, 1)),
    dict(slug="leerlab-gorinchem", title="Leerlab Gorinchem", stage=S.SITUATIEANALYSE, board="verankering",
         summary="Eerst een haalbaarheidsonderzoek voor een doorlopende leerlijn: kan het initiatief worden "
                 "uitgevoerd en verduurzaamd, voordat de samenwerking echt start?",
         aim="Een doorlopende leerlijn vmbo–mbo die niet afhangt van één of twee trekkers, maar in beide scholen "
             "is geborgd.",
         partners="Vmbo-school en mbo-instelling in Gorinchem.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["daadkracht", "visie-en-ambitie"], start=datetime.date(2022, 2, 1)),
    dict(slug="leerlab-middelharnis", title="Leerlab Middelharnis", stage=S.DOEL_SCHETSEN, board="inhoud",
         summary="De partners namen de tijd om de huidige situatie te analyseren en een gedeeld beeld te vormen van "
                 "wat ze willen verbeteren. Dat kostte tijd, maar legde een stevige basis.",
         aim="Een gedeelde opgave: wat willen we samen verbeteren in de overstap van vmbo naar mbo, en waarom?",
         partners="Vmbo- en mbo-partners in Middelharnis.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["visie-en-ambitie"], start=datetime.date(2022, 1, 15)),
    dict(slug="leerlab-s-hertogenbosch", title="Leerlab 's-Hertogenbosch", stage=S.UITVOEREN, board="inhoud",
         summary="Vier afzonderlijke leerroutes, twee per vo-school. Leerlingen HBR volgden een keuzedeel op het mbo "
                 "en deden ervaring op in een restaurant. Het leerlab werkte in ontwikkelcirkels.",
         aim="Leerlingen ervaren al in het vmbo hoe het mbo werkt, in leerroutes die aansluiten op hun profiel.",
         partners="Twee vo-scholen en een mbo-instelling in 's-Hertogenbosch; een externe procesbegeleider legde de "
                  "curricula naast elkaar.",
         evaluation="<p>Snel beginnen en gaandeweg uitzoeken wat nodig is, in korte ontwikkelcirkels, hield vaart in het "
                    "proces. De stap naar het mbo bleek voor sommige leerlingen spannend; overwogen wordt om eerst "
                    "gastlessen door mbo-docenten op het vmbo te geven als tussenstap.</p>",
         t=["vo-mbo"], s=["vo", "mbo-entree-2", "mbo-3-4"], r=["daadkracht"], start=datetime.date(2021, 10, 1),
         end=datetime.date(2023, 7, 1)),
    dict(slug="leerlab-weert", title="Leerlab Weert", stage=S.UITWERKEN, board="inhoud",
         summary="Een breed vmbo-profiel laten aansluiten op een smalle mbo-opleiding, via keuzedelen. De overgang "
                 "wordt opgebouwd: eerst komen mbo-docenten naar het vmbo, later gaan leerlingen naar het mbo.",
         aim="Keuzedelen van het mbo al in het vmbo aanbieden, en de overgang in stappen opbouwen.",
         partners="Vmbo-school en mbo-instelling in Weert.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["daadkracht"], start=datetime.date(2022, 9, 1)),
    dict(slug="leerlab-stadskanaal", title="Leerlab Stadskanaal", stage=S.UITWERKEN, board="inhoud",
         summary="Met relatief weinig leerlingen is een apart aanbod lastig. Het leerlab vond de oplossing in "
                 "modulair werken, om toch een aanbod op maat te maken.",
         aim="Een doorlopend aanbod op maat, ook bij kleine aantallen leerlingen, door modulair te werken.",
         partners="Vmbo-school en mbo-instelling in Stadskanaal.",
         t=["vo-mbo"], s=["vo", "mbo-entree-2", "mbo-3-4"], r=["inspiratie"], start=datetime.date(2022, 2, 1)),
    dict(slug="leerlab-heerhugowaard", title="Leerlab Heerhugowaard", stage=S.UITVOEREN, board="inhoud",
         summary="Vanuit een breed praktijkgericht programma voor tl- en gl-leerlingen zoeken vmbo en mbo aansluiting "
                 "bij brede keuzedelen. Mbo-docenten geven gastcolleges.",
         aim="Tl- en gl-leerlingen krijgen een praktijkgericht programma dat aansluit op keuzedelen van het mbo.",
         partners="Vmbo-school en mbo-instelling in Heerhugowaard; docenten wisselen uit via gastcolleges.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["inspiratie"], start=datetime.date(2021, 9, 1)),
    dict(slug="leerlab-helmond", title="Leerlab Helmond", stage=S.UITVOEREN, board="inhoud",
         summary="Het praktijkgerichte programma voor tl- en gl-leerlingen sluit aan op mbo-keuzedelen, en docenten "
                 "van vmbo en mbo geven gastcolleges bij elkaar.",
         aim="Leerlingen uit tl en gl ontdekken via praktijkgerichte opdrachten welke mbo-richting bij hen past.",
         partners="Vmbo-scholen en een mbo-instelling in Helmond.",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["inspiratie", "relatie"], region="Helmond",
         start=datetime.date(2021, 9, 1)),
    dict(slug="leerlab-noord-holland", title="Leerlab Noord-Holland", stage=S.UITVOEREN, board="verankering",
         summary="Het initiatief kwam van de bestuurders, maar alle lagen waren aangehaakt. Een onafhankelijke "
                 "projectleider was de smeerolie tussen partijen en lagen: het achtje op orde.",
         aim="Een programmatische aansluiting tussen vmbo en mbo in plaats van één doorlopende leerroute, gedragen "
             "door bestuur, management en docenten.",
         partners="Vo-scholen en mbo-instelling in Noord-Holland, met een onafhankelijke projectleider.",
         evaluation="<p>Bestuurlijk commitment plus een projectleider die alle lagen verbond, zorgde dat afspraken "
                    "echt in de scholen landden. Het achtje dichtorganiseren (bestuurlijk, management, professioneel, "
                    "binnen én tussen de scholen) gaf draagvlak.</p>",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["betrokken-partners", "daadkracht"], start=datetime.date(2021, 9, 1),
         end=datetime.date(2023, 6, 30)),
    dict(slug="leerlab-amsterdam-ijburg", title="Leerlab Amsterdam-IJburg", stage=S.UITVOEREN, board="inhoud",
         summary="Vol inzetten op LOB voor leerlingen, met opdrachten die tussentijds met de leerlingen zelf werden "
                 "geëvalueerd en daardoor steeds beter werden.",
         aim="Leerlingen maken een bewuste keuze voor het mbo dankzij LOB-opdrachten die samen met het mbo zijn gemaakt.",
         partners="Vo-school en mbo-instelling op IJburg, Amsterdam.",
         evaluation="<p>Tussentijds evalueren met leerlingen maakte de LOB-opdrachten effectiever. Neem de tijd voor "
                    "evaluatie, het liefst met en door leerlingen, en stuur onderweg bij.</p>",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["monitoring"], start=datetime.date(2021, 9, 1),
         end=datetime.date(2023, 7, 1)),
    dict(slug="leerlab-west-brabant", title="Leerlab West-Brabant", stage=S.UITVOEREN, board="inhoud",
         summary="Challenges ontworpen door mbo- en vo-docenten samen, waar vo-leerlingen aan werkten en waarbij "
                 "mbo-docenten gastlessen gaven: curriculum, leerling en docent in één aanpak.",
         aim="Vo-leerlingen werken aan echte opdrachten uit het mbo, zodat ze het mbo leren kennen voordat ze kiezen.",
         partners="Vo-scholen en mbo-instelling in West-Brabant; mbo-docenten gaven gastlessen.",
         evaluation="<p>De challenges raakten alle drie de inhoudelijke gebieden tegelijk: het curriculum, de leerling "
                    "en de docent. Samen ontwerpen bracht docenten van beide sectoren dichter bij elkaar.</p>",
         t=["vo-mbo"], s=["vo", "mbo-3-4"], r=["inspiratie", "relatie"], start=datetime.date(2021, 9, 1),
         end=datetime.date(2023, 7, 1)),
]

# The content areas source 002 names per leerlab (curriculum, leerling, docent); Gorinchem and Middelharnis
# were still analysing and are not named there.
LEERLAB_AREAS = {'leerlab-noord-west-veluwe': ['docent', 'curriculum'], 'leerlab-noord-drenthe': ['leerling'], 'leerlab-s-hertogenbosch': ['leerling', 'curriculum'], 'leerlab-weert': ['curriculum', 'leerling'], 'leerlab-stadskanaal': ['curriculum'], 'leerlab-heerhugowaard': ['curriculum', 'docent'], 'leerlab-helmond': ['curriculum', 'docent'], 'leerlab-noord-holland': ['curriculum'], 'leerlab-amsterdam-ijburg': ['leerling'], 'leerlab-west-brabant': ['curriculum', 'leerling', 'docent']}

LEERLAB_ORIGIN = (
    "<p>Dit leerlab werkte aan doorlopende leerroutes vmbo–mbo in het programma van Sterk Beroepsonderwijs (digizine, "
    "voorjaar 2023). Net als de andere leerlabs schakelde het op drie borden: inhoud, samenwerking en verankering. "
    "Zonder inhoud word je een ongerichte praatclub; zonder verankering merkt geen leerling iets van de plannen.</p>"
)


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _region(name):
    """The sub-region by name; the partnership loader usually made it already, with its own slug."""
    if not name:
        return None
    region = Region.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
    if region is None:
        region = Region.objects.create(name=name, slug=slugify(name), description=REGIONS.get(name, ""))
    return region


def _organisation(name):
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(name=name, organisation_type=ORGANISATIONS[name])
    return organisation


def _by_slug(model, slugs):
    return list(model.objects.filter(slug__in=slugs))


def _index_page(home, model, data):
    """(the section, created now); an existing one is left as it is, unpublished or not."""
    page = model.objects.child_of(home).first()
    if page is not None:
        return page, False
    page = model(title=data["title"], slug=data["slug"], intro=data["intro"],
                 search_description=data["search_description"], show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page, True


def _ensure_moderation(pages):
    """Editors' drafts go through "Moderators approve"; make sure the tree has a workflow for these sections."""
    for page in pages:
        if page.get_workflow() is None:
            workflow = Workflow.objects.filter(active=True).order_by("pk").first()
            if workflow is not None:
                WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})


def _practice(library, data, source, origin):
    if GoodPracticePage.objects.child_of(library).filter(slug=data["slug"]).exists():
        return False
    body = []
    if data.get("body"):
        body.append({"type": "paragraph", "value": data["body"]})
    body += [{"type": "heading", "value": {"text": "Waar komt dit voorbeeld vandaan?", "level": "h2"}},
             {"type": "paragraph", "value": origin}]
    page = GoodPracticePage(title=data["title"], slug=data["slug"], summary=data["summary"], body=body,
                            source=source, region=_region(data.get("region")),
                            # The sources name organisations, not people: the organisation is the contact.
                            contact_organisation=(data.get("orgs") or [""])[0])
    page.themes.set(_by_slug(DelenWaardTheme, [data["theme"]]))
    page.transitions.set(_by_slug(Transition, data.get("t", [])))
    page.school_types.set(_by_slug(SchoolType, data.get("s", [])))
    page.competenties.set(_by_slug(LoopbaanCompetentie, data.get("c", [])))
    page.target_groups.set(_by_slug(TargetGroup, data.get("g", [])))
    page.cios_levels.set(_by_slug(CiosLevel, data.get("cios", [])))
    page.reflection_themes.set(_by_slug(ReflectionTheme, data.get("r", [])))
    page.organisations.set([_organisation(name) for name in data.get("orgs", [])])
    library.add_child(instance=page)
    page.save_revision().publish()
    return True


def _proeftuin(index, data):
    if ProeftuinPage.objects.child_of(index).filter(slug=data["slug"]).exists():
        return False
    page = ProeftuinPage(
        title=data["title"], slug=data["slug"], summary=data["summary"], aim=data["aim"], partners=data["partners"],
        stage=data["stage"], board=data.get("board", ""), start_date=data.get("start"), end_date=data.get("end"),
        evaluation=data.get("evaluation", ""), region=_region(data.get("region")),
        body=[{"type": "heading", "value": {"text": "Waar komt deze proeftuin vandaan?", "level": "h2"}},
              {"type": "paragraph", "value": LEERLAB_ORIGIN}],
    )
    page.transitions.set(_by_slug(Transition, data.get("t", [])))
    page.school_types.set(_by_slug(SchoolType, data.get("s", [])))
    page.reflection_themes.set(_by_slug(ReflectionTheme, data.get("r", [])))
    page.content_areas.set(_by_slug(ContentArea, LEERLAB_AREAS.get(data["slug"], [])))
    index.add_child(instance=page)
    page.save_revision().publish()
    return True


def load(stdout=None):
    """Create the library and proeftuin sections with the practices of sources 003/004 and the leerlabs of 002."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    library, new_library = _index_page(home, GoodPracticeIndexPage, LIBRARY)
    proeftuinen, new_proeftuinen = _index_page(home, ProeftuinIndexPage, PROEFTUINEN)
    # Moderation for the sections made now; an existing section keeps the workflow someone gave it (or not).
    _ensure_moderation([page for page, new in ((library, new_library), (proeftuinen, new_proeftuinen)) if new])

    created = sum(_practice(library, data, SOURCE_003, ORIGIN_003) for data in PRACTICES)
    created += sum(_practice(library, data, SOURCE_004, LEERKRING_004) for data in INTERVENTIONS)
    pilots = sum(_proeftuin(proeftuinen, data) for data in LEERLABS)
    _say(stdout, f"Het delen waard: {created} good practices en {pilots} proeftuinen aangemaakt.")


def load_sample(stdout=None):
    """A real slice of the demo content (one whole theme plus a few others, three leerlabs), quick to build.

    For browser tests and quick looks; the full ``load`` creates the rest later without duplicates.
    """
    home = Site.objects.get(is_default_site=True).root_page.specific
    library, _new = _index_page(home, GoodPracticeIndexPage, LIBRARY)
    proeftuinen, _new = _index_page(home, ProeftuinIndexPage, PROEFTUINEN)
    sample = [data for data in PRACTICES if data["theme"] in (ST, OV)] + PRACTICES[:4] + PRACTICES[15:18]
    for data in sample:
        _practice(library, data, SOURCE_003, ORIGIN_003)
    for data in INTERVENTIONS:
        _practice(library, data, SOURCE_004, LEERKRING_004)
    for data in LEERLABS[:3]:
        _proeftuin(proeftuinen, data)
    return library, proeftuinen
