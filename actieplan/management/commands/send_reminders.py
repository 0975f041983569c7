"""Run the reminder scan and send what is due, without Celery (embedded default, cron)."""

import time

from django.core.mail import get_connection
from django.db import close_old_connections
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actieplan.reminders import emails, scan as reminders


class Command(BaseCommand):
    help = "Bepaalt welke herinneringen nu nodig zijn en verstuurt ze (zonder Celery)."

    def add_arguments(self, parser):
        parser.add_argument("--loop", type=int, metavar="SECONDEN", default=0,
                            help="Blijf draaien en scan elke SECONDEN seconden opnieuw.")
        parser.add_argument("--weekoverzicht", "--digests", dest="digests", action="store_true",
                            help="Bepaal ook nu de weekoverzichten van deze week (anders alleen maandag vanaf 7 uur).")

    def handle(self, *args, loop=0, digests=False, **options):
        if loop < 0:
            raise CommandError("--loop moet een positief aantal seconden zijn.")
        while True:
            if not loop:
                self.run_once(digests=True if digests else None)
                return
            try:
                self.run_once(digests=True if digests else None)
            except emails.DATABASE_ERRORS as error:  # a restarting database: the next round catches up
                close_old_connections()
                self.stderr.write(f"Database niet bereikbaar ({error}); volgende ronde over {loop} s.")
            time.sleep(loop)

    def run_once(self, digests=None):
        result = reminders.scan(digests=digests)
        # No worker here: deliver everything still unsent, new and left over, right away.
        ids = sorted(set(result.new_ids) | set(reminders.pending_ids(older_than=timezone.timedelta(0))))
        outcome = {}
        connection = get_connection()
        try:
            for reminder_id in ids:
                try:
                    status = emails.deliver(reminder_id, connection)
                except emails.NotMarked as not_marked:
                    status = self.mark_when_back(not_marked)
                except Exception as exc:  # noqa: BLE001 - logged on the row; the next run retries
                    status = "mislukt"
                    self.stderr.write(f"Herinnering {reminder_id} niet verstuurd: {exc}")
                outcome[status] = outcome.get(status, 0) + 1
        finally:
            connection.close()
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())) or "niets te versturen"
        self.stdout.write(f"{timezone.localtime():%d-%m-%Y %H:%M} herinneringen: {result}; {summary}")
        return outcome

    def mark_when_back(self, not_marked):
        """Sent, but the database was away for the mark: keep trying the mark (never the send) while the claim
        holds, so no other delivery sends it again."""
        deadline = time.monotonic() + emails.claim_timeout().total_seconds()
        while time.monotonic() < deadline:
            time.sleep(10)
            close_old_connections()
            try:
                return emails.deliver(not_marked.reminder_id, sent_message_id=not_marked.message_id)
            except emails.NotMarked:
                continue
        self.stderr.write(f"{not_marked}; de database bleef weg.")
        return "verstuurd, niet vastgelegd"
