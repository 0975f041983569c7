"""Hooks the progress page (voortgang, issue 12) fills in; until it exists they return nothing.

The progress summary block (actieplan/blocks.py) shows the praatclub index and links to the full
progress page through these two functions only, so wiring the progress page in is a change here.
"""


def praatclub_index(partnership, user):
    """The partnership's praatclub index as a fraction 0–1, or None while the progress page does not exist."""
    return None


def progress_page_url(partnership, user):
    """The URL of the partnership's progress page for ``user``, or "" (no link) while it does not exist."""
    return ""
