"""TOTP enrolment and recovery codes on top of django-otp."""

import secrets

from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made once, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


def new_recovery_code() -> str:
    raw = secrets.token_hex(5)
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def confirm_totp(user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the device if the code is right; returns fresh recovery codes, or None."""
    if not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    # verify_token recorded the code's time step as used (replay protection: a code is accepted
    # once). Activating is no use of the code: whoever set up the app to sign a document enters
    # the same code on the signing form a moment later. One step back, that code (still within
    # its validity window) is accepted exactly once more; older codes stay refused.
    device.last_t -= 1
    device.save()
    return regenerate_recovery_codes(user)


@transaction.atomic
def regenerate_recovery_codes(user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Mã khôi phục", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return codes


def device_label(device) -> str:
    """How a second factor is named in the audit log (never a class name)."""
    from django.utils.translation import gettext

    if isinstance(device, StaticDevice):
        return gettext("recovery code")
    return gettext("authenticator app")


def verify_any(user, token: str):
    """Checks a TOTP code or a one-time recovery code; returns the matching device."""
    return match_token(user, token.strip().replace(" ", ""))


def remove_devices(user) -> None:
    for device in devices_for_user(user, confirmed=None):
        device.delete()
