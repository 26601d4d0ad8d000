"""Thin views: permission (selectors) → form → service → redirect. 403 for users without a role in
this module, 404 for plans of another agency."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.selectors import timeline
from apps.core import access
from apps.core.export import xlsx_response
from apps.core.files.intake import UploadRejected, accept_upload
from apps.core.pagination import paginate
from apps.core.rendering.xlsx import XLSX_TYPE

from . import document, figures, forms, importer, selectors, services
from .access import PLANS_CREATOR, PLANS_MEMBER
from .models import PlanStatus, ProjectStatus
from .workflow import plan_machine, project_machine

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _plan(request, pk):
    return get_object_or_404(selectors.plans_for(request.user).prefetch_related("projects"), pk=pk)


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- lists --------------------------------------------------------------------------------------


@access.require(PLANS_MEMBER)
def index(request):
    f = {k: request.GET.get(k, "") for k in ("q", "year", "status")}
    qs = selectors.search_plans(selectors.plans_for(request.user), **f)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "ke-hoach-chuyen-doi-so.xlsx",
            "Kế hoạch chuyển đổi số",
            [
                "Năm",
                "Phiên bản",
                "Cơ quan",
                "Số, ký hiệu",
                "Ngày",
                "Tiêu đề",
                "Trạng thái",
                "Tổng kinh phí (đồng)",
            ],
            (
                [
                    p.year,
                    p.version,
                    p.organization.name,
                    p.number_symbol,
                    p.date,
                    p.title,
                    p.get_status_display(),
                    sum(x.total for x in p.projects.all()),
                ]
                for p in qs.prefetch_related("projects")
            ),
        )
    return render(
        request,
        "plans/index.html",
        {
            "page": paginate(request, qs),
            "statuses": PlanStatus.choices,
            "can_create": selectors.creatable_agencies(request.user).exists(),
            **f,
        },
    )


@access.require(PLANS_MEMBER)
def project_list(request):
    f = {k: request.GET.get(k, "") for k in ("q", "year", "status")}
    qs = selectors.search_projects(selectors.projects_for(request.user), **f).order_by(
        "-plan__year", "plan_id", "order"
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "nhiem-vu-du-an.xlsx",
            "Nhiệm vụ, dự án",
            [
                "Năm",
                "STT",
                "Tên nhiệm vụ, dự án",
                "Đơn vị chủ trì",
                "Tổng mức đầu tư (đồng)",
                "Đã giải ngân (đồng)",
                "Trạng thái",
            ],
            (
                [p.plan.year, p.order, p.name, p.lead_unit, p.total, p.disbursed, p.get_status_display()]
                for p in qs
            ),
        )
    return render(
        request,
        "plans/project_list.html",
        {"page": paginate(request, qs), "statuses": ProjectStatus.choices, **f},
    )


# --- one plan -----------------------------------------------------------------------------------


@access.require(PLANS_CREATOR)
def plan_create(request):
    agencies = selectors.creatable_agencies(request.user)
    form = forms.PlanCreateForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.create_plan(request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/form.html", {"form": form, "title": _("New plan")})


@access.require(PLANS_MEMBER)
def plan_detail(request, pk):
    plan = _plan(request, pk)
    content = document.content(plan)
    actuals = figures.target_actuals(plan)
    targets = [
        {"target": t, "actual": actuals.get(t.pk), "reached": _reached(t, actuals.get(t.pk))}
        for t in plan.targets.all()
    ]
    versions = (
        selectors.plans_for(request.user)
        .filter(organization=plan.organization, year=plan.year)
        .order_by("version")
    )
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "content": content,
            "snapshot": content["figures"],
            "frozen": bool(plan.frozen_figures) and plan.status in (PlanStatus.APPROVED, PlanStatus.REVISED),
            "targets": targets,
            "projects": plan.projects.all(),
            "can_edit": selectors.can_edit(request.user, plan),
            "can_track": selectors.can_track(request.user, plan) and plan.status == PlanStatus.APPROVED,
            "actions": plan_machine.allowed(plan, request.user),
            "project_machine": project_machine,
            "history": plan.history.select_related("actor"),
            "comments": plan.comments.select_related("author"),
            "comment_form": forms.CommentForm(),
            "timeline": timeline(plan)[:30],
            "versions": versions,
            "can_send": plan.status == PlanStatus.APPROVED
            and not plan.sent_document_id
            and bool(selectors.roles_for(request.user, plan) & {"planner", "leader", "administrator"}),
        },
    )


def _reached(target, actual):
    if actual is None or target.target_value is None:
        return None
    return actual >= target.target_value


def _require_edit(request, plan):
    if not selectors.can_edit(request.user, plan):
        raise PermissionDenied


@access.require(PLANS_MEMBER)
def plan_edit(request, pk):
    plan = _plan(request, pk)
    _require_edit(request, plan)
    form = forms.PlanHeaderForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        services.update_header(request.user, plan, form.cleaned_data)
        messages.success(request, _("The plan was saved."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/form.html", {"form": form, "plan": plan, "title": _("Plan details")})


@access.require(PLANS_MEMBER)
def plan_sections(request, pk):
    plan = _plan(request, pk)
    _require_edit(request, plan)
    texts = {s.code: s.text for s in plan.sections.all()}
    form = forms.SectionsForm(request.POST or None, texts=texts)
    if request.method == "POST" and form.is_valid():
        services.save_sections(request.user, plan, form.cleaned_data)
        messages.success(request, _("The plan was saved."))
        return redirect("plans:detail", pk=plan.pk)
    return render(
        request, "plans/form.html", {"form": form, "plan": plan, "title": _("Contents of the plan")}
    )


def _formset_view(request, pk, formset_class, title, verb):
    plan = _plan(request, pk)
    _require_edit(request, plan)
    formset = formset_class(request.POST or None, instance=plan)
    if request.method == "POST" and formset.is_valid():
        services.save_rows(request.user, plan, formset, verb)
        messages.success(request, _("The plan was saved."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/formset.html", {"formset": formset, "plan": plan, "title": title})


@access.require(PLANS_MEMBER)
def plan_targets(request, pk):
    return _formset_view(request, pk, forms.TargetFormSet, _("Specific targets"), "plan_targets_saved")


@access.require(PLANS_MEMBER)
def plan_bases(request, pk):
    return _formset_view(request, pk, forms.BasisFormSet, _("Legal bases"), "plan_bases_saved")


@access.require(PLANS_MEMBER)
@require_POST
def plan_action(request, pk, action):
    plan = _plan(request, pk)
    try:
        if action == "revise":
            plan = services.revise(request.user, plan, note=request.POST.get("note", ""))
            messages.success(request, _("Version %(n)s was created as a draft.") % {"n": plan.version})
        else:
            services.move(
                request.user,
                plan,
                action,
                note=request.POST.get("note", ""),
                expected_version=request.POST.get("version"),
            )
            messages.success(request, _("Done."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("plans:detail", pk=plan.pk)


@access.require(PLANS_MEMBER)
@require_POST
def plan_comment(request, pk):
    plan = _plan(request, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(request.user, plan, form.cleaned_data["text"])
    return redirect("plans:detail", pk=plan.pk)


@access.require(PLANS_MEMBER)
def plan_docx(request, pk):
    plan = _plan(request, pk)
    return _attachment(document.to_docx(plan), document.filename(plan, "docx"), DOCX_TYPE)


@access.require(PLANS_MEMBER)
def plan_pdf(request, pk):
    plan = _plan(request, pk)
    return _attachment(document.to_pdf(plan), document.filename(plan, "pdf"), "application/pdf")


@access.require(PLANS_MEMBER)
@require_POST
def plan_send(request, pk):
    plan = _plan(request, pk)
    try:
        doc_id = services.send_for_signing(request.user, plan)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("plans:detail", pk=plan.pk)
    from apps.documents.public import outgoing_url

    messages.success(request, _("The plan was sent to the documents module for signing and issuing."))
    return redirect(outgoing_url(doc_id))


# --- appendix -----------------------------------------------------------------------------------


@access.require(PLANS_MEMBER)
def project_edit(request, pk, project_pk=None):
    plan = _plan(request, pk)
    _require_edit(request, plan)
    project = get_object_or_404(plan.projects, pk=project_pk) if project_pk else None
    form = forms.ProjectForm(request.POST or None, instance=project)
    if request.method == "POST" and form.is_valid():
        services.save_project(request.user, plan, project, form.cleaned_data)
        messages.success(request, _("The appendix line was saved."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/form.html", {"form": form, "plan": plan, "title": _("Appendix line")})


@access.require(PLANS_MEMBER)
@require_POST
def project_delete(request, pk, project_pk):
    plan = _plan(request, pk)
    _require_edit(request, plan)
    services.delete_project(request.user, get_object_or_404(plan.projects, pk=project_pk))
    return redirect("plans:detail", pk=plan.pk)


@access.require(PLANS_MEMBER)
def project_track(request, pk, project_pk):
    plan = _plan(request, pk)
    if not selectors.can_track(request.user, plan):
        raise PermissionDenied
    project = get_object_or_404(plan.projects, pk=project_pk)
    form = forms.DisbursementForm(request.POST or None, initial={"disbursed": project.disbursed / 1_000_000})
    if request.method == "POST":
        try:
            action = request.POST.get("action", "")
            if action:
                services.move_project(request.user, project, action, note=request.POST.get("note", ""))
            elif form.is_valid():
                services.record_disbursement(
                    request.user, project, form.cleaned_data["disbursed"], form.cleaned_data["note"]
                )
            messages.success(request, _("Done."))
            return redirect("plans:detail", pk=plan.pk)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return render(
        request,
        "plans/project_track.html",
        {
            "plan": plan,
            "project": project,
            "form": form,
            "actions": project_machine.allowed(project, request.user),
            "history": project.history.select_related("actor"),
        },
    )


@access.require(PLANS_MEMBER)
def appendix_export(request, pk):
    plan = _plan(request, pk)
    return _attachment(
        importer.export_appendix(plan), f"phu-luc-ke-hoach-{plan.year}-v{plan.version}.xlsx", XLSX_TYPE
    )


@access.require(PLANS_MEMBER)
def appendix_import(request, pk):
    plan = _plan(request, pk)
    _require_edit(request, plan)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = accept_upload(
                upload, purpose=importer.IMPORT_PURPOSE, user=request.user, organization=plan.organization
            )
            with stored.file.open("rb") as fh:
                rows = importer.parse(fh.read())
            count = services.replace_projects(request.user, plan, rows, note=upload.name)
        except UploadRejected as exc:
            errors = [str(exc)]
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("%(n)s appendix lines were imported.") % {"n": count})
            return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/import.html", {"form": form, "plan": plan, "errors": errors})


# --- dashboard ----------------------------------------------------------------------------------


@access.require(PLANS_MEMBER)
def dashboard(request):
    plans = selectors.plans_for(request.user)
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = plans.filter(pk=request.GET["plan"]).first()
    plan = plan or plans.order_by("-year", "-version").first()
    context = {"plan": plan, "plans": plans.order_by("-year", "-version")}
    if plan is not None:
        actuals = figures.target_actuals(plan)
        bound = [t for t in plan.targets.all() if t.indicator_key]
        projects = list(plan.projects.all())
        years = [plan.year - 2, plan.year - 1, plan.year]
        budgets = []
        for year in years:
            version = selectors.current_version(plans, plan.organization_id, year)
            rows = list(version.projects.all()) if version else []
            budgets.append(
                {
                    "year": year,
                    "planned": sum(p.total for p in rows),
                    "disbursed": sum(p.disbursed for p in rows),
                }
            )
        trend = figures.trend(plan.organization, years)
        context.update(
            targets=[{"target": t, "actual": actuals.get(t.pk)} for t in bound],
            projects=projects,
            budgets=budgets,
            trend=trend,
            years=years,
            chart={
                "targets": {
                    "labels": [t.text[:40] for t in bound],
                    "target": [float(t.target_value or 0) for t in bound],
                    "actual": [float(actuals.get(t.pk) or 0) for t in bound],
                    "label_target": _("Target"),
                    "label_actual": _("Actual"),
                },
                "budget": {
                    "labels": [p.name[:40] for p in projects],
                    "planned": [p.total / 1_000_000 for p in projects],
                    "disbursed": [p.disbursed / 1_000_000 for p in projects],
                    "label_planned": _("Planned (million đồng)"),
                    "label_disbursed": _("Disbursed (million đồng)"),
                },
                "years": {
                    "labels": [str(y) for y in years],
                    "planned": [b["planned"] / 1_000_000 for b in budgets],
                    "disbursed": [b["disbursed"] / 1_000_000 for b in budgets],
                },
            },
        )
    return render(request, "plans/dashboard.html", context)
