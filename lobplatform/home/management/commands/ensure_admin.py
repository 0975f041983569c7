import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from actieplan.conf import BY_NAME


class Command(BaseCommand):
    help = "Zorgt voor een beheerdersaccount en toont de inloggegevens (voor de lokale demo)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("LOB_ADMIN_USERNAME") or BY_NAME["LOB_ADMIN_USERNAME"].default)
        parser.add_argument("--email", default=os.environ.get("LOB_ADMIN_EMAIL") or BY_NAME["LOB_ADMIN_EMAIL"].default)

    def handle(self, *args, username, email, **options):
        # The password is made once and kept beside the database, so every start prints the same login.
        secret_file = Path(settings.BASE_DIR) / ".demo-admin-password"
        password = os.environ.get("LOB_ADMIN_PASSWORD")
        if not password:
            if secret_file.exists():
                password = secret_file.read_text().strip()
            else:
                password = secrets.token_urlsafe(12)
                secret_file.write_text(password + "\n")
                secret_file.chmod(0o600)
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "is_staff": True, "is_superuser": True,
                      "first_name": "Beheerder", "last_name": "LOB-platform"},
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(self.style.SUCCESS("\nLOB-platform draait op " + base + "/"))
        self.stdout.write(f"  Beheer (Wagtail):  {base}/admin/")
        self.stdout.write(f"  Gebruikersnaam:    {username}")
        self.stdout.write(f"  Wachtwoord:        {password}\n")
