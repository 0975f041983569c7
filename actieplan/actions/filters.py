"""Filters for action listings: one FilterSet for the working group's pages and the Wagtail admin.

The admin reuses it by mixing in Wagtail's FilterSet::

    class ActionAdminFilterSet(WagtailFilterSet, ActionFilterSet):
        class Meta(ActionFilterSet.Meta):
            pass

Choice lists (partnerships, owners, organisations) are limited in ``__init__`` to what the
requesting user may see, so a filter never reveals names from another partnership.
"""

from collections import namedtuple

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actieplan.actions.models import Action, ActionStatus, completed_since_q, overdue_q
from actieplan.partnerships.reference import BoardDomain, MandateLevel, ReflectionTheme
from actieplan.partnerships.models import Membership, Organisation, Partnership, Region
from actieplan import caching
from actieplan.formats import name_from_parts, person_name
from actieplan.partnerships.permissions import is_platform_admin, member_partnerships


OVERDUE_CHOICES = [
    ("", _("All actions")),
    ("true", _("Only overdue actions")),
    ("false", _("Not overdue")),
]


class OverdueSelect(forms.Select):
    """Alle / alleen verlopen / niet verlopen, keeping the choice selected after filtering."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=OVERDUE_CHOICES)

    def format_value(self, value):
        return {True: ["true"], False: ["false"], "true": ["true"], "false": ["false"]}.get(value, [""])


class ListModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """Reads the choices with one plain query, kept for the form's life.

    Django iterates choice querysets with ``.iterator()``, which on PostgreSQL is a server-side
    cursor (three round trips) and runs again at every render.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ScopedModelChoiceField(django_filters.fields.ModelChoiceField):
    iterator = ListModelChoiceIterator


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ScopedModelChoiceField


class PersonChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return person_name(obj)


class PersonChoiceFilter(ScopedModelChoiceFilter):
    field_class = PersonChoiceField


def scoped_choice_querysets(user):
    """Partnerships, people, organisations and (sub)regions ``user`` may pick from, as querysets.

    Superusers get everything; anyone else gets what belongs to the partnerships they are a member of.
    """
    User = get_user_model()
    people = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    if user is None:
        return Partnership.objects.all(), people, Organisation.objects.all(), Region.objects.all()
    if is_platform_admin(user):
        return (Partnership.objects.filter(archived=False),
                people.filter(lob_memberships__isnull=False).distinct(),
                Organisation.objects.all(), Region.objects.all())
    ids = member_partnerships(user)
    return (
        Partnership.objects.filter(pk__in=ids),
        people.filter(lob_memberships__partnership_id__in=ids).distinct(),
        Organisation.objects.filter(memberships__partnership_id__in=ids).distinct(),
        Region.objects.filter(partnerships__in=ids).distinct(),
    )


#: The cached choice lists (names of partnerships, people, organisations, themes) and the row, card and filter
#: fragments that show those names live under this name of ``actieplan.caching``; apps.py bumps it when any of
#: those names is saved or deleted.
CHOICES = "choices"
CHOICES_TIMEOUT = 60 * 60


def choices_version():
    """The version of the choice lists, for the row, card and filter fragments' cache keys."""
    return caching.version(CHOICES)


def membership_rows(user, partnerships):
    """The memberships of ``user``'s partnerships with the names the filter choices show.

    Only for display (choice lists, who may create): access is always decided by a fresh query.
    Cached under :data:`CHOICES`.
    """
    def read():
        return [tuple(row) for row in Membership.objects.filter(partnership__in=partnerships).order_by().values_list(
            "user_id", "role", "partnership_id", "partnership__name", "organisation_id", "organisation__name",
            "user__first_name", "user__last_name", "user__username", "user__is_active")]

    return [MembershipRow(*row) for row in caching.get_or_compute(CHOICES, ("memberships", user.pk), read,
                                                                  CHOICES_TIMEOUT)]


def region_choices(user, partnerships):
    """(pk, name) of the (sub)regions of ``user``'s partnerships, cached like :func:`membership_rows`."""
    return caching.get_or_compute(
        CHOICES, ("regions", user.pk),
        lambda: list(Region.objects.filter(partnerships__in=partnerships).distinct().order_by("name")
                     .values_list("pk", "name")),
        CHOICES_TIMEOUT)


def theme_choices():
    """(pk, name) of the six reflection themes in their order, cached like :func:`membership_rows`.
    Only for display: the theme filter still validates a submitted theme against the database."""
    return caching.get_or_compute(
        CHOICES, ("themes",),
        lambda: list(ReflectionTheme.objects.order_by("sort_order", "name").values_list("pk", "name")),
        CHOICES_TIMEOUT)


MembershipRow = namedtuple("MembershipRow", [
    "user_id", "role", "partnership_id", "partnership_name", "organisation_id", "organisation_name",
    "first_name", "last_name", "username", "is_active"])


