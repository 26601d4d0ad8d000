"""The dossier state machine (legal-rules A1): one `core.workflow.Machine` and the effect of each move.

Each action lists the states it may start from, the state it leads to (None: stays, or the effect
sets it) and the roles that may take it. `core.workflow.apply` (through `services.act`) is the only
code that changes `Dossier.state`: row lock, version, table and role check, effect, history row,
audit event `dossier_<action>`; the hooks count the move in the statistics ledger and notify.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.calendar import workdays
from apps.core.files.intake import accept_upload
from apps.core.workflow import SYSTEM, TransitionError
from apps.core.workflow import Transition as T
from apps.organizations.models import Membership
from apps.organizations.roles import Role

from . import ledger
from .access import UPLOAD_PURPOSE
from .models import Dossier, DossierDocument, State, StatusChange, SupplementRequest, Timeliness
from .notifications import notify_applicant, notify_next
from .selectors import user_roles_for

S = State
DESK = {Role.ONE_STOP_OFFICER, Role.ADMINISTRATOR}
APPLICANT = "applicant"  # the dossier's own applicant (its account, or a contact the caller verified)
HANDLERS = {Role.LEADER, Role.UNIT_HEAD, Role.ADMINISTRATOR}


def name_of(user) -> str:
    if user is None:
        return ""
    return getattr(user, "full_name", "") or user.get_username()


def _roles(actor, dossier: Dossier) -> set[str]:
    """The roles `actor` holds for this dossier: its staff roles there, and APPLICANT for its account."""
    roles = user_roles_for(actor, dossier)
    if dossier.applicant_user_id and dossier.applicant_user_id == actor.pk:
        roles.add(APPLICANT)
    return roles


# --------------------------------------------------------------------------- step timing
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
    change.step_hours_spent = workdays.working_hours_between(dossier.step_started_at, at)
    change.step_allowance_days = dossier.step_allowance_days
    if dossier.step_allowance_days is not None:
        due = workdays.add_working_days(dossier.step_started_at, dossier.step_allowance_days)
        change.step_timeliness = classify(at, due)
    dossier.step_started_at = None
    dossier.step_allowance_days = None


def _open_step(dossier: Dossier, role: str | None, at: dt.datetime) -> None:
    """Start the clock of the step done by `role` (per-step allowances add up to the deadline)."""
    dossier.step_started_at = at
    dossier.step_allowance_days = next(
        (
            Decimal(str(s.get("allowance_days")))
            for s in dossier.procedure_snapshot.get("steps", [])
            if role and s.get("role") == role
        ),
        None,
    )


def _role_of(user, dossier) -> str | None:
    roles = user_roles_for(user, dossier) if user else set()
    order = (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.ONE_STOP_OFFICER, Role.CLERK)
    return next((role for role in order if role in roles), None)


def _required(note: str, message) -> None:
    if not note.strip():
        raise TransitionError(message)


# --------------------------------------------------------------------------- effects of each action
def _receive(dossier, step):
    dossier.received_at = step.at
    dossier.received_by = dossier.received_by or step.actor
    dossier.clock_start = workdays.receipt_start(step.at)
    days = Decimal(str(dossier.procedure_snapshot.get("processing_days") or 0))
    dossier.due_at = workdays.add_working_days(dossier.clock_start, days)
    dossier.original_due_at = dossier.due_at
    _open_step(dossier, Role.ONE_STOP_OFFICER, step.at)
    step.event = "dossier_received"


def _request_supplement(dossier, step):
    items = [str(i).strip() for i in step.params.get("items", ()) if str(i).strip()]
    if not items:
        raise TransitionError(_("List every missing or incorrect item (form 02)."))
    _required(step.note, _("Give the reason for the supplement request."))
    Stage = SupplementRequest.Stage
    stage = Stage.RECEPTION if dossier.state == State.SUBMITTED else Stage.REVIEW
    if dossier.supplement_requests.filter(stage=stage).exists():
        raise TransitionError(
            _("A supplement has already been requested at this stage; it may be requested once.")
        )
    SupplementRequest.objects.create(
        dossier=dossier,
        stage=stage,
        items=items,
        reason=step.note,
        legal_basis=step.params.get("legal_basis", ""),
        requested_by=step.actor,
        requested_at=step.at,
    )
    if stage == Stage.REVIEW:
        dossier.paused_at = step.at  # the clock stops while the applicant completes the dossier
        _close_step(dossier, step.history, step.at)
    step.event = "dossier_supplement_requested"


def _supplement(dossier, step):
    """Back to where the dossier came from: the reception check, or processing with the clock resumed."""
    request = dossier.supplement_requests.filter(fulfilled_at__isnull=True).last()
    if request is None:
        raise TransitionError(_("No supplement is pending."))
    files = step.params.get("files", ())
    if not files:
        raise TransitionError(_("Attach at least one file."))
    for name, upload in files:
        stored = accept_upload(
            upload, purpose=UPLOAD_PURPOSE, user=step.actor, organization=dossier.organization
        )
        DossierDocument.objects.create(dossier=dossier, name=name, file=stored, is_supplement=True)
    request.fulfilled_at = step.at
    request.save(update_fields=["fulfilled_at"])
    if request.stage == SupplementRequest.Stage.REVIEW:
        if dossier.paused_at and dossier.due_at:
            paused = workdays.working_hours_between(dossier.paused_at, step.at)
            dossier.due_at = workdays.add_working_hours(dossier.due_at, paused)
        dossier.paused_at = None
        dossier.state = State.IN_PROCESS
        _open_step(dossier, _role_of(dossier.current_handler, dossier), step.at)
    else:
        dossier.state = State.SUBMITTED
    step.event = "dossier_supplemented"


def _refuse(dossier, step):
    _required(step.note, _("State the reason for the refusal (form 03)."))
    dossier.reason = step.note
    dossier.resolved_at = step.at


def _transfer(dossier, step):
    unit = step.params.get("unit")
    unit_id = unit.pk if unit is not None else dossier.procedure_snapshot.get("competent_unit_id")
    if not unit_id:
        raise TransitionError(_("Choose the competent unit."))
    _close_step(dossier, step.history, step.at)
    dossier.handling_unit_id = step.history.handed_to_unit_id = unit_id
    _open_step(dossier, Role.LEADER, step.at)


def _assign(dossier, step):
    handler = step.params.get("handler")
    if handler is None:
        raise TransitionError(_("Choose the person to assign."))
    memberships = Membership.objects.filter(user=handler, is_active=True)
    if not memberships.filter(role__in=[Role.UNIT_HEAD, Role.SPECIALIST, Role.LEADER]).exists():
        raise TransitionError(_("This person cannot handle dossiers."))
    _close_step(dossier, step.history, step.at)
    dossier.current_handler = step.history.handed_to = handler
    step.history.handed_to_unit_id = dossier.handling_unit_id
    _open_step(dossier, memberships.values_list("role", flat=True).first(), step.at)


def needs_head_review(dossier) -> bool:
    """The procedure's process has the unit head review the specialist's work and submit it for the
    leader's signature: a unit-head step after the specialist's step (procedures.schema.default_steps,
    "Xem xét, trình ký"). A unit-head step before it is the head's assignment, not a review."""
    roles = [s.get("role") for s in dossier.procedure_snapshot.get("steps", [])]
    if Role.SPECIALIST not in roles:
        return False
    return Role.UNIT_HEAD in roles[roles.index(Role.SPECIALIST) + 1 :]


