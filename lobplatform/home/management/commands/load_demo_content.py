from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lobplatform.demo import load_all


class Command(BaseCommand):
    help = ("Laadt de demo-inhoud uit de bronteksten (idempotent: nogmaals draaien dupliceert niets). Alleen voor "
            "de ingebouwde standaard (DEBUG aan); met productie-instellingen alleen met --force.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true",
            help="Laad de demo ook als DEBUG uit staat (productie-instellingen). De demo-accounts krijgen dan een "
                 "nieuw, willekeurig wachtwoord dat één keer wordt getoond, nooit het gepubliceerde.")

    def handle(self, *args, force=False, **options):
        # Demo content belongs to the embedded default and to an explicit opt-in, never to a production start:
        # it makes accounts in every role of a partnership that does not exist.
        if not settings.DEBUG and not force:
            raise CommandError(
                "De demo-inhoud wordt niet geladen: DEBUG staat uit (productie-instellingen). De demo maakt "
                "accounts in elke rol aan; laad hem alleen in een testomgeving, met --force als je dat echt wilt.")
        load_all(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-inhoud geladen."))
