import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.audit.selectors import timeline
from apps.core import access
from apps.core.export import xlsx_response
from apps.core.pagination import paginate
from apps.organizations.models import Organization, OrganizationKind

from . import forms, reporting, selectors, services
from .access import TASKS_ASSIGNER, TASKS_LEADER, TASKS_STAFF
from .ical import meeting_ics
from .models import (
    AssignmentStatus,
    ExtensionRequest,
    ExtensionStatus,
    ReportPeriod,
    ReportTemplate,
    TaskStatus,
    UnitReport,
)


def _on(request) -> datetime.date:
    """ "Today" for flags; tests and the leader's look-ahead may pass ?on=YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return selectors.today()


def _errors(request, exc: ValidationError):
    for msgs in exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]:
        for m in msgs:
            messages.error(request, m)


STATUS_FILTERS = {
    "open": Q(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS]),
    "reported": Q(status=AssignmentStatus.REPORTED),
    "done": Q(status=AssignmentStatus.DONE),
}


def _assignment_list(request, qs, title, scope_name):
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if q:
        qs = qs.filter(Q(task__title__icontains=q) | Q(task__source_reference__icontains=q))
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
    qs = qs.order_by("due_date", "pk")
    on = _on(request)
    if request.GET.get("export") == "xlsx":
        rows = selectors.annotate_flags(qs, on)
        return xlsx_response(
            f"nhiem-vu-{scope_name}.xlsx",
            "Danh sách nhiệm vụ",
            [
                "Nhiệm vụ",
                "Căn cứ",
                "Đơn vị",
                "Người thực hiện",
                "Hạn",
                "Tiến độ (%)",
                "Trạng thái",
                "Quá hạn",
            ],
            [
                [
                    a.task.title,
                    a.task.source_reference,
                    a.unit.name,
                    a.assignee.get_full_name() if a.assignee_id else "",
                    a.due_date.strftime("%d/%m/%Y"),
                    a.progress,
                    a.get_status_display(),
                    "Quá hạn" if a.overdue else "",
                ]
                for a in rows
            ],
        )
    page = paginate(request, qs)
    selectors.annotate_flags(page.object_list, on)
    return render(
        request,
        "tasks/assignment_list.html",
        {
            "page": page,
            "title": title,
            "q": q,
            "status": status,
            "scope_name": scope_name,
            "active": "mine" if scope_name == "cua-toi" else "unit",
            "can_assign": selectors.can_assign(request.user),
        },
    )


@access.require(TASKS_STAFF)
def my_tasks(request):
    return _assignment_list(request, selectors.my_assignments(request.user), _("My tasks"), "cua-toi")


@access.require(TASKS_STAFF)
def unit_tasks(request):
    return _assignment_list(request, selectors.unit_assignments(request.user), _("My unit's tasks"), "don-vi")


@access.require(TASKS_ASSIGNER)
def board(request):
    on = _on(request)
    data = selectors.board(request.user, on)
    if request.GET.get("export") == "xlsx":
        labels = [
            "Đang thực hiện trong hạn",
            "Quá hạn",
            "Chờ nghiệm thu",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
        ]
        return xlsx_response(
            "bang-theo-doi-nhiem-vu.xlsx",
            "Theo dõi nhiệm vụ theo đơn vị",
            ["Đơn vị", *labels, "Tổng"],
            [
                [u, *[c[s] for s in data["states"]], sum(c.values())]
                for u, c in sorted(data["per_unit"].items())
            ],
        )
    chart = {
        "units": sorted(data["per_unit"]),
        "states": data["states"],
        "labels": [
            _("In progress, on time"),
            _("Overdue"),
            _("Awaiting acceptance"),
            _("Done on time"),
            _("Done late"),
        ],
        "series": {s: [data["per_unit"][u][s] for u in sorted(data["per_unit"])] for s in data["states"]},
        "totals": [data["totals"][s] for s in data["states"]],
    }
    return render(request, "tasks/board.html", {"data": data, "chart": chart, "on": on})


@access.require(TASKS_ASSIGNER)
def task_create(request):
    form = forms.TaskForm(request.POST or None, units=selectors.assignable_units(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            task = services.assign_task(
                request.user,
                title=d["title"],
                description=d["description"],
                expected_result=d["expected_result"],
                units=list(d["units"]),
                people=list(d["people"]),
                source_kind=d["source_kind"],
                source_reference=d["source_reference"],
                priority=d["priority"],
                due_date=d["due_date"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The task was assigned to %(n)s assignee(s).") % {"n": task.assignments.count()}
            )
            return redirect("tasks:board")
    return render(request, "tasks/form.html", {"form": form, "title": _("Assign a task"), "multipart": False})


def _form_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, exc.messages)


def _assignment(request, pk):
    qs = selectors.assignments_for(request.user)
    return get_object_or_404(qs, pk=pk)


@access.require(TASKS_STAFF)
def assignment_detail(request, pk):
    a = _assignment(request, pk)
    user = request.user
    can_work = selectors.can_work_on(user, a)
    can_review = selectors.can_review(user, a.task)
    a.overdue, a.due_soon, a.late = selectors.flags(a, _on(request)).values()
    pending = a.extensions.filter(status=ExtensionStatus.PENDING).first()
    return render(
        request,
        "tasks/assignment_detail.html",
        {
            "a": a,
            "task": a.task,
            "updates": a.updates.select_related("by").prefetch_related("evidence"),
            "extensions": a.extensions.select_related("requested_by", "decided_by"),
            "history": selectors.status_history(a),
            "others": a.task.assignments.select_related("unit", "assignee").exclude(pk=a.pk),
            "pending": pending,
            "can_work": can_work and a.status in (AssignmentStatus.ASSIGNED, AssignmentStatus.IN_PROGRESS),
            "can_review": can_review and a.status == AssignmentStatus.REPORTED,
            "can_decide": can_review and pending is not None,
            "can_cancel": can_review and a.task.status == TaskStatus.OPEN,
            "cancel_form": forms.CancelTaskForm(prefix="cancel"),
            "progress_form": forms.ProgressForm(initial={"percent": a.progress}, prefix="progress"),
            "completion_form": forms.CompletionForm(prefix="done"),
            "extension_form": forms.ExtensionForm(prefix="ext"),
            "review_form": forms.ReviewForm(prefix="review"),
            "decision_form": forms.DecisionForm(prefix="decide"),
            "events": timeline(a),
        },
    )


PREFIXES = {
    forms.ProgressForm: "progress",
    forms.CompletionForm: "done",
    forms.ExtensionForm: "ext",
    forms.ReviewForm: "review",
    forms.DecisionForm: "decide",
    forms.CancelTaskForm: "cancel",
}


def _run(request, form, action, success, invalid=None):
    """The one POST pattern of this module: validate `form`, call the service through
    `action(cleaned_data)`, and tell the user the outcome (the service's own messages on refusal)."""
    if not form.is_valid():
        if invalid:
            messages.error(request, invalid)
        else:
            for errs in form.errors.values():
                for e in errs:
                    messages.error(request, e)
        return
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, success)


