"""File intake (size, type from content, ClamAV, SHA-256, storage) and permission-checked downloads."""

import hashlib
import io
import os
import socket
import struct
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from apps.audit.models import AuditEvent
from apps.core.files import intake
from apps.core.files.clamav import ClamdError, ClamdScanner, ScanFailed, ScannerUnavailable, get_scanner
from apps.core.files.intake import MB, UploadRejected, accept_upload, register_purpose
from apps.core.files.models import ScanStatus, StoredFile
from apps.core.files.views import default_access_rule, register_access_rule
from apps.organizations.roles import Role
from conftest import require_component, verified_client

# The EICAR test string, assembled at run time so that this file itself is never flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" + b"-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


# --------------------------------------------------------------------------- sample files
def make_pdf(text: str = "Ke hoach chuyen doi so 2026") -> bytes:
    """A minimal but complete one-page PDF (objects, xref table with exact offsets, trailer)."""
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


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả chuyển đổi số năm 2026")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Chỉ tiêu"
    workbook.active["A1"] = "Tỷ lệ hồ sơ trực tuyến"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


def make_pe() -> bytes:
    """A minimal PE executable header: DOS stub "MZ" with e_lfanew → "PE\\0\\0" + a COFF header."""
    dos = b"MZ" + b"\0" * 58 + struct.pack("<I", 64)
    coff = struct.pack("<HHIIIHH", 0x14C, 1, 0, 0, 0, 0xE0, 0x0102)  # i386, 1 section, executable
    return dos + b"PE\0\0" + coff + b"\0" * 256


def make_elf() -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\0" * 9 + struct.pack("<HHI", 2, 62, 1) + b"\0" * 100


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    # The browser-declared content type is deliberately wrong in many tests: it is never trusted.
    return SimpleUploadedFile(name, data, content_type=content_type)


def files_under(root) -> list[str]:
    return [os.path.join(d, f) for d, _dirs, names in os.walk(root) for f in names]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A private MEDIA_ROOT and, unless a test enables one, no virus scanner."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = ""
    return tmp_path / "media"


@pytest.fixture
def clamd(settings):
    """The real clamd named by CLAMD_SOCKET / CLAMD_TCP (CI: EICAR-only signature database)."""
    socket_path = os.environ.get("CLAMD_SOCKET", "")
    tcp = os.environ.get("CLAMD_TCP", "")
    available = False
    if socket_path or tcp:
        try:
            available = ClamdScanner(socket_path=socket_path or None, tcp=tcp or None, timeout=5).ping()
        except ClamdError:
            available = False
    require_component("ClamAV", available, "start clamd and set CLAMD_SOCKET")
    settings.CLAMD_SOCKET = socket_path
    settings.CLAMD_TCP = tcp
    return get_scanner()


