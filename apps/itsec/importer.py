"""Import of assets from Excel or CSV, as a background job with progress.

All rows are read and validated first; a single bad cell fails the whole file (the job lists every
error by row and column) and nothing is written. Valid files are written in one transaction.
Natural key: the asset code, else the serial number. Empty cells leave a field unchanged, so
importing the same file again changes nothing, and the asset list's own Excel export imports back
unchanged (every column it writes is recognised; a cell edited in it changes that field).

The job moves through the `asset_import` machine. New assets take a bulk path beside
`workflow.create`: bulk inserts of the assets and their "create" history rows, one audit event for
the file. A status column moves an existing asset through `workflow.apply` (the asset machine's
moves only, effective on the day of the import); new assets are registered in use. The end of the
useful life is computed from the purchase date and the asset class: its column is recognised and
never imported. Existing rows keep their unit when the file has none; a new asset needs one (the
"Đơn vị" column or the unit chosen for new assets).
"""

import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core import workflow
from apps.organizations.models import Organization

from .models import (
    Asset,
    AssetClass,
    AssetStatus,
    AssetStatusChange,
    AssetType,
    ImportJob,
    ImportStatus,
    Purpose,
)
from .selectors import manage_scope
from .services import default_class_key

FIELDS = {
    "code",
    "asset_type",
    "name",
    "model",
    "serial",
    "specification",
    "operating_system",
    "organization",
    "assigned_name",
    "location",
    "purchase_date",
    "purchase_value",
    "purpose",
    "internet_connected",
    "antivirus_product",
    "antivirus_version",
    "antivirus_licence_expiry",
    "antivirus_last_update",
}
# Columns with a meaning of their own: a status moves through the workflow; a computed value is read,
# never written.
STATUS = "status"
COMPUTED = {"depreciation_end"}
COLUMN_FIELDS = FIELDS | {STATUS} | COMPUTED
DATE_FIELDS = {"purchase_date", "antivirus_licence_expiry", "antivirus_last_update"}
TYPE_WORDS = {
    "máy tính": AssetType.COMPUTER,
    "may tinh": AssetType.COMPUTER,
    "máy chủ": AssetType.SERVER,
    "thiết bị mạng": AssetType.NETWORK,
    "thiết bị ngoại vi": AssetType.PERIPHERAL,
    "bản quyền": AssetType.LICENCE,
    "bản quyền phần mềm": AssetType.LICENCE,
}
PURPOSE_WORDS = {"làm việc": Purpose.WORK, "công việc": Purpose.WORK, "đào tạo": Purpose.TRAINING}
YES = {"1", "x", "có", "co", "yes", "true", "y"}
NO = {"0", "không", "khong", "no", "false", "n"}


# Header texts recognised for every column layout, besides the layout's own (`ImportMapping.columns`).
# Consoles and spreadsheets name the same column differently and change names between versions, so
# headers are compared after `normalise_header` (case, Vietnamese diacritics, spaces and punctuation
# ignored). A layout's own headers win; an alias only fills a field no other column supplies.
# None of these is a confirmed vendor format: check the headers of a real export and add them to the
# layout (Django admin → Import column layouts) when they differ.
ALIASES: dict[str, list[str]] = {
    "code": ["Asset code", "Mã tài sản", "Device name", "Computer name", "Host name", "Hostname", "Tên máy"],
    "serial": ["Serial", "Serial number", "S/N", "SN", "Số sê-ri", "Số serial"],
    "operating_system": ["Operating system", "OS", "OS name", "Hệ điều hành"],
    "antivirus_product": ["Antivirus", "Protection application", "Application", "Phần mềm diệt virus"],
    "antivirus_version": [
        "Application version",
        "Agent version",
        "Product version",
        "Antivirus version",
        "Phiên bản ứng dụng",
        "Phiên bản phần mềm",
    ],
    "antivirus_last_update": [
        "Last update",
        "Last database update",
        "Databases updated",
        "Database update",
        "Anti-virus bases updated",
        "Last updated",
        "Cập nhật lần cuối",
        "Ngày cập nhật",
        "Cập nhật cơ sở dữ liệu lần cuối",
    ],
    "status": ["Trạng thái", "Status", "Tình trạng"],
    "depreciation_end": ["Hết khấu hao từ", "End of useful life", "Hết niên hạn sử dụng"],
    "specification": ["Cấu hình", "Specification", "Thông số kỹ thuật"],
    "antivirus_licence_expiry": [
        "License expiration",
        "License expiration date",
        "Licence expiry",
        "License expires",
        "Hạn giấy phép",
        "Hạn bản quyền",
        "Ngày hết hạn giấy phép",
    ],
}