def date_input():
    """A browser date picker that shows and sends ISO dates (the list's and the Voortgang page's filters)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def deadline_filter(label, lookup_expr):
    """One end of the deadline period; the action list and the Voortgang page use the same two, so the page
    can link to the list with its own query and both count the same actions."""
    return django_filters.DateFilter(label=label, field_name="deadline", lookup_expr=lookup_expr,
                                     widget=date_input())


class ActionFilterSet(django_filters.FilterSet):
    """Filter actions by partnership, theme, status, owner, organisation, mandate level, overdue, deadline and text."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search in title and description")}),
    )
    partnership = ScopedModelChoiceFilter(
        label=_("Partnership"), queryset=Partnership.objects.all(), empty_label=_("All"),
    )
    theme = ScopedModelChoiceFilter(
        label=_("Reflection theme"), queryset=ReflectionTheme.objects.all(), empty_label=_("All themes"),
    )
    # distinct=False: the status is a column of the action itself, so no join can repeat a row, and a
    # DISTINCT would make every count on top of this queryset a count of something else.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ActionStatus.choices, widget=forms.CheckboxSelectMultiple, distinct=False,
    )
    owner = PersonChoiceFilter(label=_("Owner"), queryset=get_user_model().objects.all(), empty_label=_("Everyone"))
    owner_organisation = ScopedModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.all(), empty_label=_("All organisations"),
    )
    region = ScopedModelChoiceFilter(
        label=_("(Sub)region"), field_name="owner_organisation__region", queryset=Region.objects.all(),
        empty_label=_("All (sub)regions"),
    )
    mandate_level = django_filters.ChoiceFilter(
        label=_("Mandate level"), choices=MandateLevel.choices, empty_label=_("All levels"),
    )
    board = django_filters.ChoiceFilter(label=_("Board"), choices=BoardDomain.choices, empty_label=_("All boards"))
    mine = django_filters.BooleanFilter(
        label=_("Only my actions"), method="filter_mine", widget=forms.CheckboxInput,
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"), method="filter_overdue", widget=OverdueSelect,
    )
    deadline_after = deadline_filter(_("Deadline from"), "gte")
    deadline_before = deadline_filter(_("Deadline up to and including"), "lte")

    completed_after = django_filters.DateFilter(
        label=_("Done from"), method="filter_completed_after",
        widget=date_input(),
    )

    class Meta:
        model = Action
        fields = ["q", "partnership", "theme", "status", "owner", "owner_organisation", "region", "mandate_level",
                  "board", "mine", "overdue", "deadline_after", "deadline_before", "completed_after"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        limited = user is not None and user.is_authenticated and not is_platform_admin(user)
        self._membership_scope = member_partnerships(user) if limited else None
        if self.is_bound or not limited:
            partnerships, people, organisations, regions = scoped_choice_querysets(user)
        else:
            # Nothing submitted, so nothing to validate, and the listed choices come from the
            # membership rows (see ``form``): building the scoped querysets cost more than
            # reading a page of actions.
            partnerships, people, organisations, regions = (
                Partnership.objects.none(), get_user_model().objects.none(), Organisation.objects.none(),
                Region.objects.none())
        self.filters["partnership"].queryset = partnerships
        self.filters["owner"].queryset = people
        self.filters["owner_organisation"].queryset = organisations
        self.filters["region"].queryset = regions.order_by("name")
        self._choices_filled = False

    def membership_list(self):
        """The membership rows of the user's partnerships (see :func:`membership_rows`); None for
        superusers and without a request, who are not limited to memberships."""
        if self._membership_scope is None:
            return None
        return membership_rows(self.request.user, self._membership_scope)

    @property
    def form(self):
        if not self._choices_filled:
            self._choices_filled = True
            self._set_choices("theme", theme_choices())
            if self._membership_scope is not None:
                self._choices_from_memberships()
        return super().form

    def _set_choices(self, name, pairs):
        field = self.filters[name].field
        choices = [("", field.empty_label)] + list(pairs)
        # Set directly: django-filter's choices setter expects an iterator, and a ModelChoiceField
        # lists ``_choices`` when present instead of querying.
        field._choices = field.widget.choices = choices

    def _choices_from_memberships(self):
        """Fill the partnership, owner and organisation choices from one query instead of three.

        The querysets stay in place to validate what was submitted; only the listed choices come
        from the memberships.
        """
        partnership_choices, people, organisations = {}, {}, {}
        for m in self.membership_list():
            partnership_choices[m.partnership_id] = m.partnership_name
            organisations[m.organisation_id] = m.organisation_name
            if m.is_active:
                people[m.user_id] = (m.first_name, m.last_name, m.username)
        self._set_choices("partnership", sorted(partnership_choices.items(), key=lambda item: item[1]))
        self._set_choices("owner", [(pk, name_from_parts(*names))
                                    for pk, names in sorted(people.items(), key=lambda item: item[1])])
        self._set_choices("owner_organisation", sorted(organisations.items(), key=lambda item: item[1]))
        self._set_choices("region", region_choices(self.request.user, self._membership_scope))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_overdue(self, queryset, name, value):
        if value is True:
            return queryset.filter(overdue_q())
        if value is False:
            return queryset.exclude(overdue_q())
        return queryset

    def filter_completed_after(self, queryset, name, value):
        return queryset.filter(completed_since_q(value)) if value else queryset

    def filter_mine(self, queryset, name, value):
        if value and self.request is not None and self.request.user.is_authenticated:
            return queryset.filter(owner_id=self.request.user.pk)
        return queryset

    def active_filters(self):
        """The labels of the filters that narrow the selection (an unticked box narrows nothing)."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return [self.form[name].label for name, value in self.form.cleaned_data.items()
                if value not in (None, "", [], ()) and not (name == "mine" and value is False)]

    @property
    def is_filtered(self):
        """True when the visitor narrowed the list (used to show a "wis filters" link)."""
        return bool(self.active_filters())
