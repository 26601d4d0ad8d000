"""Issue #17, documents side (point 4): hostile PDFs on the verification page and at registration
give a Vietnamese message, never a 500, and registration keeps nothing (no row, no byte)."""

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.core.files.models import StoredFile
from apps.core.signing import pki, sign_pdf
from apps.core.signing.keys import Pkcs12Key
from apps.documents.models import Attachment, IncomingDocument
from conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""
    return tmp_path / "media"


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names]


@pytest.fixture
def signed(pdf_bytes, test_ca):
    key = Pkcs12Key(pki.to_pkcs12(pki.issue_signer(test_ca, "Đinh Khắc Tuấn"), "pw"), "pw")
    return sign_pdf(pdf_bytes, key, reason="Ký ban hành", location="Đắk Lắk")


def _same_length(signed: bytes, pattern: bytes, make) -> bytes:
    """Rewrite one match in place (padded with spaces) so that the xref offsets stay right."""
    match = re.search(pattern, signed)
    new = make(match)
    assert len(new) <= len(match.group(0))
    out = signed[: match.start()] + new.ljust(len(match.group(0))) + signed[match.end() :]
    assert len(out) == len(signed)
    return out


def hostile(signed: bytes, kind: str) -> bytes:
    byte_range = rb"/ByteRange \[([^\]]*)\] *"
    if kind == "byte_range_strings":  # /ByteRange [0 a b c] -> [(0) (a) (b) (c)]
        return _same_length(
            signed,
            byte_range,
            lambda m: b"/ByteRange [" + b" ".join(b"(" + n + b")" for n in m.group(1).split()) + b"]",
        )
    if kind == "byte_range_names":
        return _same_length(
            signed,
            byte_range,
            lambda m: b"/ByteRange [" + b" ".join(b"/N" + n for n in m.group(1).split()) + b"]",
        )
    if kind == "byte_range_null":
        return _same_length(signed, byte_range, lambda m: b"/ByteRange null")
    if kind == "sig_without_contents":
        return _same_length(signed, rb"/Contents <[0-9a-fA-F]+>", lambda m: b"")
    if kind == "truncated":
        return signed[: len(signed) // 2]
    if kind == "garbage_after_header":
        return b"%PDF-1.7\n" + bytes(range(256)) * 40
    if kind == "broken_xref":
        return signed.replace(b"xref", b"xreg").replace(b"startxref", b"startxreg")
    raise AssertionError(kind)


KINDS = [
    "byte_range_strings",
    "byte_range_names",
    "byte_range_null",
    "sig_without_contents",
    "truncated",
    "garbage_after_header",
    "broken_xref",
]


@pytest.mark.parametrize("kind", KINDS)
def test_17_4_verify_page_shows_a_message_for_a_malformed_pdf(client, actors, signed, kind):
    c = verified_client(client, actors["specialist"])
    response = c.post(
        reverse("documents:verify"), {"file": SimpleUploadedFile("a.pdf", hostile(signed, kind))}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="verify-error"' in page and "bị hỏng" in page
    assert "signature-report" not in page


def _registration(doc_types, **files):
    return {
        "doc_type": doc_types["BC"].pk,
        "number_symbol": "17/BC-UBND",
        "sender_name": "UBND tỉnh Đắk Lắk",
        "summary": "Báo cáo an toàn thông tin",
        "urgency": "normal",
        "confidentiality": "normal",
        "pages": 1,
        **files,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_17_4_registration_refuses_a_malformed_pdf_and_keeps_nothing(
    client, actors, doc_types, signed, media, kind
):
    c = verified_client(client, actors["clerk"])
    upload = SimpleUploadedFile("van-ban-den.pdf", hostile(signed, kind), content_type="application/pdf")
    response = c.post(reverse("documents:incoming_create"), _registration(doc_types, file=upload))
    assert response.status_code == 200
    page = response.content.decode()
    assert "alert-danger" in page and "bị hỏng" in page
    assert IncomingDocument.objects.count() == 0
    assert StoredFile.objects.count() == 0
    assert files_under(media) == []


def test_17_4_well_formed_signed_pdf_still_registers_with_its_verdict(
    client, actors, doc_types, signed, media
):
    c = verified_client(client, actors["clerk"])
    upload = SimpleUploadedFile("van-ban-den.pdf", signed, content_type="application/pdf")
    response = c.post(reverse("documents:incoming_create"), _registration(doc_types, file=upload))
    assert response.status_code == 302
    doc = IncomingDocument.objects.get()
    assert doc.signature_verdict == "valid"
    assert len(files_under(media)) == 1


def test_17_4_rejected_attachment_leaves_no_stored_main_file(client, actors, doc_types, signed, media):
    """The main file passes intake and is written, then an attachment is refused: the rollback
    must take the main file's bytes with it."""
    c = verified_client(client, actors["clerk"])
    main = SimpleUploadedFile("van-ban-den.pdf", signed, content_type="application/pdf")
    bad = SimpleUploadedFile("phu-luc.pdf", b"MZ" + b"\0" * 300, content_type="application/pdf")
    response = c.post(
        reverse("documents:incoming_create"), _registration(doc_types, file=main, attachments=[bad])
    )
    assert response.status_code == 200 and "alert-danger" in response.content.decode()
    assert IncomingDocument.objects.count() == 0 and Attachment.objects.count() == 0
    assert StoredFile.objects.count() == 0
    assert files_under(media) == []
