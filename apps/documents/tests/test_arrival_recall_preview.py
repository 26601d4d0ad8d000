"""Signature check on arrival, recall (thu hồi), derived previews and the handwritten signature."""

import datetime as dt
import hashlib
import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from apps.audit.models import AuditEvent
from apps.core.signing import Pkcs12Key, pki, sign_pdf
from apps.documents import services, signing_keys
from apps.documents.models import (
    IncomingDocument,
    IncomingStatus,
    OutgoingStatus,
    Preview,
    SigningKey,
)
from apps.documents.services import DocumentError
from conftest import require_component, verified_client

from .conftest import KEY_PASSWORD
from .test_services import _approved_answer

pytestmark = pytest.mark.django_db


def _register(actors, tree, doc_types, data: bytes, number="15/UBND-VX", name="den.pdf"):
    return services.register_incoming(
        actors["clerk"],
        organization=tree["agency"],
        doc_type=doc_types["Công văn"],
        sender_name="UBND tỉnh Đắk Lắk",
        number_symbol=number,
        summary="Về việc chuyển đổi số",
        upload=SimpleUploadedFile(name, data, content_type="application/pdf"),
    )


def _signed_by(ca, pdf_bytes, **dates):
    key = Pkcs12Key(pki.to_pkcs12(pki.issue_signer(ca, "Nguyễn Văn Gửi", **dates), "pw"), "pw")
    return sign_pdf(pdf_bytes, key, reason="Ký", location="Đắk Lắk", appearance="invisible")


def _tamper(data: bytes) -> bytes:
    changed = bytearray(data)
    position = data.index(b"stream") + 20
    changed[position] = (changed[position] + 1) % 256
    return bytes(changed)


def _pdfsig(data: bytes, tmp_path) -> str:
    path = shutil.which("pdfsig")
    require_component("pdfsig", path is not None, "apt-get install poppler-utils")
    target = tmp_path / "check.pdf"
    target.write_bytes(data)
    result = subprocess.run([path, "-no-ocsp", str(target)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


# --------------------------------------------------------------------------- arrival check
def test_uploaded_signed_pdfs_are_checked_on_arrival_and_pdfsig_agrees(
    client, actors, tree, doc_types, pdf_bytes, test_ca, tmp_path
):
    valid = _signed_by(test_ca, pdf_bytes)
    untrusted = _signed_by(pki.make_demo_ca("CA lạ"), pdf_bytes)
    expired = _signed_by(
        test_ca,
        pdf_bytes,
        not_before=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2019, 1, 1, tzinfo=dt.UTC),
    )
    cases = {
        "valid": valid,
        "tampered": _tamper(valid),
        "untrusted": untrusted,
        "expired": expired,
        "unsigned": pdf_bytes,
    }
    docs = {
        name: _register(actors, tree, doc_types, data, number=f"{i}/X")
        for i, (name, data) in enumerate(cases.items(), start=1)
    }
    assert {name: d.signature_verdict for name, d in docs.items()} == {
        "valid": "valid",
        "tampered": "tampered",
        "untrusted": "untrusted",
        "expired": "expired",  # told apart from an unknown issuer
        "unsigned": "unsigned",
    }
    assert docs["valid"].signature_report[0]["signer"] == "Nguyễn Văn Gửi"
    assert docs["valid"].signature_checked_at is not None
    assert any("hết hạn ngày 01/01/2019" in p for p in docs["expired"].signature_report[0]["problems"])
    assert any("tin cậy" in p for p in docs["untrusted"].signature_report[0]["problems"])
    # the registration itself is never refused: the clerk sees the verdict and decides (nothing lost)
    assert IncomingDocument.objects.count() == 5

    # pdfsig (poppler) agrees with each verdict
    assert "Signature is Valid" in _pdfsig(cases["valid"], tmp_path)
    tampered_out = _pdfsig(cases["tampered"], tmp_path)
    assert "Signature is Valid" not in tampered_out and (
        "Digest Mismatch" in tampered_out or "Invalid" in tampered_out
    )
    untrusted_out = _pdfsig(cases["untrusted"], tmp_path)
    assert "Signature is Valid" in untrusted_out and (
        "isn't Trusted" in untrusted_out or "issuer is unknown" in untrusted_out
    )
    assert "Certificate has Expired" in _pdfsig(cases["expired"], tmp_path)
    assert "does not contain any signatures" in _pdfsig(cases["unsigned"], tmp_path)

    c = verified_client(client, actors["clerk"])
    page = c.get(reverse("documents:incoming_detail", args=[docs["tampered"].pk])).content.decode()
    assert 'id="arrival-check" data-verdict="tampered"' in page
    page = c.get(reverse("documents:incoming_detail", args=[docs["valid"].pk])).content.decode()
    assert 'id="arrival-check" data-verdict="valid"' in page and "Nguyễn Văn Gửi" in page


def _issue_to_other_agency(actors, tree, doc_types):
    doc = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], doc, on=dt.date(2022, 3, 7))
    services.sign_outgoing(actors["leader"], doc, code="code0", key_password=KEY_PASSWORD)
    services.issue_outgoing(actors["clerk"], doc, internal=[tree["other_unit"]], external=["UBND tỉnh"])
    doc.refresh_from_db()
    return doc, IncomingDocument.objects.get(source_outgoing=doc)


