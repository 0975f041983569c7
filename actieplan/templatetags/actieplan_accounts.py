from django import template

from actieplan.accounts import login_url as site_login_url

register = template.Library()


@register.simple_tag
def login_url():
    """``{% login_url as url %}``: the site's login page, or the apps' own (see :mod:`actieplan.accounts`)."""
    return site_login_url()
