"""The state machines of the editorial office: citizen questions and royalty payment lists.

Office roles (editor, leader, administrator) dispatch, publish and reject questions; the assigned
unit answers and whoever approves for it approves or returns the answer, never their own
(royalties_access). A payment list is approved or reopened by the leader and paid by the office.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import workflow
from apps.core.notifications.service import notify
from apps.core.workflow import Transition as T
from apps.core.workflow import TransitionError

from . import models as m
from . import royalties_access as access

Q, P = m.QuestionStatus, m.PaymentListStatus
OFFICE = access.OFFICE_ROLES
ANSWERER = "answerer"  # staff of the assigned unit
APPROVER = "approver"  # approves for the assigned unit, not their own answer


def public_url(question) -> str:
    return getattr(settings, "SITE_URL", "").rstrip("/") + question.get_absolute_url()


def _question_roles(actor, question) -> set[str]:
    roles = access.roles_of(actor)
    if access.can_answer_question(actor, question):
        roles.add(ANSWERER)
    if access.can_approve_question(actor, question):
        roles.add(APPROVER)
    return roles


def _required(value, field, message):
    if not (value or "").strip():
        raise TransitionError({field: message})


def _assigned(question, step):
    question.unit = step.params.get("unit")
    if question.unit is None:
        raise TransitionError({"unit": _("Choose the unit that answers.")})
    question.assigned_at = step.at


def _answered(question, step):
    question.answer = (step.params.get("text") or "").strip()
    _required(question.answer, "answer", _("Write the answer."))
    question.answered_by, question.answered_at = step.actor, step.at


def _reviewed(question, step):
    if question.answered_by_id and question.answered_by_id == getattr(step.actor, "pk", None):
        raise PermissionDenied  # nobody approves or returns their own answer, a superuser neither
    if step.transition.action == "return":
        _required(step.note, "note", _("Say what must be changed in the answer."))
    else:
        question.approved_by, question.approved_at = step.actor, step.at


def _published(question, step):
    question.closed_at = question.closed_at or step.at


def _sent(question, step):
    if not question.email:
        raise TransitionError(_("The asker gave no e-mail address: the answer cannot be sent privately."))
    question.closed_at = step.at


def _rejected(question, step):
    _required(step.note, "note", _("Give the reason."))
    question.closed_at = step.at


MAILS = {
    "publish": "portal_question_published",
    "send_private": "portal_question_answered",
    "reject": "portal_question_rejected",
}


def _mail_asker(step):
    """Written to the outbox in the move's transaction, delivered after commit."""
    question, event = step.obj, MAILS.get(step.transition.action)
    if event and question.email:
        context = {"question": question, "note": step.note, "url": public_url(question)}
        notify(event, recipient=question.email, context=context)


QUESTION = workflow.Machine(
    "question",
    m.Question,
    [
        T("assign", _("Assign to a unit"), {Q.RECEIVED, Q.ASSIGNED}, Q.ASSIGNED, OFFICE),
        T("answer", _("Write the answer"), {Q.ASSIGNED}, Q.ANSWERED, {ANSWERER}),
        T("return", _("Return the answer"), {Q.ANSWERED}, Q.ASSIGNED, {APPROVER}),
        T("approve", _("Approve the answer"), {Q.ANSWERED}, Q.APPROVED, {APPROVER}),
        T("publish", _("Publish on the portal"), {Q.APPROVED}, Q.PUBLISHED, OFFICE),
        T("send_private", _("Send the answer by e-mail only"), {Q.APPROVED}, Q.ANSWERED_PRIVATELY, OFFICE),
        T("unpublish", _("Withdraw from the portal"), {Q.PUBLISHED}, Q.APPROVED, OFFICE),
        T("reject", _("Do not accept"), {Q.RECEIVED, Q.ASSIGNED}, Q.REJECTED, OFFICE),
    ],
    initial={Q.RECEIVED},
    terminal={Q.ANSWERED_PRIVATELY, Q.REJECTED},
    history=m.QuestionChange,
    history_fk="question",
    roles_of=_question_roles,
    effects={
        "assign": _assigned,
        "answer": _answered,
        "return": _reviewed,
        "approve": _reviewed,
        "publish": _published,
        "send_private": _sent,
        "reject": _rejected,
    },
    on_applied=[_mail_asker],
)


def _approved(plist, step):
    """Refused when the year's approved and paid lists with this one would exceed the budget line."""
    from .services_royalties import budget_check

    if not plist.items.exists():
        raise TransitionError(_("The payment list is empty."))
    check = budget_check(plist)
    if check.exceeds:
        raise TransitionError(check.message(), code="over_budget")
    plist.approved_by, plist.approved_at = step.actor, step.at


def _reopened(plist, step):
    plist.approved_by = plist.approved_at = None


def _paid(plist, step):
    plist.paid_on = step.params.get("paid_on") or timezone.localdate(step.at)
    if plist.paid_on < plist.period_start:
        raise TransitionError({"paid_on": _("The payment date is before the period.")})


PAYMENT_LIST = workflow.Machine(
    "royalty_list",
    m.PaymentList,
    [
        T("approve", _("Approve the list"), {P.DRAFT}, P.APPROVED, access.APPROVER_ROLES),
        T("reopen", _("Reopen as draft"), {P.APPROVED}, P.DRAFT, access.APPROVER_ROLES),
        T("pay", _("Record the payment"), {P.APPROVED}, P.PAID, OFFICE),
    ],
    initial={P.DRAFT},
    terminal={P.PAID},
    history=m.PaymentListChange,
    history_fk="payment_list",
    roles_of=lambda actor, _plist: access.roles_of(actor),
    effects={"approve": _approved, "reopen": _reopened, "pay": _paid},
)
