"""What works spreads: on a good practice's public page, the experiences of the partnerships that took it up.

An experience is the closing note of a done action linked to the practice (the note written when it was set to
"afgerond"), shown only for partnerships whose procesbewaker chose to share them (``Partnership.share_experiences``),
and never of an archived partnership. It reads "een samenwerkingsverband in <provincie>" unless the partnership chose
to be named (``experiences_named``): then its name and the action's title. Nothing else of the action leaves the
plan: no owner, deadline, description or other note, no link into the plan; only the month it was done.

The page is public, so :func:`shared_experiences` returns plain dicts of exactly those fields (the template cannot
reach anything else), cached through ``actieplan.caching`` under :data:`CACHE_NAME`, which every saved action, note,
partnership and link bumps (``good_practices/apps.py``).
"""

from django.db.models import Max
from django.utils.translation import gettext as _

from actieplan import caching
from actieplan.actions.models import ActionStatus, ActionUpdate, done_q
from actieplan.partnerships.models import Province

CACHE_NAME = "experiences"


def who(partnership_name, province, named):
    """How a shared experience names its partnership."""
    if named:
        return partnership_name
    label = dict(Province.choices).get(province)
    if label:
        return _("een samenwerkingsverband in %(province)s") % {"province": label}
    return _("een samenwerkingsverband")


def _compute(page_id):
    # The last closing note of each action linked to the practice that is done now (an action re-opened and done
    # again wrote a later one), of the partnerships that share their experiences.
    closing = ActionUpdate.objects.filter(
        done_q("action__"), action__linked_pages=page_id, new_status=ActionStatus.AFGEROND,
        action__partnership__share_experiences=True, action__partnership__archived=False)
    last = closing.order_by().values("action_id").annotate(last=Max("pk")).values_list("last", flat=True)
    rows = (ActionUpdate.objects.filter(pk__in=list(last)).exclude(note="")
            .order_by("-created_at", "-pk")
            .values_list("note", "created_at", "action__title", "action__partnership__name",
                         "action__partnership__province", "action__partnership__experiences_named"))
    return [{"who": who(name, province, named), "title": title if named else "", "note": note.strip(),
             "month": created_at}
            for note, created_at, title, name, province, named in rows if note.strip()]


def shared_experiences(page):
    """The shared experiences of ``page`` (a good practice), newest first: ``who``, ``title`` (only when named),
    ``note`` and ``month`` (a datetime; show it as month and year)."""
    if page.pk is None:  # the preview of a page not saved yet: nothing links to it
        return []
    return caching.get_or_compute(CACHE_NAME, ("shared", page.pk), lambda: _compute(page.pk))
