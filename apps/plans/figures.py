"""Part I ("Đánh giá kết quả thực hiện kế hoạch năm N-1") computed from the indicators registry.

`compute(plan)` reads every figure for the plan's agency over year N-1 (up to `figures_as_of`) and
returns a JSON-safe snapshot; `for_plan(plan)` gives the frozen snapshot of an approved plan and
the live one otherwise. Plans never read another module's tables: only registry keys.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from apps.core import indicators
from apps.core.periods import Period

LEVELS = (2, 3, 4)

# Registry keys Part I reads (published by itsec, accounts, documents, procedures, dossiers, portal).
KEYS = [
    "itsec.staff",
    "itsec.computers.for_work",
    "itsec.servers",
    "itsec.computers.with_broadband",
    "itsec.computers.with_antivirus",
    "itsec.computers.for_training",
    "itsec.computers.past_depreciation_share",
    "itsec.it_staff",
    "accounts.idesk_accounts.created",
    "accounts.idesk_accounts.stopped",
    "accounts.idesk_accounts.active",
    "documents.signed_issued_online.share",
    "procedures.total",
    *[f"procedures.by_level.level_{n}" for n in LEVELS],
    *[f"procedures.share_by_level.level_{n}" for n in LEVELS],
    "dossiers.received.total",
    "dossiers.handled_in_system.share",
    *[f"dossiers.received.online_level_{n}" for n in LEVELS],
    *[f"dossiers.received.online_level_{n}.share" for n in LEVELS],
    "portal.royalties.paid",
]


def period_for(plan) -> Period:
    """Year N-1, up to the 'figures as of' date when the plan is written before that year ends."""
    year = plan.year - 1
    end = dt.date(year, 12, 31)
    if plan.figures_as_of and dt.date(year, 1, 1) <= plan.figures_as_of < end:
        end = plan.figures_as_of
    return Period(dt.date(year, 1, 1), end)


def _json(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, int | float | str) or value is None:
        return value
    return str(value)


def read(key: str, organization, period: Period):
    """One registry value, or (None, missing) when the key is not registered."""
    try:
        indicator = indicators.get(key)
    except LookupError:
        return None, True
    return indicator.value(organization, period), False


def target_period(plan) -> Period:
    """A target's actual: the plan year so far."""
    today = dt.date.today()
    end = min(dt.date(plan.year, 12, 31), max(today, dt.date(plan.year, 1, 1)))
    return Period(dt.date(plan.year, 1, 1), end)


def compute(plan) -> dict:
    period = period_for(plan)
    values, missing = {}, []
    for key in KEYS:
        value, absent = read(key, plan.organization, period)
        if absent:
            missing.append(key)
        values[key] = _json(value)
    royalties = int(values.get("portal.royalties.paid") or 0)
    budget = {
        "equipment": plan.spent_equipment,
        "software": plan.spent_software,
        "services": plan.spent_services,
        "royalties": royalties,
        "total": plan.spent_equipment + plan.spent_software + plan.spent_services + royalties,
    }
    tperiod = target_period(plan)
    targets = {}
    for target in plan.targets.exclude(indicator_key=""):
        value, absent = read(target.indicator_key, plan.organization, tperiod)
        if absent:
            missing.append(target.indicator_key)
        targets[str(target.pk)] = _json(value)
    return {
        "year": period.start.year,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "values": values,
        "budget": budget,
        "targets": targets,
        "missing": sorted(set(missing)),
    }


def for_plan(plan) -> dict:
    """What the plan shows and renders: frozen once approved, live while it can still change."""
    if plan.frozen_figures and plan.status in ("approved", "revised"):
        return plan.frozen_figures
    return compute(plan)


def number(value):
    """A snapshot value back as a number (int or Decimal), None when absent."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        return value
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(d) if d == d.to_integral_value() and "." not in str(value) else d


def target_actuals(plan) -> dict[int, object]:
    """Each bound target's actual over the plan year so far; always live (progress through the year)."""
    period = target_period(plan)
    result = {}
    for target in plan.targets.all():
        if target.indicator_key:
            result[target.pk] = read(target.indicator_key, plan.organization, period)[0]
    return result


# Figures the dashboard compares year by year.
TREND_KEYS = [
    "itsec.computers.for_work",
    "itsec.computers.with_antivirus",
    "accounts.idesk_accounts.active",
    "documents.signed_issued_online.share",
    "procedures.share_by_level.level_4",
    "dossiers.received.total",
]


def trend(organization, years: list[int]) -> list[dict]:
    today = dt.date.today()
    rows = []
    for key in TREND_KEYS:
        try:
            indicator = indicators.get(key)
        except LookupError:
            continue
        values = []
        for year in years:
            end = min(dt.date(year, 12, 31), today)
            values.append(
                indicator.value(organization, Period(dt.date(year, 1, 1), end)) if end.year == year else None
            )
        rows.append(
            {"key": key, "label": str(indicator.label), "unit": str(indicator.unit), "values": values}
        )
    return rows
