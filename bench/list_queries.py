#!/usr/bin/env python
"""Query count and time of every list page and list endpoint with few and with many rows (issue 15).

    .venv/bin/python bench/list_queries.py [--rows 20,2000] [--only dossiers,itsec] [-k inbox]

The lists are the tests' own: each app's table ``LISTS`` in ``apps/<app>/tests/test_list_queries.py``
(URL name, role, row factory), run here through pytest with ``CQS_LIST_ROWS`` set to the sizes
asked for instead of CI's 2 and 7. The row factories go through the apps' services, so 2,000 rows
of a heavy kind (dossiers with attachments) take minutes; ``--rows 20,200`` is a quicker look. The
test database is the test settings' (SQLite in memory; PostgreSQL when DATABASE_URL points there).

Prints one line per list (queries and milliseconds at each size), writes
bench/results/list-queries-<date>.json, and exits non-zero when a count grew with the rows.
"""

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "audit", "core", "organizations", "procedures", "dossiers", "documents"]
APPS += ["tasks", "techassess", "itsec", "plans", "portal"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="20,2000", help="few,many (default 20,2000)")
    parser.add_argument("--only", default="", help="comma-separated apps (default: all)")
    parser.add_argument("-k", default="", help="pytest -k expression to pick lists")
    args = parser.parse_args()

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ["CQS_LIST_ROWS"] = args.rows
    os.environ.setdefault("TEST_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "cqs-bench-list-media"))
    apps = [a for a in args.only.split(",") if a] or APPS
    paths = [f"apps/{app}/tests/test_list_queries.py" for app in apps]
    import pytest

    pytest_args = ["-q", "-p", "no:cacheprovider", *paths] + (["-k", args.k] if args.k else [])
    status = pytest.main(pytest_args)

    from apps.core.tests.querycount import MEASURED

    by_list: dict[str, list] = {}
    for label, rows, queries, ms in MEASURED:
        by_list.setdefault(label, []).append({"rows": rows, "queries": queries, "ms": round(ms, 1)})
    few, many = (int(n) for n in args.rows.split(","))
    print(f"\n{'list (url name-role)':58} {'queries':>15} {'ms':>19}")
    print(f"{'':58} {few:>7} {many:>7} {few:>9} {many:>9}")
    grew, complete = [], 0
    for label, runs in by_list.items():
        small = next((r for r in runs if r["rows"] == few), None)
        large = next((r for r in runs if r["rows"] == many), None)
        if small is None or large is None:
            print(f"{label:58} incomplete (the test failed before both renders)")
            continue
        complete += 1
        flag = "" if small["queries"] == large["queries"] else "  GREW"
        if flag:
            grew.append(label)
        counts = f"{small['queries']:7d} {large['queries']:7d}"
        print(f"{label:58} {counts} {small['ms']:9.1f} {large['ms']:9.1f}{flag}")
    partial = "-partial" if args.only or args.k else ""  # a full run's figures are not overwritten
    out = ROOT / "bench" / "results" / f"list-queries-{dt.date.today():%Y-%m-%d}{partial}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps({"rows": [few, many], "lists": by_list, "grew": grew}, ensure_ascii=False, indent=2) + "\n"
    )
    print(f"\n{complete} lists measured at both sizes, {len(grew)} grew; written to {out.relative_to(ROOT)}")
    return 1 if grew or status != 0 else 0


if __name__ == "__main__":
    sys.exit(main())
