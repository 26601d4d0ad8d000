"""Citizen questions: the public form with its anti-spam checks, the flow ask → assign → answer →
approve → publish (or answer by e-mail), permissions, deadlines, search and statistics."""

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from apps.core.calendar import workdays
from apps.core.notifications.models import OutboxMessage
from apps.portal import questions_antispam as antispam
from apps.portal import services_questions as qs
from apps.portal.models import Question, QuestionStatus
from apps.portal.selectors_questions import search_published_questions, time_to_answer
from conftest import verified_client

from .test_office_support import *  # noqa: F403 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "mail_templates")]

ASK = reverse("portal:question_ask")


def _form(topic, **overrides):
    data = {
        "asker_name": "Nguyễn Văn Hùng",
        "email": "hung@example.vn",
        "phone": "",
        "topic": topic.pk,
        "title": "Thời gian cấp văn bằng bảo hộ nhãn hiệu",
        "body": "Doanh nghiệp tôi nộp đơn đăng ký nhãn hiệu đã 8 tháng.",
        "website": "",
        "form_token": antispam.issue_token(time.time() - 30),
    }
    data.update(overrides)
    return data


def _ask(topic, **overrides) -> Question:
    return qs.submit(
        asker_name="Nguyễn Văn Hùng",
        email=overrides.get("email", "hung@example.vn"),
        phone=overrides.get("phone", ""),
        topic=topic,
        title=overrides.get("title", "Thời gian cấp văn bằng bảo hộ nhãn hiệu"),
        body="Doanh nghiệp tôi nộp đơn đăng ký nhãn hiệu đã 8 tháng.",
    )


