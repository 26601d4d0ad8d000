"""Payment reconciliation: our records against the gateway's list (paid, pending, discrepancies)."""

import io
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.dossiers import payments
from apps.dossiers.hmac_signing import CALLBACK, sign
from apps.organizations.roles import Role
from conftest import verified_client

pytestmark = pytest.mark.django_db
SECRET = "test-secret"


class ListGateway(payments.HmacGateway):
    """The HMAC gateway with the provider's transaction list given in the test (no network)."""

    def __init__(self, remote):
        super().__init__(name="sandbox", base_url="http://127.0.0.1:1", secret=SECRET, merchant="skhcn")
        self.remote = remote

    def transactions(self, day):
        return self.remote


def _paid(gateway, payment):
    fields = {
        "reference": payment.reference,
        "amount": str(payment.amount),
        "status": "paid",
        "transaction": "SBX1",
        "timestamp": str(int(time.time())),
        "nonce": f"n-{payment.reference}",
    }
    fields["signature"] = sign(SECRET, fields, direction=CALLBACK)
    payments.handle_callback(gateway, fields)


@pytest.fixture
def five_cases(submit):
    gateway = ListGateway([])
    paid, pending, short, unnoticed = (payments.start_payment(submit(), gateway=gateway) for _ in range(4))
    _paid(gateway, paid)
    gateway.remote = [
        {"reference": paid.reference, "amount": "500000", "status": "paid"},
        {"reference": short.reference, "amount": "50000", "status": "paid"},  # a wrong amount
        {"reference": unnoticed.reference, "amount": "500000", "status": "paid"},  # callback lost
        {"reference": "TTFOREIGN", "amount": "10000", "status": "paid"},
    ]
    return gateway, {"paid": paid, "pending": pending, "short": short, "unnoticed": unnoticed}


def test_each_reference_gets_its_outcome(five_cases):
    gateway, p = five_cases
    report = payments.reconciliation(gateway, timezone.localdate())
    outcome = {r["reference"]: r["outcome"] for r in report["rows"]}
    assert outcome == {
        p["paid"].reference: "matched",
        p["pending"].reference: "pending",
        p["short"].reference: "amount_mismatch",
        p["unnoticed"].reference: "status_mismatch",
        "TTFOREIGN": "missing_here",
    }
    assert (report["matched"], report["pending"], report["discrepancies"]) == (1, 1, 3)
    assert report["paid_here"] == 1 and report["paid_amount"] == 500000


def test_report_page_and_excel_for_the_leader_only(client, users, five_cases, monkeypatch):
    gateway, p = five_cases
    monkeypatch.setattr(payments, "get_gateway", lambda name="sandbox": gateway)
    url = reverse("dossiers:reconciliation")
    verified_client(client, users[Role.SPECIALIST])
    assert client.get(url).status_code == 403
    verified_client(client, users[Role.LEADER])
    page = client.get(url)
    assert page.status_code == 200
    assert "Amounts differ" in page.content.decode() and p["short"].reference in page.content.decode()
    export = client.get(url, {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Mã giao dịch"
    assert any(r[0] == p["short"].reference and r[-1] == "Amounts differ" for r in rows)


def test_an_unreachable_gateway_gives_a_clear_message(client, users, submit, settings):
    settings.PAYMENT_SANDBOX_URL = "http://127.0.0.1:1"
    verified_client(client, users[Role.LEADER])
    page = client.get(reverse("dossiers:reconciliation"))
    assert page.status_code == 200
    assert "could not be read" in page.content.decode()
