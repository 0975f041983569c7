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
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    changed = False
    if not getattr(home, "intro", None):
        home.intro = HOME_INTRO
        home.body = HOME_BODY
        changed = True
    if hasattr(home, "content") and not home.content:
        home.content = json.dumps(home_blocks())
        changed = True
    if changed:
        home.save_revision().publish()
    if site.site_name != "LOB-platform":
        site.site_name = "LOB-platform"
        site.save()


def home_blocks():
    """The open actions of theme Daadkracht on the home page: members see them, visitors only how many."""
    theme = ReflectionTheme.objects.filter(name="Daadkracht").first()
    return [{"type": "action_list", "value": {
        "title": "Daadkracht: wat we nu doen", "partnership": "", "theme": str(theme.pk) if theme else "",
        "board": "", "status": ["open", "bezig", "geblokkeerd"], "linked_page": None, "number": 5,
        "order": "deadline", "public_display": "count",
    }}]
