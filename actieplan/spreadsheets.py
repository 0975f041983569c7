"""Admin exports (``list_export`` of the viewsets, the reports) that no spreadsheet can be hurt by.

Wagtail writes CSV cells as they are, so a title ``=HYPERLINK(…)`` becomes a live formula in the
spreadsheet, and a title with ``\\x01`` or ESC makes the XLSX writer raise. Every admin view of ours
that exports mixes this in; the rules live in ``actieplan.validators``.
"""

from actieplan.validators import csv_safe, spreadsheet_text


class SafeSpreadsheetExportMixin:
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return csv_safe(spreadsheet_text(value))
        return spreadsheet_text(value)
