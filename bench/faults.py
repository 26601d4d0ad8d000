#!/usr/bin/env python
"""Faults survived (issue #16): each scenario breaks a real component under a running platform and
prints what every request and job became.

    .venv/bin/python bench/faults.py [--only postgres,redis,worker] [--seconds 20]

So that it may restart and kill them without touching anything else on the machine, the script
starts its own PostgreSQL cluster (initdb in a scratch directory, port 55432) and its own Redis
(port 56379), plus an SMTP server that keeps what it receives, then migrates, loads the demo data
and runs gunicorn (2 workers, production settings), a Celery worker and Celery beat on them.

1. postgres — PostgreSQL is restarted in the middle of a submission load (4 clients, two PDF
   attachments each). A client that gets no 201 sends the same submission again with the same
   idempotency key, as the integration guide says. Every acknowledged submission must be stored
   with its two files; no dossier may be stored twice or without its files or its history.
2. redis — Redis (cache, broker) is stopped: submissions must still be accepted, their
   notifications wait in the outbox; when Redis comes back each is delivered exactly once.
3. worker — the Celery worker's child is killed (SIGKILL, as the OOM killer would) in the middle
   of a 3,000-row asset import: the task goes back to the queue, runs again and the assets exist
   exactly once.

SMTP down and clamd down are automated tests (apps/core/tests/test_notifications.py,
apps/core/tests/test_files.py). Writes bench/results/faults-<date>.json; exits 1 if a check fails.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    machine,
    manage,
    pdf_bytes,
    sessions_for,
    start_celery,
    start_gunicorn,
    start_process,
    stop_processes,
    worker_pids,
    write_result,
)
from bench.submissions import post, prepare, stored_as_acknowledged  # noqa: E402

PG_PORT, REDIS_PORT, SMTP_PORT, WEB_PORT = 55432, 56379, 58025, 8930
DATABASE_URL = f"postgres://cqs@127.0.0.1:{PG_PORT}/cqs_faults"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


# --------------------------------------------------------------------------- own services
class Postgres:
    """A throw-away PostgreSQL cluster of the machine's PostgreSQL binaries."""

    def __init__(self, run: Path):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not found:
            raise SystemExit("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.bin = Path(found[-1]).parent
        self.data = run / "pg"
        # initdb refuses to run as root: the cluster belongs to the postgres account then.
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def ctl(self, *args: str) -> None:
        subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), *args], check=True)  # noqa: S603

    def create(self) -> None:
        self.data.mkdir(parents=True)
        if self.as_owner:
            shutil.chown(self.data.parent, "postgres")
            shutil.chown(self.data, "postgres")
        subprocess.run(  # noqa: S603
            [*self.as_owner, str(self.bin / "initdb"), "-D", str(self.data), "-U", "cqs", "--auth=trust"]
            + ["-E", "UTF8", "--locale=C.UTF-8"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()
        subprocess.run(  # noqa: S603
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "cqs", "cqs_faults"],
            check=True,
        )

    def start(self) -> None:
        options = f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1"
        self.ctl("-l", str(self.data / "server.log"), "-o", options, "-w", "start")

    def restart(self) -> None:
        self.ctl("-m", "fast", "-w", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.ctl("-m", "fast", "-w", "stop")


class Redis:
    def __init__(self, run: Path):
        self.run, self.process = run, None

    def start(self) -> None:
        self.process = start_process(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            self.run / "redis.log",
            os.environ.copy(),
        )
        for _ in range(50):
            ping = subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True)  # noqa: S603, S607
            if ping.returncode == 0:
                return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()  # a crash, not a clean shutdown
            self.process.wait()


class Mailbox:
    """An SMTP server on loopback that keeps every message it receives (aiosmtpd)."""

    def __init__(self):
        import logging

        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP line

        self.received: list[tuple[str, str]] = []  # (recipient, subject)
        mailbox = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
                import email

                subject = email.message_from_bytes(envelope.content).get("Subject", "")
                mailbox.received.extend((rcpt, subject) for rcpt in envelope.rcpt_tos)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=SMTP_PORT)

    def to(self, address: str) -> int:
        return sum(1 for rcpt, _subject in self.received if rcpt == address)


def environment(run: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "faults-" + "f" * 60,
        "MEDIA_ROOT": str(run / "media"),
        "CQS_ALLOW_UNSCANNED_UPLOADS": "1",
        "PAYMENT_SANDBOX_SECRET": "faults-gateway-" + "g" * 40,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "EMAIL_TIMEOUT": "5",
        # A killed worker's unacknowledged task is handed out again this soon (default: an hour).
        "CELERY_VISIBILITY_TIMEOUT": "30",
        "BENCH_DATABASE_URL": DATABASE_URL,
    }


# --------------------------------------------------------------------------- scenarios
def submit_until_acknowledged(subs, key: str, email: str, attempts: list) -> str | None:
    """Send one submission until it is acknowledged (same idempotency key); the dossier's code.

    201 is a new dossier; 200 is the API saying a resent key's dossier was stored already (the
    first answer was lost), with that dossier's code."""
    import json

    payload = subs.payload(key, email=email)
    for _ in range(60):
        status, ms, text = post(WEB_PORT, subs.token, payload)
        attempts.append({"status": status, "ms": round(ms), "key": key})
        if status in (200, 201):
            return json.loads(text)["code"]
        if 400 <= status < 500 and status != 429:
            raise AssertionError(f"submission refused ({status}): {text[:300]}")
        time.sleep(0.5)
    return None


