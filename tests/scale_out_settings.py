"""The settings of tests/test_scale_out.py's web processes, workers and beats: the site's own (``dev`` with DEBUG
off, like the benchmarks), with beat's hourly reminder scan every few seconds, so two beats send many scans while
the test watches instead of one an hour."""

import os

from lobplatform.settings.dev import *  # noqa: F401,F403
from lobplatform.settings.dev import CELERY_BEAT_SCHEDULE

CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "herinneringen-scan-elk-uur": {"task": "actieplan.tasks.scan_reminders",
                                   "schedule": float(os.environ.get("SCALE_OUT_SCAN_SECONDS", "2"))},
}
