"""Filters for action listings: one FilterSet for the working group's pages and the Wagtail admin.

The admin reuses it by mixing in Wagtail's FilterSet::

    class ActionAdminFilterSet(WagtailFilterSet, ActionFilterSet):
        class Meta(ActionFilterSet.Meta):
            pass

Choice lists (partnerships, owners, organisations) are limited in ``__init__`` to what the
requesting user may see, so a filter never reveals names from another partnership.
"""

import copy
import time
from collections import namedtuple
from html import escape as html_escape

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import (
    Action, ActionStatus, BoardDomain, MandateLevel, Membership, Organisation, Partnership, ReflectionTheme,
)
from .models.action import ACTIVE_STATUSES
from .permissions import is_platform_admin, member_partnerships


OVERDUE_CHOICES = [
    ("", _("Alle acties")),
    ("true", _("Alleen verlopen acties")),
    ("false", _("Niet verlopen")),
]


class FastSelect(forms.Select):
    """A select rendered in Python, with the same HTML as Django's template.

    Django renders every option through a template; with a few dozen owners that alone made the
    action list several times slower than a plain page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        selected = {str(v) for v in self.format_value(value)}
        final_attrs = self.build_attrs(self.attrs, attrs)
        parts = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            parts.append('<option value="%s"%s>%s</option>' % (
                html_escape(option_value), " selected" if option_value in selected else "", html_escape(str(label))))
        return mark_safe('<select name="%s"%s>%s</select>' % (html_escape(name), flatatt(final_attrs), "".join(parts)))


class FastCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes rendered in Python, with the same HTML as Django's template (see FastSelect)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        items = format_html_join(
            "", '<div><label for="{}"><input type="checkbox" name="{}" value="{}"{}> {}</label></div>',
            ((o["attrs"].get("id", ""), o["name"], o["value"], flatatt(o["attrs"]), o["label"])
             for _group, options, _index in widget["optgroups"] for o in options),
        )
        return format_html('<div{}>{}</div>', flatatt({"id": widget["attrs"].get("id")}), items)


class OverdueSelect(FastSelect):
    """Alle / alleen verlopen / niet verlopen, keeping the choice selected after filtering."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=OVERDUE_CHOICES)

    def format_value(self, value):
        return {True: ["true"], False: ["false"], "true": ["true"], "false": ["false"]}.get(value, [""])


def person_name(first_name, last_name, username):
    """How a person is named in lists and choices: full name, falling back to the username."""
    return " ".join(filter(None, (first_name, last_name))) or username


def person_label(user):
    """How a person is named in choice lists: full name, falling back to the username."""
    return user.get_full_name() or user.get_username()


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
    widget = FastSelect


class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ScopedModelChoiceField


class PersonChoiceField(ScopedModelChoiceField):
    def label_from_instance(self, obj):
        return person_label(obj)


class PersonChoiceFilter(ScopedModelChoiceFilter):
    field_class = PersonChoiceField


def scoped_choice_querysets(user):
    """Partnerships, people and organisations ``user`` may pick from, as querysets.

    Superusers get everything; anyone else gets what belongs to the partnerships they are a member of.
    """
    User = get_user_model()
    people = User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")
    if user is None:
        return Partnership.objects.all(), people, Organisation.objects.all()
    if is_platform_admin(user):
        return (Partnership.objects.filter(archived=False),
                people.filter(lob_memberships__isnull=False).distinct(),
                Organisation.objects.all())
    ids = member_partnerships(user)
    return (
        Partnership.objects.filter(pk__in=ids),
        people.filter(lob_memberships__partnership_id__in=ids).distinct(),
        Organisation.objects.filter(memberships__partnership_id__in=ids).distinct(),
    )


class _ShortLived:
    """Values kept per worker process for ``ttl`` seconds, by key; ``clear()`` drops them all at once."""

    def __init__(self, ttl):
        self.ttl = ttl
        self._values = {}

    def get(self, key, compute):
        now = time.monotonic()
        cached = self._values.get(key)
        if cached is None or cached[0] <= now:
            cached = self._values[key] = (now + self.ttl, compute())
        return cached[1]

    def clear(self):
        self._values.clear()


