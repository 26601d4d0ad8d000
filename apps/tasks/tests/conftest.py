import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.organizations.roles import Role

# A fixed Monday with no holiday around it; "today" is always passed explicitly.
MONDAY = datetime.date(2026, 3, 2)


def make_pdf(text: str = "Bao cao ket qua") -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pdf_upload(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


@pytest.fixture
def templates(db):
    from apps.core.notifications.defaults import ensure_default_templates as core_defaults
    from apps.tasks.defaults import ensure_default_templates

    core_defaults()
    ensure_default_templates()


@pytest.fixture
def people(make_user, tree):
    """A leader, the heads and staff of two units, and an outsider in another agency."""
    return {
        "leader": make_user(Role.LEADER, username="lanhdao"),
        "head_tech": make_user(Role.UNIT_HEAD, username="tp-qlcn", unit="tech"),
        "staff_tech": make_user(Role.SPECIALIST, username="cv-qlcn", unit="tech"),
        "head_office": make_user(Role.UNIT_HEAD, username="tp-vp", unit="office"),
        "staff_office": make_user(Role.SPECIALIST, username="cv-vp", unit="office"),
        "outsider": make_user(Role.LEADER, username="ld-syt", unit="other_agency"),
        "citizen": make_user(Role.CITIZEN, username="congdan"),
    }


@pytest.fixture(autouse=True)
def _english_messages(settings):
    """These tests compare messages with their English source text (the msgids), not the Vietnamese."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
