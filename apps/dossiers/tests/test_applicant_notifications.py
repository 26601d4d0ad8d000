"""The applicant is told at every step that concerns them: in their account's notifications
(`/thong-bao/`) and by e-mail to the dossier's contact address (issue #18, point 1)."""

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.notifications.models import OutboxMessage
from apps.dossiers import services
from apps.dossiers.models import Dossier, State
from apps.dossiers.notifications import ensure_templates
from apps.organizations.roles import Role
from conftest import verified_client

from .conftest import APPLICANT, monday_9am
from .test_flow import run_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(make_user, settings):
    settings.LANGUAGE_CODE = "vi"  # messages are rendered in the platform's language
    ensure_templates()
    return make_user(Role.CITIZEN, username="congdan-a")


def in_app(user, event):
    return OutboxMessage.objects.filter(recipient_user=user, channel="in_app", event=event)


def e_mail(event):
    return OutboxMessage.objects.filter(channel="email", event=event, recipient=APPLICANT["applicant_email"])


def told(citizen, event) -> OutboxMessage:
    """The step's in-app message, and its e-mail to the contact address (not the account's)."""
    message = in_app(citizen, event).get()
    mail = e_mail(event).get()
    assert mail.recipient_user == citizen and mail.recipient != citizen.email
    return message


def test_submitted_and_received_tell_the_applicant_and_ask_for_the_fee(submit, users, citizen):
    dossier = submit(applicant_user=citizen)
    assert told(citizen, "dossier_submitted").subject == f"Hồ sơ {dossier.code} đã được nộp"
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER], at=monday_9am())
    received = told(citizen, "dossier_received")
    assert received.subject.startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả ")
    assert "08/12/2026" in received.subject  # the appointed day
    assert "Trạng thái: Đã tiếp nhận" in received.body  # the status in Vietnamese
    assert "thanh toán phí, lệ phí 500.000 đồng" in received.body  # the fee is due
    assert "Hồ sơ của tôi" in received.body
    assert "congdan-a" in e_mail("dossier_received").get().body  # sign in to follow it


def test_a_supplement_request_lists_what_to_bring(submit, users, citizen):
    dossier = submit(applicant_user=citizen)
    services.act(
        dossier.pk,
        "request_supplement",
        actor=users[Role.ONE_STOP_OFFICER],
        items=["Bản sao giấy chứng nhận có chứng thực", "Sơ đồ vị trí đặt thiết bị"],
        note="Bản sao chưa có chứng thực.",
    )
    message = told(citizen, "dossier_supplement_requested")
    assert message.subject == f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện"
    for text in (
        "- Bản sao giấy chứng nhận có chứng thực",
        "- Sơ đồ vị trí đặt thiết bị",
        "Ghi chú: Bản sao chưa có chứng thực.",
        "Việc anh/chị cần làm: bổ sung, hoàn thiện hồ sơ",
        "Trạng thái: Chờ bổ sung",
    ):
        assert text in message.body, text
    assert "- Sơ đồ vị trí đặt thiết bị" in e_mail("dossier_supplement_requested").get().body


def test_a_refusal_tells_the_reason(submit, users, citizen):
    dossier = submit(applicant_user=citizen)
    services.act(
        dossier.pk, "refuse", actor=users[Role.ONE_STOP_OFFICER], note="Không thuộc thẩm quyền của Sở."
    )
    message = told(citizen, "dossier_refuse")
    assert message.subject == f"Hồ sơ {dossier.code} bị từ chối tiếp nhận"
    assert "Không thuộc thẩm quyền của Sở." in message.body


def test_not_eligible_tells_the_reason(submit, users, tree, citizen):
    dossier = run_to(submit(applicant_user=citizen), users, State.IN_PROCESS, tree)
    services.act(dossier.pk, "not_eligible", actor=users[Role.LEADER], note="Thiết bị chưa kiểm định.")
    message = told(citizen, "dossier_not_eligible")
    assert "không đủ điều kiện" in message.subject and "Thiết bị chưa kiểm định." in message.body


def test_result_ready_and_returned_tell_what_to_do(submit, users, tree, citizen):
    dossier = run_to(submit(applicant_user=citizen), users, State.RESULT_READY, tree)
    assert dossier.state == State.RESULT_READY
    ready = told(citizen, "dossier_result_ready")
    assert ready.subject == f"Hồ sơ {dossier.code} đã có kết quả"
    assert "nhận kết quả tại Bộ phận Một cửa hoặc tải kết quả điện tử" in ready.body
    run_to(Dossier.objects.get(pk=dossier.pk), users, State.RETURNED, tree)
    returned = told(citizen, "dossier_return_result")
    assert "đánh giá mức độ hài lòng" in returned.body


def test_the_payment_received_is_confirmed(submit, citizen):
    dossier = submit(applicant_user=citizen)
    services.act(dossier.pk, "pay", note="SBX1")  # the gateway's verified notice
    assert told(citizen, "dossier_paid").subject == f"Đã nhận phí, lệ phí của hồ sơ {dossier.code}"


def test_internal_hand_overs_stay_out_of_the_citizens_inbox(submit, users, tree, citizen):
    run_to(submit(applicant_user=citizen), users, State.REVIEW, tree)
    events = set(
        OutboxMessage.objects.filter(recipient_user=citizen, channel="in_app").values_list("event", flat=True)
    )
    assert events == {"dossier_submitted", "dossier_received"}


def test_an_applicant_without_account_gets_e_mail_only(submit, users, citizen):
    dossier = submit()
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    assert e_mail("dossier_received").count() == 1
    assert (
        not OutboxMessage.objects.filter(channel="in_app", event__startswith="dossier_")
        .exclude(event="dossier_task")
        .exists()
    )


def test_an_account_without_contact_e_mail_is_written_to_its_own_address(submit, users, citizen):
    dossier = submit(applicant_user=citizen, applicant={**APPLICANT, "applicant_email": ""})
    services.act(dossier.pk, "receive", actor=users[Role.ONE_STOP_OFFICER])
    mails = OutboxMessage.objects.filter(channel="email", event="dossier_received", recipient=citizen.email)
    assert mails.count() == 1


def test_the_messages_reach_the_citizens_notifications_page(
    client, submit, users, citizen, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submit(applicant_user=citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.act(
            dossier.pk,
            "request_supplement",
            actor=users[Role.ONE_STOP_OFFICER],
            items=["Bản sao giấy chứng nhận có chứng thực"],
            note="Bản sao chưa có chứng thực.",
        )
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        html = verified_client(client, citizen).get(reverse("core:inbox")).content.decode()
    assert f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện" in html
    assert f"Hồ sơ {dossier.code} đã được nộp" in html
    assert "Bản sao giấy chứng nhận có chứng thực" in html
