"""The admin's cross-cutting views scoped like the listings: snippet choosers and the site history.

Wagtail gives every snippet a chooser (``/admin/snippets/choose/<app>/<model>/``) and one site-wide
history report; both read ``Model.objects.all()`` or every log entry whose content type the user may
use at all. For the partnership-bound models that would show partnership B's titles, people and
events to a member of partnership A. Here both ask ``actieplan.permissions`` (through the models'
permission policies) instead: the chooser lists, searches and returns only visible objects, and the
site history (and its CSV/XLSX export) leaves out log entries about objects the user may not see.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import CharField, IntegerField, Q, Value
from django.db.models.functions import Cast
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import ModelLogEntry
from wagtail.snippets.views.chooser import (
    ChooseResultsView, ChooseView, SnippetChooserViewSet, SnippetChosenMultipleView, SnippetChosenView,
)

from actieplan.spreadsheets import SafeSpreadsheetExportMixin
from actieplan.validators import parse_id

_scopes = {}


def register_scope(model, visible):
    """Declare that ``visible(user)`` is the queryset of ``model`` objects ``user`` may see in the admin (each
    capability registers its partnership-bound models from its admin module)."""
    _scopes[model] = visible


def scoped_queryset(model, user):
    return _scopes[model](user)


def scope_for(model, user):
    """What ``user`` may see of ``model`` if that model is scoped, else None (a vocabulary everyone may use)."""
    visible = _scopes.get(model)
    return visible(user) if visible is not None else None


# --- choosers ------------------------------------------------------------------------------------

class _ScopedChooseMixin:
    def get_object_list(self):
        return scoped_queryset(self.model_class, self.request.user)


class _ScopedChosenMixin:
    def get_object(self, pk):
        try:
            return scoped_queryset(self.model_class, self.request.user).get(pk=pk)
        except (ValueError, TypeError, ValidationError, OverflowError) as error:
            raise ObjectDoesNotExist from error

    def get_objects(self, pks):
        qs = scoped_queryset(self.model_class, self.request.user)
        return qs.filter(pk__in=[pk for pk in map(parse_id, pks) if pk])


class ScopedChooseView(_ScopedChooseMixin, ChooseView):
    pass


class ScopedChooseResultsView(_ScopedChooseMixin, ChooseResultsView):
    pass


class ScopedChosenView(_ScopedChosenMixin, SnippetChosenView):
    pass


class ScopedChosenMultipleView(_ScopedChosenMixin, SnippetChosenMultipleView):
    pass


class ScopedSnippetChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser that offers only what ``register_scope`` allows the user to see."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


# --- site history / audit log --------------------------------------------------------------------

def restrict_log_entries(queryset, user):
    """Leave out entries about scoped objects outside the user's partnerships (or since deleted)."""
    if user.is_superuser or queryset.model is not ModelLogEntry:
        return queryset
    hidden = Q()
    for model, visible in _scopes.items():
        content_type = ContentType.objects.get_for_model(model)
        visible_ids = visible(user).order_by().annotate(_sid=Cast("pk", CharField())).values("_sid")
        hidden |= Q(content_type=content_type) & ~Q(object_id__in=visible_ids)
    return queryset.exclude(hidden)


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    """The "Gebruiker" filter names only people who appear in entries the user may see."""

    def get_user_choices(self):
        user = self.request.user
        user_ids = set()
        for log_model in log_action_registry.get_log_entry_models():
            entries = restrict_log_entries(log_model.objects.viewable_by_user(user), user)
            user_ids.update(entries.get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=user_ids).order_by(User.USERNAME_FIELD)

    class Meta(SiteHistoryReportFilterSet.Meta):
        pass


class ScopedLogEntriesView(SafeSpreadsheetExportMixin, LogEntriesView):
    """Wagtail's site history (``/admin/reports/site-history/``), with ``restrict_log_entries`` applied."""

    filterset_class = ScopedSiteHistoryFilterSet

    def get_filtered_queryset(self):
        # As LogEntriesView.get_filtered_queryset (a union of values() querysets, one per log model),
        # with each model's entries restricted before the union.
        queryset = None
        self.log_models = list(log_action_registry.get_log_entry_models())
        for index, log_model in enumerate(self.log_models):
            entries = restrict_log_entries(log_model.objects.viewable_by_user(self.request.user), self.request.user)
            sub = self.filter_queryset(
                entries.values("pk", "timestamp").annotate(log_model_index=Value(index, output_field=IntegerField()))
            ).order_by()
            queryset = sub if queryset is None else queryset.union(sub, all=True)
        return queryset.order_by("-timestamp")
