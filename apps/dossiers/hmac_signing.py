"""HMAC-SHA256 signatures of flat field sets (pure standard library: the sandbox imports it too)."""

import hashlib
import hmac


def sign(secret: str, fields: dict) -> str:
    canonical = "&".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "signature")
    return hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).hexdigest()


def verify(secret: str, fields: dict) -> bool:
    return hmac.compare_digest(sign(secret, fields), str(fields.get("signature", "")))
