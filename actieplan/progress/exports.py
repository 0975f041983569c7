"""The Voortgang report as a PDF (WeasyPrint, from the same template data as the page) and as an XLSX workbook."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from actieplan import caching
from actieplan.actions import counts
from actieplan.actions.queries import selected
from actieplan.formats import without_emoji
from actieplan.overrides import template_names
from actieplan.progress.report import CACHE_SECONDS, report_scopes
from actieplan.spreadsheets import XLSX_CONTENT_TYPE, Workbook


def _filename(page, context, extension):
    return f"voortgang-{page.partnership.slug}-{context['report']['today']:%Y-%m-%d}.{extension}"


def pdf_response(page, request, context):
    from weasyprint import HTML

    def render():  # takes seconds; the same figures give the same PDF
        html = without_emoji(render_to_string(template_names("actieplan/progress/pdf.html"), context, request=request))
        return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()

    pdf = caching.get_or_compute("progress", ("pdf", context["report"]["key"]), render, CACHE_SECONDS,
                                 scopes=report_scopes(page.partnership_id))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, context, "pdf")}"'
    return response


def xlsx_response(page, context):
    report = context["report"]
    book = Workbook()
    sheet = book.sheet(_("Overview"))
    header = [_("Group"), _("Agreed"), _("Done"), _("Done on time"), _("To do"), _("Overdue"),
              _("Overdue 1-30 days"), _("Overdue 31-90 days"), _("Overdue > 90 days"),
              _("Longest overdue (days)"), _("Blocked")]

    def figure_row(label, f):
        return [label, f.agreed, f.done, f.done_on_time, f.open, f.overdue, f.overdue_month, f.overdue_quarter,
                f.overdue_longer, f.longest_overdue_days, f.blocked]

    # Every title, label and name goes through actieplan.spreadsheets: no formula, no control character.
    sheet.append([page.title, str(page.partnership)], bold=True)
    sheet.append([_("Date"), report["today"]])
    sheet.append([])
    sheet.append(header)
    sheet.append(figure_row(_("Total"), report["figures"]))
    sheet.widths([36])
    for group in report.get("groups", []):
        part = book.sheet(group["heading"])
        part.append(header, bold=True)
        for f in group["rows"]:
            part.append(figure_row(f.label, f))
        part.widths([36])
    if "praatclub" in report:
        part = book.sheet(_("Talking-shop index"))
        part.append([_("Quarter"), _("Agreed"), _("Done"), _("Done on time"), _("% actions done"),
                     _("% on time")], bold=True)
        for q in [*report["praatclub"]["quarters"], report["praatclub"]["overall"]]:
            label = q.label if q is not report["praatclub"]["overall"] else _("All quarters")
            part.append([label, q.agreed, q.done, q.done_on_time, q.done_percent, q.on_time_percent])
        part.widths([36])
    if "postponements" in report and context.get("filterset") is not None:
        part = book.sheet(_("Deadline changes"))
        part.append([_("Action"), _("Owner"), _("Old deadline"), _("New deadline"), _("Modification"), _("Reason"),
                     _("By"), _("On")], bold=True)
        for change in counts.deadline_changes(selected(context["filterset"])):
            part.append([change.title, change.owner, change.previous, change.new, change.label, change.reason,
                         change.author, timezone.localtime(change.at).replace(tzinfo=None)])
        part.widths([36])
    if "reflection" in report:
        trend = report["reflection"]["trend"]
        part = book.sheet(_("Reflection"))
        part.append([_("Theme"), *[f"{s[1]} ({s[2]:%d-%m-%Y})" for s in trend.sessions]], bold=True)
        for row in report["reflection"]["rows"]:
            part.append([row["theme"], *[round(m, 2) if m is not None else None for m in row["means"]]])
        part.widths([36])
    response = HttpResponse(book.content(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(page, context, "xlsx")}"'
    return response
