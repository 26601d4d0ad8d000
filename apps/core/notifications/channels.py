"""Delivery channels of the notifications outbox.

A channel takes one `OutboxMessage` and delivers it: `deliver(message) -> None`, raising
`DeliveryError` when it cannot. The outbox service (service.py) decides what a failure means
(retry later or give up); channels only deliver and explain failures in Vietnamese, because the
reason is shown to administrators as the message's last error.
"""

import base64
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils.module_loading import import_string

from .models import Channel

logger = logging.getLogger(__name__)

# Used when EMAIL_TIMEOUT is not set, so a hung SMTP server cannot hold a worker (and the row lock).
DEFAULT_EMAIL_TIMEOUT = 30


class DeliveryError(Exception):
    """A message could not be delivered. `permanent` failures are not retried."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class BaseChannel:
    """What every channel implements."""

    def deliver(self, message) -> None:
        raise NotImplementedError


class EmailChannel(BaseChannel):
    """Plain-text e-mail through the configured EMAIL_BACKEND (SMTP in production, console by default)."""

    def deliver(self, message) -> None:
        if not message.recipient:
            raise DeliveryError("Thư không có địa chỉ người nhận.", permanent=True)
        options = {} if getattr(settings, "EMAIL_TIMEOUT", None) else {"timeout": DEFAULT_EMAIL_TIMEOUT}
        try:
            connection = get_connection(fail_silently=False, **options)
            email = EmailMessage(
                subject=message.subject,
                body=message.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[message.recipient],
                connection=connection,
            )
            for item in message.attachments or []:
                email.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
            sent = email.send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            permanent = bool(codes) and all(code >= 500 for code in codes)
            raise DeliveryError(
                f"Máy chủ thư từ chối người nhận: {exc.recipients}", permanent=permanent
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, TLS, auth, 4xx/5xx replies
            raise DeliveryError(f"Không gửi được e-mail: {exc!r}") from exc
        if not sent:
            raise DeliveryError("Máy chủ thư không nhận thư (không có thư nào được gửi).")


class InAppChannel(BaseChannel):
    """The message row is the inbox item: delivering makes it visible to its recipient account."""

    def deliver(self, message) -> None:
        if message.recipient_user_id is None:
            raise DeliveryError(
                "Thông báo trong hệ thống không gắn với tài khoản người nhận.", permanent=True
            )


class SmsGateway:
    """Interface of an SMS gateway named by the SMS_BACKEND setting (a dotted class path).

    A gateway is constructed without arguments (it reads its own settings) and sends one text;
    it raises `DeliveryError` (or any exception) when the gateway does not accept it.
    """

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class SmsChannel(BaseChannel):
    """SMS through the gateway named by SMS_BACKEND. Without a gateway the message fails: no fake success."""

    NOT_CONFIGURED = "Chưa cấu hình cổng gửi SMS."

    def gateway(self) -> SmsGateway:
        path = getattr(settings, "SMS_BACKEND", "") or ""
        if not path:
            raise DeliveryError(self.NOT_CONFIGURED, permanent=True)
        try:
            return import_string(path)()
        except ImportError as exc:
            raise DeliveryError(f"Không nạp được cổng gửi SMS “{path}”: {exc}", permanent=True) from exc

    def deliver(self, message) -> None:
        if not message.recipient:
            raise DeliveryError("Tin nhắn không có số điện thoại người nhận.", permanent=True)
        gateway = self.gateway()
        try:
            gateway.send(message.recipient, message.body)
        except DeliveryError:
            raise
        except Exception as exc:
            raise DeliveryError(f"Cổng gửi SMS báo lỗi: {exc!r}") from exc


CHANNELS: dict[str, BaseChannel] = {
    Channel.EMAIL: EmailChannel(),
    Channel.SMS: SmsChannel(),
    Channel.IN_APP: InAppChannel(),
}


def get_channel(channel: str) -> BaseChannel:
    try:
        return CHANNELS[channel]
    except KeyError:
        raise DeliveryError(f"Kênh gửi không được hỗ trợ: {channel}", permanent=True) from None
