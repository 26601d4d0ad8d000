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
import threading
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


def manage(env: dict, *args: str) -> None:
    """Run a manage.py command in its own process with `env`, failing loudly."""
    subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True
    )


def start_process(cmd: list[str], log_path: Path, env: dict) -> subprocess.Popen:
    """A background service of a bench script (Celery, nginx, …), its output in `log_path`."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(  # noqa: S603
        cmd, cwd=ROOT, env=env, stdout=log_path.open("w"), stderr=subprocess.STDOUT
    )


def stop_processes(processes: list[subprocess.Popen], timeout: float = 20) -> None:
    """Stop the services a bench script started, last started first; kill what does not stop."""
    for process in reversed(processes):
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()


def start_celery(role: str, log_path: Path, env: dict) -> subprocess.Popen:
    """A Celery worker (one child) or Celery beat (its schedule file beside the log)."""
    celery = str(ROOT / ".venv" / "bin" / "celery")
    extra = ["-c", "1"] if role == "worker" else ["-s", str(log_path.with_suffix(".schedule"))]
    return start_process([celery, "-A", "config", role, "-l", "info", *extra], log_path, env)


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


def sessions_for(usernames) -> dict[str, str]:
    """A signed-in, two-factor-verified session cookie per demo user, created directly."""
    from django.conf import settings
    from django.test import Client
    from django_otp.plugins.otp_static.models import StaticDevice

    from apps.accounts.models import User

    cookies = {}
    for username in usernames:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        cookies[username] = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    return cookies


def pdf_bytes(size: int, seed: int) -> bytes:
    """A well-formed one-page PDF padded to `size` bytes with an incompressible stream."""
    import random

    rng = random.Random(seed)
    filler = bytes(rng.getrandbits(8) for _ in range(size))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def worker_pids(master: int) -> list[int]:
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return []
    return [int(pid) for pid in children]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler(threading.Thread):
    """Peak resident memory (MB) of each child of `master` (gunicorn or Celery workers), and of the
    master itself with `include_master`."""

    def __init__(self, master: int, include_master: bool = False):
        super().__init__(daemon=True)
        self.master, self.peak, self.start_rss, self.stop = master, {}, {}, threading.Event()
        self.include_master = include_master

    def run(self):
        while not self.stop.is_set():
            for pid in [self.master] * self.include_master + worker_pids(self.master):
                value = rss_mb(pid)
                self.start_rss.setdefault(pid, value)
                self.peak[pid] = max(self.peak.get(pid, 0), value)
            time.sleep(0.25)
