"""Import and export of the catalogue as CSV or Excel (.xlsx).

Columns (the header of `reference/procedures-catalogue.csv`, plus optional ones):
code, name_vi, field_vi, processing_days, fee_vnd, source_url, confidence
[, legacy_level, online_level, channels, result_type, legal_bases].

Import is all-or-nothing: every row is checked first and every problem is reported with its row
number (the spreadsheet's, header = row 1) and column; only a file without errors is written.
A row matches an existing procedure by its national code, or by its name when the code is blank
(unknown codes stay blank, never invented). A row equal to what the catalogue already holds
changes nothing, so importing the same file twice is a no-op. Otherwise the row becomes (or
updates) the procedure's draft; publishing stays a separate, deliberate act unless `publish=True`.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from apps.audit.services import record

from . import services
from .models import OnlineLevel, Procedure, ProcedureVersion, VersionStatus
from .schema import CHANNELS, default_steps, to_decimal

REQUIRED_COLUMNS = ("code", "name_vi", "field_vi")
COLUMNS = (
    "code",
    "name_vi",
    "field_vi",
    "processing_days",
    "fee_vnd",
    "source_url",
    "confidence",
    "legacy_level",
    "online_level",
    "channels",
    "result_type",
    "legal_bases",
)
_CODE = re.compile(r"^\d\.\d{6}(\.[0-9A-Za-z.]+)?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class ImportFailed(Exception):
    """The file was rejected; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    versions: list[ProcedureVersion] = field(default_factory=list)


