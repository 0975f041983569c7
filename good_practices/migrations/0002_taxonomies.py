"""Reference data: the vocabularies of the library, taken from sources 003 (CINOP 2018) and 004 (CIOS+R).

Editors may rename or extend them in the admin; this migration only creates what is missing.
"""

from django.db import migrations

THEMES = [
    ("jongere-centraal", "Jongere centraal – inzet op netwerk – extra aandacht voor bepaalde doelgroep",
     "Tijd en aandacht voor wat de jongere zelf wil en kan, het netwerk van de jongere (ouders) en extra "
     "zorg voor jongeren die dat nodig hebben."),
    ("kracht-van-samenwerken", "Kracht van samenwerken en netwerken",
     "Korte lijntjes, elkaar kennen en gebruikmaken van elkaars expertise: binnen de school en met "
     "gemeenten, ketenpartners en werkgevers."),
    ("sluitende-transities", "Sluitende transities – warme overdracht",
     "Geen jongere tussen wal en schip bij een overgang: warme overdracht, doorstroom en nazorg."),
    ("overig", "Overig", "Wat niet in de andere thema's past, maar wel het delen waard is."),
]

TRANSITIONS = [
    ("po-vo", "po → vo", "Van de basisschool naar het voortgezet (speciaal) onderwijs."),
    ("vo-mbo", "vo → mbo", "Van vmbo, havo of vavo naar het mbo."),
    ("pro-mbo", "pro → mbo", "Van het praktijkonderwijs naar mbo entree of niveau 2."),
    ("vso-mbo", "vso → mbo", "Van het voortgezet speciaal onderwijs naar het mbo."),
    ("pro-arbeid", "pro → arbeid", "Van het praktijkonderwijs naar (begeleid) werk."),
    ("vso-arbeid", "vso → arbeid", "Van het voortgezet speciaal onderwijs naar (beschut of begeleid) werk."),
    ("vso-dagbesteding", "vso → dagbesteding", "Van het voortgezet speciaal onderwijs naar dagbesteding."),
    ("mbo-arbeid", "mbo → arbeid", "Van het mbo naar de arbeidsmarkt."),
    ("mbo-hbo", "mbo → hbo", "Van het mbo naar het hoger beroepsonderwijs."),
    ("uitval-terug", "thuiszitten of uitval → onderwijs of werk",
     "Terug naar school of werk na thuiszitten, uitval of een afgebroken traject; inclusief nazorg."),
]

SCHOOL_TYPES = [
    ("pro", "praktijkonderwijs (pro)"),
    ("vso", "voortgezet speciaal onderwijs (vso)"),
    ("vo", "voortgezet onderwijs (vo)"),
    ("isk", "internationale schakelklas (isk)"),
    ("mbo-entree-2", "mbo entree/niveau 2"),
    ("mbo-3-4", "mbo niveau 3-4"),
    ("hbo", "hoger beroepsonderwijs (hbo)"),
]

COMPETENTIES = [
    ("motievenreflectie", "Motievenreflectie", "Wat wil ik? Waar ga en sta ik voor? Waarom dan?",
     "Nadenken over wat je wilt en wat je belangrijk vindt in je leven, opleiding en werk."),
    ("kwaliteitenreflectie", "Kwaliteitenreflectie", "Wat kan ik het beste? Hoe weet ik dat?",
     "Nadenken over wat je wel en niet kunt en hoe je je kwaliteiten inzet; anderen om feedback vragen."),
    ("werkexploratie", "Werkexploratie", "Waar ben ik het meest op mijn plek? Waarom daar?",
     "Het werk onderzoeken: eisen en waarden van een beroep, en je werkbeeld verbreden."),
    ("loopbaansturing", "Loopbaansturing", "Hoe bereik ik mijn doel? Waarom zo?",
     "Keuzes baseren op je kwaliteiten, waarden en toekomstwensen, afgestemd op stage, werk en arbeidsmarkt."),
    ("netwerken", "Netwerken", "Wie kan mij helpen mijn doel te bereiken? Waarom die mensen?",
     "Een netwerk hebben van mensen die helpen bij je (studie)keuze, het onderhouden en uitbreiden."),
]

