"""Citizen question services: ask → assign → answer → approve → publish (or answer by e-mail).

Every move goes through the question's machine (portal/workflow.py): role and state check →
transaction → effect → status history row → audit event → the asker's mail (apps.core.notifications,
written in the same transaction and delivered after commit). Refusals are ValidationError
(`core.workflow.TransitionError`) or PermissionDenied.

The answer deadline is PORTAL_QUESTION_ANSWER_WORKDAYS working days (default 10) from receipt,
counted with the core calendar. No legal deadline for answering questions on an agency portal was
confirmed (legal-rules.md has none), so this is a setting, not a rule of law.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import workflow
from apps.core.calendar import workdays
from apps.core.counters.service import next_number
from apps.core.notifications.service import notify

from .models import Question
from .workflow import QUESTION, public_url


def answer_workdays() -> int:
    return int(getattr(settings, "PORTAL_QUESTION_ANSWER_WORKDAYS", 10))


def actions_for(user, question: Question) -> set[str]:
    """The actions `user` may take on `question` now (for the detail page)."""
    actions = {t.action for t in QUESTION.allowed(question, user)}
    return actions if question.email else actions - {"send_private"}


# ---------------------------------------------------------------- public


def submit(*, asker_name, email, phone, topic, title, body, ip_hash: str = "") -> Question:
    """Record a question from the public site (anti-spam already checked by the form)."""
    if not (email or phone):
        raise ValidationError(_("Give an e-mail address or a phone number so that we can reach you."))
    now = timezone.now()
    with transaction.atomic():
        seq = next_number("portal_question", at=now)
        question = Question(
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
        workflow.create(question, note=question.title, machine=QUESTION, verb="question_submit")
        if email:
            notify(
                "portal_question_received",
                recipient=email,
                context={"question": question, "url": public_url(question)},
            )
    return question


# ---------------------------------------------------------------- staff


def assign(actor, question: Question, unit, note: str = "") -> Question:
    return workflow.apply(question, "assign", actor, note or getattr(unit, "name", ""), unit=unit)


def answer(actor, question: Question, text: str) -> Question:
    return workflow.apply(question, "answer", actor, text=text)


def return_answer(actor, question: Question, note: str) -> Question:
    return workflow.apply(question, "return", actor, note)


def approve(actor, question: Question, note: str = "") -> Question:
    return workflow.apply(question, "approve", actor, note)


def publish(actor, question: Question, note: str = "") -> Question:
    return workflow.apply(question, "publish", actor, note)


def unpublish(actor, question: Question, note: str = "") -> Question:
    return workflow.apply(question, "unpublish", actor, note)


def send_private(actor, question: Question, note: str = "") -> Question:
    """Answer by e-mail only: the question is not published."""
    return workflow.apply(question, "send_private", actor, note)


def reject(actor, question: Question, note: str) -> Question:
    return workflow.apply(question, "reject", actor, note)
