"""The main flow through the services, numbering, signing and the bad inputs."""

import datetime as dt

import pytest

from apps.core.files.models import StoredFile
from apps.core.signing import trust_roots, verify_pdf
from apps.documents import services
from apps.documents.models import (
    IncomingDocument,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    OutgoingVersion,
)
from apps.documents.selectors import incoming_for, search
from apps.documents.services import DocumentError

from .conftest import KEY_PASSWORD, SEAL_PASSWORD

pytestmark = pytest.mark.django_db


def _incoming(actors, tree, doc_types, upload=None, **kw):
    data = {
        "organization": tree["agency"],
        "doc_type": doc_types["Công văn"],
        "sender_name": "UBND tỉnh Đắk Lắk",
        "number_symbol": "1234/UBND-KGVX",
        "document_date": dt.date(2022, 3, 1),
        "summary": "Về việc báo cáo kết quả chuyển đổi số",
    }
    data.update(kw)
    return services.register_incoming(actors["clerk"], upload=upload, **data)


def _approved_answer(actors, tree, doc_types, incoming=None):
    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["BC"],
        summary="Kết quả chuyển đổi số năm 2022",
        composition={
            "body": "Sở KH&CN báo cáo như sau.\nNội dung thứ hai.",
            "signer_name": "Đinh Khắc Tuấn",
            "signer_title": "Giám đốc",
            "recipients": "- UBND tỉnh;\n- Lưu: VT.",
        },
        answers=incoming,
    )
    services.submit_for_review(actors["specialist"], draft, reviewers=[actors["head"], actors["leader"]])
    services.review(actors["head"], draft, approve=True, comment="Đồng ý")
    services.review(actors["leader"], draft, approve=True)
    draft.refresh_from_db()
    return draft


def test_full_flow_incoming_assigned_handled_answered_signed_issued(actors, tree, doc_types, pdf_upload):
    incoming = _incoming(actors, tree, doc_types, upload=pdf_upload())
    assert incoming.arrival_number == 1 and incoming.status == IncomingStatus.REGISTERED
    assert "dak lak" in incoming.search_text  # PDF text extracted, without diacritics
    services.submit_to_leader(actors["clerk"], incoming, leader=actors["leader"])
    services.assign_unit(
        actors["leader"],
        incoming,
        lead_unit=tree["tech"],
        cooperating_units=[tree["office"]],
        instruction="Phòng QLCN chủ trì tham mưu",
        deadline=dt.date(2030, 1, 10),
    )
    services.assign_handler(
        actors["head"], incoming, handler=actors["specialist"], instruction="Giao chị Mai"
    )
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.IN_PROGRESS
    assert incoming_for(actors["specialist"]).filter(pk=incoming.pk).exists()

    answer = _approved_answer(actors, tree, doc_types, incoming)
    assert answer.status == OutgoingStatus.APPROVED
    services.number_outgoing(actors["clerk"], answer, on=dt.date(2022, 3, 7))
    answer.refresh_from_db()
    assert answer.number_symbol == "01/BC-SKHCN"
    assert answer.versions.count() == 2  # the composed draft, then the numbered copy

    original = answer.current_version.file
    original_bytes = services.read_bytes(original)
    services.sign_outgoing(actors["leader"], answer, code="code0", key_password=KEY_PASSWORD)
    answer.refresh_from_db()
    assert answer.status == OutgoingStatus.SIGNED and answer.digitally_signed
    assert answer.signed_file.purpose == "signed"
    assert services.read_bytes(original) == original_bytes  # original unchanged, signed copy is new

    services.issue_outgoing(
        actors["clerk"],
        answer,
        internal=[tree["other_unit"]],
        external=["UBND tỉnh Đắk Lắk"],
        code="code1",
        seal_password=SEAL_PASSWORD,
    )
    answer.refresh_from_db()
    assert answer.status == OutgoingStatus.ISSUED and answer.sealed
    reports = verify_pdf(services.read_bytes(answer.signed_file), trust_roots())
    assert [r.verdict for r in reports] == ["valid", "valid"]
    assert reports[0].signer_name == "Đinh Khắc Tuấn"

    delivered = IncomingDocument.objects.get(organization=tree["other_agency"])
    assert delivered.number_symbol == "01/BC-SKHCN" and delivered.arrival_number == 1
    assert delivered.sender_organization == tree["agency"] and delivered.main_file == answer.signed_file
    assert incoming_for(actors["other_clerk"]).filter(pk=delivered.pk).exists()
    assert not incoming_for(actors["other_clerk"]).filter(pk=incoming.pk).exists()
    incoming.refresh_from_db()
    assert incoming.status == IncomingStatus.COMPLETED and incoming.answer == answer
    assert [h.to_state for h in incoming.history.all()] == [
        "registered",
        "submitted",
        "assigned",
        "in_progress",
        "completed",
    ]


def test_numbers_restart_yearly_with_leading_zero_and_cong_van_symbol(actors, tree, doc_types):
    first = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], first, on=dt.date(2021, 12, 30))
    second = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], second, on=dt.date(2021, 12, 31))
    third = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], third, on=dt.date(2022, 1, 3))
    assert [OutgoingDocument.objects.get(pk=d.pk).number_symbol for d in (first, second, third)] == [
        "01/BC-SKHCN",
        "02/BC-SKHCN",
        "01/BC-SKHCN",
    ]
    letter = services.create_draft(
        actors["clerk"],
        drafting_unit=tree["office"],
        doc_type=doc_types["Công văn"],
        summary="Đôn đốc",
        composition={"body": "Nội dung"},
    )
    services.submit_for_review(actors["clerk"], letter, reviewers=[actors["leader"]])
    services.review(actors["leader"], letter, approve=True)
    services.number_outgoing(actors["clerk"], letter, on=dt.date(2022, 1, 4))
    assert OutgoingDocument.objects.get(pk=letter.pk).number_symbol == "02/SKHCN-VP"


