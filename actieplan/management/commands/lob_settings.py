"""Print the table of every LOB_ setting (the README's table is this output)."""

from django.core.management.base import BaseCommand

from actieplan.conf import markdown_table


class Command(BaseCommand):
    help = "Toont de tabel met alle LOB_-instellingen, hun standaardwaarde en betekenis (zoals in de README)."

    def handle(self, *args, **options):
        self.stdout.write(markdown_table(), ending="")
