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


class MalformedPdf(NotAPdf):
    """A PDF whose structure (xref, objects, a signature dictionary) cannot be parsed or is of
    the wrong shape: no verdict about its signatures can be given."""

    code = "malformed_pdf"


class TokenNotConfigured(SigningError):
    code = "token_not_configured"
