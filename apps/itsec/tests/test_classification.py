import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core import workflow
from apps.itsec import services
from apps.itsec.classification import classify, classify_facts
from apps.itsec.models import InformationSystem
from apps.itsec.requirements import checklist, ensure_requirement_sets
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

# (description, facts, expected level, a criterion code that must be among the reasons)
SYSTEMS = [
    (
        "Trang tin nội bộ chỉ đăng thông tin công khai",
        {"kind": "internal", "information": ["public"]},
        1,
        "L1",
    ),
    (
        "Hệ thống quản lý văn bản và điều hành có dữ liệu cá nhân cán bộ",
        {"kind": "internal", "information": ["private", "personal"], "secret_grade": ""},
        2,
        "L2-noi-bo",
    ),
    (
        "Cổng thông tin cung cấp dịch vụ công mức độ 2, 3.000 người dùng",
        {
            "kind": "citizen",
            "information": ["public", "personal"],
            "online_service_level": 2,
            "personal_data_users": 3000,
        },
        2,
        "L2-dvc",
    ),
    (
        "Hệ thống thông tin giải quyết TTHC cấp tỉnh (dịch vụ công toàn trình, 50.000 người dùng)",
        {
            "kind": "citizen",
            "information": ["personal"],
            "online_service_level": 4,
            "personal_data_users": 50000,
        },
        3,
        "L3-dvc",
    ),
    (
        "Mạng LAN và máy chủ của một Sở",
        {"kind": "infrastructure", "information": ["private"], "infrastructure_scope": "agency"},
        2,
        "L2-hatang",
    ),
    (
        "Trung tâm dữ liệu dùng chung của tỉnh",
        {"kind": "infrastructure", "information": ["private"], "infrastructure_scope": "province"},
        3,
        "L3-hatang",
    ),
    (
        "Hệ thống nội bộ xử lý tài liệu Tối mật",
        {"kind": "internal", "information": ["state_secret"], "secret_grade": "toi_mat"},
        4,
        "L4-toimat",
    ),
]


@pytest.mark.parametrize("description,facts,level,criterion", SYSTEMS, ids=[s[0] for s in SYSTEMS])
def test_proposed_level_with_reasons(description, facts, level, criterion):
    proposal = classify_facts(facts)
    assert proposal.level == level, description
    assert criterion in proposal.matched
    assert proposal.reasons and proposal.reasons[0].startswith(f"Cấp độ {level}:")


def test_unconfirmed_criteria_say_so():
    proposal = classify_facts(SYSTEMS[3][1])
    assert "chưa được xác nhận" in proposal.reasons[0]
    assert "chưa được xác nhận" not in classify_facts(SYSTEMS[1][1]).reasons[0]


@pytest.mark.django_db
def test_composite_system_takes_the_highest_component(tree):
    part = factories.system(tree["agency"], name="Thành phần", approved_level=3)
    whole = factories.system(
        tree["agency"], name="Tổng thể", kind="internal", facts={"information": ["public"]}
    )
    whole.components.add(part)
    proposal = classify(whole)
    assert proposal.level == 3 and "thành phần" in proposal.reasons[0]


@pytest.mark.django_db
def test_dossier_docx_and_approval(client, make_user, tree):
    from docx import Document

    it = make_user(Role.IT_OFFICER, username="it")
    system = factories.system(
        tree["tech"], name="Hệ thống một cửa điện tử", kind="citizen", facts=SYSTEMS[3][1], user_count=50000
    )
    services.propose_level(it, system)
    c = verified_client(client, it)
    response = c.get(reverse("itsec:system_dossier", args=[system.pk]))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Đề xuất cấp độ 3" in text and "Thuyết minh phương án" in text
    with pytest.raises(ValidationError):
        workflow.apply(system, "approve", it)  # must be submitted first
    workflow.apply(system, "submit", it, note="233/SKHCN-TTTK", reference="233/SKHCN-TTTK")
    workflow.apply(system, "approve", it, note="QĐ 01/QĐ-SKHCN", reference="QĐ 01/QĐ-SKHCN")
    system.refresh_from_db()
    assert system.approved_level == 3 and system.next_review_on is not None
    ensure_requirement_sets()
    _rs, items = checklist(3)
    _rs2, items2 = checklist(2)
    assert items.count() > items2.count() > 0
    assert all(i.unconfirmed for i in items)
    page = c.get(reverse("itsec:system_detail", args=[system.pk])).content.decode()
    assert "KT-4.2" in page  # a level-3 requirement is listed for the approved level
    assert InformationSystem.objects.count() == 1


@pytest.mark.django_db
def test_self_assessment_with_findings_and_remediation(client, make_user, tree):
    import datetime

    from apps.itsec.models import AssessmentAnswer, RemediationTask, SelfAssessment

    ensure_requirement_sets()
    it = make_user(Role.IT_OFFICER, username="it")
    system = factories.system(tree["tech"], name="iDesk", proposed_level=2, approved_level=2)
    _rs, items = checklist(2)
    c = verified_client(client, it)
    url = reverse("itsec:system_assess", args=[system.pk])
    data = {"performed_on": "2024-06-01", "summary": "Tự kiểm tra định kỳ"}
    for r in items:
        data[f"result-{r.pk}"] = "met"
        data[f"evidence-{r.pk}"] = "Biên bản"
    first = items.first()
    data[f"result-{first.pk}"] = "not_met"
    # A requirement not met without a finding is refused; nothing is saved.
    response = c.post(url, data)
    assert response.status_code == 200 and not SelfAssessment.objects.exists()
    data[f"finding-{first.pk}"] = "Chưa ban hành chính sách"
    data[f"remediation-{first.pk}"] = "Ban hành quy chế ATTT"
    data[f"due-{first.pk}"] = "2024-09-30"
    assert c.post(url, data).status_code == 302
    assessment = SelfAssessment.objects.get()
    assert assessment.answers.count() == items.count()
    assert assessment.answers.filter(result=AssessmentAnswer.Result.NOT_MET).count() == 1
    task = RemediationTask.objects.get()
    assert task.due_on == datetime.date(2024, 9, 30)
    c.post(reverse("itsec:remediation_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_on is not None
    page = c.get(reverse("itsec:system_detail", args=[system.pk])).content.decode()
    assert "Chưa ban hành chính sách" in page
