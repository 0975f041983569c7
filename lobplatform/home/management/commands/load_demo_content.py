from django.core.management.base import BaseCommand

from lobplatform.demo import load_all


class Command(BaseCommand):
    help = "Laadt de demo-inhoud uit de bronteksten (idempotent: nogmaals draaien dupliceert niets)."

    def handle(self, *args, **options):
        load_all(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo-inhoud geladen."))
