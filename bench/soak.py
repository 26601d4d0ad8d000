#!/usr/bin/env python
"""Soak: 50 virtual users (locust) for 10 minutes mixing the main flows (issue #16).

    .tools/bin/uv sync --locked --group bench --group dev   # locust, once
    .venv/bin/python bench/soak.py [--users 50] [--minutes 10]

Creates the database `cqs_soak` afresh (BENCH_SOAK_DATABASE_URL for another), loads the demo
data, starts gunicorn (production settings, 4 workers) and a Celery worker, then runs locust
headless: four in five users read pages — the public catalogue and its search, the status lookup,
the portal home and a news page, the procedures API, the one-stop inbox, the statistics, both
registers, the asset list, the technology assessments, each as the role that uses it (the page
list of bench/load.py) — and one in five submits dossiers with two PDF attachments through the
API. Afterwards it checks that every acknowledged submission is stored with its files, and
samples every web worker's memory each 30 s. Zero errors, zero lost and no memory growth after
the first minutes are the targets. Writes bench/results/soak-<date>.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    ROOT,
    machine,
    manage,
    pdf_bytes,
    rss_mb,
    sessions_for,
    start_celery,
    start_gunicorn,
    stop_processes,
    worker_pids,
    write_result,
)
from bench.load import URLS, lookup_bodies  # noqa: E402
from bench.scaleout import fresh_database  # noqa: E402
from bench.submissions import prepare, stored_as_acknowledged  # noqa: E402

RUN = ROOT / "var" / "soak"
PORT = 8940
DEFAULT_DB = "postgres://cqs:cqs@127.0.0.1:5432/cqs_soak"


def environment(database_url: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "BENCH_DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "soak-" + "k" * 60),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12"),
        "MEDIA_ROOT": str(RUN / "media"),
        "CQS_ALLOW_UNSCANNED_UPLOADS": "1",
        "PAYMENT_SANDBOX_SECRET": "soak-gateway-" + "g" * 40,
    }


def plan() -> dict:
    """The pages, cookies and submission payload the virtual users need (Django set up)."""
    from apps.portal.models import NewsArticlePage

    news = NewsArticlePage.objects.live().order_by("-pk").first()
    users = sorted({u[2] for u in URLS if u[2]})
    cookies = sessions_for(users)
    lookup_cookies, bodies = lookup_bodies(50)
    pages = []
    for key, _label, user, method, path, expected, _group in URLS:
        if key == "trivial":
            continue
        page = {"key": key, "method": method, "path": path.format(news=news.url if news else "/")}
        page["expected"], page["cookie"] = expected, cookies.get(user) if user else None
        if method == "POST":
            page["cookie"], page["body"] = lookup_cookies[0], bodies[0]
        pages.append(page)
    subs = prepare([pdf_bytes(200 * 1024, i) for i in range(2)])
    return {"pages": pages, "token": subs.token, "submission": subs.payload("placeholder")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()
    locust = ROOT / ".venv" / "bin" / "locust"
    if not locust.exists():
        raise SystemExit("locust is not installed: .tools/bin/uv sync --locked --group bench --group dev")
    url = os.environ.get("BENCH_SOAK_DATABASE_URL", DEFAULT_DB)
    env = environment(url)
    os.environ.update(env)
    if not args.reuse:
        shutil.rmtree(RUN, ignore_errors=True)
        print(f"database {url}: fresh, migrated, demo data …", flush=True)
        fresh_database(url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--force")
    RUN.mkdir(parents=True, exist_ok=True)
    manage(env, "collectstatic", "--noinput", "-v0")

    import django

    django.setup()
    (RUN / "plan.json").write_text(json.dumps(plan(), ensure_ascii=False))
    acknowledged_file = RUN / "acknowledged.txt"
    acknowledged_file.write_text("")
    from django.db import connections

    connections.close_all()

    worker = start_celery("worker", RUN / "worker.log", env)
    server = start_gunicorn(PORT, RUN / "gunicorn.log", workers=4)
    memory: list[dict] = []
    try:
        seconds = int(args.minutes * 60)
        soak = subprocess.Popen(  # noqa: S603
            [str(locust), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
            + ["-u", str(args.users), "-r", "5", "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}"]
            + ["--csv", str(RUN / "locust"), "--only-summary", "--stop-timeout", "30"],
            cwd=ROOT,
            env={**env, "SOAK_PLAN": str(RUN / "plan.json"), "SOAK_ACKNOWLEDGED": str(acknowledged_file)},
            stdout=(RUN / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        started = time.time()
        while soak.poll() is None:
            pids = worker_pids(server.pid)
            memory.append(
                {"at_s": round(time.time() - started), "rss_mb": [round(rss_mb(p), 1) for p in pids]}
            )
            time.sleep(30)
    finally:
        stop_processes([worker, server], timeout=30)

    with (RUN / "locust_stats.csv").open(encoding="utf-8") as stats:
        rows = list(csv.DictReader(stats))
    per_name = {
        r["Name"]: {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "p50_ms": float(r["50%"] or 0),
            "p95_ms": float(r["95%"] or 0),
            "p99_ms": float(r["99%"] or 0),
        }
        for r in rows
    }
    total = per_name.pop("Aggregated")
    acknowledged = dict(line.split() for line in acknowledged_file.read_text().splitlines() if line.strip())
    stored = stored_as_acknowledged(acknowledged)
    # Growth: the mean worker RSS of the last sample over the sample after the first two minutes.
    settled = next((m for m in memory if m["at_s"] >= 120 and m["rss_mb"]), memory[0] if memory else None)
    last = memory[-1] if memory else None

    def mean(sample):
        return sum(sample["rss_mb"]) / len(sample["rss_mb"]) if sample and sample["rss_mb"] else 0.0

    growth = round(mean(last) - mean(settled), 1)
    result = {
        "machine": machine(),
        "users": args.users,
        "minutes": args.minutes,
        "requests": total["requests"],
        "errors": total["failures"],
        "per_page": per_name,
        "submissions": stored,
        "lost": stored["acknowledged"] - stored["stored"],
        "web_worker_rss_mb": memory,
        "rss_growth_after_2_min_mb": growth,
        "target": "zero errors, zero lost submissions, stable memory (growth under 10 % of the settled RSS)",
    }
    result["met"] = (
        total["failures"] == 0
        and stored["ok"]
        and stored["acknowledged"] > 0
        and growth <= 0.1 * max(mean(settled), 1)
    )
    print(
        f"{total['requests']} requests, {total['failures']} errors; {stored['acknowledged']} submissions "
        f"acknowledged, {stored['stored']} stored, lost {result['lost']}; worker RSS "
        f"{mean(settled):.0f} → {mean(last):.0f} MB (growth {growth} MB); met: {result['met']}"
    )
    write_result("soak", result)
    return 0 if result["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
