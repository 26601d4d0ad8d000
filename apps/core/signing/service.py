"""PAdES signing and offline verification of PDFs (pyHanko).

`sign_pdf()` returns new bytes (an incremental update: the original revision stays inside,
byte for byte); it never modifies its input. `verify_pdf()` checks every signature against the
trust roots given, without any network access.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from io import BytesIO
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import appearance as looks
from .errors import MalformedPdf, NotAPdf, SigningError
from .keys import SignerKey

logger = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APPEARANCES = ("personal", "seal", "attachment", "invisible")

# Default boxes in PDF points (x1, y1, x2, y2) on A4 (595 × 842): the signer block is at the
# bottom right of the last page; the seal overlaps the left third of the personal signature.
PERSONAL_BOX = (360, 90, 540, 160)
SEAL_BOX = (345, 70, 455, 180)
ATTACHMENT_SIZE = (190, 30)  # width, height; placed top right of page 1
RIGHT_MARGIN, TOP_MARGIN = 42, 28


def _read(pdf_bytes: bytes):
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not isinstance(pdf_bytes, bytes | bytearray) or not bytes(pdf_bytes[:1024]).lstrip().startswith(
        b"%PDF-"
    ):
        raise NotAPdf("Tệp không phải là tài liệu PDF (nội dung không đúng định dạng PDF).")
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        reader.root  # noqa: B018 — forces the trailer and catalog to parse
        return reader
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise MalformedPdf(MALFORMED) from exc
    except Exception as exc:  # noqa: BLE001 — any parser failure on hostile bytes is a broken file
        logger.info("unexpected PDF parser failure: %r", exc)
        raise MalformedPdf(MALFORMED) from exc


MALFORMED = "Tệp PDF bị hỏng hoặc không đọc được."
MALFORMED_SIGNATURE = (
    "Tệp PDF bị hỏng: chữ ký số {name} có cấu trúc không hợp lệ nên không kiểm tra được. "
    "Hãy đề nghị nơi gửi cung cấp lại tệp."
)


def iso_vn(moment: dt.datetime) -> str:
    """Signing time as B4 wants it: ISO 8601 with the Vietnam time zone."""
    return moment.astimezone(VN_TZ).isoformat(timespec="seconds")


def _page_box(reader, page_index: int) -> tuple[float, float]:
    page = reader.root["/Pages"]
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: F401 (type only)

    page_obj = reader.find_page_for_modification(page_index)[0].get_object()
    media = page_obj.get("/MediaBox") or page.get("/MediaBox") or [0, 0, 595, 842]
    return float(media[2]) - float(media[0]), float(media[3]) - float(media[1])


def sign_pdf(
    pdf_bytes: bytes,
    signer: SignerKey,
    *,
    reason: str,
    location: str,
    appearance: str = "personal",
    page: int | None = None,
    box: tuple[float, float, float, float] | None = None,
    reference: str = "",
    organization: str = "",
    signature_png: bytes | None = None,
    near_name: str = "",
) -> bytes:
    """Sign `pdf_bytes` with `signer`; PAdES baseline (subfilter ETSI.CAdES.detached).

    appearance: "personal" (blue signature image, box 7c), "seal" (red seal, box 8, overlapping
    the personal signature), "attachment" (no image; number and symbol + ISO 8601 time, top
    right of page 1) or "invisible". `page` is 0-based; negative counts from the end
    (default: last page for personal/seal, first page for attachment). With `near_name` (the
    signer's name as printed) and no `box`, personal and seal go into the signer block found on
    the document.
    """
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    if appearance not in APPEARANCES:
        raise ValueError(f"appearance must be one of {APPEARANCES}")
    reader = _read(bytes(pdf_bytes))
    try:
        pages = int(reader.root["/Pages"]["/Count"])
    except Exception as exc:  # noqa: BLE001 — a missing or wrong-typed page tree
        raise MalformedPdf(MALFORMED) from exc
    if near_name and box is None and appearance in ("personal", "seal"):
        from .placement import signer_boxes

        found = signer_boxes(bytes(pdf_bytes), near_name)
        if found is not None:
            page, personal_box, seal_box = found
            box = personal_box if appearance == "personal" else seal_box
    if page is None:
        page = 0 if appearance == "attachment" else pages - 1
    if page < 0:
        page += pages
    if not 0 <= page < pages:
        raise SigningError(f"Tài liệu chỉ có {pages} trang; không thể đặt chữ ký ở trang {page + 1}.")

    pyhanko_signer = signer.pyhanko_signer()  # raises WrongKeyPassword / TokenNotConfigured early
    now = dt.datetime.now(tz=VN_TZ)
    existing = len(reader.embedded_signatures)
    field_name = f"Signature{existing + 1}"

    stamp_style = None
    if appearance != "invisible":
        if box is None:
            if appearance == "attachment":
                width, height = _page_box(reader, page)
                w, h = ATTACHMENT_SIZE
                box = (
                    width - RIGHT_MARGIN - w,
                    height - TOP_MARGIN - h,
                    width - RIGHT_MARGIN,
                    height - TOP_MARGIN,
                )
            else:
                box = PERSONAL_BOX if appearance == "personal" else SEAL_BOX
        bw, bh = box[2] - box[0], box[3] - box[1]
        if appearance == "personal":
            image = looks.personal_image(signer.display_name, bw, bh, signature_png)
        elif appearance == "seal":
            image = looks.seal_image(organization or signer.display_name, min(bw, bh))
        else:
            image = looks.text_image([reference or "", iso_vn(now)], bw, bh)
        stamp_style = TextStampStyle(
            stamp_text="",
            border_width=0,
            background=PdfImage(image),
            background_opacity=1.0,
            background_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID,
                y_align=AxisAlignment.ALIGN_MID,
                inner_content_scaling=InnerScaling.STRETCH_TO_FIT,
            ),
        )
    field_spec = fields.SigFieldSpec(field_name, on_page=page, box=tuple(box) if box else None)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        name=signer.display_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    try:
        writer = IncrementalPdfFileWriter(BytesIO(bytes(pdf_bytes)), strict=False)
        out = signers.PdfSigner(
            meta, signer=pyhanko_signer, stamp_style=stamp_style, new_field_spec=field_spec
        ).sign_pdf(writer)
    except SigningError:
        raise
    except (PdfError, ValueError) as exc:
        logger.warning("signing failed: %r", exc)
        raise SigningError(f"Không ký được tài liệu: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 — pyHanko on a malformed PDF (TypeError, AttributeError …)
        logger.warning("signing failed on a malformed PDF: %r", exc)
        raise MalformedPdf(MALFORMED) from exc
    return out.getvalue()


# --------------------------------------------------------------------------- verification
# The headline of one signature, worst first; a file's verdict is that of its worst signature.
VERDICTS = {
    "tampered": _("Signature broken: the signed content was altered"),
    "invalid": _("Signature broken: it does not match the signer's certificate"),
    "modified": _("Changed after signing"),
    "expired": _("Certificate expired or revoked"),
    "untrusted": _("Signature intact, certificate not trusted"),
    "warning": _("Signature with problems"),
    "valid": _("Valid signature, document unchanged since signing"),
}
VERDICT_ORDER = list(VERDICTS)

# Certificate name attributes in the words of a Vietnamese certificate (asn1crypto's native keys).
NAME_LABELS = {
    key: pgettext_lazy("certificate", label)
    for key, label in [
        ("common_name", "Name"),
        ("organization_name", "Organisation"),
        ("organizational_unit_name", "Unit"),
        ("title", "Title"),
        ("locality_name", "Locality"),
        ("state_or_province_name", "Province"),
        ("country_name", "Country"),
        ("email_address", "E-mail"),
        ("serial_number", "Serial number"),
    ]
}


@dataclass
class SignatureReport:
    field_name: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # the cryptographic signature matches the signer's certificate
    trusted: bool  # the certificate chains to a configured trust root (and was valid)
    signer_name: str
    signed_at: dt.datetime | None
    certificate_subject: str
    certificate_issuer: str = ""
    certificate_not_after: dt.datetime | None = None
    covers_whole_document: bool = True
    expired: bool = False
    modified_after_signing: bool = False  # content, annotations or form values appended later
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.verdict == "valid"

    @property
    def verdict(self) -> str:
        if not self.intact:
            return "tampered"
        if not self.valid:
            return "invalid"
        if self.modified_after_signing:
            return "modified"
        if self.expired:
            return "expired"
        if not self.trusted:
            return "untrusted"
        return "valid" if not self.problems else "warning"

    @property
    def headline(self) -> str:
        return str(VERDICTS[self.verdict])

    def as_dict(self) -> dict:
        """The report for other systems (the JSON verification endpoint)."""
        return {
            "field": self.field_name,
            "verdict": self.verdict,
            "headline": self.headline,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "modified_after_signing": self.modified_after_signing,
            "covers_whole_document": self.covers_whole_document,
            "expired": self.expired,
            "signer": self.signer_name,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "certificate_subject": self.certificate_subject,
            "certificate_issuer": self.certificate_issuer,
            "certificate_not_after": (
                self.certificate_not_after.isoformat() if self.certificate_not_after else None
            ),
            "problems": list(self.problems),
        }


def worst_verdict(reports) -> str:
    """The verdict of a file: that of its worst signature ("" for none)."""
    return min((r.verdict for r in reports), key=VERDICT_ORDER.index, default="")


def readable_name(name) -> str:
    """An X.509 name as “Tên: …, Tổ chức: …” (asn1crypto's human_friendly is English)."""
    parts = []
    for key, value in name.native.items():
        label = NAME_LABELS.get(key)
        values = value if isinstance(value, list) else [value]
        parts += [f"{gettext(label) if label else key}: {v}" for v in values]
    return ", ".join(parts)


def _asn1_certs(trust_roots) -> list:
    out = []
    for root in trust_roots or ():
        if isinstance(root, asn1_x509.Certificate):
            out.append(root)
        elif isinstance(root, x509.Certificate):
            out.append(asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER)))
        elif isinstance(root, bytes | bytearray):
            for cert in x509.load_pem_x509_certificates(bytes(root)):
                out.append(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)))
        else:
            raise TypeError(f"unsupported trust root {type(root).__name__}")
    return out