def _propose(dossier, step):
    if needs_head_review(dossier) and not (
        _roles(step.actor, dossier) & {Role.UNIT_HEAD, Role.ADMINISTRATOR}
    ):
        raise TransitionError(
            _(
                "This procedure has the unit head review the dossier before the leader signs: "
                "submit it to the unit head."
            )
        )
    _close_step(dossier, step.history, step.at)
    dossier.result_summary = step.note or dossier.result_summary
    _open_step(dossier, Role.LEADER, step.at)


def _propose_to_head(dossier, step):
    """The specialist hands the processed dossier and the draft result to the unit head."""
    _close_step(dossier, step.history, step.at)
    dossier.result_summary = step.note or dossier.result_summary
    step.history.handed_to_unit_id = dossier.handling_unit_id
    _open_step(dossier, Role.UNIT_HEAD, step.at)


def _head_submit(dossier, step):
    """The unit head has reviewed it and submits it for the leader's signature."""
    _close_step(dossier, step.history, step.at)
    dossier.result_summary = step.note or dossier.result_summary
    _open_step(dossier, Role.LEADER, step.at)


def _head_return(dossier, step):
    """The unit head sends it back to the specialist, saying what to rework."""
    _required(step.note, _("Say what must be reworked."))
    _close_step(dossier, step.history, step.at)
    step.history.handed_to = dossier.current_handler
    _open_step(dossier, _role_of(dossier.current_handler, dossier), step.at)


