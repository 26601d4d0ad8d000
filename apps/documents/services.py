"""Every state change of official documents: permission check → transaction → audit → notifications.

The two registers' state machines live in `documents/workflow.py`; `_move` takes a document through
the one engine (`core.workflow`), which writes the status-history row and the audit event.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.audit.services import record
from apps.core import events, workflow
from apps.core.counters.service import next_number
from apps.core.files.intake import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    UploadRejected,
    accept_upload,
    atomic_with_files,
    register_purpose,
)
from apps.core.notifications.models import Channel
from apps.core.notifications.service import notify
from apps.organizations.models import Organization
from apps.organizations.roles import Role
from apps.organizations.scoping import Action, restrict

from . import signing_keys
from . import workflow as machines  # noqa: F401  (registers the registers' machines)
from .models import (
    Attachment,
    Confidentiality,
    DocumentType,
    IncomingDocument,
    IncomingStatus,
    IssuerCode,
    OutgoingDocument,
    OutgoingStatus,
    OutgoingVersion,
    Preview,
    Recipient,
    Register,
    ReviewStep,
    SignatureVerdict,
    SigningKey,
)
from .text import normalize

logger = logging.getLogger(__name__)

MB = 1024 * 1024
register_purpose("incoming", {PDF, DOCX}, 50 * MB)
register_purpose("draft", {PDF, DOCX}, 50 * MB)
register_purpose("signed", {PDF}, 50 * MB)
register_purpose("preview", {PNG}, 20 * MB)  # derived pictures of a file's first page
register_purpose("signature_image", {PNG, JPEG}, 2 * MB)  # a signer's handwritten signature

PDF_TEXT_LIMIT = 20000


class DocumentError(workflow.TransitionError):
    """A refused action; the message is for the user (views catch it as any refused move)."""

    def __init__(self, message: str, code: str = "document_error"):
        super().__init__(message, code=code)

    def __str__(self):
        return str(self.message)


# --------------------------------------------------------------------------- roles and reach
def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Role)
    return set(user.memberships.filter(is_active=True).values_list("role", flat=True))


def has_role(user, *roles) -> bool:
    return bool(roles_of(user) & set(roles))


def agency_of(user) -> Organization | None:
    membership = user.memberships.filter(is_active=True).select_related("organization").first()
    return membership.organization.agency() if membership else None


def units_of(user, *roles) -> list[Organization]:
    qs = user.memberships.filter(is_active=True).select_related("organization")
    if roles:
        qs = qs.filter(role__in=roles)
    return [m.organization for m in qs]


def _require(condition: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    if not condition:
        raise DocumentError(message, code="forbidden")


def _reaches(user, org, action=Action.VIEW) -> bool:
    scope = restrict(user, action)
    return scope.everything or (org is not None and org.pk in scope.organization_ids)


def issuer_code(org: Organization) -> str:
    row = IssuerCode.objects.filter(organization=org).first()
    return row.code if row else org.code.upper().replace("-", "")


def default_register(
    agency: Organization, direction: str, *, confidential: bool = False, doc_type: DocumentType | None = None
) -> Register:
    """The register (number series) a document goes to: the agency's series for its type if there
    is one (e.g. a công văn series), else the general one, created on first use."""
    registers = Register.objects.filter(
        organization=agency, direction=direction, confidential=confidential, is_active=True
    ).prefetch_related("doc_types")
    general = None
    for register in registers:
        types = list(register.doc_types.all())
        if doc_type is not None and doc_type in types:
            return register
        if not types and general is None:
            general = register
    if general is not None:
        return general
    code = f"{direction}-mat" if confidential else direction
    name = {
        ("incoming", False): "Sổ đăng ký văn bản đến",
        ("outgoing", False): "Sổ đăng ký văn bản đi",
        ("incoming", True): "Sổ đăng ký văn bản đến (mật)",
        ("outgoing", True): "Sổ đăng ký văn bản đi (mật)",
    }[(direction, confidential)]
    register, _ = Register.objects.get_or_create(
        organization=agency,
        code=code,
        defaults={"direction": direction, "name": name, "confidential": confidential},
    )
    return register


def pdf_text(stored_file) -> str:
    """Text of a PDF for full-text search (pdftotext); empty when unavailable."""
    if stored_file is None or stored_file.content_type != PDF:
        return ""
    try:
        with stored_file.file.open("rb") as handle:
            data = handle.read()
        result = subprocess.run(  # noqa: S603 — fixed argv, the PDF goes to stdin
            [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-q", "-enc", "UTF-8", "-", "-"],
            input=data,
            capture_output=True,
            timeout=60,
            check=False,
        )
        return result.stdout.decode("utf-8", "replace")[:PDF_TEXT_LIMIT]
    except (OSError, subprocess.SubprocessError):
        return ""


def check_signatures(stored_file, *, refuse_malformed: bool = False) -> tuple[str, list[dict]]:
    """Verify the digital signatures of a received PDF against the trust roots (B5: check
    authenticity and integrity on receipt). Returns (verdict, one summary per signature);
    ("", []) when there is no PDF to check. A PDF that cannot be parsed raises DocumentError
    with `refuse_malformed` (a fresh upload: the sender must send it again), else is UNREADABLE."""
    from apps.core.signing import NotAPdf, SigningError, trust_roots, verify_pdf, worst_verdict

    if stored_file is None or stored_file.content_type != PDF:
        return "", []
    try:
        reports = verify_pdf(read_bytes(stored_file), trust_roots())
    except NotAPdf as exc:
        if refuse_malformed:
            raise DocumentError(f"Chưa vào sổ được văn bản. {exc}", code="malformed_pdf") from exc
        return SignatureVerdict.UNREADABLE, []
    except (SigningError, OSError):
        return SignatureVerdict.UNREADABLE, []
    if not reports:
        return SignatureVerdict.UNSIGNED, []
    summary = [
        {
            "signer": r.signer_name,
            "verdict": r.verdict,
            "signed_at": r.signed_at.isoformat() if r.signed_at else "",
            "issuer": r.certificate_issuer,
            "problems": list(r.problems),
        }
        for r in reports
    ]
    verdict = worst_verdict(reports)
    return verdict, summary


def _incoming_search_text(doc: IncomingDocument, extra: str = "") -> str:
    parts = [
        str(doc.arrival_number),
        doc.number_symbol,
        doc.sender_name,
        doc.summary,
        doc.doc_type.name,
        extra,
    ]
    return normalize(" ".join(p for p in parts if p))


def _outgoing_search_text(doc: OutgoingDocument, extra: str = "") -> str:
    parts = [doc.number_symbol, doc.summary, doc.doc_type.name, doc.signer_name, extra]
    parts += [r.name for r in doc.recipients.all()] if doc.pk else []
    return normalize(" ".join(p for p in parts if p))


# --------------------------------------------------------------------------- moves
# --------------------------------------------------------------------------- incoming
def find_duplicates(organization, number_symbol: str, sender_name: str, document_date, exclude_pk=None):
    """B6: warn on the same number + symbol + issuer already in the register."""
    if not number_symbol:
        return IncomingDocument.objects.none()
    qs = IncomingDocument.objects.filter(
        organization=organization,
        number_symbol__iexact=number_symbol.strip(),
        sender_name__iexact=sender_name.strip(),
    )
    if document_date:
        qs = qs.filter(document_date=document_date)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return qs


def register_incoming(
    user,
    *,
    organization: Organization,
    doc_type: DocumentType,
    sender_name: str,
    summary: str,
    number_symbol: str = "",
    document_date: dt.date | None = None,
    arrived_at: dt.datetime | None = None,
    urgency: str = "normal",
    confidentiality: str = Confidentiality.NORMAL,
    pages: int = 1,
    upload=None,
    sender_organization: Organization | None = None,
    source_outgoing: OutgoingDocument | None = None,
    stored_file=None,
    attachments=(),
    attachment_files=(),
    allow_duplicate: bool = False,
    _system: bool = False,
) -> IncomingDocument:
    """The clerk registers a received document; it gets the next arrival number of the year."""
    if not _system:
        _require(has_role(user, Role.CLERK, Role.ADMINISTRATOR), "Chỉ văn thư được vào sổ văn bản đến.")
        _require(_reaches(user, organization), "Bạn không có quyền vào sổ văn bản của cơ quan này.")
    if not summary.strip() or not sender_name.strip():
        raise DocumentError("Vui lòng nhập cơ quan gửi và trích yếu.", code="required")
    if (
        not allow_duplicate
        and find_duplicates(organization, number_symbol, sender_name, document_date).exists()
    ):
        raise DocumentError(
            f"Văn bản số {number_symbol} của {sender_name} đã có trong sổ đến (trùng số, ký hiệu và cơ quan "
            f"ban hành). Kiểm tra lại; nếu đúng là văn bản khác, hãy xác nhận đăng ký trùng.",
            code="duplicate",
        )
    arrived_at = arrived_at or timezone.now()
    confidential = confidentiality != Confidentiality.NORMAL
    register = default_register(organization, "incoming", confidential=confidential)
    # atomic_with_files: a refusal after the upload was stored (malformed PDF, rejected
    # attachment) also removes the stored bytes, not only the rows
    with atomic_with_files():
        if upload is not None:
            try:
                stored_file = accept_upload(upload, purpose="incoming", user=user, organization=organization)
            except UploadRejected as exc:
                raise DocumentError(str(exc), code="upload") from exc
        doc = IncomingDocument(
            organization=organization,
            register=register,
            year=timezone.localtime(arrived_at).year,
            arrived_at=arrived_at,
            sender_name=sender_name.strip(),
            sender_organization=sender_organization,
            number_symbol=number_symbol.strip(),
            document_date=document_date,
            doc_type=doc_type,
            summary=summary.strip(),
            urgency=urgency,
            confidentiality=confidentiality,
            pages=pages or 1,
            main_file=stored_file,
            source_outgoing=source_outgoing,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        doc.signature_verdict, doc.signature_report = check_signatures(
            stored_file, refuse_malformed=upload is not None
        )
        doc.signature_checked_at = timezone.now() if doc.signature_verdict else None
        # take the number last: the counter row stays locked only until the commit
        doc.arrival_number = next_number(register.counter_key, organization=organization, at=arrived_at)
        doc.search_text = _incoming_search_text(doc, pdf_text(stored_file))
        doc.save()
        for upload_item in attachments:
            Attachment.objects.create(
                incoming=doc,
                file=_accept(upload_item, "incoming", user, organization),
                created_by=doc.created_by,
            )
        for attached in attachment_files:
            Attachment.objects.create(incoming=doc, file=attached, created_by=doc.created_by)
        note = f"{register.name}, số đến {doc.arrival_number}"
        if doc.signature_verdict:
            note += f"; kiểm tra chữ ký số: {doc.get_signature_verdict_display()}"
        workflow.create(doc, doc.created_by, note, verb="incoming_registered")
        for clerk in _users_with_role(organization, Role.CLERK):
            notify("document_received", user=clerk, channel=Channel.IN_APP, context={"document": doc})
    return doc


def _users_with_role(organization, role):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__organization__in=organization.subtree(),
            memberships__role=role,
            memberships__is_active=True,
        )
        .distinct()
    )


def _check_incoming_scope(user, doc, action=Action.VIEW):
    from .selectors import incoming_for

    _require(incoming_for(user, action).filter(pk=doc.pk).exists(), "Bạn không có quyền với văn bản này.")


@transaction.atomic
def submit_to_leader(user, doc: IncomingDocument, *, leader=None, note: str = "") -> IncomingDocument:
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_incoming_scope(user, doc)
    doc = workflow.apply(doc, "submit", user, note, assign={"leader": leader})
    if leader:
        notify("document_to_assign", user=leader, channel=Channel.IN_APP, context={"document": doc})
    return doc


@transaction.atomic
def assign_unit(
    user, doc: IncomingDocument, *, lead_unit, cooperating_units=(), instruction: str = "", deadline=None
) -> IncomingDocument:
    """The leader's instruction (phiếu giải quyết văn bản đến): lead unit, cooperating units, deadline."""
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_incoming_scope(user, doc, Action.APPROVE)
    if lead_unit is None:
        raise DocumentError("Vui lòng chọn đơn vị chủ trì.", code="required")
    if not lead_unit.path.startswith(doc.organization.path):
        raise DocumentError("Đơn vị chủ trì phải thuộc cơ quan nhận văn bản.", code="bad_unit")
    fields = {"leader": user, "lead_unit": lead_unit, "instruction": instruction, "deadline": deadline}
    doc = workflow.apply(doc, "assign", user, instruction, assign=fields)
    doc.cooperating_units.set([u for u in cooperating_units if u.pk != lead_unit.pk])
    for head in _users_with_role(lead_unit, Role.UNIT_HEAD):
        notify("document_assigned", user=head, channel=Channel.IN_APP, context={"document": doc})
    return doc


