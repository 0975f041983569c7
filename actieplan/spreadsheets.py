"""Every CSV and XLSX the platform writes goes through here: the action plan's export, the Voortgang workbook,
the reflection results, the import template, the admin's listings and reports.

One rule per cell, whoever wrote the text (a title, a comment, a person's name, a page title):

- control characters are stripped (a title with ``\\x01`` or ESC made the XLSX writer raise, a NUL made a CSV
  unreadable); tabs and line breaks inside text stay;
- nothing becomes a formula: in a CSV a cell that starts with ``= + - @``, a tab or a line break gets a ``'``
  before it (OWASP "CSV injection"), in an XLSX such a cell is written as text, never as a formula;
- numbers, dates and booleans stay what they are.

:class:`DutchCsv` writes what Dutch Excel opens without a wizard (UTF-8 with BOM, semicolons, dates as
dd-mm-jjjj); :class:`Workbook` wraps openpyxl with safe sheet titles. ``SafeSpreadsheetExportMixin`` applies the
same rule to Wagtail's ``list_export`` of our admin views and reports.
"""

import csv
import datetime
import io
import re

from actieplan.validators import FORMULA_PREFIXES, strip_control_characters

#: What a sheet title may not contain (Excel's rule; openpyxl raises on them).
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def clean_text(value):
    """``value`` without control characters (tabs and line breaks stay), lone surrogates or XML non-characters."""
    return strip_control_characters(value)


def csv_cell(value):
    """One CSV cell: clean text that no spreadsheet runs as a formula; dates as dd-mm-jjjj; None as empty."""
    if value is None:
        return ""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str):
        value = clean_text(value)
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return value


def xlsx_cell(value):
    """One XLSX cell value: clean text (the writer below keeps it text); other types as they are."""
    if isinstance(value, str):
        return clean_text(value)
    return value


def safe_cell(value, export_format):
    """The rule for Wagtail's exports, by their format name (``"csv"`` or ``"xlsx"``)."""
    if export_format == "csv":
        if isinstance(value, (datetime.datetime, datetime.date)):
            return value
        return csv_cell(value) if isinstance(value, str) else value
    return xlsx_cell(value)


class DutchCsv:
    """A CSV for Dutch spreadsheets: UTF-8 with BOM, semicolons; every cell through :func:`csv_cell`."""

    def __init__(self, header=None):
        self._out = io.StringIO()
        self._out.write("\ufeff")
        self._writer = csv.writer(self._out, delimiter=";")
        if header is not None:
            self.row(header)

    def row(self, values):
        self._writer.writerow([csv_cell(value) for value in values])

    def rows(self, rows):
        for values in rows:
            self.row(values)

    def content(self):
        return self._out.getvalue().encode("utf-8")


def sheet_title(text, taken=()):
    """A title Excel accepts: clean, without ``[]:*?/\\``, at most 31 characters, unique in the workbook."""
    title = _SHEET_TITLE_FORBIDDEN.sub(" ", " ".join(clean_text(str(text)).split())).strip("' ") or "Blad"
    title = title[:31]
    number = 2
    while title.lower() in {t.lower() for t in taken}:
        suffix = f" ({number})"
        title = title[:31 - len(suffix)] + suffix
        number += 1
    return title


class Sheet:
    """A worksheet that writes every value through :func:`xlsx_cell` and never a formula."""

    def __init__(self, worksheet):
        self.worksheet = worksheet

    def append(self, values, *, bold=False, date_format="DD-MM-YYYY"):
        from openpyxl.styles import Font

        self.worksheet.append([xlsx_cell(value) for value in values])
        for cell in self.worksheet[self.worksheet.max_row]:
            if cell.data_type == "f":  # text that starts with "=" stays text
                cell.data_type = "s"
            if isinstance(cell.value, (datetime.date, datetime.datetime)):
                cell.number_format = date_format
            if bold:
                cell.font = Font(bold=True)

    def widths(self, widths):
        from openpyxl.utils import get_column_letter

        for index, width in enumerate(widths, start=1):
            self.worksheet.column_dimensions[get_column_letter(index)].width = width

    def freeze(self, cell="A2"):
        self.worksheet.freeze_panes = cell


class Workbook:
    """An XLSX workbook of :class:`Sheet` s; the first :meth:`sheet` reuses openpyxl's default sheet."""

    def __init__(self):
        from openpyxl import Workbook as OpenpyxlWorkbook

        self._book = OpenpyxlWorkbook()
        self._fresh = True

    def sheet(self, title):
        title = sheet_title(title, [ws.title for ws in self._book.worksheets if not self._fresh])
        if self._fresh:
            self._fresh = False
            worksheet = self._book.active
            worksheet.title = title
        else:
            worksheet = self._book.create_sheet(title)
        return Sheet(worksheet)

    def content(self):
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


class SafeSpreadsheetExportMixin:
    """Wagtail's ``list_export`` (viewsets and reports) with every cell through :func:`safe_cell`."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return safe_cell(value, export_format)
