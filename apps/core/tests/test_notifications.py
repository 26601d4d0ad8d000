"""Notifications outbox: written with its cause, delivered after commit, retried until delivered."""

import datetime
import email
import email.policy
import logging
import socket
import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.audit.services import record
from apps.core.notifications import service
from apps.core.notifications.channels import SmsChannel, SmsGateway
from apps.core.notifications.defaults import ensure_default_templates
from apps.core.notifications.models import Channel, MessageStatus, NotificationTemplate, OutboxMessage
from apps.core.notifications.service import deliver, flush_outbox, notify, retry_failed
from apps.core.notifications.tasks import deliver_message
from apps.organizations.roles import Role

pytestmark = pytest.mark.django_db

SUBJECT = "Hồ sơ {{ code }} đã được tiếp nhận — Sở KH&CN"


@pytest.fixture
def templates(db):
    # Apps install their own default templates when the database is migrated; these tests set theirs.
    NotificationTemplate.objects.update_or_create(
        event="dossier_received",
        channel=Channel.EMAIL,
        defaults={
            "subject": SUBJECT,
            "body": "Kính gửi {{ user.full_name }},\nHồ sơ {{ code }} của {{ org }} đã được tiếp nhận.",
        },
    )
    NotificationTemplate.objects.update_or_create(
        event="dossier_received",
        channel=Channel.IN_APP,
        defaults={
            "subject": "Hồ sơ {{ code }} đã được tiếp nhận",
            "body": "Hồ sơ {{ code }} <đã> được tiếp nhận.",
        },
    )
    NotificationTemplate.objects.update_or_create(
        event="dossier_received",
        channel=Channel.SMS,
        defaults={"subject": "", "body": "Ho so {{ code }} da duoc tiep nhan."},
    )


@pytest.fixture
def user(make_user):
    return make_user(Role.SPECIALIST, username="nguoi-nhan")


def queue_email(user, code="H-001"):
    """A queued e-mail message, as notify() writes it (no commit happens inside a db test)."""
    return notify("dossier_received", user=user, context={"code": code, "org": "Sở KH&CN"})


