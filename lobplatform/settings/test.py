"""Settings for the test suite: DATABASE_URL is set by tests/run.py (PostgreSQL) or defaults to SQLite."""

import os

from lobplatform.settings.base import *  # noqa: F401,F403
from lobplatform.settings.base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key-lob-platform"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "lobplatform.storage.SafeFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".test-media"
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "1") == "1"
WAGTAILADMIN_BASE_URL = "http://testserver"
