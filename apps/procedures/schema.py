"""The JSON parts of a procedure version: their validation, the applicant form and the fee rule.

Shapes (all stored on `ProcedureVersion`):

* steps: ``[{"code", "name", "role", "allowance_days"}]`` — `role` is an `accounts.Role` value;
  the allowances (decimal strings) add up to `processing_days`.
* documents: ``[{"code", "name", "form": "original"|"copy"|"either", "quantity": int,
  "required": bool, "template_file_id": str|null}]``.
* form_fields: ``[{"name", "label", "type", "required", "choices": [...], "max_length": int|null}]``
  with type in text, textarea, date, number, email, phone, choice.
* fee: ``{"kind": "none"}``; ``{"kind": "fixed", "amount": "3000000"}``;
  ``{"kind": "per_item", "amount": "2000000", "quantity_field": "so_thiet_bi"}``;
  ``{"kind": "formula", "rate": "0.001", "base_field": "gia_tri_hop_dong", "min": "5000000",
  "max": "10000000"}`` (min and max optional). Amounts are whole đồng.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from apps.organizations.roles import Role

FIELD_TYPES = ("text", "textarea", "date", "number", "email", "phone", "choice")
DOCUMENT_FORMS = ("original", "copy", "either")
FEE_KINDS = ("none", "fixed", "per_item", "formula")
CHANNELS = ("online", "walk_in", "post")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_VN_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PHONE = re.compile(r"^(\+84|0)\d{9,10}$")
DEFAULT_TEXT_MAX = 1000


def to_decimal(value, default=None) -> Decimal | None:
    if value is None or value == "":
        return default
    try:
        result = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError):
        return default
    return result if result.is_finite() else default


# --- validation of a version's payload -----------------------------------------------------------


def _check_steps(steps, processing_days, errors):
    if not isinstance(steps, list):
        errors["steps"] = [_("Steps must be a list.")]
        return
    total = Decimal(0)
    roles = set(Role.values)
    codes = set()
    for index, step in enumerate(steps, start=1):
        if not isinstance(step, dict) or not step.get("code") or not step.get("name"):
            errors.setdefault("steps", []).append(_("Step %(n)s needs a code and a name.") % {"n": index})
            continue
        if step["code"] in codes:
            errors.setdefault("steps", []).append(_("Step code %(c)s is repeated.") % {"c": step["code"]})
        codes.add(step["code"])
        if step.get("role") not in roles:
            errors.setdefault("steps", []).append(_("Step %(n)s has an unknown role.") % {"n": index})
        allowance = to_decimal(step.get("allowance_days"))
        if allowance is None or allowance < 0:
            errors.setdefault("steps", []).append(
                _("Step %(n)s needs an allowance in working days.") % {"n": index}
            )
            continue
        total += allowance
    if steps and processing_days is not None and total != Decimal(processing_days) and "steps" not in errors:
        errors["steps"] = [
            _("The step allowances add up to %(total)s working days, not %(days)s.")
            % {"total": total.normalize(), "days": Decimal(processing_days).normalize()}
        ]


def _check_documents(documents, errors):
    if not isinstance(documents, list):
        errors["documents"] = [_("Documents must be a list.")]
        return
    for index, doc in enumerate(documents, start=1):
        ok = (
            isinstance(doc, dict)
            and doc.get("code")
            and doc.get("name")
            and doc.get("form", "either") in DOCUMENT_FORMS
            and isinstance(doc.get("quantity", 1), int)
            and doc.get("quantity", 1) >= 1
        )
        if not ok:
            errors.setdefault("documents", []).append(
                _(
                    "Document %(n)s needs a code, a name, a form (original/copy/either) "
                    "and a quantity of at least 1."
                )
                % {"n": index}
            )


def _check_form_fields(fields, errors):
    if not isinstance(fields, list):
        errors["form_fields"] = [_("Form fields must be a list.")]
        return
    names = set()
    for index, item in enumerate(fields, start=1):
        if not isinstance(item, dict) or not _NAME.match(str(item.get("name", ""))) or not item.get("label"):
            errors.setdefault("form_fields", []).append(
                _("Form field %(n)s needs a name (a-z, 0-9, _) and a label.") % {"n": index}
            )
            continue
        if item["name"] in names:
            errors.setdefault("form_fields", []).append(
                _("Form field %(f)s is repeated.") % {"f": item["name"]}
            )
        names.add(item["name"])
        if item.get("type") not in FIELD_TYPES:
            errors.setdefault("form_fields", []).append(
                _("Form field %(f)s has an unknown type.") % {"f": item["name"]}
            )
        if item.get("type") == "choice" and not item.get("choices"):
            errors.setdefault("form_fields", []).append(
                _("Form field %(f)s needs choices.") % {"f": item["name"]}
            )


def _check_fee(fee, field_names, errors):
    if fee in (None, {}):
        return
    if not isinstance(fee, dict) or fee.get("kind") not in FEE_KINDS:
        errors["fee"] = [_("The fee rule must be none, fixed, per item or a formula.")]
        return
    kind = fee["kind"]
    problems = []
    if kind in ("fixed", "per_item"):
        amount = to_decimal(fee.get("amount"))
        if amount is None or amount < 0:
            problems.append(_("The fee needs an amount of at least 0."))
    if kind == "per_item" and fee.get("quantity_field") not in field_names:
        problems.append(_("A per-item fee needs the form field that gives the quantity."))
    if kind == "formula":
        rate = to_decimal(fee.get("rate"))
        if rate is None or rate < 0:
            problems.append(_("A formula fee needs a rate of at least 0."))
        if fee.get("base_field") not in field_names:
            problems.append(_("A formula fee needs the form field that gives the base amount."))
        low, high = to_decimal(fee.get("min")), to_decimal(fee.get("max"))
        if low is not None and high is not None and low > high:
            problems.append(_("The minimum fee is above the maximum."))
    if problems:
        errors["fee"] = problems


def validate_version_payload(version) -> None:
    """Raise ValidationError({field: [messages]}) when the JSON parts of a version are inconsistent."""
    errors: dict[str, list[str]] = {}
    _check_steps(version.steps, version.processing_days, errors)
    _check_documents(version.documents, errors)
    _check_form_fields(version.form_fields, errors)
    names = {f.get("name") for f in version.form_fields or [] if isinstance(f, dict)}
    _check_fee(version.fee, names, errors)
    if not isinstance(version.channels, list) or any(c not in CHANNELS for c in version.channels):
        errors["channels"] = [_("Channels must be among online, walk-in and post.")]
    if errors:
        raise ValidationError(errors)


def default_steps(days: Decimal) -> list[dict]:
    """A typical split of the processing time over the one-stop hand-over chain.

    This is a demonstration split, not a legal allowance: procedures imported without steps get it,
    and an administrator edits it per procedure.
    """
    days = Decimal(days)
    if days < Decimal("2.5"):
        return [
            {
                "code": "xu-ly",
                "name": "Xử lý hồ sơ",
                "role": Role.SPECIALIST.value,
                "allowance_days": str(days),
            }
        ]
    half = Decimal("0.5")
    return [
        {
            "code": "tiep-nhan",
            "name": "Tiếp nhận, chuyển hồ sơ",
            "role": Role.ONE_STOP_OFFICER.value,
            "allowance_days": str(half),
        },
        {
            "code": "tham-dinh",
            "name": "Thẩm định hồ sơ",
            "role": Role.SPECIALIST.value,
            "allowance_days": str(days - 3 * half),
        },
        {
            "code": "xem-xet",
            "name": "Xem xét, trình ký",
            "role": Role.UNIT_HEAD.value,
            "allowance_days": str(half),
        },
        {
            "code": "phe-duyet",
            "name": "Phê duyệt kết quả",
            "role": Role.LEADER.value,
            "allowance_days": str(half),
        },
    ]


# --- the applicant form ---------------------------------------------------------------------------


def _parse_date(raw: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def clean_form(form_fields: list[dict], data: dict) -> dict:
    """Validate applicant data against a form schema; return JSON-safe cleaned values.

    Text fields are stripped strings, dates ISO strings ("2021-10-06"), numbers canonical decimal
    strings ("5000000"); keys not in the schema are dropped; empty optional fields are "".
    """
    data = data or {}
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for spec in form_fields:
        name, kind = spec["name"], spec.get("type", "text")
        raw = data.get(name)
        raw = "" if raw is None else str(raw).strip()
        if raw == "":
            if spec.get("required"):
                errors[name] = [_("This field is required.")]
            cleaned[name] = ""
            continue
        try:
            cleaned[name] = _clean_value(spec, kind, raw)
        except ValidationError as exc:
            errors[name] = list(exc.messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_value(spec: dict, kind: str, raw: str) -> str:
    if kind in ("text", "textarea"):
        limit = spec.get("max_length") or DEFAULT_TEXT_MAX
        if len(raw) > limit:
            raise ValidationError(_("Enter at most %(n)s characters.") % {"n": limit})
        return raw
    if kind == "date":
        try:
            return _parse_date(raw).isoformat()
        except ValueError as exc:
            raise ValidationError(_("Enter a date as dd/mm/yyyy.")) from exc
    if kind == "number":
        # Vietnamese input "5.000.000" or "1,5" is accepted as well as plain digits.
        text = raw.replace(" ", "")
        if _VN_GROUPED.match(text):  # "1.000" and "7.654.321,5" use dots to group thousands
            text = text.replace(".", "").replace(",", ".")
        elif "," in text:
            text = text.replace(",", ".")
        value = to_decimal(text)
        if value is None:
            raise ValidationError(_("Enter a number."))
        if value < 0:
            raise ValidationError(_("Enter a number of at least 0."))
        return format(value.normalize(), "f")
    if kind == "email":
        validate_email(raw)
        return raw.lower()
    if kind == "phone":
        phone = re.sub(r"[\s.\-()]", "", raw)
        if not _PHONE.match(phone):
            raise ValidationError(_("Enter a Vietnamese phone number, e.g. 0912 345 678."))
        return phone
    if kind == "choice":
        if raw not in (spec.get("choices") or ()):
            raise ValidationError(_("Select one of the offered choices."))
        return raw
    raise ValidationError(_("Unknown field type."))


# --- fees -------------------------------------------------------------------------------------------


def _whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def fee_amount(fee: dict, form_fields: list[dict], data: dict) -> Decimal:
    """The fee in whole đồng for the applicant data (validated against the form schema first)."""
    fee = fee or {}
    kind = fee.get("kind", "none")
    if kind == "none":
        return Decimal(0)
    if kind == "fixed":
        return _whole(to_decimal(fee.get("amount"), Decimal(0)))
    needed = fee.get("quantity_field") if kind == "per_item" else fee.get("base_field")
    specs = [f for f in form_fields if f["name"] == needed] or [{"name": needed, "type": "number"}]
    spec = dict(specs[0], required=True)
    cleaned = clean_form([spec], data)
    value = Decimal(cleaned[needed])
    if kind == "per_item":
        if value != value.to_integral_value() or value < 1:
            raise ValidationError({needed: [_("Enter a whole number of at least 1.")]})
        return _whole(to_decimal(fee.get("amount"), Decimal(0)) * value)
    amount = to_decimal(fee.get("rate"), Decimal(0)) * value
    low, high = to_decimal(fee.get("min")), to_decimal(fee.get("max"))
    if low is not None:
        amount = max(amount, low)
    if high is not None:
        amount = min(amount, high)
    return _whole(amount)
