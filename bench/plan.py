#!/usr/bin/env python
"""Benchmark 5: generating the yearly digital-transformation plan document, DOCX and PDF.

    .venv/bin/python bench/plan.py [--runs 3]

For every plan in the bench database (the demo's plans: a draft computes its Part I figures live
from the indicators over the whole dataset, an approved plan reads its frozen snapshot), the time of
`plans.document.to_docx` and `to_pdf`, as the download views and the render job call them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import dataset_counts, django_setup, machine, write_result  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    django_setup()
    from apps.plans import document
    from apps.plans.models import Plan

    rows = []
    for plan in Plan.objects.order_by("year", "pk"):
        for fmt, render in (("docx", document.to_docx), ("pdf", document.to_pdf)):
            timings, size = [], 0
            for _ in range(args.runs):
                start = time.perf_counter()
                size = len(render(plan))
                timings.append((time.perf_counter() - start) * 1000)
            row = {
                "plan": str(plan),
                "year": plan.year,
                "status": plan.status,
                "format": fmt,
                "first_ms": round(timings[0], 1),
                "median_ms": round(statistics.median(timings), 1),
                "bytes": size,
                "met": max(timings) < 3000,
            }
            rows.append(row)
            print(
                f"{str(plan)[:50]:50} {plan.status:10} {fmt:4}  first {row['first_ms']:8.1f} ms  "
                f"median {row['median_ms']:8.1f} ms  {size:,} bytes"
            )
    write_result(
        "plan",
        {
            "machine": machine(),
            "dataset": dataset_counts(),
            "runs": args.runs,
            "rows": rows,
            "target": "< 3 s",
        },
    )


if __name__ == "__main__":
    main()
