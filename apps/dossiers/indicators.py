"""Dossier indicators for an organisation and a period (the plan's Part I; legal-rules A6).

Every figure is read from the statistics ledger (`StatisticsEntry`), never from the dossiers, so
it survives the purge of old dossiers. Every function takes (organization, start, end) — dates,
both included — and returns a dict of named values. "Received" means the dossier passed the
reception check (form 01) in the period; `organization` covers the dossiers of its subtree
(receiving desk or handling unit).

The ratios follow the structure legal-rules A6 gives for Decision 766 (names are ours, medium
confidence); the Decision's point weights and bands are unconfirmed and are not computed here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone

from apps.core import indicators as registry
from apps.core.formatting.vn import share
from apps.core.periods import Period

from .models import Channel, State, StatisticsEntry, Timeliness

LEVELS = (2, 3, 4)
Kind = StatisticsEntry.Kind


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def organization_q(organization) -> Q | None:
    """Ledger rows of the organisation's subtree (receiving desk or handling unit); None: all."""
    if organization is None:
        return None
    ids = list(organization.subtree().values_list("pk", flat=True))
    return Q(organization_id__in=ids) | Q(unit_id__in=ids)


def entries(condition: Q | None, kind: str, start: dt.date, end: dt.date, **filters) -> QuerySet:
    low, high = _bounds(start, end)
    qs = StatisticsEntry.objects.filter(kind=kind, at__gte=low, at__lt=high)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.filter(**{k: v for k, v in filters.items() if v not in (None, "")})


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
    return _by_level(entries(organization_q(organization), Kind.RECEIVED, start, end))


def handled_through_system(organization, start: dt.date, end: dt.date) -> dict:
    """Received dossiers handled through the one-stop system, and their share ("100,00%")."""
    qs = entries(organization_q(organization), Kind.RECEIVED, start, end)
    total = qs.count()
    handled = qs.filter(handled_in_system=True).count()
    return {
        "total": total,
        "handled": handled,
        "share": share(handled, total),
        "rate": _ratio(handled, total),
    }


def _timeliness(qs: QuerySet) -> dict:
    qs = qs.exclude(timeliness="")
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


def timeliness(organization, start: dt.date, end: dt.date) -> dict:
    """Resolved in the period: early / on time / late and on_time_rate = (early + on time) / resolved."""
    return _timeliness(entries(organization_q(organization), Kind.RESOLVED, start, end))


def online_rate(organization, start: dt.date, end: dt.date) -> dict:
    """online_rate = dossiers submitted online / dossiers received (A6)."""
    qs = entries(organization_q(organization), Kind.RECEIVED, start, end)
    total = qs.count()
    online = qs.filter(channel=Channel.ONLINE).count()
    return {"received": total, "online": online, "rate": _ratio(online, total), "share": share(online, total)}


def online_payment_rate(organization, start: dt.date, end: dt.date) -> dict:
    """online_payment_rate = fee dossiers paid online / fee dossiers received (A6)."""
    received = entries(organization_q(organization), Kind.RECEIVED, start, end).filter(has_fee=True)
    refs = received.values("dossier_ref")
    total = received.count()
    paid = StatisticsEntry.objects.filter(kind=Kind.PAID, dossier_ref__in=refs).count()
    return {"fee_dossiers": total, "paid_online": paid, "rate": _ratio(paid, total)}


def digitisation_rate(organization, start: dt.date, end: dt.date) -> dict:
    """digitisation_rate = received dossiers whose components were all held as files at reception /
    dossiers received; e_result_rate = resolved with an electronic result / resolved (A6)."""
    condition = organization_q(organization)
    received = entries(condition, Kind.RECEIVED, start, end)
    resolved = entries(condition, Kind.RESOLVED, start, end).filter(outcome=State.RESULT_READY)
    total, digitised = received.count(), received.filter(digitised=True).count()
    results, electronic = resolved.count(), resolved.filter(digitised=True).count()
    return {
        "received": total,
        "digitised": digitised,
        "rate": _ratio(digitised, total),
        "resolved": results,
        "electronic_results": electronic,
        "e_result_rate": _ratio(electronic, results),
    }


def average_processing_days(organization, start: dt.date, end: dt.date) -> dict:
    """Mean working days from receipt to resolution of the dossiers resolved in the period (A6)."""
    qs = entries(organization_q(organization), Kind.RESOLVED, start, end).exclude(processing_days=None)
    avg = qs.aggregate(avg=Avg("processing_days"))["avg"]
    days = Decimal(str(avg)).quantize(Decimal("0.1")) if avg is not None else None
    return {"resolved": qs.count(), "average_days": days}