def _send_back(dossier, step):
    _required(step.note, _("Say what must be reworked."))
    _close_step(dossier, step.history, step.at)
    _open_step(dossier, _role_of(dossier.current_handler, dossier), step.at)


def _approve(dossier, step):
    _close_step(dossier, step.history, step.at)


def _issue_result(dossier, step):
    from apps.core.counters.service import format_reference
    from apps.core.signing import SigningError

    from . import result_signing
    from .documents import result_pdf
    from .services import RESULT_KEY, ensure_counters

    ensure_counters()
    agency = dossier.organization.agency()
    signed = step.params.get("signed_file")
    verdict = _signed_result(signed) if signed else None  # refused before any number is taken
    # the signed licence's own number, when it comes with one; else the result register's next number
    number = str(step.params.get("result_number") or "").strip()[:64] if signed else ""
    dossier.result_number = number or format_reference(
        RESULT_KEY, organization=agency, at=step.at, org_code=agency.code.upper()
    )
    dossier.resolved_at = step.at
    dossier.result_summary = step.note or dossier.result_summary
    if signed:
        # The licence itself, signed by the competent person: kept byte for byte, not sealed again.
        signed.seek(0)
        dossier.result_file = accept_upload(
            signed, purpose=UPLOAD_PURPOSE, user=step.actor, organization=agency
        )
        step.changes["result_signature"] = [None, verdict.signer]
    else:
        try:
            pdf, _sealed = result_signing.seal(result_pdf(dossier), reference=dossier.result_number)
        except SigningError as exc:
            raise TransitionError(
                _("The result could not be signed with the organisation's key: %(error)s") % {"error": exc}
            ) from exc
        dossier.result_file = accept_upload(
            ContentFile(pdf, name=f"ket-qua-{dossier.code}.pdf"),
            purpose=UPLOAD_PURPOSE,
            user=step.actor,
            organization=agency,
        )
    if dossier.due_at:
        dossier.timeliness = classify(step.at, dossier.due_at)
    step.history.note = step.note or dossier.result_number
    if verdict is not None:
        step.history.note = f"{step.history.note} — " + _("signed result, signature valid: %(signer)s") % {
            "signer": verdict.signer
        }
    step.event = "dossier_result_ready"


def _signed_result(upload):
    """The verdict on an uploaded signed result; an unsigned, altered or untrusted PDF is refused."""
    from . import result_signing

    upload.seek(0)
    data = upload.read(result_signing.MAX_SIGNED_RESULT + 1)
    if len(data) > result_signing.MAX_SIGNED_RESULT:
        raise TransitionError(_("The signed result is too large (10 MB at most)."))
    verdict = result_signing.check(data)
    if not verdict.signed:
        raise TransitionError(
            _(
                "The uploaded result carries no digital signature (%(problem)s). Attach the licence PDF "
                "signed by the competent person, or issue the generated result instead."
            )
            % {"problem": verdict.problem or _("no signature found")}
        )
    if not verdict.ok:
        raise TransitionError(
            _("The signature of the uploaded result does not verify: %(problem)s. The file was not accepted.")
            % {"problem": verdict.problem}
        )
    return verdict