TARGET_GROUPS = [
    ("kwetsbare-jongeren", "jongeren in een kwetsbare positie",
     "Onder meer vso cluster 4 en jongeren die van huis uit weinig steun meekrijgen."),
    ("nieuwkomers", "nieuwkomers en anderstaligen",
     "Jongeren die pas kort in Nederland zijn, soms met een taalachterstand."),
    ("banenafspraak", "doelgroep banenafspraak", "Leerlingen met een indicatie voor de banenafspraak."),
    ("zonder-startkwalificatie", "jongeren zonder startkwalificatie",
     "Jongeren zonder (de juiste) startkwalificatie die via werkend leren verder kunnen."),
    ("dreigende-uitval", "(dreigende) uitvallers",
     "Jongeren die zijn uitgevallen of dreigen uit te vallen, ook na uitstroom naar werk."),
    ("ouders", "ouders", "Ouders en verzorgers als partner in de loopbaanbegeleiding van hun kind."),
    ("professionals", "docenten en begeleiders",
     "Mentoren, decanen, SLB'ers, jobcoaches en andere professionals rond de jongere."),
]

CIOS = [
    ("contact", "Contact",
     "Goed contact met alle ouders, vanuit een positieve en open houding en met de gewenste loopbaan "
     "van het kind als gezamenlijk doel."),
    ("informatie", "Informatie",
     "Ouders krijgen wat ze nodig hebben om hun kind thuis te begeleiden: over de loopbaanontwikkeling, "
     "hun eigen rol, het loopbaanprogramma van de school en de opleidings- en arbeidsmarkt."),
    ("ondersteuning", "Ondersteuning",
     "Ouders concrete handvatten geven, zoals een thuisopdracht voor een loopbaangesprek aan de keukentafel."),
    ("samenwerking", "Samenwerking",
     "Leerling, ouders en school bespreken samen de volgende stappen, maken afspraken over wie wat doet "
     "en blikken later terug; de leerling heeft de regie."),
    ("randvoorwaarden", "Randvoorwaarden",
     "Een gedeelde visie vertaald naar schoolbeleid, draagvlak in het team en een integrale aanpak."),
]

EDITOR_PERMISSIONS = ["view", "add", "change"]
TAXONOMY_MODELS = ["delenwaardtheme", "transition", "schooltype", "loopbaancompetentie", "targetgroup", "cioslevel"]


def seed(apps, schema_editor):
    def ensure(model_name, rows):
        Model = apps.get_model("good_practices", model_name)
        for order, row in enumerate(rows, start=1):
            slug, name, *rest = row
            defaults = {"name": name, "sort_order": order}
            if model_name == "LoopbaanCompetentie":
                defaults.update(reflection_questions=rest[0], description=rest[1])
            elif rest:
                defaults["description"] = rest[0]
            if not Model.objects.filter(slug=slug).exists() and not Model.objects.filter(name=name).exists():
                Model.objects.create(slug=slug, **defaults)

    ensure("DelenWaardTheme", THEMES)
    ensure("Transition", TRANSITIONS)
    ensure("SchoolType", SCHOOL_TYPES)
    ensure("LoopbaanCompetentie", COMPETENTIES)
    ensure("TargetGroup", TARGET_GROUPS)
    ensure("CiosLevel", CIOS)

    # Editors maintain the vocabularies; deleting stays with administrators because pages point at them.
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("good_practices")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Redacteuren").first()
    if editors:
        for model in TAXONOMY_MODELS:
            for action in EDITOR_PERMISSIONS:
                editors.permissions.add(Permission.objects.get(
                    content_type__app_label="good_practices", codename=f"{action}_{model}"))


class Migration(migrations.Migration):
    dependencies = [
        ("good_practices", "0001_initial"),
        ("actieplan", "0002_reflectietool_and_groups"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