# --------------------------------------------------------------------------- the dashboard
def _group(qs: QuerySet, field: str) -> list[tuple]:
    return list(qs.values_list(field).annotate(n=Count("pk")).order_by("-n", field).values_list(field, "n"))


def dashboard(condition: Q | None, start: dt.date, end: dt.date, **filters) -> dict:
    """Every figure of the statistics page over the ledger rows matching `condition` and `filters`
    (field, procedure_id, legacy_level, channel)."""
    received = entries(condition, Kind.RECEIVED, start, end, **filters)
    resolved = entries(condition, Kind.RESOLVED, start, end, **filters)
    levels = _by_level(received)
    total = levels["total"]
    t = _timeliness(resolved)
    online = received.filter(channel=Channel.ONLINE).count()
    digitised = received.filter(digitised=True).count()
    results = resolved.filter(outcome=State.RESULT_READY)
    electronic = results.filter(digitised=True).count()
    avg = resolved.exclude(processing_days=None).aggregate(avg=Avg("processing_days"))["avg"]
    avg_days = Decimal(str(avg)).quantize(Decimal("0.1")) if avg is not None else None
    fee_received = received.filter(has_fee=True)
    paid = StatisticsEntry.objects.filter(
        kind=Kind.PAID, dossier_ref__in=fee_received.values("dossier_ref")
    ).count()
    fee_total = fee_received.count()

    monthly = (end - start).days > 62
    by_period: dict[str, int] = {}
    # Grouped in the database, in Vietnam's time zone (not one Python step per received dossier).
    period = (TruncMonth if monthly else TruncDay)("at", tzinfo=timezone.get_current_timezone())
    rows = received.order_by().annotate(period=period).values("period").annotate(n=Count("pk"))
    for row in rows.order_by("period"):
        local = timezone.localtime(row["period"])
        label = f"{local.month:02d}/{local.year}" if monthly else local.strftime("%d/%m")
        by_period[label] = by_period.get(label, 0) + row["n"]

    outcomes = {kind: entries(condition, kind, start, end, **filters).count() for kind in Kind.values}
    outcome_rows = [
        (str(Kind(kind).label), outcomes[kind])
        for kind in (
            Kind.SUBMITTED,
            Kind.RECEIVED,
            Kind.REFUSED,
            Kind.RESOLVED,
            Kind.RETURNED,
            Kind.WITHDRAWN,
        )
    ]
    channel_rows = [
        (str(Channel(c).label) if c in Channel.values else c, n) for c, n in _group(received, "channel")
    ]
    rates = [
        ("on_time", t["on_time_rate"], t["early"] + t["on_time"], t["resolved"]),
        ("online", _ratio(online, total), online, total),
        ("digitisation", _ratio(digitised, total), digitised, total),
        ("e_result", _ratio(electronic, results.count()), electronic, results.count()),
        ("online_payment", _ratio(paid, fee_total), paid, fee_total),
    ]
    return {
        "levels": levels,
        "received": total,
        "resolved": t["resolved"],
        "timeliness": t,
        "on_time_share": t["on_time_share"],
        "online_share": share(online, total),
        "digitisation_share": share(digitised, total),
        "average_days": avg_days,
        "rates": rates,
        "by_field": _group(received, "field"),
        "by_procedure": _group(received, "procedure_name"),
        "by_channel": channel_rows,
        "by_outcome": outcome_rows,
        "by_period": list(by_period.items()),
        "chart": {
            "periods": list(by_period),
            "by_period": list(by_period.values()),
            "levels": [f"Mức độ {lv}" for lv in LEVELS],
            "by_level": [levels["by_level"][lv] for lv in LEVELS],
            "channels": [label for label, _n in channel_rows],
            "by_channel": [n for _label, n in channel_rows],
            "outcomes": [label for label, _n in outcome_rows],
            "by_outcome": [n for _label, n in outcome_rows],
            "fields": [label or "—" for label, _n in _group(received, "field")],
            "by_field": [n for _label, n in _group(received, "field")],
        },
    }


def summary(qs: QuerySet, start: dt.date, end: dt.date) -> dict:
    """The dashboard figures of the dossiers in an already scoped queryset (kept for callers)."""
    return dashboard(Q(dossier_ref__in=qs.values("pk")), start, end)


# --------------------------------------------------------------------------- the registry
# DESIGN.md's contract: (organization, period). The plan's "47 hồ sơ: mức độ 2/3/4 = 13/26/8" are the
# dossiers received in the period by the procedure's service level of Decree 43/2011 (legacy_level).


