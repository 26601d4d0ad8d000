"""File intake: the one door every upload goes through (DESIGN.md, "Files").

`accept_upload()` checks the size (reading in chunks and stopping early), sniffs the type from the
content with libmagic and requires the name's extension to agree, computes SHA-256, scans the
bytes with ClamAV *before* anything is written to storage, then writes the file under a safe name
(uuid + the extension of the sniffed type) and creates the StoredFile row and its audit event in
one transaction. Every refusal raises `UploadRejected` with a message for the user and leaves
nothing on disk and nothing in the database.

Purposes (what the file is for) carry the policy: allowed types and the size limit. Apps register
their own with `register_purpose()`; "document" and "image" exist by default.

`inspect_upload()` runs the same checks for a file the caller reads and does not keep here (an
import read row by row, a portal media file that Wagtail stores itself).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import tempfile
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from apps.core import events
from apps.core.events import emit as record

from .clamav import ClamdError, ScanFailed, get_scanner
from .models import ScanStatus, StoredFile

logger = logging.getLogger(__name__)

MB = 1024 * 1024
CHUNK_SIZE = 64 * 1024
SNIFF_BYTES = 1 * MB  # libmagic needs more than the first few KB to name some OOXML files
SPOOL_IN_MEMORY = 2 * MB  # larger uploads are spooled to a private temporary file, never to MEDIA

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"

# Sniffed type → accepted extensions; the first one is used for the stored name.
TYPE_EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    PPTX: (".pptx",),
    ODT: (".odt",),
    ODS: (".ods",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "image/tiff": (".tif", ".tiff"),
    "application/zip": (".zip",),
    "application/xml": (".xml",),
    "text/xml": (".xml",),
    "text/csv": (".csv",),
    "text/plain": (".txt",),
}

TYPE_LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", PPTX: "PPTX", ODT: "ODT", ODS: "ODS", PNG: "PNG"}
TYPE_LABELS[JPEG] = "JPEG"

# Zip containers: their central directory is checked against the zip-bomb limits before storing.
ARCHIVE_TYPES = frozenset({DOCX, XLSX, PPTX, ODT, ODS, "application/zip"})
RATIO_FLOOR = 1 * MB  # below this unpacked size the expansion ratio is harmless and not checked

# Entries that identify an office document inside a zip, when libmagic only says "application/zip".
ZIP_MARKERS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))


class UploadRejected(ValidationError):
    """The upload was refused; `message` says why, in words for the user."""

    def __init__(self, message: str, code: str = "upload_rejected"):
        super().__init__(message, code=code)

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Purpose:
    name: str
    allowed_types: frozenset[str]
    max_bytes: int


_PURPOSES: dict[str, Purpose] = {}


def register_purpose(name: str, allowed_types: set[str], max_bytes: int) -> Purpose:
    """Declare (or redefine) what files of purpose `name` may be: types and size limit."""
    unknown = set(allowed_types) - set(TYPE_EXTENSIONS)
    if unknown:
        raise ValueError(f"No extension known for {sorted(unknown)}; add it to TYPE_EXTENSIONS first.")
    if max_bytes <= 0:
        raise ValueError("max_bytes must be positive")
    purpose = Purpose(name=name, allowed_types=frozenset(allowed_types), max_bytes=int(max_bytes))
    _PURPOSES[name] = purpose
    return purpose


def get_purpose(name: str) -> Purpose:
    try:
        return _PURPOSES[name]
    except KeyError:
        raise ValueError(f"Unknown upload purpose {name!r}; register it with register_purpose().") from None


register_purpose("document", {PDF, DOCX, XLSX, ODT, PNG, JPEG}, 20 * MB)
register_purpose("image", {PNG, JPEG}, 20 * MB)
register_purpose("import", {CSV, XLSX}, 20 * MB)  # spreadsheets for bulk imports


# --------------------------------------------------------------------------- helpers
def _format_size(n: int) -> str:
    if n >= MB:
        value, unit = n / MB, "MB"
    else:
        value, unit = n / 1024, "KB"
    text = f"{value:.0f}" if value == int(value) else f"{value:.1f}".replace(".", ",")
    return f"{text} {unit}"


def _type_label(mime: str) -> str:
    return TYPE_LABELS.get(mime, mime)


def _clean_name(name: str | None) -> str:
    """The user's file name without folders or control characters (only ever shown, never used
    as a path)."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "tep"
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext if len(ext) < 20 else name[:255]
    return name


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _read_into_spool(uploaded_file, max_bytes: int):
    """Copy the upload into a private spool, hashing on the way; stop as soon as it is too big."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (closed by caller)
    digest = hashlib.sha256()
    size = 0
    try:
        if hasattr(uploaded_file, "seek"):
            with contextlib.suppress(OSError, ValueError):
                uploaded_file.seek(0)
        chunks = (
            uploaded_file.chunks(CHUNK_SIZE)
            if hasattr(uploaded_file, "chunks")
            else iter(lambda: uploaded_file.read(CHUNK_SIZE), b"")
        )
        for chunk in chunks:
            if isinstance(chunk, str):
                raise TypeError("text stream")
            size += len(chunk)
            if size > max_bytes:
                spool.close()
                raise UploadRejected(
                    f"Tệp vượt quá dung lượng cho phép (tối đa {_format_size(max_bytes)}).", code="too_large"
                )
            digest.update(chunk)
            spool.write(chunk)
    except UploadRejected:
        raise
    except Exception as exc:  # any failure to read the upload is the user's file being unreadable
        spool.close()
        logger.info("upload unreadable: %r", exc)
        raise UploadRejected("Không đọc được tệp.", code="unreadable") from exc
    spool.seek(0)
    return spool, size, digest.hexdigest()


def _sniff(spool) -> str:
    spool.seek(0)
    head = spool.read(SNIFF_BYTES)
    spool.seek(0)
    mime = magic.from_buffer(head, mime=True)
    if mime == "application/zip":
        mime = _refine_zip(spool) or mime
        spool.seek(0)
    return mime


def _refine_zip(spool) -> str | None:
    """Name an office document that libmagic only recognised as a zip (entry order differs)."""
    try:
        with zipfile.ZipFile(spool) as archive:
            names = set(archive.namelist())
            for marker, mime in ZIP_MARKERS:
                if marker in names:
                    return mime
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                declared = archive.read("mimetype").decode("ascii", "replace").strip()
                if declared in TYPE_EXTENSIONS:
                    return declared
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _as_csv(mime: str, name: str, purpose: Purpose) -> str:
    """libmagic has no reliable CSV signature: plain text named .csv is a CSV where CSV is allowed."""
    if mime == "text/plain" and _extension(name) == ".csv" and CSV in purpose.allowed_types:
        return CSV
    return mime


def _check_type(mime: str, name: str, purpose: Purpose) -> str:
    """The extension to store under, if the sniffed type is allowed and matches the name."""
    ext = _extension(name)
    allowed_extensions = {e for t in purpose.allowed_types for e in TYPE_EXTENSIONS[t]}
    if mime in purpose.allowed_types and ext in TYPE_EXTENSIONS[mime]:
        return TYPE_EXTENSIONS[mime][0]
    accepted = ", ".join(sorted({_type_label(t) for t in purpose.allowed_types}))
    if ext in allowed_extensions:
        raise UploadRejected(
            f"Nội dung tệp không khớp với đuôi {ext}: tệp thực chất là {mime}.", code="type_mismatch"
        )
    if mime in purpose.allowed_types:
        shown = ext or "(không có đuôi)"
        raise UploadRejected(
            f"Đuôi tệp {shown} không khớp với nội dung ({_type_label(mime)}); "
            f"hãy đặt lại tên tệp với đuôi {TYPE_EXTENSIONS[mime][0]}.",
            code="type_mismatch",
        )
    raise UploadRejected(
        f"Loại tệp này không được chấp nhận ({mime}). Chỉ chấp nhận: {accepted}.", code="type_not_allowed"
    )


def _check_archive(spool, mime: str, size: int) -> None:
    """Refuse a zip container that is broken or would unpack into too much (a zip bomb).

    The limits are read from the central directory; the only bytes inflated are those of the
    CRC check, bounded by the announced sizes that have just passed the limits (never to disk).
    """
    max_total = int(getattr(settings, "UPLOAD_ZIP_MAX_UNCOMPRESSED", 100 * MB))
    max_ratio = int(getattr(settings, "UPLOAD_ZIP_MAX_RATIO", 100))
    max_members = int(getattr(settings, "UPLOAD_ZIP_MAX_MEMBERS", 1000))
    label = _type_label(mime) if mime != "application/zip" else "ZIP"
    broken = UploadRejected(
        f"Tệp {label} bị hỏng hoặc không phải là tệp nén hợp lệ nên không được chấp nhận.", code="bad_archive"
    )
    bomb = UploadRejected(
        f"Tệp {label} bị từ chối: khi giải nén tệp sẽ chiếm dung lượng quá lớn (tối đa "
        f"{_format_size(max_total)}, gấp tối đa {max_ratio} lần tệp nén, tối đa {max_members} thành phần). "
        "Hãy kiểm tra lại tệp.",
        code="archive_too_large",
    )
    spool.seek(0)
    try:
        with zipfile.ZipFile(spool) as archive:
            members = archive.infolist()
            total = sum(info.file_size for info in members)
            if len(members) > max_members or total > max_total:
                raise bomb
            if total > RATIO_FLOOR and total > max_ratio * max(size, 1):
                raise bomb
            for info in members:
                if info.flag_bits & 0x1:  # zip-level encryption: no office format uses it
                    raise broken
                with archive.open(info) as member:  # stops at the announced size, then checks the CRC
                    while member.read(CHUNK_SIZE):
                        pass
    except UploadRejected:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        EOFError,
        ValueError,
        KeyError,
    ) as exc:
        logger.info("upload is a broken archive: %r", exc)
        raise broken from exc
    finally:
        spool.seek(0)


# Markup that makes a browser render a file as a page; never inside the header of a real PDF.
HTML_MARKERS = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg", b"<head")


def _check_pdf(spool) -> None:
    """Refuse a PDF that is cut short, whose structure cannot be read, or that is also a web page."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    broken = UploadRejected(
        "Tệp PDF bị hỏng hoặc không đọc được (có thể tệp bị cắt cụt khi tải lên) nên không được chấp nhận. "
        "Hãy lưu lại hoặc xuất lại tệp PDF rồi gửi lại.",
        code="bad_pdf",
    )
    spool.seek(0)
    try:
        if any(marker in spool.read(1024).lower() for marker in HTML_MARKERS):
            raise UploadRejected(
                "Tệp PDF bị từ chối: tệp chứa mã trang web (HTML) nên có thể bị trình duyệt "
                "chạy như một trang web.",
                code="pdf_polyglot",
            )
        spool.seek(0)
        reader = PdfFileReader(spool, strict=False)
        pages = reader.root["/Pages"]
        if int(pages["/Count"]) < 1:
            raise broken
    except UploadRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure on these bytes is a broken file
        logger.info("upload is a broken PDF: %r", exc)
        raise broken from exc
    finally:
        spool.seek(0)


