"""Every ``LOB_`` setting of the platform, in one place: its default, what it does, and whether the reference site
reads it from the environment.

A site that adds ``actieplan`` to its own Wagtail project sets only what it wants to change;
``from actieplan.conf import app_settings`` reads the site's value or the default below. The reference site
(``lobplatform/settings/base.py``) takes each ``env`` setting from an environment variable of the same name
(:func:`from_environment`), and the README's table of settings is :func:`markdown_table` (``manage.py
lob_settings`` prints it; a test checks that the README holds exactly that table and that no ``LOB_`` name in the
code is missing here).
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Setting:
    """One ``LOB_`` setting. ``env``: the reference site reads it from the environment variable of the same name;
    ``django``: a Django setting (False: only an environment variable, read by a management command)."""

    name: str
    default: object
    meaning: str
    env: bool = True
    django: bool = True
    shown_default: str = ""  # how the README writes a default that is computed
    items: type = int  # the type of each entry of a list setting

    def parse(self, text):
        """The value of environment variable text, of the default's type."""
        if isinstance(self.default, bool):
            return text.strip().lower() in {"1", "true", "yes", "on", "ja"}
        if isinstance(self.default, list):
            return [self.items(part.strip()) for part in text.replace(";", ",").split(",") if part.strip()]
        if isinstance(self.default, int):
            return int(text)
        if isinstance(self.default, float):
            return float(text)
        return text

    def default_text(self):
        if self.shown_default:
            return self.shown_default
        if isinstance(self.default, list):
            return ",".join(str(v) for v in self.default) if self.default else "(empty)"
        if isinstance(self.default, float):
            return f"{self.default:g}"
        if self.default in (None, ""):
            return "(empty)"
        return str(self.default)


