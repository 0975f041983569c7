"""Settings shared by every runtime shape; everything that differs comes from the environment.

See the configuration table in README.md.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from actieplan.conf import DEFAULTS, from_environment
from lobplatform.logs import logging_config

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# regio2.localhost: the demo's second region has its own Wagtail site there (lobplatform/demo/region2.py).
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,regio2.localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lobplatform.home",
    "actieplan",
    "good_practices",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "health_check",
    "axes",
]

MIDDLEWARE = [
    # First: every log line of the request carries its id (lobplatform/logs.py).
    "lobplatform.logs.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "lobplatform.middleware.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lobplatform.security.SecurityHeadersMiddleware",
    # A full or read-only media volume, or a database that is restarting: a Dutch message instead of a 500.
    "lobplatform.storage.StorageErrorMiddleware",
    "lobplatform.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the Dutch lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lobplatform.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "lobplatform.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT off: the site asks many short queries, and PostgreSQL would compile some of them for longer than
# they run (the cold Voortgang page at 400,000 actions: 60 ms of compiling for 13 ms of work, benchmarks/national.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
# PostgreSQL connections pooled per process (Django's psycopg pool, psycopg[pool]) when DB_POOL_MAX_SIZE is set:
# each gunicorn worker and Celery process keeps DB_POOL_MIN_SIZE..DB_POOL_MAX_SIZE connections open and a request
# waits at most DB_POOL_TIMEOUT seconds for one. The pool replaces persistent connections (DB_CONN_MAX_AGE).
# Sizing: README, "More than one machine".
DB_POOL_MAX_SIZE = int(os.environ.get("DB_POOL_MAX_SIZE", "0") or 0)
if DB_POOL_MAX_SIZE and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(int(os.environ.get("DB_POOL_MIN_SIZE", "1")), DB_POOL_MAX_SIZE),
        "max_size": DB_POOL_MAX_SIZE,
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "actieplan:after_login"  # members land on their action plan
# Private pages (the Voortgang page) send visitors to the same Dutch login as the rest of the site.
WAGTAIL_FRONTEND_LOGIN_URL = "/inloggen/"
LOGOUT_REDIRECT_URL = "/"

# Dutch first: the whole user interface, the Wagtail admin included.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands"))]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads are saved whole or not at all, with a Dutch message when the volume is full or read-only (storage.py).
STORAGES = {
    "default": {"BACKEND": "lobplatform.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A query string is a filter someone clicked, never kilobytes long: longer ones get a 400 (lobplatform.middleware,
# LOB_MAX_QUERY_STRING and LOB_MAX_QUERY_FIELDS below).

# Email: console by default, SMTP when EMAIL_HOST is set (the mail catcher in docker compose).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "LOB-platform <noreply@lob-platform.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "LOB-platform"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Dutch stemming for PostgreSQL full text (SQLite ignores it); after changing it run `manage.py update_index`.
# Wagtail's database backend; on SQLite with queries no input can break (lobplatform/search_backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "lobplatform.search_backend", "SEARCH_CONFIG": "dutch"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_USER_LOGIN_FORM = "lobplatform.admin_forms.LoginForm"
# No avatars from gravatar.com: the admin loads nothing from outside (privacy, and CSP); initials instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Celery: Redis as broker when REDIS_URL is set; without it, tasks run in-process (eager).
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"

# One cache that every worker shares: Redis when configured, else local memory (one process, as the embedded
# default runs). Fragment caches and versioned keys live here. Redis is an accelerator: lobplatform/cache.py turns
# every call it cannot make into a miss (pages are computed, slower), and the short timeouts keep a Redis that
# does not answer from holding a request up.
CACHES = {
    "default": (
        {"BACKEND": "lobplatform.cache.ResilientRedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "lob",
         "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
        if REDIS_URL
        # Without Redis each process keeps its own cache. Django's default of 300 entries is full after some
        # thirty people (their plan, counts and fragments): with 400 people it threw away what the next request
        # needed, and pages took 75 ms instead of 40 (benchmarks/load.py --landelijk).
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "lob",
              "OPTIONS": {"MAX_ENTRIES": 10_000}}
    ),
}
# The counters of the password-reset and reflection limits are rows in the database (actieplan/ratelimits.py):
# shared by every worker, with or without Redis, never per process.
# Sessions and login throttling live in the database (Django's and django-axes' defaults), never in Redis:
# a Redis restart logs nobody out and lets no throttled client through.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# acks_late needs a visibility timeout longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# Queuing a mail from a web request (.delay) while Redis is down fails within about a second instead of holding
# the request up; the reminder row stays unsent in the database and is offered again (LOB_REMINDER_OFFER_MINUTES).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.2, "interval_step": 0.2, "interval_max": 0.5}

# Every LOB_ setting has its default and meaning in actieplan/conf.py (the README's table is made from it); the
# ones marked ``env`` there are read from environment variables of the same name here.
globals().update(from_environment(os.environ))
_lob = {**DEFAULTS, **from_environment(os.environ)}

# Beat records its ticks (actieplan.reminders.beat) and sends the heartbeat a worker answers: /health/ reads both.
CELERY_BEAT_SCHEDULER = "actieplan.reminders.beat:Scheduler"
CELERY_BEAT_SCHEDULE = {
    "hartslag": {
        "task": "actieplan.tasks.heartbeat",
        "schedule": _lob["LOB_HEARTBEAT_SECONDS"],
        "options": {"expires": _lob["LOB_HEARTBEAT_SECONDS"]},
    },
    "onverstuurde-herinneringen-opnieuw-aanbieden": {
        "task": "actieplan.tasks.offer_pending_reminders",
        "schedule": 60 * _lob["LOB_REMINDER_OFFER_MINUTES"],
        "options": {"expires": 60 * _lob["LOB_REMINDER_OFFER_MINUTES"]},
    },
    "herinneringen-scan-elk-uur": {
        "task": "actieplan.tasks.scan_reminders",
        "schedule": crontab(minute=5),
    },
    "weekoverzicht-maandag-0700": {
        "task": "actieplan.tasks.send_weekly_digests",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    "benchmark-maandag-0005": {
        "task": "actieplan.tasks.take_benchmark_snapshot",
        "schedule": crontab(hour=0, minute=5, day_of_week="mon"),
    },
    "bewaartermijnen-dagelijks-0330": {
        "task": "actieplan.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
}
# The library and the proeftuin overview sit under this site's home page.
LOB_INDEX_PARENT_PAGE_TYPES = ["home.HomePage"]

# One handler (the root's, on standard error); LOG_FORMAT "json" writes one JSON object per line with the request id,
# user id and path (production's default, lobplatform/logs.py), "plain" one readable line.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "plain"), os.environ.get("LOG_LEVEL", "INFO"))


def require_secret_key():
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY moet gezet zijn als DEBUG uit staat.")


def require_base_url(allowed_hosts):
    """The site's real address, the one setting every link in a mail, a feed and Wagtail's own mails is built
    from: required in production, an absolute http(s) address without a path, on a host the site answers to."""
    from urllib.parse import urlsplit

    value = os.environ.get("WAGTAILADMIN_BASE_URL", "").strip().rstrip("/")
    example = "bijvoorbeeld https://lob.example.nl"
    if not value:
        raise ImproperlyConfigured(
            f"WAGTAILADMIN_BASE_URL moet het echte adres van de site zijn ({example}): alle links in mails en "
            "agenda-feeds worden ermee gemaakt.")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ImproperlyConfigured(f"WAGTAILADMIN_BASE_URL '{value}' is geen adres zonder pad ({example}).")
    host = parts.hostname
    if "*" not in allowed_hosts and not any(
            host == allowed or (allowed.startswith(".") and (host.endswith(allowed) or host == allowed[1:]))
            for allowed in allowed_hosts):
        raise ImproperlyConfigured(
            f"WAGTAILADMIN_BASE_URL wijst naar '{host}', maar die naam staat niet in ALLOWED_HOSTS: links in mails "
            "zouden op een foutmelding uitkomen.")
    return value

# Demo content loaders, in dependency order (see lobplatform/demo/__init__.py).
LOB_DEMO_LOADERS = [
    "lobplatform.demo.site.load",
    "actieplan.partnerships.demo.load",  # regions, partnership, organisations, people in every role
    "good_practices.demo.load",  # Het delen waard, proeftuinen
    "actieplan.reflection.demo.load",  # three reflection sessions over two years
    "actieplan.actions.demo.load",  # ~30 actions with updates
    "actieplan.meetings.demo.load",  # three past meetings whose decisions became actions, one coming up
    "actieplan.progress.demo.load",  # the Voortgang page for the board, private to Bestuurders and Werkgroep
    "lobplatform.demo.region2.load",  # a second region, RMC-regio Rijnmond, with its own site at regio2.localhost
]


# --- login throttling, CSP, Permissions-Policy (lobplatform/security.py) ---------------------------
AUTHENTICATION_BACKENDS = [
    "lobplatform.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# One username from one address: a school behind one NAT address is not locked out by one pupil.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The real client behind a trusted proxy (LOB_TRUSTED_PROXIES), not the proxy every client shares.
AXES_CLIENT_IP_CALLABLE = "actieplan.clients.login_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "lobplatform.security.lockout_response"
AXES_VERBOSE = False
# Password-reset limits: LOB_PASSWORD_RESET_PER_ADDRESS, _PER_CLIENT and _WINDOW (actieplan/conf.py).
# (No avatars from gravatar.com, WAGTAIL_GRAVATAR_PROVIDER_URL above: the CSP stays 'self'.)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Wagtail's admin and our templates set style attributes; styles cannot run code.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        # The admin's live preview is a same-origin iframe; embeds in good practices come from video sites.
        "frame-src": ["'self'", "https://www.youtube-nocookie.com", "https://www.youtube.com",
                      "https://player.vimeo.com"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}
PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                      "microphone=(), payment=(), usb=(), browsing-topics=()")
