"""One count everywhere: for generated plans and generated filters, the list, its pages, the printable
list, the CSV and XLSX exports, the admin listing, the board's columns, the dashboard panel "Mijn acties"
and the report "Verlopen acties" all agree with a plain Python computation over the rows that applies
the permission policy by hand.

Runs on PostgreSQL with ``bin/test tests/test_action_counts.py`` (and on SQLite with ``--sqlite``).
"""

import csv
import datetime
import io

from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from actieplan.actions.admin import MyActionsPanel
from actieplan.models import (
    Action, ActionStatus, BoardDomain, MandateLevel, Membership, Organisation, Partnership, ReflectionTheme, Role,
)
from actieplan.actions.models import ACTIVE_STATUSES
from tests.factories import make_user

N_PARTNERSHIPS = 3
N_PEOPLE = 5
WORDS = ["LOB-dag", "stage", "Verantwoordelijkheden", "ouderavond", "50%_korting"]
STATUSES = [s.value for s in ActionStatus]
TODAY = timezone.localdate


def _day(offset):
    return TODAY() + datetime.timedelta(days=offset)


action_rows = st.lists(st.fixed_dictionaries({
    "partnership": st.integers(0, N_PARTNERSHIPS - 1),
    "org": st.integers(0, 1),  # which of the partnership's two organisations the owner acts for
    "owner": st.integers(0, N_PEOPLE - 1),
    "status": st.sampled_from(STATUSES),
    "deadline": st.integers(-4, 4),
    "completed_days_ago": st.integers(0, 200),
    "theme": st.integers(0, 1),
    "mandate_level": st.sampled_from(MandateLevel.values),
    "board": st.sampled_from(["", *BoardDomain.values]),
    "title": st.sampled_from(WORDS),
    "description": st.sampled_from(["", *WORDS]),
}), min_size=0, max_size=40)

memberships = st.lists(  # per person: per partnership a role or none
    st.lists(st.sampled_from([None, *Role.values]), min_size=N_PARTNERSHIPS, max_size=N_PARTNERSHIPS),
    min_size=N_PEOPLE, max_size=N_PEOPLE)

filters = st.fixed_dictionaries({}, optional={
    "q": st.sampled_from(["", " stage ", "lob", "VERANTWOORDELIJK", "%_", "niets"]),
    "partnership": st.integers(0, N_PARTNERSHIPS - 1),
    "theme": st.integers(0, 1),
    "status": st.lists(st.sampled_from(STATUSES), max_size=3, unique=True),
    "owner": st.integers(0, N_PEOPLE - 1),
    "owner_organisation": st.integers(0, 2 * N_PARTNERSHIPS - 1),
    "mandate_level": st.sampled_from(MandateLevel.values),
    "board": st.sampled_from(BoardDomain.values),
    "mine": st.just(True),
    "overdue": st.sampled_from(["", "true", "false"]),
    "deadline_after": st.integers(-3, 3),
    "deadline_before": st.integers(-3, 3),
    "completed_after": st.integers(-150, 0),
})


