"""Apply the documented retention: remove reminder log rows, import receipts, rate-limit counters and sessions
that are past it (see actieplan/reminders/retention.py)."""

from django.core.management.base import BaseCommand

from actieplan.conf import app_settings
from actieplan.reminders import retention


class Command(BaseCommand):
    help = ("Verwijdert wat over zijn bewaartermijn is: herinneringenlog (LOB_REMINDER_LOG_RETENTION_DAYS), "
            "importbonnen (LOB_IMPORT_RECEIPT_RETENTION_DAYS), limiettellers en verlopen sessies.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", "--proef", dest="dry_run", action="store_true",
                            help="Alleen tellen wat weg zou gaan; niets verwijderen.")

    def handle(self, *args, dry_run=False, **options):
        counts = retention.apply(dry_run=dry_run)
        verb = "zou verwijderen" if dry_run else "verwijderd"
        self.stdout.write(f"Bewaartermijnen (herinneringen {app_settings.LOB_REMINDER_LOG_RETENTION_DAYS} dagen, "
                          f"importbonnen {app_settings.LOB_IMPORT_RECEIPT_RETENTION_DAYS} dagen): {verb}: "
                          + ", ".join(f"{n} {what}" for what, n in counts.items()))
