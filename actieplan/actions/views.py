"""The working group's pages: action list, board, detail with timeline and update form, create and edit.

Everything is scoped by actieplan/permissions.py: an action the user may not see answers 404, a
change the user may not make answers 403, and anonymous visitors are sent to the login page.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from actieplan import conflicts, submissions
from actieplan.accounts import login_required
from actieplan.actions import queries, rollup as action_progress, counts, services
from actieplan.actions.filters import choices_version
from actieplan.actions.forms import ActionForm, ActionUpdateForm
from actieplan.actions.models import Action, adopted_practice
from actieplan.partnerships.permissions import manageable_partnerships
from actieplan.actions.models import ActionStatus
from actieplan.actions.models import ACTIVE_FIRST_ORDER
from actieplan.partnerships.permissions import (
    EDITOR_ROLES, can_edit_action, can_operate_platform, can_update_action, is_platform_admin, partnership_ids,
)
from actieplan.overrides import template_names

PAGE_SIZE = 25
#: How many cards a board column shows; the rest is one click away in the filtered list.
BOARD_CARDS_PER_COLUMN = 10
OPEN_COLUMNS = (ActionStatus.OPEN, ActionStatus.BEZIG, ActionStatus.GEBLOKKEERD)
CLOSED = (ActionStatus.AFGEROND, ActionStatus.VERVALLEN)
BOARD_COLUMNS = [*OPEN_COLUMNS, *CLOSED]

#: Work still to do first (by deadline), finished and cancelled after.
ACTIVE_FIRST = ACTIVE_FIRST_ORDER
STATUS_ORDER = Case(*[When(status=status, then=Value(i)) for i, status in enumerate(BOARD_COLUMNS)], default=Value(9))
#: The list's sortable columns: ``?sort=<key>`` ascending, ``?sort=-<key>`` descending.
SORTS = {
    "titel": (Lower("title"),),
    "eigenaar": (Lower("owner__first_name"), Lower("owner__last_name")),
    "mandaat": ("mandate_level",),
    "deadline": ("deadline",),
    "status": (STATUS_ORDER,),
}
SORT_COLUMNS = [("titel", gettext_lazy("Action")), ("eigenaar", gettext_lazy("Owner")), ("mandaat", gettext_lazy("Mandate")),
                ("deadline", gettext_lazy("Deadline")), ("status", gettext_lazy("Status"))]


def scoped_actions(user):
    """The actions ``user`` may see, with what the detail page shows loaded in the same query."""
    return with_display(counts.visible(user))


def ordered(actions, sort):
    """``actions`` in the order ``sort`` names (see SORTS); the default puts work still to do first."""
    key = sort.lstrip("-")
    if key not in SORTS:
        return actions.order_by(ACTIVE_FIRST, "deadline", "pk")
    descending = sort.startswith("-")
    terms = [term.desc() if descending and hasattr(term, "desc") else
             (f"-{term}" if descending else term) for term in SORTS[key]]
    return actions.order_by(*terms, "-pk" if descending else "pk")


#: The names a board card shows (owner and organisation), joined in the column's query.
CARD_RELATIONS = ("owner", "owner_organisation")
#: A list row shows the theme and the partnership as well.
ROW_RELATIONS = (*CARD_RELATIONS, "partnership", "theme")


def with_display(actions, relations=ROW_RELATIONS):
    """What a row (or, with ``CARD_RELATIONS``, a card) shows, in the page's query: the names by join (the
    progress comes after, see action_progress.attach_rollups). A card joins only what it shows: every
    join costs each of the board's five column queries planning time."""
    return actions.select_related(*relations)


def _filter_query(request, **override):
    """The current filters as a query string, with ``override`` applied (pagination and board links)."""
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in override.items():
        if value is None:
            params.pop(key, None)
        else:
            params.setlist(key, value if isinstance(value, list) else [value])
    return params.urlencode()


