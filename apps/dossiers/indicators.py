"""Dossier indicators for an organisation and a period (the plan's Part I and Decision 766, A6).

Every function takes (organization, start, end) — dates, both included — and returns a dict of
named values. "Received" means the dossier passed the reception check (form 01) in the period;
`organization` covers the dossiers of its subtree (receiving desk or handling unit).
The 766 point weights are unconfirmed (legal-rules A6) and are not computed here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, F, Q, QuerySet
from django.utils import timezone

from apps.core.formatting.vn import share

from .models import Dossier, State, Timeliness

LEVELS = (2, 3, 4)


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _scope(organization) -> QuerySet:
    qs = Dossier.objects.exclude(state=State.DRAFT)
    if organization is None:
        return qs
    ids = list(organization.subtree().values_list("pk", flat=True))
    return qs.filter(Q(organization__in=ids) | Q(handling_unit__in=ids))


def _received(qs: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    low, high = _bounds(start, end)
    return qs.filter(received_at__gte=low, received_at__lt=high)


def _ratio(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


def _by_level(qs: QuerySet) -> dict:
    counts = dict(qs.values_list("legacy_level").annotate(n=Count("pk")).values_list("legacy_level", "n"))
    total = sum(counts.values())
    return {
        "total": total,
        "by_level": {level: counts.get(level, 0) for level in LEVELS},
        "shares": {level: share(counts.get(level, 0), total) for level in LEVELS},
        "rates": {level: _ratio(counts.get(level, 0), total) for level in LEVELS},
    }


def dossiers_received(organization, start: dt.date, end: dt.date) -> dict:
    """Dossiers received in the period: total, by legacy level (2/3/4) with shares ("27,66%")."""
    return _by_level(_received(_scope(organization), start, end))


def handled_through_system(organization, start: dt.date, end: dt.date) -> dict:
    """Received dossiers handled through the one-stop system, and their share ("100,00%")."""
    qs = _received(_scope(organization), start, end)
    total = qs.count()
    handled = qs.filter(handled_in_system=True).count()
    return {
        "total": total,
        "handled": handled,
        "share": share(handled, total),
        "rate": _ratio(handled, total),
    }


def timeliness(organization, start: dt.date, end: dt.date) -> dict:
    """Resolved in the period: early / on time / late and on_time_rate = (early + on time) / resolved."""
    low, high = _bounds(start, end)
    qs = _scope(organization).filter(resolved_at__gte=low, resolved_at__lt=high).exclude(timeliness="")
    counts = dict(qs.values_list("timeliness").annotate(n=Count("pk")).values_list("timeliness", "n"))
    early, on_time, late = (counts.get(t, 0) for t in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE))
    resolved = early + on_time + late
    return {
        "resolved": resolved,
        "early": early,
        "on_time": on_time,
        "late": late,
        "on_time_rate": _ratio(early + on_time, resolved),
        "on_time_share": share(early + on_time, resolved),
    }


def online_rate(organization, start: dt.date, end: dt.date) -> dict:
    """online_rate = dossiers submitted online / dossiers received (A6)."""
    qs = _received(_scope(organization), start, end)
    total = qs.count()
    online = qs.filter(channel="online").count()
    return {"received": total, "online": online, "rate": _ratio(online, total), "share": share(online, total)}


def online_payment_rate(organization, start: dt.date, end: dt.date) -> dict:
    """online_payment_rate = fee dossiers paid online / fee dossiers (A6)."""
    qs = _received(_scope(organization), start, end).filter(fee__gt=0)
    total = qs.count()
    paid = qs.filter(payments__status="paid").distinct().count()
    return {"fee_dossiers": total, "paid_online": paid, "rate": _ratio(paid, total)}


def average_processing_days(organization, start: dt.date, end: dt.date) -> dict:
    """Mean calendar days from receipt to resolution of the dossiers resolved in the period."""
    low, high = _bounds(start, end)
    qs = _scope(organization).filter(resolved_at__gte=low, resolved_at__lt=high, received_at__isnull=False)
    avg = qs.aggregate(avg=Avg(F("resolved_at") - F("received_at")))["avg"]
    days = Decimal(avg.total_seconds() / 86400).quantize(Decimal("0.1")) if avg else None
    return {"resolved": qs.count(), "average_days": days}


def summary(qs: QuerySet, start: dt.date, end: dt.date) -> dict:
    """The dashboard: the same figures over an already scoped queryset, plus chart data."""
    low, high = _bounds(start, end)
    received = qs.filter(received_at__gte=low, received_at__lt=high)
    levels = _by_level(received)
    by_state = dict(received.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))
    by_channel = dict(received.values_list("channel").annotate(n=Count("pk")).values_list("channel", "n"))
    by_month = dict.fromkeys(range(1, 13), 0)
    for moment in received.values_list("received_at", flat=True):
        by_month[timezone.localtime(moment).month] += 1
    resolved = qs.filter(resolved_at__gte=low, resolved_at__lt=high).exclude(timeliness="")
    t = dict(resolved.values_list("timeliness").annotate(n=Count("pk")).values_list("timeliness", "n"))
    resolved_n = sum(t.values())
    on_time = t.get(Timeliness.EARLY, 0) + t.get(Timeliness.ON_TIME, 0)
    online = by_channel.get("online", 0)
    table = [
        ("Hồ sơ tiếp nhận", levels["total"]),
        *((f"Mức độ {lv}", f"{levels['by_level'][lv]} ({levels['shares'][lv]})") for lv in LEVELS),
        ("Hồ sơ nộp trực tuyến", f"{online} ({share(online, levels['total'])})"),
        ("Hồ sơ đã giải quyết", resolved_n),
        ("Giải quyết trước hạn và đúng hạn", f"{on_time} ({share(on_time, resolved_n)})"),
        ("Giải quyết quá hạn", t.get(Timeliness.LATE, 0)),
    ]
    return {
        "levels": levels,
        "resolved": resolved_n,
        "on_time": on_time,
        "on_time_share": share(on_time, resolved_n),
        "online_share": share(online, levels["total"]),
        "table": table,
        "chart": {
            "months": [f"T{m}" for m in by_month],
            "by_month": list(by_month.values()),
            "states": [str(State(s).label) for s in by_state],
            "by_state": list(by_state.values()),
            "levels": [f"Mức độ {lv}" for lv in LEVELS],
            "by_level": [levels["by_level"][lv] for lv in LEVELS],
        },
    }
