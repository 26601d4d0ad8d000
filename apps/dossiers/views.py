"""Staff pages (inboxes, detail, actions, forms, statistics) and citizen pages (submission, status)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from apps.accounts.roles import Role
from apps.core.export import xlsx_response
from apps.core.pagination import paginate
from apps.organizations.models import Membership

from . import catalogue, documents, indicators, selectors, services
from .access import is_dossier_staff, may_see_statistics
from .models import Dossier, State
from .workflow import TRANSITIONS, TransitionError, actions_from

BOX_TITLES = {
    "desk": _("One-stop desk"),
    "unit_head": _("Unit head"),
    "specialist": _("My dossiers"),
    "leader": _("For the leader"),
    "all": _("All dossiers"),
}


def _require_staff(request):
    if not is_dossier_staff(request.user):
        raise PermissionDenied


def _visible_dossier(request, pk) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.exclude(state=State.DRAFT), pk=pk)
    if not selectors.can_reach(request.user, dossier, "view"):
        raise Http404
    return dossier


# --------------------------------------------------------------------------- staff
@login_required
def inbox(request):
    _require_staff(request)
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
    page = paginate(request, qs)
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


@login_required
def detail(request, pk):
    _require_staff(request)
    dossier = _visible_dossier(request, pk)
    roles = selectors.user_roles_for(request.user, dossier)
    if request.user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    actions = [t for t in actions_from(dossier.state) if set(t.roles) & roles]
    from apps.audit.selectors import timeline

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
        },
    )


def _parse_due(value: str):
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 0)))


@login_required
@require_POST
def act(request, pk, action):
    _require_staff(request)
    dossier = _visible_dossier(request, pk)
    if action not in TRANSITIONS:
        raise Http404
    params = {}
    if action == "request_supplement":
        params["items"] = request.POST.get("items", "").splitlines()
    if action == "assign":
        handler = Membership.objects.filter(user_id=request.POST.get("handler"), is_active=True).first()
        params["handler"] = handler.user if handler else None
    if action == "extend":
        params["new_due"] = _parse_due(request.POST.get("new_due", ""))
    if action == "return_result":
        params["method"] = request.POST.get("method") or "in_person"
    if action == "supplement":
        params["files"] = [(f.name, f) for f in request.FILES.getlist("files")]
    try:
        services.apply(
            dossier.pk,
            action,
            actor=request.user,
            expected_version=request.POST.get("version"),
            note=request.POST.get("note", ""),
            **params,
        )
    except TransitionError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("You may not take this action on this dossier."))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": TRANSITIONS[action].label})
    return redirect("dossiers:detail", pk=dossier.pk)


@login_required
def form_pdf(request, pk, number):
    _require_staff(request)
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


@login_required
def walk_in(request):
    _require_staff(request)
    desk = _desk_for(request.user)
    if desk is None:
        raise PermissionDenied
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


@login_required
def statistics(request):
    if not may_see_statistics(request.user):
        raise PermissionDenied
    year = int(request.GET.get("year") or timezone.localdate().year)
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = selectors.visible(request.user)
    figures = indicators.summary(qs, start, end)
    if request.GET.get("export") == "xlsx":
        rows = [[label, value] for label, value in figures["table"]]
        return xlsx_response(
            f"thong-ke-ho-so-{year}.xlsx", f"Thống kê hồ sơ {year}", ["Chỉ tiêu", "Giá trị"], rows
        )
    overdue = qs.filter(
        state__in=[State.RECEIVED, State.IN_PROCESS, State.REVIEW, State.APPROVED], due_at__lt=timezone.now()
    )
    return render(
        request,
        "dossiers/statistics.html",
        {"year": year, "figures": figures, "chart": figures["chart"], "overdue": overdue[:50]},
    )


# --------------------------------------------------------------------------- citizen: online submission
CONTACT_SESSION = "dossiers_verified_contact"


def _verified_contact(request) -> str | None:
    return request.session.get(CONTACT_SESSION)


def catalogue_list(request):
    q = request.GET.get("q", "")
    try:
        versions = [v for v in catalogue.published_versions(search=q) if "online" in v.channels]
    except Exception:  # noqa: BLE001
        versions = []
    return render(request, "dossiers/online_list.html", {"versions": versions, "q": q})


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


def submit_start(request, procedure_id):
    """The catalogue's "submit online" button: the version in force today, if it accepts online dossiers."""
    info = catalogue.current_version(procedure_id)
    if info is None or "online" not in info.channels:
        raise Http404
    return redirect("dossiers:submit_online", version_id=info.version_id)