def _can_create(user, filterset):
    memberships = filterset.membership_list()
    if memberships is None:  # superusers: no membership list was needed
        return manageable_partnerships(user).exists()
    return any(m.user_id == user.pk and m.role in EDITOR_ROLES for m in memberships)


def _may_update(user, filterset):
    """A test per action for "show the status form on its card", from the cached membership rows (as
    :func:`_can_create`): only for display, the status form's POST is checked afresh (action_status)."""
    memberships = filterset.membership_list()
    if memberships is None:  # superusers
        return lambda action: True
    editable = {m.partnership_id for m in memberships if m.user_id == user.pk and m.role in EDITOR_ROLES}
    return lambda action: action.owner_id == user.pk or action.partnership_id in editable


def _sort_links(request, sort):
    """Per sortable column: its link (toggling the direction when it is the active sort) and state."""
    links = []
    for key, label in SORT_COLUMNS:
        active = sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        links.append({
            "key": key, "label": label, "active": active, "descending": descending,
            "url": "?" + _filter_query(request, sort=(key if descending or not active else f"-{key}")),
        })
    return links


def _summary_links(summary, today):
    """The figures above the list, each with the list filter that shows exactly those actions."""
    base = reverse("actieplan:action_list")
    return [{"key": css, "figure": key, "label": counts.FIGURE_LABELS[key], "count": getattr(summary, key),
             "url": f"{base}?{urlencode(counts.figure_query(key, today))}"}
            for css, key in (("to-do", "to_do"), ("late", "overdue"), ("blocked", "blocked"),
                             ("done", "done_this_quarter"))]


@login_required
def action_list(request):
    filterset, actions = queries.filtered(request)
    sort = request.GET.get("sort", "")
    shown = ordered(with_display(actions), sort)
    paginator = Paginator(shown, PAGE_SIZE)
    paginator.count = counts.total(actions)  # the one count, not the paginator's own
    printing = request.GET.get("afdrukken") == "1"  # all matching rows on one page, for the printer
    page = paginator.get_page(1 if printing else request.GET.get("page"))
    rows = list(shown) if printing else list(page.object_list)
    action_progress.attach_rollups(rows)
    today = timezone.localdate()
    return TemplateResponse(request, template_names("actieplan/actions/list.html"), {
        "filterset": filterset,
        "page_obj": page,
        "actions": rows,
        "printing": printing,
        "today": today,
        "choices_version": choices_version(),
        "summary": _summary_links(counts.headline(counts.visible(request.user).current(), today), today),
        "archived_count": (0 if queries.includes_archived(request.GET)
                           else counts.total(counts.visible(request.user, queries.selected(filterset))
                                             .filter(archived=True))),
        "archived_url": "?" + _filter_query(request, archief="1"),
        "sort": sort if sort.lstrip("-") in SORTS else "",
        "sort_links": _sort_links(request, sort),
        "mine_url": reverse("actieplan:action_list") + "?mine=on",
        "mine_active": filterset.is_bound and filterset.form.is_valid() and bool(filterset.form.cleaned_data.get("mine")),
        "print_url": "?" + _filter_query(request, afdrukken="1"),
        "filter_query": _filter_query(request, sort=None, afdrukken=None),
        "page_query": _filter_query(request, afdrukken=None),
        "can_create": _can_create(request.user, filterset),
    })


