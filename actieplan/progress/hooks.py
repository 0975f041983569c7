"""What the progress summary block (actieplan/blocks.py) takes from the Voortgang page (actieplan/progress.py).

The block shows the praatclub index exactly as the partnership's Voortgang page computes it (the same
``counts.praatclub_index`` with the page's own minimum age), and links to that page for those who may open it.
"""

from django.utils import timezone

from actieplan.actions import counts
from actieplan.progress.models import ProgressPage
from actieplan.partnerships.permissions import can_view_progress

#: Without a Voortgang page, the page model's default minimum age applies.
DEFAULT_MIN_AGE_DAYS = ProgressPage._meta.get_field("praatclub_min_age_days").default


def _page(partnership):
    return ProgressPage.objects.live().filter(partnership=partnership).order_by("pk").first()


def praatclub_index(partnership, actions):
    """The praatclub index over all quarters of ``actions`` (the block's, of this partnership), with the
    page's minimum age: a ``counts.QuarterIndex`` whose ``done_percent`` the Voortgang page shows too, or
    None when no action counts yet."""
    page = _page(partnership)
    min_age = page.praatclub_min_age_days if page is not None else DEFAULT_MIN_AGE_DAYS
    overall, _quarters = counts.praatclub_index(actions, timezone.localdate(), min_age)
    return overall if overall.agreed else None


def progress_page_url(partnership, user):
    """The URL of the partnership's Voortgang page when ``user`` may open it, else "" (no link)."""
    if not can_view_progress(user, partnership.pk):
        return ""
    page = _page(partnership)
    return page.url if page is not None else ""
