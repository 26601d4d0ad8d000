"""Where signing keys come from: an encrypted PKCS#12 file per signer, or a PKCS#11 token.

Both sources implement `SignerKey`: `pyhanko_signer()` gives a pyHanko signer, `certificate` the
signer's X.509 certificate (cryptography object) and `display_name` the name shown in the
appearance. The PKCS#12 password is never stored: the caller supplies it for each signing.
"""

from __future__ import annotations

import abc
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from .errors import SigningError, TokenNotConfigured, WrongKeyPassword


class SignerKey(abc.ABC):
    """A signing key with its certificate (and the chain up to, not including, the root)."""

    display_name: str = ""

    @property
    @abc.abstractmethod
    def certificate(self) -> x509.Certificate: ...

    @abc.abstractmethod
    def pyhanko_signer(self):
        """A `pyhanko.sign.signers.Signer` ready to sign."""


def _common_name(cert: x509.Certificate) -> str:
    attrs = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def _to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class Pkcs12Key(SignerKey):
    """A key in an encrypted PKCS#12 (.p12) file; the password is required and checked on load."""

    def __init__(self, data: bytes | str | Path, password: str, display_name: str = ""):
        if isinstance(data, str | Path):
            try:
                data = Path(data).read_bytes()
            except OSError as exc:
                raise SigningError(
                    "Không tìm thấy tệp khóa ký số của người ký; hãy liên hệ cán bộ CNTT.", code="no_key"
                ) from exc
        if not password:
            raise WrongKeyPassword("Vui lòng nhập mật khẩu khóa ký số.")
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8"))
        except ValueError as exc:
            # cryptography says "Invalid password or PKCS12 data" for both cases
            raise WrongKeyPassword(
                "Mật khẩu khóa ký số không đúng (hoặc tệp khóa bị hỏng). Chưa có gì được ký."
            ) from exc
        if key is None or cert is None:
            raise SigningError("Tệp khóa ký số không chứa khóa bí mật và chứng thư số.", code="bad_key")
        self._key = key
        self._cert = cert
        self._chain = list(extra or [])
        self.display_name = display_name or _common_name(cert)

    @property
    def certificate(self) -> x509.Certificate:
        return self._cert

    def pyhanko_signer(self):
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        der_key = self._key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return signers.SimpleSigner(
            signing_cert=_to_asn1(self._cert),
            signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
            cert_registry=SimpleCertificateStore.from_certs([_to_asn1(c) for c in self._chain]),
        )


class Pkcs11Key(SignerKey):
    """A key on a PKCS#11 token (USB token or HSM).

    The interface is the same as `Pkcs12Key`; a real implementation needs the token's module
    (e.g. the vendor's .so) and pyHanko's `pkcs11` extra. Until one is configured every use
    raises `TokenNotConfigured` with a clear message instead of failing obscurely.
    """

    def __init__(self, module_path: str = "", token_label: str = "", key_label: str = "", pin: str = ""):
        self.module_path = module_path
        self.token_label = token_label
        self.key_label = key_label
        self._pin = pin
        self.display_name = key_label

    def _not_configured(self):
        raise TokenNotConfigured(
            "Chưa cấu hình thiết bị ký số (token PKCS#11) trên máy chủ này; hãy dùng khóa ký số "
            "dạng tệp hoặc liên hệ cán bộ CNTT."
        )

    @property
    def certificate(self) -> x509.Certificate:
        self._not_configured()

    def pyhanko_signer(self):
        self._not_configured()
