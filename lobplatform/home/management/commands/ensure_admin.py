"""Makes sure there is a platform admin account and says how to log in.

- Embedded default (DEBUG on, ``bin/run``): the password is generated once and kept beside the database in
  ``.demo-admin-password`` (git-ignored), so every start prints the same login.
- Production (DEBUG off, compose's ``web``): an existing account is never touched (its password is the
  admin's own); a missing one is created with ``LOB_ADMIN_PASSWORD`` or a generated password that is printed
  this once and stored nowhere.

A password that is published or guessable (the demo accounts' password, "admin", what Django's validators
refuse) is never used.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from actieplan.partnerships.demo import DEMO_PASSWORD

PUBLISHED = {DEMO_PASSWORD, "admin", "wagtail", "changeme", "password", "lob-platform"}


def check_password(password, user=None):
    """Refuse a published or weak password with a Dutch message (CommandError)."""
    if password.strip().lower() in PUBLISHED:
        raise CommandError("LOB_ADMIN_PASSWORD is een bekend (gepubliceerd) wachtwoord; kies een eigen, lang "
                           "wachtwoord of laat het leeg, dan wordt er een gemaakt.")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise CommandError("LOB_ADMIN_PASSWORD is niet sterk genoeg: " + " ".join(error.messages)) from error

from actieplan.conf import BY_NAME


class Command(BaseCommand):
    help = "Zorgt voor een beheerdersaccount en toont de inloggegevens (een gemaakt wachtwoord één keer)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("LOB_ADMIN_USERNAME") or BY_NAME["LOB_ADMIN_USERNAME"].default)
        parser.add_argument("--email", default=os.environ.get("LOB_ADMIN_EMAIL") or BY_NAME["LOB_ADMIN_EMAIL"].default)

    def handle(self, *args, username, email, **options):
        chosen = os.environ.get("LOB_ADMIN_PASSWORD", "")
        if chosen:
            check_password(chosen)
        if settings.DEBUG:
            return self._embedded(username, email, chosen)
        return self._production(username, email, chosen)

    def _embedded(self, username, email, chosen):
        # The password is made once and kept beside the database, so every start prints the same login.
        secret_file = Path(settings.BASE_DIR) / ".demo-admin-password"
        password = chosen
        if not password:
            if secret_file.exists():
                password = secret_file.read_text().strip()
            else:
                password = secrets.token_urlsafe(12)
                secret_file.write_text(password + "\n")
                secret_file.chmod(0o600)
        user, created = self._account(username, email)
        if created or not user.check_password(password):
            user.set_password(password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
        self._print(username, password)

    def _production(self, username, email, chosen):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            # Never reset a real admin's password at a restart; a lost one is reset with changepassword.
            self.stdout.write(f"Beheerdersaccount '{username}' bestaat al; het wachtwoord is niet gewijzigd "
                              f"(vergeten: python manage.py changepassword {username}).")
            return
        password = chosen or secrets.token_urlsafe(18)
        user, _created = self._account(username, email)
        user.set_password(password)
        user.save()
        if chosen:
            self._print(username, "(uit LOB_ADMIN_PASSWORD)")
        else:
            self._print(username, password)
            self.stdout.write("  Dit wachtwoord wordt niet bewaard en niet nog eens getoond: noteer het nu, of "
                              "wijzig het na het inloggen.")

    def _account(self, username, email):
        return get_user_model().objects.get_or_create(
            username=username,
            defaults={"email": email, "is_staff": True, "is_superuser": True, "is_active": True,
                      "first_name": "Beheerder", "last_name": "LOB-platform"},
        )

    def _print(self, username, password):
        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(self.style.SUCCESS("\nLOB-platform draait op " + base + "/"))
        self.stdout.write(f"  Beheer (Wagtail):  {base}/admin/")
        self.stdout.write(f"  Gebruikersnaam:    {username}")
        self.stdout.write(f"  Wachtwoord:        {password}\n")
