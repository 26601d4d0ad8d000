#!/usr/bin/env python
"""How long the audit chain's head row is held, per business transaction (issue #16).

    .venv/bin/python bench/audit_head.py [--count 30]

Whoever takes the single AuditHead row (SELECT … FOR UPDATE) keeps it until its transaction
commits, so two unrelated writes queue behind each other for exactly that time. Until 2026-12-03
every audit event took it inside the business transaction; now only the chaining step does, in a
short transaction of its own after the business one has committed. This script runs real online
submissions (two 200 KB PDFs, through `services.create_dossier`, as the web form and the API do)
and a one-stop officer receiving each dossier, on a bench database with the demo data
(BENCH_DATABASE_URL, default the soak's `cqs_soak`), and measures for each transaction the time
from taking the head to the commit, beside the transaction's whole time. 1 / (mean hold) is the
most audited transactions per second the chain lets through, however many workers there are.
Writes bench/results/audit-head-<date>.json.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://cqs:cqs@127.0.0.1:5432/cqs_soak")
from bench.common import django_setup, machine, pdf_bytes, percentile, write_result  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=30)
    args = parser.parse_args()
    django_setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction

    from apps.accounts.models import User
    from apps.audit import services as audit
    from apps.dossiers import services
    from apps.organizations.models import Organization
    from bench.submissions import prepare

    held: list[float] = []
    state = {"taken_at": None}
    original = audit.AuditHead.objects.select_for_update

    class Timed:
        """Notes when a transaction first takes the head; the commit closes the interval."""

        def __init__(self, qs):
            self.qs = qs

        def get_or_create(self, *a, **kw):
            result = self.qs.get_or_create(*a, **kw)
            if state["taken_at"] is None and connection.in_atomic_block:
                state["taken_at"] = time.perf_counter()
                transaction.on_commit(lambda: held.append(time.perf_counter() - state.pop("taken_at")))
            return result

    audit.AuditHead.objects.select_for_update = lambda *a, **kw: Timed(original(*a, **kw))

    subs = prepare([pdf_bytes(200 * 1024, 1), pdf_bytes(200 * 1024, 2)])
    desk = Organization.objects.get(code="skhcn-vp")
    officer = User.objects.get(username="motcua")
    rows = {"submit": ([], []), "receive": ([], [])}
    for i in range(args.count):
        payload = subs.payload(uuid.uuid4().hex)
        uploads = {
            code: SimpleUploadedFile(f"tep-{n}.pdf", pdf_bytes(200 * 1024, 10 * i + n), "application/pdf")
            for n, code in enumerate(subs.codes)
        }
        for kind, work in (
            (
                "submit",
                lambda p=payload, u=uploads: services.create_dossier(
                    version_id=subs.version_id,
                    desk=desk,
                    channel="online",
                    applicant={
                        "applicant_name": p["applicant_name"],
                        "applicant_phone": p["applicant_phone"],
                        "applicant_email": p["applicant_email"],
                    },
                    form_data=p["form"],
                    uploads=u,
                    idempotency_key=p["idempotency_key"],
                    submitter="bench:audit-head",
                ),
            ),
            ("receive", None),
        ):
            state["taken_at"] = None
            before = len(held)
            start = time.perf_counter()
            if kind == "submit":
                dossier = work()
            else:
                services.act(dossier.pk, "receive", actor=officer, expected_version=dossier.version)
            total = time.perf_counter() - start
            if len(held) > before:
                rows[kind][0].append(held[-1] * 1000)
                rows[kind][1].append(total * 1000)

    result = {"machine": machine(), "count": args.count, "transactions": {}}
    for kind, (hold, total) in rows.items():
        mean = sum(hold) / len(hold)
        result["transactions"][kind] = {
            "head_held_ms": {"p50": round(percentile(hold, 50), 1), "p95": round(percentile(hold, 95), 1)},
            "transaction_ms": {
                "p50": round(percentile(total, 50), 1),
                "p95": round(percentile(total, 95), 1),
            },
            "share_of_transaction_held": round(sum(hold) / sum(total), 2),
            "ceiling_per_s": round(1000 / mean, 1),
        }
        print(
            f"{kind}: head held p50 {percentile(hold, 50):.1f} ms (p95 {percentile(hold, 95):.1f}) of a "
            f"{percentile(total, 50):.1f} ms transaction ({sum(hold) / sum(total):.0%}); at most "
            f"{1000 / mean:.0f} such transactions/s whatever the number of workers"
        )
    write_result("audit-head", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