def scenario_postgres(subs, pg: Postgres, seconds: float) -> dict:
    acknowledged, attempts, lock = {}, [], threading.Lock()
    deadline = time.time() + seconds

    def client(n: int):
        while time.time() < deadline:
            key = uuid.uuid4().hex
            code = submit_until_acknowledged(subs, key, f"pg-{n}@example.vn", attempts)
            if code:
                with lock:
                    acknowledged[key] = code

    threads = [threading.Thread(target=client, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(seconds / 3)
    restart_at = time.time()
    pg.restart()
    restarted_in = time.time() - restart_at
    for t in threads:
        t.join()
    failed = [a for a in attempts if a["status"] not in (200, 201)]
    result = stored_as_acknowledged(acknowledged)
    result.update(
        {
            "restart_seconds": round(restarted_in, 1),
            "requests": len(attempts),
            "failed_requests_then_resent": len(failed),
            "stored_although_the_answer_was_an_error": sum(a["status"] == 200 for a in attempts),
            "failure_statuses": sorted({a["status"] for a in failed}),
        }
    )
    result["ok"] = result["ok"] and result["acknowledged"] > 0 and bool(failed)
    return result


def scenario_redis(subs, redis: Redis, mailbox: Mailbox) -> dict:
    from django.db import connections

    from apps.core.notifications.models import OutboxMessage

    redis.stop()
    acknowledged, attempts = {}, []
    emails = [f"redis-{i}-{uuid.uuid4().hex[:6]}@example.vn" for i in range(5)]
    for email in emails:
        key = uuid.uuid4().hex
        status, _ms, text = post(WEB_PORT, subs.token, subs.payload(key, email=email))
        attempts.append(status)
        if status == 201:
            import json

            acknowledged[key] = json.loads(text)["code"]
    connections.close_all()
    waiting = OutboxMessage.objects.filter(recipient__in=emails, status="queued").count()
    redis.start()
    deadline = time.time() + 150  # beat's outbox sweep runs every minute
    while time.time() < deadline and sum(mailbox.to(e) > 0 for e in emails) < len(acknowledged):
        time.sleep(1)
    delivered = {e: mailbox.to(e) for e in emails}
    result = stored_as_acknowledged(acknowledged)
    result.update(
        {
            "statuses_while_down": attempts,
            "queued_while_down": waiting,
            "delivered_per_recipient": delivered,
        }
    )
    result["ok"] = (
        result["ok"] and attempts == [201] * len(emails) and all(count == 1 for count in delivered.values())
    )
    return result


def scenario_worker(worker_master: int, cookie: str, rows: int = 3000) -> dict:
    from django.db import connections

    from apps.itsec.models import Asset
    from bench.scaleout import start_asset_import

    connections.close_all()
    job, codes, _path = start_asset_import(cookie, WEB_PORT, rows)
    killed = None
    deadline = time.time() + 120
    while time.time() < deadline:
        job.refresh_from_db()
        if job.status == "running" and (job.progress or 0) > 0:
            children = worker_pids(worker_master)
            if children:
                killed = children[0]
                os.kill(killed, signal.SIGKILL)
            break
        if job.status in ("done", "failed"):
            break
        time.sleep(0.05)
    deadline = time.time() + 300
    while time.time() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        time.sleep(0.5)
    made = Asset.objects.filter(code__in=codes).count()
    return {
        "rows": rows,
        "killed_child_pid": killed,
        "job_status": job.status,
        "assets_created": made,
        "job_created_count": job.created_count,
        "ok": killed is not None and job.status == "done" and made == rows and job.created_count == rows,
    }


# --------------------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="postgres,redis,worker")
    parser.add_argument("--seconds", type=float, default=20, help="length of the load around the restart")
    args = parser.parse_args()
    wanted = args.only.split(",")
    run = Path(tempfile.mkdtemp(prefix="cqs-faults-"))
    os.chmod(run, 0o755)  # noqa: S103 — the postgres account must reach its data directory
    env = environment(run)
    os.environ.update(env)
    pg, redis, mailbox = Postgres(run), Redis(run), Mailbox()
    processes, results = [], {}
    try:
        print(f"scratch {run}: PostgreSQL :{PG_PORT}, Redis :{REDIS_PORT}, SMTP :{SMTP_PORT} …", flush=True)
        pg.create()
        redis.start()
        mailbox.controller.start()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--force")
        manage(env, "collectstatic", "--noinput", "-v0")
        worker = start_celery("worker", run / "worker.log", env)
        beat = start_celery("beat", run / "beat.log", env)
        processes += [worker, beat]
        processes.append(start_gunicorn(WEB_PORT, run / "gunicorn.log"))

        import django

        django.setup()
        subs = prepare([pdf_bytes(50 * 1024, i) for i in range(2)])
        cookie = sessions_for(["cntt"])["cntt"].split("=", 1)[1]
        scenarios = {
            "postgres": lambda: scenario_postgres(subs, pg, args.seconds),
            "redis": lambda: scenario_redis(subs, redis, mailbox),
            "worker": lambda: scenario_worker(worker.pid, cookie),
        }
        for name in wanted:
            try:
                results[name] = scenarios[name]()
            except Exception as exc:  # a broken scenario is reported; the others still run
                results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            print(f"{'OK  ' if results[name]['ok'] else 'FAIL'} {name}: {results[name]}", flush=True)
    finally:
        stop_processes(processes)
        mailbox.controller.stop()
        redis.stop()
        pg.stop()
    write_result("faults", {"machine": machine(), "scenarios": results})
    if all(r.get("ok") for r in results.values()):
        shutil.rmtree(run, ignore_errors=True)
        return 0
    print(f"logs kept in {run}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
