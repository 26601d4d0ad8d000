"""Errors of the signing service; every message is written for the user (Vietnamese)."""


class SigningError(Exception):
    """Signing or verification could not be done; `str(exc)` says why, for the user."""

    code = "signing_error"

    def __init__(self, message: str, code: str | None = None):
        super().__init__(message)
        if code:
            self.code = code


class WrongKeyPassword(SigningError):
    code = "wrong_password"


class NotAPdf(SigningError):
    code = "not_pdf"


class TokenNotConfigured(SigningError):
    code = "token_not_configured"
