"""Online fee payment through a gateway interface (legal-rules A8; the PayGov API is not public).

`PaymentGateway` is the seam: the local sandbox (sandbox_gateway.py) implements it with
HMAC-SHA256-signed requests and callbacks (one derived key per direction, hmac_signing.py); a real
provider adapter implements the same methods. Callbacks are verified (signature, timestamp window,
single-use nonce), only move a payment forward (pending -> failed -> paid; a notice for a paid
payment changes nothing) and a reconciliation report compares the gateway's transactions with ours.
"""

from __future__ import annotations

import json
import secrets
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.audit.services import record

from . import services
from .hmac_signing import CALLBACK, REQUEST, STATEMENT, sign, verify
from .models import CallbackNonce, Dossier, Payment

TIMESTAMP_WINDOW = 300  # seconds a callback stays valid
NOTICE_STATUSES = frozenset({"paid", "failed"})  # what a gateway notice may report


class CallbackRejected(Exception):
    """A callback that is forged, stale, replayed or inconsistent; str() says why."""


@dataclass(frozen=True)
class CallbackData:
    reference: str
    amount: Decimal
    status: str  # one of NOTICE_STATUSES
    transaction: str
    nonce: str


class PaymentGateway:
    """The interface every provider adapter implements."""

    name = "abstract"

    def payment_url(self, payment: Payment, *, return_url: str, callback_url: str) -> str:
        raise NotImplementedError

    def parse_callback(self, params: dict) -> CallbackData:
        """Verify a callback's authenticity and freshness; raise CallbackRejected."""
        raise NotImplementedError

    def transactions(self, day) -> list[dict]:
        """The provider's transactions of a day: [{"reference", "amount", "status", "transaction"}]."""
        raise NotImplementedError


class HmacGateway(PaymentGateway):
    def __init__(self, *, name: str, base_url: str, secret: str, merchant: str):
        self.name, self.base_url, self.secret, self.merchant = name, base_url.rstrip("/"), secret, merchant

    def payment_url(self, payment, *, return_url, callback_url):
        fields = {
            "merchant": self.merchant,
            "reference": payment.reference,
            "amount": str(payment.amount),
            "return_url": return_url,
            "callback_url": callback_url,
            "timestamp": str(int(time.time())),
            "nonce": secrets.token_hex(8),
        }
        fields["signature"] = sign(self.secret, fields, direction=REQUEST)
        return f"{self.base_url}/pay?{urllib.parse.urlencode(fields)}"

    def parse_callback(self, params):
        fields = {k: str(v) for k, v in params.items()}
        if not verify(self.secret, fields, direction=CALLBACK):
            raise CallbackRejected(_("The payment notice has an invalid signature."))
        try:
            stamp = int(fields.get("timestamp", ""))
        except ValueError:
            raise CallbackRejected(_("The payment notice has no valid time.")) from None
        if abs(time.time() - stamp) > TIMESTAMP_WINDOW:
            raise CallbackRejected(_("The payment notice has expired."))
        if not fields.get("nonce"):
            raise CallbackRejected(_("The payment notice has no nonce."))
        if fields.get("status") not in NOTICE_STATUSES:
            raise CallbackRejected(_("The payment notice has an unknown status."))
        return CallbackData(
            reference=fields.get("reference", ""),
            amount=Decimal(fields.get("amount") or "0"),
            status=fields.get("status", ""),
            transaction=fields.get("transaction", ""),
            nonce=fields["nonce"],
        )

    def transactions(self, day):
        query = {"merchant": self.merchant, "date": day.isoformat(), "timestamp": str(int(time.time()))}
        query["signature"] = sign(self.secret, query, direction=REQUEST)
        with urllib.request.urlopen(  # noqa: S310 - the configured https/http gateway
            f"{self.base_url}/transactions?{urllib.parse.urlencode(query)}", timeout=10
        ) as r:  # noqa: S310
            body = json.loads(r.read())
        statement = {"data": body["data"], "signature": body["signature"]}
        if not verify(self.secret, statement, direction=STATEMENT):
            raise CallbackRejected(_("The reconciliation file has an invalid signature."))
        return json.loads(body["data"])


def sandbox_secret() -> str:
    # Settings only: production.py gives no default, and the dossiers.E001 check refuses a demo value.
    return getattr(settings, "PAYMENT_SANDBOX_SECRET", "")


def sandbox_url() -> str:
    return getattr(settings, "PAYMENT_SANDBOX_URL", "") or "http://127.0.0.1:8765"


def get_gateway(name: str = "sandbox") -> PaymentGateway:
    if name == "sandbox":
        return HmacGateway(name="sandbox", base_url=sandbox_url(), secret=sandbox_secret(), merchant="skhcn")
    raise LookupError(name)  # real providers register here


def pending_payment(dossier: Dossier, *, gateway: PaymentGateway) -> Payment | None:
    """The transaction still waiting to be paid for the fee now due, if any (read only)."""
    if dossier.fee <= 0 or dossier.paid:
        return None
    return Payment.objects.filter(
        dossier=dossier, gateway=gateway.name, amount=dossier.fee, status=Payment.Status.PENDING
    ).first()


def start_payment(dossier: Dossier, *, gateway: PaymentGateway) -> Payment:
    """The transaction the applicant pays: the pending one of this amount if there is one (a second
    click on "pay" or a reload must not open another), else a new one."""
    if dossier.fee <= 0 or dossier.paid:
        raise CallbackRejected(_("Nothing is due for this dossier."))
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()  # two clicks at once: one row
        pending = Payment.objects.filter(
            dossier=dossier, gateway=gateway.name, amount=dossier.fee, status=Payment.Status.PENDING
        ).first()
        if pending is not None:
            return pending
        payment = Payment.objects.create(
            dossier=dossier,
            amount=dossier.fee,
            gateway=gateway.name,
            reference=f"TT{secrets.token_hex(6).upper()}",
        )
        record("dossier_payment_started", dossier, note=f"{payment.reference} {payment.amount}")
    return payment


