"""Indicators of the procedure catalogue, for an organisation and a date.

A procedure counts for an organisation when the version in force on that date has a competent
unit inside the organisation's subtree (`organization=None`: the whole catalogue). Shares are
formatted by `apps.core.formatting.vn.share` (two decimals, rounded half up): on the demo data
level 2 is 31/54 = 57,407…% → "57,41%".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from apps.core.formatting.vn import share

from .models import LegacyLevel, OnlineLevel, ProcedureVersion
from .selectors import effective_on


@dataclass(frozen=True)
class LevelCount:
    level: int | str
    label: str
    count: int
    share: str  # "57,41%"


@dataclass(frozen=True)
class LevelBreakdown:
    organization_id: int | None
    on: datetime.date
    total: int  # procedures in force
    levels: tuple[LevelCount, ...]

    @property
    def by_level(self) -> dict:
        return {item.level: item.count for item in self.levels}

    @property
    def share_by_level(self) -> dict:
        return {item.level: item.share for item in self.levels}


def _in_force(organization, on: datetime.date):
    qs = effective_on(ProcedureVersion.objects.all(), on)
    if organization is not None:
        qs = qs.filter(competent_unit__in=organization.subtree())
    return qs


def procedures_by_legacy_level(organization=None, on: datetime.date | None = None) -> LevelBreakdown:
    """Procedures in force on `on` by service level of Decree 43/2011 (levels 2, 3, 4).

    `total` counts every procedure in force; a procedure without a legacy level is in the total
    but in no level.
    """
    on = on or datetime.date.today()
    qs = _in_force(organization, on)
    total = qs.count()
    counts = dict(qs.values_list("legacy_level").annotate(n=Count("pk")).order_by())
    levels = tuple(
        LevelCount(
            level.value,
            str(level.label),
            counts.get(level.value, 0),
            share(counts.get(level.value, 0), total),
        )
        for level in LegacyLevel
    )
    return LevelBreakdown(getattr(organization, "pk", None), on, total, levels)


def procedures_by_online_level(organization=None, on: datetime.date | None = None) -> LevelBreakdown:
    """Procedures in force on `on` by online level of Decree 42/2022 (full, partial, none)."""
    on = on or datetime.date.today()
    qs = _in_force(organization, on)
    total = qs.count()
    counts = dict(qs.values_list("online_level").annotate(n=Count("pk")).order_by())
    levels = tuple(
        LevelCount(
            level.value,
            str(level.label),
            counts.get(level.value, 0),
            share(counts.get(level.value, 0), total),
        )
        for level in OnlineLevel
    )
    return LevelBreakdown(getattr(organization, "pk", None), on, total, levels)
