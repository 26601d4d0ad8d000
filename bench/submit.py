#!/usr/bin/env python
"""Benchmark 2: online submissions with two 200 KB PDF attachments through a real ClamAV daemon.

    .venv/bin/python bench/submit.py [--seconds 60] [--clients 8]

Starts clamd offline (its database is only the EICAR test signature, as .ci/run does; freshclam is
never run) and gunicorn (2 sync workers, bench.settings, CLAMD_SOCKET set, so every upload is
scanned), creates an integration client with the "dossiers:write" scope for the demo desk, and
posts submissions to /api/v1/dossiers/submit/ (the same `services.create_dossier` and file intake
as the web form) for --seconds from --clients closed-loop clients, each with a fresh idempotency
key. Then counts the dossiers and their files in the database: every 201 must be there (none lost),
and one EICAR attachment must be refused (the scanner really scans). Writes
bench/results/submit-<date>.json.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    ROOT,
    dataset_counts,
    django_setup,
    ensure_static,
    machine,
    pdf_bytes,
    percentile,
    start_gunicorn,
    write_result,
)
from bench.submissions import post, prepare  # noqa: E402

RUN = ROOT / "var" / "bench-run"
HOST, PORT = "127.0.0.1", int(os.environ.get("BENCH_SUBMIT_PORT", "8902"))


def start_clamd() -> tuple[subprocess.Popen, Path]:
    db = RUN / "clamdb"
    db.mkdir(parents=True, exist_ok=True)
    eicar = RUN / "eicar.com"
    eicar.write_bytes(b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
    signature = subprocess.run(  # noqa: S603
        [shutil.which("sigtool") or "sigtool", "--md5", str(eicar)],
        check=True,
        capture_output=True,
        text=True,
    )
    (db / "test.hdb").write_text(signature.stdout)
    sock = RUN / "clamd.sock"
    sock.unlink(missing_ok=True)
    conf = RUN / "clamd.conf"
    conf.write_text(
        f"DatabaseDirectory {db}\nLocalSocket {sock}\nPidFile {RUN / 'clamd.pid'}\nForeground yes\n"
        f"User root\nStreamMaxLength 30M\nMaxThreads 8\n"
    )
    clamd = subprocess.Popen(  # noqa: S603
        [shutil.which("clamd") or "clamd", "-c", str(conf)],
        stdout=(RUN / "clamd.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    for _ in range(120):
        if sock.exists():
            return clamd, sock
        if clamd.poll() is not None:
            break
        time.sleep(0.5)
    clamd.kill()
    raise SystemExit(f"clamd did not start: {(RUN / 'clamd.log').read_text()}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("clamd"):
        raise SystemExit("clamd is not installed (apt-get install clamav-daemon)")
    ensure_static()
    RUN.mkdir(parents=True, exist_ok=True)
    clamd, sock = start_clamd()
    os.environ["CLAMD_SOCKET"] = str(sock)
    os.environ.pop("CQS_ALLOW_UNSCANNED_UPLOADS", None)
    os.environ["CQS_ALLOW_UNSCANNED_UPLOADS"] = ""
    os.environ["MEDIA_ROOT"] = str(RUN / "media")
    django_setup()
    from django.conf import settings
    from django.db import connections

    from apps.dossiers.models import Dossier, DossierDocument

    assert str(sock) == settings.CLAMD_SOCKET
    subs = prepare([pdf_bytes(200 * 1024, i) for i in range(2)])
    connections.close_all()

    server = start_gunicorn(PORT, RUN / "gunicorn.log")
    accepted, failures, latencies = [], [], []
    lock = threading.Lock()
    deadline = time.time() + args.seconds

    def loop():
        while time.time() < deadline:
            key = uuid.uuid4().hex
            status, ms, text = post(PORT, subs.token, subs.payload(key))
            with lock:
                latencies.append(ms)
                if status == 201:
                    accepted.append(json.loads(text).get("code"))
                else:
                    failures.append({"status": status, "body": text[:300]})

    try:
        # one warm-up and the scanner check: an EICAR attachment must be refused
        status, _ms, text = post(PORT, subs.token, subs.payload())
        assert status == 201, (status, text[:500])
        eicar = base64.b64encode((RUN / "eicar.com").read_bytes()).decode()
        refused_status, _ms, refused_text = post(
            PORT,
            subs.token,
            subs.payload(
                documents=[
                    {"code": subs.codes[0], "filename": "virus.pdf", "content_base64": eicar},
                    {"code": subs.codes[1], "filename": "tep.pdf", "content_base64": subs.files[1]},
                ],
            ),
        )
        run_start = time.time()
        deadline = run_start + args.seconds
        threads = [threading.Thread(target=loop) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.time() - run_start
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        clamd.send_signal(signal.SIGTERM)
        try:
            clamd.wait(10)
        except subprocess.TimeoutExpired:
            clamd.kill()

    ours = Dossier.objects.filter(code__in=[c for c in accepted if c])
    in_db = ours.count()
    with_files = DossierDocument.objects.filter(dossier__in=ours, file__isnull=False).count()
    result = {
        "machine": machine(),
        "dataset": dataset_counts(),
        "seconds": round(elapsed, 1),
        "clients": args.clients,
        "procedure_version": subs.version_id,
        "attachments": "2 × 200 KB PDF (base64 in the JSON body)",
        "accepted": len(accepted),
        "rate_per_s": round(len(accepted) / elapsed, 2),
        "errors": len(failures),
        "error_samples": failures[:5],
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "in_database": in_db,
        "files_in_database": with_files,
        "lost": len(accepted) - in_db,
        "eicar_refused": refused_status == 400,
        "eicar_response": refused_text[:300],
        "target": "≥ 20 submissions/s, zero errors, zero lost",
    }
    result["met"] = result["rate_per_s"] >= 20 and not failures and result["lost"] == 0
    print(
        f"{len(accepted)} accepted in {elapsed:.1f} s = {result['rate_per_s']}/s, {len(failures)} errors, "
        f"p50 {result['p50_ms']} ms p95 {result['p95_ms']} ms; in the database {in_db} dossiers with "
        f"{with_files} files; lost {result['lost']}; EICAR refused: {result['eicar_refused']}"
    )
    write_result("submit", result)


if __name__ == "__main__":
    main()
