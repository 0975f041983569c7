from django import template
from django.utils.html import format_html

from actieplan import formats, submissions

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
