import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .twofactor import has_confirmed_device

# Paths an authenticated but not yet two-factor-verified user may still open.
OPEN_PREFIXES = ("/static/", "/i18n/", "/api/", "/favicon")


class IdleTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen")
            if last_seen and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request, _("Your session ended after a period of inactivity. Please sign in again.")
                )
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
            # Rewriting the session on every request costs a write per page (measured-scale.md);
            # refreshed at most every REFRESH seconds, the timeout is exact to within that.
            if not last_seen or now - last_seen >= min(60, max(settings.SESSION_IDLE_TIMEOUT // 10, 1)):
                request.session["last_seen"] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Holds a signed-in user at the two-factor step until it is passed.

    A user with a confirmed device must enter a code; a user whose role requires two factors
    and who has no device must enrol (in demo mode enrolment is offered, not forced).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(OPEN_PREFIXES):
            allowed = {
                reverse("accounts:verify"),
                reverse("accounts:setup"),
                reverse("accounts:logout"),
            }
            if request.path not in allowed:
                if has_confirmed_device(user):
                    return redirect(f"{reverse('accounts:verify')}?next={request.path}")
                if user.requires_two_factor and not settings.DEMO_MODE:
                    return redirect(reverse("accounts:setup"))
        return self.get_response(request)
