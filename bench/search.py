#!/usr/bin/env python
"""Benchmark 4: document search over the whole dataset — p50/p95 of the register search.

    .venv/bin/python bench/search.py [--runs 5]

Each measurement is what the register page runs for a search: `documents.selectors.search` on the
user's scoped queryset (`incoming_for` / `outgoing_for`), ordered and joined as the list view does,
then the paginator's COUNT and the first page of 25 rows. Users: the clerk (the demo department's
registers) and the administrator; queries: common and rare words, partial symbols, a miss.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import dataset_counts, django_setup, machine, percentile, write_result  # noqa: E402

QUERIES = [
    "bao cao",
    "ke hoach",
    "chuyển đổi số",
    "vien",
    "an toan thong tin",
    "nong thon moi 2024",
    "so huu tri tue",
    "quyết định",
    "172/KH",
    "thi dua khen thuong quy 3",
    "khongcotutrongvanban",
    "2023",
]


def measure(qs, runs: int) -> tuple[list[float], int]:
    from django.core.paginator import Paginator

    timings = []
    count = 0
    for _ in range(runs):
        start = time.perf_counter()
        page = Paginator(qs, 25).get_page(1)
        list(page.object_list)
        count = page.paginator.count
        timings.append((time.perf_counter() - start) * 1000)
    return timings, count


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    django_setup()
    from django.db import connection

    from apps.accounts.models import User
    from apps.documents.selectors import (
        INCOMING_LIST_RELATED,
        OUTGOING_LIST_RELATED,
        incoming_for,
        outgoing_for,
        search,
    )

    registers = {
        "incoming": (incoming_for, INCOMING_LIST_RELATED, ("-year", "-arrival_number")),
        "outgoing": (outgoing_for, OUTGOING_LIST_RELATED, ("-created_at", "-pk")),
    }
    rows, all_timings = [], {}
    for username in ("vanthu", "quantri"):
        user = User.objects.get(username=username)
        for register, (scoped, related, order) in registers.items():
            timings_here = []
            for q in QUERIES:
                qs = search(scoped(user), q).select_related(*related).order_by(*order)
                timings, count = measure(qs, args.runs)
                timings_here += timings
                rows.append(
                    {
                        "user": username,
                        "register": register,
                        "q": q,
                        "matches": count,
                        "median_ms": round(statistics.median(timings), 1),
                        "max_ms": round(max(timings), 1),
                    }
                )
                print(
                    f"{username:8} {register:8} {q!r:30} {count:8,} matches  median "
                    f"{statistics.median(timings):8.1f} ms  max {max(timings):8.1f} ms"
                )
            all_timings[f"{username} {register}"] = timings_here
    summary = {
        key: {"p50_ms": round(percentile(t, 50), 1), "p95_ms": round(percentile(t, 95), 1), "n": len(t)}
        for key, t in all_timings.items()
    }
    every = [ms for t in all_timings.values() for ms in t]
    summary["all"] = {
        "p50_ms": round(percentile(every, 50), 1),
        "p95_ms": round(percentile(every, 95), 1),
        "n": len(every),
    }
    for key, s in summary.items():
        print(f"{key:20} p50 {s['p50_ms']:8.1f} ms  p95 {s['p95_ms']:8.1f} ms  ({s['n']} searches)")
    # The plan of the slowest search, for the record.
    slowest = max(rows, key=lambda r: r["median_ms"])
    user = User.objects.get(username=slowest["user"])
    scoped, related, order = registers[slowest["register"]]
    qs = search(scoped(user), slowest["q"]).select_related(*related).order_by(*order)
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql} LIMIT 25", params)
        plan_page = [r[0] for r in cursor.fetchall()]
        count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM ({count_sql}) AS c", count_params)  # noqa: S608
        plan_count = [r[0] for r in cursor.fetchall()]
    print(f"slowest: {slowest}")
    print("\n".join(plan_count[-3:]))
    write_result(
        "search",
        {
            "machine": machine(),
            "dataset": dataset_counts(),
            "runs": args.runs,
            "rows": rows,
            "summary": summary,
            "target": "p95 < 150 ms",
            "met": summary["all"]["p95_ms"] < 150,
            "slowest": slowest,
            "explain_page": plan_page,
            "explain_count": plan_count,
        },
    )


if __name__ == "__main__":
    main()
