"""Production: everything from the environment; refuses to start without SECRET_KEY or the site's real address."""

import os

from lobplatform.settings.base import *  # noqa: F401,F403
from lobplatform.logs import logging_config
from lobplatform.settings.base import MIDDLEWARE, env_bool, env_list, require_base_url, require_secret_key

DEBUG = env_bool("DEBUG", False)
require_secret_key()

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# The compose healthcheck and load balancers ask /health/ over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/(web/)?$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview shows the page in a same-origin iframe; DENY would break it, so the
# deploy check's advice (W019) is knowingly not followed.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost")
# Every link in a mail or feed (reminders, minutes, Wagtail's moderation mails) comes from this one address.
WAGTAILADMIN_BASE_URL = require_base_url(ALLOWED_HOSTS)

# WhiteNoise serves the collected static files (collectstatic runs when the image is built).
MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
                  "whitenoise.middleware.WhiteNoiseMiddleware")
STORAGES = {
    "default": {"BACKEND": "lobplatform.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Logs: one JSON object per line (request id, user id, path; the task in a worker), unless LOG_FORMAT=plain. The
# worker and beat log through the same handler instead of Celery's own.
LOGGING = logging_config(os.environ.get("LOG_FORMAT", "json"), os.environ.get("LOG_LEVEL", "INFO"))
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
