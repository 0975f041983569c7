"""Partnership scoping shared by the action plan's admin viewsets (actions, sessions, meetings, partnerships,
organisations, regions, memberships)."""

from django.db.models import QuerySet
from django.http import Http404
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy

from actieplan.partnerships import permissions
from actieplan.partnerships.models import Partnership


class PartnershipScopedAdminForm(WagtailAdminModelForm):
    """Offers only the partnerships the user may manage, and only their members in ``member_fields``.

    ``managed_partnerships`` is None for superusers (no limit), else the ids the user manages.
    """

    member_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.managed_partnerships = None
        if user is None or user.is_superuser:
            return
        managed = self.managed_partnerships = permissions.partnership_ids(user, permissions.EDITOR_ROLES)
        if "partnership" in self.fields:
            self.fields["partnership"].queryset = Partnership.objects.filter(pk__in=managed)
        for name in self.member_fields:
            if name in self.fields:
                self.fields[name].queryset = self.fields[name].queryset.filter(
                    lob_memberships__partnership_id__in=managed).distinct()


class ScopedObjectMixin:
    """Single-object admin views answer 404 for an object outside the user's partnerships.

    ``scope_policy`` is the model's permission policy; ``scope_action`` what the view does with it.
    """

    scope_policy = None
    scope_action = "view"

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy = self.scope_policy
        if isinstance(obj, policy.model) and not policy.user_has_permission_for_instance(
                self.request.user, self.scope_action, obj):
            raise Http404
        return obj


class ScopedPermissionPolicy(ModelPermissionPolicy):
    """Django's model permission (from the groups) AND a partnership scope: ``visible(user)`` is the queryset of
    instances the user may see in the admin, ``editable(user)`` those they may change or delete (default: only
    superusers). The admin's listing, inspect, edit, delete, history, chooser and exports all ask it."""

    def __init__(self, model, visible, editable=None):
        super().__init__(model)
        self.visible = visible
        self.editable = editable or (lambda user: model._default_manager.none())

    def _scope(self, user, action):
        return self.visible(user) if action == "view" else self.editable(user)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if user.is_superuser:
            return True
        return self._scope(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, a, instance) for a in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        manager = self.model._default_manager
        if not user.is_active or not self.user_has_any_permission(user, actions):
            return manager.none()
        if user.is_superuser:
            return manager.all()
        if "view" in actions and self.user_has_permission(user, "view"):
            return self.visible(user)
        return self.editable(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


def scoped_filterset(model, fields, scope):
    """A Wagtail FilterSet for ``fields`` whose choices of a related model list only what ``scope(model, user)``
    allows (``None``: that model is not scoped): the filter drawer names no other partnership or organisation."""

    class Meta:
        pass

    Meta.model = model
    Meta.fields = list(fields)

    def __init__(self, *args, **kwargs):
        WagtailFilterSet.__init__(self, *args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or user.is_superuser:
            return
        for name, filter_ in self.filters.items():
            queryset = filter_.extra.get("queryset")
            scoped = scope(queryset.model, user) if isinstance(queryset, QuerySet) else None
            if scoped is not None:
                filter_.queryset = scoped

    return type(f"Scoped{model.__name__}FilterSet", (WagtailFilterSet,), {"Meta": Meta, "__init__": __init__})
