from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.selectors import timeline
from apps.core import access
from apps.core.export import xlsx_response
from apps.core.pagination import paginate

from . import engine, methodology, permissions, reports, selectors, services
from .access import (
    METHODOLOGY_MANAGER,
    METHODOLOGY_VIEWER,
    TECHASSESS_AGGREGATES,
    TECHASSESS_ENTERPRISE,
    TECHASSESS_OFFICER,
    TECHASSESS_REGISTRAR,
    TECHASSESS_USER,
)
from .forms import (
    ClaimCodeForm,
    ClaimDecisionForm,
    ClaimForm,
    EnterpriseForm,
    EvidenceForm,
    MethodologyEditForm,
    MethodologyImportForm,
    NewVersionForm,
    ReturnForm,
    StartSurveyForm,
    section_form,
)
from .legacy import GROUPS as LEGACY_GROUPS
from .models import (
    AssessmentResult,
    ClaimMethod,
    ClaimStatus,
    EnterpriseClaim,
    Methodology,
    MethodologyStatus,
    Survey,
    SurveyStatus,
)


def _survey_or_404(request, pk) -> Survey:
    survey = get_object_or_404(
        Survey.objects.select_related("enterprise", "methodology", "organization", "created_by"), pk=pk
    )
    if not permissions.can_view_survey(request.user, survey):
        raise Http404
    return survey


def _errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


@access.require(TECHASSESS_USER)
def home(request):
    surveys = selectors.surveys_for(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    year = request.GET.get("year", "")
    if q:
        surveys = surveys.filter(
            Q(enterprise__name__icontains=q)
            | Q(enterprise__tax_code__icontains=q)
            | Q(enterprise__commune__icontains=q)
        )
    if status in SurveyStatus.values:
        surveys = surveys.filter(status=status)
    if year.isdigit():
        surveys = surveys.filter(year=int(year))
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                s.enterprise.name,
                s.enterprise.tax_code,
                s.enterprise.vsic_code,
                s.enterprise.commune,
                s.year,
                s.get_status_display(),
                str(s.methodology) + (" — minh họa" if s.methodology.illustrative else ""),
            ]
            for s in surveys[:5000]
        ]
        return xlsx_response(
            "phieu-khao-sat-trinh-do-cong-nghe.xlsx",
            "Phiếu khảo sát trình độ công nghệ",
            ["Doanh nghiệp", "Mã số thuế", "Mã ngành VSIC", "Xã/phường", "Năm", "Trạng thái", "Phương pháp"],
            rows,
        )
    enterprises = selectors.enterprises_for(request.user)
    return render(
        request,
        "techassess/home.html",
        {
            "page": paginate(request, surveys),
            "q": q,
            "status": status,
            "year": year,
            "statuses": SurveyStatus.choices,
            "enterprises": enterprises[:50] if not permissions.is_officer(request.user) else None,
            "is_officer": permissions.is_officer(request.user),
            "is_enterprise": permissions.is_enterprise_account(request.user),
            "pending_claims": EnterpriseClaim.objects.filter(status=ClaimStatus.PENDING).count()
            if permissions.is_officer(request.user)
            else 0,
            "can_aggregate": permissions.can_view_aggregates(request.user),
            "can_methodologies": permissions.can_view_methodologies(request.user),
            "current_methodology": services.current_methodology(),
            "can_register": permissions.is_enterprise_account(request.user)
            or permissions.is_officer(request.user),
        },
    )


@access.require(TECHASSESS_REGISTRAR)
def enterprise_register(request):
    form = EnterpriseForm(request.POST or None)
    if (
        request.method == "POST"
        and not form.is_valid()
        and permissions.is_enterprise_account(request.user)
        and any(e.code == "unique" for e in form.errors.as_data().get("tax_code", []))
    ):
        messages.info(
            request,
            _("This enterprise is already on record. Claim it: the link is made once it is verified."),
        )
        return redirect(f"{reverse('techassess:claim_start')}?tax_code={form.data.get('tax_code', '')}")
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = services.register_enterprise(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("The enterprise has been registered."))
            return redirect("techassess:enterprise_detail", enterprise.pk)
    return render(request, "techassess/enterprise_form.html", {"form": form})


