"""Wagtail admin listings of partnerships, organisations, memberships and regions (in the Actieplan menu), and
what they hold for the safe delete.

Each is scoped like the other listings of the action plan (``actieplan.partnerships.permissions``): a member
sees the partnerships they belong to, those partnerships' organisations, memberships and (sub)regions, in the
listing, the filters, the exports, the chooser, inspect, edit and history; everything else answers 404.
Superusers (platform admins) see all. (Sub)regions are also the library's vocabulary: whoever may keep it
(Redacteuren, with the right to change regions) sees all of them.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from actieplan.compat import register_permission_policy
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from actieplan.formats import person_name
from actieplan.partnerships import audit, permissions, safe_delete
from actieplan.partnerships.audit import ScopedSnippetChooserViewSet
from actieplan.partnerships.models import Membership, Organisation, Partnership, Region
from actieplan.partnerships.scoping import ScopedObjectMixin, ScopedPermissionPolicy, scoped_filterset
from actieplan.spreadsheets import SafeSpreadsheetExportMixin


# --- who sees what in the admin ------------------------------------------------------------------

def visible_partnerships(user):
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(pk__in=permissions.member_partnerships(user))


def visible_organisations(user):
    """The organisations of the user's partnerships: linked to one of them, or holding a membership in one."""
    if user.is_superuser:
        return Organisation.objects.all()
    mine = permissions.member_partnerships(user)
    linked = Organisation.partnerships.through.objects.filter(partnership_id__in=mine).values("organisation_id")
    represented = Membership.objects.filter(partnership_id__in=mine).order_by().values("organisation_id")
    return Organisation.objects.filter(Q(pk__in=linked) | Q(pk__in=represented))


def visible_regions(user):
    if user.is_superuser or user.has_perm("actieplan.change_region"):
        return Region.objects.all()
    through = Partnership.regions.through.objects.filter(partnership_id__in=permissions.member_partnerships(user))
    return Region.objects.filter(pk__in=through.values("region_id"))


def visible_memberships(user):
    if user.is_superuser:
        return Membership.objects.all()
    return Membership.objects.filter(partnership_id__in=permissions.member_partnerships(user))


partnership_policy = ScopedPermissionPolicy(Partnership, visible_partnerships)
organisation_policy = ScopedPermissionPolicy(Organisation, visible_organisations)
region_policy = ScopedPermissionPolicy(Region, visible_regions,
                                       editable=lambda user: Region.objects.all() if user.has_perm(
                                           "actieplan.change_region") else Region.objects.none())
membership_policy = ScopedPermissionPolicy(Membership, visible_memberships)
for _model, _policy, _visible in ((Partnership, partnership_policy, visible_partnerships),
                                  (Organisation, organisation_policy, visible_organisations),
                                  (Region, region_policy, visible_regions),
                                  (Membership, membership_policy, visible_memberships)):
    register_permission_policy(_model, _policy)
    audit.register_scope(_model, _visible)


def filterset_for(model, fields):
    return scoped_filterset(model, fields, audit.scope_for)


def scoped_views(policy, *, index=snippet_views.IndexView):
    """The single-object admin views of a snippet, each answering 404 outside ``policy``'s scope."""
    def scoped(view, action):
        return type(f"Scoped{view.__name__}", (ScopedObjectMixin, view),
                    {"scope_policy": policy, "scope_action": action})

    return {
        "index_view_class": type("ScopedIndexView", (SafeSpreadsheetExportMixin, index), {}),
        "edit_view_class": scoped(snippet_views.EditView, "change"),
        "delete_view_class": scoped(snippet_views.DeleteView, "delete"),
        "inspect_view_class": scoped(snippet_views.InspectView, "view"),
        "history_view_class": scoped(snippet_views.HistoryView, "view"),
        "usage_view_class": scoped(snippet_views.UsageView, "view"),
        "copy_view_class": scoped(snippet_views.CopyView, "view"),
    }


class ScopedSnippetViewSet(SnippetViewSet):
    """A snippet listing, filters, chooser and object views limited to ``permission_policy``'s scope."""

    chooser_viewset_class = ScopedSnippetChooserViewSet

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name, view in scoped_views(cls.permission_policy).items():
            setattr(cls, name, view)

    def get_queryset(self, request):
        return self.permission_policy.instances_user_has_any_permission_for(request.user, ["view", "change"])


# --- the viewsets --------------------------------------------------------------------------------

class PartnershipViewSet(ScopedSnippetViewSet):
    model = Partnership
    permission_policy = partnership_policy
    filterset_class = filterset_for(Partnership, ["archived"])
    icon = "group"
    menu_label = _("Partnerships")
    menu_order = 200
    list_display = ["name", "slug", "archived"]
    search_fields = None


class OrganisationViewSet(ScopedSnippetViewSet):
    model = Organisation
    permission_policy = organisation_policy
    filterset_class = filterset_for(Organisation, ["organisation_type", "region", "partnerships", "archived"])
    icon = "site"
    menu_label = _("Organisations")
    menu_order = 300
    list_display = ["name", Column("organisation_type", label=_("Organisation type"), accessor="get_organisation_type_display"),
                    "region", "archived"]
    list_export = ["name", "organisation_type", "region", "website"]


class MembershipAdminForm(WagtailAdminModelForm):
    """An archived organisation is no longer offered for a membership (one that names it keeps it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.choosable(self.instance.organisation_id)


class MembershipViewSet(ScopedSnippetViewSet):
    model = Membership
    permission_policy = membership_policy
    filterset_class = filterset_for(Membership, ["partnership", "organisation", "role", "mandate_level"])
    edit_handler = ObjectList(Membership.panels, base_form_class=MembershipAdminForm)
    icon = "user"
    menu_label = _("Memberships")
    menu_order = 400
    list_display = [
        Column("user", label=_("Person"), accessor=lambda m: person_name(m.user)),
        "partnership", "organisation",
        Column("role", label=_("Role"), accessor="get_role_display"),
        Column("mandate_level", label=_("Mandate level"), accessor="get_mandate_level_display"),
    ]
    search_fields = ["user__first_name", "user__last_name", "user__email", "function_title"]
    search_backend_name = None

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "partnership", "organisation")


class RegionViewSet(ScopedSnippetViewSet):
    model = Region
    permission_policy = region_policy
    icon = "globe"
    menu_label = _("(Sub)regions")
    menu_order = 500
    list_display = ["name", "slug"]


safe_delete.register_holder(Organisation, lambda organisation: organisation.memberships.count(),
                            "%(n)d lidmaatschap", "%(n)d lidmaatschappen")
