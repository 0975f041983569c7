"""One word, one figure: each count's label says what it counts, the same on the list, the Voortgang page and the
blocks, and every "in de lijst" link shows the number it came from.

"open" once meant two figures (the status open above the list, everything unfinished on Voortgang), and the
Voortgang link showed the cancelled actions too (43 where the page said 42). Over generated plans and filters, the
figures are checked against a plain computation of their definition, and each link is followed to the list.
"""

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings, strategies as st

from actieplan.actions import counts
from actieplan.actions.models import ACTIVE_STATUSES
from actieplan.progress.demo import ensure_progress_page
from tests.test_progress import build_plan, day, organisations, plain_figures, row_strategy  # noqa: F401

pytestmark = pytest.mark.django_db

#: The key figures of the Voortgang page and which entry of the plain computation each is.
PLAIN = {"agreed": "agreed", "done": "done", "done_on_time": "done_on_time", "to_do": "open", "overdue": "overdue",
         "blocked": "blocked"}


def list_count(client, url):
    parts = urlsplit(url)
    data = {}
    for name, value in parse_qsl(parts.query):
        data.setdefault(name, []).append(value)
    return client.get(parts.path, data).context["page_obj"].paginator.count


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy, max_size=20), window=st.sampled_from([None, (-30, 30), (0, 200)]),
       organisation=st.sampled_from([None, 0, 1]))
def test_every_key_figure_is_labelled_by_what_it_counts_and_its_link_shows_that_number(
        client, people, organisations, rows, window, organisation):
    cache.clear()
    page = ensure_progress_page(people.partnership, title="Voortgang", slug="voortgang-labels")
    build_plan(people, rows, organisations)
    query = {}
    selected = rows
    if window is not None:
        query.update(deadline_after=day(window[0]).isoformat(), deadline_before=day(window[1]).isoformat())
        selected = [r for r in selected if window[0] <= r["deadline"] <= window[1]]
    if organisation is not None:
        query["owner_organisation"] = organisations[organisation].pk
        selected = [r for r in selected if r["org"] == organisation]
    expected, _on_time = plain_figures(selected)

    client.force_login(people.bestuurder)
    response = client.get(page.url, query)
    kpis = {kpi["key"]: kpi for kpi in response.context["kpis"]}
    assert list(kpis) == ["agreed", "done", "done_on_time", "to_do", "overdue", "blocked"]
    html = re.sub(r"\s+", " ", response.content.decode())
    for key, kpi in kpis.items():
        assert kpi["count"] == expected[PLAIN[key]], key
        assert kpi["label"] == counts.FIGURE_LABELS[key]
        assert f'<dt>{str(kpi["label"]).capitalize()}</dt><dd data-figure="{key}">{kpi["count"]}</dd>' in html
        if key == "done_on_time":
            assert kpi["url"] == ""  # the list cannot show "on time": no link that would show another number
            continue
        assert list_count(client, kpi["url"]) == kpi["count"], key
    agreed = kpis["agreed"]["count"]
    link = "afgesproken actie in de lijst" if agreed == 1 else "afgesproken acties in de lijst"
    assert f"Bekijk deze {agreed} {link}" in html

    # The list's own figures use the same words for the same figures, and count the same actions.
    summary = {f["figure"]: f for f in client.get(reverse("actieplan:action_list")).context["summary"]}
    everything, _ = plain_figures(rows)
    assert summary["to_do"]["count"] == everything["open"] == sum(r["status"] in ACTIVE_STATUSES for r in rows)
    assert summary["overdue"]["count"] == everything["overdue"]
    assert summary["blocked"]["count"] == everything["blocked"]
    for figure in summary.values():
        assert figure["label"] == counts.FIGURE_LABELS[figure["figure"]]
        assert list_count(client, figure["url"]) == figure["count"]


def test_the_word_open_names_only_the_status():
    """No figure is called "open": the status open is one of the three that make "nog te doen"."""
    assert "open" not in {str(label) for label in counts.FIGURE_LABELS.values()}
    assert counts.figure_query("to_do") == [("status", "open"), ("status", "bezig"), ("status", "geblokkeerd")]
    assert counts.figure_query("agreed") == [("status", s) for s in ("open", "bezig", "afgerond", "geblokkeerd")]
    assert counts.figure_query("done_this_quarter", timezone.localdate())[1][0] == "completed_after"
