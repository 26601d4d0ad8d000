"""Issue #17, core side: malformed PDFs in verification (4) and zip bombs at file intake (11)."""

import io
import re
import struct
import zipfile

import pytest
from django.db import transaction
from django.test import override_settings

from apps.core.files.intake import MB, UploadRejected, accept_upload, atomic_with_files
from apps.core.files.models import StoredFile
from apps.core.signing import MalformedPdf, NotAPdf, Pkcs12Key, SigningError, pki, sign_pdf, verify_pdf

from .test_files import files_under, make_docx, make_pdf, make_xlsx, upload


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A private MEDIA_ROOT and no virus scanner (as in test_files)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""
    return tmp_path / "media"


def assert_nothing_stored(media):
    assert StoredFile.objects.count() == 0
    assert files_under(media) == []


# --------------------------------------------------------------------------- 17.4 hostile PDFs
@pytest.fixture(scope="module")
def ca():
    return pki.make_demo_ca("CA kiểm thử 17")


@pytest.fixture(scope="module")
def signed(ca):
    import weasyprint

    key = Pkcs12Key(pki.to_pkcs12(pki.issue_signer(ca, "Đinh Khắc Tuấn"), "pw", chain=[ca.certificate]), "pw")
    pdf = weasyprint.HTML(string="<h1>CÔNG VĂN</h1><p>Về việc chuyển đổi số</p>").write_pdf()
    return sign_pdf(pdf, key, reason="Ký", location="Đắk Lắk")


BYTE_RANGE = re.compile(rb"/ByteRange \[([^\]]*)\] *")


def rewrite_byte_range(signed: bytes, make) -> bytes:
    """Replace the /ByteRange value in place, padding with the spaces pyHanko leaves after it,
    so that every xref offset stays right and only the signature dictionary is hostile."""
    match = BYTE_RANGE.search(signed)
    new = make(match.group(1).split())
    assert len(new) <= len(match.group(0))
    out = signed[: match.start()] + new.ljust(len(match.group(0))) + signed[match.end() :]
    assert len(out) == len(signed)
    return out


HOSTILE_BYTE_RANGES = {
    "strings": lambda n: b"/ByteRange [" + b" ".join(b"(" + x + b")" for x in n) + b"]",
    "names": lambda n: b"/ByteRange [" + b" ".join(b"/N" + x for x in n) + b"]",
    "one_string": lambda n: b"/ByteRange (" + b" ".join(n) + b")",
    "mixed": lambda n: b"/ByteRange [" + n[0] + b" (" + n[1] + b") " + b" ".join(n[2:]) + b"]",
    "reals": lambda n: b"/ByteRange [" + b" ".join(x + b".5" for x in n) + b"]",
    "nested": lambda n: b"/ByteRange [[0] [1] [2] [3]]",
    "null": lambda n: b"/ByteRange null",
    "booleans": lambda n: b"/ByteRange [true false true false]",
    "beyond_the_file": lambda n: b"/ByteRange [0 99999999999999999999 1 1]",
}


@pytest.mark.parametrize("kind", list(HOSTILE_BYTE_RANGES))
def test_17_4_wrong_typed_byte_range_is_a_malformed_pdf_not_a_type_error(signed, ca, kind):
    hostile = rewrite_byte_range(signed, HOSTILE_BYTE_RANGES[kind])
    with pytest.raises(MalformedPdf) as caught:
        verify_pdf(hostile, [ca.certificate])
    assert "bị hỏng" in str(caught.value)
    assert isinstance(caught.value, NotAPdf | SigningError)  # callers catching the old errors still do


