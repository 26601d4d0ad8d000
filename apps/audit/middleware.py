import uuid

from apps.core.events import flush_lasting

from .context import AuditContext, reset_context, set_context


def client_ip(request) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is trusted only when a proxy sets it (configure in the proxy).
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        user = getattr(request, "user", None)
        token = set_context(
            AuditContext(
                request_id=request.request_id,
                ip_address=client_ip(request),
                actor=user if getattr(user, "is_authenticated", False) else None,
            )
        )
        try:
            response = self.get_response(request)
            # Failures reported inside a transaction that rolled back: recorded now, in this context.
            flush_lasting()
            return response
        finally:
            reset_context(token)