class Plan:
    """Builds the generated plan in the database and keeps it as plain Python rows."""

    def __init__(self, rows, roles, viewer_index):
        self.partnerships = [Partnership.objects.create(name=f"Regio {i}", slug=f"regio-{i}")
                             for i in range(N_PARTNERSHIPS)]
        self.organisations = []  # two per partnership: index 2 * partnership + 0 or 1
        for p in self.partnerships:
            for k in range(2):
                org = Organisation.objects.create(name=f"School {k} van {p.name}", organisation_type="vo")
                org.partnerships.add(p)
                self.organisations.append(org)
        werkgroep = Group.objects.get(name="Werkgroep")  # admin access; what they see follows memberships
        self.people = []
        for i in range(N_PEOPLE):
            person = make_user(first_name=f"Persoon{i}", last_name="Lid")
            person.groups.add(werkgroep)
            self.people.append(person)
        self.memberships = set()  # (person index, partnership index)
        self.roles = {}  # (person index, partnership index) -> role; person i acts for organisation i % 2
        for i, per_partnership in enumerate(roles):
            for j, role in enumerate(per_partnership):
                if role:
                    Membership.objects.create(user=self.people[i], partnership=self.partnerships[j],
                                              organisation=self.organisations[2 * j + i % 2], role=role)
                    self.memberships.add((i, j))
                    self.roles[(i, j)] = role
        if viewer_index is None:
            self.viewer = make_user(is_superuser=True, is_staff=True)
            self.viewer_index = None
        else:
            self.viewer, self.viewer_index = self.people[viewer_index], viewer_index
        self.themes = list(ReflectionTheme.objects.order_by("sort_order")[:2])
        now = timezone.now()
        self.rows = rows
        Action.objects.bulk_create([Action(
            title=row["title"], description=row["description"], partnership=self.partnerships[row["partnership"]],
            theme=self.themes[row["theme"]], owner=self.people[row["owner"]],
            owner_organisation=self.organisations[2 * row["partnership"] + row["org"]],
            mandate_level=row["mandate_level"],
            board=row["board"], deadline=_day(row["deadline"]), status=row["status"],
            completed_at=(now - datetime.timedelta(days=row["completed_days_ago"])
                          if row["status"] == ActionStatus.AFGEROND else None),
        ) for row in rows])
        for row, action in zip(rows, Action.objects.order_by("pk")):
            row["pk"] = action.pk
            row["completed_at"] = action.completed_at

    # --- the permission policy and the filters, by hand ---------------------------------------------

    @property
    def superuser(self):
        return self.viewer_index is None

    def reader_of(self):
        """Partnerships whose whole plan the viewer reads: procesbewaker, werkgroeplid, bestuurder."""
        if self.superuser:
            return set(range(N_PARTNERSHIPS))
        return {j for (i, j), role in self.roles.items() if i == self.viewer_index and role != Role.DEELNEMER}

    def sees(self, r):
        """The policy by hand: readers all; a current member their own actions; a deelnemer their organisation's."""
        if self.superuser or r["partnership"] in self.reader_of():
            return True
        role = self.roles.get((self.viewer_index, r["partnership"]))
        if role is None:
            return False
        return r["owner"] == self.viewer_index or (role == Role.DEELNEMER and r["org"] == self.viewer_index % 2)

    def visible(self):
        return [r for r in self.rows if self.sees(r)]

    def valid(self, f):
        """A filter naming something outside the viewer's partnerships is refused (then nothing filters)."""
        partnerships = self.reader_of()
        people = {i for i, j in self.memberships if j in partnerships}
        organisations = {2 * j + i % 2 for i, j in self.memberships if j in partnerships} if not self.superuser \
            else set(range(2 * N_PARTNERSHIPS))
        return (f.get("partnership", 0) in partnerships if "partnership" in f else True) and \
            (f["owner"] in people if "owner" in f else True) and \
            (f["owner_organisation"] in organisations if "owner_organisation" in f else True)

    def matches(self, r, f):
        today = TODAY()
        late = r["status"] in ACTIVE_STATUSES and r["deadline"] < 0
        q = f.get("q", "").strip().lower()
        if q and q not in r["title"].lower() and q not in r["description"].lower():
            return False
        checks = [
            ("partnership", lambda v: r["partnership"] == v),
            ("theme", lambda v: r["theme"] == v),
            ("status", lambda v: not v or r["status"] in v),
            ("owner", lambda v: r["owner"] == v),
            ("owner_organisation", lambda v: 2 * r["partnership"] + r["org"] == v),
            ("mandate_level", lambda v: r["mandate_level"] == v),
            ("board", lambda v: r["board"] == v),
            ("mine", lambda v: r["owner"] == self.viewer_index),
            ("overdue", lambda v: {"": True, "true": late, "false": not late}[v]),
            ("deadline_after", lambda v: r["deadline"] >= v),
            ("deadline_before", lambda v: r["deadline"] <= v),
            ("completed_after", lambda v: r["status"] == ActionStatus.AFGEROND and timezone.localtime(
                r["completed_at"]).date() >= today + datetime.timedelta(days=v)),
        ]
        return all(check(f[name]) for name, check in checks if name in f)

    def expected(self, f, search_apart=False):
        """The pks the filters ``f`` select; ``search_apart``: the admin, whose search box applies even when a
        filter in the drawer is refused."""
        rows = self.visible()
        if not self.valid(f):
            if search_apart and f.get("q", "").strip():
                return {r["pk"] for r in rows if self.matches(r, {"q": f["q"]})}
            return {r["pk"] for r in rows}
        return {r["pk"] for r in rows if self.matches(r, f)}

    # --- the same filters as a query string -----------------------------------------------------------

    def query(self, f):
        data = []
        for name, value in f.items():
            if name in ("partnership", "owner_organisation"):
                value = (self.partnerships if name == "partnership" else self.organisations)[value].pk
            elif name == "owner":
                value = self.people[value].pk
            elif name == "theme":
                value = self.themes[value].pk
            elif name == "mine":
                value = "on"
            elif name in ("deadline_after", "deadline_before", "completed_after"):
                value = _day(value).isoformat()
            for item in (value if isinstance(value, list) else [value]):
                data.append((name, item))
        return data