@login_required
def action_board(request):
    """Actions by status; per column the most urgent cards and a count, so it stays fast on a big plan.

    The board takes the list's filters from the query string (the list links here with them) and
    sends people to the list to change them, so it renders no filter form of its own.
    """
    filterset, visible = queries.filtered(request, without=("status", "sort", "page", "afdrukken"))
    totals = counts.by_status(visible)
    may_update = _may_update(request.user, filterset)
    columns = []
    for status in BOARD_COLUMNS:
        order = ("deadline", "pk") if status in OPEN_COLUMNS else ("-updated_at", "-pk")
        cards = list(with_display(visible.filter(status=status), CARD_RELATIONS)
                     .order_by(*order)[:BOARD_CARDS_PER_COLUMN])
        for card in cards:
            card.may_update = may_update(card)
        total = totals[status.value]
        columns.append({
            "status": status,
            "label": status.label,
            "cards": cards,
            "total": total,
            "hidden": max(total - len(cards), 0),
            "list_url": reverse("actieplan:action_list") + "?" + _filter_query(
                request, status=status.value, sort=None, page=None),
        })
    action_progress.attach_rollups([card for column in columns for card in column["cards"]])
    return TemplateResponse(request, template_names("actieplan/actions/board.html"), {
        "filterset": filterset,
        "active_filters": filterset.active_filters(),
        "columns": columns,
        "statuses": ActionStatus.choices,
        "today": timezone.localdate(),
        "choices_version": choices_version(),
        "filter_query": _filter_query(request, status=None, sort=None),
        "board_url": request.get_full_path(),
    })


@login_required
def after_login(request):
    """Where the login page sends people: members to their action plan, platform operators to their overview,
    everyone else to the home page."""
    if is_platform_admin(request.user) or partnership_ids(request.user) or counts.total(counts.mine(request.user)):
        return redirect("actieplan:action_list")
    if can_operate_platform(request.user):  # a platform operator without a partnership of their own
        return redirect("actieplan:platform_overview")
    return redirect("/")


@login_required
@require_POST
def action_status(request, pk):
    """The status form on a board card: a new status as a timeline note, back to the board (no JavaScript)."""
    action = _visible_action_or_404(request.user, pk)
    if not can_update_action(request.user, action):
        raise PermissionDenied(_("You are not allowed to update this action."))
    new_status = request.POST.get("status", "")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("actieplan:action_board")
    if new_status not in ActionStatus.values:
        messages.error(request, _("Choose a valid status."))
        return redirect(back)
    seen_status = request.POST.get("van") or None
    if new_status == action.status:
        return redirect(back)
    try:
        submissions.once(request, "bordstatus", lambda: services.add_update(
            action, request.user, _("Status changed on the board."), new_status=new_status, seen_status=seen_status),
            extra=f"actie-{action.pk}")
    except submissions.Repeat:
        messages.info(request, _("This status change had already been processed; there is one note in the timeline."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(title)s” is now set to %(status)s.") % {
            "title": action.title, "status": ActionStatus(new_status).label})
    return redirect(back)


NOTE_SAVED, NOTE_REPEATED = "saved", "repeated"


