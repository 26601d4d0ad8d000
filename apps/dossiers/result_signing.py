"""The result PDF is sealed with the organisation's key (apps.core.signing) and checked on download.

The key is a PKCS#12 file: settings/env DOSSIERS_SEAL_P12 (absolute, or relative to the PKI
directory of apps.core.signing) with its password in DOSSIERS_SEAL_PASSWORD. Without a configured
key the demo seal under the demo PKI directory is used when it exists (written by the dossier
seeder); otherwise the result is issued unsigned and says so. A hardware token (PKCS#11) plugs in
through the same `SignerKey` interface of apps.core.signing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from apps.core.signing import (
    NotAPdf,
    Pkcs12Key,
    SignerKey,
    SigningError,
    demo_pki_dir,
    sign_pdf,
    trust_roots,
    verify_pdf,
)

DEMO_SEAL = "seal-mot-cua"
MAX_SIGNED_RESULT = 10 * 1024 * 1024  # an uploaded signed result (the dossier files' limit)
# Demo only: the password of the demo seal written by the seeder (never a production key).
DEMO_PASSWORD = "demo-mot-cua-khong-dung-that"  # noqa: S105


def _setting(name: str) -> str:
    return getattr(settings, name, "") or os.environ.get(name, "")


def seal_key() -> SignerKey | None:
    """The organisation's seal, or None when none is configured."""
    path, password = _setting("DOSSIERS_SEAL_P12"), _setting("DOSSIERS_SEAL_PASSWORD")
    if not path:
        demo = demo_pki_dir() / f"{DEMO_SEAL}.p12"
        if not demo.exists():
            return None
        path, password = str(demo), password or DEMO_PASSWORD
    full = Path(path) if Path(path).is_absolute() else demo_pki_dir() / path
    if not full.exists():
        return None
    return Pkcs12Key(full, password, display_name="Sở Khoa học và Công nghệ tỉnh Đắk Lắk")


def write_demo_seal() -> None:
    """The demo's seal key under the demo PKI (kept between runs, so the demo CA stays the same)."""
    from apps.core.signing.pki import write_demo_pki

    write_demo_pki(
        demo_pki_dir(),
        [(DEMO_SEAL, "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "Sở Khoa học và Công nghệ tỉnh Đắk Lắk", "")],
        DEMO_PASSWORD,
    )


def seal(pdf: bytes, *, reference: str) -> tuple[bytes, bool]:
    """(the PDF sealed with the organisation's key, True), or (the PDF as is, False) without a key.
    Raises SigningError when a configured key cannot sign (wrong password, expired token)."""
    key = seal_key()
    if key is None:
        return pdf, False
    signed = sign_pdf(
        pdf,
        key,
        reason=f"Kết quả giải quyết hồ sơ {reference}",
        location="Đắk Lắk",
        appearance="seal",
        reference=reference,
        organization=key.display_name,
    )
    return signed, True


@dataclass
class Check:
    signed: bool
    ok: bool
    signer: str = ""
    signed_at: object = None
    problem: str = ""


def check(pdf: bytes) -> Check:
    """Verify the result file's signatures against the trusted roots (offline)."""
    try:
        reports = verify_pdf(pdf, trust_roots())
    except (NotAPdf, SigningError, ValueError) as exc:
        return Check(signed=False, ok=False, problem=str(exc))
    if not reports:
        return Check(signed=False, ok=True)
    bad = [r for r in reports if not r.ok]
    first = reports[0]
    return Check(
        signed=True,
        ok=not bad,
        signer=first.signer_name,
        signed_at=first.signed_at,
        problem="; ".join(p for r in bad for p in (r.problems or [r.verdict])),
    )
