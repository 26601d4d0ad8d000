"""Payments: signed request and callback, forged / stale / replayed notices, idempotency, sandbox."""

import socket
import threading
import time
import urllib.parse

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.dossiers import payments
from apps.dossiers.hmac_signing import CALLBACK, REQUEST, sign
from apps.dossiers.models import Dossier, Payment, StatisticsEntry
from apps.dossiers.sandbox_gateway import serve

pytestmark = pytest.mark.django_db
SECRET = "test-secret"


@pytest.fixture
def gateway():
    return payments.HmacGateway(
        name="sandbox", base_url="http://127.0.0.1:1", secret=SECRET, merchant="skhcn"
    )


def notice(payment, **overrides):
    fields = {
        "reference": payment.reference,
        "amount": str(payment.amount),
        "status": "paid",
        "transaction": "SBX1",
        "timestamp": str(int(time.time())),
        "nonce": overrides.pop("nonce", "n-1"),
    }
    fields.update(overrides)
    fields["signature"] = sign(SECRET, fields, direction=CALLBACK)
    return fields


def test_request_url_is_signed(submit, gateway):
    payment = payments.start_payment(submit(), gateway=gateway)
    url = gateway.payment_url(payment, return_url="http://x/r", callback_url="http://x/c")
    fields = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(url).query))
    assert fields["amount"] == "500000" and fields["signature"] == sign(SECRET, fields, direction=REQUEST)


def test_valid_callback_marks_paid_and_repeat_is_idempotent(submit, gateway):
    dossier = submit()
    payment = payments.start_payment(dossier, gateway=gateway)
    payments.handle_callback(gateway, notice(payment))
    dossier.refresh_from_db()
    assert dossier.paid and Payment.objects.get().status == "paid"
    again = payments.handle_callback(gateway, notice(payment, nonce="n-2"))  # the provider retries
    assert again.status == "paid" and Payment.objects.count() == 1


def test_paying_is_a_move_of_the_dossier_machine(submit, gateway):
    """The paid mark bumps the version and leaves one history row and one audit event, once."""
    from apps.audit.models import AuditEvent

    dossier = submit()
    payment = payments.start_payment(dossier, gateway=gateway)
    payments.handle_callback(gateway, notice(payment))
    payments.handle_callback(gateway, notice(payment, nonce="n-2"))  # a repeat changes nothing
    paid = Dossier.objects.get(pk=dossier.pk)
    assert paid.paid and paid.version == dossier.version + 1 and paid.state == dossier.state
    assert list(paid.history.filter(action="pay").values_list("from_state", "to_state")) == [
        (dossier.state, dossier.state)
    ]
    assert AuditEvent.objects.filter(verb="dossier_paid", object_id=str(dossier.pk)).count() == 1
    assert StatisticsEntry.objects.filter(kind="paid", dossier_ref=dossier.pk).count() == 1


def test_no_person_may_mark_a_dossier_paid(submit, users, gateway):
    from django.core.exceptions import PermissionDenied

    from apps.dossiers import services
    from apps.organizations.roles import Role

    dossier = submit()
    with pytest.raises(PermissionDenied):
        services.act(dossier.pk, "pay", actor=users[Role.ONE_STOP_OFFICER])
    assert not Dossier.objects.get(pk=dossier.pk).paid


def test_forged_callback_is_refused(submit, gateway):
    payment = payments.start_payment(submit(), gateway=gateway)
    forged = notice(payment)
    forged["amount"] = "1"
    with pytest.raises(payments.CallbackRejected, match="invalid signature"):
        payments.handle_callback(gateway, forged)
    assert Payment.objects.get().status == "pending"


def test_replayed_callback_is_refused(submit, gateway):
    payment = payments.start_payment(submit(), gateway=gateway)
    fields = notice(payment, status="failed")
    payments.handle_callback(gateway, fields)
    with pytest.raises(payments.CallbackRejected, match="replay"):
        payments.handle_callback(gateway, fields)


def test_stale_callback_is_refused(submit, gateway):
    payment = payments.start_payment(submit(), gateway=gateway)
    with pytest.raises(payments.CallbackRejected, match="expired"):
        payments.handle_callback(gateway, notice(payment, timestamp=str(int(time.time()) - 3600)))


def test_wrong_amount_is_refused(submit, gateway):
    payment = payments.start_payment(submit(), gateway=gateway)
    with pytest.raises(payments.CallbackRejected, match="does not match"):
        payments.handle_callback(gateway, notice(payment, amount="1000"))
    assert not payment.dossier.paid


def test_forged_callback_through_the_endpoint_gets_400(client, submit, settings):
    settings.PAYMENT_SANDBOX_SECRET = SECRET
    payment = payments.start_payment(submit(), gateway=payments.get_gateway())
    forged = notice(payment)
    forged["signature"] = "0" * 64
    response = client.post(reverse("dossiers:payment_callback", args=["sandbox"]), forged)
    assert response.status_code == 400
    ok = client.post(reverse("dossiers:payment_callback", args=["sandbox"]), notice(payment, nonce="ok"))
    assert ok.status_code == 200


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def sandbox():
    port = free_port()
    server, app = serve(port, SECRET)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", app
    server.shutdown()
    server.server_close()


def test_sandbox_pays_and_reconciles(submit, sandbox, monkeypatch):
    import urllib.request

    url, app = sandbox
    gateway = payments.HmacGateway(name="sandbox", base_url=url, secret=SECRET, merchant="skhcn")
    payment = payments.start_payment(submit(), gateway=gateway)
    received = []
    monkeypatch.setattr(app, "post_callback", lambda target, fields: received.append(fields))
    pay_url = gateway.payment_url(payment, return_url="http://localhost/r", callback_url="http://localhost/c")
    page = urllib.request.urlopen(pay_url).read().decode()  # noqa: S310
    assert "500000" in page
    form = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(pay_url).query), outcome="paid")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(f"{url}/pay/confirm", data=urllib.parse.urlencode(form).encode())
    except urllib.error.HTTPError as exc:
        assert exc.code == 302
    payments.handle_callback(gateway, received[0])
    # The local date, as the sandbox and our day filter use (not UTC: they differ from 17:00 UTC).
    report = payments.reconciliation(gateway, timezone.localdate(payment.created_at))
    assert report["total"] == 1 and report["matched"] == 1


def test_sandbox_refuses_an_unsigned_request(sandbox):
    import urllib.error
    import urllib.request

    url, _app = sandbox
    with pytest.raises(urllib.error.HTTPError) as exc:
        urllib.request.urlopen(f"{url}/pay?reference=X&amount=1&signature=bad")  # noqa: S310
    assert exc.value.code == 403


def test_paying_again_reuses_the_pending_transaction_until_it_fails(submit, gateway):
    dossier = submit()
    first = payments.start_payment(dossier, gateway=gateway)
    assert payments.start_payment(dossier, gateway=gateway).pk == first.pk  # a second click, a reload
    assert Payment.objects.filter(dossier=dossier).count() == 1
    payments.handle_callback(gateway, notice(first, status="failed"))
    retry = payments.start_payment(dossier, gateway=gateway)
    assert retry.pk != first.pk and retry.status == "pending"
