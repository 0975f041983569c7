"""Dates and moments as the admin shows them: Dutch month names in lower case ("21 mei 2025").

"j F Y", not "j M Y": Django title-cases the short month names ("Mei").
"""

from django.utils import timezone
from django.utils.dateformat import format as format_date


def day_label(value):
    """A date as "21 mei 2025", or "" without one."""
    return format_date(value, "j F Y") if value else ""


def moment_label(value):
    """An aware datetime in local time as "21 mei 2025, 14:03", or "—" without one."""
    return format_date(timezone.localtime(value), "j F Y, H:i") if value else "—"