def _return_result(dossier, step):
    dossier.returned_at = step.at
    dossier.return_method = step.params.get("method") or dossier.return_method or "in_person"


def _close(dossier, step):
    dossier.closed_at = step.at


def _extend(dossier, step):
    if dossier.extended:
        raise TransitionError(
            _("The return date has already been re-appointed once; it may be done only once.")
        )
    _required(step.note, _("Give the reason for the delay (form 04)."))
    new_due = step.params.get("new_due")
    if new_due is None or dossier.due_at is None or new_due <= dossier.due_at:
        raise TransitionError(_("The new return date must be after the current one."))
    latest = workdays.add_working_days_to_date(timezone.localtime(dossier.due_at).date(), -1)
    if timezone.localtime(step.at).date() > latest:
        raise TransitionError(
            _("The apology letter must be sent at least one working day before the due date (%(day)s).")
            % {"day": latest.strftime("%d/%m/%Y")}
        )
    dossier.extended = True
    dossier.original_due_at = dossier.original_due_at or dossier.due_at
    dossier.due_at = new_due
    dossier.reason = step.note
    step.event = "dossier_extended"


def _stop(dossier, step):
    _required(step.note, _("Record the applicant's stop request."))
    _close_step(dossier, step.history, step.at)
    dossier.reason = step.note
    dossier.closed_at = step.at


def _not_eligible(dossier, step):
    _required(step.note, _("State why the dossier is not eligible."))
    _close_step(dossier, step.history, step.at)
    dossier.reason = step.note
    dossier.resolved_at = step.at
    if dossier.due_at:
        dossier.timeliness = classify(step.at, dossier.due_at)


def _pay(dossier, step):
    dossier.paid = True
    step.event = "dossier_paid"  # the applicant is told their payment arrived


EFFECTS = {
    "receive": _receive,
    "request_supplement": _request_supplement,
    "supplement": _supplement,
    "refuse": _refuse,
    "transfer": _transfer,
    "assign": _assign,
    "propose": _propose,
    "propose_to_head": _propose_to_head,
    "head_submit": _head_submit,
    "head_return": _head_return,
    "send_back": _send_back,
    "approve": _approve,
    "issue_result": _issue_result,
    "return_result": _return_result,
    "close": _close,
    "extend": _extend,
    "stop": _stop,
    "not_eligible": _not_eligible,
    "pay": _pay,
}


def _named(effect):
    """Every move's history row carries the actor's name (forms 06 and 07 print it)."""

    def run(dossier, step):
        step.history.actor_name = name_of(step.actor)
        if effect is not None:
            effect(dossier, step)

    return run


# --------------------------------------------------------------------------- hooks
def _count(step):
    ledger.count_action(step.obj, step.transition.action, step.at)


def _notify(step):
    """Written in the transaction, delivered after commit (the notifications outbox)."""
    notify_applicant(step.obj, step.event or f"dossier_{step.transition.action}", note=step.note)
    notify_next(step.obj, step.transition.action)


