"""Issue #17: payment notices must not be forgeable (2: the shipped secret; 3: our own request, or a
notice that would move a payment backwards)."""

import runpy
import time
import urllib.parse

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from apps.core.tests.test_deploy_check import run_check
from apps.dossiers import payments
from apps.dossiers.models import Payment
from apps.dossiers.sandbox_gateway import DEFAULT_SECRET

SECRET = "a-long-random-secret-for-tests-0123456789"  # noqa: S105
SHIPPED = "demo-sandbox-secret-change-me"  # the default config/settings/base.py used to ship  # noqa: S105


def callback(payment, status="paid", nonce="n-1"):
    """A notice signed as the gateway signs one."""
    from apps.dossiers.hmac_signing import CALLBACK, sign

    fields = {
        "reference": payment.reference,
        "amount": str(payment.amount),
        "status": status,
        "transaction": "SBX1",
        "timestamp": str(int(time.time())),
        "nonce": nonce,
    }
    fields["signature"] = sign(SECRET, fields, direction=CALLBACK)
    return fields


# --------------------------------------------------------------------------- 17.2 the shipped secret
def test_17_2_check_refuses_an_empty_or_public_gateway_secret_in_production():
    from apps.dossiers.checks import payment_gateway_secret

    for secret in ("", SHIPPED, DEFAULT_SECRET, "short-but-private"):
        with override_settings(PAYMENT_SANDBOX_ENABLED=False, PAYMENT_SANDBOX_SECRET=secret):
            errors = payment_gateway_secret()
        assert [e.id for e in errors] == ["dossiers.E001"], secret
        assert "PAYMENT_SANDBOX_SECRET" in errors[0].msg and errors[0].is_serious()
    with override_settings(PAYMENT_SANDBOX_ENABLED=False, PAYMENT_SANDBOX_SECRET=SECRET):
        assert payment_gateway_secret() == []
    with override_settings(PAYMENT_SANDBOX_ENABLED=True, PAYMENT_SANDBOX_SECRET=DEFAULT_SECRET):
        assert payment_gateway_secret() == []  # the demo keeps its sandbox


def test_17_2_deploy_check_with_production_settings_refuses_the_shipped_secret():
    result = run_check(PAYMENT_SANDBOX_SECRET=SHIPPED)
    assert result.returncode != 0
    assert "dossiers.E001" in result.stderr and "PAYMENT_SANDBOX_SECRET" in result.stderr


def test_17_2_production_settings_switch_the_sandbox_off_and_give_no_secret(monkeypatch):
    import config.settings.base as base

    monkeypatch.setattr(base, "SECRET_KEY", "x" * 64)
    monkeypatch.setenv("CLAMD_SOCKET", "/run/clamav/clamd.ctl")
    monkeypatch.delenv("PAYMENT_SANDBOX_SECRET", raising=False)
    monkeypatch.setenv("PAYMENT_SANDBOX_ENABLED", "1")  # not a switch production listens to
    production = runpy.run_module("config.settings.production")
    assert production["PAYMENT_SANDBOX_ENABLED"] is False
    assert production["PAYMENT_SANDBOX_SECRET"] == ""


def test_17_2_sandbox_refuses_to_run_with_production_settings(monkeypatch):
    from apps.dossiers.management.commands import run_payment_sandbox

    started = []

    class Server:
        def serve_forever(self):
            started.append(True)
            raise KeyboardInterrupt

        def server_close(self):
            pass

    monkeypatch.setattr(run_payment_sandbox, "serve", lambda *a, **k: (Server(), None))
    with override_settings(PAYMENT_SANDBOX_ENABLED=False), pytest.raises(CommandError, match="switched off"):
        call_command("run_payment_sandbox", port=1)
    assert started == []


# --------------------------------------------------------------------------- 17.3 directions, monotony
@pytest.mark.django_db
def test_17_3_our_own_payment_request_is_refused_as_a_callback(client, submit, settings):
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    gateway = payments.get_gateway()
    payment = payments.start_payment(submit(), gateway=gateway)
    # The citizen's pay link carries a request we signed; posting it back must not count as a notice.
    link = gateway.payment_url(payment, return_url="http://x/r", callback_url="http://x/c")
    request_fields = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(link).query))
    for fields in (request_fields, dict(request_fields, status="paid")):
        response = client.post(reverse("dossiers:payment_callback", args=["sandbox"]), fields)
        assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING and not payment.dossier.paid


@pytest.mark.django_db
def test_17_3_a_notice_never_moves_a_payment_backwards(client, submit, settings):
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    url = reverse("dossiers:payment_callback", args=["sandbox"])
    payment = payments.start_payment(submit(), gateway=payments.get_gateway())
    # A "pending" notice is not something a gateway reports: it must not fail the payment.
    assert client.post(url, callback(payment, status="pending", nonce="n-0")).status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert client.post(url, callback(payment, nonce="n-1")).status_code == 200
    payment.refresh_from_db()
    paid_at = payment.paid_at
    for nonce, status in (("n-2", "failed"), ("n-3", "paid")):  # a late failure, a second payment
        client.post(url, callback(payment, status=status, nonce=nonce))
    payment.refresh_from_db()
    payment.dossier.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.paid_at == paid_at and payment.dossier.paid


@pytest.mark.django_db
def test_17_3_a_failed_payment_stays_failed_until_paid(submit, settings):
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    gateway = payments.get_gateway()
    payment = payments.start_payment(submit(), gateway=gateway)
    payments.handle_callback(gateway, callback(payment, status="failed", nonce="n-1"))
    with pytest.raises(payments.CallbackRejected, match="unknown status"):
        payments.handle_callback(gateway, callback(payment, status="", nonce="n-2"))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    payments.handle_callback(gateway, callback(payment, status="paid", nonce="n-3"))  # a retry went through
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID and payment.dossier.paid
