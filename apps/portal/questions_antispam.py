"""Anti-spam for the public question form, without any third-party captcha.

Three checks, each refused with a clear message and nothing saved:

- a honeypot field, hidden from people (CSS) and assistive technology, that bots fill in;
- a time-to-fill check: the form carries a signed timestamp; sent sooner than
  PORTAL_QUESTION_MIN_FILL_SECONDS after it was shown, or after PORTAL_QUESTION_FORM_MAX_AGE
  seconds, it is refused;
- a rate limit per IP address: at most PORTAL_QUESTION_MAX_PER_HOUR questions an hour. The count
  comes from the questions saved (they keep a keyed hash of the address, never the address), so it
  holds across all the processes of a cluster.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 — a form field name, not a secret
_SALT = "portal.question.form"


def min_fill_seconds() -> int:
    return int(getattr(settings, "PORTAL_QUESTION_MIN_FILL_SECONDS", 5))


def form_max_age() -> int:
    return int(getattr(settings, "PORTAL_QUESTION_FORM_MAX_AGE", 2 * 3600))


def max_per_hour() -> int:
    return int(getattr(settings, "PORTAL_QUESTION_MAX_PER_HOUR", 3))


def issue_token(now: float | None = None) -> str:
    return signing.dumps({"t": now if now is not None else time.time()}, salt=_SALT)


def check_token(token: str, now: float | None = None) -> str | None:
    """An error message, or None when the form was filled in a plausible time."""
    now = now if now is not None else time.time()
    try:
        issued = float(signing.loads(token or "", salt=_SALT)["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return _("The form could not be verified. Please reload the page and send your question again.")
    if now - issued < min_fill_seconds():
        return _("The form was sent too quickly. Please check your question and send it again.")
    if now - issued > form_max_age():
        return _("The form has expired. Please send your question again.")
    return None


def ip_hash(ip: str | None) -> str:
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), ip.encode(), hashlib.sha256).hexdigest()


def check_rate(ip: str | None, now: dt.datetime | None = None) -> str | None:
    from .models import Question

    key = ip_hash(ip)
    if not key:
        return None
    since = (now or timezone.now()) - dt.timedelta(hours=1)
    if Question.objects.filter(ip_hash=key, submitted_at__gte=since).count() >= max_per_hour():
        return _(
            "Too many questions were sent from your connection in the last hour. Please try again later."
        )
    return None


def check_honeypot(data) -> str | None:
    if (data.get(HONEYPOT_FIELD) or "").strip():
        return _("Your question was not sent: the field “Leave this field empty” must stay empty.")
    return None
