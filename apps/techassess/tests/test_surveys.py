"""The survey flow through the pages: register, fill over two sittings, submit, return, accept, result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.audit.models import AuditEvent as Event
from apps.core.notifications.models import OutboxMessage
from apps.core.tests.test_files import make_pdf
from apps.organizations.roles import Role
from apps.techassess import services
from apps.techassess.models import AssessmentResult, Enterprise, Survey, SurveyStatus
from conftest import verified_client

from .golden import MID_MECHANICAL

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise_user(make_user):
    return make_user(Role.CITIZEN, username="doanhnghiep")


def section_post(answers, section):
    data = {}
    for q in section["questions"]:
        value = answers.get(q["code"])
        if value is None:
            continue
        data[q["code"]] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return data


def test_register_refuses_a_malformed_tax_code(client, methods, enterprise_user):
    c = verified_client(client, enterprise_user)
    data = {
        "name": "Công ty TNHH Cà phê Ea Tam",
        "tax_code": "600123456",
        "vsic_code": "1077",
        "commune": "Xã Ea Kar",
    }
    response = c.post(reverse("techassess:enterprise_register"), data)
    assert response.status_code == 200
    assert "10 or 13 digits" in response.content.decode() or "10 hoặc 13" in response.content.decode()
    assert not Enterprise.objects.exists()
    data["tax_code"] = "6001234567-001"
    response = c.post(reverse("techassess:enterprise_register"), data)
    enterprise = Enterprise.objects.get()
    assert enterprise.tax_code == "6001234567001" and enterprise.owner == enterprise_user
    assert response.url == reverse("techassess:enterprise_detail", args=[enterprise.pk])


def test_full_flow_with_two_sittings_a_return_and_an_acceptance(client, methods, enterprise_user, users):
    c = verified_client(client, enterprise_user)
    c.post(
        reverse("techassess:enterprise_register"),
        {
            "name": "Công ty CP Cơ khí Buôn Ma Thuột",
            "tax_code": "6000000001",
            "vsic_code": "2592",
            "commune": "Phường Tân An",
        },
    )
    enterprise = Enterprise.objects.get()
    response = c.post(reverse("techassess:survey_start", args=[enterprise.pk]), {"year": 2025})
    survey = Survey.objects.get()
    sections = survey.methodology.definition["sections"]
    assert response.url == reverse("techassess:survey_section", args=[survey.pk, sections[0]["code"]])

    # First sitting: half of the sections, then leave.
    for section in sections[:4]:
        r = c.post(
            reverse("techassess:survey_section", args=[survey.pk, section["code"]]),
            {**section_post(MID_MECHANICAL, section), "save": "1"},
        )
        assert r.status_code == 302
    # A bad value is refused and nothing of that section is stored.
    bad = {**section_post(MID_MECHANICAL, sections[4]), "staff_university": "-3"}
    r = c.post(reverse("techassess:survey_section", args=[survey.pk, sections[4]["code"]]), bad)
    assert r.status_code == 200
    survey.refresh_from_db()
    assert "staff_university" not in survey.answers
    # Submitting now is refused and says what is missing.
    r = c.post(reverse("techassess:survey_submit", args=[survey.pk]), follow=True)
    assert "not answered" in r.content.decode() or "chưa" in r.content.decode()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT

    # Second sitting: the saved answers are shown again, the rest is filled in.
    r = c.get(reverse("techassess:survey_section", args=[survey.pk, sections[0]["code"]]))
    body = r.content.decode()
    assert 'name="employees_total"' in body, body[body.find("page-title") :][:3000]
    i = body.find('name="employees_total"')
    assert 'value="50"' in body, body[i - 300 : i + 300]
    for section in sections[4:]:
        c.post(
            reverse("techassess:survey_section", args=[survey.pk, section["code"]]),
            {**section_post(MID_MECHANICAL, section), "next": "1"},
        )
    upload = SimpleUploadedFile("bao-cao-tai-chinh.pdf", make_pdf("BCTC 2024"))  # intake reads its structure
    c.post(
        reverse("techassess:evidence_upload", args=[survey.pk]), {"file": upload, "description": "BCTC 2024"}
    )
    assert survey.evidence.count() == 1
    c.post(reverse("techassess:survey_submit", args=[survey.pk]))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.SUBMITTED

    # The enterprise cannot accept its own survey.
    assert c.post(reverse("techassess:survey_accept", args=[survey.pk])).status_code == 403

    officer = verified_client(client.__class__(), users[Role.SPECIALIST])
    r = officer.get(reverse("techassess:home"))
    assert "Công ty CP Cơ khí Buôn Ma Thuột" in r.content.decode()
    officer.post(reverse("techassess:survey_return", args=[survey.pk]), {"note": "Bổ sung báo cáo tài chính"})
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.RETURNED and survey.review_note == "Bổ sung báo cáo tài chính"
    assert OutboxMessage.objects.filter(event="techassess_survey_returned").exists()
    r = c.get(reverse("techassess:survey_detail", args=[survey.pk]))
    assert "Bổ sung báo cáo tài chính" in r.content.decode()

    c.post(reverse("techassess:survey_submit", args=[survey.pk]))
    r = officer.post(reverse("techassess:survey_accept", args=[survey.pk]))
    result = AssessmentResult.objects.get()
    assert r.url == reverse("techassess:result_detail", args=[result.pk])
    assert float(result.total) == 60.36 and result.klass == "trung_binh_tien_tien" and result.illustrative
    assert [h.to_state for h in survey.history.all()] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
        "accepted",
    ]
    verbs = set(Event.objects.filter(object_id=str(survey.pk)).values_list("verb", flat=True))
    assert {"survey_submitted", "survey_returned", "survey_accepted", "result_computed"} <= verbs

    page = c.get(reverse("techassess:result_detail", args=[result.pk])).content.decode()
    assert 'id="radar-data"' in page and "Minh họa" in page and "Trung bình tiên tiến" in page
    pdf = c.get(reverse("techassess:result_pdf", args=[result.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "minh-hoa" in pdf["Content-Disposition"]


def test_recompute_creates_a_new_result_and_keeps_the_old(methods, users, make_user):
    owner = make_user(Role.CITIZEN, username="dn2")
    officer = users[Role.SPECIALIST]
    enterprise = services.register_enterprise(
        actor=owner,
        data={"name": "HTX Cà phê", "tax_code": "6000000002", "vsic_code": "1077", "commune": "Xã Ea Kar"},
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    survey.answers = dict(MID_MECHANICAL)
    survey.save()
    services.submit(survey, actor=owner)
    first = services.accept(survey, actor=officer)
    second = services.recompute(survey, actor=officer)
    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.total == second.total and AssessmentResult.objects.count() == 2
    with pytest.raises(Exception):  # noqa: B017 — the owner may not recompute
        services.recompute(survey, actor=owner)


def test_a_survey_of_another_enterprise_is_not_found(client, methods, users, make_user):
    owner = make_user(Role.CITIZEN, username="dn3")
    enterprise = services.register_enterprise(
        actor=owner,
        data={"name": "DN Gỗ", "tax_code": "6000000003", "vsic_code": "1610", "commune": "Xã Ea Kar"},
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    other = verified_client(client, users[Role.CITIZEN])
    assert other.get(reverse("techassess:survey_detail", args=[survey.pk])).status_code == 404
    assert other.get(reverse("techassess:enterprise_detail", args=[enterprise.pk])).status_code == 404
    assert "DN Gỗ" not in other.get(reverse("techassess:home")).content.decode()


def test_invalid_transitions_are_refused(methods, users, make_user):
    owner = make_user(Role.CITIZEN, username="dn4")
    enterprise = services.register_enterprise(
        actor=owner,
        data={"name": "DN4", "tax_code": "6000000004", "vsic_code": "1610", "commune": "Xã Ea Kar"},
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="cannot become"):
        services.accept(survey, actor=users[Role.SPECIALIST])
    with pytest.raises(ValidationError):
        services.start_survey(actor=owner, enterprise=enterprise, year=2024)  # one survey per year
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT and not survey.results.exists()


def test_an_officer_enters_a_survey_on_behalf_of_an_enterprise(methods, users):
    officer = users[Role.SPECIALIST]
    enterprise = services.register_enterprise(
        actor=officer,
        data={"name": "HTX Nông sản", "tax_code": "6000000005", "vsic_code": "1079", "commune": "Xã B"},
    )
    assert enterprise.owner is None
    survey = services.start_survey(actor=officer, enterprise=enterprise, year=2024)
    assert survey.entered_on_behalf
    for section in survey.methodology.definition["sections"]:
        values = {q["code"]: MID_MECHANICAL.get(q["code"]) for q in section["questions"]}
        services.save_section(survey, section["code"], values, actor=officer)
    services.submit(survey, actor=officer)
    result = services.accept(survey, actor=users[Role.UNIT_HEAD])
    assert result.klass and result.methodology == methods["demo"]


def test_the_pdf_report_says_minh_hoa(methods, users, make_user, tmp_path):
    import shutil
    import subprocess

    from apps.techassess import reports

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    owner = make_user(Role.CITIZEN, username="dn6")
    enterprise = services.register_enterprise(
        actor=owner, data={"name": "DN Sáu", "tax_code": "6000000006", "vsic_code": "2592", "commune": "Xã B"}
    )
    survey = services.start_survey(actor=owner, enterprise=enterprise, year=2024)
    survey.answers = dict(MID_MECHANICAL)
    survey.save()
    services.submit(survey, actor=owner)
    result = services.accept(survey, actor=users[Role.SPECIALIST])
    path = tmp_path / "r.pdf"
    path.write_bytes(reports.result_pdf(result))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "MINH HỌA" in text and "60,36" in text and "Trung bình tiên tiến" in text
