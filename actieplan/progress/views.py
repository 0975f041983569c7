"""The Voortgang page (HTML, PDF and XLSX of the same report) and the /actieplan/voortgang/ entry point."""

import io
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from actieplan.progress.models import ProgressPage
from actieplan.partnerships.permissions import PROGRESS_ROLES, is_platform_admin, partnership_ids
from actieplan.progress.report import CACHE_SECONDS, build_report, filterset_for
from actieplan.overrides import template_names

#: Filters the action list understands with the same meaning (see ProgressFilterSet).
LIST_FILTERS = ("deadline_after", "deadline_before", "owner_organisation")


def _context(page, request):
    filterset = filterset_for(page, request)
    report = build_report(page, filterset)
    values = filterset.clean_values()
    query = {name: getattr(value, "pk", value) for name, value in values.items()}
    list_query = {"partnership": page.partnership_id,
                  **{name: value for name, value in query.items() if name in LIST_FILTERS}}
    context = page.get_context(request)
    context.update({
        "filterset": filterset,
        "report": report,
        "filter_query": urlencode(query),
        "list_url": f"{reverse('actieplan:action_list')}?{urlencode(list_query)}",
        "is_filtered": bool(query),
        "region": values.get("region"),
        "organisation": values.get("owner_organisation"),
        "period": (values.get("deadline_after"), values.get("deadline_before")),
    })
    return context


def serve(page, request):
    """Serve ``page`` (access already checked): ``?formaat=pdf`` or ``xlsx`` for the exports."""
    export = request.GET.get("formaat")
    context = _context(page, request)
    if export == "pdf":
        return _pdf(page, request, context)
    if export == "xlsx":
        return _xlsx(page, context)
    return TemplateResponse(request, page.get_template(request), context)


def _filename(page, context, extension):
    return f"voortgang-{page.partnership.slug}-{context['report']['today']:%Y-%m-%d}.{extension}"


def _pdf(page, request, context):
    from weasyprint import HTML

    key = f"{context['report']['key']}:pdf"
    pdf = cache.get(key)
    if pdf is None:  # rendering takes seconds; the same figures give the same PDF
        html = render_to_string(template_names("actieplan/progress/pdf.html"), context, request=request)
        pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
        cache.set(key, pdf, CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, context, "pdf")}"'
    return response


def _xlsx(page, context):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    report = context["report"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Overzicht")
    header = [_("Groep"), _("Afgesproken"), _("Afgerond"), _("Op tijd afgerond"), _("Open"), _("Verlopen"),
              _("Verlopen 1-30 dagen"), _("Verlopen 31-90 dagen"), _("Verlopen > 90 dagen"),
              _("Langst verlopen (dagen)"), _("Geblokkeerd")]

    def figure_row(label, f):
        return [label, f.agreed, f.done, f.done_on_time, f.open, f.overdue, f.overdue_month, f.overdue_quarter,
                f.overdue_longer, f.longest_overdue_days, f.blocked]

    sheet.append([page.title, str(page.partnership)])
    sheet.append([_("Datum"), report["today"].strftime("%d-%m-%Y")])
    sheet.append([])
    sheet.append(header)
    sheet.append(figure_row(_("Totaal"), report["figures"]))
    for group in report.get("groups", []):
        part = workbook.create_sheet(str(group["heading"])[:31])
        part.append(header)
        for f in group["rows"]:
            part.append(figure_row(f.label, f))
    if "praatclub" in report:
        part = workbook.create_sheet(_("Praatclub-index"))
        part.append([_("Kwartaal"), _("Afgesproken"), _("Afgerond"), _("Op tijd afgerond"), _("% afgerond"),
                     _("% op tijd")])
        for q in [*report["praatclub"]["quarters"], report["praatclub"]["overall"]]:
            label = q.label if q is not report["praatclub"]["overall"] else _("Alle kwartalen")
            part.append([label, q.agreed, q.done, q.done_on_time, q.done_percent, q.on_time_percent])
    if "reflection" in report:
        trend = report["reflection"]["trend"]
        part = workbook.create_sheet(_("Reflectie"))
        part.append([_("Thema"), *[f"{s[1]} ({s[2]:%d-%m-%Y})" for s in trend.sessions]])
        for row in report["reflection"]["rows"]:
            part.append([row["theme"], *[round(m, 2) if m is not None else None for m in row["means"]]])
    for ws in workbook.worksheets:
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 36
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, context, "xlsx")}"'
    return response


def progress_pages_for(user):
    """The live Voortgang pages ``user`` may open, ordered by title."""
    pages = ProgressPage.objects.live().order_by("title")
    if is_platform_admin(user):
        return pages
    return pages.filter(partnership_id__in=partnership_ids(user, PROGRESS_ROLES))


@login_required
def progress_redirect(request):
    """/actieplan/voortgang/: on to the Voortgang page of the visitor's partnership."""
    page = progress_pages_for(request.user).first()
    if page is None:
        if not partnership_ids(request.user, PROGRESS_ROLES) and not is_platform_admin(request.user):
            raise PermissionDenied(_("De voortgangspagina is voor het bestuur en de werkgroep."))
        raise Http404(_("Er is nog geen voortgangspagina voor uw samenwerkingsverband."))
    url = page.url
    if request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    return redirect(url)


urlpatterns = [
    path("voortgang/", progress_redirect, name="progress"),
]
