"""The portal's share of a person's data (issue #16), registered with `apps.core.personal_data`:
the questions they asked, and the retention of the askers' contact details.

A question carries no account (anyone may ask on the public site): the signed-in person's questions
are those asked with their account's e-mail address, which an administrator set."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from apps.core.personal_data import Part, PartData, Retention

from .models import Question, QuestionStatus
from .models.questions import DONE_STATES

# Default to be confirmed: no period for citizens' questions was found in Decree 13/2023/NĐ-CP or
# elsewhere (legal-rules.md); administrators set the real one in PERSONAL_DATA_RETENTION_DAYS.
QUESTION_DAYS = 2 * 365
REMOVED_MARK = "—"


def collect(user) -> PartData:
    if not user.email:
        return PartData()
    questions = Question.objects.filter(email__iexact=user.email).select_related("topic").order_by("pk")
    return PartData(
        records=[
            {
                "code": q.code,
                "asked_as": q.asker_name,
                "email": q.email,
                "phone": q.phone,
                "topic": str(q.topic),
                "subject": q.title,
                "question": q.body,
                "submitted_at": q.submitted_at,
                "status": q.get_status_display(),
                "answer": q.answer if q.status in DONE_STATES else "",
                "answered_at": q.closed_at,
            }
            for q in questions
        ]
    )


PART = Part("questions", gettext_lazy("Questions and answers"), collect, order=30)


def finished_before(cutoff: dt.datetime):
    return (
        Question.objects.filter(status__in=(*DONE_STATES, QuestionStatus.REJECTED))
        .exclude(email="", phone="", ip_hash="", asker_name=REMOVED_MARK)
        .annotate(finished_at=Coalesce(F("closed_at"), F("submitted_at")))
        .filter(finished_at__lt=cutoff)
        .order_by("pk")
    )


def purge_question(question: Question) -> list:
    """The asker's name and contact details go; the question, its answer and its dates stay (the
    portal's figures count questions and their timeliness)."""
    Question.objects.filter(pk=question.pk).update(asker_name=REMOVED_MARK, email="", phone="", ip_hash="")
    return []


RETENTION = Retention(
    key="portal.question",
    title=gettext_lazy("Citizen question"),
    default_days=QUESTION_DAYS,
    basis="Default (2 years after the answer), to be confirmed.",
    due=finished_before,
    purge=purge_question,
)
