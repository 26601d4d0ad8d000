"""HMAC-SHA256 signatures of flat field sets (pure standard library: the sandbox imports it too).

Each direction of the payment exchange signs with its own key derived from the shared secret, so a
message signed for one direction never verifies as another: the payment request we put in the
citizen's link cannot be posted back to us as the gateway's "paid" notice.
"""

import hashlib
import hmac

REQUEST = "request"  # merchant -> gateway: the payment request, the transaction-list query
CALLBACK = "callback"  # gateway -> merchant: the payment notice
STATEMENT = "statement"  # gateway -> merchant: the day's transaction list
DIRECTIONS = frozenset({REQUEST, CALLBACK, STATEMENT})


def _key(secret: str, direction: str) -> bytes:
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown signing direction {direction!r}")
    if not secret:
        raise ValueError("an empty secret signs nothing: anyone could compute the signature")
    return hmac.new(secret.encode(), f"cqs-payment-v2/{direction}".encode(), hashlib.sha256).digest()


def sign(secret: str, fields: dict, *, direction: str) -> str:
    canonical = "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "signature")
    return hmac.new(_key(secret, direction), canonical.encode(), hashlib.sha256).hexdigest()


def verify(secret: str, fields: dict, *, direction: str) -> bool:
    if not secret:
        return False
    return hmac.compare_digest(sign(secret, fields, direction=direction), str(fields.get("signature", "")))
