"""Partnership scoping shared by the action plan's admin viewsets (actions, reflection sessions)."""

from django.http import Http404
from wagtail.admin.forms import WagtailAdminModelForm

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
