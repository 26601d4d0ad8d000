#!/usr/bin/env python
"""Benchmarks 1 and 6: pages under load against gunicorn on loopback, and the web workers' memory.

    .venv/bin/python bench/load.py [--seconds 10] [--clients 16,32] [--only inbox,catalogue]

Starts gunicorn (2 sync workers, bench.settings: production settings, DEBUG off) on the bench
database, signs the demo users in by creating their sessions directly (two factors included: a
confirmed static OTP device, as bench/list_pages.py does), then, for every URL and every
concurrency, runs that many clients for --seconds: requests/s, p50/p95/p99, errors, and the ratio
to the trivial view (/bench/trivial/, the same server, the same run). The peak RSS of the gunicorn
workers is sampled from /proc during the whole run. The query count of each URL is taken once
in-process (CaptureQueriesContext). Writes bench/results/load-<date>.json and prints a table.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing as mp
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    ROOT,
    RssSampler,
    dataset_counts,
    django_setup,
    ensure_static,
    machine,
    percentile,
    sessions_for,
    start_gunicorn,
    write_result,
)

HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_PORT", "8901"))

# (key, label, user or None, method, path, expected status, group)
URLS = [
    ("trivial", "trivial view", None, "GET", "/bench/trivial/", 200, "ceiling"),
    ("catalogue", "public catalogue /thu-tuc/", None, "GET", "/thu-tuc/", 200, "public"),
    (
        "catalogue_search",
        "catalogue search ?q=giay phep",
        None,
        "GET",
        "/thu-tuc/?q=giay+phep",
        200,
        "public",
    ),
    ("status_lookup", "status lookup (POST code + phone)", None, "POST", "/ho-so/tra-cuu/", 302, "public"),
    ("portal_home", "portal home /", None, "GET", "/", 200, "public"),
    ("news_page", "news page", None, "GET", "{news}", 200, "public"),
    (
        "api_search",
        "procedures API ?search=",
        None,
        "GET",
        "/api/v1/procedures/catalogue/?search=giay+phep",
        200,
        "public",
    ),
    ("inbox", "one-stop inbox /ho-so/", "motcua", "GET", "/ho-so/", 200, "staff"),
    ("dashboard", "dossier statistics dashboard", "lanhdao", "GET", "/ho-so/thong-ke/", 200, "staff"),
    ("incoming", "incoming register /van-ban/", "vanthu", "GET", "/van-ban/", 200, "staff"),
    ("incoming_search", "incoming search ?q=bao cao", "vanthu", "GET", "/van-ban/?q=bao+cao", 200, "staff"),
    ("outgoing", "outgoing register /van-ban/di/", "vanthu", "GET", "/van-ban/di/", 200, "staff"),
    (
        "outgoing_search",
        "outgoing search ?q=ke hoach",
        "vanthu",
        "GET",
        "/van-ban/di/?q=ke+hoach",
        200,
        "staff",
    ),
    ("assets", "itsec asset list", "cntt", "GET", "/ha-tang-atttt/tai-san/", 200, "staff"),
    ("techassess", "techassess surveys and results", "quantri", "GET", "/danh-gia-cong-nghe/", 200, "staff"),
    (
        "techassess_aggregates",
        "techassess province results",
        "quantri",
        "GET",
        "/danh-gia-cong-nghe/tong-hop/",
        200,
        "staff",
    ),
]
TARGETS = {"public": (0.5, 100), "staff": (0.2, 150)}  # ratio to trivial, p95 ms at 32 clients


# --------------------------------------------------------------------------- the client
def _one(method, path, headers, body, expected):
    start = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        ok = response.status == expected
    except OSError:
        ok = False
    finally:
        conn.close()
    return (time.perf_counter() - start) * 1000, ok


def _client_process(threads, deadline, spec, queue):
    """`threads` closed-loop clients in this process until `deadline`; puts (latencies, errors)."""
    method, paths, cookies, bodies, expected = spec
    results = []

    def loop(index):
        latencies, errors, n = [], 0, index
        while time.time() < deadline:
            path = paths[n % len(paths)]
            headers = {"Host": "localhost", "Cookie": cookies[n % len(cookies)]}
            body = None
            if method == "POST":
                body = bodies[n % len(bodies)]
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            ms, ok = _one(method, path, headers, body, expected)
            latencies.append(ms)
            errors += not ok
            n += 1
        results.append((latencies, errors))

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    latencies = [ms for lat, _e in results for ms in lat]
    queue.put((latencies, sum(e for _l, e in results)))


def run_load(spec, clients: int, seconds: float, processes: int) -> dict:
    queue = mp.Queue()
    deadline = time.time() + seconds
    per = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    procs = [mp.Process(target=_client_process, args=(n, deadline, spec, queue)) for n in per if n]
    start = time.time()
    for p in procs:
        p.start()
    latencies, errors = [], 0
    for _p in procs:
        lat, err = queue.get()
        latencies += lat
        errors += err
    for p in procs:
        p.join()
    elapsed = max(time.time() - start, seconds)
    return {
        "requests": len(latencies),
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "errors": errors,
    }


# --------------------------------------------------------------------------- server and sessions
def lookup_bodies(count: int = 200) -> tuple[list[str], list[str]]:
    """POST bodies for the status lookup: real codes and phones of the skhcn desk, with a CSRF pair."""
    from apps.dossiers.models import Dossier, State

    rows = list(
        Dossier.objects.exclude(state=State.DRAFT)
        .exclude(applicant_phone="")
        .filter(organization__code="skhcn-vp")
        .order_by("-pk")
        .values_list("code", "applicant_phone")[:count]
    )
    cookies, bodies = [], []
    for code, phone in rows:
        token = secrets.token_hex(16)  # a 32-character unmasked CSRF secret is accepted as the token
        cookies.append(f"csrftoken={token}")
        bodies.append(urllib.parse.urlencode({"csrfmiddlewaretoken": token, "code": code, "factor": phone}))
    return cookies, bodies


def count_queries(path: str, method: str, cookie: str | None, body: str | None) -> tuple[int, float]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=False)
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        if method == "POST":
            client.post(path, data=dict(urllib.parse.parse_qsl(body)))
        else:
            client.get(path)
    return len(queries.captured_queries), (time.perf_counter() - start) * 1000


# --------------------------------------------------------------------------- main
def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", default="16,32")
    parser.add_argument("--processes", type=int, default=4, help="client processes (the GIL caps one)")
    parser.add_argument("--only", default="", help="comma-separated keys (the trivial view always runs)")
    parser.add_argument("--max-single-ms", type=float, default=2000, help="slower pages are not loaded")
    parser.add_argument("--label", default="", help="suffix of the result file, e.g. before / after")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    only = {k for k in args.only.split(",") if k}

    ensure_static()
    django_setup()
    from apps.portal.models import NewsArticlePage

    news = NewsArticlePage.objects.live().filter(slug__startswith="bench-tin-").order_by("-pk").first()
    news = news or NewsArticlePage.objects.live().order_by("-pk").first()
    news_path = news.url if news else "/"
    urls = [u for u in URLS if u[0] == "trivial" or not only or u[0] in only]
    users = sorted({u[2] for u in urls if u[2]})
    cookies = sessions_for(users)
    lookup_cookies, bodies = lookup_bodies()
    counts = dataset_counts()
    queries, single = {}, {}
    for key, _label, user, method, path, _expected, _group in urls:
        path = path.format(news=news_path)
        cookie = cookies.get(user) if user else (lookup_cookies[0] if method == "POST" else None)
        queries[key], single[key] = count_queries(
            path, method, cookie, bodies[0] if method == "POST" else None
        )
    from django.db import connections

    connections.close_all()

    log_path = ROOT / "var" / "bench-gunicorn.log"  # var/ is git-ignored
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server = start_gunicorn(PORT, log_path)
    sampler = RssSampler(server.pid)
    sampler.start()
    rows = []
    try:
        # warm-up: each worker imports templates and opens its connection
        for key, _label, user, method, path, expected, _group in urls:
            if method == "GET" and single[key] <= args.max_single_ms:
                headers = {"Host": "localhost", **({"Cookie": cookies[user]} if user else {})}
                for _ in range(4):
                    _one("GET", path.format(news=news_path), headers, None, expected)
        for clients in levels:
            trivial = None
            for key, label, user, method, path, expected, group in urls:
                path = path.format(news=news_path)
                if method == "POST":
                    spec = (method, [path], lookup_cookies, bodies, expected)
                else:
                    spec = (method, [path], [cookies[user]] if user else [""], None, expected)
                if single[key] > args.max_single_ms:
                    # A page this slow cannot be loaded for --seconds: the backlog would drain for minutes
                    # and distort the next URL. Its capacity is at most 2 workers / one request's time.
                    result = {
                        "requests": 0,
                        "rps": round(2000 / single[key], 2),
                        "p50_ms": round(single[key], 1),
                        "p95_ms": None,
                        "p99_ms": None,
                        "errors": 0,
                        "skipped": "single request too slow;"
                        " rps = capacity estimate (2 workers / single-request time)",
                    }
                else:
                    result = run_load(spec, clients, args.seconds, min(args.processes, clients))
                if key == "trivial":
                    trivial = result["rps"]
                result.update(
                    key=key,
                    label=label,
                    group=group,
                    clients=clients,
                    path=path,
                    user=user,
                    queries=queries.get(key),
                    single_request_ms=round(single[key], 1),
                    ratio=round(result["rps"] / trivial, 4) if trivial else None,
                )
                rows.append(result)
                print(
                    f"{clients:3d} clients  {label:38} {result['rps']:8.1f}/s  p50 {result['p50_ms']}  "
                    f"p95 {result['p95_ms']}  p99 {result['p99_ms']} ms  err {result['errors']}  "
                    f"ratio {result['ratio']:.4f}  queries {queries.get(key)}  single {single[key]:.0f} ms"
                    + ("  (not loaded: too slow)" if result.get("skipped") else ""),
                    flush=True,
                )
    finally:
        sampler.stop.set()
        sampler.join(2)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
    memory = {
        "workers": len(sampler.peak),
        "rss_start_mb": [round(v, 1) for v in sampler.start_rss.values()],
        "rss_peak_mb": [round(v, 1) for v in sampler.peak.values()],
        "target_mb": 250,
    }
    print(f"gunicorn workers RSS at start {memory['rss_start_mb']} MB, peak {memory['rss_peak_mb']} MB")
    for row in rows:
        if row["group"] in TARGETS and row["clients"] == max(levels):
            ratio, p95 = TARGETS[row["group"]]
            row["target"] = f"≥ {ratio}× trivial, p95 < {p95} ms"
            row["met"] = bool(
                row["ratio"] and row["ratio"] >= ratio and row["p95_ms"] < p95 and not row["errors"]
            )
    name = "load" + (f"-{args.label}" if args.label else "")
    write_result(
        name,
        {
            "machine": machine(),
            "dataset": counts,
            "seconds": args.seconds,
            "rows": rows,
            "web_worker_memory": memory,
        },
    )


if __name__ == "__main__":
    main()
