"""Staff pages (inboxes, detail, actions, forms, statistics) and citizen pages (submission, status)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.core import access, ratelimit
from apps.core.clientip import client_ip
from apps.core.errors import ExplainedNotFound
from apps.core.export import xlsx_response
from apps.core.formatting.vn import share
from apps.core.pagination import paginate
from apps.organizations.models import Membership
from apps.organizations.roles import Role

from . import catalogue, documents, indicators, selectors, services
from .access import (
    DOSSIERS_APPLICANT,
    DOSSIERS_DESK,
    DOSSIERS_RECONCILER,
    DOSSIERS_STAFF,
    DOSSIERS_STATISTICS,
    may_see_statistics,
)
from .models import CLOCK_STATES, Channel, Dossier, State
from .workflow import DOSSIER, STAFF_ACTIONS, TRANSITIONS, TransitionError, needs_head_review

BOX_TITLES = {
    "desk": gettext_lazy("One-stop desk"),
    "unit_head": gettext_lazy("Unit head"),
    "specialist": gettext_lazy("My dossiers"),
    "leader": gettext_lazy("For the leader"),
    "all": gettext_lazy("All dossiers"),
}


def _visible_dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.exclude(state=State.DRAFT), pk=pk)
    if not selectors.can_reach(request.user, dossier, "view"):
        if selectors.awaits_assignment(request.user, dossier):
            # Still a 404 (the dossier is outside their scope), but one that says why.
            raise ExplainedNotFound(
                _(
                    "This dossier has not been assigned to you yet. You can open it once it is "
                    "assigned to you or to your unit; if you are to handle it, ask your unit head."
                ),
                title=_("This dossier is not assigned to you yet"),
            )
        raise Http404
    return dossier


# --------------------------------------------------------------------------- staff
@access.require(DOSSIERS_STAFF)
def inbox(request):
    boxes = selectors.boxes_for(request.user) + ["all"]
    box = request.GET.get("box") or boxes[0]
    if box not in boxes:
        box = boxes[0]
    qs = selectors.visible(request.user) if box == "all" else selectors.inbox(request.user, box)
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(applicant_name__icontains=q) | Q(procedure_name__icontains=q))
    state = request.GET.get("state", "")
    if state:
        qs = qs.filter(state=state)
    qs = qs.order_by("due_at", "-submitted_at")
    if request.GET.get("export") == "xlsx":
        rows = documents.register_rows(qs.prefetch_related("history"))
        return xlsx_response("so-theo-doi-ho-so.xlsx", "Sổ theo dõi hồ sơ", documents.REGISTER_HEADERS, rows)
    # The list shows none of the large JSON columns (≈2 KB a row): don't fetch them to sort a box.
    page = paginate(request, qs.defer("procedure_snapshot", "form_data"))
    return render(
        request,
        "dossiers/inbox.html",
        {
            "page": page,
            "boxes": [(b, BOX_TITLES[b]) for b in boxes],
            "box": box,
            "q": q,
            "state": state,
            "states": State.choices[1:],
            "can_walk_in": Role.ONE_STOP_OFFICER in selectors.staff_roles(request.user)
            or Role.ADMINISTRATOR in selectors.staff_roles(request.user),
            "can_stats": may_see_statistics(request.user),
            "now": timezone.now(),
        },
    )


def _handlers(dossier: Dossier):
    unit_ids = []
    if dossier.handling_unit_id:
        unit_ids = list(dossier.handling_unit.subtree().values_list("pk", flat=True))
        agency = dossier.handling_unit.agency()
        unit_ids.append(agency.pk)
    return (
        Membership.objects.filter(
            organization_id__in=unit_ids, is_active=True, role__in=[Role.UNIT_HEAD, Role.SPECIALIST]
        )
        .select_related("user", "organization")
        .order_by("role", "user__full_name")
    )


@access.require(DOSSIERS_STAFF)
def detail(request, pk):
    dossier = _visible_dossier(request, pk)
    roles = selectors.user_roles_for(request.user, dossier)
    if request.user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    actions = [t for t in DOSSIER.actions_from(dossier.state) if t.roles & roles]
    if needs_head_review(dossier) and not roles & {Role.UNIT_HEAD, Role.ADMINISTRATOR}:
        # this procedure goes through the unit head's review: the specialist submits to the head
        actions = [t for t in actions if t.action != "propose"]
    from apps.audit.selectors import timeline

    from .personal_data import staff_viewed

    staff_viewed(request, dossier, _("Opened the dossier page"))
    return render(
        request,
        "dossiers/detail.html",
        {
            "dossier": dossier,
            "documents": dossier.documents.select_related("file"),
            "history": dossier.history.select_related("handed_to", "handed_to_unit"),
            "supplements": dossier.supplement_requests.all(),
            "actions": actions,
            "handlers": _handlers(dossier) if any(t.action == "assign" for t in actions) else [],
            "forms": [(no, documents.FORM_TITLES[no]) for no in documents.available_forms(dossier)],
            "events": timeline(dossier),
            "payments": dossier.payments.all(),
            "result_check": _result_check(dossier),
            "has_receipt": dossier.paid and dossier.payments.filter(status="paid").exists(),
        },
    )


def _result_check(dossier: Dossier):
    """The signature verdict on the dossier's result file, shown with it (None without a file)."""
    from . import result_signing

    if not dossier.result_file_id:
        return None
    try:
        with dossier.result_file.file.open("rb") as handle:
            return result_signing.check(handle.read())
    except OSError:
        return result_signing.Check(signed=False, ok=False, problem=_("The result file cannot be read."))


