"""Thin views: permission (selectors) → form → service → redirect. 403 for pages a role may not
use at all, 404 for objects outside the user's scope."""

import datetime

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.selectors import timeline
from apps.core import access, workflow
from apps.core.export import xlsx_response
from apps.core.formatting.vn import format_date
from apps.organizations.scoping import visible_organizations

from . import forms, importer, indicators, reports, services
from .access import ITSEC_MANAGER, ITSEC_STAFF, ITSEC_VIEWER
from .classification import facts_of
from .demo import PLAN_DATE
from .models import (
    AssessmentAnswer,
    AssetStatus,
    AssetType,
    Attendance,
    ImportJob,
    ImportMapping,
    IncidentCategory,
    IncidentStatus,
    InformationSystem,
    ItStaff,
    Purpose,
    Qualification,
    RemediationTask,
    Severity,
    StaffHeadcount,
    StaffSkill,
    TrainingCourse,
    UnitNetwork,
)
from .requirements import checklist
from .scheduled import REVIEW_NOTICE_DAYS, review_state
from .selectors import (
    ASSET_OWNERS,
    assets_for,
    courses_for,
    incidents_for,
    is_manager,
    is_viewer,
    it_staff_for,
    manage_scope,
    search_assets,
    search_systems,
    systems_for,
)
from .workflow import ASSET, LEVEL


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _form_action(request, form, apply, success: str, invalid: str) -> None:
    """Runs a service with a valid form's data and reports the outcome as a message."""
    if not form.is_valid():
        messages.error(request, invalid)
        return
    try:
        apply(form.cleaned_data)
        messages.success(request, success)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))


def _date_param(request, name="at", default=None):
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default or timezone.localdate()


# --- Dashboard ----------------------------------------------------------------------------------


# The infrastructure figures of the plan's Part I (plans.figures.KEYS), read through the indicators
# registry as the plan reads them: (key, key of the whole for "part/whole", key of the share).
PLAN_FIGURES = [
    ("itsec.staff", None, None),
    ("itsec.computers.for_work", None, None),
    ("itsec.staff_with_computer", "itsec.staff", "itsec.staff_with_computer.share"),
    ("itsec.computers.with_broadband", "itsec.computers.for_work", "itsec.computers.with_broadband.share"),
    ("itsec.computers.with_antivirus", "itsec.computers.for_work", "itsec.computers.with_antivirus.share"),
    (
        "itsec.computers.past_depreciation",
        "itsec.computers.for_work",
        "itsec.computers.past_depreciation_share",
    ),
    ("itsec.servers", None, None),
    ("itsec.computers.for_training", None, None),
    ("itsec.units_with_lan", "itsec.units_total", None),
    ("itsec.it_staff", None, None),
]
# Element ids kept for the pages' tests and bookmarks.
_FIGURE_IDS = {
    "itsec.computers.for_work": "cov-work-computers",
    "itsec.computers.with_antivirus": "cov-antivirus",
    "itsec.computers.past_depreciation": "cov-past-depreciation",
}


def plan_figures(org, at: datetime.date) -> list[dict]:
    """The plan's infrastructure indicators for `org` on `at` (the year so far, as Part I counts)."""
    from apps.core import indicators as registry
    from apps.core.formatting.vn import format_number, format_percent
    from apps.core.periods import Period

    period = Period(datetime.date(at.year, 1, 1), at)
    keys = {k for row in PLAN_FIGURES for k in row if k}
    values = {ind.key: value for ind, value in registry.evaluate(org, period, sorted(keys))}
    rows = []
    for key, whole, share in PLAN_FIGURES:
        indicator = registry.get(key)
        value = values[key]
        rows.append(
            {
                "key": key,
                "id": _FIGURE_IDS.get(key, "fig-" + key.replace(".", "-").replace("_", "-")),
                "label": str(indicator.label),
                "unit": str(indicator.unit),
                "value": "—" if value is None else format_number(value),
                "whole": format_number(values[whole]) if whole and values[whole] is not None else "",
                "share": format_percent(values[share]) if share and values[share] is not None else "",
            }
        )
    return rows