@transaction.atomic
def assign_handler(user, doc: IncomingDocument, *, handler, instruction: str = "") -> IncomingDocument:
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_incoming_scope(user, doc, Action.APPROVE)
    if (
        handler is None
        or not handler.memberships.filter(
            is_active=True,
            organization__path__startswith=doc.lead_unit.path if doc.lead_unit else doc.organization.path,
        ).exists()
    ):
        raise DocumentError("Người xử lý phải thuộc đơn vị chủ trì.", code="bad_handler")
    doc = workflow.apply(
        doc, "assign_handler", user, instruction, assign={"handler": handler, "unit_instruction": instruction}
    )
    notify("document_assigned", user=handler, channel=Channel.IN_APP, context={"document": doc})
    return doc


@transaction.atomic
def complete_incoming(user, doc: IncomingDocument, *, result_note: str = "", answer=None) -> IncomingDocument:
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_incoming_scope(user, doc, Action.CHANGE)
    if has_role(user, Role.SPECIALIST) and not has_role(
        user, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR
    ):
        _require(doc.handler_id == user.pk, "Chỉ người được giao xử lý mới hoàn thành văn bản này.")
    fields = {"result_note": result_note, "completed_at": timezone.now()}
    if answer is not None:
        fields["answer"] = answer
    doc = workflow.apply(doc, "complete", user, result_note, assign=fields)
    return doc


