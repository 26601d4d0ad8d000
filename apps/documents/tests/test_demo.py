"""The demo seeder: the plan and the documents it cites, signed with the demo CA the demo trusts."""

import time

import pytest
from django.core.management import call_command

from apps.accounts.demo import seed_foundation
from apps.core.signing import trust_roots, verify_pdf
from apps.documents import services
from apps.documents.demo import seed_documents
from apps.documents.models import IncomingDocument, OutgoingDocument

pytestmark = pytest.mark.django_db


def test_seed_creates_the_plan_signed_and_is_idempotent(settings, tmp_path):
    settings.SIGNING_PKI_DIR = str(tmp_path)
    seed_foundation()
    started = time.monotonic()
    counts = seed_documents()
    assert time.monotonic() - started < 20
    assert counts["outgoing"] == 3 and counts["incoming"] == 24
    plan = OutgoingDocument.objects.get(number_symbol="172/KH-SKHCN")
    assert plan.issued_date.isoformat() == "2021-10-06" and plan.signer_name == "Đinh Khắc Tuấn"
    assert OutgoingDocument.objects.filter(number_symbol__in=["275/BC-SKHCN", "233/SKHCN-TTTK"]).count() == 2
    reports = verify_pdf(services.read_bytes(plan.signed_file), trust_roots())
    assert [r.verdict for r in reports] == ["valid", "valid"]
    assert reports[0].signer_name == "Đinh Khắc Tuấn"
    assert not (tmp_path / "ca.pem").read_bytes().startswith(b"-----BEGIN PRIVATE")
    again = seed_documents()
    assert again["outgoing"] == 0 and again["incoming"] == 0
    assert IncomingDocument.objects.filter(year=2022).count() == 12


def test_make_demo_pki_command(settings, tmp_path, capsys):
    settings.SIGNING_PKI_DIR = str(tmp_path)
    call_command("make_demo_pki")
    assert (tmp_path / "ca.pem").exists() and (tmp_path / "dinh-khac-tuan.p12").exists()
    assert "created" in capsys.readouterr().out