@access.require(ITSEC_STAFF)
def index(request):
    at = _date_param(request)
    context = {
        "at": at,
        "plan_date": PLAN_DATE,
        "is_viewer": is_viewer(request.user),
        "is_manager": is_manager(request.user),
    }
    if context["is_viewer"]:
        orgs = visible_organizations(request.user).order_by("path")
        org = orgs.filter(pk=request.GET.get("org")).first() if request.GET.get("org", "").isdigit() else None
        org = org or orgs.filter(kind="agency").first() or orgs.first()
        if org is not None:
            context.update(
                org=org,
                orgs=orgs,
                figures=plan_figures(org, at),
                antivirus_max_age_days=indicators.antivirus_max_age(at),
                skills=indicators.skills(org, at.year),
                incident_stats=indicators.incidents(org, datetime.date(at.year, 1, 1), at),
                reviews=indicators.reviews(org, at),
            )
    return render(request, "itsec/index.html", context)


# --- Assets -------------------------------------------------------------------------------------


@access.require(ITSEC_STAFF)
def asset_list(request):
    f = {k: request.GET.get(k, "") for k in ("q", "asset_type", "status", "purpose", "organization")}
    qs = search_assets(assets_for(request.user), **f).order_by("code")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "tai-san-cntt.xlsx",
            "Danh mục tài sản CNTT",
            [
                "Mã tài sản",
                "Loại",
                "Tên",
                "Model",
                "Số sê-ri",
                "Cấu hình",
                "Hệ điều hành",
                "Đơn vị",
                "Người sử dụng",
                "Vị trí",
                "Ngày mua",
                "Nguyên giá",
                "Trạng thái",
                "Mục đích",
                "Kết nối Internet",
                "Phần mềm diệt virus",
                "Phiên bản",
                "Hạn bản quyền",
                "Cập nhật lần cuối",
                "Hết khấu hao từ",
            ],
            (
                [
                    a.code,
                    a.get_asset_type_display(),
                    a.name,
                    a.model,
                    a.serial,
                    a.specification,
                    a.operating_system,
                    a.organization.name,
                    a.assignee,
                    a.location,
                    a.purchase_date,
                    a.purchase_value,
                    a.get_status_display(),
                    a.get_purpose_display(),
                    "có" if a.internet_connected else "không",
                    a.antivirus_product,
                    a.antivirus_version,
                    a.antivirus_licence_expiry,
                    a.antivirus_last_update,
                    a.depreciation_end,
                ]
                for a in qs.iterator(chunk_size=500)
            ),
        )
    from apps.core.pagination import paginate

    scope = manage_scope(request.user)
    return render(
        request,
        "itsec/asset_list.html",
        {
            "page": paginate(request, qs),
            "f": f,
            "types": AssetType.choices,
            "statuses": AssetStatus.choices,
            "purposes": Purpose.choices,
            "orgs": visible_organizations(request.user).order_by("path"),
            "can_manage": not scope.is_empty,
            "bulk_form": forms.BulkEditForm(scope=scope) if not scope.is_empty else None,
        },
    )


def _field_value(field, raw):
    """An audit value as a person reads it: choice labels, yes/no, Vietnamese dates."""
    if raw in (None, ""):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.choices).get(raw, raw))
    if raw in ("True", "False"):
        return _("Yes") if raw == "True" else _("No")
    if len(raw) == 10 and raw[4] == "-" and raw[7] == "-":
        try:
            return format_date(datetime.date.fromisoformat(raw))
        except ValueError:
            return raw
    return raw


def asset_history(asset) -> list[dict]:
    """Every recorded change of the asset (audit events), newest first, with field labels."""
    from .models import Asset

    rows = []
    for event in timeline(asset):
        changes = []
        for name, pair in (event.changes or {}).items():
            try:
                field = Asset._meta.get_field(name)
            except FieldDoesNotExist:  # e.g. a name recorded by an older version
                field = None
            if not hasattr(field, "verbose_name"):  # a reverse relation (e.g. "services") or none
                field = None
            label = str(field.verbose_name) if field is not None else name
            old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (None, pair)
            changes.append(
                {
                    "label": label[:1].upper() + label[1:],
                    "old": _field_value(field, old),
                    "new": _field_value(field, new),
                }
            )
        rows.append({"event": event, "changes": changes})
    rows.reverse()
    return rows


