"""Every change to a dossier: permission check → transaction with a row lock → history + audit →
notification (written in the transaction, delivered after commit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core.calendar import workdays
from apps.core.counters.models import CounterDefinition, ResetPeriod
from apps.core.counters.service import format_reference
from apps.core.files.intake import UploadRejected, accept_upload
from apps.core.notifications.service import notify
from apps.organizations.roles import Role

from . import catalogue, ledger, workflow
from .models import (
    Channel,
    DeskSettings,
    Dossier,
    DossierDocument,
    Rating,
    State,
    StatusChange,
    SupplementRequest,
    Timeliness,
)
from .selectors import user_roles_for
from .workflow import APPLICANT, TransitionError

CODE_KEY = "dossier_code"
RESULT_KEY = "dossier_result"
DEFAULT_CODE_FORMAT = "{org_code}-{date}-{seq:04d}"
DEFAULT_RESULT_FORMAT = "{seq:03d}/{yy}/KQ-{org_code}"
UPLOAD_PURPOSE = "dossier_file"


class SubmissionError(ValidationError):
    """Bad input at submission: `message_dict` maps fields (or "__all__") to messages."""


# --------------------------------------------------------------------------- set-up data
def ensure_counters() -> None:
    CounterDefinition.objects.get_or_create(
        key=CODE_KEY,
        defaults={"name": "Mã hồ sơ (Một cửa)", "format": DEFAULT_CODE_FORMAT, "reset": ResetPeriod.DAILY},
    )
    CounterDefinition.objects.get_or_create(
        key=RESULT_KEY,
        defaults={
            "name": "Số kết quả giải quyết hồ sơ",
            "format": DEFAULT_RESULT_FORMAT,
            "reset": ResetPeriod.YEARLY,
        },
    )


def agency_identifier(desk) -> str:
    agency = desk.agency() if hasattr(desk, "agency") else desk
    settings_row = DeskSettings.objects.filter(organization=agency).first()
    return settings_row.agency_identifier if settings_row else agency.code


def _new_code(desk, at: dt.datetime) -> str:
    ensure_counters()
    agency = desk.agency()
    return format_reference(CODE_KEY, organization=agency, at=at, org_code=agency_identifier(desk))


# --------------------------------------------------------------------------- helpers
def _now(at=None) -> dt.datetime:
    return at or timezone.now()


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.get_username()


def _allowance_for(dossier: Dossier, role: str | None) -> Decimal | None:
    """The allowance of the procedure step done by `role` (per-step allowances add up to the deadline)."""
    for step in dossier.procedure_snapshot.get("steps", []):
        if role and step.get("role") == role:
            return Decimal(str(step.get("allowance_days")))
    return None


def classify(finished: dt.datetime, due: dt.datetime) -> str:
    """Early when finished on a day before the due day, on time up to the due moment, late after."""
    if finished > due:
        return Timeliness.LATE
    if timezone.localtime(finished).date() < timezone.localtime(due).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def _close_step(dossier: Dossier, change: StatusChange, at: dt.datetime) -> None:
    """Record on `change` how long the step that ends now took against its allowance."""
    if not dossier.step_started_at:
        return
    spent = workdays.working_hours_between(dossier.step_started_at, at)
    change.step_hours_spent = spent
    change.step_allowance_days = dossier.step_allowance_days
    if dossier.step_allowance_days is not None:
        due = workdays.add_working_days(dossier.step_started_at, dossier.step_allowance_days)
        change.step_timeliness = classify(at, due)
    dossier.step_started_at = None
    dossier.step_allowance_days = None


def _open_step(dossier: Dossier, role: str | None, at: dt.datetime) -> None:
    dossier.step_started_at = at
    dossier.step_allowance_days = _allowance_for(dossier, role)


def _role_of(user, dossier) -> str | None:
    roles = user_roles_for(user, dossier) if user else set()
    for role in (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.ONE_STOP_OFFICER, Role.CLERK):
        if role in roles:
            return role
    return None


def _notify_applicant(dossier: Dossier, event: str, **context) -> None:
    ctx = {"dossier": dossier, "code": dossier.code, "state": dossier.get_state_display(), **context}
    if dossier.applicant_user_id:
        notify(event, user=dossier.applicant_user, context=ctx)
    elif dossier.applicant_email:
        notify(event, recipient=dossier.applicant_email, context=ctx)


def _members(organization_ids, roles) -> list:
    from apps.organizations.models import Membership

    return [
        m.user
        for m in Membership.objects.filter(
            organization_id__in=[i for i in organization_ids if i], role__in=roles, is_active=True
        ).select_related("user")
        if m.user.is_active
    ]


def next_actors(dossier: Dossier, action: str) -> list:
    """The officers who must act next after `action` (they get a "dossier_task" notification)."""
    desk = [dossier.organization_id]
    unit = dossier.handling_unit
    leaders_at = [unit.pk, unit.agency().pk] if unit else [dossier.organization.agency().pk]
    handler = [dossier.current_handler] if dossier.current_handler_id else []
    if action in ("submit", "issue_result") or (action == "supplement" and dossier.state == State.SUBMITTED):
        return _members(desk, [Role.ONE_STOP_OFFICER])
    if action in ("transfer", "propose"):
        return _members(leaders_at, [Role.LEADER])
    if action in ("assign", "send_back", "approve") or action == "supplement":
        return handler
    return []


def _notify_next(dossier: Dossier, action: str) -> None:
    ctx = {"dossier": dossier, "code": dossier.code, "state": dossier.get_state_display()}
    for user in {u.pk: u for u in next_actors(dossier, action)}.values():
        notify("dossier_task", user=user, context=ctx)
        notify("dossier_task", user=user, channel="in_app", context=ctx)


def _may(actor, dossier: Dossier, transition, applicant_verified: bool) -> bool:
    if APPLICANT in transition.roles:
        if applicant_verified:
            return True
        if actor is not None and dossier.applicant_user_id and dossier.applicant_user_id == actor.pk:
            return True
    if actor is None:
        return False
    if actor.is_superuser:
        return True
    return bool(user_roles_for(actor, dossier) & set(transition.roles))


# --------------------------------------------------------------------------- the transition service
def apply(
    dossier_id: int,
    action: str,
    *,
    actor=None,
    expected_version: int | None = None,
    note: str = "",
    at: dt.datetime | None = None,
    applicant_verified: bool = False,
    **params,
) -> Dossier:
    """Apply `action` to the dossier. Raises TransitionError (illegal or stale), PermissionDenied.

    The dossier row is locked (SELECT … FOR UPDATE) and its state and version re-read inside the
    transaction, so of two officers acting at once exactly one wins; the other gets a message.
    """
    at = _now(at)
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
        if expected_version is not None and dossier.version != int(expected_version):
            raise TransitionError(
                _("Someone else has already acted on this dossier (it is now “%(state)s”). Reload the page.")
                % {"state": dossier.get_state_display()}
            )
        transition = workflow.check(action, dossier.state)
        if not _may(actor, dossier, transition, applicant_verified):
            raise PermissionDenied(_("You may not take this action on this dossier."))
        from_state = dossier.state
        change = StatusChange(
            dossier=dossier,
            action=action,
            from_state=from_state,
            to_state=transition.target or from_state,
            actor=actor,
            actor_name=_name(actor),
            at=at,
            note=note,
        )
        effect = EFFECTS.get(action)
        event = None
        if effect:
            event = effect(dossier, change, actor=actor, at=at, note=note, **params)
        if transition.target and action != "supplement":
            dossier.state = transition.target
        change.to_state = dossier.state
        dossier.version += 1
        dossier.save()
        change.save()
        ledger.count_action(dossier, action, at)
        record(
            f"dossier_{action}",
            dossier,
            actor=actor,
            note=note or str(transition.label),
            changes={"state": [from_state, dossier.state]},
        )
        _notify_applicant(dossier, event or f"dossier_{action}", note=note)
        _notify_next(dossier, action)
    return dossier


# --------------------------------------------------------------------------- effects of each action
def _receive(dossier, change, *, actor, at, note, **_kw):
    dossier.received_at = at
    dossier.received_by = dossier.received_by or actor
    dossier.clock_start = workdays.receipt_start(at)
    days = Decimal(str(dossier.procedure_snapshot.get("processing_days") or 0))
    dossier.due_at = workdays.add_working_days(dossier.clock_start, days)
    dossier.original_due_at = dossier.due_at
    _open_step(dossier, Role.ONE_STOP_OFFICER, at)
    return "dossier_received"


def _request_supplement(dossier, change, *, actor, at, note, items=(), legal_basis="", **_kw):
    items = [str(i).strip() for i in items if str(i).strip()]
    if not items:
        raise TransitionError(_("List every missing or incorrect item (form 02)."))
    if not note.strip():
        raise TransitionError(_("Give the reason for the supplement request."))
    stage = (
        SupplementRequest.Stage.RECEPTION
        if dossier.state == State.SUBMITTED
        else SupplementRequest.Stage.REVIEW
    )
    if dossier.supplement_requests.filter(stage=stage).exists():
        raise TransitionError(
            _("A supplement has already been requested at this stage; it may be requested once.")
        )
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=stage,
        items=items,
        reason=note,
        legal_basis=legal_basis,
        requested_by=actor,
        requested_at=at,
    )
    if stage == SupplementRequest.Stage.REVIEW:
        dossier.paused_at = at  # the clock stops while the applicant completes the dossier
        _close_step(dossier, change, at)
    return "dossier_supplement_requested"


def _supplement(dossier, change, *, actor, at, note, files=(), **_kw):
    request = dossier.supplement_requests.filter(fulfilled_at__isnull=True).last()
    if request is None:
        raise TransitionError(_("No supplement is pending."))
    if not files:
        raise TransitionError(_("Attach at least one file."))
    for name, upload in files:
        stored = accept_upload(upload, purpose=UPLOAD_PURPOSE, user=actor, organization=dossier.organization)
        DossierDocument.objects.create(dossier=dossier, name=name, file=stored, is_supplement=True)
    request.fulfilled_at = at
    request.save(update_fields=["fulfilled_at"])
    if request.stage == SupplementRequest.Stage.REVIEW:
        if dossier.paused_at and dossier.due_at:
            paused = workdays.working_hours_between(dossier.paused_at, at)
            dossier.due_at = workdays.add_working_hours(dossier.due_at, paused)
        dossier.paused_at = None
        dossier.state = State.IN_PROCESS
        _open_step(dossier, _role_of(dossier.current_handler, dossier), at)
    else:
        dossier.state = State.SUBMITTED
    return "dossier_supplemented"


def _refuse(dossier, change, *, at, note, **_kw):
    if not note.strip():
        raise TransitionError(_("State the reason for the refusal (form 03)."))
    dossier.reason = note
    dossier.resolved_at = at


def _transfer(dossier, change, *, at, unit=None, **_kw):
    unit_id = unit.pk if unit is not None else dossier.procedure_snapshot.get("competent_unit_id")
    if not unit_id:
        raise TransitionError(_("Choose the competent unit."))
    _close_step(dossier, change, at)
    dossier.handling_unit_id = unit_id
    change.handed_to_unit_id = unit_id
    _open_step(dossier, Role.LEADER, at)


def _assign(dossier, change, *, actor, at, handler=None, **_kw):
    if handler is None:
        raise TransitionError(_("Choose the person to assign."))
    from apps.organizations.models import Membership

    allowed = Membership.objects.filter(
        user=handler,
        is_active=True,
        role__in=[Role.UNIT_HEAD, Role.SPECIALIST, Role.LEADER],
    ).exists()
    if not allowed:
        raise TransitionError(_("This person cannot handle dossiers."))
    _close_step(dossier, change, at)
    dossier.current_handler = handler
    change.handed_to = handler
    change.handed_to_unit_id = dossier.handling_unit_id
    role = Membership.objects.filter(user=handler, is_active=True).values_list("role", flat=True).first()
    _open_step(dossier, role, at)


def _propose(dossier, change, *, at, note, **_kw):
    _close_step(dossier, change, at)
    dossier.result_summary = note or dossier.result_summary
    _open_step(dossier, Role.LEADER, at)


def _send_back(dossier, change, *, at, note, **_kw):
    if not note.strip():
        raise TransitionError(_("Say what must be reworked."))
    _close_step(dossier, change, at)
    _open_step(dossier, _role_of(dossier.current_handler, dossier), at)


def _approve(dossier, change, *, at, **_kw):
    _close_step(dossier, change, at)


def _issue_result(dossier, change, *, actor, at, note, **_kw):
    from .documents import result_pdf

    ensure_counters()
    agency = dossier.organization.agency()
    dossier.result_number = format_reference(
        RESULT_KEY, organization=agency, at=at, org_code=agency.code.upper()
    )
    dossier.resolved_at = at
    dossier.result_summary = note or dossier.result_summary
    from apps.core.signing import SigningError

    from . import result_signing

    try:
        pdf, _sealed = result_signing.seal(result_pdf(dossier), reference=dossier.result_number)
    except SigningError as exc:
        raise TransitionError(
            _("The result could not be signed with the organisation's key: %(error)s") % {"error": exc}
        ) from exc

    class _Named:
        def __init__(self, data, name):
            import io

            self._io = io.BytesIO(data)
            self.name = name
            self.size = len(data)

        def read(self, n=-1):
            return self._io.read(n)

        def chunks(self, size=65536):
            while chunk := self._io.read(size):
                yield chunk

    dossier.result_file = accept_upload(
        _Named(pdf, f"ket-qua-{dossier.code}.pdf"), purpose=UPLOAD_PURPOSE, user=actor, organization=agency
    )
    if dossier.due_at:
        dossier.timeliness = classify(at, dossier.due_at)
    change.note = note or dossier.result_number
    return "dossier_result_ready"


def _return_result(dossier, change, *, at, method=None, **_kw):
    dossier.returned_at = at
    dossier.return_method = method or dossier.return_method or "in_person"


def _close(dossier, change, *, at, **_kw):
    dossier.closed_at = at


def _extend(dossier, change, *, at, note, new_due=None, **_kw):
    if dossier.extended:
        raise TransitionError(
            _("The return date has already been re-appointed once; it may be done only once.")
        )
    if not note.strip():
        raise TransitionError(_("Give the reason for the delay (form 04)."))
    if new_due is None or dossier.due_at is None or new_due <= dossier.due_at:
        raise TransitionError(_("The new return date must be after the current one."))
    due_day = timezone.localtime(dossier.due_at).date()
    latest = workdays.add_working_days_to_date(due_day, -1)
    if timezone.localtime(at).date() > latest:
        raise TransitionError(
            _("The apology letter must be sent at least one working day before the due date (%(day)s).")
            % {"day": latest.strftime("%d/%m/%Y")}
        )
    dossier.extended = True
    dossier.original_due_at = dossier.original_due_at or dossier.due_at
    dossier.due_at = new_due
    dossier.reason = note
    return "dossier_extended"


def _stop(dossier, change, *, at, note, **_kw):
    if not note.strip():
        raise TransitionError(_("Record the applicant's stop request."))
    _close_step(dossier, change, at)
    dossier.reason = note
    dossier.closed_at = at


def _not_eligible(dossier, change, *, at, note, **_kw):
    if not note.strip():
        raise TransitionError(_("State why the dossier is not eligible."))
    _close_step(dossier, change, at)
    dossier.reason = note
    dossier.resolved_at = at
    if dossier.due_at:
        dossier.timeliness = classify(at, dossier.due_at)


EFFECTS = {
    "receive": _receive,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "refuse": _refuse,
    "transfer": _transfer,
    "assign": _assign,
    "propose": _propose,
    "send_back": _send_back,
    "approve": _approve,
    "issue_result": _issue_result,
    "return_result": _return_result,
    "close": _close,
    "extend": _extend,
    "stop": _stop,
    "not_eligible": _not_eligible,
}


# --------------------------------------------------------------------------- creation
APPLICANT_FIELDS = (
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
)


def _check_applicant(applicant: dict, errors: dict) -> dict:
    clean = {k: (applicant.get(k) or "").strip() for k in APPLICANT_FIELDS}
    if not clean["applicant_name"]:
        errors.setdefault("applicant_name", []).append(_("Enter the applicant's name."))
    if not (clean["applicant_phone"] or clean["applicant_email"]):
        errors.setdefault("applicant_phone", []).append(_("Give a phone number or an e-mail address."))
    return clean


def _version_or_error(version_id: int):
    try:
        info = catalogue.get_version(version_id)
    except Exception as exc:  # noqa: BLE001 - any lookup failure is "no such procedure"
        raise SubmissionError({"__all__": [_("This procedure is not available.")]}) from exc
    if info is None:
        raise SubmissionError({"__all__": [_("This procedure is not available.")]})
    return info


def submitter_key(*, client=None, user=None, contact: str = "") -> str:
    """Who submits, as the owner of an idempotency key: an API client, an account (citizen or
    officer), or a verified e-mail address. Empty when nobody is known: then no key is honoured."""
    if client is not None:
        return f"client:{client.pk}"
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None):
        return f"user:{user.pk}"
    contact = (contact or "").strip().lower()
    return f"contact:{contact}" if contact else ""


def find_submission(submitter: str, idempotency_key: str | None) -> Dossier | None:
    """The dossier this submitter already sent under this key; never another submitter's."""
    if not submitter or not idempotency_key:
        return None
    return Dossier.objects.filter(idempotency_scope=submitter, idempotency_key=idempotency_key).first()


