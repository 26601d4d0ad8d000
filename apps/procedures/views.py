"""Public catalogue (no sign-in) and the administrators' catalogue screens."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.selectors import timeline
from apps.core import access
from apps.core.converters import int_param
from apps.core.export import xlsx_response
from apps.core.pagination import paginate
from apps.organizations.roles import Role
from apps.organizations.scoping import visible_organizations

from . import importexport, indicators, public, schema, selectors, services
from .access import CATALOGUE_MANAGER, STATISTICS_VIEWER
from .forms import CHANNEL_CHOICES, ImportForm, PublishForm, RetireForm, VersionForm
from .models import (
    Field,
    LegacyLevel,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    days_text,
)
from .workflow import VERSION

# --- public -------------------------------------------------------------------------------------------


@access.require(access.PUBLIC)
def catalogue(request):
    q = request.GET.get("q", "").strip()[:200]
    field_id = int_param(request.GET.get("field"))
    level = int_param(request.GET.get("level"))
    online = request.GET.get("online", "")
    online = online if online in OnlineLevel.values else ""
    versions = selectors.catalogue(field_id=field_id, legacy_level=level, online_level=online, text=q)
    return render(
        request,
        "procedures/catalogue.html",
        {
            # Lazy: evaluated only when the cached list fragment has to be rendered again.
            "page": SimpleLazyObject(lambda: paginate(request, versions)),
            "cache_key": (selectors.catalogue_generation(), timezone.localdate().isoformat()),
            "q": q,
            "fields": Field.objects.filter(
                versions__in=selectors.effective_on(ProcedureVersion.objects.all())
            )
            .distinct()
            .order_by("name"),
            "field_id": field_id,
            "levels": LegacyLevel.choices,
            "level": level,
            "online_levels": OnlineLevel.choices,
            "online": online,
        },
    )


def submit_url(procedure_id: int) -> str:
    """The dossiers module's online-submission start page, when that module provides it."""
    try:
        return reverse("dossiers:submit_start", args=[procedure_id])
    except NoReverseMatch:
        return ""


def _fee_text(fee: dict) -> dict:
    kind = (fee or {}).get("kind", "none")
    return {
        "kind": kind,
        "amount": schema.to_decimal(fee.get("amount")) if fee else None,
        "rate_percent": (schema.to_decimal(fee.get("rate")) or 0) * 100 if kind == "formula" else None,
        "min": schema.to_decimal(fee.get("min")) if fee else None,
        "max": schema.to_decimal(fee.get("max")) if fee else None,
        "known": bool(fee),
    }


def _steps(version) -> list[dict]:
    labels = dict(Role.choices)
    return [
        dict(s, role_label=labels.get(s.get("role"), s.get("role")), days=days_text(s.get("allowance_days")))
        for s in version.steps or []
    ]


@access.require(access.PUBLIC)
def detail(request, procedure_id: int):
    version = (
        selectors.effective_on(ProcedureVersion.objects.select_related("field", "competent_unit"))
        .filter(procedure_id=procedure_id)
        .first()
    )
    if version is None:
        raise Http404(_("No procedure in force with this number."))
    url = submit_url(procedure_id) if "online" in (version.channels or []) else ""
    return render(
        request,
        "procedures/detail.html",
        {
            "version": version,
            "steps": _steps(version),
            "fee": _fee_text(version.fee),
            "submit_url": url,
            "channels": [label for code, label in CHANNEL_CHOICES if code in (version.channels or [])],
            "forms_label": public.DOCUMENT_FORM_LABELS,
        },
    )


# --- staff ---------------------------------------------------------------------------------------------


@access.require(CATALOGUE_MANAGER)
def staff_list(request):
    q = request.GET.get("q", "").strip()[:200]
    status = request.GET.get("status", "")
    status = status if status in VersionStatus.values else ""
    versions = selectors.staff_versions(text=q, status=status)
    export = request.GET.get("export")
    if export == "xlsx":
        headers, rows = importexport.export_rows(versions)
        return xlsx_response("thu-tuc-hanh-chinh.xlsx", "Thủ tục hành chính", headers, rows)
    if export == "csv":
        response = HttpResponse(importexport.export_csv(versions), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="thu-tuc-hanh-chinh.csv"'
        return response
    return render(
        request,
        "procedures/staff_list.html",
        {"page": paginate(request, versions), "q": q, "status": status, "statuses": VersionStatus.choices},
    )


@access.require(CATALOGUE_MANAGER)
def staff_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list = []
    if request.method == "POST" and form.is_valid():
        from apps.core.files.intake import UploadRejected, inspect_upload

        try:
            # The file is read here and not kept, but it passes the same checks as a stored upload.
            inspect_upload(form.cleaned_data["file"], purpose="import", user=request.user)
            rows = importexport.read_rows(form.cleaned_data["file"])
            result = importexport.import_catalogue(request.user, rows, publish=form.cleaned_data["publish"])
        except UploadRejected as exc:
            form.add_error("file", exc.message)
        except importexport.ImportFailed as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Catalogue imported: %(c)s new, %(u)s changed, %(n)s unchanged.")
                % {"c": result.created, "u": result.updated, "n": result.unchanged},
            )
            return redirect("procedures:staff_list")
    return render(request, "procedures/staff_import.html", {"form": form, "errors": errors})


def _version_or_404(pk: int) -> ProcedureVersion:
    return get_object_or_404(
        ProcedureVersion.objects.select_related("field", "procedure", "competent_unit"), pk=pk
    )


