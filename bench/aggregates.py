#!/usr/bin/env python
"""Benchmark 3: the dossier statistics dashboard and the indicators over the whole dataset, side by
side with hand-written SQL returning the same numbers (asserted equal), as a ratio.

    .venv/bin/python bench/aggregates.py [--runs 5]

Periods: this year so far (the dashboard's default) and the whole ten years. The ORM side is
`dossiers.indicators.dashboard(None, …)` (every ledger row: the province-wide view); the SQL side is
one statement with FILTER aggregates plus one GROUPING SETS statement for the breakdowns. Also
timed: the statistics page in-process (as the leader, whose scope is the demo department, and as
the administrator) and every registered indicator (`core.indicators.evaluate`) per app.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import dataset_counts, django_setup, ensure_static, machine, write_result  # noqa: E402

SCALARS = """
SELECT
  count(*) FILTER (WHERE kind = 'received') AS received,
  count(*) FILTER (WHERE kind = 'received' AND legacy_level = 2) AS level_2,
  count(*) FILTER (WHERE kind = 'received' AND legacy_level = 3) AS level_3,
  count(*) FILTER (WHERE kind = 'received' AND legacy_level = 4) AS level_4,
  count(*) FILTER (WHERE kind = 'received' AND channel = 'online') AS online,
  count(*) FILTER (WHERE kind = 'received' AND digitised) AS digitised,
  count(*) FILTER (WHERE kind = 'received' AND has_fee) AS fee_total,
  count(*) FILTER (WHERE kind = 'resolved' AND timeliness = 'early') AS early,
  count(*) FILTER (WHERE kind = 'resolved' AND timeliness = 'on_time') AS on_time,
  count(*) FILTER (WHERE kind = 'resolved' AND timeliness = 'late') AS late,
  count(*) FILTER (WHERE kind = 'resolved' AND outcome = 'result_ready') AS results,
  count(*) FILTER (WHERE kind = 'resolved' AND outcome = 'result_ready' AND digitised) AS electronic,
  avg(processing_days) FILTER (WHERE kind = 'resolved') AS avg_days,
  count(*) FILTER (WHERE kind = 'submitted') AS submitted,
  count(*) FILTER (WHERE kind = 'refused') AS refused,
  count(*) FILTER (WHERE kind = 'resolved') AS resolved,
  count(*) FILTER (WHERE kind = 'returned') AS returned,
  count(*) FILTER (WHERE kind = 'withdrawn') AS withdrawn,
  count(*) FILTER (WHERE kind = 'paid') AS paid_in_period,
  (SELECT count(*) FROM dossiers_statisticsentry p
    WHERE p.kind = 'paid' AND p.dossier_ref IN (
      SELECT dossier_ref FROM dossiers_statisticsentry
       WHERE kind = 'received' AND has_fee AND at >= %(low)s AND at < %(high)s)) AS paid
FROM dossiers_statisticsentry
WHERE at >= %(low)s AND at < %(high)s
"""
GROUPS = """
SELECT GROUPING(field), GROUPING(procedure_name), GROUPING(channel), GROUPING(month),
       field, procedure_name, channel, month, count(*)
FROM (SELECT field, procedure_name, channel,
             to_char(at AT TIME ZONE 'Asia/Ho_Chi_Minh',
                     CASE WHEN %(monthly)s THEN 'MM/YYYY' ELSE 'DD/MM' END) AS month
        FROM dossiers_statisticsentry
       WHERE kind = 'received' AND at >= %(low)s AND at < %(high)s) AS received
GROUP BY GROUPING SETS ((field), (procedure_name), (channel), (month))
"""


def hand_sql(start: dt.date, end: dt.date) -> dict:
    from django.db import connection

    from apps.dossiers.indicators import _bounds

    low, high = _bounds(start, end)
    with connection.cursor() as cursor:
        cursor.execute(SCALARS, {"low": low, "high": high})
        names = [c.name for c in cursor.description]
        scalars = dict(zip(names, cursor.fetchone(), strict=True))
        cursor.execute(GROUPS, {"low": low, "high": high, "monthly": (end - start).days > 62})
        groups = defaultdict(dict)
        for g_field, g_proc, g_channel, _g_month, field, proc, channel, month, n in cursor.fetchall():
            if not g_field:
                groups["by_field"][field] = n
            elif not g_proc:
                groups["by_procedure"][proc] = n
            elif not g_channel:
                groups["by_channel"][channel] = n
            else:
                groups["by_period"][month] = n
    return {**scalars, **groups}


def orm_numbers(figures: dict) -> dict:
    """The dashboard's figures in the shape of `hand_sql`."""
    from apps.dossiers.models import Channel

    t, levels = figures["timeliness"], figures["levels"]
    rates = {key: (part, whole) for key, _rate, part, whole in figures["rates"]}
    outcomes = dict(figures["by_outcome"])
    labels = {str(Channel(c).label): c for c in Channel.values}
    return {
        "received": figures["received"],
        "level_2": levels["by_level"][2],
        "level_3": levels["by_level"][3],
        "level_4": levels["by_level"][4],
        "online": rates["online"][0],
        "digitised": rates["digitisation"][0],
        "fee_total": rates["online_payment"][1],
        "paid": rates["online_payment"][0],
        "early": t["early"],
        "on_time": t["on_time"],
        "late": t["late"],
        "results": rates["e_result"][1],
        "electronic": rates["e_result"][0],
        "avg_days": figures["average_days"],
        "outcomes": outcomes,
        "by_field": dict(figures["by_field"]),
        "by_procedure": dict(figures["by_procedure"]),
        "by_channel": {labels.get(k, k): n for k, n in figures["by_channel"]},
        "by_period": dict(figures["by_period"]),
    }


