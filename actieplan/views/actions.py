"""The working group's pages: action list, board, detail with timeline and update form, create and edit.

Everything is scoped by actieplan/permissions.py: an action the user may not see answers 404, a
change the user may not make answers 403, and anonymous visitors are sent to the login page.
"""

from collections import namedtuple
from html import escape as html_escape

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actieplan import counts, services
from actieplan.filters import ActionFilterSet, person_name, theme_choices
from actieplan.forms import ActionForm, ActionUpdateForm, manageable_partnerships
from actieplan.models import Action, ActionStatus, MandateLevel, Organisation, Partnership
from actieplan.models.action import ACTIVE_STATUSES
from actieplan.permissions import (
    EDITOR_ROLES, can_edit_action, can_update_action, visible_actions_filter,
)

PAGE_SIZE = 25
#: How many cards a board column shows; the rest is one click away in the filtered list.
BOARD_CARDS_PER_COLUMN = 10
OPEN_COLUMNS = (ActionStatus.OPEN, ActionStatus.BEZIG, ActionStatus.GEBLOKKEERD)
CLOSED = (ActionStatus.AFGEROND, ActionStatus.VERVALLEN)
BOARD_COLUMNS = [*OPEN_COLUMNS, *CLOSED]


def scoped_actions(user):
    """The actions ``user`` may see, with what the detail page shows loaded in the same query."""
    return (Action.objects.filter(visible_actions_filter(user))
            .select_related("partnership", "theme", "owner", "owner_organisation"))


LATE_ROW = ' class="ap-row--late"'


class ActionHtml:
    """Table rows and board cards, rendered in Python with ``format_html`` (which escapes like a template).

    A page shows up to 25 rows or 50 cards; through the template engine each cost about 0.7 ms
    (variable lookups, a translated date), which alone made the list and the board several times
    slower than a plain page. Labels, month names and the URL pattern are resolved once per page.
    """

    _PK = 987654321

    def __init__(self):
        self.today = timezone.localdate()
        self.months = {number: str(name) for number, name in MONTHS_3.items()}
        self.statuses = {value: str(label) for value, label in ActionStatus.choices}
        self.mandates = {value: str(label) for value, label in MandateLevel.choices}
        self.url = reverse("actieplan:action_detail", args=[self._PK])
        self.t = {key: html_escape(label) for key, label in {
            "action": _("Actie"), "owner": _("Eigenaar"), "mandate": _("Mandaat"), "deadline": _("Deadline"),
            "status": _("Status"), "late": _("te laat")}.items()}

    def _common(self, action):
        e = html_escape
        late = action.status in ACTIVE_STATUSES and action.deadline < self.today
        d = action.deadline
        deadline = f'<time datetime="{d.isoformat()}">{d.day} {e(self.months[d.month])} {d.year}</time>'
        if late:
            deadline += f' <span class="badge badge--late">{self.t["late"]}</span>'
        return {
            "url": e(self.url.replace(str(self._PK), str(action.pk))),
            "title": e(action.title),
            "owner": e(action.owner_name),
            "organisation": e(action.organisation_name),
            "late": late,
            "deadline": deadline,
            "mandate": e(self.mandates.get(action.mandate_level, "")),
        }

    def row(self, action):
        c, t, e = self._common(action), self.t, html_escape
        organisation = f'<span class="ap-muted ap-block">{c["organisation"]}</span>' if c["organisation"] else ""
        return mark_safe(
            f'<tr{LATE_ROW if c["late"] else ""}>'
            f'<th scope="row" data-label="{t["action"]}"><a href="{c["url"]}">{c["title"]}</a>'
            f'<span class="ap-muted ap-block">{e(action.theme_name)} · {e(action.partnership_name)}</span></th>'
            f'<td data-label="{t["owner"]}">{c["owner"]}{organisation}</td>'
            f'<td data-label="{t["mandate"]}">{c["mandate"]}</td>'
            f'<td data-label="{t["deadline"]}">{c["deadline"]}</td>'
            f'<td data-label="{t["status"]}"><span class="badge ap-status ap-status--{e(action.status)}">'
            f'{e(self.statuses.get(action.status, action.status))}</span></td></tr>'
        )

    def card(self, action):
        c, t = self._common(action), self.t
        organisation = f' <span class="ap-muted">({c["organisation"]})</span>' if c["organisation"] else ""
        return mark_safe(
            f'<article class="ap-card{" ap-card--late" if c["late"] else ""}" data-action-id="{action.pk}">'
            f'<h3 class="ap-card__title"><a href="{c["url"]}">{c["title"]}</a></h3><dl class="ap-card__meta">'
            f'<div><dt>{t["owner"]}</dt><dd>{c["owner"]}{organisation}</dd></div>'
            f'<div><dt>{t["deadline"]}</dt><dd>{c["deadline"]}</dd></div>'
            f'<div><dt>{t["mandate"]}</dt><dd>{c["mandate"]}</dd></div></dl></article>'
        )