@access.require(CATALOGUE_MANAGER)
def staff_version(request, pk: int):
    version = _version_or_404(pk)
    return render(
        request,
        "procedures/staff_version.html",
        {
            "version": version,
            "steps": _steps(version),
            "fee": _fee_text(version.fee),
            "siblings": version.procedure.versions.order_by("-number"),
            "history": version.status_changes.select_related("actor"),
            "events": timeline(version),
            "publish_form": PublishForm(),
            "retire_form": RetireForm(),
            "has_draft": version.procedure.versions.filter(status=VersionStatus.DRAFT).exists(),
        },
    )


def _save_form(request, form, version=None):
    values = dict(form.cleaned_data)
    try:
        if version is None:
            return services.create_procedure(request.user, **values)
        return services.update_draft(request.user, version, **values)
    except ValidationError as exc:
        for field_name, msgs in exc.message_dict.items():
            for msg in msgs:
                form.add_error(field_name if field_name in form.fields else None, msg)
    return None


@access.require(CATALOGUE_MANAGER)
def staff_create(request):
    form = VersionForm(
        request.POST or None, initial={"online_level": OnlineLevel.NONE, "fee": {"kind": "none"}}
    )
    if request.method == "POST" and form.is_valid():
        version = _save_form(request, form)
        if version is not None:
            messages.success(request, _("Draft created."))
            return redirect("procedures:staff_version", version.pk)
    return render(request, "procedures/staff_edit.html", {"form": form, "version": None})


@access.require(CATALOGUE_MANAGER)
def staff_edit(request, pk: int):
    version = _version_or_404(pk)
    if version.status != VersionStatus.DRAFT:
        messages.error(request, _("Only a draft can be edited; create a new draft from this version."))
        return redirect("procedures:staff_version", version.pk)
    form = VersionForm(request.POST or None, initial=VersionForm.initial_from(version))
    if request.method == "POST" and form.is_valid() and _save_form(request, form, version) is not None:
        messages.success(request, _("Draft saved."))
        return redirect("procedures:staff_version", version.pk)
    return render(request, "procedures/staff_edit.html", {"form": form, "version": version})


@access.require(CATALOGUE_MANAGER)
@require_POST
def staff_new_draft(request, procedure_id: int):
    procedure = get_object_or_404(Procedure, pk=procedure_id)
    try:
        draft = services.create_draft(request.user, procedure)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        latest = procedure.versions.order_by("-number").first()
        return redirect("procedures:staff_version", latest.pk)
    messages.success(request, _("New draft created from the version in force."))
    return redirect("procedures:staff_edit", draft.pk)


@access.require(CATALOGUE_MANAGER)
@require_POST
def staff_transition(request, pk: int, action: str):
    version = _version_or_404(pk)
    if action not in VERSION.transitions:
        raise Http404
    form = (PublishForm if action == "publish" else RetireForm)(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for msgs in form.errors.values() for m in msgs))
        return redirect("procedures:staff_version", version.pk)
    try:
        if action == "publish":
            services.publish(
                request.user,
                version,
                effective_from=form.cleaned_data["effective_from"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Version published."))
        else:
            services.retire(request.user, version, note=form.cleaned_data["note"])
            messages.success(request, _("Version retired."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("procedures:staff_version", version.pk)


# --- statistics ------------------------------------------------------------------------------------------


@access.require(STATISTICS_VIEWER)
def statistics(request):
    organizations = visible_organizations(request.user).order_by("path")
    org = organizations.filter(pk=int_param(request.GET.get("organization"))).first() or organizations.first()
    try:
        on = datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = timezone.localdate()
    legacy = indicators.procedures_by_legacy_level(org, on)
    online = indicators.procedures_by_online_level(org, on)
    if request.GET.get("export") == "xlsx":
        rows = [("Mức độ (NĐ 43/2011)", str(i.label), i.count, i.share) for i in legacy.levels]
        rows += [("Mức độ trực tuyến (NĐ 42/2022)", str(i.label), i.count, i.share) for i in online.levels]
        rows.append(("Tổng số thủ tục", "", legacy.total, ""))
        return xlsx_response(
            "thong-ke-thu-tuc.xlsx",
            "Thủ tục theo mức độ",
            ["Phân loại", "Mức độ", "Số thủ tục", "Tỷ lệ"],
            rows,
        )
    return render(
        request,
        "procedures/statistics.html",
        {
            "organizations": organizations,
            "organization": org,
            "on": on,
            "legacy": legacy,
            "online": online,
            "chart": {
                "legacy": {
                    "labels": [str(i.label) for i in legacy.levels],
                    "values": [i.count for i in legacy.levels],
                },
                "online": {
                    "labels": [str(i.label) for i in online.levels],
                    "values": [i.count for i in online.levels],
                },
            },
        },
    )


# --- blank forms of document components ---------------------------------------------------------------


@access.require(access.PUBLIC)
def template_file(request, procedure_id: int, code: str):
    """The blank form of a document component of the version in force (public, like the page)."""
    version = selectors.effective_on(ProcedureVersion.objects.all()).filter(procedure_id=procedure_id).first()
    stored = services.template_file(version, code) if version else None
    if stored is None:
        raise Http404(_("No blank form for this document."))
    from django.http import FileResponse

    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


@access.require(CATALOGUE_MANAGER)
def staff_template_file(request, pk: int, code: str):
    """The blank form of a component of any version, for the catalogue's managers."""
    stored = services.template_file(_version_or_404(pk), code)
    if stored is None:
        raise Http404(_("No blank form for this document."))
    from django.http import FileResponse

    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )


@access.require(CATALOGUE_MANAGER)
@require_POST
def staff_attach_template(request, pk: int, code: str):
    from apps.core.files.intake import UploadRejected

    version = _version_or_404(pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationError(_("Choose a file."))
        services.attach_template(request.user, version, code, upload)
    except UploadRejected as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Blank form attached."))
    return redirect("procedures:staff_version", version.pk)