def _scan(spool) -> tuple[str, str]:
    """(scan_status, engine). Refuses infected files and refuses when the scanner is unreachable."""
    scanner = get_scanner()
    if scanner is None:
        return ScanStatus.NOT_SCANNED, ""
    spool.seek(0)
    try:
        result = scanner.scan_bytes(spool)
    except ScanFailed as exc:
        logger.warning("antivirus scan failed: %s", exc)
        raise UploadRejected(
            "Phần mềm diệt virus không kiểm tra được tệp này nên tệp đã bị từ chối.", code="scan_failed"
        ) from exc
    except ClamdError as exc:
        logger.error("antivirus unavailable: %s", exc)
        raise UploadRejected(
            "Không kết nối được dịch vụ quét virus nên chưa thể nhận tệp. Vui lòng thử lại sau.",
            code="scanner_unavailable",
        ) from exc
    finally:
        spool.seek(0)
    if not result.clean:
        logger.warning("upload infected: %s", result.signature)
        raise UploadRejected(f"Tệp bị nhiễm mã độc ({result.signature}) và đã bị từ chối.", code="infected")
    return ScanStatus.CLEAN, result.engine[:128]


# --------------------------------------------------------------------------- the door
def accept_upload(uploaded_file, *, purpose: str, user=None, organization=None) -> StoredFile:
    """Check, scan and store one upload; return its StoredFile or raise UploadRejected.

    `uploaded_file` is a Django UploadedFile or any binary file object with a `name`. The bytes
    are stored unchanged. Call it inside the service's transaction: the row and the audit event
    commit or roll back with the caller (the written file is removed if the insert itself fails).
    A refusal is recorded in the audit log even though the caller's transaction rolls back.
    """
    try:
        return _accept(uploaded_file, purpose=purpose, user=user, organization=organization)
    except UploadRejected as exc:
        _record_refusal(uploaded_file, purpose, user, exc)
        raise


