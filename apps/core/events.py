"""Business events raised by core and domain code, recorded by the audit app.

core sits below audit (DESIGN.md layers), so it never imports it: it sends this signal, and
`apps.audit.receivers` appends each event to the audit chain inside the caller's transaction.
"""

from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

business_event = Signal()  # kwargs: verb, obj, actor, note, changes

# Events of refused or failed actions, waiting for the end of the transaction they were raised in.
_lasting: ContextVar[list | None] = ContextVar("lasting_events", default=None)


def emit(verb: str, obj=None, *, actor=None, note: str = "", changes: dict | None = None) -> None:
    business_event.send(
        sender=type(obj) if obj is not None else None,
        verb=verb,
        obj=obj,
        actor=actor,
        note=note,
        changes=changes or {},
    )


def emit_lasting(verb: str, obj=None, *, actor=None, note: str = "", changes: dict | None = None) -> None:
    """An event that must outlive the rollback of the action it reports (a failed signing, a refused
    login, a rejected upload): outside a transaction it is recorded at once; inside one it is kept
    until that transaction ends — recorded right after a commit, and after a rollback by
    `flush_lasting()`, which the request middleware and the background-task hook call at the end.
    """
    event = (verb, obj, actor, note, changes)
    if not transaction.get_connection().in_atomic_block:
        emit(verb, obj, actor=actor, note=note, changes=changes)
        return
    pending = _lasting.get()
    if pending is None:
        pending = []
        _lasting.set(pending)
    pending.append(event)
    transaction.on_commit(flush_lasting)


def flush_lasting() -> int:
    """Record the kept events (each once); returns how many."""
    pending = _lasting.get()
    if not pending:
        return 0
    events, pending[:] = list(pending), []
    for verb, obj, actor, note, changes in events:
        emit(verb, obj, actor=actor, note=note, changes=changes)
    return len(events)


def discard_lasting() -> None:
    """Forget kept events (between tests: a service called outside any request)."""
    _lasting.set(None)


# Human labels of verbs, shown in the audit timeline; each module registers the verbs it records.
_labels: dict[str, str] = {
    "fields_created": _("Record created"),
    "fields_updated": _("Fields changed"),
    "fields_deleted": _("Record deleted"),
    "demo_data_seeded": _("Demo data loaded"),
}


def register_labels(labels: dict) -> None:
    _labels.update(labels)


def verb_label(verb: str) -> str:
    return _labels.get(verb, verb)
