"""Citizen status pages are addressed by a signed token, not by the dossier's sequential id.

The path converter keeps views and `reverse(..., args=[dossier.pk])` unchanged: `to_url` signs the
id (django.core.signing, own salt, timestamped) and `to_python` refuses a token that was altered,
forged or is older than a session, so ids cannot be counted through in the address bar. The token
is not the permission: the page still needs the session's grant from the second factor.
"""

from django.conf import settings
from django.core import signing

SALT = "dossiers.status-link"


def max_age() -> int:
    return settings.SESSION_COOKIE_AGE


class StatusLinkConverter:
    regex = r"[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> int:
        try:
            pk = signing.loads(value, salt=SALT, max_age=max_age())
        except signing.BadSignature as exc:  # also an expired token (SignatureExpired)
            raise ValueError("invalid status link") from exc
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError("invalid status link")
        return pk

    def to_url(self, value) -> str:
        return signing.dumps(int(value), salt=SALT)
