"""The facets of the library "Het delen waard": one FilterSet, plain GET, works without JavaScript."""

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from actieplan.models import Region

from .models import (
    CiosLevel, DelenWaardTheme, GoodPracticePage, LoopbaanCompetentie, SchoolType, TargetGroup, Transition,
)


class FacetFilter(django_filters.ModelMultipleChoiceFilter):
    """Options travel by slug in the URL but are matched on the primary key in the database."""

    def get_filter_predicate(self, v):
        return {self.field_name: v.pk}


def _facet(model, field_name, label):
    # Options within one facet are alternatives (OR); different facets narrow each other (AND).
    return FacetFilter(
        field_name=field_name, queryset=model.objects.all(), to_field_name="slug", label=label,
        widget=forms.CheckboxSelectMultiple, distinct=True,
    )


class GoodPracticeFilterSet(django_filters.FilterSet):
    """Filter good practices by theme, transition, school type, loopbaancompetentie, region, doelgroep and CIOS+R.

    Selections travel in the URL by slug (``?thema=sluitende-transities&overgang=vo-mbo``), so a
    filtered list can be bookmarked and shared.
    """

    thema = _facet(DelenWaardTheme, "themes", _("Thema"))
    overgang = _facet(Transition, "transitions", _("Overgang"))
    onderwijssoort = _facet(SchoolType, "school_types", _("Onderwijssoort"))
    competentie = _facet(LoopbaanCompetentie, "competenties", _("Loopbaancompetentie"))
    regio = _facet(Region, "region", _("(Sub)regio"))
    doelgroep = _facet(TargetGroup, "target_groups", _("Doelgroep"))
    cios = _facet(CiosLevel, "cios_levels", _("Partnerschap met ouders (CIOS+R)"))

    class Meta:
        model = GoodPracticePage
        fields = []

    def has_selection(self):
        return self.is_bound and any(self.data.getlist(name) for name in self.filters)

    def add_counts(self, base_queryset):
        """Show next to every option how many practices it would give, given the other facets' selections.

        Each facet is counted against the list filtered by all *other* facets, so ticking a second
        option in the same facet never looks like it empties the list. Options no practice in the
        library uses at all (a region without practices) are left out rather than offered as dead ends.
        """
        for name, filter_ in self.filters.items():
            others = self.data.copy() if self.is_bound else None
            if others is not None:
                others.pop(name, None)
            narrowed = type(self)(others, queryset=base_queryset).qs
            counts = _count_by(narrowed, filter_.field_name)
            present = [pk for pk in _count_by(base_queryset, filter_.field_name) if pk is not None]
            selected = self.data.getlist(name) if self.is_bound else []
            field = self.form.fields[name]
            field.queryset = field.queryset.filter(Q(pk__in=present) | Q(slug__in=selected))
            field.label_from_instance = _counted_label(counts)


def _count_by(queryset, field_name):
    return dict(queryset.order_by().values_list(field_name).annotate(n=Count("pk", distinct=True)))


def _counted_label(counts):
    def label(obj):
        return f"{obj} ({counts.get(obj.pk, 0)})"

    return label
