"""Template filters of Het delen waard."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, terms):
    """``text`` escaped, with every occurrence of one of ``terms`` (search stems) wrapped in ``<mark>``.

    The text is split on the terms first and every piece escaped on its own, so a term never
    matches inside an entity (``&amp;``) and nothing in ``text`` can become markup.
    """
    text = "" if text is None else str(text)
    terms = sorted({t for t in (terms or ()) if t}, key=len, reverse=True)
    if not terms:
        return escape(text)
    pattern = re.compile("(" + "|".join(re.escape(t) for t in terms) + ")", re.IGNORECASE)
    pieces = pattern.split(text)
    return mark_safe("".join(
        f"<mark>{escape(piece)}</mark>" if i % 2 else escape(piece) for i, piece in enumerate(pieces)
    ))