def compare(orm: dict, sql: dict) -> None:
    from apps.dossiers.models import StatisticsEntry

    for key in (
        "received",
        "level_2",
        "level_3",
        "level_4",
        "online",
        "digitised",
        "fee_total",
        "paid",
        "early",
        "on_time",
        "late",
        "results",
        "electronic",
    ):
        assert orm[key] == sql[key], (key, orm[key], sql[key])
    avg = Decimal(str(sql["avg_days"])).quantize(Decimal("0.1")) if sql["avg_days"] is not None else None
    assert orm["avg_days"] == avg, ("avg_days", orm["avg_days"], avg)
    kinds = {str(StatisticsEntry.Kind(k).label): k for k in StatisticsEntry.Kind.values}
    for label, n in orm["outcomes"].items():
        assert n == sql[kinds[label]], (label, n, sql[kinds[label]])
    assert orm["by_field"] == sql.get("by_field", {}), "by_field"
    assert orm["by_procedure"] == sql.get("by_procedure", {}), "by_procedure"
    assert orm["by_channel"] == sql.get("by_channel", {}), "by_channel"
    assert orm["by_period"] == sql.get("by_period", {}), "by_period"


def timed(fn, runs: int) -> tuple[float, float, object]:
    """(first call ms, median of the next `runs` ms, last result)."""
    start = time.perf_counter()
    result = fn()
    first = (time.perf_counter() - start) * 1000
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(first, 1), round(statistics.median(times), 1), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ensure_static()
    django_setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from apps.core import indicators as registry
    from apps.core.periods import Period
    from apps.dossiers import indicators
    from apps.organizations.models import Organization, OrganizationKind
    from bench.load import sessions_for

    today = timezone.localdate()
    periods = {
        "this year": (dt.date(today.year, 1, 1), today),
        "ten years": (dt.date(today.year - 10, 1, 1), today),
    }
    rows = []
    for name, (start, end) in periods.items():
        orm_first, orm_ms, figures = timed(lambda s=start, e=end: indicators.dashboard(None, s, e), args.runs)
        sql_first, sql_ms, sql = timed(lambda s=start, e=end: hand_sql(s, e), args.runs)
        compare(orm_numbers(figures), sql)
        with CaptureQueriesContext(connection) as queries:
            indicators.dashboard(None, start, end)
        row = {
            "what": f"dashboard figures, {name} ({start:%d/%m/%Y}–{end:%d/%m/%Y}), every ledger row",
            "received": figures["received"],
            "orm_ms": orm_ms,
            "orm_first_ms": orm_first,
            "orm_queries": len(queries.captured_queries),
            "sql_ms": sql_ms,
            "sql_first_ms": sql_first,
            "sql_statements": 2,
            "ratio": round(orm_ms / sql_ms, 2) if sql_ms else None,
            "equal": True,
        }
        rows.append(row)
        print(
            f"{row['what']:70} ORM {orm_ms:8.1f} ms ({row['orm_queries']} queries)  SQL {sql_ms:8.1f} ms  "
            f"ratio {row['ratio']:.2f}  numbers equal"
        )

    pages = []
    cookies = sessions_for(["lanhdao", "quantri"])
    for username, cookie in cookies.items():
        client = Client(HTTP_HOST="localhost")
        name, value = cookie.split("=", 1)
        client.cookies[name] = value

        def get(c=client):
            response = c.get("/ho-so/thong-ke/")
            assert response.status_code == 200, response.status_code
            return response

        first, median, _r = timed(get, args.runs)
        with CaptureQueriesContext(connection) as queries:
            get()
        pages.append(
            {
                "user": username,
                "first_ms": first,
                "median_ms": median,
                "queries": len(queries.captured_queries),
            }
        )
        print(
            f"statistics page as {username:10} first {first:8.1f} ms  median {median:8.1f} ms  "
            f"{len(queries.captured_queries)} queries"
        )

    province = Organization.objects.get(kind=OrganizationKind.PROVINCE)
    by_app = defaultdict(list)
    for indicator in registry.all_indicators():
        by_app[indicator.source].append(indicator.key)
    indicator_rows = []
    for year in (today.year - 1, today.year):
        period = Period.year(year)
        for app, keys in sorted(by_app.items()):
            first, median, _values = timed(
                lambda k=keys, p=period: registry.evaluate(province, p, k), max(args.runs // 2, 1)
            )
            indicator_rows.append(
                {"app": app, "year": year, "indicators": len(keys), "first_ms": first, "median_ms": median}
            )
            print(
                f"indicators {app:14} {year}  {len(keys):3d} values  "
                f"first {first:8.1f} ms  median {median:8.1f} ms"
            )
        first, median, _values = timed(lambda p=period: registry.evaluate(province, p), 1)
        indicator_rows.append(
            {
                "app": "all",
                "year": year,
                "indicators": sum(map(len, by_app.values())),
                "first_ms": first,
                "median_ms": median,
            }
        )
        print(f"indicators {'all':14} {year}  first {first:8.1f} ms  median {median:8.1f} ms")

    write_result(
        "aggregates",
        {
            "machine": machine(),
            "dataset": dataset_counts(),
            "runs": args.runs,
            "dashboard": rows,
            "statistics_page": pages,
            "indicators": indicator_rows,
            "target": "dashboard within 1.5× the hand-written SQL and under 300 ms",
        },
    )


if __name__ == "__main__":
    main()
