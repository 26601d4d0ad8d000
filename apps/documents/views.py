"""Thin views over services and selectors. Object pages answer 404 outside the user's scope."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.roles import Role
from apps.audit.selectors import timeline
from apps.core.export import xlsx_response
from apps.core.pagination import paginate
from apps.core.signing import NotAPdf, trust_roots, verify_pdf
from apps.organizations.models import Organization
from apps.organizations.scoping import Action

from . import forms, services, signing_keys
from .apps import can_use_documents
from .models import (
    DocumentType,
    IncomingStatus,
    OutgoingStatus,
    SavedView,
    Urgency,
)
from .selectors import INCOMING_LIST_RELATED, OUTGOING_LIST_RELATED, incoming_for, outgoing_for, search
from .services import DocumentError, has_role


def staff_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_use_documents(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


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
    if year.isdigit():
        qs = qs.filter(year=int(year))
    if doc_type.isdigit():
        qs = qs.filter(doc_type_id=int(doc_type))
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
@staff_only
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


@staff_only
def incoming_create(request):
    if not has_role(request.user, Role.CLERK, Role.ADMINISTRATOR):
        raise PermissionDenied
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
                allow_duplicate=data["allow_duplicate"],
            )
        except DocumentError as exc:
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


@staff_only
def incoming_detail(request, pk):
    doc = _incoming_or_404(request, pk)
    user = request.user
    approve_scope = incoming_for(user, Action.APPROVE).filter(pk=doc.pk).exists()
    context = {
        "doc": doc,
        "events": timeline(doc),
        "history": doc.history.select_related("actor"),
        "replies": outgoing_for(user).filter(answers=doc).select_related("doc_type"),
        "cooperating": doc.cooperating_units.all(),
    }
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


@require_POST
@staff_only
def incoming_action(request, pk, action):
    doc = _incoming_or_404(request, pk)
    user = request.user
    try:
        if action == "submit":
            form = forms.SubmitToLeaderForm(request.POST, organization=doc.organization)
            if form.is_valid():
                services.submit_to_leader(
                    user, doc, leader=form.cleaned_data["leader"], note=form.cleaned_data["note"]
                )
        elif action == "assign":
            form = forms.AssignUnitForm(request.POST, organization=doc.organization)
            if form.is_valid():
                services.assign_unit(user, doc, **form.cleaned_data)
        elif action == "handler":
            form = forms.AssignHandlerForm(request.POST, unit=doc.lead_unit)
            if form.is_valid():
                services.assign_handler(user, doc, **form.cleaned_data)
        elif action == "complete":
            form = forms.CompleteForm(request.POST)
            if form.is_valid():
                services.complete_incoming(user, doc, **form.cleaned_data)
        elif action == "file":
            form = forms.CompleteForm(request.POST)
            if form.is_valid():
                services.file_incoming(user, doc, note=form.cleaned_data["result_note"])
        else:
            raise Http404
    except DocumentError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
        return redirect("documents:incoming_detail", doc.pk)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("documents:incoming_detail", doc.pk)


# --------------------------------------------------------------------------- outgoing
@staff_only
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


@staff_only
def outgoing_create(request):
    user = request.user
    if not has_role(user, Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.CLERK, Role.ADMINISTRATOR):
        raise PermissionDenied
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
            )
        except DocumentError as exc:
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


@staff_only
def outgoing_detail(request, pk):
    doc = _outgoing_or_404(request, pk)
    user = request.user
    step = services.pending_step(doc)
    context = {
        "doc": doc,
        "events": timeline(doc),
        "versions": doc.versions.select_related("file", "created_by"),
        "reviews": doc.reviews.select_related("reviewer"),
        "recipients": doc.recipients.select_related("organization"),
        "pending": step,
    }
    can_change = outgoing_for(user, Action.CHANGE).filter(pk=doc.pk).exists()
    if doc.status == OutgoingStatus.DRAFT and can_change:
        context["version_form"] = forms.VersionForm()
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
    if doc.signed_file_id:
        try:
            context["signatures"] = verify_pdf(services.read_bytes(doc.signed_file), trust_roots())
        except (NotAPdf, OSError):
            context["signatures"] = []
    return render(request, "documents/outgoing_detail.html", context)


@require_POST
@staff_only
def outgoing_action(request, pk, action):
    doc = _outgoing_or_404(request, pk)
    user = request.user
    form = None
    try:
        if action == "version":
            form = forms.VersionForm(request.POST, request.FILES)
            if form.is_valid():
                services.add_version(
                    user, doc, upload=form.cleaned_data["file"], note=form.cleaned_data["note"]
                )
        elif action == "submit":
            form = forms.SubmitReviewForm(request.POST, organization=doc.organization)
            if form.is_valid():
                order = [int(x) for x in request.POST.getlist("reviewers")]
                chosen = sorted(form.cleaned_data["reviewers"], key=lambda u: order.index(u.pk))
                services.submit_for_review(user, doc, reviewers=chosen)
        elif action in ("approve", "return"):
            form = forms.ReviewForm(request.POST)
            if form.is_valid():
                services.review(user, doc, approve=action == "approve", comment=form.cleaned_data["comment"])
        elif action == "number":
            form = forms.NumberForm(request.POST)
            if form.is_valid():
                services.number_outgoing(user, doc, manual_number=form.cleaned_data["manual_number"])
        elif action == "sign":
            form = forms.SignForm(request.POST)
            if form.is_valid():
                services.sign_outgoing(user, doc, **form.cleaned_data)
        elif action == "issue":
            form = forms.IssueForm(request.POST, exclude=doc.organization)
            if form.is_valid():
                data = form.cleaned_data
                services.issue_outgoing(
                    user,
                    doc,
                    internal=list(data["internal"]),
                    external=data["external"].splitlines(),
                    code=data["code"],
                    seal_password=data["seal_password"],
                )
        else:
            raise Http404
    except DocumentError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(str(exc)) from exc
        messages.error(request, str(exc))
        return redirect("documents:outgoing_detail", doc.pk)
    if form is not None and not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect("documents:outgoing_detail", doc.pk)


# --------------------------------------------------------------------------- verification
@staff_only
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
            except NotAPdf as exc:
                error = str(exc)
            else:
                if not reports:
                    error = _("This PDF has no digital signature.")
                    reports = None
    return render(request, "documents/verify.html", {"form": form, "reports": reports, "error": error})


# --------------------------------------------------------------------------- saved views
@require_POST
@staff_only
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
@staff_only
def saved_view_delete(request, pk):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    target = view.list_name
    view.delete()
    return redirect(f"documents:{target}_list")
