"""How the apps write people, dates and moments: the one place for each.

Dates: one format everywhere, Dutch month names in lower case ("21 mei 2025"); "j F Y", never "j M Y", because
Django title-cases the short month names ("Mei", "Mrt"). Templates use ``|datum`` (``actieplan_text``) or
``|date:"j F Y"``; Python uses :func:`day_label`. A deadline change is written by :func:`deadline_change_label`
("deadline van 3 maart 2026 naar 10 april 2026"), on the timeline, the agenda, the exports and the PDFs alike.
People: their full name, else their username, and "verwijderde gebruiker" for an account that no longer exists (a
note's author, a meeting's chair). PDFs: :func:`without_emoji`, as their fonts have no emoji. A name that must be
unique (a slug, a username) that is taken gets a number: :func:`first_free` ("regio-noord", "regio-noord-2", …).
"""

import re

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext


def day_label(value):
    """A date as "21 mei 2025", or "" without one."""
    return format_date(value, "j F Y") if value else ""


def deadline_change_label(old, new):
    """A deadline change as people read it: "deadline van 3 maart 2026 naar 10 april 2026"."""
    return gettext("deadline from %(old)s to %(new)s") % {"old": day_label(old), "new": day_label(new)}


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
        return gettext("deleted user")
    return name_from_parts(getattr(user, "first_name", ""), getattr(user, "last_name", ""), user.get_username())


#: Emoji and their joiners, variation selectors and tags: the PDF fonts (DejaVu) have no glyphs for them, so a
#: PDF would print an empty box. Symbols DejaVu does have (✓, ☐, →, €) are kept.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\U0001FC00-\U0001FFFD\u2B50\u2B55\u231A\u231B\u23E9-\u23F3"
                    "\u23F8-\u23FA\uFE0E\uFE0F\u200D\U000E0020-\U000E007F]")


def without_emoji(text):
    """``text`` without the emoji a PDF cannot draw (a note "Klaar! 🎉" prints as "Klaar! ")."""
    return _EMOJI.sub("", text)


def first_free(base, is_taken):
    """``base`` when ``is_taken(base)`` is false, else the first of ``base-2``, ``base-3``, … that is free."""
    candidate, n = base, 1
    while is_taken(candidate):
        n += 1
        candidate = f"{base}-{n}"
    return candidate