def _post_action(request, pk, form_class, action):
    a = _assignment(request, pk)
    form = form_class(request.POST, request.FILES, prefix=PREFIXES[form_class])
    _run(request, form, lambda d: action(a, d), _("Saved."))
    return redirect("tasks:assignment_detail", pk=a.pk)


@require_POST
@access.require(TASKS_STAFF)
def assignment_progress(request, pk):
    return _post_action(
        request,
        pk,
        forms.ProgressForm,
        lambda a, d: services.update_progress(
            request.user, a, percent=d["percent"], note=d["note"], files=d["files"]
        ),
    )


@require_POST
@access.require(TASKS_STAFF)
def assignment_report(request, pk):
    return _post_action(
        request,
        pk,
        forms.CompletionForm,
        lambda a, d: services.report_completion(request.user, a, note=d["note"], files=d["files"]),
    )


@require_POST
@access.require(TASKS_STAFF)
def assignment_extension(request, pk):
    return _post_action(
        request,
        pk,
        forms.ExtensionForm,
        lambda a, d: services.request_extension(
            request.user, a, new_due_date=d["new_due_date"], reason=d["reason"]
        ),
    )


@require_POST
@access.require(TASKS_STAFF)
def assignment_review(request, pk):
    return _post_action(
        request,
        pk,
        forms.ReviewForm,
        lambda a, d: services.review_completion(
            request.user, a, accept=d["decision"] == "accept", note=d["note"]
        ),
    )