def submit_online(request, version_id, token=None):
    user = request.user if request.user.is_authenticated else None
    contact = _verified_contact(request)
    if user is None and not contact:
        return redirect(f"{_url('dossiers:verify_contact')}?next={request.path}")
    draft = None
    if token:
        draft = get_object_or_404(Dossier, resume_token=token, state=State.DRAFT)
        if draft.applicant_user_id and (user is None or draft.applicant_user_id != user.pk):
            raise Http404
    try:
        info = catalogue.get_version(version_id)
    except Exception as exc:  # noqa: BLE001
        raise Http404 from exc
    if "online" not in info.channels:
        raise Http404
    errors = {}
    values = dict(request.POST.items()) if request.method == "POST" else {}
    if draft and request.method != "POST":
        values = {k: getattr(draft, k) for k in services.APPLICANT_FIELDS}
        values.update({f"f_{k}": v for k, v in draft.form_data.items()})
    elif user and request.method != "POST":
        values = {"applicant_name": user.full_name, "applicant_email": user.email}
    elif contact and request.method != "POST":
        values = {"applicant_email": contact}
    if request.method == "POST" and request.POST.get("save_draft"):
        draft = services.save_draft(
            version_id=info.version_id,
            desk=_default_desk(),
            data={**_applicant(request), "form": _form_data(request, info)},
            step=2,
            draft=draft,
            user=user,
        )
        messages.success(
            request,
            _("Saved. Continue later with this address: %(url)s")
            % {
                "url": request.build_absolute_uri(
                    _url("dossiers:resume", info.version_id, draft.resume_token)
                )
            },
        )
        return redirect("dossiers:resume", version_id=info.version_id, token=draft.resume_token)
    if request.method == "POST":
        applicant = _applicant(request)
        if contact and not user:
            applicant["applicant_email"] = contact  # the verified address is the one that counts
        try:
            dossier = services.create_dossier(
                version_id=info.version_id,
                desk=_default_desk(),
                channel="online",
                applicant=applicant,
                form_data=_form_data(request, info),
                uploads=_uploads(request, info),
                applicant_user=user,
                idempotency_key=request.POST.get("idempotency_key") or None,
                draft=draft,
            )
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            request.session.setdefault("dossiers_status_ok", [])
            request.session["dossiers_status_ok"] = [*request.session["dossiers_status_ok"], dossier.pk]
            messages.success(
                request, _("Your dossier was submitted. Its code is %(code)s.") % {"code": dossier.code}
            )
            return redirect(f"{_url('dossiers:status_detail', dossier.pk)}")
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
        },
    )


def _url(name, *args):
    from django.urls import reverse

    return reverse(name, args=args)


# --------------------------------------------------------------------------- citizen: status
LOOKUP_LIMIT = 10  # attempts per IP and per code in LOOKUP_WINDOW seconds
LOOKUP_WINDOW = 15 * 60


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _count(key: str) -> int:
    cache.add(key, 0, LOOKUP_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, LOOKUP_WINDOW)
        return 1


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


def status(request):
    code = (request.POST.get("code") or request.GET.get("ma") or "").strip()
    if request.method == "POST":
        ip_hits = _count(f"dossiers:lookup:ip:{_client_ip(request)}")
        code_hits = _count(f"dossiers:lookup:code:{code.lower()}")
        if ip_hits > LOOKUP_LIMIT or code_hits > LOOKUP_LIMIT:
            messages.error(request, _("Too many attempts. Try again in 15 minutes."))
            return render(request, "dossiers/status_lookup.html", {"code": code}, status=429)
        dossier = Dossier.objects.exclude(state=State.DRAFT).filter(code__iexact=code).first()
        if dossier and _factor_matches(dossier, request.POST.get("factor", "")):
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


def status_detail(request, pk):
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
        },
    )


@require_POST
def status_supplement(request, pk):
    dossier = _status_dossier(request, pk)
    try:
        services.apply(
            dossier.pk,
            "supplement",
            actor=request.user if request.user.is_authenticated else None,
            applicant_verified=True,
            files=[(f.name, f) for f in request.FILES.getlist("files")],
            note=request.POST.get("note", ""),
        )
    except (TransitionError, ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Thank you: the supplement was received."))
    return redirect("dossiers:status_detail", pk=pk)


@require_POST
def status_rate(request, pk):
    dossier = _status_dossier(request, pk)
    try:
        services.rate(
            dossier, score=int(request.POST.get("score") or 0), comment=request.POST.get("comment", "")
        )
    except (TransitionError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("dossiers:status_detail", pk=pk)


def status_result(request, pk):
    dossier = _status_dossier(request, pk)
    if dossier.state not in (State.RESULT_READY, State.RETURNED, State.CLOSED) or not dossier.result_file_id:
        raise Http404
    stored = dossier.result_file
    response = HttpResponse(stored.file.open("rb").read(), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{dossier.code}.pdf"'
    return response


def status_receipt(request, pk):
    dossier = _status_dossier(request, pk)
    if "01" not in documents.available_forms(dossier):
        raise Http404
    response = HttpResponse(documents.form_01(dossier), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    return response


# --------------------------------------------------------------------------- payments
@require_POST
def status_pay(request, pk):
    from . import payments

    dossier = _status_dossier(request, pk)
    gateway = payments.get_gateway("sandbox")
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


@csrf_exempt  # a server-to-server notice, authenticated by its HMAC signature instead
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