def _vn_date(moment: dt.datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y")


def _check_shape(sig, file_size: int) -> None:
    """Refuse a signature dictionary pyHanko would choke on: /ByteRange must be pairs of
    non-negative integers inside the file, /Contents a string (pyHanko checks the latter)."""
    from pyhanko.pdf_utils import generic

    byte_range = sig.byte_range
    if isinstance(byte_range, generic.IndirectObject):
        byte_range = byte_range.get_object()
    if not isinstance(byte_range, list) or not byte_range or len(byte_range) % 2:
        raise MalformedPdf(MALFORMED_SIGNATURE.format(name=sig.field_name))
    values = [byte_range[i] for i in range(len(byte_range))]  # ArrayObject cannot be sliced
    for value in values:
        if type(value) is bool or not isinstance(value, int) or value < 0:
            raise MalformedPdf(MALFORMED_SIGNATURE.format(name=sig.field_name))
    for start, length in zip(values[::2], values[1::2], strict=True):
        if start + length > file_size:
            raise MalformedPdf(MALFORMED_SIGNATURE.format(name=sig.field_name))


def verify_pdf(pdf_bytes: bytes, trust_roots=()) -> list[SignatureReport]:
    """One report per embedded signature (empty list: the PDF is not signed). Offline.

    Raises NotAPdf for bytes that are not a PDF and MalformedPdf (a NotAPdf) for a PDF or a
    signature dictionary that cannot be parsed: no pyHanko exception escapes.
    """
    pdf_bytes = bytes(pdf_bytes) if isinstance(pdf_bytes, bytes | bytearray) else pdf_bytes
    reader = _read(pdf_bytes)
    roots = _asn1_certs(trust_roots)
    try:
        embedded = list(reader.embedded_signatures)
    except Exception as exc:  # noqa: BLE001 — a broken AcroForm or signature dictionary
        logger.info("signatures could not be read: %r", exc)
        raise MalformedPdf("Tệp PDF bị hỏng: không đọc được các chữ ký số trong tệp.") from exc
    # A later revision that is itself a signature (a seal after the signer) is not a change.
    signed_revisions = {getattr(sig, "signed_revision", None) for sig in embedded}
    last_revision = reader.xrefs.total_revisions - 1
    reports = []
    for sig in embedded:
        try:
            _check_shape(sig, len(pdf_bytes))
            reports.append(_report(sig, roots, signed_revisions, last_revision))
        except SigningError:
            raise
        except Exception as exc:  # noqa: BLE001 — pyHanko on hostile input: no verdict possible
            logger.info("signature %s is malformed: %r", getattr(sig, "field_name", "?"), exc)
            raise MalformedPdf(MALFORMED_SIGNATURE.format(name=getattr(sig, "field_name", ""))) from exc
    return reports


def _report(sig, roots, signed_revisions=frozenset(), last_revision=None) -> SignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    now = dt.datetime.now(tz=dt.UTC)
    problems: list[str] = []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    cert = None
    modified = False
    try:
        status = validate_pdf_signature(sig, context)
        intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
        cert = status.signing_cert
        signed_at = status.signer_reported_dt
        covers = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        if not covers:
            # Only later signatures (and their validation data) may follow a signature unchanged;
            # anything else appended after it — new content, annotations, form values — is a change.
            level = status.modification_level
            last = sig.signed_revision if last_revision is None else last_revision
            unsigned_later = set(range(sig.signed_revision + 1, last + 1)) - set(signed_revisions)
            modified = (
                level is None
                or level > ModificationLevel.FORM_FILLING
                or (bool(unsigned_later) and level > ModificationLevel.LTA_UPDATES)
            )
        if modified:
            problems.append("Tài liệu đã bị thay đổi sau khi ký: có nội dung được thêm vào sau chữ ký này.")
    except (SignatureValidationError, ValueError, KeyError) as exc:
        logger.info("signature %s could not be validated: %r", sig.field_name, exc)
        intact = valid = trusted = False
        covers = False
        signed_at = None
        problems.append("Chữ ký bị hỏng, không kiểm tra được.")
        try:
            cert = sig.signer_cert
        except Exception:  # noqa: BLE001
            cert = None
    if not intact:
        problems.insert(0, "Nội dung tài liệu đã bị thay đổi sau khi ký (chữ ký không còn toàn vẹn).")
    elif not valid:
        problems.insert(0, "Chữ ký số không hợp lệ.")
    subject = issuer = name = ""
    not_after = None
    expired = False
    if cert is not None:
        subject = readable_name(cert.subject)
        issuer = readable_name(cert.issuer)
        name = cert.subject.native.get("common_name", "") or subject
        not_after = cert["tbs_certificate"]["validity"]["not_after"].native
        not_before = cert["tbs_certificate"]["validity"]["not_before"].native
        when = signed_at or now
        if not_after < now or not_after < when:
            expired = True
            problems.append(f"Chứng thư số của người ký đã hết hạn ngày {_vn_date(not_after)}.")
        elif not_before > when:
            problems.append("Chứng thư số chưa có hiệu lực vào thời điểm ký.")
    if intact and valid and not trusted and not expired:
        problems.append(
            "Chứng thư số không thuộc tổ chức cung cấp dịch vụ chứng thực được tin cậy "
            "(không xác minh được chuỗi chứng thư)."
        )
    return SignatureReport(
        field_name=sig.field_name,
        intact=intact,
        valid=valid,
        trusted=trusted and not expired,
        signer_name=name,
        signed_at=signed_at,
        certificate_subject=subject,
        certificate_issuer=issuer,
        certificate_not_after=not_after,
        covers_whole_document=covers,
        expired=expired,
        modified_after_signing=modified and intact and valid,
        problems=problems,
    )
