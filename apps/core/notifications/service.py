"""The notifications outbox: write a message with its cause, deliver it after commit, retry failures.

    notify(event, user=..., channel=...)   render the active template, write an OutboxMessage in the
                                           caller's transaction, schedule delivery on commit
    deliver(pk)                            one delivery attempt (idempotent; used by the task)
    flush_outbox(now=None)                 the retry loop: every queued message that is due
    retry_failed(pk)                       an administrator puts a failed message back in the queue

A message exists if and only if its cause was committed; a rolled-back cause sends nothing.
Delivery is at least once: if the process dies between the channel accepting a message and the
commit of its SENT status, the next attempt sends it again.
"""

import base64
import datetime
import functools
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.utils import timezone, translation

from apps.core.events import emit as record

from .channels import DeliveryError, get_channel
from .models import Channel, MessageStatus, NotificationTemplate, OutboxMessage

logger = logging.getLogger(__name__)

DEFAULT_MAX_ATTEMPTS = 8
BACKOFF_CAP = datetime.timedelta(hours=6)

# Outcomes of one delivery attempt (the keys of flush_outbox's counts).
SENT = "sent"
RETRYING = "retrying"
FAILED = "failed"
SKIPPED = "skipped"


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before the next attempt after `attempts` failures: 1, 2, 4, 8… minutes, at most 6 hours."""
    exponent = max(attempts - 1, 0)
    if exponent >= 9:  # 2**9 minutes is already past the cap; avoid huge numbers
        return BACKOFF_CAP
    return min(datetime.timedelta(minutes=2**exponent), BACKOFF_CAP)


# ---------------------------------------------------------------- rendering


@functools.cache
def _text_engine() -> Engine:
    """The project's template engine settings (tag libraries included) but without autoescaping.

    Messages are plain text (e-mail bodies, SMS, in-app text); HTML pages escape them on output.
    """
    base = engines["django"].engine
    return Engine(autoescape=False, libraries=base.libraries, debug=False)


def render_text(source: str, context: dict) -> str:
    with translation.override(settings.LANGUAGE_CODE):  # Vietnamese dates and numbers whatever the caller
        return _text_engine().from_string(source).render(Context(context, autoescape=False))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:255]


def base_context(user=None) -> dict:
    """Variables every template may use, besides those the caller passes."""
    return {
        "user": user,
        "platform_name": getattr(settings, "PLATFORM_NAME", ""),
        "department_name": getattr(settings, "DEPARTMENT_NAME", ""),
    }


def _recipient_for(channel: str, user, recipient: str | None) -> str:
    if recipient:
        return recipient
    if user is None:
        return ""
    if channel == Channel.EMAIL:
        return user.email or ""
    if channel == Channel.SMS:
        return getattr(user, "phone", "") or ""
    return user.get_username()


# ---------------------------------------------------------------- notify


def notify(
    event: str,
    *,
    user=None,
    recipient: str | None = None,
    channel: str = Channel.EMAIL,
    context: dict | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> OutboxMessage | None:
    """Queue the `event` notification for `user` (or a bare `recipient` address) on `channel`.

    `attachments` are (filename, content, mimetype) triples, sent with e-mail only; keep them small
    (they live in the outbox row).

    Call it inside the service's transaction: the message is written there and delivered only
    after commit. Returns None (and logs) when there is nothing to send: no active template for
    (event, channel), no address for the channel, or an in-app message without an account.
    """
    template = NotificationTemplate.objects.filter(event=event, channel=channel, is_active=True).first()
    if template is None:
        logger.info("Notification %s/%s not sent: no active template.", event, channel)
        return None
    if channel == Channel.IN_APP and user is None:
        logger.info(
            "Notification %s/%s not sent: an in-app message needs a recipient account.", event, channel
        )
        return None
    address = _recipient_for(channel, user, recipient)
    if not address:
        logger.info("Notification %s/%s not sent: %s has no address for this channel.", event, channel, user)
        return None

    ctx = {**base_context(user), **(context or {})}
    try:
        subject = _one_line(render_text(template.subject, ctx))
        body = render_text(template.body, ctx)
    except TemplateSyntaxError:
        # An administrator's typo in a template must not roll back the business change that notifies.
        logger.exception("Notification %s/%s not sent: its template does not compile.", event, channel)
        return None

    with transaction.atomic():
        message = OutboxMessage.objects.create(
            event=event,
            channel=channel,
            recipient=address[:255],
            recipient_user=user,
            subject=subject,
            body=body,
            attachments=[
                {"filename": name, "mimetype": mimetype, "content": base64.b64encode(content).decode()}
                for name, content, mimetype in attachments or []
            ],
        )
        _deliver_on_commit(message.pk)
    return message


def _deliver_on_commit(pk: int) -> None:
    from .tasks import deliver_message  # the task module imports this one

    # robust: a broker outage must not break the committed request; flush_outbox picks the message up.
    transaction.on_commit(lambda: deliver_message.delay(pk), robust=True)


# ---------------------------------------------------------------- delivery


def deliver(pk: int, *, due_before: datetime.datetime | None = None) -> str:
    """One delivery attempt of message `pk`; returns SENT, RETRYING, FAILED or SKIPPED.

    Idempotent: a message already sent (or failed for good, or locked by another worker, or
    not yet due when `due_before` is given) is skipped.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if message is None:  # gone, or another worker holds it right now
            return SKIPPED
        if message.status != MessageStatus.QUEUED:
            return SKIPPED
        if due_before is not None and message.next_attempt_at and message.next_attempt_at > due_before:
            return SKIPPED
        try:
            get_channel(message.channel).deliver(message)
        except DeliveryError as exc:
            return _failed(message, exc.reason, permanent=exc.permanent)
        except Exception as exc:  # a bug or an unexpected backend error must still count as an attempt
            logger.exception("Unexpected error delivering outbox message %s", pk)
            return _failed(message, f"Lỗi không xác định: {exc!r}", permanent=False)
        message.status = MessageStatus.SENT
        message.attempts += 1
        message.sent_at = timezone.now()
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "sent_at", "next_attempt_at"])
        return SENT


