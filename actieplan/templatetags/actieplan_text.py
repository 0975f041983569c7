from django import template

from actieplan import formats

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
