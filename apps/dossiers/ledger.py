"""The statistics ledger: the services count each event of a dossier here, in their transaction.

Indicators and dashboards read `StatisticsEntry` rows only, never the dossiers themselves, so the
figures survive the purge of old dossiers under the retention rules. Counting is idempotent: a
dossier is counted at most once per kind (a unique constraint), so a re-run seeder or a back-fill
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from apps.core.calendar import workdays

from .models import Dossier, State, StatisticsEntry

Kind = StatisticsEntry.Kind

# The action of the transition service → the kind of event it counts.
ACTION_KINDS = {
    "receive": Kind.RECEIVED,
    "refuse": Kind.REFUSED,
    "issue_result": Kind.RESOLVED,
    "not_eligible": Kind.RESOLVED,
    "return_result": Kind.RETURNED,
    "stop": Kind.WITHDRAWN,
    "pay": Kind.PAID,
}


def _unit_id(dossier) -> int | None:
    return dossier.handling_unit_id or (dossier.procedure_snapshot or {}).get("competent_unit_id")


def _components_digitised(dossier) -> bool:
    if not dossier.pk:
        return False
    files = list(dossier.documents.filter(is_supplement=False).values_list("file_id", flat=True))
    return bool(files) and all(files)


def entry_for(dossier, kind: str, at: dt.datetime, model=StatisticsEntry) -> StatisticsEntry:
    """An unsaved ledger row describing `dossier` at the moment of the event."""
    entry = model(
        kind=kind,
        at=at,
        dossier_ref=dossier.pk,
        organization_id=dossier.organization_id,
        unit_id=_unit_id(dossier),
        procedure_id=dossier.procedure_id,
        procedure_code=dossier.procedure_code or "",
        procedure_name=dossier.procedure_name,
        field=dossier.procedure_field or "",
        legacy_level=dossier.legacy_level,
        online_level=dossier.online_level or "",
        channel=dossier.channel,
        handled_in_system=dossier.handled_in_system,
        has_fee=bool(dossier.fee and dossier.fee > 0),
    )
    if kind == Kind.RECEIVED:
        entry.digitised = _components_digitised(dossier)
    if kind == Kind.RESOLVED:
        entry.outcome = State.NOT_ELIGIBLE if dossier.state == State.NOT_ELIGIBLE else State.RESULT_READY
        entry.timeliness = dossier.timeliness or ""
        entry.digitised = bool(dossier.result_file_id)
        if dossier.received_at and at >= dossier.received_at:
            entry.processing_days = workdays.working_days_between(dossier.received_at, at).quantize(
                Decimal("0.01")
            )
    if kind in (Kind.REFUSED, Kind.WITHDRAWN):
        entry.outcome = dossier.state
    return entry


def count(dossier, kind: str, at: dt.datetime, model=StatisticsEntry) -> bool:
    """Count the event once (False when it was already counted). Call inside the service's transaction."""
    try:
        with transaction.atomic():
            entry_for(dossier, kind, at, model).save()
    except IntegrityError:
        return False
    return True


def count_action(dossier, action: str, at: dt.datetime) -> None:
    kind = ACTION_KINDS.get(action)
    if kind is not None:
        count(dossier, kind, at)


# The moment of each kind on a dossier row (back-fill of dossiers recorded without the ledger).
_MOMENTS = {
    Kind.SUBMITTED: lambda d: d.submitted_at,
    Kind.RECEIVED: lambda d: d.received_at,
    Kind.REFUSED: lambda d: d.resolved_at if d.state == State.REFUSED else None,
    Kind.RESOLVED: lambda d: d.resolved_at if d.state not in (State.REFUSED, State.WITHDRAWN) else None,
    Kind.RETURNED: lambda d: d.returned_at,
    Kind.WITHDRAWN: lambda d: d.closed_at if d.state == State.WITHDRAWN else None,
    Kind.PAID: lambda d: (
        d.payments.filter(status="paid").order_by("paid_at").values_list("paid_at", flat=True).first()
    ),
}


def backfill(queryset=None, model=StatisticsEntry) -> int:
    """Count what the ledger misses for existing dossiers (the seeder's 2021 data, old rows).
    `queryset` and `model` may be a migration's historical models."""
    queryset = queryset if queryset is not None else Dossier.objects.exclude(state=State.DRAFT)
    done = set(model.objects.values_list("dossier_ref", "kind"))
    made = 0
    for dossier in queryset.iterator():
        for kind, moment in _MOMENTS.items():
            at = moment(dossier)
            if at is None or (dossier.pk, kind) in done:
                continue
            made += count(dossier, kind, at, model)
    return made