def _asset_or_404(request, pk):
    return get_object_or_404(assets_for(request.user), pk=pk)


@access.require(ITSEC_STAFF)
def asset_detail(request, pk):
    asset = _asset_or_404(request, pk)
    can_manage = manage_scope(request.user).allows(asset)
    allowed = [t.target for t in ASSET.allowed(asset, request.user)] if can_manage else []
    return render(
        request,
        "itsec/asset_detail.html",
        {
            "asset": asset,
            "can_manage": can_manage,
            "history": asset.status_changes.select_related("actor"),
            "services": asset.services.select_related("recorded_by"),
            "changes": asset_history(asset),
            "transition_form": forms.TransitionForm(initial={"to_status": next(iter(allowed), "")})
            if can_manage
            else None,
            "allowed": allowed,
            "service_form": forms.ServiceForm() if can_manage else None,
            "today": timezone.localdate(),
        },
    )


@access.require(ITSEC_MANAGER)
def asset_create(request):
    scope = manage_scope(request.user)
    form = forms.AssetForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.create_asset(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Asset registered."))
            return redirect("itsec:asset_detail", asset.pk)
    return render(request, "itsec/form.html", {"form": form, "title": _("New IT asset")})


@access.require(ITSEC_MANAGER)
def asset_edit(request, pk):
    asset = _asset_or_404(request, pk)
    if not manage_scope(request.user).allows(asset):
        raise Http404
    scope = manage_scope(request.user)
    form = forms.AssetForm(request.POST or None, instance=asset, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        fresh = type(asset).objects.get(pk=asset.pk)
        try:
            services.update_asset(request.user, fresh, **data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Asset saved."))
            return redirect("itsec:asset_detail", asset.pk)
    return render(request, "itsec/form.html", {"form": form, "title": asset.code})


def _managed_asset(request, pk):
    asset = _asset_or_404(request, pk)
    if not manage_scope(request.user).allows(asset):
        raise PermissionDenied
    return asset


@require_POST
@access.require(ITSEC_MANAGER)
def asset_transition(request, pk):
    asset = _managed_asset(request, pk)
    form = forms.TransitionForm(request.POST)
    _form_action(
        request,
        form,
        lambda data: workflow.apply(
            asset,
            ASSET.action_to(data["to_status"]),
            request.user,
            note=data["note"],
            effective_on=data["effective_on"],
        ),
        _("Status changed."),
        _("Check the new status and its date."),
    )
    return redirect("itsec:asset_detail", asset.pk)


@require_POST
@access.require(ITSEC_MANAGER)
def asset_service(request, pk):
    asset = _managed_asset(request, pk)
    form = forms.ServiceForm(request.POST)
    _form_action(
        request,
        form,
        lambda data: services.add_service(request.user, asset, **data),
        _("Service recorded."),
        _("Fill in the kind, date and description of the service."),
    )
    return redirect("itsec:asset_detail", asset.pk)


@require_POST
@access.require(ITSEC_MANAGER)
def asset_bulk_edit(request):
    scope = manage_scope(request.user)
    form = forms.BulkEditForm(request.POST, scope=scope)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    assets = scope.filter(assets_for(request.user)).filter(pk__in=ids)
    if not form.is_valid():
        messages.error(request, _("Check the values to set."))
    elif len(ids) != assets.count():
        raise PermissionDenied
    else:
        try:
            n = services.bulk_edit(request.user, assets, **form.changes())
            messages.success(request, _("%(n)d assets changed.") % {"n": n})
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    return redirect("itsec:asset_list")


# --- Import -------------------------------------------------------------------------------------


@access.require(ITSEC_MANAGER)
def import_start(request):
    scope = manage_scope(request.user)
    form = forms.ImportForm(request.POST or None, request.FILES or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            job = importer.start(
                request.user,
                uploaded=form.cleaned_data["file"],
                mapping=form.cleaned_data["mapping"],
                organization=form.cleaned_data["organization"],
            )
        except ValidationError as exc:
            form.add_error("file", _error_text(exc))
        except Exception as exc:  # UploadRejected carries a Vietnamese message
            if type(exc).__name__ != "UploadRejected":
                raise
            form.add_error("file", str(exc))
        else:
            return redirect("itsec:import_job", job.pk)
    jobs = ImportJob.objects.filter(requested_by=request.user).defer("content")[:10]
    layouts = [(m, importer.recognised_headers(m)) for m in ImportMapping.objects.order_by("name")]
    return render(request, "itsec/import.html", {"form": form, "jobs": jobs, "layouts": layouts})


def _job(request, pk):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    if job.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return job


@access.require(ITSEC_MANAGER)
def import_job(request, pk):
    return render(request, "itsec/import_job.html", {"job": _job(request, pk)})


@access.require(ITSEC_MANAGER)
def import_job_status(request, pk):
    return render(request, "itsec/_import_status.html", {"job": _job(request, pk)})


# --- Incidents ----------------------------------------------------------------------------------


@access.require(ITSEC_STAFF)
def incident_list(request):
    qs = incidents_for(request.user)
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(code__icontains=q)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "su-co-attt.xlsx",
            "Sự cố an toàn thông tin",
            ["Mã", "Tiêu đề", "Đơn vị", "Người báo", "Thời điểm phát hiện", "Mức độ", "Loại", "Trạng thái"],
            (
                [
                    i.code,
                    i.title,
                    i.organization.name,
                    i.reported_by.full_name,
                    format_date(i.occurred_at),
                    i.get_severity_display(),
                    i.get_category_display(),
                    i.get_status_display(),
                ]
                for i in qs
            ),
        )
    from apps.core.pagination import paginate

    return render(
        request,
        "itsec/incident_list.html",
        {"page": paginate(request, qs), "status": status, "q": q, "statuses": IncidentStatus.choices},
    )


@access.require(ITSEC_STAFF)
def incident_create(request):
    form = forms.IncidentReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.report_incident(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Incident reported. The IT officer has been told."))
            return redirect("itsec:incident_detail", incident.pk)
    return render(request, "itsec/form.html", {"form": form, "title": _("Report an incident")})


def _incident(request, pk):
    return get_object_or_404(incidents_for(request.user), pk=pk)


@access.require(ITSEC_STAFF)
def incident_detail(request, pk):
    incident = _incident(request, pk)
    can_handle = manage_scope(request.user).allows(incident)
    scope = manage_scope(request.user)
    context = {
        "incident": incident,
        "can_handle": can_handle,
        "steps": incident.steps.select_related("actor"),
        "history": incident.status_changes.select_related("actor"),
        "events": timeline(incident),
        "linked_assets": incident.assets.all(),
        "linked_systems": incident.systems.all(),
    }
    if can_handle:
        context["triage_form"] = forms.TriageForm(
            assets=scope.filter(assets_for(request.user)),
            systems=systems_for(request.user),
            initial={"severity": incident.severity, "category": incident.category},
        )
        context["step_form"] = forms.StepForm()
        context["close_form"] = forms.CloseForm()
    return render(request, "itsec/incident_detail.html", context)


def _handled_incident(request, pk):
    incident = _incident(request, pk)
    if not manage_scope(request.user).allows(incident):
        raise PermissionDenied
    return incident


@require_POST
@access.require(ITSEC_MANAGER)
def incident_triage(request, pk):
    incident = _handled_incident(request, pk)
    form = forms.TriageForm(
        request.POST,
        assets=manage_scope(request.user).filter(assets_for(request.user)),
        systems=systems_for(request.user),
    )
    _form_action(
        request,
        form,
        lambda data: services.triage_incident(request.user, incident, **data),
        _("Incident triaged."),
        _("Choose the severity and category."),
    )
    return redirect("itsec:incident_detail", incident.pk)


@require_POST
@access.require(ITSEC_MANAGER)
def incident_step(request, pk):
    incident = _handled_incident(request, pk)
    form = forms.StepForm(request.POST)
    _form_action(
        request,
        form,
        lambda data: services.add_step(request.user, incident, **data),
        _("Step recorded."),
        _("Describe the action taken."),
    )
    return redirect("itsec:incident_detail", incident.pk)


@require_POST
@access.require(ITSEC_MANAGER)
def incident_close(request, pk):
    incident = _handled_incident(request, pk)
    form = forms.CloseForm(request.POST)
    _form_action(
        request,
        form,
        lambda data: services.close_incident(request.user, incident, **data),
        _("Incident closed."),
        _("Write the lessons learned before closing."),
    )
    return redirect("itsec:incident_detail", incident.pk)


@require_POST
@access.require(ITSEC_MANAGER)
def incident_reject(request, pk):
    incident = _handled_incident(request, pk)
    try:
        services.reject_incident(request.user, incident, note=request.POST.get("note", "")[:255])
        messages.success(request, _("Marked as not an incident."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("itsec:incident_detail", incident.pk)


@access.require(ITSEC_MANAGER)
def incident_report_pdf(request, pk):
    incident = _handled_incident(request, pk)
    pdf = reports.incident_report_pdf(incident)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-su-co-{incident.code}.pdf"'
    return response


@access.require(ITSEC_MANAGER)
def incident_report_docx(request, pk):
    from apps.core.files.intake import DOCX

    incident = _handled_incident(request, pk)
    response = HttpResponse(reports.incident_report_docx(incident), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="bao-cao-su-co-{incident.code}.docx"'
    return response


@access.require(ITSEC_VIEWER)
def incident_stats(request):
    year = _year_param(request)
    qs = incidents_for(request.user).filter(reported_at__year=year)
    by = {
        "status": dict(IncidentStatus.choices),
        "severity": dict(Severity.choices),
        "category": dict(IncidentCategory.choices),
    }
    tables = {}
    for field, labels in by.items():
        rows = qs.values(field).annotate(n=Count("id")).order_by(field)
        tables[field] = [(str(labels.get(r[field], "—")), r["n"]) for r in rows]
    by_month = [0] * 12
    hours = []
    for reported_at, closed_at, status in qs.values_list("reported_at", "closed_at", "status"):
        by_month[timezone.localtime(reported_at).month - 1] += 1
        if status == IncidentStatus.CLOSED and closed_at:
            hours.append((closed_at - reported_at).total_seconds() / 3600)
    chart = {
        "months": [f"{m:02d}/{year}" for m in range(1, 13)],
        "by_month": by_month,
        "label_month": _("Incidents reported"),
        **{f"{k}_labels": [label for label, _n in rows] for k, rows in tables.items()},
        **{f"{k}_values": [n for _label, n in rows] for k, rows in tables.items()},
    }
    return render(
        request,
        "itsec/incident_stats.html",
        {
            "year": year,
            "tables": tables,
            "total": qs.count(),
            "months": list(zip(chart["months"], by_month, strict=True)),
            "closed": len(hours),
            "mean_hours": sum(hours) / len(hours) if hours else None,
            "chart": chart,
        },
    )


# --- Information systems ------------------------------------------------------------------------


@access.require(ITSEC_VIEWER)
def system_list(request):
    from apps.core.pagination import paginate

    q = request.GET.get("q", "").strip()
    qs = (
        search_systems(systems_for(request.user), q).annotate(n_incidents=Count("incidents")).order_by("name")
    )
    today = timezone.localdate()
    review = request.GET.get("review", "")
    if review == "overdue":
        qs = qs.filter(next_review_on__lt=today)
    elif review == "due":
        qs = qs.filter(
            next_review_on__gte=today,
            next_review_on__lte=today + datetime.timedelta(days=REVIEW_NOTICE_DAYS),
        )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "he-thong-thong-tin.xlsx",
            "Danh mục hệ thống thông tin",
            [
                "Tên hệ thống",
                "Đơn vị chủ quản",
                "Đơn vị vận hành",
                "Loại hệ thống",
                "Nơi đặt",
                "Cấp độ đề xuất",
                "Cấp độ được phê duyệt",
                "Trạng thái hồ sơ cấp độ",
                "Văn bản đề xuất",
                "Quyết định phê duyệt",
                "Ngày phê duyệt",
                "Tự đánh giá kế tiếp",
                "Số sự cố",
            ],
            (
                [
                    s.name,
                    s.organization.name,
                    s.operator,
                    s.get_kind_display(),
                    s.hosting,
                    s.proposed_level,
                    s.approved_level,
                    s.get_level_status_display(),
                    s.submission_reference,
                    s.approval_reference,
                    s.approved_on,
                    s.next_review_on,
                    s.n_incidents,
                ]
                for s in qs
            ),
        )
    page = paginate(request, qs)
    for system in page:
        system.review_state = review_state(system, today)
    return render(
        request,
        "itsec/system_list.html",
        {"page": page, "can_manage": is_manager(request.user), "review": review, "q": q},
    )


def _system(request, pk):
    return get_object_or_404(systems_for(request.user), pk=pk)


@access.require(ITSEC_VIEWER)
def system_detail(request, pk):
    system = _system(request, pk)
    level = system.approved_level or system.proposed_level
    rs, items = checklist(level or 1, system.approved_on)
    can_manage = manage_scope(request.user).allows(system)
    return render(
        request,
        "itsec/system_detail.html",
        {
            "system": system,
            "facts": facts_of(system),
            "requirement_set": rs,
            "requirements": items if level else [],
            "assessments": system.assessments.select_related("performed_by").prefetch_related(
                "answers__requirement", "answers__remediations"
            ),
            "can_manage": can_manage,
            "level_form": forms.LevelStepForm() if can_manage else None,
            "next_steps": LEVEL.allowed(system, request.user) if can_manage else [],
            "events": timeline(system),
            "review_state": review_state(system, timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@access.require(ITSEC_MANAGER)
def system_edit(request, pk=None):
    scope = manage_scope(request.user)
    instance = _system(request, pk) if pk else InformationSystem()
    if pk and not scope.allows(instance):
        raise PermissionDenied
    form = forms.SystemForm(request.POST or None, instance=instance, scope=scope)
    if request.method == "POST" and form.is_valid():
        system = form.save(commit=False)
        try:
            services.save_system(request.user, system)
            form.save_m2m()
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            return redirect("itsec:system_detail", system.pk)
    return render(
        request, "itsec/form.html", {"form": form, "title": instance.name or _("New information system")}
    )


@require_POST
@access.require(ITSEC_MANAGER)
def system_classify(request, pk):
    system = _system(request, pk)
    services.propose_level(request.user, system)
    messages.success(request, _("Level proposed; check the reasons."))
    return redirect("itsec:system_detail", system.pk)


@require_POST
@access.require(ITSEC_MANAGER)
def system_level(request, pk, to_status):
    system = _system(request, pk)
    form = forms.LevelStepForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            workflow.apply(system, LEVEL.action_to(to_status), request.user, note=data["reference"], **data)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    return redirect("itsec:system_detail", system.pk)


@access.require(ITSEC_MANAGER)
def system_dossier(request, pk):
    system = _system(request, pk)
    if not system.proposed_level:
        messages.error(request, _("Run the classification before producing the dossier."))
        return redirect("itsec:system_detail", system.pk)
    from apps.core.files.intake import DOCX

    response = HttpResponse(reports.proposal_dossier_docx(system), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="ho-so-de-xuat-cap-do-{system.pk}.docx"'
    return response


@access.require(ITSEC_MANAGER)
def system_assess(request, pk):
    system = _system(request, pk)
    if not manage_scope(request.user).allows(system):
        raise PermissionDenied
    level = system.approved_level or system.proposed_level
    _rs, items = checklist(level or 1, timezone.localdate())
    items = list(items) if level else []
    error = ""
    if request.method == "POST":
        answers = {}
        for r in items:
            due = request.POST.get(f"due-{r.pk}", "")
            answers[r] = {
                "result": request.POST.get(f"result-{r.pk}", ""),
                "evidence": request.POST.get(f"evidence-{r.pk}", ""),
                "finding": request.POST.get(f"finding-{r.pk}", ""),
                "remediation": request.POST.get(f"remediation-{r.pk}", ""),
                "due_on": datetime.date.fromisoformat(due) if due else None,
            }
        valid_results = {v for v, _l in AssessmentAnswer.Result.choices}
        try:
            if any(a["result"] not in valid_results for a in answers.values()):
                raise ValidationError(_("Choose a result for every requirement."))
            performed_on = datetime.date.fromisoformat(request.POST.get("performed_on", ""))
            services.record_self_assessment(
                request.user,
                system,
                performed_on=performed_on,
                summary=request.POST.get("summary", ""),
                answers=answers,
            )
        except ValidationError as exc:
            error = _error_text(exc)
        except ValueError:
            error = _("Enter the date of the assessment.")
        else:
            messages.success(request, _("Self-assessment recorded."))
            return redirect("itsec:system_detail", system.pk)
    return render(
        request,
        "itsec/system_assess.html",
        {
            "system": system,
            "items": items,
            "results": AssessmentAnswer.Result.choices,
            "error": error,
            "today": timezone.localdate(),
            "posted": request.POST,
        },
    )


@require_POST
@access.require(ITSEC_MANAGER)
def remediation_done(request, pk):
    task = get_object_or_404(RemediationTask.objects.select_related("answer__assessment__system"), pk=pk)
    system = task.answer.assessment.system
    if not systems_for(request.user).filter(pk=system.pk).exists():
        raise Http404
    services.complete_remediation(request.user, task, done_on=timezone.localdate())
    return redirect("itsec:system_detail", system.pk)


@access.require(ITSEC_MANAGER)
def units(request):
    """Per-unit headcount and LAN records (the denominators of the coverage figures)."""
    scope = manage_scope(request.user)
    form = forms.UnitRecordForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with transaction.atomic():
            services.record_headcount(
                request.user,
                d["organization"],
                effective_from=d["effective_from"],
                headcount=d["headcount"],
                note=d["note"],
            )
            services.record_lan(
                request.user, d["organization"], effective_from=d["effective_from"], has_lan=d["has_lan"]
            )
        messages.success(request, _("Saved."))
        return redirect("itsec:units")
    at = timezone.localdate()

    # The latest record of each unit on `at` (as indicators.staff_of_unit), in the one query: no N+1.
    def latest(model, column):
        newest = model.objects.filter(organization=OuterRef("pk"), effective_from__lte=at)
        return Subquery(newest.order_by("-effective_from").values(column)[:1])

    orgs = forms._orgs(scope).order_by("path")
    orgs = orgs.annotate(
        headcount=latest(StaffHeadcount, "headcount"), has_lan=latest(UnitNetwork, "has_lan")
    )
    rows = [{"org": org, "headcount": org.headcount, "has_lan": org.has_lan} for org in orgs]
    return render(request, "itsec/units.html", {"form": form, "rows": rows, "at": at})


# --- Skills and training ------------------------------------------------------------------------


def _viewer_org(request, orgs):
    org = orgs.filter(pk=request.GET.get("org")).first() if request.GET.get("org", "").isdigit() else None
    return org or orgs.filter(kind="agency").first() or orgs.first()


@access.require(ITSEC_VIEWER)
def training(request):
    """Overview: IT staff by qualification, skills shares of the year, courses."""
    from apps.core.pagination import paginate

    year = _year_param(request)
    orgs = visible_organizations(request.user).order_by("path")
    org = _viewer_org(request, orgs)
    scope = manage_scope(request.user)
    skills_form = None
    if not scope.is_empty:
        skills_form = forms.SkillsForm(request.POST or None, scope=scope, initial={"year": year})
        if request.method == "POST":
            if skills_form.is_valid():
                d = skills_form.cleaned_data
                try:
                    services.record_skills(
                        request.user,
                        d["organization"],
                        year=d["year"],
                        basic_it_skills=d["basic_it_skills"],
                        security_trained=d["security_trained"],
                    )
                except ValidationError as exc:
                    messages.error(request, _error_text(exc))
                else:
                    messages.success(request, _("Saved."))
                    return redirect(f"{request.path}?year={d['year']}")
            else:
                messages.error(request, _("Check the values to record."))
    at = min(timezone.localdate(), datetime.date(year, 12, 31))
    courses = (
        courses_for(request.user)
        .filter(ends_on__year=year)
        .annotate(n=Count("attendees"))
        .order_by("-starts_on", "pk")
    )
    return render(
        request,
        "itsec/training.html",
        {
            "year": year,
            "org": org,
            "orgs": orgs,
            "it_staff": indicators.it_staff(org, at) if org else None,
            "qualifications": dict(Qualification.choices),
            "skills": indicators.skills(org, year) if org else None,
            "skill_rows": StaffSkill.objects.filter(organization__in=orgs, year=year).select_related(
                "organization"
            ),
            "page": paginate(request, courses),
            "skills_form": skills_form,
            "can_manage": not scope.is_empty,
        },
    )


def _year_param(request) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@access.require(ITSEC_VIEWER)
def staff_list(request):
    from apps.core.pagination import paginate

    q = request.GET.get("q", "").strip()
    qualification = request.GET.get("qualification", "")
    current = request.GET.get("current", "1") == "1"
    qs = it_staff_for(request.user)
    if q:
        qs = qs.filter(Q(full_name__icontains=q) | Q(field_of_study__icontains=q))
    if qualification:
        qs = qs.filter(qualification=qualification)
    if current:
        today = timezone.localdate()
        qs = qs.filter(active_from__lte=today).filter(Q(active_to__isnull=True) | Q(active_to__gte=today))
    qs = qs.order_by("full_name", "pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "can-bo-cntt.xlsx",
            "Cán bộ CNTT",
            ["Họ và tên", "Đơn vị", "Trình độ", "Chuyên ngành", "Chuyên trách", "Từ ngày", "Đến ngày"],
            (
                [
                    s.full_name,
                    s.organization.name,
                    s.get_qualification_display(),
                    s.field_of_study,
                    "có" if s.dedicated else "không",
                    s.active_from,
                    s.active_to,
                ]
                for s in qs
            ),
        )
    return render(
        request,
        "itsec/staff_list.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "qualification": qualification,
            "current": current,
            "qualifications": Qualification.choices,
            "can_manage": is_manager(request.user),
        },
    )


@access.require(ITSEC_MANAGER)
def staff_edit(request, pk=None):
    scope = manage_scope(request.user)
    instance = get_object_or_404(it_staff_for(request.user), pk=pk) if pk else ItStaff()
    if pk and not scope.allows(instance):
        raise PermissionDenied
    form = forms.ItStaffForm(request.POST or None, instance=instance, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_it_staff(request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("itsec:staff_list")
    return render(
        request, "itsec/form.html", {"form": form, "title": instance.full_name or _("New IT staff member")}
    )


@access.require(ITSEC_MANAGER)
def course_edit(request, pk=None):
    scope = manage_scope(request.user)
    instance = get_object_or_404(courses_for(request.user), pk=pk) if pk else TrainingCourse()
    if pk and not scope.allows(instance):
        raise PermissionDenied
    form = forms.CourseForm(request.POST or None, instance=instance, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.save_course(request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, _error_text(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("itsec:course_detail", course.pk)
    return render(request, "itsec/form.html", {"form": form, "title": instance.title or _("New course")})


@access.require(ITSEC_VIEWER)
def course_detail(request, pk):
    course = get_object_or_404(courses_for(request.user), pk=pk)
    scope = manage_scope(request.user)
    can_manage = scope.allows(course)
    form = forms.AttendanceForm(request.POST or None, scope=scope) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.record_attendance(
                    request.user,
                    course,
                    full_name=d["full_name"],
                    attendee=d["attendee"],
                    passed=d["passed"],
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("Attendance recorded."))
                return redirect("itsec:course_detail", course.pk)
    attendees = course.attendees.select_related("user").order_by("full_name", "pk")
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            f"hoc-vien-{course.pk}.xlsx",
            "Danh sách học viên",
            ["Họ và tên", "Tài khoản", "Hoàn thành"],
            (
                [a.full_name, a.user.username if a.user else "", "có" if a.passed else "không"]
                for a in attendees
            ),
        )
    return render(
        request,
        "itsec/course_detail.html",
        {
            "course": course,
            "attendees": attendees,
            "form": form,
            "can_manage": can_manage,
            "events": timeline(course),
        },
    )


@require_POST
@access.require(ITSEC_MANAGER)
def attendance_remove(request, pk):
    row = get_object_or_404(Attendance.objects.select_related("course"), pk=pk)
    if not courses_for(request.user).filter(pk=row.course_id).exists():
        raise Http404
    services.remove_attendance(request.user, row)
    messages.success(request, _("Removed from the list."))
    return redirect("itsec:course_detail", row.course_id)


__all__ = ["ASSET_OWNERS"]
