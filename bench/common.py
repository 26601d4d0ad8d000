"""Shared set-up of the bench scripts: the bench database, Django settings, timing and results."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB = "postgres://cqs:cqs@127.0.0.1:5432/cqs_bench"


def setup_env(settings: str = "bench.settings") -> str:
    """Point Django at the bench database (BENCH_DATABASE_URL, else cqs_bench on localhost)."""
    sys.path.insert(0, str(ROOT))
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("CQS_ALLOW_UNSCANNED_UPLOADS", "1")
    os.environ.setdefault("PAYMENT_SANDBOX_SECRET", "bench-gateway-secret-" + "y" * 40)
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    return url


def django_setup(settings: str = "bench.settings") -> None:
    setup_env(settings)
    import django

    django.setup()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def machine() -> dict:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_avg_at_start": os.getloadavg(),
        "note": "shared 2-core machine: other jobs ran at the same time, figures are noisy",
    }


def dataset_counts() -> dict:
    from django.db import connection

    tables = {
        "dossiers": "dossiers_dossier",
        "status_changes": "dossiers_statuschange",
        "ledger_rows": "dossiers_statisticsentry",
        "incoming": "documents_incomingdocument",
        "outgoing": "documents_outgoingdocument",
        "assets": "itsec_asset",
        "enterprises": "techassess_enterprise",
        "pages": "wagtailcore_page",
    }
    with connection.cursor() as cursor:
        counts = {}
        for name, table in tables.items():
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [table])  # noqa: S608
            row = cursor.fetchone()
            counts[name] = int(row[0]) if row else None
    return counts


def write_result(name: str, payload: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y-%m-%d")
    path = RESULTS / f"{name}-{stamp}.json"
    payload = {"benchmark": name, "at": dt.datetime.now().isoformat(timespec="seconds"), **payload}
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    print(f"→ {path.relative_to(ROOT)}")
    return path


def ensure_static() -> None:
    """Production settings serve hashed static files (whitenoise manifest): collect them once."""
    manifest = ROOT / "var" / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        import subprocess

        setup_env()
        subprocess.run(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"],
            check=True,
            env={**os.environ},
        )


def start_gunicorn(port: int, log_path: Path, host: str = "127.0.0.1", workers: int = 2) -> subprocess.Popen:
    """gunicorn on the bench settings, returned once its trivial view answers (the bench's baseline)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi:application",
        *("--bind", f"{host}:{port}", "--workers", str(workers), "--worker-class", "sync"),
        *("--timeout", "120", "--log-level", "warning"),
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )
    for _ in range(120):
        try:
            conn = http.client.HTTPConnection(host, port, timeout=5)
            conn.request("GET", "/bench/trivial/", headers={"Host": "localhost"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited: {log_path.read_text()[-2000:]}")
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer; see {log_path}")