def create_dossier(
    *,
    version_id: int,
    desk,
    channel: str,
    applicant: dict,
    form_data: dict,
    uploads: dict,
    actor=None,
    applicant_user=None,
    idempotency_key: str | None = None,
    at: dt.datetime | None = None,
    check_documents: bool = True,
    draft: Dossier | None = None,
    submitter: str | None = None,
) -> Dossier:
    """Create a submitted dossier in one transaction; nothing is kept when anything is wrong.

    `uploads` maps a document code to an uploaded file. Walk-in dossiers may miss documents (the
    reception check then asks for a supplement); online ones must carry every required document.

    A repeated `idempotency_key` from the same `submitter` (see `submitter_key`; by default the
    signed-in `actor` or `applicant_user`) returns the dossier that submitter's first call created.
    The same key from anyone else is a fresh submission; with no known submitter the key is ignored.
    """
    at = _now(at)
    person = actor or applicant_user
    if submitter is None:
        submitter = submitter_key(user=person)
    if not submitter:
        idempotency_key = None
    existing = find_submission(submitter, idempotency_key)
    if existing:
        return existing
    info = _version_or_error(version_id)
    if channel not in info.channels:
        raise SubmissionError(
            {"__all__": [_("This procedure does not accept dossiers through this channel.")]}
        )
    errors: dict[str, list] = {}
    clean_applicant = _check_applicant(applicant, errors)
    try:
        cleaned = catalogue.validate_form(version_id, form_data)
    except ValidationError as exc:
        cleaned = {}
        for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            errors.setdefault(field, []).extend(messages)
    fee = Decimal(0)
    if info.has_fee and not errors:
        try:
            fee = catalogue.compute_fee(version_id, cleaned)
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                errors.setdefault(field, []).extend(messages)
    kept = _draft_files(draft)
    if check_documents:
        for spec in info.documents:
            if spec.required and not uploads.get(spec.code) and not kept.get(spec.code):
                errors.setdefault(f"doc_{spec.code}", []).append(
                    _("Attach “%(name)s”.") % {"name": spec.name}
                )
    if errors:
        raise SubmissionError(errors)

    try:
        with transaction.atomic():
            dossier = Dossier()
            if draft is not None:
                dossier = Dossier.objects.select_for_update().get(pk=draft.pk)
                if dossier.state != State.DRAFT:
                    return dossier  # the same draft submitted twice: one dossier
                dossier.documents.filter(is_supplement=False).delete()
            dossier.organization = desk
            dossier.procedure_version_id = info.version_id
            dossier.procedure_id = info.procedure_id
            dossier.procedure_code = info.code or ""
            dossier.procedure_name = info.name
            dossier.procedure_field = str(info.field or "")
            dossier.legacy_level = info.legacy_level
            dossier.online_level = info.online_level or ""
            dossier.procedure_snapshot = catalogue.snapshot(info)
            dossier.channel = channel
            dossier.applicant_user = applicant_user or dossier.applicant_user
            for key, value in clean_applicant.items():
                setattr(dossier, key, value)
            dossier.form_data = cleaned
            dossier.fee = fee
            dossier.idempotency_key = idempotency_key or None
            dossier.idempotency_scope = submitter if idempotency_key else ""
            dossier.submitted_at = at
            dossier.state = State.SUBMITTED
            dossier.received_by = actor if channel != "online" else None
            dossier.save()
            for spec in info.documents:
                upload = uploads.get(spec.code)
                stored = kept.get(spec.code)
                if upload:
                    try:
                        # The signed-in person who hands the file in: the officer at the desk, or
                        # the citizen submitting online (None only for an API client or a contact).
                        stored = accept_upload(upload, purpose=UPLOAD_PURPOSE, user=person, organization=desk)
                    except UploadRejected as exc:
                        raise SubmissionError({f"doc_{spec.code}": [f"{spec.name}: {exc.message}"]}) from exc
                if stored or channel != "online":
                    DossierDocument.objects.create(
                        dossier=dossier,
                        code=spec.code,
                        name=spec.name,
                        form=spec.form or "",
                        quantity=spec.quantity or 1,
                        file=stored,
                    )
            # The code is taken last: the counter row stays locked only briefly.
            dossier.code = _new_code(desk, at)
            dossier.save(update_fields=["code"])
            StatusChange.objects.create(
                dossier=dossier,
                action="submit",
                from_state=State.DRAFT,
                to_state=State.SUBMITTED,
                actor=actor,
                actor_name=_name(actor) or clean_applicant["applicant_name"],
                at=at,
                note=str(Channel(channel).label),
            )
            ledger.count(dossier, ledger.Kind.SUBMITTED, at)
            record("dossier_submit", dossier, actor=actor, note=dossier.code)
            _notify_applicant(dossier, "dossier_submitted")
            _notify_next(dossier, "submit")
    except IntegrityError:
        existing = find_submission(submitter, idempotency_key)  # the same submitter's twin request won
        if existing:
            return existing
        raise
    return dossier