#: Per worker process: user id -> membership rows of their partnerships, for the choice lists.
_MEMBERSHIP_ROWS = _ShortLived(ttl=30)
#: Per worker process: (pk, name) of the reflection themes, for choices and row labels.
_THEMES = _ShortLived(ttl=60)


def forget_membership_rows(**kwargs):
    """Connected in apps.py to saves and deletes of memberships, people, partnerships and organisations."""
    _MEMBERSHIP_ROWS.clear()


def membership_rows(user, partnerships):
    """The memberships of ``user``'s partnerships with the names the filter choices show.

    Only for display (choice lists, who may create): access is always decided by a fresh query.
    Kept per process for half a minute and dropped at once when this process saves or deletes a
    membership, person, partnership or organisation, so a list page does not read and sort the
    whole membership list on every request.
    """
    return _MEMBERSHIP_ROWS.get(user.pk, lambda: [
        MembershipRow(*row) for row in
        Membership.objects.filter(partnership__in=partnerships).order_by().values_list(
            "user_id", "role", "partnership_id", "partnership__name", "organisation_id", "organisation__name",
            "user__first_name", "user__last_name", "user__username", "user__is_active")
    ])


def forget_themes(**kwargs):
    """Connected in apps.py to saves and deletes of reflection themes."""
    _THEMES.clear()


def theme_choices():
    """(pk, name) of the six reflection themes in their order, kept per process for a minute like
    :func:`membership_rows`. Only for display: the theme filter still validates a submitted theme
    against the database.
    """
    return _THEMES.get(None, lambda: list(ReflectionTheme.objects.order_by("sort_order", "name")
                                          .values_list("pk", "name")))


MembershipRow = namedtuple("MembershipRow", [
    "user_id", "role", "partnership_id", "partnership_name", "organisation_id", "organisation_name",
    "first_name", "last_name", "username", "is_active"])