def post_update(request, action, form, user):
    """Save a bound ``ActionUpdateForm`` once (the action's page and the link in a reminder alike).

    Returns NOTE_SAVED, NOTE_REPEATED (this form was sent before: nothing added now), or the form to show again
    with its errors. After a status conflict the form keeps the note and now shows the current status, so
    sending it again applies the person's choice knowingly.
    """
    if not form.is_valid():
        return form
    data = form.cleaned_data
    try:
        submissions.once(request, "voortgang", lambda: services.add_update(
            action, user, data["note"], new_status=data["new_status"] or None, percent_done=data["percent_done"],
            seen_status=data.get("seen_status") or None), extra=f"actie-{action.pk}", user=user)
    except submissions.Repeat:
        return NOTE_REPEATED
    except services.StatusConflict as error:
        action.refresh_from_db()
        again = form.data.copy()
        again[form.add_prefix("seen_status")] = action.status
        if again.get(form.add_prefix("new_status")) == action.status:
            again[form.add_prefix("new_status")] = ""
        form = ActionUpdateForm(again, action=action)
        form.is_valid()
        form.add_error(None, error.message_dict["new_status"])
    except ValidationError as error:
        form.add_error(None, error)
    else:
        return NOTE_SAVED
    return form


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
            raise PermissionDenied(_("You are not allowed to update this action."))
        outcome = post_update(request, action, ActionUpdateForm(request.POST, action=action), request.user)
        if outcome == NOTE_SAVED:
            messages.success(request, _("Your progress has been added to the timeline."))
            return redirect("actieplan:action_detail", pk=action.pk)
        if outcome == NOTE_REPEATED:
            messages.info(request, _("This progress had already been saved; it appears once in the timeline."))
            return redirect("actieplan:action_detail", pk=action.pk)
        form = outcome
    updates = action.updates.select_related("author").order_by("-created_at", "-pk")
    children = list(with_display(counts.visible(request.user, action.children.all())).order_by(ACTIVE_FIRST, "deadline", "pk"))
    action_progress.attach_rollups(children)
    return TemplateResponse(request, template_names("actieplan/actions/detail.html"), {
        "action": action,
        "percent": action_progress.percent_of(action),
        "children": children,
        "parent": counts.visible(request.user).filter(pk=action.parent_id).first() if action.parent_id else None,
        "updates": updates,
        "linked_pages": action.linked_pages.live().order_by("title"),
        "form": form,
        "can_edit": can_edit_action(request.user, action),
    })


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request):
    if not manageable_partnerships(request.user).exists():
        raise PermissionDenied(_("You cannot create actions: you are not a working group member or process facilitator."))
    if request.method == "POST":
        form = ActionForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                action = submissions.once(request, "actie", lambda: services.create_action(request.user, form=form),
                                          url=lambda a: reverse("actieplan:action_detail", args=[a.pk]))
            except submissions.Repeat as repeat:
                messages.info(request, _("This form had already been submitted; the action was created once."))
                return redirect(repeat.earlier.url or "actieplan:action_list")
            messages.success(request, _("The action has been created."))
            back = _safe_next(request, request.POST.get("next"))
            if back:  # e.g. the reflection results, so the group can make the next action
                messages.info(request, _("You are back at the results: feel free to create the next action."))
                return redirect(back)
            return redirect("actieplan:action_detail", pk=action.pk)
    else:
        initial = ActionForm.initial_from_query(request.GET, request.user)
        if request.GET.get("linked_page") and "linked_pages" not in initial:
            messages.warning(request, _("The page from the link cannot be linked to an action; choose a "
                                        "published good practice or pilot project yourself below."))
        form = ActionForm(user=request.user, initial=initial)
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return TemplateResponse(request, template_names("actieplan/actions/form.html"), {
        "form": form, "action": None, "next": next_url, "adopted_practice": adopted_practice(request.GET),
    })


def _safe_next(request, url):
    """``url`` when it points back into this site (never to another host), else None."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return None


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    action = _visible_action_or_404(request.user, pk)
    if not can_edit_action(request.user, action):
        raise PermissionDenied(_("You are not allowed to edit this action; you can add progress if you are the owner."))
    conflict, status = None, 200
    if request.method == "POST":
        form = ActionForm(request.POST, instance=action, user=request.user)
        # Before validating: a deadline someone else moved is a conflict, not a "give a reason" error.
        conflict = form.conflict(current_user=request.user)
        if not conflict and form.is_valid():
            try:
                services.edit_action(request.user, action, form)
            except conflicts.EditConflict as error:
                conflict = error.conflict
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The changes have been saved."))
                return redirect("actieplan:action_detail", pk=action.pk)
        if conflict:
            # What this person typed stays; the fields they left alone show the new values.
            current = Action.objects.get(pk=action.pk)
            form = ActionForm(instance=current, user=request.user, initial=form.merged_initial(current))
            status = 409
    else:
        form = ActionForm(instance=action, user=request.user)
    return TemplateResponse(request, template_names("actieplan/actions/form.html"),
                            {"form": form, "action": action, "conflict": conflict}, status=status)


urlpatterns = [
    path("", action_list, name="action_list"),
    path("bord/", action_board, name="action_board"),
    path("acties/<int:pk>/status/", action_status, name="action_status"),
    path("na-inloggen/", after_login, name="after_login"),
    path("acties/nieuw/", action_create, name="action_create"),
    path("acties/<int:pk>/", action_detail, name="action_detail"),
    path("acties/<int:pk>/bewerken/", action_edit, name="action_edit"),
]