TABLE = [
    T("submit", _("Submit"), {S.DRAFT}, S.SUBMITTED, {APPLICANT, *DESK}),
    T("receive", _("Receive (form 01)"), {S.SUBMITTED}, S.RECEIVED, DESK),
    T(
        "request_supplement",
        _("Request a supplement (form 02)"),
        {S.SUBMITTED, S.IN_PROCESS},
        S.SUPPLEMENT_REQUESTED,
        {*DESK, Role.SPECIALIST, Role.UNIT_HEAD},
    ),
    # back to where it came from (submitted or in process): the effect sets the state
    T("supplement", _("Supplement provided"), {S.SUPPLEMENT_REQUESTED}, None, {APPLICANT, *DESK}),
    T("refuse", _("Refuse (form 03)"), {S.SUBMITTED}, S.REFUSED, DESK),
    T("transfer", _("Transfer to the competent unit"), {S.RECEIVED}, S.IN_PROCESS, DESK),
    T("assign", _("Assign"), {S.IN_PROCESS}, None, HANDLERS),
    T(
        "propose",
        _("Submit for approval"),
        {S.IN_PROCESS},
        S.REVIEW,
        {Role.SPECIALIST, Role.UNIT_HEAD, Role.ADMINISTRATOR},
    ),
    # The unit head's review (the procedure's "Xem xét, trình ký" step): the specialist submits to the
    # head, who submits it for the leader's signature or returns it to the specialist.
    T(
        "propose_to_head",
        _("Submit to the unit head for review"),
        {S.IN_PROCESS},
        S.HEAD_REVIEW,
        {Role.SPECIALIST, Role.ADMINISTRATOR},
    ),
    T(
        "head_submit",
        _("Review and submit for signature"),
        {S.HEAD_REVIEW},
        S.REVIEW,
        {Role.UNIT_HEAD, Role.ADMINISTRATOR},
    ),
    T(
        "head_return",
        _("Return to the specialist"),
        {S.HEAD_REVIEW},
        S.IN_PROCESS,
        {Role.UNIT_HEAD, Role.ADMINISTRATOR},
    ),
    T("send_back", _("Send back for rework"), {S.REVIEW}, S.IN_PROCESS, HANDLERS),
    T("approve", _("Approve"), {S.REVIEW}, S.APPROVED, {Role.LEADER, Role.ADMINISTRATOR}),
    T(
        "issue_result",
        _("Issue the result"),
        {S.APPROVED},
        S.RESULT_READY,
        {Role.SPECIALIST, Role.CLERK, Role.LEADER, Role.ADMINISTRATOR},
    ),
    T("return_result", _("Return the result"), {S.RESULT_READY}, S.RETURNED, DESK),
    T("close", _("Close"), {S.RETURNED}, S.CLOSED, DESK),
    T(
        "extend",
        _("Apologise and extend (form 04)"),
        {S.RECEIVED, S.IN_PROCESS, S.HEAD_REVIEW, S.REVIEW, S.APPROVED},
        None,
        HANDLERS,
    ),
    T(
        "stop",
        _("Stop at the applicant's request (form 05)"),
        {S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.RECEIVED, S.IN_PROCESS, S.HEAD_REVIEW, S.REVIEW},
        S.WITHDRAWN,
        DESK,
    ),
    T(
        "not_eligible",
        _("Not eligible"),
        {S.IN_PROCESS, S.HEAD_REVIEW, S.REVIEW},
        S.NOT_ELIGIBLE,
        {Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER, Role.ADMINISTRATOR},
    ),
    # the gateway's verified notice (payments.handle_callback), whatever the dossier's state
    T("pay", _("Payment notice received"), set(S), None, {SYSTEM}, "dossier_paid"),
]
DOSSIER = workflow.Machine(
    "dossier",
    Dossier,
    TABLE,
    field="state",
    initial={S.DRAFT, S.SUBMITTED},  # a draft saved half-way, or a dossier submitted at once
    terminal={S.REFUSED, S.CLOSED, S.WITHDRAWN, S.NOT_ELIGIBLE},
    history=StatusChange,
    history_fk="dossier",
    version_field="version",
    roles_of=_roles,
    effects={t.action: _named(EFFECTS.get(t.action)) for t in TABLE},
    on_applied=[_count, _notify],
)
TRANSITIONS = DOSSIER.transitions
# The moves a person takes on the pages and the API ("pay" is the gateway's alone).
STAFF_ACTIONS = frozenset(a for a, t in TRANSITIONS.items() if SYSTEM not in t.roles)