def test_document_received_on_the_platform_is_checked_on_arrival(actors, tree, doc_types):
    _doc, delivered = _issue_to_other_agency(actors, tree, doc_types)
    assert delivered.signature_verdict == "valid"
    assert [s["signer"] for s in delivered.signature_report] == ["Đinh Khắc Tuấn"]
    event = AuditEvent.objects.filter(verb="incoming_registered").order_by("-pk").first()
    assert "chữ ký số" in event.note


# --------------------------------------------------------------------------- recall
def test_recall_needs_a_reason_and_cancels_the_delivered_copies(client, actors, tree, doc_types):
    doc, delivered = _issue_to_other_agency(actors, tree, doc_types)
    with pytest.raises(DocumentError, match="lý do thu hồi"):
        services.recall_outgoing(actors["clerk"], doc, reason="  ")
    with pytest.raises(DocumentError):
        services.recall_outgoing(actors["specialist"], doc, reason="Sai số liệu")
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.ISSUED

    c = verified_client(client, actors["clerk"])
    response = c.post(
        reverse("documents:outgoing_action", args=[doc.pk, "recall"]),
        {"reason": "Sai số liệu ở mục 2"},
        follow=True,
    )
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.RECALLED and doc.recall_reason == "Sai số liệu ở mục 2"
    assert doc.recalled_at is not None
    assert 'id="recalled"' in response.content.decode()
    last = doc.history.last()
    assert (last.from_state, last.to_state, last.note) == ("issued", "recalled", "Sai số liệu ở mục 2")
    assert AuditEvent.objects.filter(verb="outgoing_recalled").count() == 1

    delivered.refresh_from_db()
    assert delivered.status == IncomingStatus.RECALLED
    assert "Sai số liệu ở mục 2" in delivered.history.last().note
    other = verified_client(Client(), actors["other_clerk"])
    page = other.get(reverse("documents:incoming_detail", args=[delivered.pk])).content.decode()
    assert 'id="recalled"' in page and "Sai số liệu ở mục 2" in page
    listing = other.get(reverse("documents:incoming_list"), {"status": "recalled"}).content.decode()
    assert "01/BC-SKHCN" in listing
    with pytest.raises(DocumentError, match="đã phát hành"):
        services.recall_outgoing(actors["clerk"], doc, reason="Lần nữa")