def test_citizen_asks_and_gets_a_code_and_a_deadline(client, topic):
    response = client.post(ASK, _form(topic), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    question = Question.objects.get()
    year = timezone.localtime(question.submitted_at).year
    assert question.code == f"HD-{year}-00001"
    assert question.status == QuestionStatus.RECEIVED
    assert question.ip_hash and "203.0.113.7" not in question.ip_hash
    expected = workdays.add_working_days(workdays.receipt_start(question.submitted_at), 10)
    assert question.due_at == expected
    page = client.get(response["Location"])
    assert question.code in page.content.decode()
    mail = OutboxMessage.objects.get(event="portal_question_received")
    assert mail.recipient == "hung@example.vn" and question.code in mail.subject


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"website": "http://spam.example"}, "the field “Leave this field empty” must stay empty"),
        ({"form_token": "forged"}, "The form could not be verified"),
        ("fresh", "The form was sent too quickly"),
        ("old", "The form has expired"),
    ],
)
def test_spam_is_refused_with_a_clear_message_and_nothing_saved(client, topic, overrides, message):
    if overrides == "fresh":
        overrides = {"form_token": antispam.issue_token()}
    elif overrides == "old":
        overrides = {"form_token": antispam.issue_token(time.time() - 3 * 3600)}
    response = client.post(ASK, _form(topic, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Question.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_rate_limit_per_ip_address(client, topic, settings):
    settings.PORTAL_QUESTION_MAX_PER_HOUR = 2
    for n in range(2):
        assert client.post(ASK, _form(topic, title=f"Câu {n}"), REMOTE_ADDR="198.51.100.1").status_code == 302
    refused = client.post(ASK, _form(topic, title="Câu 3"), REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 400
    assert "Too many questions were sent from your connection in the last hour" in refused.content.decode()
    assert Question.objects.count() == 2
    # Another address is not affected.
    assert client.post(ASK, _form(topic, title="Câu 4"), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_contact_is_required(client, topic):
    response = client.post(ASK, _form(topic, email="", phone=""))
    assert response.status_code == 400
    assert "Give an e-mail address or a phone number" in response.content.decode()
    assert Question.objects.count() == 0


def test_full_flow_to_publication_and_unaccented_search(client, office, topic, tree):
    question = _ask(topic)
    qs.assign(office["editor"], question, tree["tech"])
    question = qs.answer(
        office["specialist"], Question.objects.get(pk=question.pk), "Thời hạn thẩm định là 9 tháng."
    )
    assert question.status == QuestionStatus.ANSWERED
    # Not published yet: the public page does not exist.
    assert client.get(question.get_absolute_url()).status_code == 404
    question = qs.approve(office["leader"], question)
    question = qs.publish(office["editor"], question)
    assert question.status == QuestionStatus.PUBLISHED and question.closed_at

    listing = client.get(reverse("portal:question_list") + "?q=nhan hieu").content.decode()
    assert question.title in listing
    detail = client.get(question.get_absolute_url()).content.decode()
    assert "Thời hạn thẩm định là 9 tháng." in detail and "hung@example.vn" not in detail
    found = search_published_questions("VAN BANG bao ho", limit=5)
    assert [q.code for q in found] == [question.code]
    assert found[0].answered_at and found[0].get_absolute_url().endswith(f"/hoi-dap/{question.code}/")
    assert search_published_questions("khong co", limit=5) == []
    mail = OutboxMessage.objects.get(event="portal_question_published")
    assert question.code in mail.body
    history = list(question.changes.values_list("action", flat=True))
    assert history == ["create", "assign", "answer", "approve", "publish"]


def test_private_answer_is_mailed_and_never_published(client, office, topic, tree):
    question = _ask(topic, title="Công bố hợp quy phân bón")
    qs.assign(office["editor"], question, tree["tech"])
    qs.answer(office["head"], question, "Có, phải công bố hợp quy.")
    qs.approve(office["leader"], Question.objects.get(pk=question.pk))
    question = qs.send_private(office["editor"], Question.objects.get(pk=question.pk))
    assert question.status == QuestionStatus.ANSWERED_PRIVATELY
    mail = OutboxMessage.objects.get(event="portal_question_answered")
    assert mail.recipient == "hung@example.vn" and "Có, phải công bố hợp quy." in mail.body
    assert client.get(question.get_absolute_url()).status_code == 404
    assert search_published_questions("hop quy", 5) == []
    no_mail = _ask(topic, title="Không có thư", email="", phone="0912345678")
    with pytest.raises(ValidationError):
        qs.send_private(office["editor"], no_mail)


def test_permissions_along_the_flow(office, topic, tree):
    question = _ask(topic)
    with pytest.raises(PermissionDenied):  # a specialist does not dispatch questions
        qs.assign(office["specialist"], question, tree["tech"])
    qs.assign(office["editor"], question, tree["tech"])
    question = Question.objects.get(pk=question.pk)
    with pytest.raises(PermissionDenied):  # staff of another unit
        qs.answer(office["other_staff"], question, "…")
    question = qs.answer(office["head"], question, "Trả lời")
    with pytest.raises(PermissionDenied):  # nobody approves their own answer
        qs.approve(office["head"], question)
    with pytest.raises(PermissionDenied):
        qs.approve(office["specialist"], question)
    with pytest.raises(ValidationError):  # the approval comes before publication
        qs.publish(office["editor"], question)
    with pytest.raises(ValidationError):
        qs.return_answer(office["leader"], question, "")
    question = qs.return_answer(office["leader"], question, "Bổ sung căn cứ pháp lý")
    assert question.status == QuestionStatus.ASSIGNED
    with pytest.raises(ValidationError):  # an answer cannot be published from "assigned"
        qs.approve(office["leader"], question)


def test_staff_queue_is_scoped_and_actions_work_through_the_screen(client, office, topic, tree):
    mine = _ask(topic, title="Câu của phòng Quản lý Công nghệ")
    other = _ask(topic, title="Câu của Văn phòng")
    qs.assign(office["editor"], mine, tree["tech"])
    qs.assign(office["editor"], other, tree["office"])

    verified_client(client, office["citizen"])
    assert client.get(reverse("portal:office_questions")).status_code == 403
    verified_client(client, office["specialist"])
    listing = client.get(reverse("portal:office_questions")).content.decode()
    assert mine.title in listing and other.title not in listing
    assert client.get(reverse("portal:office_question", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("portal:office_question", args=[mine.pk]),
        {"action": "answer", "answer-answer": "Phòng trả lời như sau."},
    )
    assert response.status_code == 302
    assert Question.objects.get(pk=mine.pk).status == QuestionStatus.ANSWERED
    # A specialist cannot approve through the screen either.
    client.post(reverse("portal:office_question", args=[mine.pk]), {"action": "approve", "approve-note": ""})
    assert Question.objects.get(pk=mine.pk).status == QuestionStatus.ANSWERED

    verified_client(client, office["editor"])
    everything = client.get(reverse("portal:office_questions") + "?status=open").content.decode()
    assert mine.title in everything and other.title in everything
    export = client.get(reverse("portal:office_questions") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_overdue_flag_and_filter(client, office, topic):
    late = _ask(topic, title="Câu quá hạn")
    Question.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=1))
    _ask(topic, title="Câu còn hạn")
    late.refresh_from_db()
    assert late.is_overdue()
    verified_client(client, office["editor"])
    page = client.get(reverse("portal:office_questions") + "?overdue=1").content.decode()
    assert "Câu quá hạn" in page and "Câu còn hạn" not in page


def test_time_to_answer_statistics(office, topic, tree):
    base = timezone.make_aware(dt.datetime(2026, 3, 2, 8, 0))  # a Monday
    rows = []
    for n, days in enumerate([1, 3, 12]):
        q = _ask(topic, title=f"Câu {n}")
        Question.objects.filter(pk=q.pk).update(
            submitted_at=base,
            due_at=workdays.add_working_days(base, 10),
            status=QuestionStatus.PUBLISHED,
            closed_at=workdays.add_working_days(base, days),
            answered_at=workdays.add_working_days(base, days),
        )
        rows.append(Question.objects.get(pk=q.pk))
    figures = time_to_answer(rows)
    assert figures["answered"] == 3 and figures["on_time"] == 2 and figures["late"] == 1
    assert str(figures["median_days"]) == "3.00"
    assert str(figures["average_days"]) == "5.33"
    assert str(figures["on_time_share"]) == "66.67"


def test_indicators_count_pages_royalties_and_answers(office, topic, tree):
    from wagtail.models import Page

    from apps.portal import indicators

    root = Page.get_first_root_node()
    page = root.add_child(instance=Page(title="Tin 2021", slug="tin-2021"))
    Page.objects.filter(pk=page.pk).update(first_published_at=timezone.make_aware(dt.datetime(2021, 6, 1, 9)))
    q = _ask(topic)
    qs.assign(office["editor"], q, tree["tech"])
    qs.answer(office["specialist"], Question.objects.get(pk=q.pk), "Trả lời")
    qs.approve(office["leader"], Question.objects.get(pk=q.pk))
    qs.publish(office["editor"], Question.objects.get(pk=q.pk))
    assert indicators.items_published(tree["agency"], indicators.Period.year(2021)) == 1
    this_year = indicators.Period.year(timezone.localdate().year)
    figures = indicators.figures(tree["agency"], this_year)
    assert figures.questions_received == 1 and figures.questions_answered == 1
    assert figures.questions_answered_on_time == 1 and figures.royalties_paid == 0
    other = indicators.figures(tree["other_agency"], this_year)
    assert other.questions_answered == 0
