"""Business events raised by core and domain code, recorded by the audit app.

core sits below audit (DESIGN.md layers), so it never imports it: it sends this signal, and
`apps.audit.receivers` appends each event to the audit chain inside the caller's transaction.
"""

from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

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