@transaction.atomic
def file_incoming(user, doc: IncomingDocument, *, note: str = "") -> IncomingDocument:
    doc = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_incoming_scope(user, doc)
    doc = workflow.apply(
        doc, "file" if doc.status == IncomingStatus.REGISTERED else "file_submitted", user, note
    )
    return doc


# --------------------------------------------------------------------------- outgoing
def _check_outgoing_scope(user, doc, action=Action.VIEW):
    from .selectors import outgoing_for

    _require(outgoing_for(user, action).filter(pk=doc.pk).exists(), "Bạn không có quyền với văn bản này.")


def compose_pdf(doc: OutgoingDocument, composition: dict) -> bytes:
    """Render a drafted document with the Decree 30 layout (apps.core.rendering.document)."""
    from apps.core.rendering.document import AdministrativeDocument, Section, Signer, to_pdf

    parent = doc.organization.parent
    paragraphs = [p.strip() for p in (composition.get("body") or "").split("\n") if p.strip()]
    symbol = doc.number_symbol or f"      /{symbol_for(doc.doc_type, doc.organization, doc.drafting_unit)}"
    administrative = AdministrativeDocument(
        agency=doc.organization.name,
        parent_agency=parent.name if parent and parent.kind != "agency" and parent.parent_id is None else "",
        doc_type="" if doc.doc_type.is_dispatch else doc.doc_type.name,
        summary=("V/v " if doc.doc_type.is_dispatch else "") + doc.summary,
        place=composition.get("place") or "Đắk Lắk",
        date=doc.issued_date or timezone.localdate(),
        signer=Signer(
            position=(composition.get("signer_title") or "GIÁM ĐỐC").upper(),
            name=composition.get("signer_name") or "",
            authority=composition.get("authority") or "",
        ),
        number_symbol=symbol,
        sections=[Section(paragraphs=paragraphs)],
        recipients=[
            r.strip().lstrip("-").strip()
            for r in (composition.get("recipients") or "").split("\n")
            if r.strip()
        ],
    )
    return to_pdf(administrative)


