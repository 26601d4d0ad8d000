"""Sign-in lockout per address across usernames, on top of django-axes' per-(username, address) one.

Axes compares every lockout parameter with one AXES_FAILURE_LIMIT, so adding "ip_address" to
AXES_LOCKOUT_PARAMETERS would lock a whole office (one NAT address) after 5 typos. This handler
keeps axes' records and its lockout page, and also locks an address once its failures over all
usernames within the cool-off reach CQS_LOGIN_FAILURES_PER_ADDRESS: trying one password against
many accounts stops there. `manage.py axes_reset_ip <address>` lifts it, like any axes lockout.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        per_address = getattr(settings, "CQS_LOGIN_FAILURES_PER_ADDRESS", 0)
        if per_address and self.address_failures(request) >= per_address:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    @staticmethod
    def address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
