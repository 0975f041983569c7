"""What the action-plan blocks show to whom, and the keys their rendered fragments are cached under.

Each ``…Data`` object is handed to the block's template, which caches its markup with
``{% cache %}`` under :attr:`cache_key`. The key holds the block's own value, the *visibility*
of the person looking (not the person: everyone with the same partnerships shares a fragment),
the day (overdue depends on it) and a version that every save or delete of an action,
partnership, theme, reflection session or page moves on. The figures and rows are properties,
so on a cache hit they are never computed.
"""

import hashlib
import json
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.filters import ActionFilterSet
from actieplan.reflection import aggregation
from actieplan.reflection.results import answers_of, build_results, radar
from actieplan.progress import hooks as progress_hooks
from actieplan.conf import app_settings
from actieplan.actions.models import Action
from actieplan.partnerships.models import Partnership, Role
from actieplan.reflection.models import ReflectionSession
from actieplan.partnerships.reference import ReflectionTheme
from actieplan.partnerships.permissions import is_platform_admin, partnership_ids

#: The name (``actieplan.caching``) under which rendered blocks are cached; apps.py bumps it.
BLOCKS = "blocks"


def _url(name, query=None):
    try:
        url = reverse(name)
    except NoReverseMatch:  # a site that did not include actieplan.urls
        return ""
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


class BlockData:
    """Shared parts: who is looking, whether they edit the site, and the cache key."""

    fragment = "block"

    def __init__(self, block, value, parent_context=None):
        parent_context = parent_context or {}
        self.block, self.value = block, value
        self.request = parent_context.get("request")
        self.page = parent_context.get("page")
        self.user = getattr(self.request, "user", None) or AnonymousUser()

    @cached_property
    def is_editor(self):
        """Editors of the page (and anyone in its preview) get Dutch hints about broken choices."""
        if getattr(self.request, "is_preview", False):
            return True
        if not self.user.is_authenticated or self.page is None or not hasattr(self.page, "permissions_for_user"):
            return False
        return self.page.permissions_for_user(self.user).can_edit()

    @cached_property
    def member_of(self):
        return sorted(partnership_ids(self.user)) if self.user.is_authenticated else []

    def visibility_key(self):
        """The same for everyone who would see the same thing here."""
        if not self.user.is_authenticated:
            return "anoniem"
        if is_platform_admin(self.user):
            return "alles"
        key = "lid:" + ",".join(map(str, self.member_of))
        # A deelnemer sees their own and their organisation's actions (permissions.py): what they see is theirs.
        if partnership_ids(self.user, (Role.DEELNEMER,)):
            key += f":deelnemer:{self.user.pk}"
        return key

    @cached_property
    def cache_key(self):
        prep = json.dumps(self.block.get_prep_value(self.value), sort_keys=True, default=str)
        parts = [self.fragment, hashlib.sha1(prep.encode()).hexdigest(), self.visibility_key(),
                 "redacteur" if self.is_editor else "-", str(timezone.localdate()), translation.get_language() or "",
                 str(caching.version(BLOCKS))]
        return "|".join(parts)

    @property
    def timeout(self):
        return app_settings.LOB_BLOCK_CACHE_SECONDS

    def _partnership(self):
        """``(partnership, problem)``: the chosen partnership, or a hint when it no longer exists."""
        pk = self.value.get("partnership")
        if not pk:
            return None, None
        partnership = Partnership.objects.filter(pk=pk).first() if str(pk).isdigit() else None
        if partnership is None:
            return None, _("The chosen partnership no longer exists. Choose another partnership in the "
                           "editor.")
        return partnership, None


class ActionListData(BlockData):
    """The rows and counts of an action list block for one visitor."""

    fragment = "actielijst"

    @cached_property
    def problems(self):
        """Dutch hints for editors: choices that point at something deleted. Any problem empties the block."""
        problems = []
        partnership, problem = self._partnership()
        if problem:
            problems.append(problem)
        theme = self.value.get("theme")
        if theme and not (str(theme).isdigit() and ReflectionTheme.objects.filter(pk=theme).exists()):
            problems.append(_("The chosen reflection theme no longer exists. Choose another theme in the editor."))
        page = self.value.get("linked_page")
        if page is not None and not page and getattr(page, "pk", None):
            problems.append(_("The linked page no longer exists. Choose another page in the editor or leave "
                              "the field empty."))
        return problems

    @cached_property
    def filter_data(self):
        """The block's choices as the action list's query string (the same ActionFilterSet)."""
        data = {}
        for name in ("partnership", "theme", "board"):
            if self.value.get(name):
                data[name] = str(self.value[name])
        if self.value.get("status"):
            data["status"] = list(self.value["status"])
        return data

    @cached_property
    def filtered(self):
        """All actions the block's filters select, whoever may see them (for the public count)."""

        if self.problems:
            return Action.objects.none()
        filterset = ActionFilterSet(self.filter_data or None, queryset=Action.objects.all())
        if filterset.is_bound and not filterset.form.is_valid():
            return Action.objects.none()
        actions = filterset.qs
        page = self.value.get("linked_page")
        if page:
            actions = actions.filter(linked_pages=page.pk)
        return actions

    @cached_property
    def visible(self):
        return counts.visible(self.user, self.filtered)

    @cached_property
    def visible_total(self):
        return counts.total(self.visible) if self.user.is_authenticated else 0

    @cached_property
    def rows(self):
        if not self.visible_total:
            return []
        order = self.value.get("order") or "deadline"
        # Unfinished actions have no completion time: after the finished ones on every database.
        ordering = ([order, "pk"] if order != "-completed_at"
                    else [F("completed_at").desc(nulls_last=True), "-updated_at", "pk"])
        return list(self.visible.select_related("owner", "partnership", "theme")
                    .order_by(*ordering)[: self.value.get("number") or 5])

    @cached_property
    def hidden_total(self):
        """How many matching actions this visitor may not see; only when the editor chose to show a count."""
        if self.value.get("public_display") != "count":
            return 0
        return counts.total(self.filtered) - self.visible_total

    @property
    def more(self):
        return max(self.visible_total - len(self.rows), 0)

    @cached_property
    def list_url(self):
        """The action list with the same filters, for those who see actions (it cannot filter by page)."""
        if not self.visible_total or self.value.get("linked_page"):
            return ""
        return _url("actieplan:action_list", self.filter_data)


