"""Reference data: the six themes and 22 questions of the reflectietool (source 000), and the groups."""

from django.db import migrations

THEMES = [
    {
        "name": "Visie en ambitie",
        "slug": "visie-en-ambitie",
        "background_title": "Gezamenlijke ambitie",
        "background": (
            "Een gezamenlijke ambitie en visie zorgt voor commitment en draagvlak. Effectieve "
            "samenwerkingsverbanden gericht op doorstroom of LOB hebben een visie gericht op het "
            "centraal stellen van de leerling, gedragen door verschillende lagen in de organisatie. "
            "Besteed er bewust aandacht aan: zet de ambitie regelmatig op de agenda, communiceer er "
            "transparant over (bijvoorbeeld vanuit de voorzitter), neem haar mee bij het aanhaken van "
            "nieuwe projectmedewerkers of netwerkleden, of zet haar letterlijk bovenaan de notulen."
        ),
        "questions": [
            "Is er een heldere visie en ambitie geformuleerd die wordt gedeeld door alle betrokkenen?",
            "Gaan we met zijn állen echt voor het belang van de leerling (de leerling centraal)?",
            "Staat deze visie en ambitie regelmatig op de agenda van overleggen en bijeenkomsten?",
            "Gebruiken we deze visie en ambitie om keuzes te maken of concrete plannen mee te ontwikkelen?",
        ],
    },
    {
        "name": "Relatie",
        "slug": "relatie",
        "background_title": "Relatie",
        "background": (
            "Een goede persoonlijke relatie, samen met een gezamenlijke ambitie, maakt dat je elkaar "
            "makkelijker ergens op durft aan te spreken. Dat werkt, in de samenwerking en in het halen "
            "van gezamenlijke doelen. Een goede relatie opbouwen en onderhouden vraagt tijd en bewuste "
            "aandacht: een jaarlijks uitje, actief reageren op zaken die de relatie met partners kunnen "
            "ondermijnen (bijvoorbeeld verschillende belangen) en nieuwe betrokkenen leren kennen."
        ),
        "questions": [
            "Is het opbouwen en onderhouden van de relatie een aandachtspunt (ook voor nieuwe partners)?",
            "Organiseren we (informele) bijeenkomsten waarbij we elkaar ook echt kunnen leren kennen?",
            "Is er sprake van een open cultuur, waarin we elkaar kunnen aanspreken op mogelijke verschillen in belangen?",
            "Maken we kennis met elkaars werelden, door elkaar op verschillende locaties te ontmoeten?",
        ],
    },
    {
        "name": "Betrokken partners",
        "slug": "betrokken-partners",
        "background_title": "Betrokken partners",
        "background": (
            "Betrokkenheid en overleg op verschillende lagen werkt goed en draagt bij aan resultaat. "
            "Commitment op bestuurdersniveau is vaak nodig om zaken in gang te zetten, er financiering "
            "voor te krijgen en het gesprek over de gezamenlijke ambitie te voeren. De combinatie met "
            "werkgroepen op uitvoerend niveau is daarbij belangrijk, omdat daar de concrete resultaten "
            "worden geboekt."
        ),
        "questions": [
            "Is er op verschillende lagen betrokkenheid van partners?",
            "Wordt er ook op uitvoerend niveau samengewerkt tussen organisaties?",
            "Is het mandaat goed geregeld zodat er snel en goed besloten kan worden welke acties worden uitgezet?",
            "Is er regelmatig overleg tussen mogelijke lagen van betrokkenen binnen het samenwerkingsverband?",
        ],
    },
    {
        "name": "Daadkracht",
        "slug": "daadkracht",
        "background_title": "Daadkracht",
        "background": (
            "Korte lijnen helpen een samenwerkingsverband om zaken goed en snel te regelen en uit te "
            "voeren: een kleine projectgroep die veel samenwerkt, concrete projectactiviteiten met "
            "heldere doelen en duidelijke plannen, of een projectleider met de ruimte om snel eigen of "
            "nieuwe mensen op concrete activiteiten in te zetten."
        ),
        "questions": [
            "Is er een (kleine) groep mensen die de verantwoordelijkheid en middelen heeft om zaken daadwerkelijk te organiseren?",
            "Werken we met korte lijnen tussen lagen, maar ook tussen organisaties waardoor er snel afgestemd kan worden?",
            "Is er voldoende autonomie bij betrokkenen aanwezig om zinvolle activiteiten zelf te initiëren en uit te voeren?",
        ],
    },
    {
        "name": "Inspiratie",
        "slug": "inspiratie",
        "background_title": "Inspiratie",
        "background": (
            "Betrokkenen inspireren werkt: good practices delen, studiemiddagen met vernieuwende "
            "inzichten organiseren, of een 'bus tour MBO' waarbij mentoren en decanen uit het vo een dag "
            "langs mbo-instellingen gaan. Zulke activiteiten samen organiseren levert ook concrete "
            "samenwerking op, ontmoetingen en informeel contact tussen bijvoorbeeld docenten van "
            "verschillende scholen en sectoren."
        ),
        "questions": [
            "Hebben we aandacht voor het inspireren van betrokkenen op verschillende lagen in de organisaties?",
            "Werken we in het organiseren van inspirerende activiteiten ook samen met de verschillende partners in de regio?",
            "Krijgen docenten vanuit verschillende sectoren/instellingen de mogelijkheid om elkaar te ontmoeten?",
            "Delen we onze kennis en ervaringen, good practices en andere lessons learned op het gebied van doorstroom en LOB, zodat we gezamenlijk kunnen leren?",
        ],
    },
    {
        "name": "Monitoring",
        "slug": "monitoring",
        "background_title": "Doorstroom monitoring",
        "background": (
            "Samenwerkingsverbanden voor doorstroom en LOB hebben veel baat bij instrumenten om de "
            "doorstroom te monitoren, niet alleen op hoofdlijnen maar vooral op het niveau van de "
            "individuele leerling. Monitoring en goede relaties tussen scholen samen maken dat "
            "interventies voor leerlingen en studenten makkelijk kunnen worden ingezet als dat nodig is."
        ),
        "questions": [
            "Maken we gebruik van de monitoring van leerlingen/studenten tijdens doorstroommomenten (overstap)?",
            "Gebruiken we die gegevens ook om op leerlingniveau interventies te kunnen plegen?",
            "Gebruiken we de mogelijkheden van de monitorsystemen om meer te organiseren rondom LOB-activiteiten?",
        ],
    },
]

# The groups (Redacteuren, Werkgroep, Bestuurders) were created here up to 0.1, and Redacteuren got page rights
# on the root page: a host site's whole page tree. Since 0.2 nothing is granted by migrating; the groups come
# from ``manage.py lob_setup_groups`` (actieplan/partnerships/groups.py) or the site's own migration. Sites that
# already ran this keep what they have.


def seed(apps, schema_editor):
    Theme = apps.get_model("actieplan", "ReflectionTheme")
    Question = apps.get_model("actieplan", "ReflectionQuestion")
    for order, data in enumerate(THEMES, start=1):
        theme, _ = Theme.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "sort_order": order,
                      "background_title": data["background_title"], "background": data["background"]},
        )
        for number, text in enumerate(data["questions"], start=1):
            Question.objects.update_or_create(theme=theme, number=number, defaults={"text": text})


class Migration(migrations.Migration):
    dependencies = [
        ("actieplan", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
