"""The one seam to the procedures module: its public functions, and JSON snapshots of versions.

Never import apps.procedures.models. Tests replace `procedures_public` with a fake.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

try:
    from apps.procedures import public as procedures_public
except ImportError:  # pragma: no cover - the procedures module is built in parallel
    procedures_public = None


def _public():
    if procedures_public is None:
        raise RuntimeError("apps.procedures.public is not available.")
    return procedures_public


def get_version(version_id: int):
    return _public().get_version(version_id)


def current_version(procedure_id: int, on=None):
    return _public().current_version(procedure_id, on=on)


def published_versions(field=None, search: str = ""):
    return _public().published_versions(field=field, search=search)


def compute_fee(version_id: int, data: dict) -> Decimal:
    return Decimal(_public().compute_fee(version_id, data))


def validate_form(version_id: int, data: dict) -> dict:
    return _public().validate_form(version_id, data)


def procedure_url(procedure_id: int) -> str:
    try:
        return _public().procedure_url(procedure_id)
    except Exception:  # noqa: BLE001 - a link is optional
        return ""


def _jsonable(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def snapshot(info) -> dict:
    """A JSON copy of a ProcedureVersionInfo: the rules the dossier was received under."""
    return _jsonable(info)
