"""Wagtail admin listings of partnerships, organisations, memberships and regions (in the Actieplan menu), and
what they hold for the safe delete."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from actieplan.formats import person_name
from actieplan.partnerships import audit, permissions, safe_delete
from actieplan.partnerships.audit import ScopedSnippetChooserViewSet
from actieplan.partnerships.models import Membership, Organisation, Partnership, Region
from actieplan.spreadsheets import SafeSpreadsheetExportMixin


class PartnershipViewSet(SnippetViewSet):
    model = Partnership
    icon = "group"
    menu_label = _("Samenwerkingsverbanden")
    menu_order = 200
    list_display = ["name", "slug", "archived"]
    list_filter = ["archived"]
    search_fields = None


class SafeExportIndexView(SafeSpreadsheetExportMixin, snippet_views.IndexView):
    pass


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    index_view_class = SafeExportIndexView
    icon = "site"
    menu_label = _("Organisaties")
    menu_order = 300
    list_display = ["name", Column("organisation_type", label=_("Type"), accessor="get_organisation_type_display"),
                    "region", "archived"]
    list_filter = ["organisation_type", "region", "partnerships", "archived"]
    list_export = ["name", "organisation_type", "region", "website"]


class MembershipAdminForm(WagtailAdminModelForm):
    """An archived organisation is no longer offered for a membership (one that names it keeps it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.choosable(self.instance.organisation_id)


class MembershipViewSet(SnippetViewSet):
    model = Membership
    edit_handler = ObjectList(Membership.panels, base_form_class=MembershipAdminForm)
    icon = "user"
    menu_label = _("Lidmaatschappen")
    menu_order = 400
    list_display = [
        Column("user", label=_("Persoon"), accessor=lambda m: person_name(m.user)),
        "partnership", "organisation",
        Column("role", label=_("Rol"), accessor="get_role_display"),
        Column("mandate_level", label=_("Mandaatniveau"), accessor="get_mandate_level_display"),
    ]
    list_filter = ["partnership", "organisation", "role", "mandate_level"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "function_title"]
    search_backend_name = None
    chooser_viewset_class = ScopedSnippetChooserViewSet

    def get_queryset(self, request):
        qs = Membership.objects.select_related("user", "partnership", "organisation")
        if request.user.is_superuser:
            return qs
        return qs.filter(partnership_id__in=permissions.partnership_ids(request.user))


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "globe"
    menu_label = _("(Sub)regio's")
    menu_order = 500
    list_display = ["name", "slug"]


def visible_memberships(user):
    if user.is_superuser:
        return Membership.objects.all()
    return Membership.objects.filter(partnership_id__in=permissions.member_partnerships(user))


audit.register_scope(Membership, visible_memberships)
safe_delete.register_holder(Organisation, lambda organisation: organisation.memberships.count(),
                            "%(n)d lidmaatschap", "%(n)d lidmaatschappen")