def symbol_for(doc_type: DocumentType, agency: Organization, drafting_unit: Organization | None) -> str:
    """B2: KH-SKHCN for typed documents; SKHCN-VP (issuer-drafting unit) for công văn."""
    agency_code = issuer_code(agency)
    if doc_type.is_dispatch or not doc_type.abbreviation:
        unit = drafting_unit if drafting_unit and drafting_unit.pk != agency.pk else None
        return f"{agency_code}-{issuer_code(unit)}" if unit else agency_code
    return f"{doc_type.abbreviation}-{agency_code}"


def format_number(number: int) -> str:
    return f"{number:02d}"  # B2: a leading zero below 10


def _accept(upload, purpose: str, user, organization):
    try:
        return accept_upload(
            upload,
            purpose=purpose,
            user=user if getattr(user, "is_authenticated", False) else None,
            organization=organization,
        )
    except UploadRejected as exc:
        raise DocumentError(str(exc), code="upload") from exc


def _store(content: bytes, name: str, *, purpose: str, user, organization):
    try:
        return accept_upload(
            ContentFile(content, name=name), purpose=purpose, user=user, organization=organization
        )
    except UploadRejected as exc:
        raise DocumentError(str(exc), code="upload") from exc


def create_draft(
    user,
    *,
    drafting_unit: Organization,
    doc_type: DocumentType,
    summary: str,
    upload=None,
    composition: dict | None = None,
    urgency: str = "normal",
    confidentiality: str = Confidentiality.NORMAL,
    answers: IncomingDocument | None = None,
    attachments=(),
) -> OutgoingDocument:
    _require(
        has_role(user, Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK, Role.ADMINISTRATOR),
        "Bạn không có quyền soạn văn bản đi.",
    )
    _require(
        drafting_unit in units_of(user) or _reaches(user, drafting_unit, Action.CHANGE),
        "Bạn chỉ soạn văn bản cho đơn vị của mình.",
    )
    if not summary.strip():
        raise DocumentError("Vui lòng nhập trích yếu.", code="required")
    if upload is None and not composition:
        raise DocumentError("Hãy tải lên dự thảo (DOCX/PDF) hoặc soạn từ mẫu.", code="required")
    agency = drafting_unit.agency()
    with atomic_with_files():  # a rejected attachment also removes the draft's stored bytes
        doc = OutgoingDocument.objects.create(
            organization=agency,
            drafting_unit=drafting_unit,
            register=default_register(
                agency, "outgoing", confidential=confidentiality != Confidentiality.NORMAL, doc_type=doc_type
            ),
            doc_type=doc_type,
            summary=summary.strip(),
            urgency=urgency,
            confidentiality=confidentiality,
            answers=answers,
            created_by=user,
            signer_name=(composition or {}).get("signer_name", ""),
            signer_title=(composition or {}).get("signer_title", ""),
        )
        if upload is not None:
            try:
                stored = accept_upload(upload, purpose="draft", user=user, organization=agency)
            except UploadRejected as exc:
                raise DocumentError(str(exc), code="upload") from exc
        else:
            stored = _store(
                compose_pdf(doc, composition), "du-thao.pdf", purpose="draft", user=user, organization=agency
            )
        OutgoingVersion.objects.create(document=doc, number=1, file=stored, note="Dự thảo", created_by=user)
        for upload_item in attachments:
            Attachment.objects.create(
                outgoing=doc, file=_accept(upload_item, "draft", user, agency), created_by=user
            )
        doc.composition = composition or {}
        doc.search_text = _outgoing_search_text(doc, pdf_text(stored))
        doc.save()
        workflow.create(doc, user, doc.summary, verb="outgoing_drafted")
    return doc