class BrokenBackend(BaseEmailBackend):
    """An e-mail backend whose server is unreachable."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


class FakeGateway(SmsGateway):
    sent: list = []

    def send(self, phone, text):
        FakeGateway.sent.append((phone, text))


# ---------------------------------------------------------------- written with its cause


def test_message_is_written_in_the_callers_transaction_and_sent_after_commit(
    templates, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        message = queue_email(user)
        # Written now, in this transaction; nothing sent before commit.
        assert OutboxMessage.objects.get(pk=message.pk).status == MessageStatus.QUEUED
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()  # the commit runs deliver_message.delay(pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_rolled_back_cause_writes_and_sends_nothing(templates, user, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record("dossier_received", user)  # the cause, audited in the same transaction
        queue_email(user)
        raise RuntimeError("the service fails after notifying")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(verb="dossier_received").exists()
    assert mail.outbox == []


def test_delivered_after_commit(templates, user, django_capture_on_commit_callbacks, settings):
    settings.DEFAULT_FROM_EMAIL = "Chính quyền số <no-reply@skhcn.daklak.gov.vn>"
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue_email(user)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.sent_at is not None
    assert message.recipient == user.email
    [sent] = mail.outbox
    assert sent.to == [user.email]
    assert sent.from_email == settings.DEFAULT_FROM_EMAIL
    # Plain text: no HTML escaping of "&" or quotes.
    assert sent.subject == "Hồ sơ H-001 đã được tiếp nhận — Sở KH&CN"
    assert sent.body == f"Kính gửi {user.full_name},\nHồ sơ H-001 của Sở KH&CN đã được tiếp nhận."


def test_no_active_template_means_nothing_to_send(templates, user, caplog):
    with caplog.at_level(logging.INFO, logger="apps.core.notifications.service"):
        assert notify("no_such_event", user=user) is None
        NotificationTemplate.objects.filter(channel=Channel.EMAIL).update(is_active=False)
        assert queue_email(user) is None
    assert "no active template" in caplog.text
    assert not OutboxMessage.objects.exists()


def test_user_without_email_gets_no_email(templates, user, caplog):
    user.email = ""
    user.save()
    with caplog.at_level(logging.INFO, logger="apps.core.notifications.service"):
        assert queue_email(user) is None
    assert "has no address" in caplog.text
    assert not OutboxMessage.objects.exists()
    # An explicit address is used even without an account.
    message = notify("dossier_received", recipient="congdan@example.vn", context={"code": "X"})
    assert (message.recipient, message.recipient_user) == ("congdan@example.vn", None)


def test_broken_template_does_not_break_the_cause(user, caplog):
    NotificationTemplate.objects.create(event="broken", channel=Channel.EMAIL, body="{% if %}")
    with caplog.at_level(logging.ERROR, logger="apps.core.notifications.service"):
        assert notify("broken", user=user) is None
    assert "does not compile" in caplog.text


# ---------------------------------------------------------------- retried until delivered (real SMTP)


class RecordingHandler:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_outbox_delivery_retried_after_smtp_failure_and_delivered_once_it_comes_back(
    templates, user, settings
):
    from aiosmtpd.controller import Controller

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    message = queue_email(user)

    # The server is down: the attempt fails and is scheduled again.
    before = timezone.now()
    assert deliver(message.pk) == service.RETRYING
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert "Connection refused" in message.last_error or "111" in message.last_error
    assert message.next_attempt_at > before
    assert message.next_attempt_at - before >= datetime.timedelta(minutes=1) - datetime.timedelta(seconds=5)

    # Not due yet: the retry loop leaves it alone.
    assert flush_outbox(now=message.next_attempt_at - datetime.timedelta(seconds=1)) == {
        "sent": 0,
        "retrying": 0,
        "failed": 0,
        "skipped": 0,
    }
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)

    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        counts = flush_outbox(now=message.next_attempt_at + datetime.timedelta(seconds=1))
        assert flush_outbox(now=message.next_attempt_at + datetime.timedelta(hours=1))["sent"] == 0
    finally:
        controller.stop()

    assert counts["sent"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.sent_at is not None
    assert message.next_attempt_at is None
    assert len(handler.messages) == 1
    envelope = handler.messages[0]
    assert envelope.rcpt_tos == [user.email]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert b"=?utf-8?" in envelope.content  # RFC 2047 encoded words on the wire
    # Django folds the long encoded header onto a continuation line; unfolding leaves one leading space.
    assert received["Subject"].strip() == "Hồ sơ H-001 đã được tiếp nhận — Sở KH&CN"
    assert "Hồ sơ H-001 của Sở KH&CN đã được tiếp nhận." in received.get_content()


def test_backoff_doubles_from_one_minute_up_to_six_hours():
    minutes = [service.backoff(n).total_seconds() / 60 for n in range(1, 13)]
    assert minutes == [1, 2, 4, 8, 16, 32, 64, 128, 256, 360, 360, 360]
    assert service.backoff(1000) == datetime.timedelta(hours=6)


def test_max_attempts_marks_failed_and_an_administrator_can_retry(templates, user, users, settings):
    settings.EMAIL_BACKEND = "apps.core.tests.test_notifications.BrokenBackend"
    settings.NOTIFY_MAX_ATTEMPTS = 3
    message = queue_email(user)
    outcomes = []
    delays = []
    for _ in range(3):
        start = timezone.now()
        outcomes.append(deliver(message.pk))
        message.refresh_from_db()
        if message.next_attempt_at:
            delays.append(round((message.next_attempt_at - start).total_seconds() / 60))
    assert outcomes == [service.RETRYING, service.RETRYING, service.FAILED]
    assert delays == [1, 2]
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.FAILED, 3, None)
    assert "Connection refused" in message.last_error
    # A failed message is out of the retry loop.
    assert flush_outbox(now=timezone.now() + datetime.timedelta(days=1))["failed"] == 0

    # Only someone who may change outbox messages can put it back.
    with pytest.raises(PermissionDenied):
        retry_failed(message.pk, actor=users[Role.SPECIALIST])
    assert retry_failed(message.pk) is not None
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (MessageStatus.QUEUED, 0, None)
    assert message.last_error  # kept for the record
    assert AuditEvent.objects.filter(verb="notification_retried", object_id=str(message.pk)).exists()
    assert retry_failed(message.pk) is None  # not failed (any more): nothing to do

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert flush_outbox()["sent"] == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1


def test_unexpected_error_counts_as_an_attempt(templates, user, monkeypatch):
    message = queue_email(user)

    def boom(self, message):
        raise ValueError("bug")

    monkeypatch.setattr("apps.core.notifications.channels.EmailChannel.deliver", boom)
    assert deliver(message.pk) == service.RETRYING
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "ValueError" in message.last_error


# ---------------------------------------------------------------- SMS and in-app


def test_sms_without_a_gateway_fails_with_a_vietnamese_reason(templates, user, settings):
    settings.SMS_BACKEND = ""
    user.phone = "0912345678"
    user.save()
    message = notify("dossier_received", user=user, channel=Channel.SMS, context={"code": "H-9"})
    assert message.recipient == "0912345678"
    assert deliver(message.pk) == service.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED  # never a faked success
    assert message.sent_at is None
    assert message.last_error == SmsChannel.NOT_CONFIGURED == "Chưa cấu hình cổng gửi SMS."


def test_sms_goes_through_the_configured_gateway(templates, user, settings):
    settings.SMS_BACKEND = "apps.core.tests.test_notifications.FakeGateway"
    FakeGateway.sent.clear()
    message = notify(
        "dossier_received", user=user, recipient="0987654321", channel=Channel.SMS, context={"code": "H-9"}
    )
    assert deliver(message.pk) == service.SENT
    assert FakeGateway.sent == [("0987654321", "Ho so H-9 da duoc tiep nhan.")]


def test_in_app_message_needs_an_account(templates, user):
    assert notify("dossier_received", channel=Channel.IN_APP, recipient="ai-do") is None
    message = notify("dossier_received", user=user, channel=Channel.IN_APP, context={"code": "H-2"})
    assert (message.recipient, message.recipient_user) == (user.username, user)
    assert deliver(message.pk) == service.SENT


# ---------------------------------------------------------------- idempotency, tasks, command


def test_delivering_twice_sends_one_email(templates, user):
    message = queue_email(user)
    assert deliver(message.pk) == service.SENT
    assert deliver(message.pk) == service.SKIPPED
    deliver_message.delay(message.pk)  # a redelivered task (acks_late) is harmless too
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.attempts == 1


def test_tasks_are_registered_under_their_names():
    from config.celery import app

    assert app.tasks["core.deliver_message"].acks_late
    assert "core.flush_outbox" in app.tasks


def test_flush_task_and_command_share_one_entry_point(templates, user):
    from apps.core.notifications.tasks import flush_outbox_task

    queue_email(user, "H-1")
    assert flush_outbox_task.delay().get() == {"sent": 1, "retrying": 0, "failed": 0, "skipped": 0}
    queue_email(user, "H-2")
    out = StringIO()
    call_command("flush_outbox", stdout=out)
    assert "Đã gửi: 1; chờ gửi lại: 0; thất bại: 0; bỏ qua: 0." in out.getvalue()
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_message_locked_by_another_worker_is_skipped_not_sent_twice(templates, user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks)")
    # Written directly: with real commits, notify() would already have delivered it.
    message = OutboxMessage.objects.create(
        event="dossier_received", channel=Channel.EMAIL, recipient=user.email, recipient_user=user, body="x"
    )
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        from django.db import connections

        try:
            with transaction.atomic():
                OutboxMessage.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        assert deliver(message.pk) == service.SKIPPED
    finally:
        release.set()
        thread.join()
    assert mail.outbox == []
    assert deliver(message.pk) == service.SENT


# ---------------------------------------------------------------- inbox, admin, defaults


def test_inbox_shows_own_in_app_messages_only(templates, users, client):
    from conftest import verified_client

    me, other = users[Role.SPECIALIST], users[Role.CLERK]
    mine = notify("dossier_received", user=me, channel=Channel.IN_APP, context={"code": "CUA-TOI"})
    theirs = notify("dossier_received", user=other, channel=Channel.IN_APP, context={"code": "NGUOI-KHAC"})
    notify("dossier_received", user=me, channel=Channel.IN_APP, context={"code": "CHUA-GUI"})
    for message in (mine, theirs):
        deliver(message.pk)
    emailed = queue_email(me, "THU-DIEN-TU")
    deliver(emailed.pk)

    url = reverse("core:inbox")
    assert client.get(url).status_code == 302  # sign-in required
    verified_client(client, me)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "CUA-TOI" in html
    assert "&lt;đã&gt;" in html  # plain text is escaped on the page
    assert "NGUOI-KHAC" not in html
    assert "THU-DIEN-TU" not in html  # e-mail is not an inbox item
    assert "CHUA-GUI" not in html  # not delivered yet


def test_inbox_pages(templates, users, client):
    from conftest import verified_client

    me = users[Role.SPECIALIST]
    for n in range(30):
        deliver(notify("dossier_received", user=me, channel=Channel.IN_APP, context={"code": f"P{n:02}"}).pk)
    verified_client(client, me)
    first = client.get(reverse("core:inbox")).content.decode()
    second = client.get(reverse("core:inbox") + "?page=2").content.decode()
    assert "P29" in first and "P00" not in first
    assert "P00" in second and "P29" not in second


def test_admin_lists_messages_and_retries_failed_ones(templates, user, client, settings):
    from apps.accounts.models import User
    from conftest import verified_client

    admin = User.objects.create_superuser("quan-tri", "qt@example.vn", "Mật-khẩu-123", full_name="Quản trị")
    verified_client(client, admin)
    settings.NOTIFY_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "apps.core.tests.test_notifications.BrokenBackend"
    failed = queue_email(user)
    deliver(failed.pk)
    failed.refresh_from_db()
    assert failed.status == MessageStatus.FAILED

    changelist = reverse("admin:core_outboxmessage_changelist")
    response = client.get(changelist, {"status__exact": "failed", "q": user.email})
    assert response.status_code == 200
    assert user.email in response.content.decode()
    assert client.get(reverse("admin:core_outboxmessage_change", args=[failed.pk])).status_code == 200
    assert client.get(reverse("admin:core_notificationtemplate_changelist")).status_code == 200

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(changelist, {"action": "retry", "_selected_action": [failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == MessageStatus.QUEUED
    assert AuditEvent.objects.get(verb="notification_retried").actor == admin


def test_admin_rejects_a_template_that_does_not_compile(client):
    from apps.accounts.models import User
    from conftest import verified_client

    admin = User.objects.create_superuser("quan-tri", "qt@example.vn", "Mật-khẩu-123", full_name="Quản trị")
    verified_client(client, admin)
    url = reverse("admin:core_notificationtemplate_add")
    data = {"event": "x", "channel": Channel.EMAIL, "subject": "Chào", "body": "{% if %}", "is_active": "on"}
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert not NotificationTemplate.objects.filter(event="x").exists()
    data["body"] = "Chào {{ user.full_name }}"
    assert client.post(url, data).status_code == 302
    assert NotificationTemplate.objects.get(event="x").body == "Chào {{ user.full_name }}"


def test_default_templates_are_created_once_and_never_overwrite_edits(user):
    assert ensure_default_templates() == 3
    edited = NotificationTemplate.objects.get(event="account_created", channel=Channel.EMAIL)
    edited.body = "Nội dung đã sửa"
    edited.save()
    assert ensure_default_templates() == 0
    edited.refresh_from_db()
    assert edited.body == "Nội dung đã sửa"
    assert NotificationTemplate.objects.filter(event="account_deactivated", channel=Channel.EMAIL).exists()


def test_default_templates_render_in_vietnamese(user):
    ensure_default_templates()
    created = notify(
        "account_created",
        user=user,
        context={"organization": "Sở KH&CN", "role": "Chuyên viên", "login_url": "https://cqs.example.vn/"},
    )
    assert created.subject == "Tài khoản của anh/chị trên hệ thống Chính quyền số đã được tạo"
    assert f"Tên đăng nhập: {user.username}" in created.body
    assert "Đơn vị: Sở KH&CN" in created.body
    assert "Sở Khoa học và Công nghệ tỉnh Đắk Lắk" in created.body
    gone = notify(
        "account_deactivated",
        user=user,
        context={"reason": "Nghỉ hưu", "on_date": datetime.date(2025, 7, 1), "note": ""},
    )
    assert "đã ngừng hoạt động từ ngày 01/07/2025." in gone.body
    assert "Lý do: Nghỉ hưu" in gone.body
    assert "Ghi chú" not in gone.body


@pytest.mark.django_db
def test_email_carries_small_attachments(django_capture_on_commit_callbacks):
    from django.core import mail

    from apps.core.notifications.models import NotificationTemplate
    from apps.core.notifications.service import notify

    NotificationTemplate.objects.update_or_create(
        event="meeting_invitation",
        channel=Channel.EMAIL,
        defaults={"subject": "Mời họp", "body": "Kính mời dự họp."},
    )
    ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            "meeting_invitation", recipient="a@example.vn", attachments=[("hop.ics", ics, "text/calendar")]
        )
    (email,) = mail.outbox
    assert email.attachments[0][0] == "hop.ics"
    content = email.attachments[0][1]
    assert (content.encode() if isinstance(content, str) else content) == ics
