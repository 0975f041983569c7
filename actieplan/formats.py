"""How the apps write people, dates and moments: the one place for each.

Dates: Dutch month names in lower case ("21 mei 2025"); "j F Y", not "j M Y", because Django title-cases the
short month names ("Mei"). People: their full name, else their username, and "verwijderde gebruiker" for an
account that no longer exists (a note's author, a meeting's chair).
"""

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext


def day_label(value):
    """A date as "21 mei 2025", or "" without one."""
    return format_date(value, "j F Y") if value else ""


def moment_label(value):
    """An aware datetime in local time as "21 mei 2025, 14:03", or "—" without one."""
    return format_date(timezone.localtime(value), "j F Y, H:i") if value else "—"


def name_from_parts(first_name, last_name, username):
    """A person's name from the three columns (for ``.values()`` rows): full name (as Django's
    ``get_full_name`` joins it), else the username."""
    return f"{first_name or ''} {last_name or ''}".strip() or username


def name_columns(prefix):
    """The three columns :func:`name_from_parts` takes, for ``.values("owner__first_name", …)`` under ``prefix``."""
    return (f"{prefix}__first_name", f"{prefix}__last_name", f"{prefix}__username")


def name_from_row(row, prefix):
    """The name of the person under ``prefix`` in a ``.values()`` dict."""
    return name_from_parts(*(row[column] for column in name_columns(prefix)))


def person_name(user):
    """How the apps name a person everywhere: full name, else username; a deleted account says so."""
    if user is None:
        return gettext("verwijderde gebruiker")
    return name_from_parts(getattr(user, "first_name", ""), getattr(user, "last_name", ""), user.get_username())
