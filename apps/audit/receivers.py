"""Field-level diffs computed by django-auditlog enter the same hash-chained timeline."""

from auditlog.signals import post_log
from django.dispatch import receiver

from apps.core.events import business_event

from .services import record

ACTIONS = {0: "created", 1: "updated", 2: "deleted", 3: "accessed"}


@receiver(post_log)
def chain_field_changes(sender, instance, action, log_entry=None, error=None, **kwargs):
    if error is not None or log_entry is None:
        return
    record(f"fields_{ACTIONS.get(action, 'changed')}", instance, changes=log_entry.changes_dict or {})


@receiver(business_event)
def chain_business_event(sender, verb, obj=None, actor=None, note="", changes=None, **kwargs):
    """Events sent by core (`apps.core.events.emit`): core cannot import this app (layers)."""
    record(verb, obj, actor=actor, note=note, changes=changes or {})
