"""A person's data across the platform: the download of one's own data, and retention and purge.

Decree 13/2023/NĐ-CP (personal data protection) is the anchor of issue #16; its retention periods
per record type are not confirmed (legal-rules.md), so each period here is a default an
administrator overrides in the setting PERSONAL_DATA_RETENTION_DAYS ({"dossiers.dossier": 3650}).

core imports no domain app (DESIGN.md layers): each app registers, from its `apps.py`,
- a `Part`: what it holds about a person (records and files) for "Tải dữ liệu cá nhân của tôi";
- a `Retention`: which of its records are past their period, and how their personal fields go.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from .events import emit


@dataclass
class PartData:
    """What one app holds about a person: JSON-able records, stored files and generated documents."""

    records: list[dict] = field(default_factory=list)
    files: list[tuple[str, object]] = field(default_factory=list)  # (name in the archive, StoredFile)
    documents: list[tuple[str, bytes]] = field(default_factory=list)  # (name in the archive, bytes)


@dataclass(frozen=True)
class Part:
    key: str  # "dossiers"
    title: str | Promise
    collect: Callable[[object], PartData]  # user → the data; only that user's own
    order: int = 100


_parts: dict[str, Part] = {}


def register_part(part: Part) -> None:
    _parts[part.key] = part


def parts() -> list[Part]:
    return sorted(_parts.values(), key=lambda p: (p.order, p.key))


ARCHIVE_DATA = "du-lieu-ca-nhan.json"


def export_archive(user, *, now: dt.datetime | None = None) -> bytes:
    """A ZIP of everything the registered parts hold about `user`: one JSON file, then the files
    under `tep/<part>/`. Files whose bytes are missing are listed in the JSON, not in the archive."""
    now = now or timezone.now()
    data = {"exported_at": now, "account": user.get_username(), "parts": {}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for part in parts():
            got = part.collect(user)
            missing = []
            for name, stored in got.files:
                path = _unique(f"tep/{part.key}/{_safe(name)}", used)
                try:
                    with stored.file.open("rb") as handle:
                        archive.writestr(path, handle.read())
                except (FileNotFoundError, ValueError):
                    missing.append(name)
            for name, content in got.documents:
                archive.writestr(_unique(f"tep/{part.key}/{_safe(name)}", used), content)
            data["parts"][part.key] = {"title": str(part.title), "records": got.records}
            if missing:
                data["parts"][part.key]["missing_files"] = missing
        archive.writestr(
            ARCHIVE_DATA, json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str)
        )
    return buffer.getvalue()


def _safe(name: str) -> str:
    return "/".join(get_valid_filename(piece) or "tep" for piece in name.split("/"))


def _unique(path: str, used: set[str]) -> str:
    stem, dot, ext = path.rpartition(".")
    candidate, n = path, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}.{ext}" if dot else f"{path}-{n}"
    used.add(candidate)
    return candidate


# --------------------------------------------------------------------------- retention and purge
@dataclass(frozen=True)
class Retention:
    """How long one record type keeps personal data once it is finished, and how it loses it.

    `due(cutoff)`: the records finished before `cutoff` that still hold personal data.
    `purge(record)`: removes or anonymises the personal fields (a service of the owning app, called
    inside a transaction) and returns the StoredFile rows it detached; core deletes them and their
    bytes. Figures must not change: an app keeps what its statistics read (dossiers: the ledger).
    `audit_each`: one audit event per record (its `str()` must hold no personal data), else one
    event for the whole run of this type.
    """

    key: str  # "dossiers.dossier"
    title: str | Promise
    default_days: int
    basis: str  # what the default rests on: "default, to be confirmed …"
    due: Callable[[dt.datetime], Iterable]
    purge: Callable[[object], list]
    audit_each: bool = True


_retention: dict[str, Retention] = {}


def register_retention(rule: Retention) -> None:
    _retention[rule.key] = rule


def retention_rules() -> list[Retention]:
    return sorted(_retention.values(), key=lambda r: r.key)


def days_for(rule: Retention) -> int:
    """The administrator's period from settings, else the registered default."""
    configured = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", {}) or {}
    return int(configured.get(rule.key, rule.default_days))


@dataclass
class PurgeResult:
    rule: Retention
    days: int
    cutoff: dt.datetime
    records: list
    files: int = 0


def purge(*, apply: bool = False, now: dt.datetime | None = None, actor=None) -> list[PurgeResult]:
    """The records past their retention period, per type; with `apply`, their personal data goes.

    Each record is purged in its own transaction with its audit event ("personal_data_purged"), so
    a failure leaves the records already done done. File bytes are deleted after the commit.
    """
    now = now or timezone.now()
    results = []
    for rule in retention_rules():
        days = days_for(rule)
        cutoff = now - dt.timedelta(days=days)
        found = PurgeResult(rule, days, cutoff, list(rule.due(cutoff)))
        if apply and found.records:
            for record in found.records:
                with transaction.atomic():
                    files = rule.purge(record) or []
                    if rule.audit_each:
                        emit(
                            "personal_data_purged",
                            record,
                            actor=actor,
                            note=_("%(type)s: past its retention period of %(days)s days")
                            % {"type": rule.title, "days": days},
                            changes={"files_removed": len(files)},
                        )
                    _delete_files(files)
                found.files += len(files)
            if not rule.audit_each:
                emit(
                    "personal_data_purged",
                    None,
                    actor=actor,
                    note=_("%(type)s: %(count)s records past their retention period of %(days)s days")
                    % {"type": rule.title, "count": len(found.records), "days": days},
                    changes={"records": len(found.records), "files_removed": found.files},
                )
        results.append(found)
    return results


def _delete_files(files) -> None:
    """Delete the StoredFile rows now and their bytes once the transaction commits."""
    for stored in files:
        storage, name = stored.file.storage, stored.file.name
        stored.delete()
        if name:
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
