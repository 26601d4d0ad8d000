"""The state machines of technology assessment: surveys, methodology versions, enterprise claims and
bulk imports. `actor=None` is the system (bundled methodologies, the background import)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.notifications.service import notify
from apps.core.workflow import SYSTEM, TransitionError
from apps.core.workflow import Transition as T
from apps.organizations.roles import Role

from . import methodology as definitions
from . import models as m
from .permissions import can_review, can_work_on_survey, is_officer

S, M, C, J = m.SurveyStatus, m.MethodologyStatus, m.ClaimStatus, m.ImportStatus
OWNER = "owner"  # the enterprise account, or the officer who entered the survey on its behalf
REVIEWER = "reviewer"  # an officer of the handling unit, or an approver within their scope
CLAIMANT = "claimant"  # the account asking to be linked to the enterprise
OFFICER = "officer"  # an assessment officer other than the claimant


def _survey_roles(actor, survey) -> set[str]:
    return {role for role, may in ((OWNER, can_work_on_survey), (REVIEWER, can_review)) if may(actor, survey)}


def _submitted(survey, step):
    survey.submitted_at = step.at


def _reviewed(survey, step):
    if step.transition.target == S.RETURNED and not step.note.strip():
        raise TransitionError(_("Write the comments the enterprise must address."))
    survey.reviewed_by, survey.review_note = step.actor, step.note
    step.event = f"techassess_survey_{step.transition.target}"  # the enterprise hears of the review


def _notify_owner(step):
    survey = step.obj
    recipient = (survey.enterprise.owner or survey.created_by) if step.event else None
    if recipient is not None:
        context = {"survey": survey, "enterprise": survey.enterprise, "note": survey.review_note}
        notify(step.event, user=recipient, channel="in_app", context=context)
        notify(step.event, user=recipient, context=context)


SURVEY = workflow.Machine(
    "survey",
    m.Survey,
    [
        T("submit", _("Submit"), {S.DRAFT, S.RETURNED}, S.SUBMITTED, {OWNER}, "survey_submitted"),
        T("return", _("Return for correction"), {S.SUBMITTED}, S.RETURNED, {REVIEWER}, "survey_returned"),
        T("accept", _("Accept"), {S.SUBMITTED}, S.ACCEPTED, {REVIEWER}, "survey_accepted"),
    ],
    initial={S.DRAFT},
    terminal={S.ACCEPTED},
    history=m.SurveyStatusChange,
    history_fk="survey",
    roles_of=_survey_roles,
    effects={"submit": _submitted, "return": _reviewed, "accept": _reviewed},
    on_applied=[_notify_owner],
    refusal=_("A survey that is “%(from)s” cannot become “%(to)s”."),
)


def _activated(obj, step):
    """Only a complete definition is activated; it retires the active version of the same code."""
    problems = definitions.validate(obj.definition)
    if problems:
        raise TransitionError([str(p) for p in problems])
    for previous in m.Methodology.objects.filter(code=obj.code, status=M.ACTIVE):
        workflow.apply(previous, "retire", step.actor, machine=METHODOLOGY, effective_to=obj.effective_from)


def _superseded(obj, step):
    obj.effective_to = step.params.get("effective_to") or timezone.localdate(step.at)


MANAGERS = {Role.ADMINISTRATOR, SYSTEM}
METHODOLOGY = workflow.Machine(
    "methodology",
    m.Methodology,
    [
        T("activate", _("Activate"), {M.DRAFT}, M.ACTIVE, MANAGERS, "methodology_activated"),
        T("retire", _("Retire the methodology"), {M.ACTIVE}, M.RETIRED, MANAGERS, "methodology_retired"),
    ],
    initial={M.DRAFT},
    terminal={M.RETIRED},
    history=m.MethodologyStatusChange,
    history_fk="methodology",
    roles_of=lambda actor, _obj: actor.roles,
    effects={"activate": _activated, "retire": _superseded},
)


def _claim_roles(actor, claim) -> set[str]:
    if claim.user_id == actor.pk:
        return {CLAIMANT}
    return {OFFICER} if is_officer(actor) else set()


def _decided(claim, step):
    if step.transition.target == C.REJECTED and not step.note:
        raise TransitionError(_("Write why the claim is refused."))
    claim.decided_by, claim.decided_at, claim.decision_note = step.actor, step.at, step.note


def _linked(claim, step):
    """The enterprise gets its account; other pending claims on it are refused."""
    enterprise = m.Enterprise.objects.select_for_update().get(pk=claim.enterprise_id)
    if enterprise.owner_id not in (None, claim.user_id):
        raise TransitionError(_("This enterprise has meanwhile been linked to another account."))
    enterprise.owner = claim.user
    enterprise.save(update_fields=["owner"])
    _decided(claim, step)
    step.changes["owner"] = [None, claim.user.get_username()]
    others = m.EnterpriseClaim.objects.filter(enterprise=enterprise, status=C.PENDING).exclude(pk=claim.pk)
    for other in others:
        workflow.apply(other, "refuse", None, LINKED_ELSEWHERE, machine=CLAIM)


LINKED_ELSEWHERE = "Doanh nghiệp đã được liên kết với tài khoản khác."
CLAIM = workflow.Machine(
    "enterprise_claim",
    m.EnterpriseClaim,
    [
        T("verify", _("Verify the code"), {C.PENDING}, C.APPROVED, {CLAIMANT}, "enterprise_claimed"),
        T("confirm", _("Confirm the claim"), {C.PENDING}, C.APPROVED, {OFFICER}, "enterprise_claimed"),
        T("refuse", _("Refuse"), {C.PENDING}, C.REJECTED, {OFFICER, SYSTEM}, "enterprise_claim_refused"),
        T("cancel", _("Cancel"), {C.PENDING}, C.CANCELLED, {CLAIMANT}, "enterprise_claim_cancelled"),
    ],
    initial={C.PENDING},
    terminal={C.APPROVED, C.REJECTED, C.CANCELLED},
    history=m.ClaimStatusChange,
    history_fk="claim",
    roles_of=_claim_roles,
    effects={"verify": _linked, "confirm": _linked, "refuse": _decided},
)


def _ended(job, step):
    job.finished_at = step.at
    job.imported = step.params.get("imported", job.imported)
    errors = step.params.get("errors", job.errors)
    job.errors = sorted(errors, key=lambda e: (e["row"] or 0, e["column"] or ""))


# From "running" too: a lost worker's job is retried (rows already imported are refused).
UNFINISHED = {J.PENDING, J.RUNNING}
IMPORT = workflow.Machine(
    "survey_import",
    m.ImportJob,
    [
        T("start", _("Start the import"), UNFINISHED, J.RUNNING, {SYSTEM}, "surveys_import_running"),
        T("finish", _("Finish the import"), {J.RUNNING}, J.DONE, {SYSTEM}, "surveys_import_done"),
        T("fail", _("Stop the import"), UNFINISHED, J.FAILED, {SYSTEM}, "surveys_import_failed"),
    ],
    initial={J.PENDING},
    terminal={J.DONE, J.FAILED},
    history=m.ImportJobStatusChange,
    history_fk="job",
    effects={"finish": _ended, "fail": _ended},
)