def normalise_header(text: str) -> str:
    """Lower case, no Vietnamese diacritics, letters and digits only: "Số sê-ri" → "soseri"."""
    import unicodedata

    text = str(text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def resolve_columns(mapping, header: list[str]) -> tuple[list[tuple[int, str, str]], list[str]]:
    """[(index, header text, field)] for the recognised columns, and the headers ignored."""
    own = {normalise_header(k): v for k, v in (mapping.columns or {}).items() if v in COLUMN_FIELDS}
    aliases = {normalise_header(a): f for f, names in ALIASES.items() for a in names}
    columns, ignored, taken = [], [], set()
    for i, h in enumerate(header):
        key = normalise_header(h)
        field = own.get(key)
        if field and field not in taken:
            columns.append((i, h, field))
            taken.add(field)
        elif h:
            ignored.append((i, h, key))
    rest = []
    for i, h, key in ignored:
        field = aliases.get(key)
        if field and field not in taken:
            columns.append((i, h, field))
            taken.add(field)
        else:
            rest.append(h)
    return sorted(columns), rest


def recognised_headers(mapping) -> list[tuple[str, list[str]]]:
    """For the import page: each field's label and the header texts that fill it."""
    by_field: dict[str, list[str]] = {}
    for header, field in (mapping.columns or {}).items():
        if field in COLUMN_FIELDS:
            by_field.setdefault(field, []).append(header)
    for field, names in ALIASES.items():
        known = {normalise_header(h) for h in by_field.get(field, [])}
        by_field.setdefault(field, []).extend(n for n in names if normalise_header(n) not in known)
    order = [f.name for f in Asset._meta.get_fields() if f.name in by_field]
    rows = [(str(Asset._meta.get_field(f).verbose_name), by_field[f]) for f in order]
    if "depreciation_end" in by_field:
        rows.append((_("end of useful life (computed, not imported)"), by_field["depreciation_end"]))
    return rows


def _audit_value(v):
    from .services import _value

    return _value(v)


class RowError(ValueError):
    pass


def read_table(filename: str, content: bytes) -> tuple[list[str], list[list]]:
    """Header and data rows of the first sheet (XLSX) or of a CSV (UTF-8, comma or semicolon)."""
    if filename.lower().endswith(".csv"):
        text = content.decode("utf-8-sig")
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
    else:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    rows = [r for r in rows if any(c not in (None, "") for c in r)]
    if not rows:
        return [], []
    return [str(h or "").strip() for h in rows[0]], rows[1:]


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    for fmt in (
        "%d/%m/%Y",
        "%Y-%m-%d",
        "%d-%m-%Y",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": text})


def _choice_words(choices) -> dict[str, str]:
    """Each choice by its value and by its label in every language of the site, normalised as
    headers are: an export written in English or Vietnamese reads back."""
    from django.conf import settings
    from django.utils import translation

    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, label in choices:
                words[normalise_header(str(label))] = value
    for value, _label in choices:
        words[normalise_header(value)] = value
    return words


def _choice(text: str, choices, extra: dict, message: str):
    key = text.casefold()
    if key in extra:
        return extra[key]
    value = _choice_words(choices).get(normalise_header(text))
    if value is None:
        raise RowError(message % {"value": text})
    return value


def _convert(field: str, value, orgs: dict):
    if field in COMPUTED:
        return None
    if field in DATE_FIELDS:
        return _date(value)
    text = str(value).strip()
    if field == "purchase_value":
        if isinstance(value, int | float | Decimal):
            return Decimal(value).quantize(Decimal(1))
        try:
            # "1.234.567", "1.234.567 đồng" (as the platform prints it), "1.234.567đ", "… VNĐ"
            return Decimal(re.sub(r"[.\s]|đồng|vnđ|vnd|đ", "", text, flags=re.IGNORECASE).replace(",", "."))
        except InvalidOperation:
            raise RowError(_("“%(value)s” is not an amount.") % {"value": text}) from None
    if field == "asset_type":
        return _choice(text, AssetType.choices, TYPE_WORDS, _("Unknown asset type “%(value)s”."))
    if field == "purpose":
        return _choice(text, Purpose.choices, PURPOSE_WORDS, _("Unknown purpose “%(value)s”."))
    if field == STATUS:
        return _choice(text, AssetStatus.choices, {}, _("Unknown status “%(value)s”."))
    if field == "internet_connected":
        key = text.casefold()
        if key in YES:
            return True
        if key in NO:
            return False
        raise RowError(_("Write “có” or “không”, not “%(value)s”.") % {"value": text})
    if field == "organization":
        candidates = orgs.get(text.casefold())
        if not candidates:
            raise RowError(_("Unknown or not permitted unit “%(value)s”.") % {"value": text})
        return candidates  # the row's asset picks among units of the same name
    max_length = Asset._meta.get_field(field).max_length
    if max_length and len(text) > max_length:
        raise RowError(_("Longer than %(n)d characters.") % {"n": max_length})
    return text


def plan(job: ImportJob, progress=lambda p, m: None):
    """Validate the file; returns (creates, updates, unchanged, errors). Writes nothing."""
    scope = manage_scope(job.requested_by)
    if scope.is_empty:
        raise PermissionDenied(_("Only the IT officer or an administrator may import assets."))
    header, rows = read_table(job.filename, bytes(job.content))
    columns, ignored = resolve_columns(job.mapping, header)
    job.ignored_headers = ignored
    errors: list[dict] = []
    if not any(f == "code" for _i, _h, f in columns) and not any(f == "serial" for _i, _h, f in columns):
        errors.append({"row": 1, "column": "", "message": _("The file has no asset code or serial column.")})
        return [], [], 0, errors

    org_qs = Organization.objects.filter(is_active=True)
    if not scope.everything:
        org_qs = org_qs.filter(pk__in=scope.organization_ids)
    orgs: dict[str, list] = {}
    for o in org_qs:
        for key in {o.code, o.name, o.short_name}:
            if key:
                orgs.setdefault(key.casefold(), []).append(o)

    parsed = []
    for n, row in enumerate(rows, start=2):
        values = dict(job.mapping.defaults or {})
        for i, h, field in columns:
            cell = row[i] if i < len(row) else None
            if cell in (None, "") or field in COMPUTED:
                continue
            try:
                values[field] = _convert(field, cell, orgs)
            except RowError as exc:
                errors.append({"row": n, "column": h, "message": str(exc)})
        parsed.append((n, values))
        if n % 200 == 0:
            progress(int(40 * n / max(len(rows), 1)), _("Checking row %(n)d") % {"n": n})

    codes = {v["code"] for _n, v in parsed if v.get("code")}
    serials = {v["serial"] for _n, v in parsed if v.get("serial")}
    existing = list(Asset.objects.filter(code__in=codes).select_related("assigned_to")) + list(
        Asset.objects.filter(serial__in=serials).select_related("assigned_to")
    )
    by_code = {a.code: a for a in existing}
    by_serial = {a.serial: a for a in existing if a.serial}
    seen: dict[str, int] = {}
    creates, updates, unchanged = [], [], 0
    job.status_moves = []  # (asset, action, from, to) applied by `run` through the workflow
    classes: dict = {}
    code_column = next((h for _i, h, f in columns if f == "code"), "")
    status_column = next((h for _i, h, f in columns if f == STATUS), "")
    unit_column = next((h for _i, h, f in columns if f == "organization"), "")
    people = _people(parsed)
    for n, values in parsed:
        key = values.get("code") or values.get("serial")
        if not key:
            errors.append(
                {"row": n, "column": code_column, "message": _("Asset code or serial is required.")}
            )
            continue
        if key in seen:
            errors.append(
                {"row": n, "column": code_column, "message": _("Same asset as row %(n)d.") % {"n": seen[key]}}
            )
            continue
        seen[key] = n
        asset = by_code.get(values.get("code")) or by_serial.get(values.get("serial"))
        candidates = values.pop("organization", None)
        if candidates:
            if asset is not None and asset.organization_id in {o.pk for o in candidates}:
                values["organization"] = next(o for o in candidates if o.pk == asset.organization_id)
            elif len(candidates) == 1:
                values["organization"] = candidates[0]
            else:
                errors.append(
                    {
                        "row": n,
                        "column": unit_column,
                        "message": _("Several units are named “%(value)s”: write the unit's code.")
                        % {"value": candidates[0].name},
                    }
                )
                continue
        if asset is not None:
            if not scope.allows(asset):
                errors.append(
                    {"row": n, "column": code_column, "message": _("This asset is outside your unit.")}
                )
                continue
            status = values.pop(STATUS, None)
            _assignee(asset, values, people)
            changed = {
                f: [_audit_value(getattr(asset, f)), _audit_value(v)]
                for f, v in values.items()
                if f != "code" and getattr(asset, f) != v
            }
            moved = False
            if status and status != asset.status:
                from .workflow import ASSET

                try:
                    action = ASSET.action_to(status)
                    ASSET.check(action, asset.status)
                except workflow.TransitionError:
                    errors.append(
                        {
                            "row": n,
                            "column": status_column,
                            "message": _("The status cannot change from “%(old)s” to “%(new)s”.")
                            % {
                                "old": AssetStatus(asset.status).label,
                                "new": AssetStatus(status).label,
                            },
                        }
                    )
                    continue
                job.status_moves.append((asset, action))
                moved = True
            if changed:
                for f in changed:
                    setattr(asset, f, values[f])
                updates.append((asset, changed))
            elif not moved:
                unchanged += 1
            continue
        if not values.get("code"):
            errors.append({"row": n, "column": code_column, "message": _("A new asset needs an asset code.")})
            continue
        if not values.get("purchase_date"):
            errors.append(
                {
                    "row": n,
                    "column": "",
                    "message": _("Not yet in the register: a purchase date is required."),
                }
            )
            continue
        status = values.pop(STATUS, None)
        if status and status != AssetStatus.IN_USE:
            errors.append(
                {
                    "row": n,
                    "column": status_column,
                    "message": _(
                        "A new asset is registered as in use: leave its status empty and change it "
                        "after the import."
                    ),
                }
            )
            continue
        values.setdefault("asset_type", AssetType.COMPUTER)
        if values.get("organization") is None:
            values.pop("organization", None)
            if job.organization is None:
                errors.append(
                    {
                        "row": n,
                        "column": unit_column,
                        "message": _(
                            "A new asset needs a unit: fill in its unit or choose the unit for new assets."
                        ),
                    }
                )
                continue
            values["organization"] = job.organization
        _assignee(None, values, people)
        asset = Asset(status=AssetStatus.IN_USE, **values)
        ck = (default_class_key(asset.asset_type), asset.purchase_date)
        if ck not in classes:
            classes[ck] = AssetClass.version_for(*ck)
        asset.asset_class = classes[ck]
        creates.append(asset)
    return creates, updates, unchanged, errors


def _people(parsed) -> dict[str, object]:
    """Active accounts by their full name as written, for the names in the assignee column: one
    query for the file. A name two accounts share matches none."""
    from django.contrib.auth import get_user_model

    names = {str(v["assigned_name"]).strip() for _n, v in parsed if v.get("assigned_name")}
    if not names:
        return {}
    found: dict[str, list] = {}
    for user in get_user_model().objects.filter(is_active=True, full_name__in=names):
        found.setdefault(user.full_name.strip().casefold(), []).append(user)
    return {k: v[0] for k, v in found.items() if len(v) == 1}


def _assignee(asset, values: dict, people: dict) -> None:
    """The export writes the assigned account's full name in the same column as a person without
    an account: the same name leaves the assignment as it is; another name assigns that account,
    or names a person without one."""
    if "assigned_name" not in values:
        return
    name = str(values["assigned_name"]).strip()
    if asset is not None and name.casefold() == (asset.assignee or "").strip().casefold():
        values.pop("assigned_name")
        return
    user = people.get(name.casefold())
    if user is not None:
        values["assigned_to"], values["assigned_name"] = user, ""
    else:
        values["assigned_to"], values["assigned_name"] = None, name


def _progress(job_id, percent: int, message: str):
    ImportJob.objects.filter(pk=job_id).update(progress=percent, message=message[:255])


def run(job_id) -> None:
    job = ImportJob.objects.select_related("mapping", "requested_by", "organization").get(pk=job_id)
    if job.status in (ImportStatus.DONE, ImportStatus.FAILED):
        return
    actor = job.requested_by  # the job acts for the uploader: the audit log names them
    workflow.apply(job, "start", actor)
    try:
        creates, updates, unchanged, errors = plan(job, lambda p, m: _progress(job.pk, p, m))
    except Exception as exc:  # no right to import, or an unreadable file: the user's to fix, not a crash
        text = str(exc) if isinstance(exc, PermissionDenied) else f"Không đọc được tệp: {exc}"
        creates, updates, unchanged, errors = [], [], 0, [{"row": 0, "column": "", "message": text}]
    if errors:
        message = _("%(n)d errors; nothing was imported.") % {"n": len(errors)}
        workflow.apply(job, "fail", actor, message, errors=errors[:500], message=message)
        return
    _progress(job.pk, 50, _("Writing"))
    with transaction.atomic():
        Asset.objects.bulk_create(creates, batch_size=500)
        created = Asset.objects.filter(code__in=[a.code for a in creates])
        made = [AssetStatusChange(asset=a, to_state=a.status, effective_on=a.purchase_date) for a in created]
        for row in made:  # the registration row `workflow.create` writes, in bulk
            row.action, row.actor, row.note = "create", actor, "Nhập từ tệp"
        AssetStatusChange.objects.bulk_create(made, batch_size=500)
        fields = sorted({f for _a, changed in updates for f in changed})
        if updates:
            Asset.objects.bulk_update([a for a, _c in updates], fields, batch_size=500)
            for asset, changed in updates:  # each asset's own history shows what the file changed
                record("asset_updated", asset, actor=actor, note=job.filename, changes=changed)
        today = timezone.localdate()
        for asset, action in job.status_moves:
            workflow.apply(asset, action, actor, job.filename, effective_on=max(today, asset.purchase_date))
        moved = {a.pk for a, _action in job.status_moves} - {a.pk for a, _c in updates}
        message = _("Done.")
        if getattr(job, "ignored_headers", None):
            message = (
                _("Done. Columns not recognised (ignored): %(names)s")
                % {"names": ", ".join(job.ignored_headers)}
            )[:255]
        updated = len(updates) + len(moved)
        counts = {"created_count": len(creates), "updated_count": updated, "unchanged_count": unchanged}
        note = f"{job.filename}: {len(creates)} mới, {updated} cập nhật, {unchanged} không đổi"
        workflow.apply(job, "finish", actor, note, message=message, **counts)


def _home_unit(user):
    from apps.organizations.models import Membership

    membership = Membership.objects.filter(user=user).select_related("organization").first()
    return membership.organization if membership else None


def start(user, *, uploaded, mapping, organization=None) -> ImportJob:
    """Queue an import; the page polls the job for progress."""
    from apps.core.background import dispatch

    from .tasks import run_import

    scope = manage_scope(user)
    if scope.is_empty or (
        organization is not None and not (scope.everything or organization.pk in scope.organization_ids)
    ):
        raise PermissionDenied(_("Only the IT officer or an administrator may import assets."))
    name = getattr(uploaded, "name", "import.xlsx")
    if not name.lower().endswith((".xlsx", ".csv")):
        from django.core.exceptions import ValidationError

        raise ValidationError(_("Choose an Excel (.xlsx) or CSV file."))
    from apps.core.files.intake import accept_upload, atomic_with_files

    # Both formats pass intake (size, type from content, zip-bomb guard, ClamAV) before a job exists.
    with atomic_with_files():
        unit = organization or _home_unit(user)
        stored = accept_upload(uploaded, purpose="import", user=user, organization=unit)
        uploaded.seek(0)
        content = uploaded.read()
        job = ImportJob.objects.create(
            mapping=mapping,
            organization=organization,
            requested_by=user,
            filename=name,
            content=content,
            file=stored,
        )
        transaction.on_commit(lambda: dispatch(run_import, str(job.pk)))
    return job