SETTINGS = [
    # Reminders (actieplan/reminders/)
    Setting("LOB_REMINDER_DAYS_BEFORE", [7, 1], "reminders this many days before a deadline (each person may "
            "choose their own under *Herinneringen instellen*)"),
    Setting("LOB_ESCALATION_AFTER_DAYS", 14, "escalate an overdue action to the next mandate level and the "
            "procesbewaker after this many days"),
    Setting("LOB_CHECKIN_DAYS_BEFORE", 3, "owners of open actions get the check-in mail this many days before a "
            "meeting"),
    Setting("LOB_UPDATE_LINK_MAX_AGE_DAYS", 30, "days the personal update link in a reminder works"),
    Setting("LOB_REMINDER_REQUEUE_AFTER_MINUTES", 10, "a decided but unsent reminder is queued again once this old "
            "(its first delivery was lost: worker killed, Redis down)"),
    Setting("LOB_REMINDER_RESEND_WINDOW_HOURS", 48, "unsent reminders older than this are no longer sent (they "
            "stay in the log) rather than arriving days late"),
    Setting("LOB_DIGEST_CATCH_UP_HOURS", 48, "the hourly scan still decides this week's digest up to this many "
            "hours after Monday 07:00, should the Monday task not have run; 0: only the Monday task does"),
    Setting("LOB_REMINDER_CLAIM_MINUTES", 15.0, "a delivery claims its reminder this long before another may "
            "try; longer than any send takes"),
    Setting("LOB_REMINDER_OFFER_MINUTES", 5, "beat queues unsent reminders again this often (mails that could not "
            "be queued while Redis was down)"),
    Setting("LOB_HEARTBEAT_SECONDS", 60, "beat sends a heartbeat task this often; `/health/` reports a worker or "
            "beat silent for two intervals"),
    # Retention (manage.py apply_retention)
    Setting("LOB_REMINDER_LOG_RETENTION_DAYS", 730, "`apply_retention` removes reminder log rows older than this "
            "(never an escalation of an action that is still open)"),
    Setting("LOB_IMPORT_RECEIPT_RETENTION_DAYS", 365, "`apply_retention` removes import receipts older than this"),
    # Pages and blocks
    Setting("LOB_BLOCK_CACHE_SECONDS", 300, "how long a rendered action-plan block is kept in the cache"),
    Setting("LOB_BASE_URL", None, "absolute links in mails and calendar feeds", shown_default="`WAGTAILADMIN_BASE_URL`"),
    Setting("LOB_SITE_NAME", None, "the platform's name in mails", shown_default="`WAGTAIL_SITE_NAME`"),
    Setting("LOB_INDEX_PARENT_PAGE_TYPES", None, "where the library and the proeftuin overview may be created "
            "(this site: `[\"home.HomePage\"]`)", env=False, shown_default="under any page"),
    Setting("LOB_ADMIN_MENU_LABEL", None, "the one admin menu entry under which the apps' menus fold",
            shown_default="`LOB-platform`"),
    # Reflection
    Setting("LOB_REFLECTION_SUBMISSIONS_PER_CLIENT", 40, "answer sets one client address may send to one session "
            "per window (generous: a class behind one school address must fit; the expected number of participants "
            "and personal codes are what bound a session)"),
    Setting("LOB_REFLECTION_RATE_WINDOW_SECONDS", 900, "the window of that limit"),
    # Who the client is (actieplan/clients.py): login lockout, password-reset and reflection limits
    Setting("LOB_TRUSTED_PROXIES", [], "addresses or networks of the proxies whose `X-Forwarded-For` is believed "
            "(e.g. `127.0.0.1,10.0.0.0/8`); empty: the connecting address is the client", items=str),
    # The reference site (lobplatform)
    Setting("LOB_PASSWORD_RESET_PER_ADDRESS", 3, "password-reset mails per address per window"),
    Setting("LOB_PASSWORD_RESET_PER_CLIENT", 10, "password-reset requests per client address per window"),
    Setting("LOB_PASSWORD_RESET_WINDOW", 3600, "the window of both limits, in seconds"),
    Setting("LOB_MAX_QUERY_STRING", 8192, "longer query strings get a Dutch 400 page"),
    Setting("LOB_MAX_QUERY_FIELDS", 1000, "query strings with more parameters get a Dutch 400 page"),
    Setting("LOB_DEMO_LOADERS", [], "the demo content loaders `load_demo_content` runs, in order (this site: "
            "`lobplatform/settings/base.py`)", env=False),
    Setting("LOB_ADMIN_USERNAME", "admin", "the account `ensure_admin` creates", django=False),
    Setting("LOB_ADMIN_PASSWORD", "", "its password", django=False,
            shown_default="generated once, kept in `.demo-admin-password`"),
    Setting("LOB_ADMIN_EMAIL", "admin@lob-platform.localhost", "its address", django=False),
]

BY_NAME = {setting.name: setting for setting in SETTINGS}
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


class AppSettings:
    """Attribute access to the ``LOB_`` settings: the project's value, else the default."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        value = getattr(settings, name, DEFAULTS[name])
        if name == "LOB_BASE_URL" and not value:
            value = getattr(settings, "WAGTAILADMIN_BASE_URL", "http://localhost:8000")
        if name == "LOB_ADMIN_MENU_LABEL" and not value:
            value = _("LOB platform")
        if name == "LOB_SITE_NAME" and not value:
            value = getattr(settings, "WAGTAIL_SITE_NAME", "LOB-platform")
        return value


app_settings = AppSettings()


def from_environment(environ):
    """``{name: value}`` for every Django ``LOB_`` setting read from the environment that ``environ`` sets (a
    settings module does ``globals().update(from_environment(os.environ))``)."""
    return {s.name: s.parse(environ[s.name]) for s in SETTINGS
            if s.env and s.django and environ.get(s.name, "") != ""}


def markdown_table():
    """The README's table of every ``LOB_`` setting."""
    lines = ["| setting | default | environment | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        default = s.default_text()
        if not default.startswith(("`", "(", "under", "generated")):
            default = f"`{default}`"
        where = "yes" if s.env else "no (settings file)"
        if not s.django:
            where = "yes (only there)"
        lines.append(f"| `{s.name}` | {default} | {where} | {s.meaning} |")
    return "\n".join(lines) + "\n"
