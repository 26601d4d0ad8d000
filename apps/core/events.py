"""Business events raised by core and domain code, recorded by the audit app.

core sits below audit (DESIGN.md layers), so it never imports it: it sends this signal, and
`apps.audit.receivers` appends each event to the audit chain inside the caller's transaction.
"""

from django.dispatch import Signal

business_event = Signal()  # kwargs: verb, obj, actor, note, changes


def emit(verb: str, obj=None, *, actor=None, note: str = "", changes: dict | None = None) -> None:
    business_event.send(
        sender=type(obj) if obj is not None else None,
        verb=verb,
        obj=obj,
        actor=actor,
        note=note,
        changes=changes or {},
    )
