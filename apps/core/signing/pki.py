"""A small certificate authority for the demo and the tests (never for production).

`make_demo_ca()` makes a self-signed root; `issue_signer()` a leaf certificate for a person or for
an organisation's seal; `to_pkcs12()` packs a key and its chain into an encrypted PKCS#12.
`write_demo_pki()` writes them under var/pki/ (ignored by git: keys are never committed).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEMO_CA_NAME = "CA thử nghiệm Chính quyền số (không dùng thật)"


@dataclass
class Issued:
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate

    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)


def _name(common_name: str, organization: str = "", unit: str = "", title: str = "") -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    if title:  # the signer's position ("Phó Giám đốc"), shown as "Chức danh" in the signature report
        parts.append(x509.NameAttribute(NameOID.TITLE, title))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def make_demo_ca(
    name: str = DEMO_CA_NAME, *, not_before: dt.datetime | None = None, years: int = 20
) -> Issued:
    """A self-signed root certificate authority."""
    key = _key()
    start = not_before or dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    subject = _name(name, "Chính quyền số – demo")
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue_signer(
    ca: Issued,
    common_name: str,
    *,
    organization: str = "",
    unit: str = "",
    title: str = "",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
) -> Issued:
    """A leaf certificate for document signing (non-repudiation), issued by `ca`."""
    key = _key()
    start = not_before or dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    end = not_after or start + dt.timedelta(days=365 * 15)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization, unit, title))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert)


def to_pkcs12(issued: Issued, password: str, *, chain: list[x509.Certificate] = (), name: str = "") -> bytes:
    """An encrypted PKCS#12 with the key, its certificate and the chain."""
    if not password:
        raise ValueError("a PKCS#12 file must be encrypted with a password")
    return pkcs12.serialize_key_and_certificates(
        (name or "signer").encode("utf-8"),
        issued.key,
        issued.certificate,
        list(chain) or None,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )


def load_certificates(path: str | Path) -> list[x509.Certificate]:
    """Trust roots from a PEM file (one or several certificates)."""
    return x509.load_pem_x509_certificates(Path(path).read_bytes())


def _subject_of(path: Path, password: str) -> x509.Name | None:
    try:
        _key, cert, _chain = pkcs12.load_key_and_certificates(path.read_bytes(), password.encode("utf-8"))
    except ValueError:  # another password: not ours to judge, keep the file
        return None
    return cert.subject if cert is not None else None


def write_demo_pki(directory: str | Path, signers: list[tuple], password: str) -> dict:
    """Write ca.pem (+ ca-key.pem, demo only) and one <slug>.p12 per signer under `directory`.

    `signers`: (slug, common name, organisation, unit[, title]). Existing files are kept, so the
    trust root stays the same between runs, unless a signer's name, unit or title changed (a
    position taken from the organisation): that signer's key is issued again. Returns
    {"ca": path, slug: path, …} and "created" count.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    ca_pem, ca_key_pem = directory / "ca.pem", directory / "ca-key.pem"
    created = 0
    if ca_pem.exists() and ca_key_pem.exists():
        ca = Issued(
            serialization.load_pem_private_key(ca_key_pem.read_bytes(), password=None),
            x509.load_pem_x509_certificate(ca_pem.read_bytes()),
        )
    else:
        ca = make_demo_ca()
        ca_key_pem.write_bytes(
            ca.key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        ca_key_pem.chmod(0o600)
        ca_pem.write_bytes(ca.pem())
        created += 1
    paths: dict = {"ca": ca_pem}
    for slug, common_name, organization, unit, *rest in signers:
        title = rest[0] if rest else ""
        path = directory / f"{slug}.p12"
        wanted = _name(common_name, organization, unit, title)
        if not path.exists() or _subject_of(path, password) not in (None, wanted):
            leaf = issue_signer(ca, common_name, organization=organization, unit=unit, title=title)
            path.write_bytes(to_pkcs12(leaf, password, chain=[ca.certificate], name=common_name))
            path.chmod(0o600)
            created += 1
        paths[slug] = path
    paths["created"] = created
    return paths
