#!/usr/bin/env python
"""Screenshots for the README (docs/screenshots/): the platform as its users see it, on the demo data.

    .venv/bin/python scripts/screenshots.py

Seeds the demo into a throw-away SQLite database (var/screenshots/), runs the development server on
127.0.0.1:8931 and signs in with the demo accounts in headless Chromium (Debian's `chromium`, or
CQS_CHROMIUM). Writes PNG files under docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "screenshots"
OUT = ROOT / "docs" / "screenshots"
PORT = 8931
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "ChinhQuyenSo@2026"  # noqa: S105 — the demo accounts' documented password

# (file, user, path, viewport): what each role meets first.
SHOTS = [
    ("ho-so-cua-toi.png", "congdan", "/ho-so/cua-toi/", (1366, 900)),
    ("ho-so-cua-toi-dien-thoai.png", "congdan", "/ho-so/cua-toi/", (390, 844)),
    ("chi-tiet-ho-so.png", "motcua", "dossier", (1366, 900)),
    ("thong-ke-su-co.png", "cntt", "/ha-tang-atttt/su-co/thong-ke/?year=2021", (1366, 900)),
]


def run(*args, env):
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def first_dossier_path(env) -> str:
    code = (
        "from apps.dossiers.models import Dossier, State;"
        "d = Dossier.objects.exclude(state=State.DRAFT).filter(organization__code='skhcn-vp')"
        ".order_by('-submitted_at').first(); print(f'/ho-so/{d.pk}/')"
    )
    out = subprocess.run(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def main() -> int:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    OUT.mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "CQS_DEMO_MODE": "1",
        "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
        "MEDIA_ROOT": str(WORK / "media"),
    }
    run("migrate", "--noinput", "-v0", env=env)
    run("seed_demo", env=env)
    dossier = first_dossier_path(env)
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=(WORK / "server.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(BASE + "/", timeout=5)  # noqa: S310 — our own local server
                break
            except OSError:
                time.sleep(0.5)
        chromium = os.environ.get("CQS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
            for name, user, path, (width, height) in SHOTS:
                context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
                page = context.new_page()
                page.goto(BASE + "/tai-khoan/dang-nhap/")
                page.fill("input[name=username]", user)
                page.fill("input[name=password]", PASSWORD)
                page.click("form button[type=submit]")
                page.wait_for_load_state("networkidle")
                page.goto(BASE + (dossier if path == "dossier" else path))
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(OUT / name), full_page=True)
                print(f"{name}: {user} {page.url}")
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
