"""Demo content for the site itself: the home page text."""

import json

from wagtail.models import Site

from actieplan.models import ReflectionTheme

HOME_INTRO = (
    "Scholen, gemeenten, werkgevers en ketenpartners werken samen aan loopbaanoriëntatie en "
    "-begeleiding en een soepele overstap voor jongeren. Hier maken we van afspraken acties."
)
HOME_BODY = (
    "<p>Een regionaal samenwerkingsverband mag geen <b>praatclub</b> worden. Daarom reflecteren we "
    "samen met de reflectietool, maken we van de zwakste punten concrete acties met een eigenaar, "
    "een mandaatniveau en een deadline, en delen we wat werkt in de bibliotheek "
    "<i>Het delen waard</i> en in kleine proeftuinen.</p>"
)


def load(stdout=None):
    """Write the home page text once, on the home page the migration made and nobody edited since (it has no
    revision yet); a home page an editor has touched, and the site's name, are left as they are."""
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if home.latest_revision_id is None and not home.revisions.exists():
        if not getattr(home, "intro", None):
            home.intro = HOME_INTRO
            home.body = HOME_BODY
        if hasattr(home, "content") and not home.content:
            home.content = json.dumps(home_blocks())
        home.save_revision().publish()
    load_accessibility_statement(home)


ACCESSIBILITY_EVALUATION = (
    "<p>Elke wijziging aan het platform gaat door een geautomatiseerde test met axe-core in een echte browser "
    "(Chromium), op de pagina's die mensen gebruiken: de startpagina, de bibliotheek <i>Het delen waard</i>, "
    "de proeftuinen, het actieplan (lijst, bord en actiepagina), de reflectietool op de telefoon, de uitkomsten "
    "en het overleg. Die test keurt elke schending van WCAG 2.1 niveau A en AA af. De pagina's werken zonder "
    "JavaScript en op een scherm van 390 pixels breed zonder zijwaarts scrollen.</p>"
    "<p>Een handmatige toets door een deskundige (volgens de WCAG-EM-methode) is nog niet gedaan; daarom is de "
    "status <b>voldoet gedeeltelijk</b>.</p>"
)
ACCESSIBILITY_LIMITATIONS = (
    "<ul><li>De PDF-exports (verslagen, voortgang) zijn niet volledig getagd voor schermlezers; dezelfde "
    "gegevens staan op de webpagina en in de spreadsheet-export.</li>"
    "<li>De beheeromgeving (Wagtail) is getest zoals Wagtail zelf haar toegankelijkheid test; eigen "
    "schermen daarin zijn nog niet handmatig getoetst.</li>"
    "<li>Documenten die redacteuren uploaden in de bibliotheek vallen onder de verantwoordelijkheid van de "
    "organisatie die ze aanlevert.</li></ul>"
)


def load_accessibility_statement(home):
    """The toegankelijkheidsverklaring under the home page, at /toegankelijkheid/ (idempotent)."""
    import datetime

    from lobplatform.home.models import AccessibilityStatementPage, AccessibilityStatus

    if AccessibilityStatementPage.objects.exists() or home.get_children().filter(slug="toegankelijkheid").exists():
        return  # there is one (or a page of that name an editor made): leave it
    today = datetime.date(2026, 11, 1)
    page = AccessibilityStatementPage(
        title="Toegankelijkheidsverklaring",
        slug="toegankelijkheid",
        organisation="Het regionale LOB-samenwerkingsverband",
        scope="Het LOB-platform: de openbare pagina's, de bibliotheek Het delen waard, de proeftuinen, "
        "de reflectietool en het actieplan van de werkgroep.",
        status=AccessibilityStatus.B,
        drawn_up_on=today,
        last_reviewed_on=today,
        evaluation=ACCESSIBILITY_EVALUATION,
        limitations=ACCESSIBILITY_LIMITATIONS,
        contact_email="toegankelijkheid@lob-regio.example",
        show_in_menus=False,
    )
    home.add_child(instance=page)
    page.save_revision().publish()


def home_blocks():
    """The open actions of theme Daadkracht on the home page: members see them, visitors only how many."""
    theme = ReflectionTheme.objects.filter(name="Daadkracht").first()
    return [{"type": "action_list", "value": {
        "title": "Daadkracht: wat we nu doen", "partnership": "", "theme": str(theme.pk) if theme else "",
        "board": "", "status": ["open", "bezig", "geblokkeerd"], "linked_page": None, "number": 5,
        "order": "deadline", "public_display": "count",
    }}]
