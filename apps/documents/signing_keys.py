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


def signer_identity(user, organization=None) -> tuple[str, str]:
    """(name, position) of a signer as the organisation holds them: the position written on their
    active membership (in `organization`'s tree first), else their role's name. The personal
    certificate names this position, and so does a document they sign."""
    from django.conf import settings
    from django.utils import translation

    from apps.organizations.models import Membership

    memberships = Membership.objects.filter(user=user, is_active=True).select_related("organization")
    if organization is not None:
        inside = [m for m in memberships if m.organization.path.startswith(organization.path)]
        memberships = inside or list(memberships)
    best = min(memberships, key=lambda m: (not m.title, m.pk), default=None)
    name = getattr(user, "full_name", "") or user.get_username()
    if best is None:
        return name, ""
    with translation.override(settings.LANGUAGE_CODE):  # stored on documents: never in English
        return name, best.title or str(best.get_role_display())


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