class FakeClamd:
    """A unix-socket server that speaks clamd's INSTREAM framing and answers what a test says."""

    def __init__(self, path: str, reply: bytes):
        self.path = path
        self.reply = reply
        self.received = b""
        self.commands: list[bytes] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _recv_exact(self, conn, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                raise ConnectionError("short read")
            data += chunk
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                self.commands.append(command)
                if command == b"zINSTREAM\0":
                    while True:
                        (length,) = struct.unpack("!L", self._recv_exact(conn, 4))
                        if length == 0:
                            break
                        self.received += self._recv_exact(conn, length)
                    conn.sendall(self.reply + b"\0")
                elif command == b"zVERSION\0":
                    conn.sendall(b"ClamAV 0.0-fake\0")
                elif command == b"zPING\0":
                    conn.sendall(b"PONG\0")

    def close(self):
        self.server.close()


@pytest.fixture
def fake_clamd(settings, tmp_path):
    servers = []

    def start(reply: bytes) -> FakeClamd:
        server = FakeClamd(str(tmp_path / f"fake{len(servers)}.sock"), reply)
        servers.append(server)
        settings.CLAMD_SOCKET = server.path
        return server

    yield start
    for server in servers:
        server.close()


# --------------------------------------------------------------------------- accepted files
def test_real_pdf_is_stored_byte_identical(db, media, users):
    data = make_pdf()
    user = users[Role.SPECIALIST]
    stored = accept_upload(
        upload("Kế hoạch CĐS 2026.pdf", data, "text/html"),
        purpose="document",
        user=user,
        organization=user.memberships.get().organization,
    )
    stored.refresh_from_db()
    assert stored.content_type == "application/pdf"  # from the content, not from the browser
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.original_name == "Kế hoạch CĐS 2026.pdf"
    assert stored.scan_status == ScanStatus.NOT_SCANNED
    assert stored.uploaded_by == user
    # A safe stored name: the row's uuid plus the extension of the sniffed type.
    assert os.path.basename(stored.file.name) == f"{stored.pk.hex}.pdf"
    assert stored.file.name.startswith("files/")
    with open(stored.file.path, "rb") as handle:
        assert handle.read() == data
    assert os.path.realpath(stored.file.path).startswith(os.path.realpath(media))


def test_upload_is_audited(db, users):
    user = users[Role.SPECIALIST]
    stored = accept_upload(upload("a.pdf", make_pdf()), purpose="document", user=user)
    event = AuditEvent.objects.get(verb="file_uploaded", object_id=str(stored.pk))
    assert event.actor == user
    assert event.changes["sha256"] == [None, stored.sha256]


@pytest.mark.parametrize(
    "name, maker, mime",
    [
        (
            "bao-cao.docx",
            make_docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("chi-tieu.xlsx", make_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("anh.png", make_png, "image/png"),
        ("VAN-BAN.PDF", make_pdf, "application/pdf"),
    ],
)
def test_office_files_and_images_are_recognised(db, name, maker, mime):
    data = maker()
    stored = accept_upload(upload(name, data), purpose="document")
    assert stored.content_type == mime
    with stored.file.open("rb") as handle:
        assert handle.read() == data


def test_zip_based_office_file_is_recognised_even_when_libmagic_only_sees_a_zip(db, monkeypatch):
    monkeypatch.setattr(intake.magic, "from_buffer", lambda head, mime: "application/zip")
    stored = accept_upload(upload("chi-tieu.xlsx", make_xlsx()), purpose="document")
    assert stored.content_type == intake.XLSX


def test_user_supplied_path_is_never_used(db, media):
    stored = accept_upload(upload("../../etc/x\r\n.pdf", make_pdf()), purpose="document")
    assert stored.original_name == "x.pdf"
    assert os.path.realpath(stored.file.path).startswith(os.path.realpath(media))


def test_without_a_scanner_the_file_is_marked_not_scanned(db, settings):
    assert get_scanner() is None
    stored = accept_upload(upload("a.pdf", make_pdf()), purpose="document")
    assert stored.scan_status == ScanStatus.NOT_SCANNED
    assert stored.scan_engine == ""


# --------------------------------------------------------------------------- rejected files
def assert_nothing_kept(media):
    assert files_under(media) == []
    assert not StoredFile.objects.exists()


def test_oversize_file_is_rejected(db, media):
    data = make_pdf() + b"\0" * (20 * MB)
    with pytest.raises(UploadRejected) as excinfo:
        accept_upload(upload("lon.pdf", data), purpose="document")
    assert str(excinfo.value) == "Tệp vượt quá dung lượng cho phép (tối đa 20 MB)."
    assert_nothing_kept(media)


def test_oversize_stream_without_a_declared_size_stops_reading_early(db, media):
    register_purpose("test-tiny", {intake.PDF}, 100 * 1024)

    class Endless(io.RawIOBase):
        name = "vo-han.pdf"
        served = 0

        def readable(self):
            return True

        def read(self, n=-1):
            self.served += n
            return b"%PDF-1.4\n" + b"\0" * (n - 9)

    stream = Endless()
    with pytest.raises(UploadRejected, match=r"tối đa 100 KB"):
        accept_upload(stream, purpose="test-tiny")
    assert stream.served <= 100 * 1024 + intake.CHUNK_SIZE
    assert_nothing_kept(media)


@pytest.mark.parametrize("maker", [make_pe, make_elf], ids=["PE", "ELF"])
def test_executable_renamed_pdf_is_rejected(db, media, maker):
    with pytest.raises(UploadRejected) as excinfo:
        accept_upload(upload("cong-van.pdf", maker(), "application/pdf"), purpose="document")
    message = str(excinfo.value)
    assert message.startswith("Nội dung tệp không khớp với đuôi .pdf: tệp thực chất là application/")
    assert "pdf" not in message.rsplit("application/", 1)[1]
    assert_nothing_kept(media)


def test_pe_is_recognised_as_an_executable(db):
    with pytest.raises(UploadRejected, match=r"(x-dosexec|portable-executable|x-msdownload)"):
        accept_upload(upload("a.pdf", make_pe()), purpose="document")


def test_docx_renamed_pdf_is_rejected(db, media):
    with pytest.raises(UploadRejected, match=r"không khớp với đuôi \.pdf: .*wordprocessingml"):
        accept_upload(upload("a.pdf", make_docx()), purpose="document")
    assert_nothing_kept(media)


def test_pdf_without_a_matching_extension_is_rejected(db, media):
    with pytest.raises(UploadRejected, match=r"Đuôi tệp \.exe không khớp với nội dung \(PDF\)"):
        accept_upload(upload("a.exe", make_pdf()), purpose="document")
    assert_nothing_kept(media)


def test_type_not_allowed_for_the_purpose_is_rejected(db, media):
    with pytest.raises(UploadRejected, match=r"Loại tệp này không được chấp nhận.*Chỉ chấp nhận: JPEG, PNG"):
        accept_upload(upload("a.pdf", make_pdf()), purpose="image")
    with pytest.raises(UploadRejected, match=r"Loại tệp này không được chấp nhận \(text/plain\)"):
        accept_upload(upload("ghi-chu.txt", "Xin chào".encode()), purpose="document")
    assert_nothing_kept(media)


def test_empty_file_is_rejected(db, media):
    with pytest.raises(UploadRejected, match="Không đọc được tệp: tệp rỗng."):
        accept_upload(upload("rong.pdf", b""), purpose="document")
    assert_nothing_kept(media)


def test_unreadable_file_is_rejected(db, media):
    class Broken(io.RawIOBase):
        name = "hong.pdf"

        def readable(self):
            return True

        def read(self, n=-1):
            raise OSError("I/O error on the upload")

    with pytest.raises(UploadRejected) as excinfo:
        accept_upload(Broken(), purpose="document")
    assert str(excinfo.value) == "Không đọc được tệp."
    with pytest.raises(UploadRejected, match="Không đọc được tệp."):
        accept_upload(None, purpose="document")
    assert_nothing_kept(media)


def test_unknown_purpose_is_a_programming_error(db):
    with pytest.raises(ValueError, match="register_purpose"):
        accept_upload(upload("a.pdf", make_pdf()), purpose="chua-dang-ky")


def test_failed_insert_leaves_no_orphan_file(db, media, monkeypatch):
    def broken_record(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(intake, "record", broken_record)
    with pytest.raises(RuntimeError):
        accept_upload(upload("a.pdf", make_pdf()), purpose="document")
    assert_nothing_kept(media)


def test_rejection_is_a_validation_error_for_forms(db):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        accept_upload(upload("rong.pdf", b""), purpose="document")
    assert excinfo.value.code == "empty"


# --------------------------------------------------------------------------- the clamd client
def test_scanner_from_settings(settings):
    assert get_scanner() is None
    settings.CLAMD_TCP = "127.0.0.1:3310"
    assert get_scanner().tcp == ("127.0.0.1", 3310)
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert get_scanner().socket_path == "/run/clamav/clamd.ctl"


def test_instream_framing_and_verdicts(fake_clamd):
    server = fake_clamd(b"stream: Win.Test.Fake-1 FOUND")
    scanner = get_scanner()
    data = os.urandom(200_000)  # several 64 KB chunks
    result = scanner.scan_bytes(io.BytesIO(data))
    assert server.received == data
    assert (result.clean, result.signature, result.engine) == (False, "Win.Test.Fake-1", "ClamAV 0.0-fake")
    assert scanner.ping() is True

    server.reply = b"stream: OK"
    assert scanner.scan_bytes(b"abc").clean is True

    server.reply = b"INSTREAM size limit exceeded. ERROR"
    with pytest.raises(ScanFailed):
        scanner.scan_bytes(b"abc")


def test_infected_file_is_rejected_with_the_signature_name(db, media, fake_clamd):
    fake_clamd(b"stream: Eicar-Test-Signature FOUND")
    with pytest.raises(UploadRejected) as excinfo:
        accept_upload(upload("a.pdf", make_pdf()), purpose="document")
    assert str(excinfo.value) == "Tệp bị nhiễm mã độc (Eicar-Test-Signature) và đã bị từ chối."
    assert_nothing_kept(media)


def test_scanner_error_reply_rejects(db, media, fake_clamd):
    fake_clamd(b"stream: Can't allocate memory ERROR")
    with pytest.raises(UploadRejected, match="không kiểm tra được"):
        accept_upload(upload("a.pdf", make_pdf()), purpose="document")
    assert_nothing_kept(media)


def test_configured_but_unreachable_scanner_rejects(db, media, settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")
    with pytest.raises(UploadRejected, match="Không kết nối được dịch vụ quét virus"):
        accept_upload(upload("a.pdf", make_pdf()), purpose="document")
    assert_nothing_kept(media)


def test_configured_but_unreachable_tcp_scanner_rejects(db, media, settings):
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CLAMD_SOCKET = ""
    settings.CLAMD_TCP = f"127.0.0.1:{port}"
    with pytest.raises(ScannerUnavailable):
        get_scanner().ping()
    with pytest.raises(UploadRejected, match="Không kết nối được dịch vụ quét virus"):
        accept_upload(upload("a.pdf", make_pdf()), purpose="document")
    assert_nothing_kept(media)


# --------------------------------------------------------------------------- the real clamd
@pytest.mark.clamav
def test_real_clamd_answers(clamd):
    assert clamd.ping() is True
    assert clamd.version().startswith("ClamAV")
    assert clamd.scan_bytes(EICAR).clean is False
    assert clamd.scan_bytes(make_pdf()).clean is True


@pytest.mark.clamav
def test_eicar_is_rejected_by_the_real_clamd(db, media, clamd):
    # EICAR is plain text, so it gets past the type check only for a purpose that takes text:
    # then it is the scan that refuses it.
    register_purpose("test-text", {"text/plain"}, MB)
    with pytest.raises(UploadRejected) as excinfo:
        accept_upload(upload("eicar.txt", EICAR), purpose="test-text")
    signature = clamd.scan_bytes(EICAR).signature
    assert signature
    assert str(excinfo.value) == f"Tệp bị nhiễm mã độc ({signature}) và đã bị từ chối."
    assert_nothing_kept(media)
    assert not AuditEvent.objects.filter(verb="file_uploaded").exists()


@pytest.mark.clamav
def test_clean_text_passes_the_real_clamd(db, media, clamd):
    register_purpose("test-text", {"text/plain"}, MB)
    stored = accept_upload(upload("ghi-chu.txt", "Xin chào".encode()), purpose="test-text")
    assert stored.scan_status == ScanStatus.CLEAN


@pytest.mark.clamav
def test_clean_file_through_the_real_clamd_is_marked_clean(db, media, clamd):
    data = make_pdf()
    stored = accept_upload(upload("sach.pdf", data), purpose="document")
    assert stored.scan_status == ScanStatus.CLEAN
    assert stored.scan_engine.startswith("ClamAV")
    with open(stored.file.path, "rb") as handle:
        assert handle.read() == data


# --------------------------------------------------------------------------- downloads
@pytest.fixture
def uploaded(db, users, tree):
    data = make_pdf("Bao cao quy IV")
    stored = accept_upload(
        upload('Báo cáo quý IV "mật".pdf', data),
        purpose="document",
        user=users[Role.SPECIALIST],
        organization=tree["tech"],
    )
    return stored, data


def get_download(client, stored):
    return client.get(reverse("core:file_download", args=[stored.pk]))


def test_uploader_downloads_the_exact_bytes(client, uploaded, users):
    stored, data = uploaded
    response = get_download(verified_client(client, users[Role.SPECIALIST]), stored)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "B%C3%A1o%20c%C3%A1o" in disposition
    assert '"' not in disposition.split("filename*=", 1)[1]


def test_leader_of_the_same_agency_downloads(client, uploaded, users):
    stored, data = uploaded
    response = get_download(verified_client(client, users[Role.LEADER]), stored)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data


def test_specialist_of_another_unit_gets_404(client, uploaded, make_user):
    stored, _ = uploaded
    outsider = make_user(Role.SPECIALIST, username="cv-syt", unit="other_unit")
    assert get_download(verified_client(client, outsider), stored).status_code == 404


def test_leader_of_another_agency_gets_404(client, uploaded, make_user):
    stored, _ = uploaded
    outsider = make_user(Role.LEADER, username="ld-syt", unit="other_agency")
    assert get_download(verified_client(client, outsider), stored).status_code == 404


def test_unknown_file_gets_404(client, users):
    import uuid

    response = verified_client(client, users[Role.ADMINISTRATOR]).get(
        reverse("core:file_download", args=[uuid.uuid4()])
    )
    assert response.status_code == 404


def test_anonymous_is_sent_to_login(uploaded):
    stored, _ = uploaded
    response = get_download(Client(), stored)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_registered_access_rule_replaces_the_default(client, db, users, tree, make_user):
    register_purpose("test-private", {intake.PDF}, MB)
    reader = make_user(Role.SPECIALIST, username="cv-doc", unit="other_unit")
    register_access_rule("test-private", lambda user, stored: user.pk == reader.pk)
    stored = accept_upload(
        upload("rieng.pdf", make_pdf()),
        purpose="test-private",
        user=users[Role.SPECIALIST],
        organization=tree["tech"],
    )
    assert default_access_rule(users[Role.LEADER], stored) is True
    assert get_download(verified_client(client, reader), stored).status_code == 200
    assert get_download(verified_client(Client(), users[Role.LEADER]), stored).status_code == 404


def test_admin_lists_stored_files_read_only(client, uploaded, admin_user):
    stored, _ = uploaded
    client = verified_client(client, admin_user)
    page = client.get("/quan-tri-he-thong/core/storedfile/")
    assert page.status_code == 200
    assert escape(stored.original_name) in page.content.decode()
    assert reverse("core:file_download", args=[stored.pk]) in page.content.decode()
    assert client.get(f"/quan-tri-he-thong/core/storedfile/{stored.pk}/change/").status_code == 200
    assert client.get("/quan-tri-he-thong/core/storedfile/add/").status_code == 403
    assert client.get(f"/quan-tri-he-thong/core/storedfile/{stored.pk}/delete/").status_code == 403
    # a superuser's scope reaches every file
    assert get_download(client, stored).status_code == 200


@pytest.mark.django_db
def test_sweep_removes_only_old_orphans(settings, tmp_path):
    import os
    import time

    from django.core.files.base import ContentFile

    from apps.core.files.intake import accept_upload
    from apps.core.files.sweep import sweep_orphans

    settings.MEDIA_ROOT = str(tmp_path)
    kept = accept_upload(ContentFile(make_pdf(), name="a.pdf"), purpose="document")
    orphan_dir = tmp_path / "files" / "2026" / "01"
    orphan_dir.mkdir(parents=True, exist_ok=True)
    old, young = orphan_dir / "old.pdf", orphan_dir / "young.pdf"
    old.write_bytes(b"x")
    young.write_bytes(b"y")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    os.utime(tmp_path / kept.file.name, (two_hours_ago, two_hours_ago))

    assert sweep_orphans() == ["files/2026/01/old.pdf"]
    assert not old.exists() and young.exists() and (tmp_path / kept.file.name).exists()


@pytest.mark.django_db
def test_csv_is_accepted_for_imports_only(settings, tmp_path):
    from django.core.files.base import ContentFile

    from apps.core.files.intake import UploadRejected, accept_upload

    settings.MEDIA_ROOT = str(tmp_path)
    data = "Mã tài sản,Tên\nMT-001,Máy tính\n".encode()
    stored = accept_upload(ContentFile(data, name="tai-san.csv"), purpose="import")
    assert stored.content_type == "text/csv" and stored.file.name.endswith(".csv")
    with pytest.raises(UploadRejected):
        accept_upload(ContentFile(data, name="tai-san.csv"), purpose="document")