def _record_refusal(uploaded_file, purpose: str, user, exc: UploadRejected) -> None:
    name = _clean_name(getattr(uploaded_file, "name", None)) if uploaded_file is not None else ""
    actor = user if getattr(user, "is_authenticated", False) else None
    events.emit_lasting(
        "upload_rejected", None, actor=actor, note=f"{name}: {exc.message}", changes={"purpose": purpose}
    )


@dataclass(frozen=True)
class Checked:
    """What the checks found out about an upload that passed them."""

    original_name: str
    content_type: str
    extension: str  # of the sniffed type, for the stored name
    size: int
    sha256: str
    scan_status: str
    scan_engine: str


def _check(uploaded_file, policy: Purpose):
    """Every check of the door, in order; returns (open spool, Checked). The caller closes the spool."""
    if uploaded_file is None:
        raise UploadRejected("Không đọc được tệp.", code="unreadable")
    original_name = _clean_name(getattr(uploaded_file, "name", None))

    declared_size = getattr(uploaded_file, "size", None)
    if isinstance(declared_size, int) and declared_size > policy.max_bytes:
        raise UploadRejected(
            f"Tệp vượt quá dung lượng cho phép (tối đa {_format_size(policy.max_bytes)}).", code="too_large"
        )

    spool, size, sha256 = _read_into_spool(uploaded_file, policy.max_bytes)
    try:
        if size == 0:
            raise UploadRejected("Không đọc được tệp: tệp rỗng.", code="empty")
        mime = _sniff(spool)
        mime = _as_csv(mime, original_name, policy)
        stored_ext = _check_type(mime, original_name, policy)
        if mime in ARCHIVE_TYPES:
            _check_archive(spool, mime, size)
        if mime == PDF:
            _check_pdf(spool)
        scan_status, engine = _scan(spool)
    except BaseException:
        spool.close()
        raise
    return spool, Checked(original_name, mime, stored_ext, size, sha256, scan_status, engine)


