"""The notifications' share of a person's data (issue #16): the messages sent to their account, and
how long delivered messages are kept. Registered by `apps.core.apps`."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from apps.core.personal_data import Part, PartData, Retention

from .models import MessageStatus, OutboxMessage

# Default to be confirmed (no legal period found): a delivered or failed message is deleted after a
# year; the dossier or document it was about keeps its own history.
MESSAGE_DAYS = 365


def collect(user) -> PartData:
    messages = OutboxMessage.objects.filter(recipient_user=user).order_by("pk")
    return PartData(
        records=[
            {
                "channel": m.get_channel_display(),
                "to": m.recipient,
                "subject": m.subject,
                "body": m.body,
                "status": m.get_status_display(),
                "created_at": m.created_at,
                "sent_at": m.sent_at,
            }
            for m in messages.iterator()
        ]
    )


def finished_before(cutoff: dt.datetime):
    return OutboxMessage.objects.filter(
        status__in=(MessageStatus.SENT, MessageStatus.FAILED), created_at__lt=cutoff
    ).order_by("pk")


def purge_message(message: OutboxMessage) -> list:
    OutboxMessage.objects.filter(pk=message.pk).delete()
    return []


PART = Part("notifications", _("Notifications"), collect, order=40)
RETENTION = Retention(
    key="core.notification",
    title=_("Sent message"),
    default_days=MESSAGE_DAYS,
    basis="Default (1 year after sending), to be confirmed.",
    due=finished_before,
    purge=purge_message,
    audit_each=False,  # a message's text names its recipient: one event for the run, no copy
)
