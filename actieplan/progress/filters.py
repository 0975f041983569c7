"""The Voortgang page's filters: the action list's period, (sub)region and organisation, plus the date the
changes section starts from."""

import django_filters
from django.utils.translation import gettext_lazy as _

from actieplan.actions.filters import date_input, deadline_filter
from actieplan.actions.models import Action
from actieplan.partnerships.models import Organisation, Region


class ProgressFilterSet(django_filters.FilterSet):
    """The Voortgang page's filters: period (by deadline, as the list's deadline filters), sub-region and
    organisation, plus the date "since" which the changes section starts (not a filter on the actions).

    The names match ``ActionFilterSet`` where they mean the same, so the page can link to the list
    with the same query and both show the same counts.
    """

    deadline_after = deadline_filter(_("Deadline from"), "gte")
    deadline_before = deadline_filter(_("Deadline up to and including"), "lte")
    region = django_filters.ModelChoiceFilter(
        label=_("(Sub)region"), field_name="owner_organisation__region", queryset=Organisation.objects.none(),
        empty_label=_("All (sub)regions"),
    )
    owner_organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=_("All organisations"),
    )
    sinds = django_filters.DateFilter(
        label=_("Changes since"), method="keep_all",
        help_text=_("Empty: since the last board meeting."),
        widget=date_input(),
    )

    class Meta:
        model = Action
        fields = ["deadline_after", "deadline_before", "region", "owner_organisation", "sinds"]

    def __init__(self, data=None, queryset=None, *, partnership, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["region"].queryset = Region.objects.filter(partnerships=partnership).order_by("name")
        # As the action list offers them: the organisations its members take part for.
        self.filters["owner_organisation"].queryset = Organisation.objects.filter(
            memberships__partnership=partnership).distinct().order_by("name")

    def keep_all(self, queryset, name, value):
        return queryset

    def clean_values(self):
        """The submitted values, or none at all when one is invalid (its error is on the form): as the action
        list, which applies no filter then either."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "")}
