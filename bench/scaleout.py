#!/usr/bin/env python
"""Scale-out check: two application instances behind nginx, one Celery worker and Celery beat,
sharing PostgreSQL, Redis and the file storage (issue #15).

    .venv/bin/python bench/scaleout.py [--keep]

Needs nginx (Debian package `nginx`), PostgreSQL and Redis on localhost. It creates the database
`cqs_scaleout` afresh (BENCH_SCALEOUT_DATABASE_URL to use another), loads the demo data, starts
everything, then proves, hitting each instance on its own port:

1. session: a citizen signs in with the login form on instance A; instance B serves their
   "Hồ sơ của tôi" with that cookie;
2. upload: a PDF registered with an incoming document on A is downloaded byte for byte from B;
3. background job: an asset import started on A is run by the Celery worker (the web process only
   queues it) and its result is read on B;
4. nginx spreads requests over both instances;
5. the Celery worker's memory (main process and child) through a 2,000-row import.

Prints each check and writes `bench/results/scaleout.json`; exits 1 when a check fails. `--keep`
leaves everything running for a look (Ctrl-C stops it).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import (  # noqa: E402
    ROOT,
    RssSampler,
    machine,
    manage,
    pdf_bytes,
    sessions_for,
    start_celery,
    start_gunicorn,
    start_process,
    stop_processes,
    write_result,
)

RUN = ROOT / "var" / "scaleout"
HOST = "127.0.0.1"
NGINX_PORT, PORT_A, PORT_B = 8920, 8921, 8922
DEFAULT_DB = "postgres://cqs:cqs@127.0.0.1:5432/cqs_scaleout"

NGINX_CONF = """
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    client_max_body_size 60m;
    upstream chinh_quyen_so {{
        server {host}:{a};
        server {host}:{b};
        keepalive 8;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://chinh_quyen_so;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


# --------------------------------------------------------------------------- a tiny HTTP client
class Browser:
    """Cookies and CSRF tokens across requests; `port` picks the instance each request goes to."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, body=b"", content_type=None, referer=None):
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        if referer:
            headers["Referer"] = referer
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), data

    def get(self, port, path):
        return self.request(port, "GET", path)

    def csrf(self, port, path) -> str:
        status, _headers, body = self.get(port, path)
        assert status == 200, f"GET {path} on :{port} → {status}"
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert found, f"no CSRF token on {path}"
        return found.group(1).decode()

    def post_form(self, port, path, fields: dict, files: dict | None = None):
        if not files:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            return self.request(port, "POST", path, body, "application/x-www-form-urlencoded")
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, data, ctype) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n".encode()
            )
            out.write(data + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(port, "POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}")


# --------------------------------------------------------------------------- processes
def environment(database_url: str) -> dict:
    media = RUN / "media"  # the one file store both instances and the worker write to
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "scaleout-" + "s" * 60),
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13"),
        "MEDIA_ROOT": str(media),
        "CQS_ALLOW_UNSCANNED_UPLOADS": os.environ.get("CQS_ALLOW_UNSCANNED_UPLOADS", "1"),
        "PAYMENT_SANDBOX_SECRET": "scaleout-gateway-" + "g" * 40,
        "CQS_TRUSTED_PROXIES": "127.0.0.1",
    }


def fresh_database(url: str) -> None:
    name = urllib.parse.urlparse(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    for sql in (f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'):
        subprocess.run(["psql", admin, "-qc", sql], check=True)  # noqa: S603, S607


def start(cmd, log: str, env) -> subprocess.Popen:
    return start_process(cmd, RUN / log, env)


# --------------------------------------------------------------------------- the checks
def check_session() -> dict:
    """Sign in on A with the login form; B knows the session."""
    from django.urls import reverse

    browser, login = Browser(), reverse("accounts:login")
    token = browser.csrf(PORT_A, login)
    status, headers, _ = browser.post_form(
        PORT_A,
        login,
        {"csrfmiddlewaretoken": token, "username": "congdan", "password": "ChinhQuyenSo@2026"},
    )
    assert status == 302, f"sign-in on A answered {status}"
    status, _h, body = browser.get(PORT_B, reverse("dossiers:mine"))
    assert status == 200, f"“Hồ sơ của tôi” on B answered {status} (session not shared?)"
    return {"signed_in_on": PORT_A, "served_by": PORT_B, "status": status, "bytes": len(body)}


def check_upload(cookie: str) -> dict:
    """Register an incoming document with a PDF on A; download the same bytes from B."""
    from django.conf import settings
    from django.urls import reverse

    from apps.documents.models import DocumentType

    create = reverse("documents:incoming_create")
    browser = Browser()
    browser.cookies[settings.SESSION_COOKIE_NAME] = cookie
    pdf = pdf_bytes(20 * 1024, seed=os.getpid())
    token = browser.csrf(PORT_A, create)
    fields = {
        "csrfmiddlewaretoken": token,
        "doc_type": DocumentType.objects.filter(is_active=True).order_by("pk").first().pk,
        "sender_name": "UBND tỉnh Đắk Lắk",
        "summary": "Kiểm tra chạy nhiều máy chủ ứng dụng",
        "urgency": "normal",
        "confidentiality": "normal",
        "pages": 1,
        "allow_duplicate": "on",
    }
    status, headers, body = browser.post_form(
        PORT_A, create, fields, {"file": ("cong-van.pdf", pdf, "application/pdf")}
    )
    assert status == 302, f"registering on A answered {status}: {body[:300]!r}"
    detail = headers.get("Location")
    status, _h, page = browser.get(PORT_B, detail)
    assert status == 200, f"the document's page on B answered {status}"
    link = re.search(rb"/tep/([0-9a-f-]{36})/", page)
    assert link, "no file link on the document's page"
    status, _h, data = browser.get(PORT_B, link.group(0).decode())
    assert status == 200 and data == pdf, f"download on B: {status}, {len(data)} bytes vs {len(pdf)}"
    return {"uploaded_on": PORT_A, "downloaded_from": PORT_B, "bytes": len(data), "identical": True}


def start_asset_import(cookie: str, port: int, rows: int):
    """An IT officer uploads a CSV of `rows` new assets on the instance at `port`; returns the
    ImportJob it started and the asset codes in the file."""
    from django.conf import settings
    from django.urls import reverse

    from apps.itsec.models import ImportJob, ImportMapping
    from apps.organizations.models import Organization

    browser = Browser()
    browser.cookies[settings.SESSION_COOKIE_NAME] = cookie
    start_path = reverse("itsec:import_start")
    token = browser.csrf(port, start_path)
    # The unit for new assets: the first one the IT officer's import form offers.
    _status, _h, form = browser.get(port, start_path)
    offered = re.search(rb'name="organization"[^>]*>.*?<option value="(\d+)"', form, re.S)
    assert offered, "the import form offers no unit"
    unit = Organization.objects.get(pk=int(offered.group(1)))
    codes = [f"SO-{uuid.uuid4().hex[:6].upper()}-{i}" for i in range(rows)]
    header = "Mã tài sản,Loại,Tên,Số sê-ri,Đơn vị,Ngày mua,Nguyên giá,Mục đích,Kết nối Internet\n"
    row = "{0},Máy tính,Máy tính để bàn,SN-{0},{1},2020-01-01,12500000,Làm việc,có\n"
    lines = "".join(row.format(c, unit.code) for c in codes)
    fields = {
        "csrfmiddlewaretoken": token,
        "mapping": ImportMapping.objects.get(key="danh-muc-tai-san").pk,
        "organization": unit.pk,
    }
    status, headers, body = browser.post_form(
        port, start_path, fields, {"file": ("tai-san.csv", (header + lines).encode(), "text/csv")}
    )
    assert status == 302, f"starting the import on :{port} answered {status}: {body[:300]!r}"
    job_path = headers["Location"]
    return ImportJob.objects.get(pk=job_path.rstrip("/").rsplit("/", 1)[-1]), codes, job_path


def check_job(cookie: str, worker_pid: int, rows: int = 3) -> dict:
    """An asset import started on A runs in the Celery worker; B shows its result."""
    from django.conf import settings

    from apps.itsec.models import Asset

    job, codes, job_path = start_asset_import(cookie, PORT_A, rows)
    browser = Browser()
    browser.cookies[settings.SESSION_COOKIE_NAME] = cookie
    deadline = time.time() + 60 + rows / 10
    while time.time() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        time.sleep(0.5)
    assert job.status == "done", f"the import is “{job.status}” (is the worker running?)"
    status, _h, page = browser.get(PORT_B, job_path)
    assert status == 200 and str(rows).encode() in page, f"the job's page on B answered {status}"
    made = Asset.objects.filter(code__in=codes).count()
    assert made == rows, f"{made} of {rows} assets imported"
    # The worker, not the web process, ran it: its log names the task as succeeded.
    worker_log = (RUN / "celery-worker.log").read_text()
    assert re.search(r"Task itsec\.run_import\[[^\]]+\] succeeded", worker_log), "the worker did not run it"
    return {"started_on": PORT_A, "result_read_on": PORT_B, "assets_imported": made, "worker_pid": worker_pid}


def check_balancing(count: int = 20) -> dict:
    seen: dict[str, int] = {}
    for _ in range(count):
        conn = http.client.HTTPConnection(HOST, NGINX_PORT, timeout=30)
        conn.request("GET", "/bench/trivial/", headers={"Host": "localhost"})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, f"nginx answered {response.status}"
        upstream = response.getheader("X-Upstream", "?")
        seen[upstream] = seen.get(upstream, 0) + 1
    assert len(seen) == 2, f"nginx sent every request to {sorted(seen)}"
    return {"requests": count, "by_upstream": seen}


# --------------------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave everything running until Ctrl-C")
    parser.add_argument("--reuse", action="store_true", help="keep the database of the last run")
    args = parser.parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is not installed: apt-get install -y nginx")

    url = os.environ.get("BENCH_SCALEOUT_DATABASE_URL", DEFAULT_DB)
    for path in RUN.glob("*") if RUN.exists() else ():
        if path.name != "media":  # the files belong to the database kept by --reuse
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    RUN.mkdir(parents=True, exist_ok=True)
    env = environment(url)
    if not args.reuse:
        print(f"database {url}: fresh, migrated, demo data …", flush=True)
        shutil.rmtree(RUN / "media", ignore_errors=True)
        fresh_database(url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--force")
    manage(env, "collectstatic", "--noinput", "-v0")

    processes = []
    try:
        worker = start_celery("worker", RUN / "celery-worker.log", env)
        beat = start_celery("beat", RUN / "celery-beat.log", env)
        processes += [worker, beat]
        worker_memory = RssSampler(worker.pid, include_master=True)
        worker_memory.start()
        os.environ.update(env)
        for port, name in ((PORT_A, "a"), (PORT_B, "b")):
            processes.append(start_gunicorn(port, RUN / f"gunicorn-{name}.log", workers=1))
        (RUN / "nginx.conf").write_text(
            NGINX_CONF.format(run=RUN, host=HOST, a=PORT_A, b=PORT_B, port=NGINX_PORT)
        )
        conf = ["-p", str(RUN), "-c", str(RUN / "nginx.conf")]
        subprocess.run([nginx, *conf, "-t", "-q"], check=True)  # noqa: S603
        processes.append(start([nginx, *conf, "-g", "daemon off;"], "nginx.log", env))

        import django

        django.setup()
        cookies = sessions_for(["vanthu", "cntt"])
        cookie = {name: value.split("=", 1)[1] for name, value in cookies.items()}
        results, failed = {}, False
        checks = (
            ("session", check_session),
            ("upload", lambda: check_upload(cookie["vanthu"])),
            ("background_job", lambda: check_job(cookie["cntt"], worker.pid)),
            ("load_balancing", check_balancing),
            ("worker_under_load", lambda: check_job(cookie["cntt"], worker.pid, rows=2000)),
        )
        for name, check in checks:
            try:
                results[name] = {"ok": True, **check()}
            except Exception as exc:  # a failed check is reported, the others still run
                results[name], failed = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}, True
            print(f"{'OK  ' if results[name]['ok'] else 'FAIL'} {name}: {results[name]}", flush=True)
        results["beat_running"] = beat.poll() is None
        worker_memory.stop.set()
        results["celery_worker_rss_mb"] = {
            "start": {str(pid): round(mb, 1) for pid, mb in worker_memory.start_rss.items()},
            "peak": {str(pid): round(mb, 1) for pid, mb in worker_memory.peak.items()},
            "note": "main process and its one child (--concurrency 1), through a 2,000-row asset import",
        }
        print(f"Celery worker RSS peak (MB): {results['celery_worker_rss_mb']['peak']}")
        path = write_result("scaleout", {"machine": machine(), "checks": results})
        print(f"written {path.relative_to(ROOT)}")
        if args.keep:
            print(f"nginx on http://{HOST}:{NGINX_PORT}/ — Ctrl-C stops everything")
            while True:
                time.sleep(3600)
        return 1 if failed or not results["beat_running"] else 0
    except KeyboardInterrupt:
        return 0
    finally:
        stop_processes(processes)


if __name__ == "__main__":
    sys.exit(main())
