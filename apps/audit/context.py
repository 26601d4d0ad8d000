"""Per-request context (actor, address, request id) for audit events, kept in contextvars."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditContext:
    request_id: str = ""
    ip_address: str | None = None
    actor: object | None = None


EMPTY = AuditContext()
_current: ContextVar[AuditContext | None] = ContextVar("audit_context", default=None)


def current() -> AuditContext:
    return _current.get() or EMPTY


def set_context(ctx: AuditContext):
    return _current.set(ctx)


def reset_context(token) -> None:
    _current.reset(token)