@require_POST
@access.require(TASKS_STAFF)
def task_cancel(request, pk):
    """The assigner (or a leader above the task) withdraws the whole task, with a reason."""
    return _post_action(
        request,
        pk,
        forms.CancelTaskForm,
        lambda a, d: services.cancel_task(request.user, a.task, note=d["note"]),
    )


@require_POST
@access.require(TASKS_STAFF)
def extension_decide(request, pk):
    ext = get_object_or_404(ExtensionRequest.objects.select_related("assignment"), pk=pk)
    if not selectors.can_view_assignment(request.user, ext.assignment):
        raise Http404
    return _post_action(
        request,
        ext.assignment_id,
        forms.DecisionForm,
        lambda a, d: services.decide_extension(
            request.user, ext, approve=d["decision"] == "approve", note=d["note"]
        ),
    )


# ================================================================ meetings


@access.require(TASKS_STAFF)
def meeting_list(request):
    qs = selectors.meetings_for(request.user).order_by("-starts_at")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(title__icontains=q)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "cuoc-hop.xlsx",
            "Danh sách cuộc họp",
            ["Cuộc họp", "Bắt đầu", "Kết thúc", "Hình thức", "Phòng", "Chủ trì", "Trạng thái"],
            [
                [
                    m.title,
                    timezone.localtime(m.starts_at).strftime("%H:%M %d/%m/%Y"),
                    timezone.localtime(m.ends_at).strftime("%H:%M %d/%m/%Y"),
                    m.get_mode_display(),
                    m.room.name if m.room_id else m.location,
                    m.chair,
                    m.get_status_display(),
                ]
                for m in qs
            ],
        )
    return render(
        request,
        "tasks/meeting_list.html",
        {"page": paginate(request, qs), "q": q, "can_schedule": selectors.can_assign(request.user)},
    )


def _people_for(user):
    from apps.accounts.models import User

    units = selectors.assignable_units(user)
    return (
        User.objects.filter(memberships__organization__in=units, memberships__is_active=True, is_active=True)
        .distinct()
        .order_by("full_name")
    )


