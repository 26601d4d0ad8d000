"""The signing service against a test CA: valid, tampered, untrusted, expired; pdfsig agrees."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.utils import translation

from apps.core.signing import (
    NotAPdf,
    Pkcs11Key,
    Pkcs12Key,
    SigningError,
    TokenNotConfigured,
    WrongKeyPassword,
    pki,
    sign_pdf,
    verify_pdf,
)
from apps.core.tests import pdf_edits
from conftest import require_component

PASSWORD = "khoá-bí-mật-2026"


@pytest.fixture(scope="module")
def ca():
    return pki.make_demo_ca("CA kiểm thử")


@pytest.fixture(scope="module")
def key(ca):
    leaf = pki.issue_signer(ca, "Đinh Khắc Tuấn", organization="Sở KH&CN Đắk Lắk")
    return Pkcs12Key(pki.to_pkcs12(leaf, PASSWORD, chain=[ca.certificate]), PASSWORD)


@pytest.fixture(scope="module")
def pdf():
    import weasyprint

    return weasyprint.HTML(
        string="<h1>KẾ HOẠCH</h1><p>Phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2022</p>"
    ).write_pdf()


@pytest.fixture(scope="module")
def signed(pdf, key):
    return sign_pdf(pdf, key, reason="Ký ban hành", location="Đắk Lắk", appearance="personal")


def pdfsig(data: bytes, tmp_path) -> str:
    path = shutil.which("pdfsig")
    require_component("pdfsig", path is not None, "apt-get install poppler-utils")
    target = tmp_path / "doc.pdf"
    target.write_bytes(data)
    result = subprocess.run([path, "-no-ocsp", str(target)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


def test_valid_signature_verifies_and_the_original_stays_inside(pdf, signed, ca):
    assert signed.startswith(pdf)  # incremental update: the original revision is byte-identical
    (report,) = verify_pdf(signed, [ca.certificate])
    assert (report.intact, report.valid, report.trusted) == (True, True, True)
    assert report.verdict == "valid"
    assert report.signer_name == "Đinh Khắc Tuấn"
    assert "Đắk Lắk" in report.certificate_subject
    assert report.signed_at is not None and abs(report.signed_at - dt.datetime.now(dt.UTC)).seconds < 120
    assert report.problems == []


def test_pades_subfilter_and_pdfsig_agree_on_a_valid_signature(signed, tmp_path):
    out = pdfsig(signed, tmp_path)
    assert "ETSI.CAdES.detached" in out
    assert "Signature is Valid" in out
    assert "Total document signed" in out


def tamper(data: bytes) -> bytes:
    """Change one byte inside the signed range (a letter of the Producer/metadata or content)."""
    index = data.index(b"/Type /Catalog") if b"/Type /Catalog" in data else len(data) // 4
    changed = bytearray(data)
    # one byte inside the first signed range, in a content stream region
    position = min(index, data.index(b"stream") + 20)
    changed[position] = (changed[position] + 1) % 256
    return bytes(changed)


def test_one_changed_byte_is_reported_as_tampered_and_pdfsig_agrees(signed, ca, tmp_path):
    tampered = tamper(signed)
    assert len(tampered) == len(signed) and tampered != signed
    (report,) = verify_pdf(tampered, [ca.certificate])
    assert report.intact is False
    assert report.verdict == "tampered"
    assert any("thay đổi" in p for p in report.problems)
    out = pdfsig(tampered, tmp_path)
    assert "Signature is Valid" not in out
    assert "Digest Mismatch" in out or "Invalid" in out


def test_untrusted_ca_is_reported_and_pdfsig_agrees(signed, tmp_path):
    other = pki.make_demo_ca("CA khác")
    (report,) = verify_pdf(signed, [other.certificate])
    assert (report.intact, report.valid, report.trusted) == (True, True, False)
    assert report.verdict == "untrusted"
    assert any("tin cậy" in p for p in report.problems)
    out = pdfsig(signed, tmp_path)  # pdfsig's NSS store does not know the test CA either
    assert "Signature is Valid" in out
    assert "isn't Trusted" in out or "Unknown issuer" in out.replace("unknown", "Unknown")


def test_expired_certificate_is_reported(pdf, ca):
    old = pki.issue_signer(
        ca,
        "Cán bộ đã nghỉ",
        not_before=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2019, 1, 1, tzinfo=dt.UTC),
    )
    expired_key = Pkcs12Key(pki.to_pkcs12(old, PASSWORD, chain=[ca.certificate]), PASSWORD)
    signed = sign_pdf(pdf, expired_key, reason="Ký", location="Đắk Lắk", appearance="invisible")
    (report,) = verify_pdf(signed, [ca.certificate])
    assert report.intact and report.valid
    assert report.expired is True and report.trusted is False
    assert any("hết hạn ngày 01/01/2019" in p for p in report.problems)


def test_seal_after_personal_signature_keeps_both_valid(signed, key, ca, tmp_path):
    sealed = sign_pdf(
        signed, key, reason="Đóng dấu", location="Đắk Lắk", appearance="seal", organization="Sở KH&CN"
    )
    reports = verify_pdf(sealed, [ca.certificate])
    assert [r.verdict for r in reports] == ["valid", "valid"]
    assert reports[1].covers_whole_document
    out = pdfsig(sealed, tmp_path)
    assert out.count("Signature is Valid") == 2


def test_attachment_signature_goes_top_right_of_page_one(pdf, key, ca):
    signed = sign_pdf(
        pdf,
        key,
        reason="Ký tệp đính kèm",
        location="Đắk Lắk",
        appearance="attachment",
        reference="172/KH-SKHCN",
    )
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(signed))
    (sig,) = reader.embedded_signatures
    rect = [float(v) for v in sig.sig_field["/Rect"]] if "/Rect" in sig.sig_field else None
    if rect is None:  # widget merged into the field or separate kid
        rect = [float(v) for v in sig.sig_field["/Kids"][0].get_object()["/Rect"]]
    assert rect[2] > 500 and rect[3] > 780  # top right of an A4 page
    assert verify_pdf(signed, [ca.certificate])[0].verdict == "valid"


def test_wrong_key_password_gives_a_clear_message(ca):
    data = pki.to_pkcs12(pki.issue_signer(ca, "A"), PASSWORD)
    with pytest.raises(WrongKeyPassword, match="Mật khẩu khóa ký số không đúng"):
        Pkcs12Key(data, "sai-mật-khẩu")
    with pytest.raises(WrongKeyPassword, match="nhập mật khẩu"):
        Pkcs12Key(data, "")


def test_pkcs11_token_is_an_interface_that_says_not_configured(pdf):
    token = Pkcs11Key(module_path="", key_label="Giám đốc")
    with pytest.raises(TokenNotConfigured, match="token PKCS#11"):
        sign_pdf(pdf, token, reason="Ký", location="Đắk Lắk")
    assert not pdf.startswith(b"x")  # input untouched


def test_non_pdf_disguised_as_pdf_is_refused(key):
    fake = b"PK\x03\x04" + b"\x00" * 200  # a zip renamed .pdf
    with pytest.raises(NotAPdf, match="không phải là tài liệu PDF"):
        sign_pdf(fake, key, reason="Ký", location="Đắk Lắk")
    with pytest.raises(NotAPdf):
        verify_pdf(fake)
    with pytest.raises(NotAPdf, match="bị hỏng"):
        verify_pdf(b"%PDF-1.7\nnot really a pdf")


def test_unsigned_document_has_no_signature_reports(pdf, ca):
    assert verify_pdf(pdf, [ca.certificate]) == []


def test_page_out_of_range_is_refused(pdf, key):
    with pytest.raises(SigningError, match="chỉ có 1 trang"):
        sign_pdf(pdf, key, reason="Ký", location="Đắk Lắk", page=5)


def test_demo_pki_is_written_once_and_reused(tmp_path):
    first = pki.write_demo_pki(tmp_path, [("giamdoc", "Đinh Khắc Tuấn", "Sở KH&CN", "")], "pw")
    assert first["created"] == 2 and first["giamdoc"].exists()
    ca_bytes = (tmp_path / "ca.pem").read_bytes()
    again = pki.write_demo_pki(tmp_path, [("giamdoc", "Đinh Khắc Tuấn", "Sở KH&CN", "")], "pw")
    assert again["created"] == 0 and (tmp_path / "ca.pem").read_bytes() == ca_bytes
    key = Pkcs12Key(first["giamdoc"], "pw")
    assert key.display_name == "Đinh Khắc Tuấn"
    assert oct(first["giamdoc"].stat().st_mode)[-3:] == "600"


@pytest.mark.parametrize("change", [pdf_edits.append_content, pdf_edits.append_annotation])
def test_a_change_appended_after_signing_is_the_headline_not_a_detail(signed, ca, change, tmp_path):
    changed = change(signed)
    assert changed.startswith(signed)  # the signed revision is untouched: only an appended update
    (report,) = verify_pdf(changed, [ca.certificate])
    assert report.intact and report.valid  # the signature itself still checks out…
    assert report.modified_after_signing and not report.covers_whole_document
    assert report.verdict == "modified" and not report.ok  # …but the verdict says the file changed
    with translation.override("vi"):
        assert report.headline == "Tài liệu đã bị thay đổi sau khi ký"
    assert report.as_dict()["verdict"] == "modified"


def test_only_a_later_signature_may_follow_a_signature_unchanged(signed, key, ca):
    sealed = sign_pdf(
        signed, key, reason="Đóng dấu", location="Đắk Lắk", appearance="seal", organization="Sở"
    )
    assert [r.verdict for r in verify_pdf(sealed, [ca.certificate])] == ["valid", "valid"]
    edited = pdf_edits.append_annotation(sealed)  # a comment after the seal: both report the change
    assert [r.verdict for r in verify_pdf(edited, [ca.certificate])] == ["modified", "modified"]


def test_verdicts_tell_expired_from_untrusted_and_name_the_certificate_in_vietnamese(pdf, ca, signed):
    old = pki.issue_signer(
        ca,
        "Cán bộ đã nghỉ",
        not_before=dt.datetime(2016, 1, 1, tzinfo=dt.UTC),
        not_after=dt.datetime(2019, 1, 1, tzinfo=dt.UTC),
    )
    expired_key = Pkcs12Key(pki.to_pkcs12(old, PASSWORD, chain=[ca.certificate]), PASSWORD)
    expired = sign_pdf(pdf, expired_key, reason="Ký", location="Đắk Lắk", appearance="invisible")
    assert verify_pdf(expired, [ca.certificate])[0].verdict == "expired"
    assert verify_pdf(signed, [pki.make_demo_ca("CA khác").certificate])[0].verdict == "untrusted"
    with translation.override("vi"):
        (report,) = verify_pdf(signed, [ca.certificate])
    assert "Tên: Đinh Khắc Tuấn" in report.certificate_subject
    for english in ("Common Name", "Organization", "Country"):
        assert english not in report.certificate_subject + report.certificate_issuer