def _draft_files(draft: Dossier | None) -> dict:
    """The files already uploaded to a draft, by document code."""
    if draft is None or not draft.pk:
        return {}
    return {
        d.code: d.file
        for d in draft.documents.filter(is_supplement=False).exclude(file=None).select_related("file")
    }


def save_draft(
    *,
    version_id: int,
    desk,
    data: dict,
    step: int,
    draft: Dossier | None = None,
    user=None,
    uploads: dict | None = None,
    contact: str = "",
) -> Dossier:
    """Save an online form half-way (save and resume by the draft's resume token).

    The draft belongs to the signed-in account, or else to the verified e-mail `contact`. Files in
    `uploads` (document code → file) are scanned and stored on the draft; one that is refused
    raises SubmissionError and nothing of this step is kept.
    """
    info = _version_or_error(version_id)
    specs = {spec.code: spec for spec in info.documents}
    with transaction.atomic():
        if draft is not None:
            draft = Dossier.objects.select_for_update().get(pk=draft.pk)
        dossier = draft or Dossier(
            organization=desk,
            procedure_version_id=info.version_id,
            procedure_id=info.procedure_id,
            procedure_name=info.name,
            channel="online",
            state=State.DRAFT,
            applicant_user=user if getattr(user, "is_authenticated", False) else None,
        )
        if dossier.state != State.DRAFT:
            raise TransitionError(_("This dossier has already been submitted."))
        for key in APPLICANT_FIELDS:
            if key in data:
                setattr(dossier, key, (data.get(key) or "").strip())
        if contact and not dossier.applicant_user_id:
            dossier.applicant_email = contact  # the verified address is the one that counts
        dossier.form_data = {**dossier.form_data, **data.get("form", {})}
        dossier.draft_step = step
        dossier.save()
        for code, upload in (uploads or {}).items():
            spec = specs.get(code)
            if spec is None or not upload:
                continue
            try:
                stored = accept_upload(upload, purpose=UPLOAD_PURPOSE, user=user, organization=desk)
            except UploadRejected as exc:
                raise SubmissionError({f"doc_{code}": [f"{spec.name}: {exc.message}"]}) from exc
            dossier.documents.filter(code=code, is_supplement=False).delete()
            DossierDocument.objects.create(
                dossier=dossier,
                code=code,
                name=spec.name,
                form=spec.form or "",
                quantity=spec.quantity or 1,
                file=stored,
            )
    return dossier


def check_step(version_id: int, step: int, applicant: dict, form_data: dict) -> dict:
    """The errors of one step of the online form (empty: the step is complete)."""
    errors: dict[str, list] = {}
    if step == 1:
        _check_applicant(applicant, errors)
    elif step == 2:
        try:
            catalogue.validate_form(version_id, form_data)
        except ValidationError as exc:
            for field, messages in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                errors.setdefault(field, []).extend(messages)
    return errors


def rate(dossier: Dossier, *, score: int, comment: str = "", actor=None) -> Rating:
    if dossier.state not in (State.RETURNED, State.CLOSED):
        raise TransitionError(_("The service can be rated once the result has been returned."))
    if not 1 <= int(score) <= 5:
        raise TransitionError(_("Choose a score from 1 to 5."))
    with transaction.atomic():
        if Rating.objects.filter(dossier=dossier).exists():
            raise TransitionError(_("This dossier has already been rated."))
        rating = Rating.objects.create(dossier=dossier, score=int(score), comment=comment)
        record("dossier_rated", dossier, actor=actor, note=f"{score}/5")
    return rating