class ActionFilterSet(django_filters.FilterSet):
    """Filter actions by partnership, theme, status, owner, organisation, mandate level, overdue, deadline and text."""

    q = django_filters.CharFilter(
        label=_("Zoeken"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Zoek in titel en omschrijving")}),
    )
    partnership = ScopedModelChoiceFilter(
        label=_("Samenwerkingsverband"), queryset=Partnership.objects.all(), empty_label=_("Alle"), widget=FastSelect,
    )
    theme = ScopedModelChoiceFilter(
        label=_("Reflectiethema"), queryset=ReflectionTheme.objects.all(), empty_label=_("Alle thema's"), widget=FastSelect,
    )
    # distinct=False: the status is a column of the action itself, so no join can repeat a row, and a
    # DISTINCT would make every count on top of this queryset a count of something else.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ActionStatus.choices, widget=FastCheckboxSelectMultiple, distinct=False,
    )
    owner = PersonChoiceFilter(label=_("Eigenaar"), queryset=get_user_model().objects.all(), empty_label=_("Iedereen"),
                               widget=FastSelect)
    owner_organisation = ScopedModelChoiceFilter(
        label=_("Organisatie"), queryset=Organisation.objects.all(), empty_label=_("Alle organisaties"), widget=FastSelect,
    )
    mandate_level = django_filters.ChoiceFilter(
        label=_("Mandaatniveau"), choices=MandateLevel.choices, empty_label=_("Alle niveaus"), widget=FastSelect,
    )
    board = django_filters.ChoiceFilter(label=_("Bord"), choices=BoardDomain.choices, empty_label=_("Alle borden"),
                                   widget=FastSelect)
    overdue = django_filters.BooleanFilter(
        label=_("Verlopen"), method="filter_overdue", widget=OverdueSelect,
    )
    deadline_after = django_filters.DateFilter(
        label=_("Deadline vanaf"), field_name="deadline", lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline tot en met"), field_name="deadline", lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    class Meta:
        model = Action
        fields = ["q", "partnership", "theme", "status", "owner", "owner_organisation", "mandate_level", "board",
                  "overdue", "deadline_after", "deadline_before"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None)
        limited = user is not None and user.is_authenticated and not is_platform_admin(user)
        self._membership_scope = member_partnerships(user) if limited else None
        if self.is_bound or not limited:
            partnerships, people, organisations = scoped_choice_querysets(user)
        else:
            # Nothing submitted, so nothing to validate, and the listed choices come from the
            # membership rows (see ``form``): building the three scoped querysets cost more than
            # reading a page of actions.
            partnerships, people, organisations = (Partnership.objects.none(), get_user_model().objects.none(),
                                                   Organisation.objects.none())
        self.filters["partnership"].queryset = partnerships
        self.filters["owner"].queryset = people
        self.filters["owner_organisation"].queryset = organisations
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

    def get_form_class(self):
        form_class = super().get_form_class()
        # The class and its fields are made for this FilterSet alone (see _CheapCopies), so the
        # form need not deep-copy them again, choice lists and all.
        form_class.base_fields = _OwnFields(form_class.base_fields)
        return form_class

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
        self._set_choices("owner", [(pk, person_name(*names))
                                    for pk, names in sorted(people.items(), key=lambda item: item[1])])
        self._set_choices("owner_organisation", sorted(organisations.items(), key=lambda item: item[1]))

    def fields_html(self):
        """The filter form's fields in the markup of ``includes/action_filters.html``, rendered in Python.

        Through the template engine the loop over eleven fields cost about a millisecond per page
        (variable look-ups, translations); the widgets still render themselves.
        """
        parts = []
        for field in self.form:
            error_class = " field--error" if field.errors else ""
            label = html_escape(str(field.label))
            if field.widget_type == "checkboxselectmultiple":
                errors = "".join(f'<p class="error">{html_escape(str(e))}</p>' for e in field.errors)
                parts.append(f'<fieldset class="field ap-filters__choices{error_class}"><legend>{label}</legend>'
                             f'{field}{errors}</fieldset>')
            else:
                field_id = html_escape(field.id_for_label)
                errors = "".join(f'<p class="error" id="{field_id}_error">{html_escape(str(e))}</p>'
                                 for e in field.errors)
                parts.append(f'<div class="field{error_class}"><label for="{field_id}">{label}</label>'
                             f'{field}{errors}</div>')
        return mark_safe("\n".join(parts))

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value is True:
            return queryset.overdue(today)
        if value is False:
            return queryset.exclude(status__in=ACTIVE_STATUSES, deadline__lt=today)
        return queryset

    @property
    def is_filtered(self):
        """True when the visitor narrowed the list (used to show a "wis filters" link)."""
        if not self.is_bound:
            return False
        form = self.form
        return form.is_valid() and any(
            value not in (None, "", [], ()) for value in form.cleaned_data.values()
        )


class _CheapCopies(dict):
    """``base_filters`` whose deep copy (django-filter makes one per FilterSet instance) copies each
    filter shallowly: its own ``extra`` and a fresh clone of its queryset, nothing deeper.

    A real deep copy of eleven filters, their querysets and choice lists took several
    milliseconds per request. The filters themselves are not changed after the class is built;
    per-request state (the scoped querysets, the form field) lives on the copy.
    """

    def __deepcopy__(self, memo):
        copies = {}
        for name, base in self.items():
            clone = copy.copy(base)
            clone.__dict__.pop("_field", None)
            clone.extra = dict(base.extra)
            if isinstance(getattr(base, "queryset", None), QuerySet):
                clone.queryset = base.queryset.all()
            if getattr(base, "_method", None):
                clone.method = base._method  # binds a new FilterMethod to the copy (and so to its FilterSet)
            copies[name] = clone
        return copies


class _OwnFields(dict):
    """A form class's ``base_fields`` that its single form takes as they are (a shallow copy)."""

    def __deepcopy__(self, memo):
        return dict(self)


ActionFilterSet.base_filters = _CheapCopies(ActionFilterSet.base_filters)
