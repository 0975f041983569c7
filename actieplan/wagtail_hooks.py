# Each module registers its own viewsets, panels and reports with Wagtail's hooks.
from actieplan.actions import admin as actions
from actieplan.reflection import admin as reflection
from actieplan.reminders import admin as reminders  # noqa: F401
from actieplan.meetings import (  # noqa: F401,E402  (the Overleg viewset; registers the meeting log actions)
    admin as meetings,
)
from actieplan.actions import services  # noqa: F401,E402  (registers the "actieplan.update" audit-log action)
from actieplan.partnerships import audit, safe_delete

# Choosers and the site history of the partnership-bound models show only what the listings show.
audit.register_default_scopes()
