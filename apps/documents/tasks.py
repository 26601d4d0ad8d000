"""Scheduled work: deadline reminders for incoming documents being handled.

One entry point (`remind_due_documents`) used by Celery beat (task `documents.remind_due`) and by
the management command `remind_documents`. Idempotent: a document is reminded at most once a day.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core.calendar.workdays import add_working_days_to_date
from apps.core.notifications.models import Channel
from apps.core.notifications.service import notify
from apps.organizations.roles import Role

from .models import IncomingDocument, IncomingStatus

OPEN = (IncomingStatus.ASSIGNED, IncomingStatus.IN_PROGRESS)


def remind_due_documents(today: dt.date | None = None) -> int:
    """Notify the handler (or the lead unit's heads) of documents due by the next working day or late."""
    from .services import _users_with_role

    today = today or timezone.localdate()
    horizon = add_working_days_to_date(today, 1)
    sent = 0
    due = IncomingDocument.objects.filter(
        status__in=OPEN, deadline__isnull=False, deadline__lte=horizon
    ).exclude(reminded_on=today)
    for doc in due.select_related("handler", "lead_unit"):
        with transaction.atomic():
            locked = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
            if locked.reminded_on == today:
                continue
            people = [doc.handler] if doc.handler else list(_users_with_role(doc.lead_unit, Role.UNIT_HEAD))
            event = "document_overdue" if doc.deadline < today else "document_due"
            for person in people:
                notify(event, user=person, channel=Channel.IN_APP, context={"document": doc})
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on"])
            record("incoming_reminded", locked, note=f"Hạn xử lý {doc.deadline:%d/%m/%Y}")
            sent += 1
    return sent


@shared_task(name="documents.remind_due", autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def remind_due_task() -> int:
    return remind_due_documents()
