"""Wagtail finds the action plan's admin here: each capability's admin module registers its own viewsets,
permission policies, panels, reports, audit scopes and delete holders when it is imported."""

from actieplan.actions import admin as action_admin, services  # noqa: F401  (services: the audit-log actions)
from actieplan.meetings import admin as meeting_admin  # noqa: F401
from actieplan.progress import views as progress_views  # noqa: F401  (the Voortgang page's "no access" page)
from actieplan.partnerships import admin as partnership_admin, safe_delete  # noqa: F401
from actieplan.reflection import admin as reflection_admin  # noqa: F401
from actieplan.reminders import admin as reminder_admin  # noqa: F401
