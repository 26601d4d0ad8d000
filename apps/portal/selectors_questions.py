"""Read access to citizen questions: the public list and search, the staff queue, statistics."""

from __future__ import annotations

import statistics as stats
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.core.calendar import workdays
from apps.core.text import normalize

from . import royalties_access as access
from .models import Question, QuestionStatus
from .models.questions import DONE_STATES, OPEN_STATES


def published_questions(query: str = "") -> QuerySet:
    """Published questions, newest answer first; `query` matches code, subject, question and answer
    whatever the diacritics (every word must occur)."""
    qs = Question.objects.filter(status=QuestionStatus.PUBLISHED).select_related("topic")
    for word in normalize(query).split():
        qs = qs.filter(search_text__contains=word)
    return qs.order_by("-answered_at", "-pk")


def search_published_questions(query: str, limit: int = 20) -> list:
    """Published questions whose text matches `query`, insensitive to diacritics.

    Each item has `title`, `get_absolute_url()` and `answered_at`.
    """
    if not normalize(query):
        return []
    return list(published_questions(query)[:limit])


def questions_for(user) -> QuerySet:
    """The staff queue: the whole queue for the editorial office; otherwise the questions assigned
    to the user's units or to units their scope reaches."""
    from apps.organizations.scoping import Action, restrict

    base = Question.objects.select_related("topic", "unit", "answered_by")
    if access.is_office_user(user):
        return base
    if not access.is_staff_user(user):
        return base.none()
    scope = restrict(user, Action.VIEW)
    visible = Q(unit_id__in=access.unit_ids_of(user))
    if scope.everything:
        return base
    if scope.organization_ids:
        visible |= Q(unit_id__in=scope.organization_ids)
    return base.filter(visible)


def search_staff(qs: QuerySet, query: str) -> QuerySet:
    for word in normalize(query).split():
        qs = qs.filter(Q(search_text__contains=word) | Q(asker_name__icontains=word))
    return qs


def overdue_filter(now=None) -> Q:
    now = now or timezone.now()
    return Q(status__in=OPEN_STATES, due_at__lt=now)


def answer_days(question: Question) -> Decimal | None:
    """Working days from receipt to the answer reaching the asker (publication or e-mail)."""
    if question.closed_at is None or question.status not in DONE_STATES:
        return None
    return workdays.working_days_between(question.submitted_at, question.closed_at)


def time_to_answer(questions) -> dict:
    """Statistics over questions answered: count, average and median working days, on-time share."""
    days, on_time = [], 0
    for q in questions:
        value = answer_days(q)
        if value is None:
            continue
        days.append(value)
        on_time += q.closed_at <= q.due_at
    count = len(days)
    return {
        "answered": count,
        "on_time": on_time,
        "late": count - on_time,
        "average_days": (sum(days) / count).quantize(Decimal("0.01")) if count else None,
        "median_days": Decimal(stats.median(days)).quantize(Decimal("0.01")) if count else None,
        "on_time_share": (Decimal(on_time) * 100 / count).quantize(Decimal("0.01")) if count else None,
    }
