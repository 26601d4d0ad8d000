"""Write side of the audit trail: `record()` is the only way an event is written."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from .context import current
from .models import GENESIS_HASH, AuditEvent, AuditHead


def record(verb: str, obj=None, *, actor=None, note: str = "", changes: dict | None = None) -> AuditEvent:
    """Append one event inside the caller's transaction; it is chained once that transaction commits.

    Call it from a service, after the state change and in the same transaction, so that the
    event exists if and only if the change does. No lock is taken here: unrelated writes never
    wait for each other's audit events (see AuditEvent).
    """
    ctx = current()
    actor = actor if actor is not None else ctx.actor
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = AuditEvent(
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
    )
    event.save()
    connection = transaction.get_connection()
    # Once per transaction (one chaining takes all its events). robust: the business transaction
    # has committed; a failed chaining is redone by the next one, by the nightly verification or by
    # `verify_audit`, which chain whatever is still pending.
    if not any(entry[1] is chain_pending for entry in connection.run_on_commit):
        transaction.on_commit(chain_pending, robust=True)
    return event


def chain_pending(batch: int = 1000) -> int:
    """Give every committed event still outside the chain its seq and hashes, oldest first.

    Runs in its own short transaction under the head lock; a concurrent caller waits for it and
    then finds nothing left. Returns the number of events chained."""
    chained = 0
    while True:
        with transaction.atomic():
            head, _ = AuditHead.objects.select_for_update().get_or_create(
                id=1, defaults={"last_seq": 0, "last_hash": GENESIS_HASH}
            )
            pending = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch])
            seq, prev_hash = head.last_seq, head.last_hash
            for event in pending:
                seq += 1
                event.seq, event.prev_hash = seq, prev_hash
                event.hash = event.compute_hash()
                AuditEvent.objects.filter(pk=event.pk, seq__isnull=True).update(
                    seq=seq, prev_hash=prev_hash, hash=event.hash
                )
                prev_hash = event.hash
            if pending:
                AuditHead.objects.filter(id=1).update(last_seq=seq, last_hash=prev_hash)
        chained += len(pending)
        if len(pending) < batch:
            return chained


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
