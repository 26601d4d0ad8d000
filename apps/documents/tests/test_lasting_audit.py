"""Issue 16: a refused or failed action keeps its audit event although its transaction rolls back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.core.files.models import StoredFile
from apps.documents.models import IncomingDocument, OutgoingStatus
from conftest import verified_client

from .conftest import KEY_PASSWORD
from .test_sign_two_factor import numbered  # noqa: F401 — a numbered outgoing document

pytestmark = pytest.mark.django_db


def test_a_failed_signing_is_in_the_audit_log_and_nothing_is_signed(client, actors, numbered):  # noqa: F811
    c = verified_client(client, actors["leader"])
    url = reverse("documents:outgoing_action", args=[numbered.pk, "sign"])
    page = c.post(url, {"code": "code1", "key_password": "sai mật khẩu"}, follow=True).content.decode()
    assert "Mật khẩu khóa ký số không đúng" in page
    numbered.refresh_from_db()
    assert numbered.status == OutgoingStatus.NUMBERED and numbered.signed_file is None
    failed = AuditEvent.objects.get(verb="signing_failed")
    assert failed.object_id == str(numbered.pk) and failed.actor == actors["leader"]
    assert failed.ip_address == "127.0.0.1"  # recorded inside the request's context

    c.post(url, {"code": "000000", "key_password": KEY_PASSWORD})  # a wrong second factor
    assert AuditEvent.objects.filter(verb="two_factor_failed", actor=actors["leader"]).count() == 1
    numbered.refresh_from_db()
    assert numbered.status == OutgoingStatus.NUMBERED


def test_a_rejected_upload_is_in_the_audit_log_and_nothing_is_stored(client, actors, doc_types):
    files, docs = StoredFile.objects.count(), IncomingDocument.objects.count()
    c = verified_client(client, actors["clerk"])
    fake = SimpleUploadedFile("cong-van.pdf", b"MZ\x90\x00" + b"\0" * 300, content_type="application/pdf")
    response = c.post(
        reverse("documents:incoming_create"),
        {
            "doc_type": doc_types["BC"].pk,
            "sender_name": "UBND tỉnh",
            "summary": "Về việc chuyển đổi số",
            "urgency": "normal",
            "confidentiality": "normal",
            "pages": 1,
            "file": fake,
        },
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert (StoredFile.objects.count(), IncomingDocument.objects.count()) == (files, docs)
    rejected = AuditEvent.objects.get(verb="upload_rejected")
    assert rejected.note.startswith("cong-van.pdf: ") and rejected.actor == actors["clerk"]
