"""Citizen question services: ask → assign → answer → approve → publish (or answer by e-mail).

Every state change goes through `_apply`: permission check (by the caller) → transaction → status
history row → audit event → notifications on commit (apps.core.notifications, written in the same
transaction and delivered after commit).

The answer deadline is PORTAL_QUESTION_ANSWER_WORKDAYS working days (default 10) from receipt,
counted with the core calendar. No legal deadline for answering questions on an agency portal was
confirmed (legal-rules.md has none), so this is a setting, not a rule of law.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.audit.services import record
from apps.core.calendar import workdays
from apps.core.counters.service import next_number
from apps.core.notifications.service import notify

from . import royalties_access as access
from .models import Question, QuestionChange, QuestionStatus

Q = QuestionStatus

# The question's one transition table: action -> (allowed from-states, to-state).
QUESTION_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((), Q.RECEIVED),
    "assign": ((Q.RECEIVED, Q.ASSIGNED), Q.ASSIGNED),
    "answer": ((Q.ASSIGNED,), Q.ANSWERED),
    "return": ((Q.ANSWERED,), Q.ASSIGNED),
    "approve": ((Q.ANSWERED,), Q.APPROVED),
    "publish": ((Q.APPROVED,), Q.PUBLISHED),
    "send_private": ((Q.APPROVED,), Q.ANSWERED_PRIVATELY),
    "unpublish": ((Q.PUBLISHED,), Q.APPROVED),
    "reject": ((Q.RECEIVED, Q.ASSIGNED), Q.REJECTED),
}


def answer_workdays() -> int:
    return int(getattr(settings, "PORTAL_QUESTION_ANSWER_WORKDAYS", 10))


def allowed_actions(question: Question) -> set[str]:
    return {a for a, (sources, _to) in QUESTION_TRANSITIONS.items() if question.status in sources}


def actions_for(user, question: Question) -> set[str]:
    """The actions `user` may take on `question` now (for the detail page)."""
    actions = allowed_actions(question)
    checks = {
        "assign": access.is_office_user,
        "reject": access.is_office_user,
        "publish": access.is_office_user,
        "send_private": access.is_office_user,
        "unpublish": access.is_office_user,
        "answer": lambda u: access.can_answer_question(u, question),
        "approve": lambda u: access.can_approve_question(u, question),
        "return": lambda u: access.can_approve_question(u, question),
    }
    permitted = {action for action in actions if checks[action](user)}
    if "send_private" in permitted and not question.email:
        permitted.discard("send_private")
    return permitted


def _apply(actor, question: Question, action: str, note: str = "", *, allowed=None, **fields) -> Question:
    """Apply `action` on the locked, current row; `allowed(locked)` is the object-level permission."""
    sources, to_status = QUESTION_TRANSITIONS[action]
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if allowed is not None and not allowed(locked):
            raise PermissionDenied
        if sources and locked.status not in sources:
            raise ValidationError(
                _("This action is not possible in the current state."), code="bad_transition"
            )
        from_status = locked.status
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.status = to_status
        locked.save()
        QuestionChange.objects.create(
            question=locked,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            note=note,
        )
        record(
            f"question_{action}", locked, actor=actor, note=note, changes={"status": [from_status, to_status]}
        )
        _notify(action, locked, note)
    question.refresh_from_db()  # the caller's instance follows the change
    return locked


def _notify(action: str, question: Question, note: str) -> None:
    context = {"question": question, "note": note, "url": _public_url(question)}
    if action == "publish" and question.email:
        notify("portal_question_published", recipient=question.email, context=context)
    elif action == "send_private":
        notify("portal_question_answered", recipient=question.email, context=context)
    elif action == "reject" and question.email:
        notify("portal_question_rejected", recipient=question.email, context=context)


def _public_url(question: Question) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return base + question.get_absolute_url()


# ---------------------------------------------------------------- public


def submit(*, asker_name, email, phone, topic, title, body, ip_hash: str = "") -> Question:
    """Record a question from the public site (anti-spam already checked by the form)."""
    if not (email or phone):
        raise ValidationError(_("Give an e-mail address or a phone number so that we can reach you."))
    now = timezone.now()
    with transaction.atomic():
        seq = next_number("portal_question", at=now)
        question = Question.objects.create(
            code=f"HD-{timezone.localtime(now).year}-{seq:05d}",
            asker_name=asker_name,
            email=email,
            phone=phone,
            topic=topic,
            title=title,
            body=body,
            ip_hash=ip_hash,
            submitted_at=now,
            due_at=workdays.add_working_days(workdays.receipt_start(now), answer_workdays()),
        )
        QuestionChange.objects.create(question=question, action="submit", to_status=Q.RECEIVED)
        record("question_submit", question, note=question.title)
        if email:
            notify(
                "portal_question_received",
                recipient=email,
                context={"question": question, "url": _public_url(question)},
            )
    return question


# ---------------------------------------------------------------- staff


def assign(actor, question: Question, unit, note: str = "") -> Question:
    if not access.is_office_user(actor):
        raise PermissionDenied
    if unit is None:
        raise ValidationError({"unit": _("Choose the unit that answers.")})
    return _apply(actor, question, "assign", note or unit.name, unit=unit, assigned_at=timezone.now())


def answer(actor, question: Question, text: str) -> Question:
    if not (text or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    return _apply(
        actor,
        question,
        "answer",
        allowed=lambda q: access.can_answer_question(actor, q),
        answer=text.strip(),
        answered_by=actor,
        answered_at=timezone.now(),
    )


def return_answer(actor, question: Question, note: str) -> Question:
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what must be changed in the answer.")})
    return _apply(actor, question, "return", note, allowed=lambda q: access.can_approve_question(actor, q))


def approve(actor, question: Question, note: str = "") -> Question:
    return _apply(
        actor,
        question,
        "approve",
        note,
        allowed=lambda q: access.can_approve_question(actor, q),
        approved_by=actor,
        approved_at=timezone.now(),
    )


def publish(actor, question: Question, note: str = "") -> Question:
    if not access.is_office_user(actor):
        raise PermissionDenied
    closed = question.closed_at or timezone.now()
    return _apply(actor, question, "publish", note, closed_at=closed)


def unpublish(actor, question: Question, note: str = "") -> Question:
    if not access.is_office_user(actor):
        raise PermissionDenied
    return _apply(actor, question, "unpublish", note)


def send_private(actor, question: Question, note: str = "") -> Question:
    """Answer by e-mail only: the question is not published."""
    if not access.is_office_user(actor):
        raise PermissionDenied
    if not question.email:
        raise ValidationError(_("The asker gave no e-mail address: the answer cannot be sent privately."))
    return _apply(actor, question, "send_private", note, closed_at=timezone.now())


def reject(actor, question: Question, note: str) -> Question:
    if not access.is_office_user(actor):
        raise PermissionDenied
    if not (note or "").strip():
        raise ValidationError({"note": _("Give the reason.")})
    return _apply(actor, question, "reject", note, closed_at=timezone.now())
