# Each module registers its own viewsets, panels and reports with Wagtail's hooks.
from .admin import actions, reflection, reminders  # noqa: F401
