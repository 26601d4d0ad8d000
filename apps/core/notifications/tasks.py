"""Celery tasks of the notifications outbox.

Delivery failures are not Celery retries: the outbox row keeps the attempt count, the last error
and the time of the next attempt, and `core.flush_outbox` (Celery beat, or `manage.py
flush_outbox`) is the retry loop. Only transient database errors are retried by Celery.
"""

from celery import shared_task
from django.db import DatabaseError

from . import service


@shared_task(
    name="core.deliver_message",
    acks_late=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_message(pk: int) -> str:
    """Deliver one outbox message; running it twice sends it once."""
    return service.deliver(pk)


@shared_task(name="core.flush_outbox", acks_late=True)
def flush_outbox_task() -> dict:
    """Scheduled retry loop: deliver every queued message that is due."""
    return service.flush_outbox()
