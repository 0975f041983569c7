# Each module registers its own viewsets, panels and reports with Wagtail's hooks.
from .admin import actions, reflection, reminders  # noqa: F401
from .admin import meetings  # noqa: F401,E402  (the Overleg viewset; registers the meeting log actions)
from . import services  # noqa: F401,E402  (registers the "actieplan.update" audit-log action)
from .admin import audit, safe_delete  # noqa: F401,E402  (scoped choosers/history; refuse delete, offer archive)

# Choosers and the site history of the partnership-bound models show only what the listings show.
audit.register_default_scopes()
