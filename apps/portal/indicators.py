"""Indicators of the web portal (plan I.V and 5.1: the portal, its royalties, citizen questions).

Each function takes an organisation and a period (start and end dates, inclusive, local time) and
returns named values. The portal is the department's one site: pages and royalties are counted for
the whole portal whatever the organisation; questions are counted for those assigned to a unit in
the organisation's subtree (pass None for every question, assigned or not).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from apps.core import indicators as registry
from apps.core.periods import Period

from .models import PaymentListStatus, Question, RoyaltyItem
from .models.questions import DONE_STATES
from .selectors_questions import time_to_answer


@dataclass(frozen=True)
class PortalFigures:
    items_published: int  # Wagtail pages first published in the period (any page type)
    royalty_items: int  # royalty items of items published in the period
    royalties_valued: int  # VND, their amounts (whatever their payment state)
    royalties_paid: int  # VND, on payment lists paid during the period
    questions_received: int  # questions received in the period
    questions_answered: int  # answers delivered (published or e-mailed) in the period
    questions_answered_on_time: int  # of which by the due time
    on_time_share: Decimal | None  # in %
    average_days_to_answer: Decimal | None  # working days, receipt → answer delivered
    median_days_to_answer: Decimal | None


def items_published(organization, period: Period) -> int:
    from wagtail.models import Page

    start, end = period.bounds()
    return Page.objects.filter(first_published_at__gte=start, first_published_at__lt=end).count()


def royalties_paid(organization, period: Period) -> int:
    total = RoyaltyItem.objects.filter(
        payment_list__status=PaymentListStatus.PAID,
        payment_list__paid_on__gte=period.start,
        payment_list__paid_on__lte=period.end,
    ).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def _questions(organization):
    qs = Question.objects.all()
    if organization is not None:
        qs = qs.filter(unit__path__startswith=organization.path)
    return qs


def questions_answered(organization, period: Period) -> dict:
    """count, on_time, late, average_days, median_days (working days), on_time_share (%)."""
    start, end = period.bounds()
    done = _questions(organization).filter(status__in=DONE_STATES, closed_at__gte=start, closed_at__lt=end)
    return time_to_answer(done)


def figures(organization, period: Period) -> PortalFigures:
    start, end = period.bounds()
    valued = RoyaltyItem.objects.filter(published_on__gte=period.start, published_on__lte=period.end)
    answered = questions_answered(organization, period)
    return PortalFigures(
        items_published=items_published(organization, period),
        royalty_items=valued.count(),
        royalties_valued=int(valued.aggregate(s=Sum("amount"))["s"] or 0),
        royalties_paid=royalties_paid(organization, period),
        questions_received=_questions(organization)
        .filter(submitted_at__gte=start, submitted_at__lt=end)
        .count(),
        questions_answered=answered["answered"],
        questions_answered_on_time=answered["on_time"],
        on_time_share=answered["on_time_share"],
        average_days_to_answer=answered["average_days"],
        median_days_to_answer=answered["median_days"],
    )


# ---------------------------------------------------------------- the registry (DESIGN.md contract)

_figures = registry.shared(figures)


def _publish(key, label, unit, name):
    def fn(organization, period: Period):
        return getattr(_figures(organization, period), name)

    fn.__qualname__ = key
    registry.register(key, label, unit, fn)


_publish(
    "portal.items_published",
    "Tin, bài đăng trên Cổng thông tin điện tử trong kỳ",
    "tin, bài",
    "items_published",
)
_publish("portal.royalties.items", "Tin, bài được tính nhuận bút", "tin, bài", "royalty_items")
_publish("portal.royalties.valued", "Nhuận bút của tin, bài đăng trong kỳ", "đồng", "royalties_valued")
_publish("portal.royalties.paid", "Nhuận bút đã chi trả trong kỳ", "đồng", "royalties_paid")
_publish(
    "portal.questions.received",
    "Câu hỏi của người dân, doanh nghiệp tiếp nhận",
    "câu hỏi",
    "questions_received",
)
_publish("portal.questions.answered", "Câu hỏi đã trả lời", "câu hỏi", "questions_answered")
_publish(
    "portal.questions.answered_on_time", "Câu hỏi trả lời đúng hạn", "câu hỏi", "questions_answered_on_time"
)
_publish("portal.questions.on_time.share", "Tỷ lệ câu hỏi trả lời đúng hạn", "%", "on_time_share")
_publish(
    "portal.questions.average_days_to_answer",
    "Thời gian trả lời trung bình",
    "ngày làm việc",
    "average_days_to_answer",
)


__all__ = ["Period", "PortalFigures", "figures", "items_published", "questions_answered", "royalties_paid"]
