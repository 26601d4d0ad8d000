"""Excel import and export of a plan's appendix (amounts in million đồng, as the appendix prints).

The import reads every row first and reports every error by row and column in Vietnamese
("Dòng 4: cột Tổng mức đầu tư phải là số"); only a file without errors replaces the appendix, in
one transaction, so a failed import leaves nothing half-written.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError

from apps.core.rendering.xlsx import render_xlsx

IMPORT_PURPOSE = "plans-appendix"
MILLION = Decimal(1_000_000)

# header, field, kind
COLUMNS = [
    ("STT", "order", "int"),
    ("Tên nhiệm vụ, dự án", "name", "text"),
    ("Đơn vị chủ trì", "lead_unit", "text"),
    ("Mục tiêu", "objective", "text"),
    ("Thời gian triển khai", "timing", "text"),
    ("Tổng mức đầu tư", "total", "money"),
    ("NSNN sự nghiệp", "recurrent", "money"),
    ("NSNN đầu tư", "investment", "money"),
    ("Nguồn khác", "other", "money"),
    ("Ghi chú", "notes", "text"),
]
TRACKING = ["Trạng thái", "Đã giải ngân"]


def export_appendix(plan) -> bytes:
    rows = [
        [
            p.order,
            p.name,
            p.lead_unit,
            p.objective,
            p.timing,
            Decimal(p.total) / MILLION,
            Decimal(p.recurrent) / MILLION,
            Decimal(p.investment) / MILLION,
            Decimal(p.other) / MILLION,
            p.notes,
            p.get_status_display(),
            Decimal(p.disbursed) / MILLION,
        ]
        for p in plan.projects.all()
    ]
    headers = [h for h, _f, _k in COLUMNS] + TRACKING
    return render_xlsx(f"Phụ lục KH {plan.year}", headers, rows)


def _money(value) -> int:
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "")
        # Vietnamese: a decimal comma (117,5 or 1.234,5) or dots grouping thousands (1.234.567);
        # a single dot without a comma stays a decimal point (117.5, as a spreadsheet writes it).
        if text.count(",") == 1 or text.count(".") > 1:
            text = text.replace(".", "").replace(",", ".")
        amount = Decimal(text)
    if amount < 0:
        raise ValueError
    return int((amount * MILLION).to_integral_value())


def parse(content: bytes) -> list[dict]:
    """Rows of the first sheet as Project fields; raises ValidationError listing every bad row."""
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # not an xlsx openpyxl can read
        raise ValidationError("Không đọc được tệp Excel (.xlsx).") from exc
    rows = sheet.iter_rows(values_only=True)
    header = [str(c or "").strip().lower() for c in next(rows, ())]
    index = {}
    for title, name, _kind in COLUMNS:
        if title.lower() not in header:
            if name in ("name", "total"):
                raise ValidationError(f"Thiếu cột “{title}” ở dòng tiêu đề.")
            continue
        index[name] = header.index(title.lower())
    errors, parsed = [], []
    for number, row in enumerate(rows, start=2):
        if not any(c not in (None, "") for c in row):
            continue
        data, row_errors = {}, []
        for title, name, kind in COLUMNS:
            if name not in index:
                continue
            raw = row[index[name]] if index[name] < len(row) else None
            if kind == "text":
                data[name] = "" if raw is None else str(raw).strip()
            elif raw in (None, ""):
                data[name] = 0
            elif kind == "int":
                try:
                    data[name] = int(Decimal(str(raw)))
                except (InvalidOperation, ValueError):
                    row_errors.append(f"Dòng {number}: cột {title} phải là số nguyên")
            else:
                try:
                    data[name] = _money(raw)
                except (InvalidOperation, ValueError):
                    row_errors.append(f"Dòng {number}: cột {title} phải là số")
        if not data.get("name"):
            row_errors.append(f"Dòng {number}: cột Tên nhiệm vụ, dự án không được để trống")
        if not row_errors:
            sources = data.get("recurrent", 0) + data.get("investment", 0) + data.get("other", 0)
            if sources and sources != data.get("total", 0):
                row_errors.append(f"Dòng {number}: tổng các nguồn vốn khác Tổng mức đầu tư")
        errors += row_errors
        parsed.append(data)
    if errors:
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError("Tệp không có dòng nào.")
    return parsed