class PartnershipBlockData(BlockData):
    """A block about one chosen partnership: the partnership (or why it is missing) and whether the viewer is in it."""

    @cached_property
    def partnership_and_problem(self):
        return self._partnership()

    @property
    def partnership(self):
        return self.partnership_and_problem[0]

    @property
    def problems(self):
        problem = self.partnership_and_problem[1]
        return [problem] if problem else []

    @cached_property
    def is_member(self):
        partnership = self.partnership
        return partnership is not None and (is_platform_admin(self.user) or partnership.pk in self.member_of)


class ProgressSummaryData(PartnershipBlockData):
    """The key figures of a partnership: for its members, and for others only if the editor allows figures."""

    fragment = "kerncijfers"

    @property
    def shows_figures(self):
        return self.partnership is not None and (self.is_member or self.value.get("public_display") == "figures")

    @cached_property
    def counted_actions(self):
        actions = Action.objects.filter(partnership=self.partnership)
        # Members count what they may see (all of it); others, when allowed, only the numbers.
        return counts.visible(self.user, actions) if self.is_member else actions

    @cached_property
    def summary(self):
        return counts.summary(self.counted_actions)

    @cached_property
    def praatclub_index(self):
        if not self.shows_figures:
            return None
        return progress_hooks.praatclub_index(self.partnership, self.counted_actions)

    @cached_property
    def progress_url(self):
        return progress_hooks.progress_page_url(self.partnership, self.user) if self.is_member else ""

    @cached_property
    def list_url(self):
        return _url("actieplan:action_list", {"partnership": self.partnership.pk}) if self.is_member else ""


class ReflectionData(PartnershipBlockData):
    """The radar or the trend of a partnership's closed reflection sessions, for its members only."""

    fragment = "reflectie"

    @property
    def allowed(self):
        return self.is_member

    def _sessions(self):
        return (ReflectionSession.objects.filter(partnership=self.partnership, status=ReflectionSession.Status.CLOSED)
                .order_by("-date", "-created_at"))

    @cached_property
    def radar(self):
        """``{"radar", "previous", "session", "results"}`` of the latest closed session, or None."""

        session = self._sessions().first() if self.allowed else None
        if session is None:
            return None
        results, previous = build_results(session)
        return {"radar": radar(results, previous), "previous": previous, "session": session, "results": results}

    @cached_property
    def trend(self):
        """Per theme the mean of each of the last sessions (oldest first), with a small line chart's points."""

        if not self.allowed:
            return None
        sessions = list(self._sessions()[: self.value.get("sessions") or 4])[::-1]
        if len(sessions) < 2:
            return None
        per_session = [aggregation.session_results(s.question_wording, answers_of(s)) for s in sessions]
        width, height, pad = 160, 48, 6
        step = (width - 2 * pad) / (len(sessions) - 1)
        themes = []
        for theme in per_session[-1]:
            means = []
            for results in per_session:
                match = next((t for t in results if t.theme_id == theme.theme_id), None)
                means.append(match.summary.mean if match else None)
            points = " ".join(
                f"{pad + i * step:.1f},{height - pad - (mean - 1) / 4 * (height - 2 * pad):.1f}"
                for i, mean in enumerate(means) if mean is not None)
            themes.append({"name": theme.name, "means": means, "points": points})
        return {"sessions": sessions, "themes": themes, "width": width, "height": height}

    @cached_property
    def results_url(self):
        radar = self.radar if self.value.get("chart") == "radar" else None
        if radar is None:
            return _url("actieplan:reflection_list") if self.allowed else ""
        try:
            return reverse("actieplan:reflection_results", args=[radar["session"].pk])
        except NoReverseMatch:
            return ""
