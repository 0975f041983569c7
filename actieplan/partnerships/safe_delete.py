"""Nothing of the plan is lost silently: a partnership or organisation that still holds actions, a timeline,
reflection sessions or meetings cannot be deleted.

The database refuses it too (``on_delete=PROTECT``); here the admin says in Dutch what holds it, on the
delete page and in the bulk delete, and offers to archive instead: an archived partnership leaves the lists
and the reminders and keeps its history; an archived organisation is no longer offered for new actions and
memberships, and what names it keeps it.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy

from actieplan.partnerships.models import Organisation, Partnership
from actieplan.overrides import template_names

ARCHIVE_LOG_ACTION = "actieplan.gearchiveerd"


_holders = []


def register_holder(model, count, singular, plural):
    """Declare that ``count(obj)`` things (named ``singular`` / ``plural``, with ``%(n)d``) keep an object of
    ``model`` from being deleted; each capability registers what it keeps for a partnership or organisation."""
    _holders.append((model, count, singular, plural))


def holders(obj):
    """What keeps ``obj`` from being deleted, as Dutch phrases ("3 acties", …); empty when nothing does."""
    counts = [(count(obj), singular, plural) for model, count, singular, plural in _holders if isinstance(obj, model)]
    return [ngettext(singular, plural, n) % {"n": n} for n, singular, plural in counts if n]


@hooks.register("before_delete_snippet")
def refuse_deleting_what_holds_history(request, instances):
    """Single and bulk delete of partnerships and organisations: explain instead of deleting (GET and POST)."""
    refused = [{"object": obj, "holders": holders(obj), "is_partnership": isinstance(obj, Partnership),
                "archive_url": reverse(archive_url_name(type(obj)), args=[obj.pk])}
               for obj in instances if type(obj) in ARCHIVED_MESSAGES]
    refused = [row for row in refused if row["holders"]]
    if not refused:
        return None
    return TemplateResponse(request, template_names("actieplan/partnerships/admin/delete_refused.html"), {"refused": refused}, status=200)


#: What can be archived instead of deleted, with what the admin says after archiving it.
ARCHIVED_MESSAGES = {
    Partnership: _lazy("%(name)s is gearchiveerd. Acties, tijdlijn en sessies blijven bewaard."),
    Organisation: _lazy("%(name)s is gearchiveerd: geen keuze meer bij nieuwe acties en lidmaatschappen. "
                        "Acties en lidmaatschappen die de organisatie noemen, blijven bewaard."),
}


def archive_url_name(model):
    return f"actieplan_archive_{model._meta.model_name}"


@require_POST
def archive(request, model, pk):
    """Archive instead of delete: what the partnership or organisation holds stays; it leaves the lists."""
    obj = get_object_or_404(model, pk=pk)
    if not ModelPermissionPolicy(model).user_has_permission(request.user, "change"):
        raise PermissionDenied
    if not obj.archived:
        obj.archived = True
        obj.save(update_fields=["archived"])
        log(instance=obj, action=ARCHIVE_LOG_ACTION, user=request.user)
    messages.success(request, ARCHIVED_MESSAGES[model] % {"name": obj})
    return redirect(f"wagtailsnippets_actieplan_{model._meta.model_name}:list")


@hooks.register("register_log_actions")
def register_archive_log_action(actions):
    actions.register_action(ARCHIVE_LOG_ACTION, _("Gearchiveerd"), _("Gearchiveerd in plaats van verwijderd"))


@hooks.register("register_admin_urls")
def register_archive_url():
    from django.urls import path

    return [
        path("actieplan/samenwerkingsverband/<int:pk>/archiveren/", archive, {"model": Partnership},
             name=archive_url_name(Partnership)),
        path("actieplan/organisatie/<int:pk>/archiveren/", archive, {"model": Organisation},
             name=archive_url_name(Organisation)),
    ]