def _over(fn):
    """A (organization, start, end) figure set as a shared (organization, period) one."""
    return registry.shared(lambda organization, period: fn(organization, period.start, period.end))


_received = _over(dossiers_received)
_handled = _over(handled_through_system)
_timely = _over(timeliness)
_online = _over(online_rate)
_paid = _over(online_payment_rate)
_digitised = _over(digitisation_rate)
_days = _over(average_processing_days)


def _publish(key, label, unit, getter):
    def fn(organization, period: Period):
        return getter(organization, period)

    fn.__qualname__ = key
    registry.register(key, label, unit, fn)


_publish(
    "dossiers.received.total", "Hồ sơ tiếp nhận trong kỳ", "hồ sơ", lambda o, p: _received(o, p)["total"]
)
for _level in LEVELS:
    _publish(
        f"dossiers.received.online_level_{_level}",
        f"Hồ sơ tiếp nhận của thủ tục mức độ {_level}",
        "hồ sơ",
        lambda o, p, lv=_level: _received(o, p)["by_level"][lv],
    )
    _publish(
        f"dossiers.received.online_level_{_level}.share",
        f"Tỷ lệ hồ sơ tiếp nhận của thủ tục mức độ {_level}",
        "%",
        lambda o, p, lv=_level: registry.percentage(
            _received(o, p)["by_level"][lv], _received(o, p)["total"]
        ),
    )
_publish(
    "dossiers.handled_in_system",
    "Hồ sơ tiếp nhận, xử lý và trả kết quả qua hệ thống một cửa điện tử",
    "hồ sơ",
    lambda o, p: _handled(o, p)["handled"],
)
_publish(
    "dossiers.handled_in_system.share",
    "Tỷ lệ hồ sơ xử lý qua hệ thống một cửa điện tử",
    "%",
    lambda o, p: registry.percentage(_handled(o, p)["handled"], _handled(o, p)["total"]),
)
_publish("dossiers.received.online", "Hồ sơ nộp trực tuyến", "hồ sơ", lambda o, p: _online(o, p)["online"])
_publish(
    "dossiers.received.online.share",
    "Tỷ lệ hồ sơ nộp trực tuyến",
    "%",
    lambda o, p: registry.percentage(_online(o, p)["online"], _online(o, p)["received"]),
)
_publish(
    "dossiers.resolved.total", "Hồ sơ đã giải quyết trong kỳ", "hồ sơ", lambda o, p: _timely(o, p)["resolved"]
)
_publish(
    "dossiers.resolved.early", "Hồ sơ giải quyết trước hạn", "hồ sơ", lambda o, p: _timely(o, p)["early"]
)
_publish(
    "dossiers.resolved.on_time", "Hồ sơ giải quyết đúng hạn", "hồ sơ", lambda o, p: _timely(o, p)["on_time"]
)
_publish("dossiers.resolved.late", "Hồ sơ giải quyết quá hạn", "hồ sơ", lambda o, p: _timely(o, p)["late"])
_publish(
    "dossiers.resolved.on_time.share",
    "Tỷ lệ hồ sơ giải quyết trước và đúng hạn",
    "%",
    lambda o, p: registry.percentage(
        _timely(o, p)["early"] + _timely(o, p)["on_time"], _timely(o, p)["resolved"]
    ),
)
_publish(
    "dossiers.resolved.average_days",
    "Thời gian giải quyết trung bình",
    "ngày làm việc",
    lambda o, p: _days(o, p)["average_days"],
)
_publish(
    "dossiers.fee.paid_online",
    "Hồ sơ có phí, lệ phí thanh toán trực tuyến",
    "hồ sơ",
    lambda o, p: _paid(o, p)["paid_online"],
)
_publish(
    "dossiers.fee.paid_online.share",
    "Tỷ lệ hồ sơ có phí, lệ phí thanh toán trực tuyến",
    "%",
    lambda o, p: registry.percentage(_paid(o, p)["paid_online"], _paid(o, p)["fee_dossiers"]),
)
_publish(
    "dossiers.received.digitised.share",
    "Tỷ lệ hồ sơ được số hóa khi tiếp nhận",
    "%",
    lambda o, p: registry.percentage(_digitised(o, p)["digitised"], _digitised(o, p)["received"]),
)
_publish(
    "dossiers.resolved.electronic_result.share",
    "Tỷ lệ kết quả giải quyết trả bản điện tử",
    "%",
    lambda o, p: registry.percentage(_digitised(o, p)["electronic_results"], _digitised(o, p)["resolved"]),
)