def test_17_4_signature_without_contents_and_broken_files_are_malformed(signed, ca):
    contents = re.search(rb"/Contents <[0-9a-fA-F]+>", signed)
    no_contents = signed[: contents.start()] + b" " * len(contents.group(0)) + signed[contents.end() :]
    broken = {
        "no_contents": no_contents,
        "truncated": signed[: len(signed) // 2],
        "garbage_after_header": b"%PDF-1.7\n" + bytes(range(256)) * 20,
        "broken_xref": signed.replace(b"xref", b"xreg"),
    }
    for data in broken.values():
        with pytest.raises(MalformedPdf, match="bị hỏng"):
            verify_pdf(data, [ca.certificate])


def test_17_4_well_formed_signature_still_verifies(signed, ca):
    (report,) = verify_pdf(signed, [ca.certificate])
    assert report.verdict == "valid"


def test_17_4_atomic_with_files_removes_bytes_stored_in_a_failed_block(db, media):
    class Refused(Exception):
        pass

    with pytest.raises(Refused), atomic_with_files():
        stored = accept_upload(upload("a.pdf", make_pdf()), purpose="document")
        assert files_under(media)  # written …
        raise Refused  # … then the service refuses
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert files_under(media) == []

    # nested: the inner block succeeded, the outer one fails -> the inner file goes too
    with pytest.raises(Refused), atomic_with_files():
        with atomic_with_files():
            accept_upload(upload("b.pdf", make_pdf("b")), purpose="document")
        raise Refused
    assert_nothing_stored(media)

    # success keeps the file
    with atomic_with_files():
        kept = accept_upload(upload("c.pdf", make_pdf("c")), purpose="document")
    assert StoredFile.objects.filter(pk=kept.pk).exists() and len(files_under(media)) == 1


def test_17_4_atomic_with_files_rolls_back_rows_like_atomic(db, media):
    with pytest.raises(RuntimeError), atomic_with_files():
        accept_upload(upload("a.pdf", make_pdf()), purpose="document")
        assert transaction.get_connection().in_atomic_block
        raise RuntimeError
    assert_nothing_stored(media)


# --------------------------------------------------------------------------- 17.11 zip bombs
def with_member(base: bytes, name: str, chunks, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """`base` (a valid office file) plus one member written chunk by chunk (low memory)."""
    buffer = io.BytesIO(base)
    info = zipfile.ZipInfo(name)
    info.compress_type = compression
    with (
        zipfile.ZipFile(buffer, "a") as archive,
        archive.open(info, "w", force_zip64=True) as member,
    ):
        for chunk in chunks:
            member.write(chunk)
    return buffer.getvalue()


def zeros(megabytes: int):
    chunk = b"\0" * MB
    return (chunk for _ in range(megabytes))


@pytest.fixture(scope="module")
def docx_bomb():
    # ~240 KB on the wire, 200 MB once unpacked
    return with_member(make_docx(), "word/media/image1.bin", zeros(200))


def test_17_11_docx_bomb_is_refused_and_nothing_is_stored(db, media, docx_bomb):
    assert len(docx_bomb) < 1 * MB
    with pytest.raises(UploadRejected) as caught:
        accept_upload(upload("bao-cao.docx", docx_bomb), purpose="document")
    assert caught.value.code == "archive_too_large"
    assert "giải nén" in str(caught.value) and "DOCX" in str(caught.value)
    assert_nothing_stored(media)


def test_17_11_xlsx_bomb_below_the_size_limit_is_refused_by_its_ratio(db, media):
    bomb = with_member(make_xlsx(), "xl/media/image1.bin", zeros(20))  # 20 MB < 100 MB, ratio ~1000
    with pytest.raises(UploadRejected) as caught:
        accept_upload(upload("chi-tieu.xlsx", bomb), purpose="document")
    assert caught.value.code == "archive_too_large" and "XLSX" in str(caught.value)
    assert_nothing_stored(media)


def test_17_11_too_many_members_is_refused(db, media):
    buffer = io.BytesIO(make_docx())
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        for i in range(1001):
            archive.writestr(f"word/parts/part{i}.xml", b"<a/>")
    with pytest.raises(UploadRejected) as caught:
        accept_upload(upload("nhieu-phan.docx", buffer.getvalue()), purpose="document")
    assert caught.value.code == "archive_too_large"
    assert_nothing_stored(media)


def test_17_11_limits_come_from_settings(db, media):
    import os

    # 2 MB of incompressible data: ratio ~1, so only the total size limit can refuse it
    data = with_member(make_docx(), "word/media/photo.bin", [os.urandom(2 * MB)], zipfile.ZIP_STORED)
    with override_settings(UPLOAD_ZIP_MAX_UNCOMPRESSED=1 * MB):
        with pytest.raises(UploadRejected) as caught:
            accept_upload(upload("anh.docx", data), purpose="document")
        assert caught.value.code == "archive_too_large" and "1 MB" in str(caught.value)
    assert_nothing_stored(media)
    assert accept_upload(upload("anh.docx", data), purpose="document").size == len(data)


def test_17_11_normal_docx_and_xlsx_are_still_accepted(db, media):
    for name, data in (("bao-cao.docx", make_docx()), ("chi-tieu.xlsx", make_xlsx())):
        stored = accept_upload(upload(name, data), purpose="document")
        with stored.file.open("rb") as handle:
            assert handle.read() == data
    assert StoredFile.objects.count() == 2


def _corrupt_member(data: bytes, name: str) -> bytes:
    """Flip a byte in the middle of one member's compressed data (headers stay valid)."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_len, extra_len = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    position = info.header_offset + 30 + name_len + extra_len + info.compress_size // 2
    out = bytearray(data)
    out[position] ^= 0xFF
    return bytes(out)


def test_17_11_docx_or_xlsx_that_is_not_a_valid_zip_is_refused(db, media):
    docx = make_docx()
    cases = {
        "truncated.docx": docx[:-200],  # central directory cut off; libmagic still says DOCX
        "corrupt.docx": _corrupt_member(docx, "word/styles.xml"),
        "corrupt.xlsx": _corrupt_member(make_xlsx(), "xl/styles.xml"),
    }
    for name, data in cases.items():
        with pytest.raises(UploadRejected) as caught:
            accept_upload(upload(name, data), purpose="document")
        assert caught.value.code == "bad_archive", name
        assert "bị hỏng" in str(caught.value)
    assert_nothing_stored(media)
