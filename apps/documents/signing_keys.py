"""Which key signs for whom: a signer's personal key, an agency's seal key (SigningKey rows)."""

from __future__ import annotations

from apps.core.signing import Pkcs11Key, Pkcs12Key, SignerKey, SigningError, demo_pki_dir

from .models import SigningKey


def _load(row: SigningKey | None, password: str, missing: str) -> SignerKey:
    if row is None:
        raise SigningError(missing, code="no_key")
    if row.source == SigningKey.Source.PKCS11:
        return Pkcs11Key(token_label=row.token_label, key_label=row.display_name, pin=password)
    path = demo_pki_dir() / row.path
    return Pkcs12Key(path, password, display_name=row.display_name)


def personal_row(user) -> SigningKey | None:
    return SigningKey.objects.filter(user=user, kind=SigningKey.Kind.PERSONAL, is_active=True).first()


def personal_key(user, password: str) -> SignerKey:
    row = personal_row(user)
    return _load(row, password, "Bạn chưa được cấp khóa ký số cá nhân; hãy liên hệ cán bộ CNTT.")


def seal_key(organization, password: str) -> SignerKey:
    row = SigningKey.objects.filter(
        organization=organization, kind=SigningKey.Kind.SEAL, is_active=True
    ).first()
    return _load(row, password, "Cơ quan chưa có khóa ký số (con dấu điện tử); hãy liên hệ cán bộ CNTT.")


def has_seal(organization) -> bool:
    return SigningKey.objects.filter(
        organization=organization, kind=SigningKey.Kind.SEAL, is_active=True
    ).exists()


def signature_image(user) -> bytes | None:
    """The signer's uploaded handwritten signature (bytes of the stored image), if any."""
    row = (
        SigningKey.objects.select_related("signature_image")
        .filter(user=user, kind=SigningKey.Kind.PERSONAL, is_active=True)
        .first()
    )
    if row is None or row.signature_image is None:
        return None
    try:
        with row.signature_image.file.open("rb") as handle:
            return handle.read()
    except OSError:
        return None