def test_number_collision_is_refused_and_nothing_changes(actors, tree, doc_types):
    first = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], first, manual_number=172, on=dt.date(2021, 10, 6))
    second = _approved_answer(actors, tree, doc_types)
    with pytest.raises(DocumentError, match="Số 172 năm 2021 .* đã được dùng"):
        services.number_outgoing(actors["clerk"], second, manual_number=172, on=dt.date(2021, 10, 6))
    second.refresh_from_db()
    assert second.status == OutgoingStatus.APPROVED and second.number is None and second.number_symbol == ""


def test_returned_draft_goes_back_with_a_comment_and_a_new_version(actors, tree, doc_types, pdf_upload):
    draft = services.create_draft(
        actors["specialist"],
        drafting_unit=tree["tech"],
        doc_type=doc_types["TTr"],
        summary="Tờ trình",
        upload=pdf_upload("du-thao.pdf"),
    )
    services.submit_for_review(actors["specialist"], draft, reviewers=[actors["head"]])
    with pytest.raises(DocumentError, match="ghi ý kiến"):
        services.review(actors["head"], draft, approve=False, comment="")
    services.review(actors["head"], draft, approve=False, comment="Sửa lại đoạn 2")
    draft.refresh_from_db()
    assert draft.status == OutgoingStatus.DRAFT
    services.add_version(actors["specialist"], draft, upload=pdf_upload("du-thao-2.pdf"), note="Đã sửa")
    assert list(OutgoingVersion.objects.filter(document=draft).values_list("number", flat=True)) == [1, 2]
    services.submit_for_review(actors["specialist"], draft, reviewers=[actors["head"]])
    services.review(actors["head"], draft, approve=True)
    draft.refresh_from_db()
    assert draft.status == OutgoingStatus.APPROVED
    assert draft.reviews.filter(comment="Sửa lại đoạn 2").exists()


def test_wrong_key_password_or_second_factor_signs_nothing(actors, tree, doc_types):
    doc = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], doc)
    files_before = StoredFile.objects.count()
    with pytest.raises(DocumentError, match="Mã xác thực hai lớp không đúng"):
        services.sign_outgoing(actors["leader"], doc, code="000000", key_password=KEY_PASSWORD)
    with pytest.raises(DocumentError, match="Mật khẩu khóa ký số không đúng"):
        services.sign_outgoing(actors["leader"], doc, code="code2", key_password="sai")
    doc.refresh_from_db()
    assert doc.status == OutgoingStatus.NUMBERED and doc.signed_file is None
    assert StoredFile.objects.count() == files_before


def test_specialist_cannot_sign_and_clerk_cannot_assign(actors, tree, doc_types):
    doc = _approved_answer(actors, tree, doc_types)
    services.number_outgoing(actors["clerk"], doc)
    with pytest.raises(DocumentError):
        services.sign_outgoing(actors["specialist"], doc, code="code0", key_password=KEY_PASSWORD)
    incoming = _incoming(actors, tree, doc_types)
    with pytest.raises(DocumentError):
        services.assign_unit(actors["clerk"], incoming, lead_unit=tree["tech"])
    with pytest.raises(DocumentError, match="Chỉ văn thư"):
        services.register_incoming(
            actors["specialist"],
            organization=tree["agency"],
            doc_type=doc_types["BC"],
            sender_name="A",
            summary="B",
        )


def test_duplicate_incoming_is_warned_and_a_non_pdf_upload_refused(actors, tree, doc_types):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _incoming(actors, tree, doc_types)
    with pytest.raises(DocumentError, match="đã có trong sổ đến"):
        _incoming(actors, tree, doc_types)
    again = _incoming(actors, tree, doc_types, allow_duplicate=True)
    assert again.arrival_number == 2
    fake = SimpleUploadedFile("scan.pdf", b"PK\x03\x04" + b"\0" * 100, content_type="application/pdf")
    count = IncomingDocument.objects.count()
    with pytest.raises(DocumentError):
        _incoming(actors, tree, doc_types, number_symbol="77/X", upload=fake)
    assert IncomingDocument.objects.count() == count


def test_search_is_insensitive_to_diacritics(actors, tree, doc_types):
    _incoming(actors, tree, doc_types, summary="Kế hoạch chuyển đổi số tỉnh Đắk Lắk")
    _incoming(
        actors, tree, doc_types, number_symbol="5/SYT", sender_name="Sở Y tế", summary="Phòng chống dịch"
    )
    qs = incoming_for(actors["clerk"])
    assert search(qs, "dak lak").count() == 1
    assert search(qs, "ĐẮK LẮK").count() == 1
    assert search(qs, "chuyen doi so").count() == 1
    assert search(qs, "phong chong").count() == 1


def test_deadline_reminders_once_a_day(actors, tree, doc_types):
    from apps.core.notifications.models import Channel, NotificationTemplate, OutboxMessage
    from apps.documents.tasks import remind_due_documents

    NotificationTemplate.objects.create(event="document_overdue", channel=Channel.IN_APP, body="Quá hạn")
    doc = _incoming(actors, tree, doc_types)
    services.assign_unit(actors["leader"], doc, lead_unit=tree["tech"], deadline=dt.date(2022, 3, 1))
    services.assign_handler(actors["head"], doc, handler=actors["specialist"])
    assert remind_due_documents(dt.date(2022, 3, 4)) == 1
    assert remind_due_documents(dt.date(2022, 3, 4)) == 0  # not twice the same day
    assert OutboxMessage.objects.filter(recipient_user=actors["specialist"]).count() == 1
