"""Demo content: the Voortgang page of VSV-regio 37, private to its bestuurders and working group.

The introduction is written from source 002 ("zonder verankering … een praatclub", the three boards
and the three layers of the "achtje") and source 003 (clear tasks, responsibilities and roles).
Idempotent: the page is looked up by its partnership.
"""

from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction, Site

from actieplan.progress.models import ProgressPage

from actieplan.partnerships.demo import get_partnership

#: The groups that may open a Voortgang page (Wagtail page privacy); the partnership check is in ProgressPage.serve.
PROGRESS_GROUPS = ("Bestuurders", "Werkgroep")

TITLE = "Voortgang actieplan"
SLUG = "voortgang"
INTRO = (
    "<p>Deze pagina laat het bestuur zien of het samenwerkingsverband doet wat het afspreekt. Zonder "
    "verankering blijft samenwerking een praatclub: daarom staat hier per thema, per bord (inhoud, "
    "samenwerking, verankering) en per laag van het ‘achtje’ (bestuurlijk, management, uitvoerend) wat er "
    "is afgesproken, wat af is en waar het vastzit.</p>"
    "<p>De procesbewaker bespreekt de cijfers in het bestuurlijk overleg. Download de PDF om rond te sturen.</p>"
)


def ensure_progress_page(partnership, parent=None, title=TITLE, slug=SLUG, intro=""):
    """The partnership's ProgressPage under the site's home page, created and made private when missing; an
    existing one is returned as it is (its privacy and everything else stay as an editor left them)."""
    page = ProgressPage.objects.filter(partnership=partnership).first()
    if page is not None:
        return page
    parent = parent or Site.objects.get(is_default_site=True).root_page
    taken = set(parent.get_children().values_list("slug", flat=True))
    unique_slug, n = slug, 2
    while unique_slug in taken:
        unique_slug, n = f"{slug}-{n}", n + 1
    page = ProgressPage(title=title, slug=unique_slug, partnership=partnership, intro=intro, show_in_menus=False)
    parent.specific.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name__in=PROGRESS_GROUPS))
    return page


def load(stdout=None):
    partnership = get_partnership()
    if partnership is None:
        return None
    return ensure_progress_page(partnership, intro=INTRO)
