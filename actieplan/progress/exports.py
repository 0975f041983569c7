"""The Voortgang report as a PDF (WeasyPrint, from the same template data as the page) and as an XLSX workbook."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from django.utils import timezone

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.queries import selected
from actieplan.formats import without_emoji
from actieplan.validators import spreadsheet_text
from actieplan.overrides import template_names
from actieplan.progress.report import CACHE_SECONDS


def _filename(page, context, extension):
    return f"voortgang-{page.partnership.slug}-{context['report']['today']:%Y-%m-%d}.{extension}"


def pdf_response(page, request, context):
    from weasyprint import HTML

    def render():  # takes seconds; the same figures give the same PDF
        html = without_emoji(render_to_string(template_names("actieplan/progress/pdf.html"), context, request=request))
        return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()

    pdf = caching.get_or_compute("progress", ("pdf", context["report"]["key"]), render, CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, context, "pdf")}"'
    return response


def xlsx_response(page, context):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    report = context["report"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Overzicht")
    header = [_("Groep"), _("Afgesproken"), _("Afgerond"), _("Op tijd afgerond"), _("Nog te doen"), _("Verlopen"),
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
    if "postponements" in report and context.get("filterset") is not None:
        part = workbook.create_sheet(_("Deadlinewijzigingen"))
        part.append([_("Actie"), _("Eigenaar"), _("Oude deadline"), _("Nieuwe deadline"), _("Wijziging"), _("Reden"),
                     _("Door"), _("Op")])
        for change in counts.deadline_changes(selected(context["filterset"])):
            part.append([spreadsheet_text(change.title), change.owner, change.previous, change.new,
                         change.label, spreadsheet_text(change.reason), change.author,
                         timezone.localtime(change.at).replace(tzinfo=None)])
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
