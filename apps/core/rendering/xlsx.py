"""Rows → XLSX with openpyxl: bold Vietnamese headers, Vietnamese-style number and date formats."""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
INTEGER_FORMAT = "#,##0"  # shown as 1.234.567 by a spreadsheet set to Vietnamese
DECIMAL_FORMAT = "#,##0.00"


def _cell_value(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, Decimal):
        return float(value)
    return value


def _number_format(value) -> str | None:
    if isinstance(value, datetime.datetime):
        return DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return DATE_FORMAT
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return INTEGER_FORMAT
    if isinstance(value, float | Decimal):
        return DECIMAL_FORMAT
    return None


def render_xlsx(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """One sheet: a frozen bold header row, then the rows; columns sized to their content."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # Excel's limit
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    widths = [len(str(h)) for h in headers]
    for row_index, row in enumerate(rows, start=2):
        for col_index, raw in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=col_index, value=_cell_value(raw))
            if isinstance(raw, str) and raw.startswith("="):
                # openpyxl would store it as a formula: a name like "=HYPERLINK(…)" typed on a form
                # must come back as the text it is, never run in the reader's spreadsheet.
                cell.data_type = "s"
            number_format = _number_format(raw)
            if number_format:
                cell.number_format = number_format
            if col_index <= len(widths):
                widths[col_index - 1] = max(widths[col_index - 1], len(str(raw or "")))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = min(60, width + 2)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