ROW_FIELDS = ("pk", "title", "deadline", "status", "mandate_level", "updated_at", "owner_id",
              "owner_organisation_id", "theme_id", "partnership_id")
ActionRow = namedtuple("ActionRow", ROW_FIELDS + ("owner_name", "organisation_name", "theme_name",
                                                  "partnership_name"))


def action_rows(actions, memberships=None):
    """What a table row or board card shows, without model instances or joins.

    ``actions`` is a queryset, or rows already read with ``values_list(*ROW_FIELDS)``. The actions
    come from one plain query (joins made PostgreSQL spend longer planning the page
    query than running it); the names of owners, organisations and partnerships come from the
    membership rows the filter form has already read, the six themes and anything missing from
    small look-ups by primary key.
    """
    rows = list(actions.values_list(*ROW_FIELDS) if isinstance(actions, QuerySet) else actions)
    if not rows:
        return []
    people, organisations, partnerships = {}, {}, {}
    for m in memberships or ():
        people[m.user_id] = person_name(m.first_name, m.last_name, m.username)
        organisations[m.organisation_id] = m.organisation_name
        partnerships[m.partnership_id] = m.partnership_name
    missing = {row[6] for row in rows} - people.keys()
    if missing:
        for pk, first, last, username in get_user_model().objects.filter(pk__in=missing).values_list(
                "pk", "first_name", "last_name", "username"):
            people[pk] = person_name(first, last, username)
    missing = {row[7] for row in rows if row[7] is not None} - organisations.keys()
    if missing:
        organisations.update(Organisation.objects.filter(pk__in=missing).values_list("pk", "name"))
    missing = {row[9] for row in rows} - partnerships.keys()
    if missing:
        partnerships.update(Partnership.objects.filter(pk__in=missing).values_list("pk", "name"))
    themes = dict(theme_choices())
    return [ActionRow(*row, people.get(row[6], ""), organisations.get(row[7], "") if row[7] else "",
                      themes.get(row[8], ""), partnerships.get(row[9], "")) for row in rows]


