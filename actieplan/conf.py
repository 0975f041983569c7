"""The action plan's settings, each with a default, all under the prefix ``LOB_``.

A site that adds ``actieplan`` to its own Wagtail project sets only what it wants to change;
``from actieplan.conf import app_settings`` reads the site's value or the default below.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULTS = {
    # Reminders (actieplan/reminders.py)
    "LOB_REMINDER_DAYS_BEFORE": [7, 1],
    "LOB_ESCALATION_AFTER_DAYS": 14,
    "LOB_REMINDER_REQUEUE_AFTER_MINUTES": 10,
    "LOB_REMINDER_RESEND_WINDOW_HOURS": 48,
    "LOB_UPDATE_LINK_MAX_AGE_DAYS": 30,
    "LOB_CHECKIN_DAYS_BEFORE": 3,
    # StreamField blocks (actieplan/blocks.py): how long a rendered block is kept in the cache.
    "LOB_BLOCK_CACHE_SECONDS": 300,
    # Absolute links in emails and calendar feeds; falls back to Wagtail's own setting.
    "LOB_BASE_URL": None,
    "LOB_SITE_NAME": None,
    # good_practices: where the library and the proeftuin overview may be created (None: under any page).
    "LOB_INDEX_PARENT_PAGE_TYPES": None,
    # The one admin menu entry under which the apps' menus fold (None: "LOB-platform").
    "LOB_ADMIN_MENU_LABEL": None,
}


class AppSettings:
    """Attribute access to the ``LOB_`` settings: the project's value, else the default."""

    def __getattr__(self, name):
        if name not in DEFAULTS:
            raise AttributeError(name)
        value = getattr(settings, name, DEFAULTS[name])
        if name == "LOB_BASE_URL" and not value:
            value = getattr(settings, "WAGTAILADMIN_BASE_URL", "http://localhost:8000")
        if name == "LOB_ADMIN_MENU_LABEL" and not value:
            value = _("LOB-platform")
        if name == "LOB_SITE_NAME" and not value:
            value = getattr(settings, "WAGTAIL_SITE_NAME", "LOB-platform")
        return value


app_settings = AppSettings()
