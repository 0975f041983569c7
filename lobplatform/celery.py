"""The Celery app of the LOB-platform.

Configuration comes from Django settings under the ``CELERY_`` namespace (broker from
``REDIS_URL``, the beat schedule in ``CELERY_BEAT_SCHEDULE``); tasks are found in each app's
``tasks.py``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lobplatform.settings.dev")

app = Celery("lobplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
