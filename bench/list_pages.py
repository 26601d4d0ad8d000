#!/usr/bin/env python
"""Prints time and query counts of the foundation's list pages with many accounts.

    .venv/bin/python bench/list_pages.py [--accounts 5000]

Uses its own SQLite file (or DATABASE_URL if set) so it never touches the demo database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.gettempdir()}/cqs-bench.sqlite3")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from apps.accounts.demo import seed_foundation
    from apps.accounts.models import User
    from apps.organizations.models import Membership, Organization
    from apps.organizations.roles import Role

    seed_foundation()
    unit = Organization.objects.get(code="skhcn-qlcn")
    existing = User.objects.filter(username__startswith="bench").count()
    if existing < args.accounts:
        users = User.objects.bulk_create(
            User(
                username=f"bench{i:05d}",
                full_name=f"Người dùng {i:05d}",
                email=f"b{i}@example.vn",
                password=make_password(None),
            )  # unusable, like seeded historic accounts
            for i in range(existing, args.accounts)
        )
        Membership.objects.bulk_create(
            Membership(user=u, organization=unit, role=Role.SPECIALIST) for u in users
        )

    admin = User.objects.get(username="quantri")
    client = Client()
    client.force_login(admin)
    from django_otp.plugins.otp_static.models import StaticDevice

    device, _ = StaticDevice.objects.get_or_create(user=admin, name="bench", defaults={"confirmed": True})
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()

    print(f"{User.objects.count()} accounts, database {connection.vendor}")
    for label, url in [
        ("accounts list, page 1", "/tai-khoan/quan-ly/"),
        ("accounts list, page 100", "/tai-khoan/quan-ly/?page=100"),
        ("accounts search", "/tai-khoan/quan-ly/?q=00042"),
        ("organisation tree", "/to-chuc/"),
        ("audit log", "/nhat-ky/"),
    ]:
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        median = statistics.median(timings)
        print(f"{label:28} median {median:7.1f} ms   {len(queries.captured_queries):3d} queries")


if __name__ == "__main__":
    main()
