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

from apps.core import indicators as registry
from apps.core.formatting.vn import share
from apps.core.periods import Period

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


# ---------------------------------------------------------------- the registry (DESIGN.md contract)
# The catalogue is a stock: counted on the period's last day. The plan's "54 thủ tục: mức độ 2/3/4"
# are the service levels of Decree 43/2011 (legacy_level); the online levels of Decree 42/2022 are
# published beside them.


@registry.shared
def _legacy(organization, period: Period) -> LevelBreakdown:
    return procedures_by_legacy_level(organization, period.end)


@registry.shared
def _online(organization, period: Period) -> LevelBreakdown:
    return procedures_by_online_level(organization, period.end)


def _publish(key, label, unit, getter):
    def fn(organization, period: Period):
        return getter(organization, period)

    fn.__qualname__ = key
    registry.register(key, label, unit, fn)


_publish(
    "procedures.total", "Tổng số thủ tục hành chính đang áp dụng", "thủ tục", lambda o, p: _legacy(o, p).total
)
for _level in LegacyLevel:
    _publish(
        f"procedures.by_level.level_{_level.value}",
        f"Thủ tục dịch vụ công mức độ {_level.value}",
        "thủ tục",
        lambda o, p, lv=_level.value: _legacy(o, p).by_level[lv],
    )
    _publish(
        f"procedures.share_by_level.level_{_level.value}",
        f"Tỷ lệ thủ tục dịch vụ công mức độ {_level.value}",
        "%",
        lambda o, p, lv=_level.value: registry.percentage(_legacy(o, p).by_level[lv], _legacy(o, p).total),
    )
_ONLINE_LABELS = {
    OnlineLevel.FULL: "toàn trình",
    OnlineLevel.PARTIAL: "một phần",
    OnlineLevel.NONE: "không trực tuyến",
}
for _level in OnlineLevel:
    _name = _ONLINE_LABELS.get(_level, str(_level.value))
    _publish(
        f"procedures.by_online_level.{_level.value}",
        f"Thủ tục theo mức độ trực tuyến (NĐ 42/2022): {_name}",
        "thủ tục",
        lambda o, p, lv=_level.value: _online(o, p).by_level[lv],
    )
    _publish(
        f"procedures.share_by_online_level.{_level.value}",
        f"Tỷ lệ thủ tục theo mức độ trực tuyến (NĐ 42/2022): {_name}",
        "%",
        lambda o, p, lv=_level.value: registry.percentage(_online(o, p).by_level[lv], _online(o, p).total),
    )
