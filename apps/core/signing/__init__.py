"""Digital signatures for every module: PAdES signing and offline verification of PDFs.

    from apps.core.signing import sign_pdf, verify_pdf, Pkcs12Key
    signed = sign_pdf(pdf, Pkcs12Key(path, password), reason="Ký ban hành", location="Đắk Lắk",
                      appearance="personal")
    reports = verify_pdf(signed, trust_roots())

Trust roots come from settings.SIGNING_TRUST_ROOTS (PEM paths) plus the demo CA under var/pki/
when it exists (`trust_roots()`).
"""

from .errors import MalformedPdf, NotAPdf, SigningError, TokenNotConfigured, WrongKeyPassword
from .keys import Pkcs11Key, Pkcs12Key, SignerKey
from .service import (
    VERDICT_ORDER,
    VERDICTS,
    SignatureReport,
    iso_vn,
    readable_name,
    sign_pdf,
    verify_pdf,
    worst_verdict,
)
from .trust import demo_pki_dir, trust_roots

__all__ = [
    "MalformedPdf",
    "NotAPdf",
    "Pkcs11Key",
    "Pkcs12Key",
    "SignatureReport",
    "SignerKey",
    "SigningError",
    "VERDICTS",
    "VERDICT_ORDER",
    "TokenNotConfigured",
    "WrongKeyPassword",
    "demo_pki_dir",
    "iso_vn",
    "readable_name",
    "sign_pdf",
    "trust_roots",
    "verify_pdf",
    "worst_verdict",
]
