"""Demo data of the editorial office: works without portal pages, stays within the 2021 budget
line of 117 million đồng, publishes answered questions, and is idempotent."""

import pytest

from apps.portal import royalties_seed
from apps.portal import services_royalties as rs
from apps.portal.models import (
    PaymentList,
    PaymentListStatus,
    Question,
    QuestionStatus,
    RoyaltyFrame,
    RoyaltyItem,
)
from apps.portal.selectors_questions import search_published_questions

pytestmark = pytest.mark.django_db


def test_seed_without_pages_is_within_the_budget_line_and_idempotent():
    from apps.accounts.demo import seed_foundation

    seed_foundation()
    first = royalties_seed.seed()
    assert first["royalty_items"] >= 60 and first["payment_lists"] == 4
    spending = rs.spending(2021)
    assert spending["budget"].amount == 117_000_000
    assert 0 < spending["paid"] <= spending["committed"] <= 117_000_000
    assert spending["committed"] + spending["draft"] + spending["unlisted"] <= 117_000_000
    assert PaymentList.objects.filter(status=PaymentListStatus.PAID).count() == 3
    frame = RoyaltyFrame.objects.get()
    assert frame.is_demonstration and "MINH HỌA" in frame.note  # never presented as law
    # Every amount is coefficient × 10% × the base salary of 2021.
    assert all(i.base_salary == 1_490_000 for i in RoyaltyItem.objects.all())
    published = Question.objects.filter(status=QuestionStatus.PUBLISHED)
    assert published.count() >= 5 and all(q.answered_at and q.closed_at for q in published)
    assert search_published_questions("nhan hieu", 5)

    counts = (RoyaltyItem.objects.count(), PaymentList.objects.count(), Question.objects.count())
    again = royalties_seed.seed()
    assert again["royalty_items"] == 0 and again["questions"] == 0
    assert (RoyaltyItem.objects.count(), PaymentList.objects.count(), Question.objects.count()) == counts


def test_every_office_screen_renders_on_the_demo_data(client):
    from django.urls import reverse

    from apps.accounts.demo import seed_foundation
    from apps.accounts.models import User
    from conftest import verified_client

    seed_foundation()
    royalties_seed.seed()
    verified_client(client, User.objects.get(username="bientap"))
    plist = PaymentList.objects.filter(status=PaymentListStatus.DRAFT).first()
    paid = PaymentList.objects.filter(status=PaymentListStatus.PAID).first()
    question = Question.objects.filter(status=QuestionStatus.PUBLISHED).first()
    open_question = Question.objects.filter(status=QuestionStatus.RECEIVED).first()
    item = RoyaltyItem.objects.first()
    contributor = item.shares.first().contributor
    urls = [
        reverse("portal:office_questions"),
        reverse("portal:office_questions") + "?status=open&overdue=1&q=nhan+hieu",
        reverse("portal:office_question_stats") + "?year=2021",
        reverse("portal:office_question", args=[question.pk]),
        reverse("portal:office_question", args=[open_question.pk]),
        reverse("portal:office_royalties") + "?year=2021&listed=no",
        reverse("portal:office_royalty_create"),
        reverse("portal:office_royalty", args=[item.pk]),
        reverse("portal:office_royalty_people") + "?start=2021-01-01&end=2021-12-31",
        reverse("portal:office_frames"),
        reverse("portal:office_contributors") + "?q=anh",
        reverse("portal:office_contributor", args=[contributor.pk]),
        reverse("portal:office_payment_lists") + "?year=2021",
        reverse("portal:office_payment_list_create"),
        reverse("portal:office_payment_list", args=[plist.pk]),
        reverse("portal:office_payment_list", args=[paid.pk]),
        reverse("portal:question_list") + "?q=nhan+hieu",
        reverse("portal:question_public", args=[question.code]),
        reverse("portal:question_ask"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    stats = client.get(reverse("portal:office_question_stats") + "?year=2021").content.decode()
    assert "Phòng Quản lý Công nghệ" in stats
    detail = client.get(reverse("portal:office_payment_list", args=[paid.pk])).content.decode()
    assert "Đã thanh toán" in detail or "Paid" in detail
