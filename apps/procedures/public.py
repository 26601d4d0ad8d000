"""Public function module of the procedure catalogue: what other modules (dossiers, plans) may use.

This interface is frozen. It may only grow by optional parameters or new functions.

* `get_version(version_id)` — any version, whatever its status; a dossier keeps the id of the
  version it was received under and always gets the same answer back (published versions are
  never edited: a change is a new version with a new id). Raises `ProcedureNotFound`.
* `current_version(procedure_id, on=None)` — the published version in force on `on` (today), or None;
  for a past date, the version that was in force then even if it has since been retired.
* `published_versions(field=None, search="")` — versions in force today, by field name and a
  diacritic-insensitive search ("cap giay phep" finds "Cấp giấy phép").
* `compute_fee(version_id, data)` — whole đồng: fixed, per item (quantity from a form field), or
  a formula (rate × base form field, clamped to min/max). Raises ValidationError({field: [msg]})
  when the data needed for the fee is missing or invalid.
* `validate_form(version_id, data)` — cleaned, JSON-safe values (text stripped, dates ISO
  "YYYY-MM-DD", numbers canonical decimal strings, keys outside the schema dropped, empty optional
  fields ""); raises django ValidationError({field: [msg]}).
* `procedure_url(procedure_id)` — the public catalogue page.

`ProcedureVersionInfo.processing_days` is Decimal(0) and `steps` empty only for a draft imported
without a processing time; a published version always has both, and the step allowances add up
to the processing days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import schema, selectors
from .models import ProcedureVersion


class ProcedureNotFound(LookupError):
    """No procedure version with that id."""


@dataclass(frozen=True)
class StepSpec:
    code: str
    name: str
    role: str  # an apps.organizations.roles.Role value handling the step
    allowance_days: Decimal


@dataclass(frozen=True)
class DocumentSpec:
    code: str
    name: str
    form: str  # "original" | "copy" | "either"
    quantity: int
    required: bool
    template_file_id: str | None


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str  # "text" | "textarea" | "date" | "number" | "email" | "phone" | "choice"
    required: bool
    choices: tuple[str, ...] = ()
    max_length: int | None = None


@dataclass(frozen=True)
class ProcedureVersionInfo:
    version_id: int
    procedure_id: int
    code: str  # national code, "" when unknown
    name: str
    field: str
    competent_unit_id: int | None
    processing_days: Decimal
    steps: tuple[StepSpec, ...]  # allowances add up to processing_days
    documents: tuple[DocumentSpec, ...]
    form_fields: tuple[FieldSpec, ...]
    has_fee: bool
    legacy_level: int | None  # 2/3/4 (Decree 43/2011), for 2021 data
    online_level: str  # "full" | "partial" | "none" (Decree 42/2022)
    channels: frozenset[str]  # subset of {"online", "walk_in", "post"}
    result_type: str
    effective_from: date  # None only for a draft that was never given a date


def _info(version: ProcedureVersion) -> ProcedureVersionInfo:
    fee = version.fee or {}
    return ProcedureVersionInfo(
        version_id=version.pk,
        procedure_id=version.procedure_id,
        code=version.code or "",
        name=version.name,
        field=version.field.name,
        competent_unit_id=version.competent_unit_id,
        processing_days=version.processing_days if version.processing_days is not None else Decimal(0),
        steps=tuple(
            StepSpec(s["code"], s["name"], s["role"], Decimal(str(s["allowance_days"])))
            for s in version.steps
        ),
        documents=tuple(
            DocumentSpec(
                d["code"],
                d["name"],
                d.get("form", "either"),
                int(d.get("quantity", 1)),
                bool(d.get("required", True)),
                d.get("template_file_id") or None,
            )
            for d in version.documents
        ),
        form_fields=tuple(
            FieldSpec(
                f["name"],
                f["label"],
                f.get("type", "text"),
                bool(f.get("required")),
                tuple(f.get("choices") or ()),
                f.get("max_length"),
            )
            for f in version.form_fields
        ),
        has_fee=_has_fee(fee),
        legacy_level=version.legacy_level,
        online_level=version.online_level,
        channels=frozenset(version.channels or ()),
        result_type=version.result_type,
        effective_from=version.effective_from,
    )


def _has_fee(fee: dict) -> bool:
    kind = (fee or {}).get("kind", "none")
    if kind == "none":
        return False
    if kind == "fixed":
        return (schema.to_decimal(fee.get("amount")) or 0) > 0
    return True


def _load(version_id: int) -> ProcedureVersion:
    try:
        return ProcedureVersion.objects.select_related("field").get(pk=version_id)
    except (ProcedureVersion.DoesNotExist, ValueError, TypeError) as exc:
        raise ProcedureNotFound(version_id) from exc


def get_version(version_id: int) -> ProcedureVersionInfo:
    """The version with that id, whatever its status. Raises ProcedureNotFound."""
    return _info(_load(version_id))


def current_version(procedure_id: int, on: date | None = None) -> ProcedureVersionInfo | None:
    """The version of the procedure in force on `on` (today by default), or None."""
    version = (
        selectors.effective_on(ProcedureVersion.objects.select_related("field"), on)
        .filter(procedure_id=procedure_id)
        .order_by("-effective_from")
        .first()
    )
    return _info(version) if version else None


def published_versions(*, field: str | None = None, search: str = "") -> list[ProcedureVersionInfo]:
    """Versions in force today, optionally of one field (by name) and matching a search text."""
    return [_info(v) for v in selectors.catalogue(field_name=field, text=search)]


def compute_fee(version_id: int, data: dict) -> Decimal:
    """The fee in whole đồng for this applicant data; Decimal(0) when the procedure has none."""
    version = _load(version_id)
    return schema.fee_amount(version.fee, version.form_fields, data or {})


def validate_form(version_id: int, data: dict) -> dict:
    """Cleaned applicant data; raises django ValidationError({field: [message]})."""
    return schema.clean_form(_load(version_id).form_fields, data or {})


def procedure_url(procedure_id: int) -> str:
    """The public catalogue page of the procedure (no login needed)."""
    return reverse("procedures:detail", args=[procedure_id])


DOCUMENT_FORM_LABELS = {"original": _("Original"), "copy": _("Copy"), "either": _("Original or copy")}


def document_form_label(code: str) -> str:
    """“Bản chính” / “Bản sao” for a component's form code (schema.DOCUMENT_FORMS); other text as is."""
    return str(DOCUMENT_FORM_LABELS.get(code, code))
