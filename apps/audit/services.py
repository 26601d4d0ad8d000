"""Write side of the audit trail: `record()` is the only way an event is written."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .context import current
from .models import GENESIS_HASH, AuditEvent, AuditHead


def record(verb: str, obj=None, *, actor=None, note: str = "", changes: dict | None = None) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    Call it from a service, after the state change and in the same transaction, so that the
    event exists if and only if the change does.
    """
    ctx = current()
    actor = actor if actor is not None else ctx.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        event = AuditEvent(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor=actor,
            actor_repr=str(actor) if actor else "",
            ip_address=ctx.ip_address,
            request_id=ctx.request_id,
            content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            object_id=str(obj.pk) if obj is not None else "",
            object_repr=str(obj)[:255] if obj is not None else "",
            verb=verb,
            note=note,
            changes=changes or {},
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save()
        AuditHead.objects.filter(id=1).update(last_seq=event.seq, last_hash=event.hash)
    return event


def record_access(verb: str, obj, *, actor, note: str = "", within: dt.timedelta) -> AuditEvent | None:
    """Record that `actor` looked at `obj`, unless the same look (verb, object, actor, note) was
    already recorded less than `within` ago: reading a page ten times in a minute is one event.

    The check runs under the chain's lock, so two parallel requests never both record it."""
    ctx = current()
    actor = actor if actor is not None else ctx.actor
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    with transaction.atomic():
        AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
        )
        recent = AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            verb=verb,
            actor=actor,
            note=note,
            at__gte=timezone.now() - within,
        )
        if recent.exists():
            return None
        return record(verb, obj, actor=actor, note=note)
