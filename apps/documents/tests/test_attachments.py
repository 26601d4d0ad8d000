"""Attachments: received with an incoming document; appendices of an outgoing document signed by
the organisation top right of page 1 at issue (B4) and delivered with it on the platform."""

import datetime as dt
import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from apps.core.signing import trust_roots, verify_pdf
from apps.documents import services
from apps.documents.models import Attachment, IncomingDocument
from conftest import verified_client

from .conftest import KEY_PASSWORD, SEAL_PASSWORD

pytestmark = pytest.mark.django_db


def test_incoming_registered_with_attachments_through_the_form(client, actors, doc_types, pdf_bytes):
    c = verified_client(client, actors["clerk"])
    response = c.post(
        reverse("documents:incoming_create"),
        {
            "doc_type": doc_types["BC"].pk,
            "sender_name": "Sở Tài chính",
            "summary": "Báo cáo kèm phụ lục",
            "urgency": "normal",
            "confidentiality": "normal",
            "pages": 2,
            "file": SimpleUploadedFile("bao-cao.pdf", pdf_bytes),
            "attachments": [
                SimpleUploadedFile("phu-luc-1.pdf", pdf_bytes),
                SimpleUploadedFile("phu-luc-2.pdf", pdf_bytes),
            ],
        },
    )
    assert response.status_code == 302
    doc = IncomingDocument.objects.get()
    assert [a.file.original_name for a in doc.attachments.all()] == ["phu-luc-1.pdf", "phu-luc-2.pdf"]
    page = c.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert "phu-luc-2.pdf" in page
    attachment = doc.attachments.first()
    assert c.get(reverse("core:file_download", args=[attachment.file.pk])).status_code == 200
    other = verified_client(Client(), actors["other_clerk"])
    assert other.get(reverse("core:file_download", args=[attachment.file.pk])).status_code == 404


def test_a_disguised_attachment_refuses_the_whole_registration(actors, tree, doc_types):
    fake = SimpleUploadedFile("phu-luc.pdf", b"PK\x03\x04" + b"\0" * 200)
    with pytest.raises(services.DocumentError):
        services.register_incoming(
            actors["clerk"],
            organization=tree["agency"],
            doc_type=doc_types["BC"],
            sender_name="A",
            summary="B",
            attachments=[fake],
        )
    assert IncomingDocument.objects.count() == 0 and Attachment.objects.count() == 0


def test_appendix_is_signed_top_right_at_issue_and_delivered(actors, tree, doc_types, pdf_bytes):
    from pyhanko.pdf_utils.reader import PdfFileReader

    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["KH"],
        summary="Kế hoạch kèm phụ lục",
        composition={"body": "Nội dung", "signer_name": "Đinh Khắc Tuấn", "signer_title": "Giám đốc"},
        attachments=[SimpleUploadedFile("phu-luc.pdf", pdf_bytes)],
    )
    services.add_attachment(
        actors["specialist"], draft, upload=SimpleUploadedFile("bang-tinh.pdf", pdf_bytes)
    )
    services.submit_for_review(actors["specialist"], draft, reviewers=[actors["leader"]])
    services.review(actors["leader"], draft, approve=True)
    with pytest.raises(services.DocumentError, match="phụ lục"):  # approved: the appendices are fixed
        services.add_attachment(actors["specialist"], draft, upload=SimpleUploadedFile("muon.pdf", pdf_bytes))
    services.number_outgoing(actors["clerk"], draft, on=dt.date(2022, 5, 4))
    services.sign_outgoing(actors["leader"], draft, code="code0", key_password=KEY_PASSWORD)
    services.issue_outgoing(
        actors["clerk"], draft, internal=[tree["other_unit"]], code="code1", seal_password=SEAL_PASSWORD
    )
    attachments = list(draft.attachments.select_related("file", "signed_file"))
    assert len(attachments) == 2
    for attachment in attachments:
        original = services.read_bytes(attachment.file)
        assert (
            hashlib.sha256(original).hexdigest()
            == attachment.file.sha256
            == hashlib.sha256(pdf_bytes).hexdigest()
        )
        signed = services.read_bytes(attachment.signed_file)
        assert signed.startswith(original)  # incremental: the appendix as drafted stays inside, intact
        (report,) = verify_pdf(signed, trust_roots())
        assert report.verdict == "valid" and report.signer_name == "Sở KH&CN"
        (sig,) = PdfFileReader(BytesIO(signed)).embedded_signatures
        field = sig.sig_field
        rect = field.get("/Rect") or field["/Kids"][0].get_object()["/Rect"]
        assert float(rect[2]) > 500 and float(rect[3]) > 780  # top right of page 1 (A4)
    delivered = IncomingDocument.objects.get(source_outgoing=draft)
    assert sorted(a.file_id for a in delivered.attachments.all()) == sorted(
        a.signed_file_id for a in attachments
    )
    other = verified_client(Client(), actors["other_clerk"])
    assert other.get(reverse("core:file_download", args=[attachments[0].signed_file.pk])).status_code == 200
    assert other.get(reverse("core:file_download", args=[attachments[0].file.pk])).status_code == 404