def handle_callback(gateway: PaymentGateway, params: dict) -> Payment:
    """Apply a gateway notice once. Raises CallbackRejected; a repeat of an applied notice is refused
    by its nonce. Notices only move a payment forward: one for an already paid payment, or a
    "failed" one for an already failed payment, changes nothing."""
    data = gateway.parse_callback(params)
    try:
        with transaction.atomic():
            CallbackNonce.objects.create(gateway=gateway.name, nonce=data.nonce)
            payment = (
                Payment.objects.select_for_update()
                .filter(reference=data.reference, gateway=gateway.name)
                .first()
            )
            if payment is None:
                raise CallbackRejected(_("Unknown payment reference."))
            if payment.status == Payment.Status.PAID or (
                payment.status == Payment.Status.FAILED and data.status != "paid"
            ):
                return payment  # never un-pay, never pay twice
            if data.amount != payment.amount:
                raise CallbackRejected(_("The amount paid does not match the amount due."))
            paid = data.status == "paid"
            payment.status = Payment.Status.PAID if paid else Payment.Status.FAILED
            payment.paid_at = timezone.now() if paid else None
            payment.provider_transaction = data.transaction
            if paid:
                payment.receipt_number = _receipt_number(payment)
            payment.save()
            note = f"{payment.reference} {payment.status}"
            if paid:  # the dossier's move "pay": its version, history row, ledger count and audit event
                services.act(payment.dossier_id, "pay", note=note, at=payment.paid_at)
            else:
                record("dossier_paid", payment.dossier, note=note)
            return payment
    except IntegrityError:
        raise CallbackRejected(_("This payment notice was already received (replay).")) from None


def _receipt_number(payment: Payment) -> str:
    """The next number of the agency's fee-receipt register (biên lai điện tử)."""
    from apps.core.counters.service import format_reference

    services.ensure_counters()
    agency = payment.dossier.organization.agency()
    return format_reference(services.RECEIPT_KEY, organization=agency, at=payment.paid_at)


def paid_receipt(dossier: Dossier) -> Payment | None:
    """The paid payment of the dossier's fee, with its receipt number (given now to a payment paid
    before receipts were numbered), or None when nothing was paid online."""
    payment = dossier.payments.filter(status=Payment.Status.PAID).order_by("paid_at").first()
    if payment is None or payment.receipt_number:
        return payment
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().select_related("dossier__organization").get(pk=payment.pk)
        )
        if not payment.receipt_number:
            payment.receipt_number = _receipt_number(payment)
            payment.save(update_fields=["receipt_number"])
            record(
                "dossier_receipt_numbered",
                payment.dossier,
                note=f"{payment.reference} {payment.receipt_number}",
            )
    return payment


OUTCOMES = {
    "matched": gettext_lazy("Matched"),
    "pending": gettext_lazy("Pending at both ends"),
    "amount_mismatch": gettext_lazy("Amounts differ"),
    "status_mismatch": gettext_lazy("Statuses differ"),
    "missing_here": gettext_lazy("Only at the gateway"),
    "missing_at_gateway": gettext_lazy("Only in our records"),
}


def _outcome(remote: dict | None, local: Payment | None) -> str:
    if remote and local:
        if Decimal(str(remote["amount"])) != local.amount:
            return "amount_mismatch"
        paid_there, paid_here = remote["status"] == "paid", local.status == Payment.Status.PAID
        if paid_there != paid_here:
            return "status_mismatch"
        return "matched" if paid_here or local.status == Payment.Status.FAILED else "pending"
    if remote:
        return "missing_here"
    return "pending" if local.status == Payment.Status.PENDING else "missing_at_gateway"


def reconciliation(gateway: PaymentGateway, day) -> dict:
    """Compare the provider's transactions of `day` with our payments of that day: each reference is
    matched, pending, or a discrepancy (amounts differ, statuses differ, missing on one side)."""
    remote = {t["reference"]: t for t in gateway.transactions(day)}
    local = {
        p.reference: p
        for p in Payment.objects.filter(gateway=gateway.name, created_at__date=day).select_related("dossier")
    }
    rows = []
    for reference in sorted(set(remote) | set(local)):
        r, p = remote.get(reference), local.get(reference)
        outcome = _outcome(r, p)
        rows.append(
            {
                "reference": reference,
                "dossier": p.dossier.code if p else "",
                "dossier_id": p.dossier_id if p else None,
                "amount_here": p.amount if p else None,
                "amount_gateway": Decimal(str(r["amount"])) if r else None,
                "status_here": p.status if p else "",
                "status_gateway": r["status"] if r else "",
                "outcome": outcome,
                "outcome_label": OUTCOMES[outcome],
            }
        )
    counts = {key: sum(1 for r in rows if r["outcome"] == key) for key in OUTCOMES}
    paid = [r for r in rows if r["status_here"] == Payment.Status.PAID]
    return {
        "rows": rows,
        "matched": counts["matched"],
        "pending": counts["pending"],
        "discrepancies": len(rows) - counts["matched"] - counts["pending"],
        "counts": counts,
        "paid_here": len(paid),
        "paid_amount": sum((r["amount_here"] for r in paid), Decimal(0)),
        "total": len(rows),
    }
