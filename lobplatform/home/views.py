from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import redirect
from django.templatetags.static import static
from django.db.models import prefetch_related_objects
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from good_practices import search as library_search
from good_practices.models import GoodPracticePage, ProeftuinPage

#: What the results call each kind of page; everything else is "Pagina".
KINDS = ((GoodPracticePage, _("Good practice")), (ProeftuinPage, _("Proeftuin")))


def kind_of(page):
    for model, label in KINDS:
        if isinstance(page, model):
            return label
    return _("Pagina")


def search(request):
    """Search over every published public page: word forms and parts of words (good_practices.search).

    Each result shows its summary, the themes of a good practice and the kind of page; a query with
    only symbols (quotes, brackets) finds nothing instead of failing.
    """
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    terms = []
    if query:
        pages = Page.objects.live().public()
        condition = library_search.condition(
            pages, query, contains=("title", "goodpracticepage__summary", "proeftuinpage__summary"))
        if condition is not None:
            terms = library_search.terms(query)
            results = pages.filter(condition).order_by(*library_search.relevance(terms), "title").specific()
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    hits = list(page.object_list)
    prefetch_related_objects([hit for hit in hits if isinstance(hit, GoodPracticePage)], "themes")
    return TemplateResponse(request, "home/search.html", {
        "query": query,
        "results": page,
        "hits": [{"page": hit, "kind": kind_of(hit), "summary": getattr(hit, "summary", "") or hit.search_description,
                  "themes": list(hit.themes.all()) if isinstance(hit, GoodPracticePage) else []} for hit in hits],
        "search_terms": terms,
    })


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to; send them to the platform's icon."""
    return redirect(static("favicon.svg"), permanent=True)
