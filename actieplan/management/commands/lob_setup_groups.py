"""Create the groups Werkgroep, Bestuurders, Platformbeheerders and Redacteuren (see actieplan/partnerships/groups.py).

Installing or migrating the apps creates no group and grants nothing; a site runs this once, when it wants them.
"""

from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Page

from actieplan.partnerships.groups import EDITOR_GROUP, GROUPS, set_up_groups


class Command(BaseCommand):
    help = ("Maakt de groepen Werkgroep, Bestuurders, Platformbeheerders en Redacteuren met hun rechten. Redacteuren krijgen alleen "
            "paginarechten op de pagina's die u met --editor-page noemt (en de pagina's daaronder).")

    def add_arguments(self, parser):
        parser.add_argument("--editor-page", dest="editor_pages", action="append", type=int, default=[],
                            metavar="PAGINA-ID",
                            help="Id van een pagina waaronder Redacteuren pagina's mogen maken, wijzigen en "
                                 "ter moderatie indienen (mag vaker).")

    def handle(self, *args, editor_pages=(), **options):
        found = set(Page.objects.filter(pk__in=editor_pages).values_list("pk", flat=True))
        missing = sorted(set(editor_pages) - found)
        if missing:
            raise CommandError(f"Geen pagina met id {', '.join(map(str, missing))}; er is niets veranderd.")
        created = set_up_groups(editor_pages=editor_pages)
        for name in GROUPS:
            state = "aangemaakt" if name in created else "bestond al, ontbrekende rechten aangevuld"
            self.stdout.write(f"Groep {name}: {state}")
        if editor_pages:
            titles = ", ".join(Page.objects.filter(pk__in=editor_pages).values_list("title", flat=True))
            self.stdout.write(f"{EDITOR_GROUP} mogen pagina's beheren onder: {titles}")
        else:
            self.stdout.write(f"{EDITOR_GROUP} hebben nog geen paginarechten (gebruik --editor-page PAGINA-ID).")
