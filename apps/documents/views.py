"""Thin views over services and selectors. Object pages answer 404 outside the user's scope."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.audit.selectors import timeline
from apps.core import access
from apps.core.converters import int_param
from apps.core.export import xlsx_response
from apps.core.files.models import StoredFile
from apps.core.pagination import paginate
from apps.core.signing import NotAPdf, SigningError, trust_roots, verify_pdf
from apps.core.workflow import TransitionError
from apps.organizations.models import Organization
from apps.organizations.roles import Role
from apps.organizations.scoping import Action

from . import forms, services, signing_keys
from .access import DOCUMENTS_DRAFTER, DOCUMENTS_REGISTRAR, DOCUMENTS_STAFF, can_download_document_file
from .models import (
    DocumentType,
    IncomingStatus,
    OutgoingStatus,
    SavedView,
    Urgency,
)
from .selectors import INCOMING_LIST_RELATED, OUTGOING_LIST_RELATED, incoming_for, outgoing_for, search
from .services import has_role


def _d(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _dt(value):
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _filters(request, qs, statuses):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    year = request.GET.get("year", "")
    doc_type = request.GET.get("type", "")
    if q:
        qs = search(qs, q)
    if status in dict(statuses):
        qs = qs.filter(status=status)
    if (year_number := int_param(year)) is not None:
        qs = qs.filter(year=year_number)
    if (type_id := int_param(doc_type)) is not None:
        qs = qs.filter(doc_type_id=type_id)
    return qs, {"q": q, "status": status, "year": year, "type": doc_type}


def _list_context(request, list_name, statuses):
    return {
        "statuses": statuses,
        "types": DocumentType.objects.filter(is_active=True),
        "saved_views": SavedView.objects.filter(user=request.user, list_name=list_name),
        "saved_form": forms.SavedViewForm(),
        "list_name": list_name,
    }


# --------------------------------------------------------------------------- incoming
@access.require(DOCUMENTS_STAFF)
def incoming_list(request):
    qs, current = _filters(request, incoming_for(request.user), IncomingStatus.choices)
    qs = qs.select_related(*INCOMING_LIST_RELATED).order_by("-year", "-arrival_number")
    if request.GET.get("export") == "xlsx":
        headers = [
            "Ngày đến",
            "Số đến",
            "Tác giả",
            "Số, ký hiệu",
            "Ngày văn bản",
            "Tên loại và trích yếu",
            "Đơn vị hoặc người nhận",
            "Thời hạn",
            "Tình trạng",
            "Văn bản trả lời",
            "Ghi chú",
        ]
        rows = (
            [
                _dt(d.arrived_at),
                d.arrival_number,
                d.sender_name,
                d.number_symbol,
                _d(d.document_date),
                f"{d.doc_type.name}: {d.summary}",
                (d.lead_unit.name if d.lead_unit else "")
                + (f" – {d.handler.full_name}" if d.handler else ""),
                _d(d.deadline),
                d.get_status_display(),
                d.answer.number_symbol if d.answer else "",
                d.get_urgency_display() if d.urgency != Urgency.NORMAL else "",
            ]
            for d in qs.iterator(chunk_size=500)
        )
        return xlsx_response("so-van-ban-den.xlsx", "Sổ đăng ký văn bản đến", headers, rows)
    context = _list_context(request, "incoming", IncomingStatus.choices)
    context.update(current)
    context["page"] = paginate(request, qs)
    context["can_register"] = has_role(request.user, Role.CLERK, Role.ADMINISTRATOR)
    return render(request, "documents/incoming_list.html", context)


@access.require(DOCUMENTS_REGISTRAR)
def incoming_create(request):
    agency = services.agency_of(request.user)
    if agency is None:
        raise PermissionDenied
    form = forms.IncomingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.register_incoming(
                request.user,
                organization=agency,
                doc_type=data["doc_type"],
                sender_name=data["sender_name"],
                summary=data["summary"],
                number_symbol=data["number_symbol"],
                document_date=data["document_date"],
                urgency=data["urgency"],
                confidentiality=data["confidentiality"],
                pages=data["pages"],
                upload=data.get("file"),
                attachments=data["attachments"],
                allow_duplicate=data["allow_duplicate"],
            )
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Registered with arrival number %(n)s.") % {"n": doc.arrival_number})
            return redirect("documents:incoming_detail", doc.pk)
    return render(request, "documents/incoming_form.html", {"form": form, "agency": agency})


def _incoming_or_404(request, pk):
    doc = (
        incoming_for(request.user)
        .filter(pk=pk)
        .select_related(*INCOMING_LIST_RELATED, "organization")
        .first()
    )
    if doc is None:
        raise Http404
    return doc


def _labelled(history):
    """Status-history rows with the status label the user reads (not the stored code)."""
    labels = dict(IncomingStatus.choices)
    rows = list(history)
    for row in rows:
        row.to_label = labels.get(row.to_state, row.to_state)
    return rows


@access.require(DOCUMENTS_STAFF)
def incoming_detail(request, pk):
    doc = _incoming_or_404(request, pk)
    user = request.user
    approve_scope = incoming_for(user, Action.APPROVE).filter(pk=doc.pk).exists()
    context = {
        "doc": doc,
        "events": timeline(doc),
        "history": _labelled(doc.history.select_related("actor")),
        "replies": outgoing_for(user).filter(answers=doc).select_related("doc_type"),
        "cooperating": doc.cooperating_units.all(),
        "preview": services.preview_for(doc.main_file),
        "attachments": doc.attachments.select_related("file", "signed_file"),
    }
    if doc.status == IncomingStatus.RECALLED:
        recall = doc.history.filter(to_state=IncomingStatus.RECALLED).last()
        context["recall_note"] = recall.note if recall else ""
    if doc.status == IncomingStatus.REGISTERED and has_role(user, Role.CLERK, Role.ADMINISTRATOR):
        context["submit_form"] = forms.SubmitToLeaderForm(organization=doc.organization)
    if (
        doc.status in (IncomingStatus.REGISTERED, IncomingStatus.SUBMITTED)
        and approve_scope
        and has_role(user, Role.LEADER, Role.ADMINISTRATOR)
    ):
        context["assign_form"] = forms.AssignUnitForm(organization=doc.organization)
    if (
        doc.status == IncomingStatus.ASSIGNED
        and approve_scope
        and has_role(user, Role.UNIT_HEAD, Role.LEADER)
    ):
        context["handler_form"] = forms.AssignHandlerForm(unit=doc.lead_unit)
    if doc.status == IncomingStatus.IN_PROGRESS and (
        doc.handler_id == user.pk or (approve_scope and has_role(user, Role.UNIT_HEAD, Role.LEADER))
    ):
        context["complete_form"] = forms.CompleteForm()
        context["can_reply"] = True
    return render(request, "documents/incoming_detail.html", context)


# Per-action POST handling, one table per register: action -> (form built from the request and
# the document, service applied to the cleaned data). `_apply_action` does the rest once.
def _incoming_actions():
    return {
        "submit": (
            lambda request, doc: forms.SubmitToLeaderForm(request.POST, organization=doc.organization),
            lambda request, doc, data: services.submit_to_leader(
                request.user, doc, leader=data["leader"], note=data["note"]
            ),
        ),
        "assign": (
            lambda request, doc: forms.AssignUnitForm(request.POST, organization=doc.organization),
            lambda request, doc, data: services.assign_unit(request.user, doc, **data),
        ),
        "handler": (
            lambda request, doc: forms.AssignHandlerForm(request.POST, unit=doc.lead_unit),
            lambda request, doc, data: services.assign_handler(request.user, doc, **data),
        ),
        "complete": (
            lambda request, doc: forms.CompleteForm(request.POST),
            lambda request, doc, data: services.complete_incoming(request.user, doc, **data),
        ),
        "file": (
            lambda request, doc: forms.CompleteForm(request.POST),
            lambda request, doc, data: services.file_incoming(request.user, doc, note=data["result_note"]),
        ),
    }


def _apply_action(request, doc, table: dict, action: str, detail: str):
    """Form → service → message → back to the document page; 403 when the service refuses."""
    if action not in table:
        raise Http404
    make_form, apply = table[action]
    form = make_form(request, doc)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(detail, doc.pk)
    try:
        apply(request, doc, form.cleaned_data)
    except TransitionError as exc:  # DocumentError is one: the service's own checks and the table's refusals
        if exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Saved."))
    return redirect(detail, doc.pk)


@require_POST
@access.require(DOCUMENTS_STAFF)
def incoming_action(request, pk, action):
    doc = _incoming_or_404(request, pk)
    return _apply_action(request, doc, _incoming_actions(), action, "documents:incoming_detail")


# --------------------------------------------------------------------------- outgoing
@access.require(DOCUMENTS_STAFF)
def outgoing_list(request):
    qs, current = _filters(request, outgoing_for(request.user), OutgoingStatus.choices)
    qs = (
        qs.select_related(*OUTGOING_LIST_RELATED)
        .prefetch_related("recipients")
        .order_by("-year", "-number", "-created_at")
    )
    if request.GET.get("export") == "xlsx":
        headers = [
            "Số, ký hiệu",
            "Ngày văn bản",
            "Tên loại và trích yếu",
            "Người ký",
            "Nơi nhận",
            "Đơn vị, người nhận bản lưu",
            "Số lượng bản",
            "Ngày chuyển",
            "Ký số",
            "Ghi chú",
        ]
        rows = (
            [
                d.number_symbol,
                _d(d.issued_date),
                f"{d.doc_type.name}: {d.summary}",
                d.signer_name,
                "; ".join(r.name for r in d.recipients.all()),
                d.drafting_unit.name,
                d.copies,
                _dt(d.issued_at),
                "Có" if d.digitally_signed else "Không",
                d.get_status_display(),
            ]
            for d in qs
        )
        return xlsx_response("so-van-ban-di.xlsx", "Sổ đăng ký văn bản đi", headers, rows)
    context = _list_context(request, "outgoing", OutgoingStatus.choices)
    context.update(current)
    context["page"] = paginate(request, qs)
    context["can_draft"] = has_role(
        request.user, Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK, Role.ADMINISTRATOR
    )
    return render(request, "documents/outgoing_list.html", context)


@access.require(DOCUMENTS_DRAFTER)
def outgoing_create(request):
    user = request.user
    answers = None
    if request.GET.get("answers") or request.POST.get("answers"):
        answers = (
            incoming_for(user).filter(pk=request.GET.get("answers") or request.POST.get("answers")).first()
        )
    unit_ids = [o.pk for o in services.units_of(user)]
    units = Organization.objects.filter(pk__in=unit_ids)
    initial = {"drafting_unit": unit_ids[0] if unit_ids else None}
    if answers:
        initial["summary"] = f"Trả lời văn bản số {answers.number_symbol} của {answers.sender_name}"
    form = forms.OutgoingForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        composition = None
        if not data.get("file"):
            composition = {
                "body": data["body"],
                "signer_name": data["signer_name"],
                "signer_title": data["signer_title"],
                "recipients": data["recipients"],
            }
        try:
            doc = services.create_draft(
                user,
                drafting_unit=data["drafting_unit"],
                doc_type=data["doc_type"],
                summary=data["summary"],
                upload=data.get("file"),
                composition=composition,
                urgency=data["urgency"],
                confidentiality=data["confidentiality"],
                answers=answers,
                attachments=data["attachments"],
            )
        except TransitionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Draft saved."))
            return redirect("documents:outgoing_detail", doc.pk)
    return render(request, "documents/outgoing_form.html", {"form": form, "answers": answers})


def _outgoing_or_404(request, pk):
    doc = (
        outgoing_for(request.user)
        .filter(pk=pk)
        .select_related(*OUTGOING_LIST_RELATED, "organization", "answers")
        .first()
    )
    if doc is None:
        raise Http404
    return doc


def _two_factor_setup_url(request, doc) -> str:
    """The setup page (back to this document afterwards), or "" when the user has a device."""
    from apps.accounts.twofactor import has_confirmed_device

    if has_confirmed_device(request.user):
        return ""
    back = reverse("documents:outgoing_detail", args=[doc.pk])
    return f"{reverse('accounts:setup')}?{urlencode({'next': back})}"


@access.require(DOCUMENTS_STAFF)
def outgoing_detail(request, pk):
    doc = _outgoing_or_404(request, pk)
    user = request.user
    step = services.pending_step(doc)
    context = {
        "doc": doc,
        "events": timeline(doc),
        "versions": doc.versions.select_related("file", "created_by"),
        "reviews": doc.reviews.select_related("reviewer"),
        "recipients": doc.recipients.select_related("organization", "delivered_incoming"),
        "pending": step,
        "attachments": doc.attachments.select_related("file", "signed_file"),
    }
    can_change = outgoing_for(user, Action.CHANGE).filter(pk=doc.pk).exists()
    if doc.status == OutgoingStatus.DRAFT and can_change:
        context["version_form"] = forms.VersionForm()
        context["attachment_form"] = forms.AttachmentForm()
        context["submit_form"] = forms.SubmitReviewForm(organization=doc.organization)
    if doc.status == OutgoingStatus.IN_REVIEW and step and step.reviewer_id == user.pk:
        context["review_form"] = forms.ReviewForm()
    if doc.status == OutgoingStatus.APPROVED and has_role(user, Role.CLERK, Role.ADMINISTRATOR):
        context["number_form"] = forms.NumberForm()
    if doc.status == OutgoingStatus.NUMBERED and has_role(user, Role.LEADER, Role.UNIT_HEAD):
        context["sign_form"] = forms.SignForm()
    if doc.status == OutgoingStatus.SIGNED and has_role(user, Role.CLERK, Role.ADMINISTRATOR):
        context["issue_form"] = forms.IssueForm(exclude=doc.organization)
        context["has_seal"] = signing_keys.has_seal(doc.organization)
    if "sign_form" in context or context.get("has_seal"):
        # Signing asks for a two-factor code: without a device, lead the signer to set one up first.
        context["two_factor_setup_url"] = _two_factor_setup_url(request, doc)
    if doc.status == OutgoingStatus.ISSUED and has_role(user, Role.CLERK, Role.LEADER, Role.ADMINISTRATOR):
        context["recall_form"] = forms.RecallForm()
    current = doc.current_version
    context["preview"] = services.preview_for(doc.signed_file or (current.file if current else None))
    if doc.signed_file_id:
        try:
            context["signatures"] = verify_pdf(services.read_bytes(doc.signed_file), trust_roots())
        except (NotAPdf, OSError):
            context["signatures"] = []
    return render(request, "documents/outgoing_detail.html", context)


def _outgoing_actions():
    return {
        "version": (
            lambda request, doc: forms.VersionForm(request.POST, request.FILES),
            lambda request, doc, data: services.add_version(
                request.user, doc, upload=data["file"], note=data["note"]
            ),
        ),
        "attachment": (
            lambda request, doc: forms.AttachmentForm(request.POST, request.FILES),
            lambda request, doc, data: services.add_attachment(request.user, doc, upload=data["file"]),
        ),
        "submit": (
            lambda request, doc: forms.SubmitReviewForm(request.POST, organization=doc.organization),
            lambda request, doc, data: services.submit_for_review(
                request.user,
                doc,
                reviewers=data["reviewers"],  # in the order picked (PeopleField)
            ),
        ),
        "approve": (
            lambda request, doc: forms.ReviewForm(request.POST),
            lambda request, doc, data: services.review(
                request.user, doc, approve=True, comment=data["comment"]
            ),
        ),
        "return": (
            lambda request, doc: forms.ReviewForm(request.POST),
            lambda request, doc, data: services.review(
                request.user, doc, approve=False, comment=data["comment"]
            ),
        ),
        "number": (
            lambda request, doc: forms.NumberForm(request.POST),
            lambda request, doc, data: services.number_outgoing(
                request.user, doc, manual_number=data["manual_number"]
            ),
        ),
        "sign": (
            lambda request, doc: forms.SignForm(request.POST),
            lambda request, doc, data: services.sign_outgoing(request.user, doc, **data),
        ),
        "issue": (
            lambda request, doc: forms.IssueForm(request.POST, exclude=doc.organization),
            lambda request, doc, data: services.issue_outgoing(
                request.user,
                doc,
                internal=list(data["internal"]),
                external=data["external"].splitlines(),
                code=data["code"],
                seal_password=data["seal_password"],
            ),
        ),
        "recall": (
            lambda request, doc: forms.RecallForm(request.POST),
            lambda request, doc, data: services.recall_outgoing(request.user, doc, reason=data["reason"]),
        ),
    }


@require_POST
@access.require(DOCUMENTS_STAFF)
def outgoing_action(request, pk, action):
    doc = _outgoing_or_404(request, pk)
    return _apply_action(request, doc, _outgoing_actions(), action, "documents:outgoing_detail")


# --------------------------------------------------------------------------- verification
@access.require(DOCUMENTS_STAFF)
def verify(request):
    """Verify any uploaded PDF: intact or tampered, signer, time, chain against the trust roots."""
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    reports = None
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(services.MB * 50 + 1)
        if len(data) > services.MB * 50:
            error = _("The file is too large (at most 50 MB).")
        else:
            try:
                reports = verify_pdf(data, trust_roots())
            except SigningError as exc:  # not a PDF, malformed PDF or signature: a message, never a 500
                error = str(exc)
            else:
                if not reports:
                    error = _("This PDF has no digital signature.")
                    reports = None
    return render(request, "documents/verify.html", {"form": form, "reports": reports, "error": error})


# --------------------------------------------------------------------------- previews
@require_GET
@access.require(DOCUMENTS_STAFF)
def preview(request, file_id):
    """The derived first-page picture of a document file the user may see (inline PNG)."""
    source = StoredFile.objects.filter(pk=file_id).first()
    if source is None or not can_download_document_file(request.user, source):
        raise Http404
    derived = services.preview_for(source)
    if derived is None or derived.image is None:
        raise Http404
    return _inline_png(services.read_bytes(derived.image))


def _inline_png(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------- handwritten signature
@access.require(DOCUMENTS_STAFF)
def signature_image(request):
    """The signer uploads the picture of the handwritten signature used in the visible signature."""
    key = signing_keys.personal_row(request.user)
    form = forms.SignatureImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and key is not None and form.is_valid():
        try:
            services.set_signature_image(request.user, upload=form.cleaned_data["image"])
        except TransitionError as exc:
            form.add_error("image", str(exc))
        else:
            messages.success(
                request, _("Your handwritten signature is saved; it is used the next time you sign.")
            )
            return redirect("documents:signature_image")
    return render(request, "documents/signature_image.html", {"form": form, "key": key})


@require_GET
@access.require(DOCUMENTS_STAFF)
def signature_image_ink(request):
    """The user's own signature as it appears when signing: blue ink on a transparent background."""
    from io import BytesIO

    from apps.core.signing.appearance import handwritten_ink

    data = signing_keys.signature_image(request.user)
    if not data:
        raise Http404
    buffer = BytesIO()
    handwritten_ink(data).save(buffer, format="PNG")
    return _inline_png(buffer.getvalue())


# --------------------------------------------------------------------------- saved views
@require_POST
@access.require(DOCUMENTS_STAFF)
def saved_view_create(request, list_name):
    if list_name not in ("incoming", "outgoing"):
        raise Http404
    form = forms.SavedViewForm(request.POST)
    query = request.POST.get("query", "")[:1000]
    if form.is_valid():
        SavedView.objects.create(
            user=request.user, list_name=list_name, name=form.cleaned_data["name"], query=query
        )
        messages.success(request, _("View saved."))
    return redirect(reverse(f"documents:{list_name}_list") + (f"?{query}" if query else ""))


@require_POST
@access.require(DOCUMENTS_STAFF)
def saved_view_delete(request, pk):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    target = view.list_name
    view.delete()
    return redirect(f"documents:{target}_list")
