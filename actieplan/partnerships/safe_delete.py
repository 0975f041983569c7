"""Nothing of the plan is lost silently: what history leans on is archived, not deleted.

A partnership or organisation that still holds actions, a timeline, reflection sessions or meetings cannot be
deleted (the database refuses it too, ``on_delete=PROTECT``); neither can closed minutes, a closed reflection
session or an action that came from a meeting's decision (each capability registers its rule with
:func:`register_archivable`). The admin says in Dutch why and what depends on it, on the delete page and in the
bulk delete, and offers to archive instead: the object leaves the daily lists and keeps its history and every
figure that was reported. What may still be deleted names, on its confirmation page, what goes with it
(:class:`NamesWhatDependsMixin`, from what each capability registers with :func:`register_holder`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
    """Single and bulk delete: explain instead of deleting (GET and POST) what history leans on."""
    refused = []
    for obj in instances:
        archivable = _archivable.get(type(obj))
        if archivable is None:
            continue
        reasons = archivable.protects(obj)
        if not reasons:
            continue
        refused.append({"object": obj, "reasons": reasons, "holders": holders(obj),
                        "is_partnership": isinstance(obj, Partnership), "advice": archivable.advice,
                        "kind": type(obj).__name__.lower(), "archived": getattr(obj, "archived", False),
                        "archive_url": reverse(archive_url_name(type(obj)), args=[obj.pk])})
    if not refused:
        return None
    return TemplateResponse(request, template_names("actieplan/partnerships/admin/delete_refused.html"),
                            {"refused": refused}, status=200)


_protections = {}


def register_protection(model, reasons):
    """Declare a rule that keeps an object of ``model`` from being deleted: ``reasons(obj)`` gives the Dutch
    reasons (empty when the rule does not apply). A capability may protect a lower one's model (meetings protect
    the actions their decisions made)."""
    _protections.setdefault(model, []).append(reasons)


def protections(obj):
    return [reason for model, rules in _protections.items() if isinstance(obj, model)
            for rule in rules for reason in rule(obj)]


class Archivable:
    """How a model is archived instead of deleted: when deleting is refused (``protects(obj)``: the Dutch
    reasons, empty when it may be deleted), what the admin says after archiving (``message``), the advice on the
    refusal page, and who may archive (``may_archive(user, obj)``)."""

    def __init__(self, model, message, advice="", protects=None, may_archive=None):
        self.model = model
        self.message = message
        self.advice = advice
        self.protects = protects or protections
        self.may_archive = may_archive or (
            lambda user, obj: ModelPermissionPolicy(model).user_has_permission(user, "change"))


_archivable = {}


def register_archivable(model, message, advice="", protects=None, may_archive=None):
    """Declare that ``model`` is archived instead of deleted when ``protects(obj)`` gives reasons (by default the
    rules registered with :func:`register_protection`); each capability registers its own."""
    _archivable[model] = Archivable(model, message, advice, protects, may_archive)


register_archivable(
    Partnership, gettext_lazy("%(name)s has been archived. Its actions, timeline and sessions are kept."), protects=holders)
register_archivable(
    Organisation, gettext_lazy("%(name)s has been archived: it is no longer offered for new actions and "
                               "memberships. Actions and memberships that name the organisation are kept."), protects=holders)


def archive_url_name(model):
    return f"actieplan_archive_{model._meta.model_name}"


def _list_url(model):
    viewset = getattr(model, "snippet_viewset", None)
    if viewset is not None:
        return reverse(viewset.get_url_name("list"))
    return reverse("wagtailadmin_home")


@require_POST
def archive(request, model, pk):
    """Archive instead of delete: what the object holds stays; it leaves the daily lists."""
    obj = get_object_or_404(model, pk=pk)
    archivable = _archivable[model]
    if not archivable.may_archive(request.user, obj):
        raise PermissionDenied
    if not obj.archived:
        obj.archived = True
        # updated_at too where there is one: fragments cached under it show the change.
        fields = [f.name for f in model._meta.concrete_fields if f.name in ("archived", "updated_at")]
        obj.save(update_fields=fields)
        log(instance=obj, action=ARCHIVE_LOG_ACTION, user=request.user)
    messages.success(request, archivable.message % {"name": obj})
    return redirect(_list_url(model))


class NamesWhatDependsMixin:
    """A Wagtail delete view that names, above "Ja, verwijderen", what is deleted or emptied along with the object
    (the registered holders), instead of only Wagtail's reference count (which does not see every relation)."""

    def get_template_names(self):
        return ["actieplan/partnerships/admin/confirm_delete.html"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dependents"] = holders(self.object)
        return context


@hooks.register("register_log_actions")
def register_archive_log_action(actions):
    actions.register_action(ARCHIVE_LOG_ACTION, _("Archived"), _("Archived instead of deleted"))


@hooks.register("register_admin_urls")
def register_archive_url():
    return [path(f"actieplan/{model._meta.model_name}/<int:pk>/archiveren/", archive, {"model": model},
                 name=archive_url_name(model)) for model in _archivable]