def _failed(message: OutboxMessage, reason: str, *, permanent: bool) -> str:
    message.attempts += 1
    message.last_error = reason
    if permanent or message.attempts >= max_attempts():
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
        outcome = FAILED
        logger.warning(
            "Outbox message %s failed for good after %s attempt(s): %s", message.pk, message.attempts, reason
        )
    else:
        message.next_attempt_at = timezone.now() + backoff(message.attempts)
        outcome = RETRYING
        logger.info(
            "Outbox message %s attempt %s failed, retry at %s: %s",
            message.pk,
            message.attempts,
            message.next_attempt_at,
            reason,
        )
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    return outcome


def due_messages(now: datetime.datetime | None = None):
    """Queued messages whose next attempt is unset (never tried) or has come."""
    now = now or timezone.now()
    return OutboxMessage.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), status=MessageStatus.QUEUED
    )


def flush_outbox(now: datetime.datetime | None = None, *, limit: int = 500) -> dict:
    """Deliver every queued message that is due (next attempt unset or ≤ now); the retry loop.

    Returns the number of messages per outcome: {"sent", "retrying", "failed", "skipped"}.
    """
    now = now or timezone.now()
    counts = {SENT: 0, RETRYING: 0, FAILED: 0, SKIPPED: 0}
    pks = list(due_messages(now).order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in pks:
        counts[deliver(pk, due_before=now)] += 1
    if pks:
        logger.info("Outbox flushed: %s", counts)
    return counts


def retry_failed(pk: int, *, actor=None) -> OutboxMessage | None:
    """Put a FAILED message back in the queue with a fresh set of attempts; None if it was not failed.

    With an `actor` (an administrator acting in the admin), the change permission is required and
    an audit event is written.
    """
    if actor is not None and not actor.has_perm("core.change_outboxmessage"):
        raise PermissionDenied
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status != MessageStatus.FAILED:
            return None
        previous = message.attempts
        message.status = MessageStatus.QUEUED
        message.attempts = 0
        message.next_attempt_at = None
        message.save(update_fields=["status", "attempts", "next_attempt_at"])
        record(
            "notification_retried",
            message,
            actor=actor,
            note=f"Gửi lại sau {previous} lần thất bại. Lỗi cuối: {message.last_error}"[:1000],
        )
        _deliver_on_commit(message.pk)
    return message
