"""Template filters of Het delen waard: the search highlight is the plan search's (one implementation)."""

from django import template

from actieplan.templatetags.actieplan_text import highlight

register = template.Library()
register.filter("highlight", highlight)
