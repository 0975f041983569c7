"""The facets of the library "Het delen waard": one FilterSet, plain GET, works without JavaScript."""

import django_filters
from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from django.utils import timezone

from actieplan.partnerships.models import Region
from actieplan.partnerships.reference import BoardDomain
from good_practices.taxonomy import (
    CiosLevel, ContentArea, DelenWaardTheme, LeerkringStage, LoopbaanCompetentie, SchoolType, TargetGroup, Transition,
)


class FacetWidget(forms.CheckboxSelectMultiple):
    """Checkboxes where an option that would give no results is shown but cannot be ticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and instance.pk in self.empty and not selected:
            option["attrs"]["disabled"] = True
            option["attrs"]["aria-describedby"] = "gp-empty-hint"
        return option


class FacetFilter(django_filters.ModelMultipleChoiceFilter):
    """Options travel by slug in the URL but are matched on the primary key in the database."""

    def get_filter_predicate(self, v):
        return {self.field_name: v.pk}


def _facet(model, field_name, label):
    # Options within one facet are alternatives (OR); different facets narrow each other (AND).
    return FacetFilter(
        field_name=field_name, queryset=model.objects.all(), to_field_name="slug", label=label,
        widget=FacetWidget, distinct=True,
    )


class GoodPracticeFilterSet(django_filters.FilterSet):
    """Filter good practices by theme, transition, school type, loopbaancompetentie, region, doelgroep and CIOS+R.

    Selections travel in the URL by slug (``?thema=sluitende-transities&overgang=vo-mbo``), so a
    filtered list can be bookmarked and shared.
    """

    thema = _facet(DelenWaardTheme, "themes", _("Theme"))
    overgang = _facet(Transition, "transitions", _("Transition"))
    onderwijssoort = _facet(SchoolType, "school_types", _("Type of education"))
    competentie = _facet(LoopbaanCompetentie, "competenties", _("Career competence"))
    regio = _facet(Region, "region", _("(Sub)region"))
    doelgroep = _facet(TargetGroup, "target_groups", _("Target group"))
    cios = _facet(CiosLevel, "cios_levels", _("Partnership with parents (CIOS+R)"))

    # No Meta.model: every filter is declared, and the page hands in the queryset to filter.

    def has_selection(self):
        return self.is_bound and any(self.data.getlist(name) for name in self.filters)

    def chips(self):
        """The active filters, each with the query string that removes it (the search term stays).

        Read from the form's cleaned values, so an unknown slug in the URL is no chip; one query per
        facet that has a selection, whatever the number of results.
        """
        if not self.is_bound or not self.form.is_valid():
            return []
        chips = []
        for name, filter_ in self.filters.items():
            selected = self.form.cleaned_data.get(name)
            if not selected:
                continue
            for obj in selected:
                params = self.data.copy()
                params.setlist(name, [v for v in params.getlist(name) if v != obj.slug])
                params.pop("pagina", None)
                chips.append({"facet": filter_.label, "label": obj.name, "remove_query": params.urlencode()})
        return chips

    def add_counts(self, base_queryset):
        """Show next to every option how many practices it would give, given the other facets' selections.

        Each facet is counted against the list filtered by all *other* facets, so ticking a second
        option in the same facet never looks like it empties the list. Options no practice in the
        library uses at all (a region without practices) are left out rather than offered as dead ends.
        """
        # One GROUP BY per facet, counting both "in the library" and "with the other facets' selection"
        # (a subquery), instead of a FilterSet and two queries per facet.
        self.form.is_valid()
        chosen = {name: [obj.pk for obj in self.form.cleaned_data.get(name) or ()]
                  for name in self.filters} if self.is_bound else {}
        for name, filter_ in self.filters.items():
            narrowed = base_queryset
            for other, pks in chosen.items():
                if other != name and pks:
                    narrowed = narrowed.filter(**{f"{self.filters[other].field_name}__in": pks})
            n = Count("pk", distinct=True)
            if narrowed is not base_queryset:
                n = Count("pk", distinct=True, filter=Q(pk__in=narrowed.order_by().values("pk")))
            rows = base_queryset.order_by().values_list(filter_.field_name).annotate(n=n)
            counts = {pk: count for pk, count in rows if pk is not None}
            selected = self.data.getlist(name) if self.is_bound else []
            field = self.form.fields[name]
            field.queryset = field.queryset.filter(Q(pk__in=list(counts)) | Q(slug__in=selected))
            field.label_from_instance = _counted_label(counts)
            field.widget.empty = {pk for pk, count in counts.items() if not count}


def _count_by(queryset, field_name):
    return dict(queryset.order_by().values_list(field_name).annotate(n=Count("pk", distinct=True)))


def _counted_label(counts):
    def label(obj):
        return f"{obj} ({counts.get(obj.pk, 0)})"

    return label


class ProeftuinFilterSet(django_filters.FilterSet):
    """Filter proeftuinen by leerkring stage, board, content area and whether they still run.

    Plain GET by value (``?fase=uitvoeren&looptijd=afgerond``), so a selection is a shareable URL.
    """

    fase = django_filters.MultipleChoiceFilter(field_name="stage", choices=LeerkringStage.choices,
                                               widget=forms.CheckboxSelectMultiple, label=_("Phase (learning circle)"))
    bord = django_filters.MultipleChoiceFilter(field_name="board", choices=BoardDomain.choices,
                                               widget=forms.CheckboxSelectMultiple, label=_("Emphasis on the board"))
    gebied = _facet(ContentArea, "content_areas", _("Content area"))
    looptijd = django_filters.ChoiceFilter(
        label=_("Running period"), method="filter_running", widget=forms.RadioSelect, empty_label=_("All"),
        choices=[("lopend", _("Still in progress")), ("afgerond", _("Done"))],
    )

    # No Meta.model: every filter is declared, and the page hands in the queryset to filter.

    def filter_running(self, queryset, name, value):
        today = timezone.localdate()
        finished = Q(end_date__isnull=False, end_date__lte=today)  # as ProeftuinPage.is_finished
        if value == "afgerond":
            return queryset.filter(finished)
        if value == "lopend":
            return queryset.exclude(finished)
        return queryset

    def selection_count(self):
        if not self.is_bound:
            return 0
        return sum(len([v for v in self.data.getlist(name) if v]) for name in self.filters)