@transaction.atomic
def add_version(user, doc: OutgoingDocument, *, upload, note: str = "") -> OutgoingVersion:
    doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_outgoing_scope(user, doc, Action.CHANGE)
    if doc.status not in (OutgoingStatus.DRAFT, OutgoingStatus.IN_REVIEW):
        raise DocumentError("Chỉ sửa được văn bản đang dự thảo hoặc đang trình duyệt.", code="locked")
    try:
        stored = accept_upload(upload, purpose="draft", user=user, organization=doc.organization)
    except UploadRejected as exc:
        raise DocumentError(str(exc), code="upload") from exc
    number = (doc.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = OutgoingVersion.objects.create(
        document=doc, number=number, file=stored, note=note, created_by=user
    )
    doc.search_text = _outgoing_search_text(doc, pdf_text(stored))
    doc.save(update_fields=["search_text"])
    record("outgoing_version_added", doc, actor=user, note=f"Phiên bản {number}: {note}")
    return version


@transaction.atomic
def add_attachment(user, doc: OutgoingDocument, *, upload) -> Attachment:
    """An appendix kept as a separate file; it can be added until the document is signed."""
    doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_outgoing_scope(user, doc, Action.CHANGE)
    if doc.status not in (OutgoingStatus.DRAFT, OutgoingStatus.IN_REVIEW):
        raise DocumentError("Chỉ thêm phụ lục khi văn bản đang dự thảo hoặc đang trình duyệt.", code="locked")
    attachment = Attachment.objects.create(
        outgoing=doc, file=_accept(upload, "draft", user, doc.organization), created_by=user
    )
    record("outgoing_attachment_added", doc, actor=user, note=attachment.file.original_name)
    return attachment


@transaction.atomic
def submit_for_review(user, doc: OutgoingDocument, *, reviewers: list) -> OutgoingDocument:
    doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_outgoing_scope(user, doc, Action.CHANGE)
    reviewers = [r for r in reviewers if r is not None]
    if not reviewers:
        raise DocumentError("Vui lòng chọn người duyệt.", code="required")
    for reviewer in reviewers:
        if not has_role(reviewer, Role.UNIT_HEAD, Role.LEADER):
            raise DocumentError(f"{reviewer.full_name} không có vai trò duyệt văn bản.", code="bad_reviewer")
    last_round = doc.reviews.order_by("-round").values_list("round", flat=True).first() or 0
    for order, reviewer in enumerate(reviewers, start=1):
        ReviewStep.objects.create(document=doc, round=last_round + 1, order=order, reviewer=reviewer)
    doc = workflow.apply(doc, "submit", user, ", ".join(r.full_name for r in reviewers))
    notify("document_to_review", user=reviewers[0], channel=Channel.IN_APP, context={"document": doc})
    return doc


def pending_step(doc: OutgoingDocument) -> ReviewStep | None:
    return doc.reviews.filter(decision=ReviewStep.Decision.PENDING).order_by("round", "order").first()


@transaction.atomic
def review(user, doc: OutgoingDocument, *, approve: bool, comment: str = "") -> OutgoingDocument:
    doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    _check_outgoing_scope(user, doc)
    if doc.status != OutgoingStatus.IN_REVIEW:
        raise DocumentError("Văn bản không ở bước trình duyệt.", code="bad_transition")
    step = pending_step(doc)
    _require(step is not None and step.reviewer_id == user.pk, "Văn bản đang chờ người khác duyệt.")
    if not approve and not comment.strip():
        raise DocumentError("Khi trả lại, vui lòng ghi ý kiến để người soạn chỉnh sửa.", code="required")
    step.decision = ReviewStep.Decision.APPROVED if approve else ReviewStep.Decision.RETURNED
    step.comment = comment
    step.decided_at = timezone.now()
    step.save()
    if not approve:
        doc.reviews.filter(round=step.round, decision=ReviewStep.Decision.PENDING).delete()
        doc = workflow.apply(doc, "return", user, comment)
        notify("document_returned", user=doc.created_by, channel=Channel.IN_APP, context={"document": doc})
        return doc
    following = pending_step(doc)
    if following is None:
        doc = workflow.apply(doc, "approve", user, comment)
    else:
        record("outgoing_reviewed", doc, actor=user, note=comment)
        notify(
            "document_to_review", user=following.reviewer, channel=Channel.IN_APP, context={"document": doc}
        )
    return doc


def number_outgoing(
    user, doc: OutgoingDocument, *, manual_number: int | None = None, on: dt.date | None = None
):
    """The clerk numbers an approved document: next number of the agency's register this year.

    `manual_number` is for documents numbered on paper; a number already used is refused.
    """
    on = on or timezone.localdate()
    try:
        with transaction.atomic():
            doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
            _check_outgoing_scope(user, doc)
            if doc.status != OutgoingStatus.APPROVED:
                raise DocumentError("Chỉ cấp số cho văn bản đã được duyệt.", code="bad_transition")
            register = doc.register
            symbol = symbol_for(doc.doc_type, doc.organization, doc.drafting_unit)
            if manual_number is not None:
                number = int(manual_number)
                if OutgoingDocument.objects.filter(register=register, year=on.year, number=number).exists():
                    raise DocumentError(
                        f"Số {format_number(number)} năm {on.year} trong {register.name} đã được dùng; "
                        f"không thể cấp trùng số.",
                        code="number_taken",
                    )
            else:
                number = next_number(register.counter_key, organization=doc.organization, at=on)
            doc.year, doc.number, doc.issued_date = on.year, number, on
            doc.number_symbol = f"{format_number(number)}/{symbol}"
            if doc.composition:
                stored = _store(
                    compose_pdf(doc, doc.composition),
                    f"{doc.number_symbol.replace('/', '-')}.pdf",
                    purpose="draft",
                    user=user,
                    organization=doc.organization,
                )
                next_v = (doc.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
                OutgoingVersion.objects.create(
                    document=doc,
                    number=next_v,
                    file=stored,
                    note=f"Bản có số {doc.number_symbol}",
                    created_by=user,
                )
            current = doc.current_version
            doc = workflow.apply(
                doc,
                "number",
                user,
                doc.number_symbol,
                assign={
                    "year": doc.year,
                    "number": doc.number,
                    "issued_date": doc.issued_date,
                    "number_symbol": doc.number_symbol,
                    "search_text": _outgoing_search_text(doc, pdf_text(current.file if current else None)),
                },
            )
    except IntegrityError as exc:
        raise DocumentError(
            "Số văn bản vừa được cấp cho văn bản khác; vui lòng thử lại.", code="number_taken"
        ) from exc
    return doc


def _check_second_factor(user, code: str) -> None:
    from django.utils.translation import gettext

    from apps.accounts.twofactor import has_confirmed_device, verify_any

    if not has_confirmed_device(user):
        raise DocumentError(
            gettext(
                "You have not set up two-factor authentication yet, and signing needs a code from "
                "it. Set it up first (My account → Two-factor authentication), then sign; nothing has "
                "been signed."
            ),
            code="no_second_factor",
        )
    if not code or verify_any(user, code) is None:
        events.emit_lasting("two_factor_failed", user, actor=user, note="Ký số")  # outlives the rollback
        raise DocumentError(
            "Mã xác thực hai lớp không đúng hoặc đã hết hạn; chưa có gì được ký.", code="second_factor"
        )


def _current_pdf(doc: OutgoingDocument) -> bytes:
    source = doc.signed_file or doc.current_version.file
    if source.content_type != PDF:
        raise DocumentError(
            "Bản dự thảo hiện tại là DOCX; hãy tải lên bản PDF cuối cùng trước khi ký.", code="not_pdf"
        )
    with source.file.open("rb") as handle:
        return handle.read()


def sign_outgoing(user, doc: OutgoingDocument, *, code: str, key_password: str) -> OutgoingDocument:
    """The signer signs the numbered document (personal signature); needs a fresh second factor."""
    from apps.core.signing import SigningError, sign_pdf

    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
        _check_outgoing_scope(user, doc, Action.APPROVE)
        if doc.status != OutgoingStatus.NUMBERED:
            raise DocumentError("Chỉ ký văn bản đã được cấp số.", code="bad_transition")
        _require(has_role(user, Role.LEADER, Role.UNIT_HEAD), "Chỉ lãnh đạo được ký văn bản.")
        _check_second_factor(user, code)
        try:
            key = signing_keys.personal_key(user, key_password)
            signed = sign_pdf(
                _current_pdf(doc),
                key,
                reason=f"Ký ban hành văn bản {doc.number_symbol}",
                location="Đắk Lắk",
                appearance="personal",
                near_name=doc.signer_name or user.full_name,
                signature_png=signing_keys.signature_image(user),
            )
        except SigningError as exc:
            events.emit_lasting("signing_failed", doc, actor=user, note=str(exc))  # outlives the rollback
            raise DocumentError(str(exc), code=getattr(exc, "code", "signing")) from exc
        signed_file = _store(
            signed,
            f"{doc.number_symbol.replace('/', '-')}.pdf",
            purpose="signed",
            user=user,
            organization=doc.organization,
        )
        # The document names who actually signed, with the position the organisation holds for
        # them, as their certificate does (a deputy signing a draft written for the director).
        signer_name, signer_title = signing_keys.signer_identity(user, doc.organization)
        doc = workflow.apply(
            doc,
            "sign",
            user,
            key.display_name,
            assign={
                "signed_file": signed_file,
                "signer": user,
                "signer_name": signer_name,
                "signer_title": signer_title or doc.signer_title,
                "digitally_signed": True,
            },
        )
    return doc


def issue_outgoing(
    user,
    doc: OutgoingDocument,
    *,
    internal: list[Organization] = (),
    external: list[str] = (),
    code: str = "",
    seal_password: str = "",
) -> OutgoingDocument:
    """The clerk issues a signed document: organisation signature (seal) if a key is set up,
    delivery into the incoming register of platform organisations, external recipients listed."""
    from apps.core.signing import SigningError, sign_pdf

    internal = [o for o in internal if o is not None]
    external = [e.strip() for e in external if e and e.strip()]
    if not internal and not external:
        raise DocumentError("Vui lòng chọn nơi nhận.", code="required")
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
        _check_outgoing_scope(user, doc)
        if doc.status != OutgoingStatus.SIGNED:
            raise DocumentError("Chỉ phát hành văn bản đã ký.", code="bad_transition")
        _require(has_role(user, Role.CLERK, Role.ADMINISTRATOR), "Chỉ văn thư được phát hành văn bản.")
        if seal_password:
            _check_second_factor(user, code)
            try:
                seal = signing_keys.seal_key(doc.organization, seal_password)
                sealed = sign_pdf(
                    _current_pdf(doc),
                    seal,
                    reason=f"Phát hành văn bản {doc.number_symbol}",
                    location="Đắk Lắk",
                    appearance="seal",
                    organization=doc.organization.name,
                    near_name=doc.signer_name,
                )
            except SigningError as exc:
                events.emit_lasting("signing_failed", doc, actor=user, note=str(exc))
                raise DocumentError(str(exc), code=getattr(exc, "code", "signing")) from exc
            doc.signed_file = _store(
                sealed,
                f"{doc.number_symbol.replace('/', '-')}.pdf",
                purpose="signed",
                user=user,
                organization=doc.organization,
            )
            doc.sealed = True
            for attachment in doc.attachments.select_related("file"):
                if attachment.file.content_type != PDF or attachment.signed_file_id:
                    continue
                try:
                    signed_attachment = sign_pdf(
                        read_bytes(attachment.file),
                        seal,
                        reason=f"Phụ lục kèm theo văn bản {doc.number_symbol}",
                        location="Đắk Lắk",
                        appearance="attachment",
                        reference=doc.number_symbol,
                    )
                except SigningError as exc:
                    raise DocumentError(
                        f"Không ký được phụ lục {attachment.file.original_name}: {exc}", code="signing"
                    ) from exc
                attachment.signed_file = _store(
                    signed_attachment,
                    attachment.file.original_name,
                    purpose="signed",
                    user=user,
                    organization=doc.organization,
                )
                attachment.save(update_fields=["signed_file"])
        now = timezone.now()
        attached_files = [a.current for a in doc.attachments.select_related("file", "signed_file")]
        doc.issued_at = now
        for org in internal:
            receiving = org.agency()
            delivered = register_incoming(
                None,
                organization=receiving,
                doc_type=doc.doc_type,
                sender_name=doc.organization.name,
                sender_organization=doc.organization,
                summary=doc.summary,
                number_symbol=doc.number_symbol,
                document_date=doc.issued_date,
                arrived_at=now,
                urgency=doc.urgency,
                confidentiality=doc.confidentiality,
                pages=doc.pages,
                stored_file=doc.signed_file,
                attachment_files=attached_files,
                source_outgoing=doc,
                allow_duplicate=True,
                _system=True,
            )
            Recipient.objects.create(
                document=doc,
                organization=receiving,
                name=receiving.name,
                delivered_at=now,
                delivered_incoming=delivered,
            )
        for name in external:
            Recipient.objects.create(document=doc, name=name)
        doc = workflow.apply(
            doc,
            "issue",
            user,
            "; ".join([o.name for o in internal] + external),
            assign={
                "signed_file": doc.signed_file,
                "sealed": doc.sealed,
                "issued_at": now,
                "search_text": _outgoing_search_text(doc, pdf_text(doc.signed_file)),
            },
        )
        if doc.answers_id:
            answered = IncomingDocument.objects.select_for_update().get(pk=doc.answers_id)
            answered.answer = doc
            answered.save(update_fields=["answer"])
            if answered.status == IncomingStatus.IN_PROGRESS:
                result_note = answered.result_note or f"Đã trả lời bằng văn bản số {doc.number_symbol}"
                workflow.apply(
                    answered,
                    "answer",
                    user,
                    result_note,
                    assign={"completed_at": now, "result_note": result_note},
                )
    return doc


def read_bytes(stored_file) -> bytes:
    with stored_file.file.open("rb") as handle:
        return handle.read()


def recall_outgoing(user, doc: OutgoingDocument, *, reason: str) -> OutgoingDocument:
    """Thu hồi: the issuing agency recalls an issued document with a reason (B5, B6). The outgoing
    document is frozen and the copies delivered into other registers on the platform are
    cancelled there (status "recalled", with the reason in their history); their clerks are told."""
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError("Vui lòng ghi lý do thu hồi văn bản.", code="required")
    with transaction.atomic():
        doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
        _check_outgoing_scope(user, doc)
        if doc.status != OutgoingStatus.ISSUED:
            raise DocumentError("Chỉ thu hồi được văn bản đã phát hành.", code="bad_transition")
        _require(
            has_role(user, Role.CLERK, Role.LEADER, Role.ADMINISTRATOR),
            "Chỉ văn thư hoặc lãnh đạo được thu hồi văn bản.",
        )
        doc = workflow.apply(
            doc, "recall", user, reason, assign={"recalled_at": timezone.now(), "recall_reason": reason}
        )
        note = f"Văn bản số {doc.number_symbol} bị {doc.organization.name} thu hồi: {reason}"
        delivered_ids = doc.recipients.exclude(delivered_incoming=None).values_list(
            "delivered_incoming", flat=True
        )
        for incoming in IncomingDocument.objects.select_for_update().filter(pk__in=list(delivered_ids)):
            if incoming.status == IncomingStatus.RECALLED:
                continue
            workflow.apply(incoming, "recall", user, note)
            for clerk in _users_with_role(incoming.organization, Role.CLERK):
                notify(
                    "document_recalled", user=clerk, channel=Channel.IN_APP, context={"document": incoming}
                )
    return doc


# --------------------------------------------------------------------------- previews
PREVIEW_WIDTH = 900  # pixels


def _render_first_page(pdf: bytes) -> bytes:
    """PNG of page 1 (pdftoppm); empty when poppler is missing or the PDF cannot be drawn."""
    tool = shutil.which("pdftoppm")
    if not tool:
        return b""
    try:
        result = subprocess.run(  # noqa: S603 — fixed argv, the PDF goes to stdin
            [tool, "-q", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to", str(PREVIEW_WIDTH), "-"],
            input=pdf,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return b""
    return result.stdout if result.stdout.startswith(b"\x89PNG") else b""


def _docx_to_pdf(docx: bytes) -> bytes:
    """PDF of a DOCX through LibreOffice when the server has it; empty otherwise."""
    import tempfile
    from pathlib import Path

    tool = shutil.which("soffice") or shutil.which("libreoffice")
    if not tool:
        return b""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "draft.docx"
        source.write_bytes(docx)
        try:
            subprocess.run(  # noqa: S603 — fixed argv in a private temporary folder
                [tool, "--headless", "--convert-to", "pdf", "--outdir", folder, str(source)],
                capture_output=True,
                timeout=120,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return b""
        target = Path(folder) / "draft.pdf"
        return target.read_bytes() if target.exists() else b""


def preview_for(stored_file) -> Preview | None:
    """The derived first-page picture of a document file, made once and kept as its own stored
    file (purpose "preview"). The original is only read, never written: it stays byte-identical.
    Returns None when there is no file; `preview.image` is None when no picture can be made
    (e.g. a DOCX on a server without LibreOffice): the page then shows the file's metadata."""
    if stored_file is None:
        return None
    existing = Preview.objects.select_related("image").filter(source=stored_file).first()
    if existing is not None:
        return existing
    data = read_bytes(stored_file)
    if stored_file.content_type == DOCX:
        data = _docx_to_pdf(data)
    image = _render_first_page(data) if data else b""
    stored = None
    if image:
        try:
            stored = accept_upload(
                ContentFile(image, name=f"xem-truoc-{stored_file.pk}.png"),
                purpose="preview",
                organization=stored_file.organization,
            )
        except UploadRejected:
            stored = None
    preview, _ = Preview.objects.get_or_create(source=stored_file, defaults={"image": stored})
    return preview


# --------------------------------------------------------------------------- handwritten signature
@atomic_with_files()  # a picture refused after intake (unreadable, too small) leaves no bytes
def set_signature_image(user, *, upload) -> SigningKey:
    """The signer uploads a picture of the handwritten signature (core file intake, "image"
    purpose); signing draws it blue on a transparent background (Decree 30 appearance, B4)."""
    from PIL import Image, UnidentifiedImageError

    key = (
        SigningKey.objects.select_for_update()
        .filter(user=user, kind=SigningKey.Kind.PERSONAL, is_active=True)
        .first()
    )
    _require(key is not None, "Bạn chưa được cấp khóa ký số cá nhân; hãy liên hệ cán bộ CNTT.")
    try:
        stored = accept_upload(upload, purpose="signature_image", user=user, organization=agency_of(user))
    except UploadRejected as exc:
        raise DocumentError(str(exc), code="upload") from exc
    from io import BytesIO

    try:
        with Image.open(BytesIO(read_bytes(stored))) as picture:
            width, height = picture.size
    except (UnidentifiedImageError, OSError) as exc:
        raise DocumentError(
            "Không đọc được ảnh chữ ký; hãy tải lên ảnh PNG hoặc JPEG.", code="upload"
        ) from exc
    if width < 50 or height < 20:
        raise DocumentError("Ảnh chữ ký quá nhỏ (tối thiểu 50 × 20 điểm ảnh).", code="upload")
    key.signature_image = stored
    key.save(update_fields=["signature_image"])
    record("signature_image_set", key, actor=user, note=stored.original_name)
    return key
