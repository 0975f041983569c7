"""The plan search page: ``zoeken/?q=…`` (login), optionally one kind (``&soort=notities``) and a page of it.

Anything typed is safe: only letters and digits are searched for, an empty query shows how the search works
instead of everything, and an unknown kind or page number shows the overview or the first page.
"""

from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.http import urlencode

from actieplan.accounts import login_required
from actieplan.overrides import template_names
from actieplan.search import plan

#: Longer queries are cut: nobody types more, and a pasted page must not reach the database whole.
MAX_QUERY = 200


def _page_number(value):
    return int(value) if value.isdigit() and len(value) < 6 else 1


@login_required
def plan_search(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    kind = request.GET.get("soort", "")
    result = plan.search(request.user, query, kind=kind, page=_page_number(request.GET.get("pagina", "")))
    searched = result.suggestion or " ".join(result.words)
    for kind_result in result.kinds:
        kind_result.url = "?" + urlencode({"q": searched, "soort": kind_result.kind.key})
    try:
        site_search = reverse("search") + "?" + urlencode({"q": query})
    except NoReverseMatch:  # a host site without the reference site's page search
        site_search = ""
    return TemplateResponse(request, template_names("actieplan/search/results.html"), {
        "query": query,
        "result": result,
        "kinds": plan.KINDS,
        "searched_query": searched,
        "overview_url": "?" + urlencode({"q": searched}),
        "suggestion_url": "?" + urlencode({"q": result.suggestion}) if result.suggestion else "",
        "site_search_url": site_search if query else "",
        "page_query": urlencode({"q": searched, "soort": result.chosen.key}) if result.chosen else "",
    })


urlpatterns = [
    path("zoeken/", plan_search, name="search"),
]