def _as_dict(pairs):
    data = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


class ActionCountInvariants(TestCase):
    @settings(max_examples=25, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(rows=action_rows, roles=memberships, viewer=st.one_of(st.none(), st.integers(0, N_PEOPLE - 1)),
           f=filters)
    def test_every_place_counts_the_same_actions(self, rows, roles, viewer, f):
        plan = Plan(rows, roles, viewer)
        self.client.force_login(plan.viewer)
        query = _as_dict(plan.query(f))
        expected = plan.expected(f)

        # The list: its count, the rows over all its pages, and the printable list.
        first = self.client.get(reverse("actieplan:action_list"), query)
        assert first.status_code == 200
        count = first.context["page_obj"].paginator.count
        seen = [a.pk for a in first.context["actions"]]
        for number in first.context["page_obj"].paginator.page_range[1:]:
            page = self.client.get(reverse("actieplan:action_list"), {**query, "page": number})
            seen += [a.pk for a in page.context["actions"]]
        assert len(seen) == len(set(seen)) == count
        assert set(seen) == expected, (f, plan.valid(f))
        printed = self.client.get(reverse("actieplan:action_list"), {**query, "afdrukken": "1"})
        assert {a.pk for a in printed.context["actions"]} == expected

        # The exports.
        text = self.client.get(reverse("actieplan:action_export_csv"), query).content.decode("utf-8-sig")
        assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) - 1 == len(expected)
        from openpyxl import load_workbook
        workbook = load_workbook(io.BytesIO(self.client.get(reverse("actieplan:action_export_xlsx"), query).content))
        assert workbook.active.max_row - 1 == len(expected)

        # The board: the sum of the columns for the same filters (its status is the columns).
        board = self.client.get(reverse("actieplan:action_board"), query)
        columns = {c["status"]: c["total"] for c in board.context["columns"]}
        chosen = f.get("status") if plan.valid(f) and f.get("status") else STATUSES
        assert sum(columns[s] for s in chosen) == len(expected)
        assert all(len(c["cards"]) + c["hidden"] == c["total"] for c in board.context["columns"])

        # The admin listing and the report: the same FilterSet ("Alleen mijn acties" is the front end's).
        admin_filters = {k: v for k, v in f.items() if k != "mine"}
        admin_query = _as_dict(plan.query(admin_filters))
        admin = self.client.get(reverse("actieplan_actions:list"), admin_query)
        assert admin.status_code == 200
        assert admin.context["items_count"] == len(plan.expected(admin_filters, search_apart=True))
        late = {r["pk"] for r in plan.visible() if r["status"] in ACTIVE_STATUSES and r["deadline"] < 0}
        report = self.client.get(reverse("actieplan_overdue_report"), admin_query)
        assert report.context["items_count"] == len(plan.expected(admin_filters, search_apart=True) & late)

        # The dashboard panel "Mijn acties": one's own actions still to do.
        request = RequestFactory().get("/admin/")
        request.user = plan.viewer
        panel = MyActionsPanel().get_context_data({"request": request})
        own = {r["pk"] for r in plan.visible() if r["owner"] == plan.viewer_index and r["status"] in ACTIVE_STATUSES}
        assert panel["total"] == len(own) == sum(len(g["items"]) for g in panel["groups"])
