"""Import of results assessed under the repealed Circular 04/2014/TT-BKHCN (T, H, I, O).

Only what the old reports recorded is stored, as recorded: the four component scores, the total,
the technology contribution coefficient (TCC) and the level. Nothing is recomputed (the 04/2014
point tables were not confirmed) and nothing is mapped onto the 17/2019 groups: letter I meant
Infoware (information) in 04/2014 and means Innovation in 17/2019.

The file is an Excel workbook (first sheet) or a CSV file whose first row holds the column codes
of LEGACY_COLUMNS. Each row is imported completely or not at all; errors name the row and column.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from apps.audit.services import record
from apps.core.files.intake import accept_upload

from .importer import FileRejected, RowError
from .models import Enterprise, LegacyResult, Methodology, tax_code_validator, vsic_validator
from .permissions import is_officer

LEGACY_PURPOSE = "techassess_legacy"
LEGACY_CODE = "TT04-2014"
GROUPS = ("T", "H", "I", "O")
LEGACY_COLUMNS = [
    "tax_code",
    "name",
    "vsic_code",
    "commune",
    "email",
    "year",
    *GROUPS,
    "total",
    "tcc",
    "level",
    "note",
]
# The four levels of Circular 04/2014 (confirmed); a recorded level must be one of them.
LEVELS = ("Lạc hậu", "Trung bình", "Trung bình tiên tiến", "Tiên tiến")
LABEL = "Thông tư 04/2014/TT-BKHCN (phương pháp cũ)"


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", str(text)).strip().casefold()


@dataclass
class LegacyReport:
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)


def legacy_methodology() -> Methodology:
    method = Methodology.objects.filter(code=LEGACY_CODE).order_by("-effective_from").first()
    if method is None:
        from .services import ensure_bundled

        ensure_bundled(activate_demo=False)
        method = Methodology.objects.get(code=LEGACY_CODE)
    return method


def read_table(content: bytes, name: str) -> list[tuple[int, dict]]:
    if name.lower().endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileRejected("Tệp CSV phải được lưu với bảng mã UTF-8.") from None
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
        rows = list(csv.reader(io.StringIO(text), dialect))
    else:
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 — any unreadable file is one user error
            raise FileRejected("Tệp không phải bảng tính Excel (.xlsx) hoặc CSV đọc được.") from None
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
    if not rows:
        raise FileRejected("Tệp không có dòng tiêu đề.")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    unknown = [h for h in header if h and h not in LEGACY_COLUMNS]
    if unknown:
        raise FileRejected(f"Cột không có trong mẫu: {', '.join(unknown)}.")
    missing = [c for c in ("tax_code", "year") if c not in header]
    if missing:
        raise FileRejected(f"Thiếu cột bắt buộc: {', '.join(missing)}.")
    out = []
    for number, values in enumerate(rows[1:], start=2):
        if not values or all(v in (None, "") for v in values):
            continue
        out.append(
            (number, {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]})
        )
    return out


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value) -> Decimal | None:
    text = _text(value).replace(" ", "")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    return Decimal(text)


def clean(number: int, raw: dict) -> tuple[dict, list[RowError]]:
    errors = []
    row = {
        c: _text(raw.get(c))
        for c in ("tax_code", "name", "vsic_code", "commune", "email", "year", "level", "note")
    }
    row["tax_code"] = row["tax_code"].replace("-", "").replace(" ", "")
    try:
        tax_code_validator(row["tax_code"])
    except ValidationError:
        errors.append(RowError(number, "tax_code", "Mã số thuế phải có 10 hoặc 13 chữ số."))
    if row["vsic_code"]:
        try:
            vsic_validator(row["vsic_code"])
        except ValidationError:
            errors.append(RowError(number, "vsic_code", "Mã ngành VSIC có 2 đến 5 chữ số."))
    if row["email"]:
        try:
            validate_email(row["email"])
        except ValidationError:
            errors.append(RowError(number, "email", "Địa chỉ thư điện tử không hợp lệ."))
    if not row["year"].isdigit() or not 2014 <= int(row["year"]) <= 2030:
        errors.append(
            RowError(number, "year", "Năm đánh giá phải từ 2014 (Thông tư 04/2014 có hiệu lực) đến nay.")
        )
    groups = {}
    for code in GROUPS:
        try:
            value = _decimal(raw.get(code))
        except InvalidOperation:
            errors.append(RowError(number, code, f"«{raw.get(code)}» không phải số hợp lệ."))
            continue
        if value is not None and not 0 <= value <= 100:
            errors.append(RowError(number, code, "Điểm phải từ 0 đến 100."))
            continue
        groups[code] = float(value) if value is not None else None
    row["groups"] = groups
    for column, upper in (("total", 100), ("tcc", 10)):
        try:
            value = _decimal(raw.get(column))
        except InvalidOperation:
            errors.append(RowError(number, column, f"«{raw.get(column)}» không phải số hợp lệ."))
            continue
        if value is not None and not 0 <= value <= upper:
            errors.append(RowError(number, column, f"Giá trị phải từ 0 đến {upper}."))
        row[column] = value
    if row["level"]:
        match = next((level for level in LEVELS if _fold(level) == _fold(row["level"])), None)
        if match is None:
            errors.append(
                RowError(
                    number,
                    "level",
                    f"«{row['level']}» không phải một mức của Thông tư 04/2014 ({', '.join(LEVELS)}).",
                )
            )
        row["level"] = match or ""
    if row.get("total") is None and not any(v is not None for v in groups.values()) and not row["level"]:
        errors.append(RowError(number, "total", "Dòng không có điểm hay mức trình độ nào."))
    return row, errors


def import_file(uploaded, *, actor) -> LegacyReport:
    """Store the file through intake, then import each valid row in its own transaction."""
    if not is_officer(actor):
        raise PermissionDenied
    from .services import handling_unit

    unit = handling_unit()
    stored = accept_upload(uploaded, purpose=LEGACY_PURPOSE, user=actor, organization=unit)
    with stored.file.open("rb") as f:
        content = f.read()
    rows = read_table(content, stored.original_name)
    method = legacy_methodology()
    report = LegacyReport(rows=len(rows))
    seen: dict[tuple, int] = {}
    for number, raw in rows:
        row, errors = clean(number, raw)
        key = (row["tax_code"], row["year"])
        if not errors and key in seen:
            errors.append(RowError(number, "tax_code", f"Trùng doanh nghiệp và năm với dòng {seen[key]}."))
        seen.setdefault(key, number)
        if errors:
            report.errors += errors
            continue
        try:
            with transaction.atomic():
                _import_row(number, row, method=method, stored=stored, unit=unit, actor=actor)
            report.imported += 1
        except ValidationError as exc:
            column = getattr(exc, "column", "tax_code")
            report.errors.append(RowError(number, column, exc.messages[0]))
    record(
        "legacy_results_imported",
        method,
        actor=actor,
        note=f"{stored.original_name}: {report.imported}/{report.rows}",
    )
    return report


def _import_row(number, row, *, method, stored, unit, actor):
    enterprise = Enterprise.objects.filter(tax_code=row["tax_code"]).first()
    if enterprise is None:
        missing = [c for c in ("name", "vsic_code", "commune") if not row[c]]
        if missing:
            error = ValidationError(
                f"Doanh nghiệp chưa có trong hệ thống: cần nhập {', '.join(missing)} để tạo hồ sơ."
            )
            error.column = missing[0]
            raise error
        enterprise = Enterprise.objects.create(
            tax_code=row["tax_code"],
            name=row["name"],
            vsic_code=row["vsic_code"],
            commune=row["commune"],
            email=row["email"],
            organization=unit,
            created_by=actor,
        )
    year = int(row["year"])
    if LegacyResult.objects.filter(enterprise=enterprise, year=year).exists():
        error = ValidationError(f"{enterprise.name} đã có kết quả theo Thông tư 04/2014 năm {year}.")
        error.column = "year"
        raise error
    result = LegacyResult.objects.create(
        enterprise=enterprise,
        year=year,
        methodology=method,
        methodology_label=LABEL,
        groups=row["groups"],
        total=row["total"],
        tcc=row["tcc"],
        class_name=row["level"],
        note=row["note"][:300],
        source_file=stored,
        source_row=number,
        organization=unit,
        imported_by=actor,
    )
    record(
        "legacy_result_imported",
        enterprise,
        actor=actor,
        note=f"{year}, {stored.original_name} dòng {number}",
    )
    return result


def template_workbook() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Kết quả TT04-2014"
    sheet.append(LEGACY_COLUMNS)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
