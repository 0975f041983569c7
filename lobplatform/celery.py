"""The Celery app of the LOB-platform.

Configuration comes from Django settings under the ``CELERY_`` namespace (broker from
``REDIS_URL``, the beat schedule in ``CELERY_BEAT_SCHEDULE``); tasks are found in each app's
``tasks.py``.
"""

import os

from celery import Celery

# The same default as the WSGI application (lobplatform/wsgi.py): a worker or beat started without
# DJANGO_SETTINGS_MODULE runs with production's settings (DEBUG off, SECRET_KEY required), never the dev ones.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lobplatform.settings.production")

app = Celery("lobplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