def inspect_upload(uploaded_file, *, purpose: str, user=None) -> Checked:
    """Run every check of `accept_upload()` without storing anything; raise UploadRejected on
    refusal (recorded in the audit log like a refused upload). The upload is rewound for the caller."""
    try:
        spool, checked = _check(uploaded_file, get_purpose(purpose))
    except UploadRejected as exc:
        _record_refusal(uploaded_file, purpose, user, exc)
        raise
    spool.close()
    with contextlib.suppress(AttributeError, OSError, ValueError):
        uploaded_file.seek(0)
    return checked


def _accept(uploaded_file, *, purpose: str, user=None, organization=None) -> StoredFile:
    spool, checked = _check(uploaded_file, get_purpose(purpose))
    original_name, mime, stored_ext = checked.original_name, checked.content_type, checked.extension
    size, sha256, scan_status, engine = checked.size, checked.sha256, checked.scan_status, checked.scan_engine
    with spool:
        actor = user if getattr(user, "is_authenticated", False) else None
        file_id = uuid.uuid4()
        stored = StoredFile(
            id=file_id,
            original_name=original_name,
            content_type=mime,
            size=size,
            sha256=sha256,
            purpose=purpose,
            scan_status=scan_status,
            scan_engine=engine,
            organization=organization,
            uploaded_by=actor,
        )
        field = StoredFile._meta.get_field("file")
        storage = field.storage
        target = field.generate_filename(stored, f"{file_id.hex}{stored_ext}")  # files/2026/11/<uuid>.pdf
        written: list[str] = [target]
        try:
            with transaction.atomic():
                spool.seek(0)
                written.append(storage.save(target, File(spool), max_length=field.max_length))
                stored.file.name = written[-1]
                stored.save(force_insert=True)
                record(
                    "file_uploaded",
                    stored,
                    actor=actor,
                    note=f"{original_name} ({purpose}, {_format_size(size)})",
                    # same shape as the field diffs: field -> [old, new]
                    changes={
                        "sha256": [None, sha256],
                        "size": [None, size],
                        "content_type": [None, mime],
                        "scan_status": [None, scan_status],
                    },
                )
        except BaseException:
            # The row was not committed (write, insert, audit or commit failed): remove the bytes,
            # including a partial write that storage.save() did not finish.
            # (`target` is a fresh uuid, so a file there can only be ours.)
            with contextlib.suppress(OSError):
                if storage.exists(written[-1]):
                    storage.delete(written[-1])
            raise
    pending = _PENDING.get()
    if pending is not None:
        pending.append((storage, stored.file.name))
    return stored


# --------------------------------------------------------------------------- caller's transaction
# Files stored inside the innermost `atomic_with_files()` block, to delete if that block fails.
_PENDING: contextvars.ContextVar[list | None] = contextvars.ContextVar("intake_pending", default=None)


@contextlib.contextmanager
def atomic_with_files(using=None):
    """`transaction.atomic()` that also deletes the bytes of every file accepted inside it when
    the block fails: the rows roll back, so no byte may stay behind. Use it (as a context manager
    or a decorator) in services that store uploads and can still refuse after storing.

    A block that succeeds hands its files to an enclosing `atomic_with_files()`; a plain outer
    transaction that rolls back later leaves them to the orphan sweep (sweep.py).
    """
    parent = _PENDING.get()
    written: list = []
    token = _PENDING.set(written)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        for storage, name in written:
            with contextlib.suppress(OSError):
                if storage.exists(name):
                    storage.delete(name)
        raise
    finally:
        _PENDING.reset(token)
    if parent is not None:
        parent.extend(written)