# --------------------------------------------------------------------------- previews
def test_preview_is_a_derived_copy_and_the_original_stays_byte_identical(
    client, actors, tree, doc_types, pdf_bytes
):
    doc = _register(actors, tree, doc_types, pdf_bytes)
    original = doc.main_file
    before = hashlib.sha256(services.read_bytes(original)).hexdigest()
    assert before == hashlib.sha256(pdf_bytes).hexdigest() == original.sha256

    c = verified_client(client, actors["clerk"])
    page = c.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert 'id="document-preview"' in page and original.sha256 in page
    response = c.get(reverse("documents:preview", args=[original.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    picture = Image.open(io.BytesIO(response.content))
    assert picture.width == services.PREVIEW_WIDTH or picture.height == services.PREVIEW_WIDTH

    preview = Preview.objects.get(source=original)
    assert preview.image.pk != original.pk and preview.image.purpose == "preview"
    original.refresh_from_db()
    assert hashlib.sha256(services.read_bytes(original)).hexdigest() == before == original.sha256
    assert Preview.objects.count() == 1  # made once, reused
    c.get(reverse("documents:incoming_detail", args=[doc.pk]))
    assert Preview.objects.count() == 1

    # outside the document's reach: no preview, no download of the derived file
    other = verified_client(Client(), actors["other_clerk"])
    assert other.get(reverse("documents:preview", args=[original.pk])).status_code == 404
    assert other.get(reverse("core:file_download", args=[preview.image.pk])).status_code == 404
    assert c.get(reverse("core:file_download", args=[preview.image.pk])).status_code == 200


def test_a_docx_without_office_shows_metadata_instead_of_a_preview(client, actors, tree, doc_types):
    if shutil.which("soffice") or shutil.which("libreoffice"):
        pytest.skip("LibreOffice is installed: DOCX files get a real preview here")
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Công văn dạng Word")
    document.save(buffer)
    doc = services.register_incoming(
        actors["clerk"],
        organization=tree["agency"],
        doc_type=doc_types["Công văn"],
        sender_name="Sở Tài chính",
        summary="Văn bản Word",
        upload=SimpleUploadedFile("cv.docx", buffer.getvalue()),
    )
    assert doc.signature_verdict == ""  # only PDFs carry PAdES signatures
    c = verified_client(client, actors["clerk"])
    page = c.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert 'id="no-preview"' in page and doc.main_file.sha256 in page
    assert c.get(reverse("documents:preview", args=[doc.main_file.pk])).status_code == 404


# --------------------------------------------------------------------------- handwritten signature
def _handwriting_png() -> bytes:
    """Black 'ink' on white paper, as a scan would be."""
    picture = Image.new("RGB", (400, 160), "white")
    from PIL import ImageDraw

    draw = ImageDraw.Draw(picture)
    draw.rectangle([40, 50, 360, 110], fill="black")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def _blue_pixels(pdf: bytes, tmp_path) -> int:
    target = tmp_path / "signed.pdf"
    target.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(target),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=60,
    )
    page = Image.open(tmp_path / "p.png").convert("RGB")
    data = page.tobytes()
    pixels = (data[i : i + 3] for i in range(0, len(data), 3))
    return sum(1 for r, g, b in pixels if b > 120 and r < 80 and g < 100)


def test_uploaded_handwritten_signature_is_drawn_blue_in_the_signature(
    client, actors, tree, doc_types, tmp_path
):
    from apps.core.signing.appearance import BLUE, handwritten_ink

    ink = handwritten_ink(_handwriting_png())
    assert ink.getpixel((0, 0))[3] > 0 and ink.getpixel((0, 0))[:3] == BLUE[:3]  # cropped to the ink
    corner = Image.open(io.BytesIO(_handwriting_png()))
    assert corner.getpixel((0, 0)) == (255, 255, 255)

    c = verified_client(client, actors["leader"])
    url = reverse("documents:signature_image")
    fake = SimpleUploadedFile("chu-ky.png", b"%PDF-1.4 not an image")
    page = c.post(url, {"image": fake}).content.decode()
    assert "invalid-feedback" in page or "alert-danger" in page
    assert SigningKey.objects.get(user=actors["leader"]).signature_image is None

    response = c.post(url, {"image": SimpleUploadedFile("chu-ky.png", _handwriting_png())})
    assert response.status_code == 302
    key = SigningKey.objects.get(user=actors["leader"])
    assert key.signature_image.purpose == "signature_image"
    assert AuditEvent.objects.filter(verb="signature_image_set").exists()
    shown = c.get(reverse("documents:signature_image_ink"))
    assert shown.status_code == 200 and Image.open(io.BytesIO(shown.content)).mode == "RGBA"
    # the picture is private to its owner
    other = verified_client(Client(), actors["clerk"])
    assert other.get(reverse("core:file_download", args=[key.signature_image.pk])).status_code == 404
    assert other.get(reverse("documents:signature_image_ink")).status_code == 404

    with_picture = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], with_picture)
    services.sign_outgoing(actors["leader"], with_picture, code="code1", key_password=KEY_PASSWORD)
    with_picture.refresh_from_db()
    key.signature_image = None
    key.save()
    assert signing_keys.signature_image(actors["leader"]) is None
    stand_in = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], stand_in)
    services.sign_outgoing(actors["leader"], stand_in, code="code2", key_password=KEY_PASSWORD)
    stand_in.refresh_from_db()
    # the uploaded ink (a wide solid stroke) covers far more of the page in blue than the stand-in
    blue_with = _blue_pixels(services.read_bytes(with_picture.signed_file), tmp_path)
    blue_without = _blue_pixels(services.read_bytes(stand_in.signed_file), tmp_path)
    assert blue_with > 3 * max(1, blue_without)


def test_signature_page_without_a_key_says_so(client, make_user):
    from apps.organizations.roles import Role

    user = make_user(Role.SPECIALIST, username="khongkhoa")
    page = verified_client(client, user).get(reverse("documents:signature_image")).content.decode()
    assert 'id="no-key"' in page