@access.require(TASKS_ASSIGNER)
def meeting_create(request):
    form = forms.MeetingForm(request.POST or None, people=_people_for(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                request.user,
                title=d["title"],
                mode=d["mode"],
                room=d["room"],
                location=d["location"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                chair=d["chair"],
                description=d["description"],
                participants=list(d["participants"]),
                is_public=d["is_public"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The meeting was scheduled and the invitations were sent."))
            return redirect("tasks:meeting_detail", pk=meeting.pk)
    return render(
        request, "tasks/form.html", {"form": form, "title": _("Schedule a meeting"), "multipart": False}
    )


def _meeting(request, pk):
    return get_object_or_404(selectors.meetings_for(request.user), pk=pk)


@access.require(TASKS_STAFF)
def meeting_detail(request, pk):
    m = _meeting(request, pk)
    participants = m.participants.select_related("user")
    can_manage = selectors.can_manage_meeting(request.user, m)
    return render(
        request,
        "tasks/meeting_detail.html",
        {
            "m": m,
            "participants": participants,
            "documents": m.documents.select_related("file"),
            "tasks": m.tasks.all(),
            "online_url": services.jitsi_url(m) if m.is_online else "",
            "can_manage": can_manage,
            "minutes_form": forms.MinutesForm(
                initial={"minutes": m.minutes}, participants=participants, prefix="min"
            ),
            "agenda_form": forms.AgendaForm(prefix="doc"),
            "reschedule_form": forms.RescheduleForm(
                initial={
                    "starts_at": timezone.localtime(m.starts_at),
                    "ends_at": timezone.localtime(m.ends_at),
                    "room": m.room_id,
                    "location": m.location,
                },
                prefix="move",
            ),
            "task_form": forms.TaskForm(units=selectors.assignable_units(request.user), prefix="task")
            if can_manage
            else None,
            "events": timeline(m),
        },
    )


@access.require(TASKS_STAFF)
def meeting_ics_download(request, pk):
    m = _meeting(request, pk)
    response = HttpResponse(
        meeting_ics(m, attendee=request.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="cuoc-hop-{m.pk}.ics"'
    return response


def _meeting_post(request, pk, make_form, action, success, invalid=None):
    m = _meeting(request, pk)
    _run(request, make_form(m), lambda d: action(m, d), success, invalid)
    return redirect("tasks:meeting_detail", pk=m.pk)


@require_POST
@access.require(TASKS_STAFF)
def meeting_minutes(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda m: forms.MinutesForm(
            request.POST, request.FILES, participants=m.participants.select_related("user"), prefix="min"
        ),
        lambda m, d: services.record_minutes(
            request.user, m, minutes=d["minutes"], attendance=d["attendance"], file=d["file"]
        ),
        _("The minutes were saved."),
        invalid=_("Write the minutes."),
    )


@require_POST
@access.require(TASKS_STAFF)
def meeting_document(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda m: forms.AgendaForm(request.POST, request.FILES, prefix="doc"),
        lambda m, d: services.add_agenda_document(request.user, m, title=d["title"], file=d["file"]),
        _("The document was added."),
    )


@require_POST
@access.require(TASKS_STAFF)
def meeting_reschedule(request, pk):
    """A new time or room; the participants receive the changed invitation (same UID, next SEQUENCE)."""
    return _meeting_post(
        request,
        pk,
        lambda m: forms.RescheduleForm(request.POST, prefix="move"),
        lambda m, d: services.reschedule_meeting(
            request.user,
            m,
            starts_at=d["starts_at"],
            ends_at=d["ends_at"],
            room=d["room"],
            location=d["location"],
        ),
        _("The meeting was moved and the participants were informed."),
    )


@require_POST
@access.require(TASKS_STAFF)
def meeting_cancel(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda m: forms.NoteForm(request.POST),
        lambda m, d: services.cancel_meeting(request.user, m, note=d["note"]),
        _("The meeting was cancelled."),
    )


@require_POST
@access.require(TASKS_STAFF)
def meeting_task(request, pk):
    return _meeting_post(
        request,
        pk,
        lambda m: forms.TaskForm(request.POST, units=selectors.assignable_units(request.user), prefix="task"),
        lambda m, d: services.task_from_minutes(
            request.user,
            m,
            title=d["title"],
            description=d["description"],
            expected_result=d["expected_result"],
            units=list(d["units"]),
            people=list(d["people"]),
            priority=d["priority"],
            due_date=d["due_date"],
        ),
        _("The task was assigned."),
        invalid=_("Check the task fields."),
    )


@access.require(access.PUBLIC)
def weekly_schedule(request):
    """Lịch công tác tuần: public, no sign-in."""
    agency = Organization.objects.filter(kind=OrganizationKind.AGENCY)
    code = request.GET.get("co-quan")
    agency = (agency.filter(code=code) if code else agency.order_by("path")).first()
    if agency is None:
        raise Http404
    try:
        day = datetime.date.fromisoformat(request.GET.get("tuan", ""))
    except ValueError:
        day = timezone.localdate()
    monday = day - datetime.timedelta(days=day.weekday())
    meetings = list(selectors.weekly_schedule(agency, monday))
    days = []
    for i in range(7):
        d = monday + datetime.timedelta(days=i)
        items = [m for m in meetings if timezone.localtime(m.starts_at).date() == d]
        if items or i < 5:
            days.append((d, items))
    return render(
        request,
        "tasks/weekly_schedule.html",
        {
            "agency": agency,
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "days": days,
            "prev": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
        },
    )


# ================================================================ periodic reports


@access.require(TASKS_STAFF)
def report_list(request):
    q = request.GET.get("q", "").strip()
    qs = reporting.search_reports(reporting.reports_for(request.user), q).order_by(
        "-period__cutoff_to", "organization__name"
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "bao-cao-dinh-ky.xlsx",
            "Báo cáo định kỳ",
            [
                "Báo cáo",
                "Kỳ báo cáo",
                "Đơn vị",
                "Số liệu từ ngày",
                "Đến ngày",
                "Hạn nộp",
                "Trạng thái",
                "Nộp lúc",
            ],
            (
                [
                    r.period.template.name,
                    r.period.label,
                    r.organization.name,
                    r.period.cutoff_from,
                    r.period.cutoff_to,
                    r.period.due_date,
                    r.get_status_display(),
                    r.submitted_at,
                ]
                for r in qs
            ),
        )
    return render(
        request,
        "tasks/report_list.html",
        {
            "page": paginate(request, qs),
            "q": q,
            "is_leader": selectors.is_leader(request.user),
            "today": selectors.today(),
        },
    )


@access.require(TASKS_STAFF)
def unit_report(request, pk):
    report = get_object_or_404(reporting.reports_for(request.user), pk=pk)
    can_fill = reporting.can_fill(request.user, report) and report.status in ("draft", "returned")
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied
        values = {ind.code: request.POST.get(ind.code, "") for ind in report.period.template.indicators.all()}
        try:
            reporting.save_values(request.user, report, values, submit="submit" in request.POST)
            messages.success(request, _("Saved."))
            return redirect("tasks:unit_report", pk=report.pk)
        except ValidationError as exc:
            _errors(request, exc)
    values = {v.indicator_id: v for v in report.values.all()}
    previous = reporting.previous_values(report)
    rows = []
    for ind in report.period.template.indicators.all():
        v, prev = values.get(ind.pk), previous.get(ind.code)
        number = v.number if v is not None else None
        shown = "" if number is None else reporting.value_text(ind, number)
        rows.append((ind, v, prev, shown, reporting.value_text(ind, prev)))
    return render(
        request,
        "tasks/unit_report.html",
        {
            "report": report,
            "rows": rows,
            "can_fill": can_fill,
            "can_review": reporting.can_review(request.user, report) and report.status == "submitted",
            "history": reporting.report_history(report),
            "has_previous": bool(previous),
        },
    )


@require_POST
@access.require(TASKS_STAFF)
def unit_report_review(request, pk):
    report = get_object_or_404(reporting.reports_for(request.user), pk=pk)
    _run(
        request,
        forms.ReturnForm(request.POST),
        lambda d: reporting.review_report(
            request.user, report, accept=d["decision"] == "accept", comment=d["comment"]
        ),
        _("Saved."),
    )
    return redirect("tasks:unit_report", pk=report.pk)


@access.require(TASKS_LEADER)
def period_summary(request, pk):
    period = get_object_or_404(ReportPeriod.objects.select_related("template__regime"), pk=pk)
    if not reporting.can_review(request.user, UnitReport(period=period)):
        raise Http404
    if request.GET.get("export") == "xlsx":
        headers, rows = reporting.export_rows(period)
        return xlsx_response(
            f"tong-hop-{period.pk}.xlsx", f"{period.template.name} — {period.label}", headers, rows
        )
    headers, rows = reporting.summary_rows(period)
    return render(
        request,
        "tasks/period_summary.html",
        {
            "period": period,
            "headers": headers,
            "rows": rows,
            "reports": period.unit_reports.select_related("organization"),
        },
    )


# ================================================================ report configuration (leaders)


def _configurer(request, regime=None):
    if not reporting.can_configure(request.user, regime):
        raise PermissionDenied


def _regime(request, pk):
    return get_object_or_404(reporting.configurable_regimes(request.user), pk=pk)


@access.require(TASKS_LEADER)
def regime_list(request):
    regimes = reporting.configurable_regimes(request.user).prefetch_related("templates")
    return render(request, "tasks/regime_list.html", {"regimes": regimes})


@access.require(TASKS_LEADER)
def regime_form(request, pk=None):
    regime = _regime(request, pk) if pk else None
    _configurer(request, regime)
    form = forms.RegimeForm(
        request.POST or None,
        instance=regime,
        receivers=reporting.receivers_for(request.user),
        units=selectors.assignable_units(request.user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            regime = reporting.save_regime(
                request.user,
                regime,
                reporters=d["reporters"],
                **{name: d[name] for name in reporting.REGIME_FIELDS},
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The reporting regime was saved."))
            return redirect("tasks:regime_detail", pk=regime.pk)
    title = _("Change the reporting regime") if regime else _("New reporting regime")
    return render(request, "tasks/form.html", {"form": form, "title": title, "multipart": False})


@access.require(TASKS_LEADER)
def regime_detail(request, pk):
    regime = _regime(request, pk)
    year = selectors.today().year
    return render(
        request,
        "tasks/regime_detail.html",
        {
            "regime": regime,
            "reporters": regime.reporters.order_by("name"),
            "templates": regime.templates.order_by("-effective_from", "-version").prefetch_related(
                "indicators"
            ),
            "schedule": reporting.upcoming_periods(regime, year),
            "year": year,
            "periods": ReportPeriod.objects.filter(template__regime=regime).select_related("template")[:20],
            "events": timeline(regime),
        },
    )


@access.require(TASKS_LEADER)
def template_form(request, pk=None, regime_pk=None):
    """A new template for a regime (optionally copied from ?tu=<version>), or a change to one;
    a change to a template in use is saved as a new version."""
    template = None
    if pk:
        template = get_object_or_404(
            ReportTemplate.objects.filter(regime__in=reporting.configurable_regimes(request.user)), pk=pk
        )
        regime = template.regime
    else:
        regime = _regime(request, regime_pk)
    _configurer(request, regime)
    source = template
    if source is None and request.GET.get("tu"):
        source = regime.templates.filter(pk=request.GET["tu"]).first()
    in_use = template is not None and template.periods.exists()
    if request.method == "POST":
        form = forms.TemplateForm(request.POST, prefix="t")
        formset = forms.IndicatorFormSet(request.POST, prefix="ind")
    else:
        initial = {}
        if source is not None:
            initial = {"name": source.name}
            if not in_use and template is not None:
                initial["effective_from"] = template.effective_from
        form = forms.TemplateForm(initial=initial, prefix="t")
        formset = forms.IndicatorFormSet(
            initial=reporting.indicator_rows(source) if source else None, prefix="ind"
        )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            saved = reporting.save_template(
                request.user,
                regime,
                name=form.cleaned_data["name"],
                effective_from=form.cleaned_data["effective_from"],
                indicators=rows,
                template=template,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            if template is not None and saved.pk != template.pk:
                messages.success(
                    request,
                    _("Version %(n)s was created; periods already opened keep version %(old)s.")
                    % {"n": saved.version, "old": template.version},
                )
            else:
                messages.success(request, _("The report template was saved."))
            return redirect("tasks:regime_detail", pk=regime.pk)
    return render(
        request,
        "tasks/report_template_form.html",
        {"form": form, "formset": formset, "regime": regime, "template": template, "in_use": in_use},
    )


@access.require(TASKS_LEADER)
def ad_hoc_period(request):
    templates = ReportTemplate.objects.filter(
        regime__in=reporting.configurable_regimes(request.user), is_active=True
    ).select_related("regime")
    form = forms.AdHocPeriodForm(
        request.POST or None, templates=templates, units=selectors.assignable_units(request.user)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            period = reporting.open_ad_hoc_period(
                request.user,
                d["template"],
                label=d["label"],
                units=list(d["units"]),
                cutoff_from=d["cutoff_from"],
                cutoff_to=d["cutoff_to"],
                due_date=d["due_date"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("The request was sent to %(n)s unit(s).") % {"n": period.unit_reports.count()},
            )
            return redirect("tasks:period_summary", pk=period.pk)
    return render(
        request, "tasks/form.html", {"form": form, "title": _("Request an ad-hoc report"), "multipart": False}
    )
