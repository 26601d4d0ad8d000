"""Bulk import of surveys from Excel.

The sheet's first row holds column codes: the enterprise columns (ENTERPRISE_COLUMNS) and the
question codes of the methodology. Each further row is one survey. A table question (the equipment
list) has its own sheet named by the question code: columns tax_code, survey_year and the table's
column codes, one row per table row; its rows join the survey with the same tax code and year.

1. The file as a whole is checked first (readable, known and complete columns); if not, nothing
   is imported.
2. Every row is validated; errors are reported by row number and column.
3. Each valid row is imported in its own transaction (enterprise, survey, status history), so a
   survey is never half-imported; rows with errors are skipped.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core import workflow

from . import methodology as mdef
from .models import (
    Enterprise,
    ImportJob,
    Survey,
    SurveyStatus,
    SurveyStatusChange,
    tax_code_validator,
    vsic_validator,
)
from .workflow import IMPORT

ENTERPRISE_COLUMNS = ["tax_code", "name", "vsic_code", "industry_name", "commune", "year", "email"]
REQUIRED_ENTERPRISE = {"tax_code", "name", "vsic_code", "commune", "year"}
PROGRESS_EVERY = 25
TRUE_WORDS = {"true", "1", "x", "có", "co", "yes", "đúng"}
FALSE_WORDS = {"false", "0", "không", "khong", "no", "sai"}


class FileRejected(ValueError):
    """The file as a whole cannot be imported (nothing was imported)."""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


def template_workbook(definition: dict) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Phiếu"
    questions = mdef.questions(definition)
    scalar = {code: q for code, q in questions.items() if q["type"] != "table"}
    sheet.append(ENTERPRISE_COLUMNS + list(scalar))
    sheet.append(
        [
            "Mã số thuế",
            "Tên doanh nghiệp",
            "Mã ngành VSIC",
            "Ngành",
            "Xã/phường",
            "Năm khảo sát",
            "Thư điện tử",
        ]
        + [q["label"] for q in scalar.values()]
    )
    for code, q in questions.items():
        if q["type"] != "table":
            continue
        table = book.create_sheet(code[:31])
        table.append(["tax_code", "survey_year", *[c["code"] for c in q.get("columns") or []]])
        table.append(
            ["Mã số thuế", "Năm khảo sát", *[c.get("label", c["code"]) for c in q.get("columns") or []]]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _open(content: bytes):
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 — any unreadable file is one user error
        raise FileRejected("Tệp không phải bảng tính Excel (.xlsx) đọc được.") from None


def _key(tax_code, year) -> tuple[str, str]:
    def text(value):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip().replace("-", "")

    return text(tax_code), text(year)


def read_table_sheets(content: bytes, definition: dict):
    """{question code: {(tax code, year): [(sheet row number, raw row)]}} from the table sheets."""
    book = _open(content)
    out = {}
    for code, q in mdef.questions(definition).items():
        if q["type"] != "table" or code[:31] not in book.sheetnames:
            continue
        rows = book[code[:31]].iter_rows(values_only=True)
        header = next(rows, None) or ()
        header = [str(h).strip() if h is not None else "" for h in header]
        known = {"tax_code", "survey_year"} | {c["code"] for c in q.get("columns") or []}
        unknown = [h for h in header if h and h not in known]
        if unknown:
            raise FileRejected(f"Trang «{code}»: cột không có trong mẫu: {', '.join(unknown)}.")
        if "tax_code" not in header or "survey_year" not in header:
            raise FileRejected(f"Trang «{code}»: thiếu cột tax_code hoặc survey_year.")
        grouped: dict[tuple, list] = {}
        for number, values in enumerate(rows, start=2):
            if values is None or all(v in (None, "") for v in values):
                continue
            raw = {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}
            if number == 2 and str(raw.get("tax_code", "")).strip() == "Mã số thuế":
                continue
            grouped.setdefault(_key(raw.get("tax_code"), raw.get("survey_year")), []).append((number, raw))
        out[code] = grouped
    return out


def read_rows(content: bytes, definition: dict) -> tuple[list[str], list[tuple[int, dict]]]:
    book = _open(content)
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if not header:
        raise FileRejected("Trang tính đầu tiên không có dòng tiêu đề.")
    header = [str(h).strip() if h is not None else "" for h in header]
    known = set(ENTERPRISE_COLUMNS) | set(mdef.questions(definition))
    unknown = [h for h in header if h and h not in known]
    if unknown:
        raise FileRejected(f"Cột không có trong mẫu: {', '.join(unknown)}.")
    missing = [c for c in ENTERPRISE_COLUMNS if c in REQUIRED_ENTERPRISE and c not in header]
    if missing:
        raise FileRejected(f"Thiếu cột bắt buộc: {', '.join(missing)}.")
    duplicated = {h for h in header if h and header.count(h) > 1}
    if duplicated:
        raise FileRejected(f"Cột bị lặp: {', '.join(sorted(duplicated))}.")
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        record_ = {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}
        if number == 2 and str(record_.get("tax_code", "")).strip() == "Mã số thuế":
            continue  # the template's label row
        out.append((number, record_))
    return header, out


_VN_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")


def _number(value):
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(" ", "")
    # Vietnamese: a decimal comma (2,5 or 1.234,5) or dots grouping thousands (1.000, 1.234.567),
    # as the dossier forms read them; another single dot is a decimal point (2.5).
    if "," in text or _VN_GROUPED.match(text):
        text = text.replace(".", "").replace(",", ".")
    return float(text)


def clean_row(
    number: int, raw: dict, definition: dict, tables: dict | None = None
) -> tuple[dict, dict, list[RowError]]:
    """(enterprise fields, answers, errors) of one row; `tables` holds the rows of the table sheets."""
    errors: list[RowError] = []
    enterprise = {}
    for column in ENTERPRISE_COLUMNS:
        value = raw.get(column)
        value = "" if value is None else str(value).strip()
        if isinstance(raw.get(column), float) and raw[column].is_integer():
            value = str(int(raw[column]))
        if column in REQUIRED_ENTERPRISE and not value:
            errors.append(RowError(number, column, "Chưa nhập."))
        enterprise[column] = value
    if enterprise["tax_code"]:
        try:
            tax_code_validator(enterprise["tax_code"].replace("-", ""))
            enterprise["tax_code"] = enterprise["tax_code"].replace("-", "")
        except ValidationError:
            errors.append(RowError(number, "tax_code", "Mã số thuế phải có 10 hoặc 13 chữ số."))
    if enterprise["vsic_code"]:
        try:
            vsic_validator(enterprise["vsic_code"])
        except ValidationError:
            errors.append(RowError(number, "vsic_code", "Mã ngành VSIC có 2 đến 5 chữ số."))
    if enterprise["email"]:
        try:
            validate_email(enterprise["email"])
        except ValidationError:
            errors.append(RowError(number, "email", "Địa chỉ thư điện tử không hợp lệ."))
    if enterprise["year"] and (
        not enterprise["year"].isdigit() or not 2000 <= int(enterprise["year"]) <= 2100
    ):
        errors.append(RowError(number, "year", "Năm khảo sát không hợp lệ."))
    answers = {}
    key = _key(enterprise["tax_code"], enterprise["year"])
    for code, q in mdef.questions(definition).items():
        if q["type"] != "table":
            continue
        table_rows = (tables or {}).get(code, {}).get(key, [])
        if raw.get(code) not in (None, ""):
            errors.append(RowError(number, code, f"Nhập «{q['label']}» ở trang «{code}», mỗi dòng một mục."))
        cells, cell_errors = [], []
        for sheet_row, table_raw in table_rows:
            row, problems = _clean_table_row(q, table_raw)
            cells.append(row)
            cell_errors += [RowError(number, f"{code}!{sheet_row}:{col}", msg) for col, msg in problems]
        errors.extend(cell_errors)
        answers[code] = cells  # an empty list: the table was answered with no row
        if not cells and q.get("required"):
            errors.append(RowError(number, code, f"Chưa kê khai «{q['label']}» (trang «{code}»)."))
    for code, q in mdef.questions(definition).items():
        if q["type"] == "table":
            continue
        value = raw.get(code)
        if value is None or (isinstance(value, str) and not value.strip()):
            other = q.get("required_unless")
            if q.get("required") or (other and not answers.get(other)):
                errors.append(RowError(number, code, f"Chưa trả lời «{q['label']}»."))
            continue
        kind = q["type"]
        try:
            if kind in ("number", "integer"):
                number_value = _number(value)
                if kind == "integer":
                    if not number_value.is_integer():
                        raise ValueError
                    number_value = int(number_value)
                if q.get("min") is not None and number_value < q["min"]:
                    errors.append(RowError(number, code, f"Giá trị nhỏ hơn {q['min']}."))
                    continue
                if q.get("max") is not None and number_value > q["max"]:
                    errors.append(RowError(number, code, f"Giá trị lớn hơn {q['max']}."))
                    continue
                answers[code] = number_value
            elif kind == "choice":
                text = str(value).strip().lower()
                match = next(
                    (
                        str(c["value"])
                        for c in q["choices"]
                        if text in (str(c["value"]).lower(), str(c.get("label", "")).lower())
                    ),
                    None,
                )
                if match is None:
                    errors.append(RowError(number, code, f"«{value}» không phải một lựa chọn của câu hỏi."))
                    continue
                answers[code] = match
            elif kind == "boolean":
                text = str(value).strip().lower()
                if text in TRUE_WORDS:
                    answers[code] = True
                elif text in FALSE_WORDS:
                    answers[code] = False
                else:
                    errors.append(RowError(number, code, "Chỉ nhận Có/Không."))
            else:
                answers[code] = str(value)[:500]
        except (TypeError, ValueError):
            errors.append(RowError(number, code, f"«{value}» không phải số hợp lệ."))
    return enterprise, answers, errors


def _clean_table_row(question: dict, raw: dict) -> tuple[dict, list[tuple[str, str]]]:
    """One row of a table sheet: (typed row, [(column code, message)])."""
    from .forms import clean_table_rows

    problems = []
    row = {}
    for column in question.get("columns") or []:
        value = raw.get(column["code"])
        if isinstance(value, float) and value.is_integer() and column.get("type") != "number":
            value = int(value)
        if isinstance(value, int | float) and column.get("type") == "number":
            value = str(value)
        cleaned, errors = clean_table_rows(
            {"columns": [column]}, [{column["code"]: "" if value is None else str(value)}]
        )
        if errors:
            problems.append((column["code"], errors[0].split(": ", 1)[-1]))
        else:
            row[column["code"]] = cleaned[0][column["code"]]
    return row, problems


def validate_file(content: bytes, definition: dict):
    """All rows cleaned, with every error; and duplicate (tax code, year) rows within the file."""
    _header, rows = read_rows(content, definition)
    tables = read_table_sheets(content, definition)
    cleaned = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for number, raw in rows:
        enterprise, answers, row_errors = clean_row(number, raw, definition, tables)
        key = (enterprise["tax_code"], enterprise["year"])
        if not row_errors and key in seen:
            row_errors.append(
                RowError(number, "tax_code", f"Trùng doanh nghiệp và năm với dòng {seen[key]}.")
            )
        seen.setdefault(key, number)
        errors.extend(row_errors)
        cleaned.append((number, enterprise, answers, not row_errors))
    surveys = {_key(raw.get("tax_code"), raw.get("year")) for _n, raw in rows}
    for code, grouped in tables.items():
        for key, table_rows in grouped.items():
            if key not in surveys:
                for sheet_row, _raw in table_rows:
                    errors.append(
                        RowError(
                            sheet_row,
                            f"{code}!tax_code",
                            "Không có phiếu cùng mã số thuế và năm ở trang đầu.",
                        )
                    )
    return cleaned, errors


def import_row(number, enterprise_fields, answers, *, job: ImportJob, source: str | None = None):
    """One survey, all or nothing. `source` names where it came from (default: this Excel import)."""
    source = source or f"Nhập từ Excel (lần nhập #{job.pk}, dòng {number})"
    with transaction.atomic():
        enterprise, _created = Enterprise.objects.get_or_create(
            tax_code=enterprise_fields["tax_code"],
            defaults={
                "name": enterprise_fields["name"],
                "vsic_code": enterprise_fields["vsic_code"],
                "industry_name": enterprise_fields["industry_name"],
                "commune": enterprise_fields["commune"],
                "email": enterprise_fields.get("email", ""),
                "organization": job.organization,
                "created_by": job.created_by,
            },
        )
        year = int(enterprise_fields["year"])
        if Survey.objects.filter(enterprise=enterprise, year=year).exists():
            raise ValidationError(f"{enterprise.name} đã có phiếu khảo sát năm {year}.")
        survey = Survey.objects.create(
            enterprise=enterprise,
            year=year,
            methodology=job.methodology,
            organization=job.organization,
            created_by=job.created_by,
            entered_on_behalf=True,
            answers=answers,
            sections_saved=[s["code"] for s in job.methodology.definition.get("sections") or []],
            status=SurveyStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        SurveyStatusChange.objects.bulk_create(
            [
                SurveyStatusChange(
                    survey=survey, action="create", to_state=SurveyStatus.DRAFT, actor=job.created_by
                ),
                SurveyStatusChange(
                    survey=survey,
                    action="submit",
                    from_state=SurveyStatus.DRAFT,
                    to_state=SurveyStatus.SUBMITTED,
                    actor=job.created_by,
                    note=source,
                ),
            ]
        )
        record("surveys_imported", survey, actor=job.created_by, note=source)
    return survey


def run(job: ImportJob) -> ImportJob:
    job = workflow.apply(job, "start", None, machine=IMPORT)
    definition = job.methodology.definition
    try:
        with job.file.file.open("rb") as f:
            content = f.read()
        cleaned, errors = validate_file(content, definition)
    except FileRejected as exc:
        failure = [{"row": None, "column": None, "message": str(exc)}]
        return workflow.apply(job, "fail", None, str(exc), machine=IMPORT, errors=failure)
    job.total_rows = len(cleaned)
    job.errors = [e.as_dict() for e in errors]
    job.save(update_fields=["total_rows", "errors"])
    imported = 0
    for index, (number, enterprise_fields, answers, ok) in enumerate(cleaned, start=1):
        if ok:
            try:
                import_row(number, enterprise_fields, answers, job=job)
                imported += 1
            except ValidationError as exc:
                job.errors = [*job.errors, {"row": number, "column": "year", "message": exc.messages[0]}]
        if index % PROGRESS_EVERY == 0 or index == len(cleaned):
            job.processed_rows = index
            job.imported = imported
            job.save(update_fields=["processed_rows", "imported", "errors"])
    return workflow.apply(job, "finish", None, machine=IMPORT, imported=imported, errors=job.errors)