@access.require(TECHASSESS_USER)
def enterprise_detail(request, pk):
    enterprise = get_object_or_404(selectors.enterprises_for(request.user), pk=pk)
    surveys = enterprise.surveys.select_related("methodology").order_by("-year")
    form = StartSurveyForm(initial={"year": timezone.localdate().year})
    return render(
        request,
        "techassess/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "surveys": surveys,
            "form": form,
            "can_start": permissions.can_use_enterprise(request.user, enterprise),
            "results": AssessmentResult.objects.filter(
                pk__in=selectors.latest_results(request.user)
                .filter(survey__enterprise=enterprise)
                .values("pk")
            ).order_by("-year"),
            "legacy_results": enterprise.legacy_results.order_by("-year"),
            "legacy_groups": LEGACY_GROUPS,
        },
    )


@access.require(TECHASSESS_USER)
@require_POST
def survey_start(request, pk):
    enterprise = get_object_or_404(selectors.enterprises_for(request.user), pk=pk)
    form = StartSurveyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid survey year."))
        return redirect("techassess:enterprise_detail", pk)
    try:
        survey = services.start_survey(
            actor=request.user, enterprise=enterprise, year=form.cleaned_data["year"]
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("techassess:enterprise_detail", pk)
    sections = survey.methodology.definition.get("sections") or []
    return (
        redirect("techassess:survey_section", survey.pk, sections[0]["code"])
        if sections
        else redirect("techassess:survey_detail", survey.pk)
    )


def _sections(survey):
    saved = set(survey.sections_saved)
    return [
        {"code": s["code"], "title": s.get("title", s["code"]), "saved": s["code"] in saved}
        for s in survey.methodology.definition.get("sections") or []
    ]


def _display(question: dict, value):
    if value in (None, ""):
        return "—"
    if question.get("type") == "choice":
        return next(
            (c.get("label", c["value"]) for c in question["choices"] if str(c["value"]) == str(value)), value
        )
    if question.get("type") == "boolean":
        return _("Yes") if value else _("No")
    if question.get("type") in ("number", "integer") and isinstance(value, int | float):
        if _is_year(question) and float(value).is_integer():
            return str(int(value))  # a year keeps its digits together: 2017, not 2.017
        return engine.number_text(value)
    return value


def _is_year(question: dict) -> bool:
    """A whole-number answer or column that holds a year (code "year", "year_made", "survey_year"…)."""
    return question.get("type") == "integer" and "year" in str(question.get("code", "")).split("_")


def _answers(survey):
    """The answers, section by section, for reading (the reviewer's view of the survey)."""
    out = []
    for section in survey.methodology.definition.get("sections") or []:
        items = []
        for q in section.get("questions") or []:
            value = survey.answers.get(q["code"])
            if q.get("type") == "table":
                columns = q.get("columns") or []
                rows = [[_display(c, (r or {}).get(c["code"])) for c in columns] for r in value or []]
                items.append({"label": q["label"], "table": {"columns": columns, "rows": rows}})
            else:
                items.append({"label": q["label"], "value": _display(q, value)})
        out.append({"title": section.get("title", section["code"]), "items": items})
    return out


@access.require(TECHASSESS_USER)
def survey_detail(request, pk):
    survey = _survey_or_404(request, pk)
    result = survey.results.select_related("methodology").first()
    return render(
        request,
        "techassess/survey_detail.html",
        {
            "survey": survey,
            "sections": _sections(survey),
            "answers": _answers(survey),
            "missing": services.missing_answers(survey) if survey.editable else [],
            "evidence": survey.evidence.select_related("file"),
            "history": survey.history.select_related("actor"),
            "events": timeline(survey),
            "result": result,
            "can_work": permissions.can_work_on_survey(request.user, survey) and survey.editable,
            "can_review": permissions.can_review(request.user, survey)
            and survey.status == SurveyStatus.SUBMITTED,
            "can_recompute": permissions.can_review(request.user, survey)
            and survey.status == SurveyStatus.ACCEPTED,
            "return_form": ReturnForm(),
            "evidence_form": EvidenceForm(),
        },
    )


@access.require(TECHASSESS_USER)
def survey_section(request, pk, section):
    survey = _survey_or_404(request, pk)
    if not permissions.can_work_on_survey(request.user, survey):
        raise PermissionDenied
    try:
        spec = services.section_of(survey, section)
    except ValidationError:
        raise Http404 from None
    if request.method == "POST":
        form = section_form(spec, data=request.POST)
        if form.is_valid():
            try:
                services.save_section(survey, section, form.cleaned_data, actor=request.user)
            except ValidationError as exc:
                _errors(request, exc)
                return redirect("techassess:survey_detail", pk)
            messages.success(request, _("Section saved. You can come back and continue at any time."))
            codes = [s["code"] for s in survey.methodology.definition["sections"]]
            index = codes.index(section)
            if "next" in request.POST and index + 1 < len(codes):
                return redirect("techassess:survey_section", pk, codes[index + 1])
            return redirect("techassess:survey_detail", pk)
    else:
        form = section_form(spec, initial=survey.answers)
    return render(
        request,
        "techassess/survey_section.html",
        {"survey": survey, "section": spec, "form": form, "sections": _sections(survey)},
    )


@access.require(TECHASSESS_USER)
@require_POST
def survey_submit(request, pk):
    survey = _survey_or_404(request, pk)
    try:
        services.submit(survey, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The survey has been submitted to the department."))
    return redirect("techassess:survey_detail", pk)


@access.require(TECHASSESS_USER)
@require_POST
def survey_return(request, pk):
    survey = _survey_or_404(request, pk)
    form = ReturnForm(request.POST)
    try:
        services.return_survey(survey, actor=request.user, note=form.data.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The survey has been returned to the enterprise."))
    return redirect("techassess:survey_detail", pk)


@access.require(TECHASSESS_USER)
@require_POST
def survey_accept(request, pk):
    survey = _survey_or_404(request, pk)
    try:
        result = services.accept(survey, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("techassess:survey_detail", pk)
    messages.success(request, _("The survey has been accepted and scored."))
    return redirect("techassess:result_detail", result.pk)


@access.require(TECHASSESS_USER)
@require_POST
def survey_recompute(request, pk):
    survey = _survey_or_404(request, pk)
    try:
        result = services.recompute(survey, actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("techassess:survey_detail", pk)
    messages.success(request, _("A new result has been computed; earlier results are kept."))
    return redirect("techassess:result_detail", result.pk)


@access.require(TECHASSESS_USER)
@require_POST
def evidence_upload(request, pk):
    from apps.core.files.intake import UploadRejected

    survey = _survey_or_404(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
        return redirect("techassess:survey_detail", pk)
    try:
        services.add_evidence(
            survey,
            form.cleaned_data["file"],
            actor=request.user,
            description=form.cleaned_data["description"],
        )
    except UploadRejected as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The evidence file has been added."))
    return redirect("techassess:survey_detail", pk)


def _result_or_404(request, pk) -> AssessmentResult:
    result = get_object_or_404(
        AssessmentResult.objects.select_related("survey__enterprise", "methodology"), pk=pk
    )
    if not permissions.can_view_survey(request.user, result.survey):
        raise Http404
    return result


def _chart_lines(text: str, width: int = 22) -> list[str]:
    """A group name cut into lines of about `width` characters at spaces, for a chart's axis."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


@access.require(TECHASSESS_USER)
def result_detail(request, pk):
    result = _result_or_404(request, pk)
    sector_avg = selectors.sector_average(result)
    # The methodology's order (T, E, O, R, I), not the stored JSON's (PostgreSQL's jsonb sorts keys).
    order = [g["code"] for g in result.methodology.definition.get("groups") or []]
    codes = [c for c in order if c in result.groups] + [c for c in result.groups if c not in order]
    chart = {
        "labels": [f"{c} — {result.groups[c]['name']}" for c in codes],
        "short": codes,
        # The axes carry the methodology's group names, in lines short enough for the chart.
        "axes": [_chart_lines(result.groups[c]["name"] or c) for c in codes],
        "enterprise": [round(result.groups[c]["points"] / result.groups[c]["max"] * 100, 1) for c in codes],
        "sector": [round(sector_avg["groups"].get(c, 0) / result.groups[c]["max"] * 100, 1) for c in codes]
        if sector_avg
        else [],
        "enterpriseLabel": result.survey.enterprise.name,
        "sectorLabel": _("Sector average"),
    }
    weakest = engine.weakest_groups(result.groups)
    suggestions = reports.suggestions(result, weakest)
    others = result.survey.results.exclude(pk=result.pk).select_related("methodology")
    legacy_results = result.survey.enterprise.legacy_results.order_by("-year")
    return render(
        request,
        "techassess/result_detail.html",
        {
            "result": result,
            "survey": result.survey,
            "chart": chart,
            "sector_avg": sector_avg,
            "suggestions": suggestions,
            "others": others,
            "legacy_results": legacy_results,
            "legacy_groups": LEGACY_GROUPS,
            "groups": [{"code": c, **result.groups[c]} for c in codes],
        },
    )


@access.require(TECHASSESS_USER)
def result_pdf(request, pk):
    result = _result_or_404(request, pk)
    pdf = reports.result_pdf(result)
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-minh-hoa" if result.illustrative else ""
    name = f"ket-qua-danh-gia-{result.survey.enterprise.tax_code}-{result.year}{suffix}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- methodologies --------------------------------------------------------------------------------


@access.require(METHODOLOGY_VIEWER)
def methodology_list(request):
    can_manage = permissions.can_manage_methodology(request.user)
    form = MethodologyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            obj = _import(request, form)
            if obj is not None:
                return redirect("techassess:methodology_detail", obj.pk)
    items = Methodology.objects.order_by("status", "-effective_from", "code")
    rows = [{"m": m, "problems": len(methodology.validate(m.definition))} for m in items]
    return render(
        request, "techassess/methodology_list.html", {"rows": rows, "form": form, "can_manage": can_manage}
    )


def _import(request, form):
    upload = form.cleaned_data["file"]
    content = upload.read()
    try:
        if upload.name.lower().endswith(".xlsx"):
            base_pk = request.POST.get("base")
            base = get_object_or_404(Methodology, pk=base_pk) if base_pk else None
            if base is None:
                raise methodology.DefinitionError(
                    _("An Excel workbook is applied to an existing methodology.")
                )
            definition = methodology.merge_excel(base.definition, content)
        else:
            definition = methodology.load_yaml(content)
        obj = services.import_definition(definition, actor=request.user)
    except methodology.DefinitionError as exc:
        messages.error(request, str(exc))
        return None
    except ValidationError as exc:
        _errors(request, exc)
        return None
    messages.success(request, _("The definition has been imported as a draft."))
    return obj


@access.require(METHODOLOGY_VIEWER)
def methodology_detail(request, pk):
    obj = get_object_or_404(Methodology, pk=pk)
    problems = methodology.validate(obj.definition)
    return render(
        request,
        "techassess/methodology_detail.html",
        {
            "m": obj,
            "d": obj.definition,
            "missing": [p for p in problems if p.kind == "missing"],
            "errors": [p for p in problems if p.kind == "error"],
            "can_manage": permissions.can_manage_methodology(request.user),
            "import_form": MethodologyImportForm(initial={"base": obj.pk}),
            "version_form": NewVersionForm(),
            "events": timeline(obj),
        },
    )


@access.require(METHODOLOGY_MANAGER)
def methodology_edit(request, pk):
    obj = get_object_or_404(Methodology, pk=pk)
    if obj.status != MethodologyStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited; create a new version to change this one."))
        return redirect("techassess:methodology_detail", pk)
    form = MethodologyEditForm(request.POST or None, definition=obj.definition)
    problems = methodology.validate(obj.definition)
    checked = False
    if request.method == "POST" and form.is_valid():
        definition = form.definition(obj.definition)
        problems = methodology.validate(definition)
        checked = True
        if "save" in request.POST:
            try:
                services.save_draft(obj, definition, actor=request.user)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("The draft has been saved."))
                return redirect("techassess:methodology_edit", pk)
    return render(
        request,
        "techassess/methodology_edit.html",
        {
            "m": obj,
            "form": form,
            "checked": checked,
            "missing": [p for p in problems if p.kind == "missing"],
            "errors": [p for p in problems if p.kind == "error"],
        },
    )


@access.require(METHODOLOGY_MANAGER)
@require_POST
def methodology_new_version(request, pk):
    obj = get_object_or_404(Methodology, pk=pk)
    form = NewVersionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Enter a version of at most 20 characters."))
        copy = services.new_version(obj, version=form.cleaned_data["version"], actor=request.user)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("techassess:methodology_detail", pk)
    messages.success(request, _("A new draft version has been created; edit it, then activate it."))
    return redirect("techassess:methodology_edit", copy.pk)


@access.require(METHODOLOGY_MANAGER)
@require_POST
def methodology_activate(request, pk):
    obj = get_object_or_404(Methodology, pk=pk)
    try:
        services.activate(obj, actor=request.user)
    except ValidationError as exc:
        messages.error(
            request,
            _("The methodology cannot be activated: %(n)s item(s) are missing or inconsistent.")
            % {"n": len(exc.messages)},
        )
    else:
        messages.success(request, _("The methodology is active."))
    return redirect("techassess:methodology_detail", pk)


@access.require(METHODOLOGY_VIEWER)
def methodology_export(request, pk, fmt):
    obj = get_object_or_404(Methodology, pk=pk)
    name = f"{obj.code}-{obj.version}".lower()
    if fmt == "yaml":
        response = HttpResponse(
            methodology.dump_yaml(obj.definition), content_type="application/yaml; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.yaml"'
        return response
    response = HttpResponse(
        methodology.to_excel(obj.definition),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- aggregates -----------------------------------------------------------------------------------


@access.require(TECHASSESS_AGGREGATES)
def aggregates(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else None
    data = selectors.aggregates(request.user, year=year)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "tong-hop-trinh-do-cong-nghe.xlsx",
            "Tổng hợp trình độ công nghệ" + (" (minh họa)" if data["illustrative"] else ""),
            *reports.aggregate_table(data),
        )
    chart = {}
    if data.get("province"):
        chart = {
            "classes": [c["name"] for c in data["province"]["classes"]],
            "counts": [c["count"] for c in data["province"]["classes"]],
            "label": _("Enterprises"),
            "years": [t["year"] for t in data["trend"]],
            "trend": [t["total"] for t in data["trend"]],
            "trendLabel": _("Average total"),
        }
    return render(
        request,
        "techassess/aggregates.html",
        {"data": data, "year": year, "years": data["years"], "chart": chart},
    )


# --- bulk import ----------------------------------------------------------------------------------


@access.require(TECHASSESS_OFFICER)
def import_start(request):
    from apps.core.files.intake import UploadRejected

    from .models import ImportJob

    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(form.cleaned_data["file"], actor=request.user)
        except UploadRejected as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("techassess:import_detail", job.pk)
    jobs = ImportJob.objects.filter(created_by=request.user).select_related("file")[:20]
    return render(request, "techassess/import_start.html", {"form": form, "jobs": jobs})


def _job_or_404(request, pk):
    from .models import ImportJob

    job = get_object_or_404(ImportJob.objects.select_related("file", "methodology"), pk=pk)
    if job.created_by_id != request.user.pk and not permissions.can_manage_methodology(request.user):
        raise Http404
    return job


@access.require(TECHASSESS_OFFICER)
def import_detail(request, pk):
    return render(request, "techassess/import_detail.html", {"job": _job_or_404(request, pk)})


@access.require(TECHASSESS_OFFICER)
def import_status(request, pk):
    return render(request, "techassess/_import_status.html", {"job": _job_or_404(request, pk)})


@access.require(TECHASSESS_OFFICER)
def import_template(request):
    from .importer import template_workbook

    method = services.current_methodology()
    if method is None:
        raise Http404
    response = HttpResponse(
        template_workbook(method.definition),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-phieu-khao-sat.xlsx"'
    return response


# --- enterprise claims ----------------------------------------------------------------------------


@access.require(TECHASSESS_ENTERPRISE)
def claim_start(request):
    form = ClaimForm(request.POST or None, initial={"tax_code": request.GET.get("tax_code", "")})
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.request_claim(
                actor=request.user,
                tax_code=form.cleaned_data["tax_code"],
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            if claim.method == ClaimMethod.EMAIL_CODE:
                messages.success(request, _("A code has been sent to the enterprise's registered e-mail."))
            else:
                messages.success(request, _("Your claim has been sent to the department for confirmation."))
            return redirect("techassess:claim_detail", claim.pk)
    claims = EnterpriseClaim.objects.filter(user=request.user).select_related("enterprise")[:20]
    return render(request, "techassess/claim_start.html", {"form": form, "claims": claims})


def _claim_or_404(request, pk) -> EnterpriseClaim:
    claim = get_object_or_404(
        EnterpriseClaim.objects.select_related("enterprise", "user", "decided_by"), pk=pk
    )
    if claim.user_id != request.user.pk and not permissions.is_officer(request.user):
        raise Http404
    return claim


def _masked(email: str) -> str:
    name, _sep, domain = email.partition("@")
    return f"{name[:2]}***@{domain}" if domain else ""


@access.require(access.SIGNED_IN)
def claim_detail(request, pk):
    claim = _claim_or_404(request, pk)
    is_claimant = claim.user_id == request.user.pk
    return render(
        request,
        "techassess/claim_detail.html",
        {
            "claim": claim,
            "is_claimant": is_claimant,
            "masked_email": _masked(claim.enterprise.email),
            "can_enter_code": is_claimant
            and claim.status == ClaimStatus.PENDING
            and claim.method == ClaimMethod.EMAIL_CODE,
            "can_decide": not is_claimant
            and permissions.is_officer(request.user)
            and claim.status == ClaimStatus.PENDING,
            "code_form": ClaimCodeForm(),
            "decision_form": ClaimDecisionForm(),
        },
    )


@access.require(access.SIGNED_IN)
@require_POST
def claim_verify(request, pk):
    claim = _claim_or_404(request, pk)
    form = ClaimCodeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the 6-digit code from the e-mail."))
        return redirect("techassess:claim_detail", pk)
    try:
        services.verify_claim_code(claim, actor=request.user, code=form.cleaned_data["code"])
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("techassess:claim_detail", pk)
    messages.success(request, _("Verified: the enterprise is linked to your account."))
    return redirect("techassess:enterprise_detail", claim.enterprise_id)


@access.require(access.SIGNED_IN)
@require_POST
def claim_decide(request, pk):
    claim = _claim_or_404(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.decide_claim(claim, actor=request.user, approve=approve, note=request.POST.get("note", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("The claim has been confirmed.") if approve else _("The claim has been refused.")
        )
    return redirect("techassess:claim_detail", pk)


@access.require(TECHASSESS_OFFICER)
def claim_list(request):
    status = request.GET.get("status", ClaimStatus.PENDING)
    claims = EnterpriseClaim.objects.select_related("enterprise", "user").order_by("-created_at", "-pk")
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    return render(
        request,
        "techassess/claim_list.html",
        {"page": paginate(request, claims), "status": status, "statuses": ClaimStatus.choices},
    )


# --- legacy results (Circular 04/2014) ------------------------------------------------------------


@access.require(TECHASSESS_OFFICER)
def legacy_list(request):
    from apps.core.files.intake import UploadRejected

    from . import legacy
    from .importer import FileRejected
    from .models import LegacyResult

    form = EvidenceForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = legacy.import_file(form.cleaned_data["file"], actor=request.user)
        except (UploadRejected, FileRejected) as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(
                request,
                _("%(n)s of %(total)s rows imported.") % {"n": report.imported, "total": report.rows},
            )
    qs = LegacyResult.objects.select_related("enterprise").filter(
        enterprise__in=selectors.enterprises_for(request.user)
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__tax_code__icontains=q))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "ket-qua-theo-thong-tu-04-2014.xlsx",
            "Kết quả theo Thông tư 04/2014 (phương pháp cũ)",
            ["Doanh nghiệp", "Mã số thuế", "Năm", "T", "H", "I", "O", "Tổng điểm", "TCC", "Mức", "Ghi chú"],
            [
                [
                    r.enterprise.name,
                    r.enterprise.tax_code,
                    r.year,
                    *[r.groups.get(g) for g in legacy.GROUPS],
                    r.total,
                    r.tcc,
                    r.class_name,
                    r.note,
                ]
                for r in qs[:5000]
            ],
        )
    return render(
        request,
        "techassess/legacy_list.html",
        {"form": form, "report": report, "page": paginate(request, qs), "q": q, "groups": legacy.GROUPS},
    )


@access.require(TECHASSESS_OFFICER)
def legacy_template(request):
    from . import legacy

    response = HttpResponse(
        legacy.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-ket-qua-thong-tu-04-2014.xlsx"'
    return response