def read_rows(uploaded, filename: str = "") -> list[dict]:
    """Rows of a CSV (UTF-8, with or without BOM) or XLSX file as dicts of stripped strings."""
    data = uploaded.read() if hasattr(uploaded, "read") else uploaded
    name = (filename or getattr(uploaded, "name", "")).lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook is the user's file problem
            raise ImportFailed([RowError(1, "-", _("The file is not a readable Excel workbook."))]) from exc
        values = list(sheet.iter_rows(values_only=True))
        if not values:
            return []
        headers = [str(h or "").strip() for h in values[0]]
        rows = []
        for raw in values[1:]:
            rows.append({h: _text(v) for h, v in zip(headers, raw, strict=False) if h})
        return rows
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([RowError(1, "-", _("The CSV file must be UTF-8 encoded."))]) from exc
    return [
        {(k or "").strip(): _unescaped((v or "").strip()) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse(rows: list[dict]) -> tuple[list[dict], list[RowError]]:
    errors: list[RowError] = []
    parsed: list[dict] = []
    if rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        if missing:
            return [], [RowError(1, c, _("This column is missing.")) for c in missing]
    seen: dict[str, int] = {}
    url = URLValidator()
    for number, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue  # blank spreadsheet lines
        item: dict = {"row": number}

        def err(column, message, number=number):
            errors.append(RowError(number, column, message))

        code, name, field_name = row.get("code", ""), row.get("name_vi", ""), row.get("field_vi", "")
        if code and not _CODE.match(code):
            err("code", _("A national code looks like 1.001234 (or leave it blank when unknown)."))
        if not name:
            err("name_vi", _("The name is required."))
        elif len(name) > 500:
            err("name_vi", _("The name is longer than 500 characters."))
        if not field_name:
            err("field_vi", _("The field is required."))
        days = row.get("processing_days", "")
        days_value = to_decimal(days) if days else None
        if days and (
            days_value is None or days_value <= 0 or days_value != days_value.quantize(Decimal("0.1"))
        ):
            err("processing_days", _("Enter a number of working days greater than 0 (one decimal at most)."))
        fee = row.get("fee_vnd", "")
        fee_value = to_decimal(fee.replace(".", "")) if fee else None
        if fee and (fee_value is None or fee_value < 0 or fee_value != fee_value.to_integral_value()):
            err("fee_vnd", _("Enter the fee in whole đồng, e.g. 3000000."))
        source = row.get("source_url", "")
        if source:
            try:
                url(source)
            except ValidationError:
                err("source_url", _("Enter a valid web address."))
        level = row.get("legacy_level", "")
        if level and level not in ("2", "3", "4"):
            err("legacy_level", _("The service level must be 2, 3 or 4."))
        online = row.get("online_level", "")
        if online and online not in OnlineLevel.values:
            err("online_level", _("The online level must be full, partial or none."))
        channels = [c.strip() for c in row.get("channels", "").split(",") if c.strip()]
        if any(c not in CHANNELS for c in channels):
            err("channels", _("Channels are a comma-separated list of online, walk_in and post."))
        key = services.procedure_key(code, name)
        if name and key in seen:
            err("name_vi" if not code else "code", _("Same procedure as row %(row)s.") % {"row": seen[key]})
        seen.setdefault(key, number)
        item.update(
            key=key,
            code=code,
            name=name,
            field_name=field_name,
            processing_days=days_value,
            fee=fee_value,
            source_url=source,
            confidence=row.get("confidence", ""),
            legacy_level=int(level) if level in ("2", "3", "4") else None,
            online_level=online or None,
            channels=channels or None,
            result_type=row.get("result_type", ""),
            legal_bases=row.get("legal_bases", ""),
        )
        parsed.append(item)
    return parsed, errors


def _values(item: dict, base: ProcedureVersion | None) -> dict:
    """Version field values for a row; columns the file does not give keep the base version's."""
    values = {
        "code": item["code"],
        "name": item["name"],
        "field": services.field_named(item["field_name"]),
        "processing_days": item["processing_days"],
        "source_url": item["source_url"],
    }
    if item["fee"] is not None:
        values["fee"] = {"kind": "fixed", "amount": str(item["fee"])} if item["fee"] > 0 else {"kind": "none"}
        if base is not None and base.fee.get("kind") in ("per_item", "formula"):
            values.pop("fee")  # a richer rule set on screen is not flattened by a plain amount
    for name in ("legacy_level", "online_level", "channels"):
        if item[name] is not None:
            values[name] = item[name]
    for name in ("result_type", "legal_bases"):
        if item[name]:
            values[name] = item[name]
    steps_fit = base is not None and base.steps and _steps_total(base.steps) == item["processing_days"]
    if (base is None or base.processing_days != item["processing_days"]) and not steps_fit:
        values["steps"] = default_steps(item["processing_days"]) if item["processing_days"] else []
    if item["confidence"] and base is None:
        values["note"] = _("Source confidence: %(c)s.") % {"c": item["confidence"]}
    return values


def _steps_total(steps) -> Decimal:
    return sum((Decimal(str(s["allowance_days"])) for s in steps), Decimal(0))


def _differs(version: ProcedureVersion, values: dict) -> bool:
    return any(getattr(version, name) != value for name, value in values.items())


def import_catalogue(actor, rows: list[dict], *, publish: bool = False, effective_from=None) -> ImportResult:
    """Import rows (from `read_rows`). Raises ImportFailed with every error; writes nothing then."""
    services._require_manage(actor)
    parsed, errors = _parse(rows)
    if errors:
        raise ImportFailed(errors)
    result = ImportResult()
    with transaction.atomic():
        for item in parsed:
            try:
                _import_one(actor, item, result, publish=publish, effective_from=effective_from)
            except ValidationError as exc:
                for column, messages in exc.message_dict.items():
                    for message in messages:
                        errors.append(RowError(item["row"], _column(column), message))
        if errors:
            raise ImportFailed(errors)  # rolls back every row written so far
        record(
            "procedure_catalogue_imported",
            None,
            actor=actor,
            note=_("%(c)s created, %(u)s updated, %(n)s unchanged")
            % {"c": result.created, "u": result.updated, "n": result.unchanged},
        )
    return result


def _column(model_field: str) -> str:
    """The file column a model field comes from, for error messages."""
    return {"name": "name_vi", "field": "field_vi", "fee": "fee_vnd"}.get(model_field, model_field)


def _import_one(actor, item, result: ImportResult, *, publish: bool, effective_from) -> None:
    procedure = Procedure.objects.filter(key=item["key"]).first()
    if procedure is None:
        values = _values(item, None)
        version = services.create_procedure(actor, key=item["key"], **values)
        result.created += 1
    else:
        draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
        latest = draft or procedure.versions.order_by("-number").first()
        values = _values(item, latest)
        if not _differs(latest, values):
            result.unchanged += 1
            result.versions.append(latest)
            return
        version = draft or services.create_draft(actor, procedure)
        version = services.update_draft(actor, version, **values)
        result.updated += 1
    if publish:
        version = services.publish(actor, version, effective_from=effective_from)
    result.versions.append(version)


# --- export -------------------------------------------------------------------------------------


def export_rows(versions) -> tuple[list[str], list[list]]:
    """Header and rows in the import format (plus status, version and dates)."""
    headers = [*COLUMNS, "status", "version", "effective_from", "effective_to"]
    rows = []
    for v in versions:
        fee = v.fee or {}
        fee_vnd = (
            fee.get("amount", "")
            if fee.get("kind") == "fixed"
            else ("0" if fee.get("kind") == "none" else "")
        )
        confidence = ""
        rows.append(
            [
                v.code,
                v.name,
                v.field.name,
                v.processing_days.normalize() if v.processing_days is not None else "",
                int(Decimal(fee_vnd)) if fee_vnd else "",
                v.source_url,
                confidence,
                v.legacy_level or "",
                v.online_level,
                ",".join(v.channels or []),
                v.result_type,
                v.legal_bases,
                v.status,
                v.number,
                v.effective_from,
                v.effective_to,
            ]
        )
    return headers, rows


# CSV injection (OWASP): a spreadsheet runs a cell that starts with one of these as a formula.
# The export writes such text behind an apostrophe, which the spreadsheet shows as plain text,
# and reading strips it again, so an exported file imports back unchanged.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _unescaped(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def export_csv(versions) -> str:
    headers, rows = export_rows(versions)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_csv_cell(x) for x in row])
    return out.getvalue()
