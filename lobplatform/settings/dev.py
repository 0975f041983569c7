"""The embedded default: SQLite, console email, Celery eager unless REDIS_URL is set."""

from lobplatform.settings.base import *  # noqa: F401,F403
from lobplatform.settings.base import env_bool
import os

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-lob-platform-not-for-production"

# The Dutch 404 page also while DEBUG is on (Django's own debug 404 is English).
MIDDLEWARE = [*MIDDLEWARE, "lobplatform.middleware.DutchNotFoundMiddleware"]  # noqa: F405
