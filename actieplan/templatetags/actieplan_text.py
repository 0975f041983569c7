import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from actieplan import formats, submissions
from actieplan.search import text

register = template.Library()


@register.filter
def break_after_slash(value):
    """``value`` with a line-break opportunity after each slash (a zero-width space: text, no markup), so in a
    narrow card "management/projectleiding" wraps after the slash instead of inside a word."""
    return str(value).replace("/", "/\u200b")


@register.filter
def person_name(user):
    """``{{ action.owner|person_name }}``: see :func:`actieplan.formats.person_name`."""
    return formats.person_name(user)


@register.simple_tag
def one_time_key():
    """A hidden one-time key for a creating form rendered outside a Django form (``actieplan.submissions``)."""
    return format_html('<input type="hidden" name="{}" value="{}">', submissions.FIELD, submissions.new_key())


@register.filter
def highlight(value, terms):
    """``value`` escaped, with every occurrence of one of ``terms`` (search stems) wrapped in ``<mark>``.

    The text is split on the terms first and every piece escaped on its own, so a term never
    matches inside an entity (``&amp;``) and nothing in ``value`` can become markup.
    """
    value = "" if value is None else str(value)
    terms = sorted({t for t in (terms or ()) if t}, key=len, reverse=True)
    if not terms:
        return escape(value)
    pattern = re.compile("(" + "|".join(re.escape(t) for t in terms) + ")", re.IGNORECASE)
    pieces = pattern.split(value)
    return mark_safe("".join(
        f"<mark>{escape(piece)}</mark>" if i % 2 else escape(piece) for i, piece in enumerate(pieces)
    ))


@register.filter
def excerpt(value, terms):
    """About 240 characters of ``value`` around the first search term (see :func:`actieplan.search.text.excerpt`);
    chain ``|highlight:terms`` after it."""
    return text.excerpt(value, terms)


@register.filter
def datum(value):
    """``{{ action.deadline|datum }}``: the one date format, "21 mei 2025" (see :func:`actieplan.formats.day_label`)."""
    return formats.day_label(value)


@register.simple_tag
def deadline_change(update):
    """``{% deadline_change update %}``: "deadline van 3 maart 2026 naar 10 april 2026" for a note that moved it."""
    if not (getattr(update, "previous_deadline", None) and getattr(update, "new_deadline", None)):
        return ""
    return formats.deadline_change_label(update.previous_deadline, update.new_deadline)