def _parse_due(value: str):
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))


def _perform(request, call, success) -> bool:
    """Run a service call for a POST: its refusal becomes an error message, its success `success`."""
    try:
        call()
    except PermissionDenied:
        messages.error(request, _("You may not take this action on this dossier."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except (TransitionError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
        return True
    return False


def _handler(request):
    membership = Membership.objects.filter(user_id=request.POST.get("handler"), is_active=True).first()
    return membership.user if membership else None


def _files(request):
    return [(f.name, f) for f in request.FILES.getlist("files")]


# The extra input of each action, read from the POST (the note and the version are common).
ACTION_PARAMS = {
    "request_supplement": lambda r: {"items": r.POST.get("items", "").splitlines()},
    "assign": lambda r: {"handler": _handler(r)},
    "extend": lambda r: {"new_due": _parse_due(r.POST.get("new_due", ""))},
    "return_result": lambda r: {"method": r.POST.get("method") or "in_person"},
    "supplement": lambda r: {"files": _files(r)},
    # the licence PDF signed by the competent person, instead of the generated result (optional)
    "issue_result": lambda r: {
        "signed_file": r.FILES.get("signed_result"),
        "result_number": r.POST.get("result_number", ""),
    },
}


@access.require(DOSSIERS_STAFF)
@require_POST
def act(request, pk, action):
    """Every staff action on a dossier: one handler, the transition table decides."""
    dossier = _visible_dossier(request, pk)
    if action not in STAFF_ACTIONS:
        raise Http404
    params = ACTION_PARAMS.get(action, lambda r: {})(request)
    _perform(
        request,
        lambda: services.act(
            dossier.pk,
            action,
            actor=request.user,
            expected_version=request.POST.get("version"),
            note=request.POST.get("note", ""),
            **params,
        ),
        _("Done: %(action)s.") % {"action": TRANSITIONS[action].label},
    )
    return redirect("dossiers:detail", pk=dossier.pk)


@access.require(DOSSIERS_STAFF)
def form_pdf(request, pk, number):
    dossier = _visible_dossier(request, pk)
    if number not in documents.available_forms(dossier):
        raise Http404
    pdf = documents.FORMS[number](dossier)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-{number}-{dossier.code}.pdf"'
    return response


def _procedure_choices(channel: str):
    try:
        versions = catalogue.published_versions()
    except Exception:  # noqa: BLE001 - the catalogue may be empty or not yet installed
        return []
    return [v for v in versions if channel in v.channels]


def _desk_for(user):
    membership = (
        Membership.objects.filter(user=user, is_active=True, role=Role.ONE_STOP_OFFICER)
        .select_related("organization")
        .first()
    )
    return membership.organization if membership else None


def _default_desk():
    from apps.organizations.models import Organization

    membership = Membership.objects.filter(role=Role.ONE_STOP_OFFICER, is_active=True).order_by("pk").first()
    if membership:
        return membership.organization
    return Organization.objects.filter(kind="agency").order_by("pk").first()


def _uploads(request, info) -> dict:
    return {
        spec.code: request.FILES.get(f"doc_{spec.code}")
        for spec in info.documents
        if request.FILES.get(f"doc_{spec.code}")
    }


def _applicant(request) -> dict:
    return {k: request.POST.get(k, "") for k in services.APPLICANT_FIELDS}


def _form_data(request, info) -> dict:
    return {f.name: request.POST.get(f"f_{f.name}", "") for f in info.form_fields}


@access.require(DOSSIERS_DESK)
def walk_in(request):
    desk = _desk_for(request.user)
    versions = _procedure_choices("walk_in")
    info = None
    version_id = request.POST.get("version") or request.GET.get("version")
    if version_id:
        info = next((v for v in versions if str(v.version_id) == str(version_id)), None)
    errors = {}
    if request.method == "POST" and info:
        try:
            dossier = services.create_dossier(
                version_id=info.version_id,
                desk=desk,
                channel="walk_in",
                applicant=_applicant(request),
                form_data=_form_data(request, info),
                uploads=_uploads(request, info),
                actor=request.user,
                idempotency_key=request.POST.get("idempotency_key") or None,
                check_documents=False,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(
                request,
                _("Dossier %(code)s recorded. Check it and choose the outcome.") % {"code": dossier.code},
            )
            return redirect("dossiers:detail", pk=dossier.pk)
    return render(
        request,
        "dossiers/walk_in.html",
        {
            "versions": versions,
            "info": info,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "values": request.POST,
            "idempotency_key": secrets.token_urlsafe(16),
        },
    )


def _date_param(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


def _int_param(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


RATE_LABELS = {
    "on_time": gettext_lazy("Resolved early or on time"),
    "online": gettext_lazy("Submitted online"),
    "digitisation": gettext_lazy("Components digitised at reception"),
    "e_result": gettext_lazy("Results issued electronically"),
    "online_payment": gettext_lazy("Fees paid online"),
}


@access.require(DOSSIERS_STATISTICS)
def statistics(request):
    """The dashboard, read from the statistics ledger: period, field, procedure, level, channel."""
    today = timezone.localdate()
    year = _int_param(request.GET.get("year"))
    if year and 2000 <= year <= 2100:
        start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    else:
        start = _date_param(request.GET.get("start"), dt.date(today.year, 1, 1))
        end = _date_param(request.GET.get("end"), today)
    if end < start:
        start, end = end, start
    filters = {
        "field": request.GET.get("field", "").strip(),
        "procedure_id": _int_param(request.GET.get("procedure")),
        "legacy_level": _int_param(request.GET.get("level")),
        "channel": request.GET.get("channel", "") if request.GET.get("channel") in Channel.values else "",
    }
    condition = selectors.statistics_q(request.user)
    figures = indicators.dashboard(condition, start, end, **filters)
    rates = [
        (RATE_LABELS[key], share(part, whole), part, whole) for key, _rate, part, whole in figures["rates"]
    ]
    overdue = selectors.visible(request.user).filter(
        state__in=sorted(CLOCK_STATES), due_at__lt=timezone.now()
    )
    if filters["field"]:
        overdue = overdue.filter(procedure_field=filters["field"])
    if filters["procedure_id"]:
        overdue = overdue.filter(procedure_id=filters["procedure_id"])
    if filters["legacy_level"]:
        overdue = overdue.filter(legacy_level=filters["legacy_level"])
    if filters["channel"]:
        overdue = overdue.filter(channel=filters["channel"])
    overdue = overdue.order_by("due_at")
    if request.GET.get("export") == "xlsx":
        return _statistics_xlsx(start, end, figures, rates, overdue)
    base = indicators.entries(condition, indicators.Kind.RECEIVED, dt.date(2000, 1, 1), today)
    return render(
        request,
        "dossiers/statistics.html",
        {
            "start": start,
            "end": end,
            "filters": filters,
            "figures": figures,
            "rates": rates,
            "chart": figures["chart"],
            "overdue": overdue[:100],
            "overdue_count": overdue.count(),
            # DISTINCT in the database: the ledger has hundreds of thousands of rows (bench/README.md)
            "fields": sorted(set(base.order_by().values_list("field", flat=True).distinct()) - {""}),
            "procedures": sorted(
                base.order_by().values_list("procedure_id", "procedure_name").distinct(), key=lambda p: p[1]
            ),
            "channels": Channel.choices,
            "levels": indicators.LEVELS,
            "query": request.GET.urlencode(),
            "can_reconcile": bool(selectors.staff_roles(request.user) & {Role.LEADER, Role.ADMINISTRATOR}),
        },
    )


def _statistics_xlsx(start, end, figures, rates, overdue):
    """One workbook: the figures, every breakdown and the overdue list (Vietnamese headings)."""
    from apps.core.formatting.vn import format_date

    period = f"{format_date(start)} – {format_date(end)}"
    rows = [
        ["Kỳ thống kê", period],
        ["Hồ sơ tiếp nhận", figures["received"]],
        *(
            [f"Mức độ {lv}", f"{figures['levels']['by_level'][lv]} ({figures['levels']['shares'][lv]})"]
            for lv in indicators.LEVELS
        ),
        ["Hồ sơ đã giải quyết", figures["resolved"]],
        ["Giải quyết quá hạn", figures["timeliness"]["late"]],
        ["Thời gian giải quyết trung bình (ngày làm việc)", figures["average_days"] or ""],
        *([str(label), f"{part}/{whole} ({rate})"] for label, rate, part, whole in rates),
        [],
        ["Theo lĩnh vực", ""],
        *([label or "—", n] for label, n in figures["by_field"]),
        [],
        ["Theo thủ tục", ""],
        *([label, n] for label, n in figures["by_procedure"]),
        [],
        ["Theo kênh nộp", ""],
        *([label, n] for label, n in figures["by_channel"]),
        [],
        ["Theo trạng thái", ""],
        *([label, n] for label, n in figures["by_outcome"]),
        [],
        ["Theo thời gian", ""],
        *([label, n] for label, n in figures["by_period"]),
        [],
        ["Hồ sơ quá hạn", overdue.count()],
        *(
            [d.code, f"{d.procedure_name} — hẹn trả {format_date(timezone.localtime(d.due_at).date())}"]
            for d in overdue[:1000]
        ),
    ]
    return xlsx_response(
        f"thong-ke-ho-so-{start:%Y%m%d}-{end:%Y%m%d}.xlsx", "Thống kê hồ sơ", ["Chỉ tiêu", "Giá trị"], rows
    )


# --------------------------------------------------------------------------- citizen: online submission
CONTACT_SESSION = "dossiers_verified_contact"


def _verified_contact(request) -> str | None:
    return request.session.get(CONTACT_SESSION)


@access.require(access.PUBLIC)
def catalogue_list(request):
    q = request.GET.get("q", "")
    try:
        versions = [v for v in catalogue.published_versions(search=q) if "online" in v.channels]
    except Exception:  # noqa: BLE001
        versions = []
    return render(request, "dossiers/online_list.html", {"versions": versions, "q": q})


# One-time codes sent: 3 per recipient per 15 minutes, 10 per client address per hour.
CODES_RECIPIENT = ratelimit.Limit("dossiers.contact-code.recipient", 3, 15 * 60)
CODES_CLIENT = ratelimit.Limit("dossiers.contact-code.client", 10, 3600)


@access.require(access.PUBLIC)
def verify_contact(request):
    """A one-time code sent to the e-mail given: submission without an account (5 tries, 10 minutes)."""
    import hashlib
    import time

    from apps.core.notifications.service import notify

    from .notifications import ensure_templates

    stage = "ask"
    pending = request.session.get("dossiers_otp")
    if request.method == "POST" and request.POST.get("email"):
        email = request.POST["email"].strip().lower()
        # Nothing is queued beyond the limits: this form must not become a way to flood an inbox.
        client = client_ip(request)
        refused = ratelimit.hit_in_turn((CODES_CLIENT, client), (CODES_RECIPIENT, email))
        if refused:
            wait = refused.retry_after()
            messages.error(request, ratelimit.message(wait))
            response = render(request, "dossiers/verify_contact.html", {"stage": "ask"})
            return ratelimit.mark_limited(response, wait)
        code = f"{secrets.randbelow(10**6):06d}"
        request.session["dossiers_otp"] = {
            "email": email,
            "hash": hashlib.sha256(code.encode()).hexdigest(),
            "until": time.time() + 600,
            "tries": 0,
        }
        ensure_templates()
        notify("dossier_contact_code", recipient=email, context={"code": code})
        stage = "code"
        messages.info(request, _("A code was sent to %(email)s.") % {"email": email})
    elif request.method == "POST" and request.POST.get("code") and pending:
        pending["tries"] += 1
        request.session["dossiers_otp"] = pending
        digest = hashlib.sha256(request.POST["code"].strip().encode()).hexdigest()
        if (
            pending["tries"] <= 5
            and time.time() < pending["until"]
            and secrets.compare_digest(digest, pending["hash"])
        ):
            del request.session["dossiers_otp"]
            request.session[CONTACT_SESSION] = pending["email"]
            messages.success(request, _("Your e-mail address is verified."))
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                target = _url("dossiers:online_list")
            return redirect(target)
        stage = "code"
        messages.error(request, _("The code is wrong or has expired."))
    return render(request, "dossiers/verify_contact.html", {"stage": stage})


@access.require(access.PUBLIC)
def submit_start(request, procedure_id):
    """The catalogue's "submit online" button: the version in force today, if it accepts online dossiers."""
    info = catalogue.current_version(procedure_id)
    if info is None or "online" not in info.channels:
        raise Http404
    return redirect("dossiers:submit_online", version_id=info.version_id)


STEPS = (
    (1, gettext_lazy("Applicant")),
    (2, gettext_lazy("Request")),
    (3, gettext_lazy("Components")),
    (4, gettext_lazy("Check and submit")),
)


def _draft_for(request, token, user, contact) -> Dossier:
    """The draft behind a resume link: only its owner (account, or the verified e-mail) reaches it."""
    draft = get_object_or_404(Dossier, resume_token=token)
    if draft.applicant_user_id:
        if user is None or draft.applicant_user_id != user.pk:
            raise Http404
    elif not contact or (draft.applicant_email or "").lower() != contact.lower():
        raise Http404
    return draft


def _draft_values(draft, user, contact, info=None) -> dict:
    """What the form shows: the draft's values; the request's fields that repeat the applicant's
    details (name, address, phone…) filled from step 1; a new form from the signed-in account."""
    if draft:
        values = {k: getattr(draft, k) for k in services.APPLICANT_FIELDS}
        form = services.prefill_form(info, values, draft.form_data) if info else draft.form_data
        values.update({f"f_{k}": v for k, v in form.items()})
        return values
    if user:
        return services.known_applicant(user)
    return {"applicant_email": contact} if contact else {}


@access.require(access.PUBLIC)
def submit_online(request, version_id, token=None):
    """The online form in four steps (applicant, request, components, check and submit).

    Each step is saved on a draft dossier (resume link); only the last step submits, atomically
    and idempotently. A POST without a step carries the whole form at once (one-page form).
    """
    user = request.user if request.user.is_authenticated else None
    contact = _verified_contact(request)
    if user is None and not contact:
        return redirect(f"{_url('dossiers:verify_contact')}?next={request.path}")
    draft = _draft_for(request, token, user, contact) if token else None
    if draft is not None and draft.state != State.DRAFT:
        # Submitted already (a second click, an old resume link): show the dossier, not a new one.
        request.session["dossiers_status_ok"] = [*request.session.get("dossiers_status_ok", []), draft.pk][
            -20:
        ]
        return redirect("dossiers:status_detail", pk=draft.pk)
    try:
        info = catalogue.get_version(version_id)
    except Exception as exc:  # noqa: BLE001
        raise Http404 from exc
    if "online" not in info.channels:
        raise Http404
    errors = {}
    step = _int_param(request.POST.get("step") if request.method == "POST" else request.GET.get("step"))
    if step not in (1, 2, 3, 4):
        step = None if request.method == "POST" else (draft.draft_step if draft else 1)
    if step == 4 and draft is None:
        step = None if request.method == "POST" else 1
    values = (
        dict(request.POST.items()) if request.method == "POST" else _draft_values(draft, user, contact, info)
    )
    go = request.POST.get("go", "")
    if request.method == "POST" and draft is not None and request.POST.get("remove_doc"):
        return _remove_file(request, info, draft, user)
    if request.method == "POST" and step == 4 and go == "back":
        return redirect(f"{_url('dossiers:resume', info.version_id, draft.resume_token)}?step=3")
    if request.method == "POST" and (request.POST.get("save_draft") or (step in (1, 2, 3) and go)):
        return _save_step(request, info, draft, user, contact, step, go, values)
    if request.method == "POST" and step in (None, 4):
        applicant = (
            _applicant(request) if step is None else {k: getattr(draft, k) for k in services.APPLICANT_FIELDS}
        )
        if contact and not user:
            applicant["applicant_email"] = contact  # the verified address is the one that counts
        form_data = _form_data(request, info) if step is None else dict(draft.form_data)
        submitter = services.submitter_key(user=user, contact="" if user else contact)
        limited = _submission_limit(submitter, client_ip(request))
        if limited:
            wait = limited.retry_after()
            messages.error(request, ratelimit.message(wait))
            return ratelimit.mark_limited(_render_form(request, info, draft, step, values, errors), wait)
        try:
            dossier = services.create_dossier(
                version_id=info.version_id,
                desk=_default_desk(),
                channel="online",
                applicant=applicant,
                form_data=form_data,
                uploads=_uploads(request, info),
                applicant_user=user,
                # The key is this citizen's own (account, or the verified e-mail): a key someone
                # else used never hands their dossier over.
                idempotency_key=request.POST.get("idempotency_key") or None,
                submitter=submitter,
                draft=draft,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            if step == 4:
                step = _first_step_with_error(errors)
                values = _draft_values(draft, user, contact, info)
        else:
            SUBMIT_SUBMITTER.hit(submitter)
            SUBMIT_CLIENT.hit(client_ip(request))
            request.session.setdefault("dossiers_status_ok", [])
            request.session["dossiers_status_ok"] = [*request.session["dossiers_status_ok"], dossier.pk][-20:]
            messages.success(
                request, _("Your dossier was submitted. Its code is %(code)s.") % {"code": dossier.code}
            )
            return redirect(f"{_url('dossiers:status_detail', dossier.pk)}")
    return _render_form(request, info, draft, step, values, errors)


# Online submissions: 20 an hour per submitter (account or verified e-mail) and 60 an hour per
# client address (an office behind one address). Only dossiers actually created count, so a form
# sent back for corrections never uses up the allowance.
SUBMIT_SUBMITTER = ratelimit.Limit("dossiers.submit.submitter", 20, 3600)
SUBMIT_CLIENT = ratelimit.Limit("dossiers.submit.client", 60, 3600)


def _submission_limit(submitter: str, client: str) -> ratelimit.Limit | None:
    if submitter and SUBMIT_SUBMITTER.count(submitter) >= SUBMIT_SUBMITTER.limit:
        return SUBMIT_SUBMITTER
    if SUBMIT_CLIENT.count(client) >= SUBMIT_CLIENT.limit:
        return SUBMIT_CLIENT
    return None


def _first_step_with_error(errors: dict) -> int:
    """The earliest step holding an error: applicant (1), request (2), then components (3)."""
    keys = set(errors) - {"__all__"}
    if keys & set(services.APPLICANT_FIELDS):
        return 1
    if any(not k.startswith("doc_") for k in keys - set(services.APPLICANT_FIELDS)):
        return 2
    return 3 if keys else 2


def _remove_file(request, info, draft, user):
    """The "remove" button next to a component already attached to the draft."""
    code = request.POST.get("remove_doc", "")
    spec = next((d for d in info.documents if d.code == code), None)
    if spec is None:
        raise Http404
    try:
        removed = services.remove_draft_file(draft, code, user=user)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        if removed:
            messages.success(request, _("“%(name)s” was removed from the dossier.") % {"name": spec.name})
    return redirect(f"{_url('dossiers:resume', info.version_id, draft.resume_token)}?step=3")


def _save_step(request, info, draft, user, contact, step, go, values):
    """Save the posted step on the draft, then go on, back, or stay (save and continue later)."""
    legacy = bool(request.POST.get("save_draft")) and step is None
    data = {}
    if legacy or step == 1:
        data.update(_applicant(request))
    if legacy or step == 2:
        data["form"] = _form_data(request, info)
    errors = {}
    if go == "next" and step in (1, 2):
        errors = services.check_step(info.version_id, step, data, data.get("form", {}))
    if not errors:
        try:
            draft = services.save_draft(
                version_id=info.version_id,
                desk=draft.organization if draft else _default_desk(),
                data=data,
                step=2 if legacy else step,
                draft=draft,
                user=user,
                uploads=_uploads(request, info) if step == 3 else None,
                contact="" if user else contact,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            # The files of this step that were accepted stay on the draft: show them, ask again
            # only for the refused ones.
            draft = getattr(exc, "draft", None) or draft
        except TransitionError as exc:
            errors = {"__all__": [str(exc)]}
    if not errors and go == "next" and step == 3:
        have = set(services._draft_files(draft))
        for spec in info.documents:
            if spec.required and spec.code not in have:
                errors.setdefault(f"doc_{spec.code}", []).append(
                    _("Attach “%(name)s”.") % {"name": spec.name}
                )
    if errors:
        return _render_form(request, info, draft, step or 1, values, errors)
    target = step or 2
    if go == "next":
        target = min(step + 1, 4)
    elif go == "back":
        target = max(step - 1, 1)
    else:
        messages.success(
            request,
            _("Saved. Continue later with this address: %(url)s")
            % {
                "url": request.build_absolute_uri(
                    _url("dossiers:resume", info.version_id, draft.resume_token)
                )
            },
        )
    if target != draft.draft_step:
        Dossier.objects.filter(pk=draft.pk, state=State.DRAFT).update(draft_step=target)
    return redirect(f"{_url('dossiers:resume', info.version_id, draft.resume_token)}?step={target}")


def _render_form(request, info, draft, step, values, errors):
    fee = None
    if step == 4 and draft is not None and info.has_fee:
        try:
            fee = catalogue.compute_fee(info.version_id, draft.form_data)
        except ValidationError:
            fee = None
    return render(
        request,
        "dossiers/submit_online.html",
        {
            "info": info,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "values": values,
            "idempotency_key": secrets.token_urlsafe(16),
            "draft": draft,
            "step": step,
            "steps": STEPS,
            "uploaded": services._draft_files(draft),
            "fee": fee,
            "resume_url": request.build_absolute_uri(
                _url("dossiers:resume", info.version_id, draft.resume_token)
            )
            if draft
            else "",
        },
    )


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


# --------------------------------------------------------------------------- citizen: status
# Wrong answers only (a correct one gives its hit back). A client is refused after 10 in 15 minutes.
# A code is not locked by other clients' failures (its owner could be locked out from anywhere):
# once it has drawn 10, each client's own allowance on it shrinks to 3.
LOOKUP_CLIENT = ratelimit.Limit("dossiers.lookup.client", 10, 15 * 60)
LOOKUP_CODE = ratelimit.Limit("dossiers.lookup.code", 10, 15 * 60)
LOOKUP_CLIENT_CODE = ratelimit.Limit("dossiers.lookup.client-code", 3, 15 * 60)


def _normal_phone(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())[-9:]


def _factor_matches(dossier: Dossier, factor: str) -> bool:
    factor = factor.strip()
    if not factor:
        return False
    if "@" in factor:
        return bool(dossier.applicant_email) and secrets.compare_digest(
            dossier.applicant_email.lower(), factor.lower()
        )
    phone = _normal_phone(factor)
    return (
        len(phone) >= 8
        and bool(dossier.applicant_phone)
        and secrets.compare_digest(_normal_phone(dossier.applicant_phone), phone)
    )


# --------------------------------------------------------------------------- citizen: my dossiers
TASKS = {
    selectors.RESUME: (gettext_lazy("Complete and submit the dossier"), "btn-primary"),
    selectors.SUPPLEMENT: (gettext_lazy("Supplement the dossier"), "btn-primary"),
    selectors.PAY: (gettext_lazy("Waiting for payment"), "btn-primary"),
    selectors.COLLECT: (gettext_lazy("Collect the result"), "btn-primary"),
    selectors.RATE: (gettext_lazy("Rate the service"), "btn-outline-primary"),
    selectors.WAIT_RECEPTION: (gettext_lazy("Nothing to do: waiting for the reception check"), ""),
    selectors.WAIT: (gettext_lazy("Nothing to do: being processed"), ""),
}
# Where on the status page each step is taken (the status page's own element ids).
TASK_ANCHORS = {
    selectors.SUPPLEMENT: "#supp-title",
    selectors.PAY: "#pay-fee",
    selectors.COLLECT: "#download-result",
    selectors.RATE: "#rate-title",
}


def _my_row(dossier: Dossier) -> dict:
    task = selectors.applicant_task(dossier)
    label, style = TASKS.get(task, ("", ""))
    if dossier.state == State.DRAFT:
        link = _url("dossiers:resume", dossier.procedure_version_id, dossier.resume_token)
    else:
        link = _url("dossiers:status_detail", dossier.pk)  # signed: no sequential id in the address
    return {
        "dossier": dossier,
        "task": task,
        "task_label": label,
        "task_style": style,
        "link": link,
        "task_link": (link + TASK_ANCHORS[task]) if task in TASK_ANCHORS else link,
        "actionable": bool(style),
    }


@access.require(DOSSIERS_APPLICANT)
def mine(request):
    """“Hồ sơ của tôi”: the dossiers the signed-in person applied for, with what each expects of them.

    The citizen's home after signing in (registered with `core.modules.register_home`)."""
    from apps.core.modules import modules_for

    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.applicant_dossiers(request.user, q))
    page.object_list = [_my_row(d) for d in page.object_list]
    return render(
        request,
        "dossiers/mine.html",
        {
            "page": page,
            "q": q,
            "waiting": sum(1 for row in page.object_list if row["actionable"]),
            "modules": [m for m in modules_for(request.user) if m.key != "dossiers"],
        },
    )


@access.require(access.PUBLIC)
def status(request):
    code = (request.POST.get("code") or request.GET.get("ma") or "").strip()
    if request.method == "POST":
        # Hits are taken before the check, atomically: a burst of parallel guesses cannot all pass.
        client, key = client_ip(request), code.lower()
        taken, refused = [(LOOKUP_CLIENT, client)], None
        if LOOKUP_CLIENT.hit(client) > LOOKUP_CLIENT.limit:
            refused = LOOKUP_CLIENT
        else:
            taken.append((LOOKUP_CODE, key))
            if LOOKUP_CODE.hit(key) > LOOKUP_CODE.limit:
                taken.append((LOOKUP_CLIENT_CODE, f"{client}|{key}"))
                if LOOKUP_CLIENT_CODE.hit(f"{client}|{key}") > LOOKUP_CLIENT_CODE.limit:
                    refused = LOOKUP_CLIENT_CODE
        if refused:
            wait = refused.retry_after()
            messages.error(request, ratelimit.message(wait))
            response = render(request, "dossiers/status_lookup.html", {"code": code})
            return ratelimit.mark_limited(response, wait)
        dossier = Dossier.objects.exclude(state=State.DRAFT).filter(code__iexact=code).first()
        # Signed in, the account is the second factor of the dossiers it applied for.
        own = bool(dossier) and request.user.is_authenticated and dossier.applicant_user_id == request.user.pk
        if dossier and (own or _factor_matches(dossier, request.POST.get("factor", ""))):
            for limit, identity in taken:
                limit.undo(identity)
            allowed = request.session.get("dossiers_status_ok", [])
            request.session["dossiers_status_ok"] = [*allowed, dossier.pk][-20:]
            return redirect("dossiers:status_detail", pk=dossier.pk)
        # One message for a wrong code and a wrong factor: codes cannot be probed.
        messages.error(request, _("No dossier matches this code and phone number or e-mail."))
    return render(request, "dossiers/status_lookup.html", {"code": code})


def _status_dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.exclude(state=State.DRAFT), pk=pk)
    own = request.user.is_authenticated and dossier.applicant_user_id == request.user.pk
    if not own and pk not in request.session.get("dossiers_status_ok", []):
        raise Http404
    return dossier


@access.require(access.PUBLIC)
def status_detail(request, pk):
    from apps.audit.selectors import events_of

    from .personal_data import VIEWED

    dossier = _status_dossier(request, pk)
    return render(
        request,
        "dossiers/status_detail.html",
        {
            "dossier": dossier,
            "history": dossier.history.all(),
            "supplement": dossier.supplement_requests.filter(fulfilled_at__isnull=True).last(),
            "can_rate": dossier.state in (State.RETURNED, State.CLOSED) and not hasattr(dossier, "rating"),
            "can_pay": dossier.fee > 0
            and not dossier.paid
            and dossier.state not in (State.REFUSED, State.WITHDRAWN),
            "has_receipt": dossier.paid and dossier.payments.filter(status="paid").exists(),
            # "Ai đã xem hồ sơ của tôi": the staff's recorded looks at the applicant's data
            "viewers": paginate(request, events_of([VIEWED], dossier)),
        },
    )


@access.require(access.PUBLIC)
@require_POST
def status_supplement(request, pk):
    dossier = _status_dossier(request, pk)
    _perform(
        request,
        lambda: services.act(
            dossier.pk,
            "supplement",
            actor=request.user if request.user.is_authenticated else None,
            applicant_verified=True,
            files=_files(request),
            note=request.POST.get("note", ""),
        ),
        _("Thank you: the supplement was received."),
    )
    return redirect("dossiers:status_detail", pk=pk)


@access.require(access.PUBLIC)
@require_POST
def status_rate(request, pk):
    dossier = _status_dossier(request, pk)
    _perform(
        request,
        lambda: services.rate(
            dossier, score=int(request.POST.get("score") or 0), comment=request.POST.get("comment", "")
        ),
        _("Thank you for your rating."),
    )
    return redirect("dossiers:status_detail", pk=pk)


@access.require(access.PUBLIC)
def status_result(request, pk):
    """The result file, after its signature is checked: a file whose seal no longer verifies is not
    handed out as the result."""
    from . import result_signing

    dossier = _status_dossier(request, pk)
    if dossier.state not in (State.RESULT_READY, State.RETURNED, State.CLOSED) or not dossier.result_file_id:
        raise Http404
    stored = dossier.result_file
    with stored.file.open("rb") as handle:
        data = handle.read()
    verdict = result_signing.check(data)
    if verdict.signed and not verdict.ok:
        messages.error(
            request,
            _("The result file failed its signature check (%(problem)s). Contact the one-stop desk.")
            % {"problem": verdict.problem},
        )
        return redirect("dossiers:status_detail", pk=pk)
    response = HttpResponse(data, content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{dossier.code}.pdf"'
    response["X-Signature-Verified"] = "yes" if verdict.signed else "unsigned"
    return response


@access.require(access.PUBLIC)
def status_receipt(request, pk):
    dossier = _status_dossier(request, pk)
    if "01" not in documents.available_forms(dossier):
        raise Http404
    response = HttpResponse(documents.form_01(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


# --------------------------------------------------------------------------- payments
def _receipt_response(dossier) -> HttpResponse:
    """The electronic fee receipt (biên lai điện tử) of the dossier's paid fee, as a PDF to print."""
    from . import payments

    payment = payments.paid_receipt(dossier)
    if payment is None:
        raise ExplainedNotFound(
            _("No fee of this dossier has been paid online, so there is no electronic receipt."),
            title=_("No fee receipt"),
        )
    response = HttpResponse(documents.fee_receipt(dossier, payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-lai-{payment.receipt_number}.pdf"'
    return response


@access.require(DOSSIERS_STAFF)
def fee_receipt(request, pk):
    return _receipt_response(_visible_dossier(request, pk))


@access.require(access.PUBLIC)
def status_fee_receipt(request, pk):
    return _receipt_response(_status_dossier(request, pk))


@access.require(access.PUBLIC)
def status_pay(request, pk):
    """POST: start (or take up again) the payment and show the way to the gateway. A GET (the page
    reloaded, or its address opened again) shows the pending payment again; it never opens one."""
    from . import payments

    dossier = _status_dossier(request, pk)
    gateway = payments.get_gateway("sandbox")
    if request.method != "POST":
        payment = payments.pending_payment(dossier, gateway=gateway)
        if payment is None:
            if dossier.paid:
                messages.info(request, _("The fee of this dossier has been paid."))
                return redirect("dossiers:status_detail", pk=pk)
            messages.info(
                request,
                _("No payment is waiting for this dossier. To pay, choose “Pay the fee online”."),
            )
            return redirect(f"{_url('dossiers:status_detail', pk)}#pay-fee")
        messages.info(
            request,
            _("Your payment %(reference)s is still waiting: continue to the gateway to pay it.")
            % {"reference": payment.reference},
        )
    else:
        try:
            payment = payments.start_payment(dossier, gateway=gateway)
        except payments.CallbackRejected as exc:
            messages.error(request, str(exc))
            return redirect("dossiers:status_detail", pk=pk)
    return_url = request.build_absolute_uri(_url("dossiers:status_detail", dossier.pk))
    callback_url = request.build_absolute_uri(_url("dossiers:payment_callback", gateway.name))
    # A link, not a redirect: the CSP's form-action keeps form posts on this site.
    url = gateway.payment_url(payment, return_url=return_url, callback_url=callback_url)
    return render(request, "dossiers/pay.html", {"dossier": dossier, "payment": payment, "gateway_url": url})


@access.require(DOSSIERS_RECONCILER)
def reconciliation(request):
    """Our payment records against the gateway's transaction list of one day; Excel export."""
    from . import payments

    day = _date_param(request.GET.get("day"), timezone.localdate())
    gateway = payments.get_gateway("sandbox")
    report, error = None, ""
    try:
        report = payments.reconciliation(gateway, day)
    except (OSError, ValueError, KeyError, payments.CallbackRejected) as exc:
        error = _("The gateway's transaction list could not be read: %(error)s") % {"error": exc}
    if report and request.GET.get("export") == "xlsx":
        headers = [
            "Mã giao dịch",
            "Mã hồ sơ",
            "Số tiền (hệ thống)",
            "Số tiền (cổng)",
            "Trạng thái (hệ thống)",
        ]
        headers += ["Trạng thái (cổng)", "Kết quả đối soát"]
        rows = [
            [
                r["reference"],
                r["dossier"],
                r["amount_here"],
                r["amount_gateway"],
                r["status_here"],
                r["status_gateway"],
                str(r["outcome_label"]),
            ]
            for r in report["rows"]
        ]
        return xlsx_response(f"doi-soat-thanh-toan-{day:%Y%m%d}.xlsx", "Đối soát thanh toán", headers, rows)
    return render(request, "dossiers/reconciliation.html", {"day": day, "report": report, "error": error})


@csrf_exempt  # a server-to-server notice, authenticated by its HMAC signature instead
@access.require(access.PUBLIC)
@require_POST
def payment_callback(request, gateway):
    from . import payments

    try:
        payments.handle_callback(payments.get_gateway(gateway), request.POST.dict())
    except LookupError as exc:
        raise Http404 from exc
    except payments.CallbackRejected as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse("OK", content_type="text/plain")