def _filter_query(request, **override):
    """The current filters as a query string, with ``override`` applied (pagination and board links)."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in override.items():
        params.setlist(key, value if isinstance(value, list) else [value])
    return params.urlencode()


def _can_create(user, filterset):
    memberships = filterset.membership_list()
    if memberships is None:  # superusers: no membership list was needed
        return manageable_partnerships(user).exists()
    return any(m.user_id == user.pk and m.role in EDITOR_ROLES for m in memberships)


#: Stands in for a column's status while the board's card query is compiled once (see _column_rows).
_COLUMN = "\x00kolom"


def _column_rows(actions):
    """Per column the most urgent (open work) or most recently closed cards, as ROW_FIELDS rows.

    Each column is an index scan that stops after BOARD_CARDS_PER_COLUMN rows. On PostgreSQL all
    five run as one UNION ALL, compiled twice (once per sort order) with the status as a parameter
    instead of five times: the ORM's compilation of the filtered query cost more than running it.
    """
    def query(status, order):
        return actions.filter(status=status).order_by(*order).values_list(*ROW_FIELDS)[:BOARD_CARDS_PER_COLUMN]

    columns = ((OPEN_COLUMNS, ("deadline", "pk")), (CLOSED, ("-updated_at",)))
    one_by_one = (row for statuses, order in columns for status in statuses for row in query(status, order))
    if not connection.features.supports_slicing_ordering_in_compound:  # SQLite: one query per column
        return list(one_by_one)
    parts, params = [], []
    for statuses, order in columns:
        sql, template = query(_COLUMN, order).query.sql_with_params()
        at = [i for i, value in enumerate(template) if value == _COLUMN]
        if len(at) != 1:  # cannot happen (the form refuses NUL characters), but never guess
            return list(one_by_one)
        for status in statuses:
            parts.append(f"({sql})")
            params += [*template[:at[0]], status.value, *template[at[0] + 1:]]
    with connection.cursor() as cursor:  # psycopg returns dates and aware datetimes as the ORM would
        cursor.execute(" UNION ALL ".join(parts), params)
        return cursor.fetchall()


@login_required
def action_list(request):
    filterset = ActionFilterSet(request.GET or None, queryset=Action.objects.all(), request=request)
    paginator = Paginator(counts.visible(request.user, filterset.qs), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    actions = action_rows(page.object_list, filterset.membership_list())
    html = ActionHtml()
    return TemplateResponse(request, "actieplan/action_list.html", {
        "filterset": filterset,
        "page_obj": page,
        "actions": actions,
        "rows": [html.row(action) for action in actions],
        "filter_query": _filter_query(request),
        "can_create": _can_create(request.user, filterset),
    })


@login_required
def action_board(request):
    """Actions by status; per column the most urgent cards and a count, so it stays fast on a big plan.

    The board takes the list's filters from the query string (the list links here with them) and
    sends people to the list to change them, so it renders no filter form of its own.
    """
    filter_data = request.GET.copy()
    filter_data.pop("status", None)  # the columns are the statuses
    filterset = ActionFilterSet(filter_data or None, queryset=Action.objects.all(), request=request)
    visible = counts.visible(request.user, filterset.qs)
    totals = counts.by_status(visible)
    by_status = {status: [] for status in BOARD_COLUMNS}
    for action in action_rows(_column_rows(visible),
                              filterset.membership_list()):
        by_status[action.status].append(action)
    html = ActionHtml()
    columns = []
    for status in BOARD_COLUMNS:
        if status in CLOSED:
            cards = sorted(by_status[status], key=lambda a: a.updated_at, reverse=True)
        else:
            cards = sorted(by_status[status], key=lambda a: (a.deadline, a.pk))
        total = totals[status.value]
        columns.append({
            "status": status,
            "label": status.label,
            "cards": cards,
            "cards_html": [html.card(action) for action in cards],
            "total": total,
            "hidden": max(total - len(cards), 0),
            "list_url": reverse("actieplan:action_list") + "?" + _filter_query(request, status=status.value),
        })
    return TemplateResponse(request, "actieplan/action_board.html", {
        "filterset": filterset,
        "active_filters": [filterset.form[name].label for name, value in filterset.form.cleaned_data.items()
                           if value not in (None, "", [], ())] if filterset.is_filtered else [],
        "columns": columns,
        "filter_query": _filter_query(request),
    })


def _visible_action_or_404(user, pk):
    return get_object_or_404(scoped_actions(user).select_related("source_session", "created_by"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk):
    action = _visible_action_or_404(request.user, pk)
    may_update = can_update_action(request.user, action)
    form = ActionUpdateForm(action=action) if may_update else None
    if request.method == "POST":
        if not may_update:
            raise PermissionDenied(_("U mag deze actie niet bijwerken."))
        form = ActionUpdateForm(request.POST, action=action)
        if form.is_valid():
            try:
                services.add_update(action, request.user, form.cleaned_data["note"],
                                    new_status=form.cleaned_data["new_status"] or None,
                                    percent_done=form.cleaned_data["percent_done"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Uw voortgang is toegevoegd aan de tijdlijn."))
                return redirect("actieplan:action_detail", pk=action.pk)
    updates = action.updates.select_related("author").order_by("-created_at", "-pk")
    return TemplateResponse(request, "actieplan/action_detail.html", {
        "action": action,
        "updates": updates,
        "linked_pages": action.linked_pages.live().order_by("title"),
        "form": form,
        "can_edit": can_edit_action(request.user, action),
    })


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request):
    if not manageable_partnerships(request.user).exists():
        raise PermissionDenied(_("U kunt geen acties aanmaken: u bent geen werkgroeplid of procesbewaker."))
    if request.method == "POST":
        form = ActionForm(request.POST, user=request.user)
        if form.is_valid():
            action = services.create_action(request.user, form=form)
            messages.success(request, _("De actie is aangemaakt."))
            return redirect("actieplan:action_detail", pk=action.pk)
    else:
        initial = ActionForm.initial_from_query(request.GET, request.user)
        if request.GET.get("linked_page") and "linked_pages" not in initial:
            messages.warning(request, _("De pagina uit de link kan niet aan een actie gekoppeld worden; "
                                        "kies hieronder zelf een gepubliceerde good practice of proeftuin."))
        form = ActionForm(user=request.user, initial=initial)
    return TemplateResponse(request, "actieplan/action_form.html", {"form": form, "action": None})


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = _visible_action_or_404(request.user, pk)
    if not can_edit_action(request.user, action):
        raise PermissionDenied(_("U mag deze actie niet bewerken; u kunt wel voortgang toevoegen als u de eigenaar bent."))
    if request.method == "POST":
        form = ActionForm(request.POST, instance=action, user=request.user)
        if form.is_valid():
            services.edit_action(request.user, action, form)
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("actieplan:action_detail", pk=action.pk)
    else:
        form = ActionForm(instance=action, user=request.user)
    return TemplateResponse(request, "actieplan/action_form.html", {"form": form, "action": action})


urlpatterns = [
    path("", action_list, name="action_list"),
    path("bord/", action_board, name="action_board"),
    path("acties/nieuw/", action_create, name="action_create"),
    path("acties/<int:pk>/", action_detail, name="action_detail"),
    path("acties/<int:pk>/bewerken/", action_edit, name="action_edit"),
]
