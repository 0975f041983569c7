from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import redirect
from django.templatetags.static import static
from django.template.response import TemplateResponse
from wagtail.models import Page


def search(request):
    """Full-text search over every published public page (Wagtail's search backend)."""
    query = request.GET.get("q", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except (PageNotAnInteger, EmptyPage):
        page = paginator.page(1)
    return TemplateResponse(request, "home/search.html", {"query": query, "results": page})


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links to; send them to the platform's icon."""
    return redirect(static("favicon.svg"), permanent=True)
