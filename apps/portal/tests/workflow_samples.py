"""Samples for the walk over every state machine (apps/core/tests/test_workflow_machines.py)."""

import datetime as dt

from django.utils import timezone

from apps.organizations.roles import Role
from apps.portal.models import PaymentList, PaymentListStatus, Question, QuestionTopic


def _question(tree, users):
    question = Question.objects.create(
        code="HD-2026-00001",
        asker_name="Nguyễn Văn Hùng",
        email="hung@example.vn",
        topic=QuestionTopic.objects.create(name="Sở hữu trí tuệ"),
        title="Thời gian cấp văn bằng bảo hộ nhãn hiệu",
        body="Doanh nghiệp tôi nộp đơn đăng ký nhãn hiệu đã 8 tháng.",
        due_at=timezone.now() + dt.timedelta(days=14),
    )
    return question, "assign", users[Role.EDITOR], {"unit": tree["tech"]}


def _payment_list(tree, users):
    plist = PaymentList.objects.create(
        code="NB-2026-001",
        title="Nhuận bút quý I/2026",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        status=PaymentListStatus.APPROVED,
        approved_by=users[Role.LEADER],
    )
    return plist, "reopen", users[Role.LEADER], {}


SAMPLES = {"question": _question, "royalty_list": _payment_list}
