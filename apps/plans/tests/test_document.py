"""Acceptance: the 2022 plan generated from the demo data reproduces the reference 172/KH-SKHCN,
in DOCX (read back with python-docx, table cells included) and in PDF (read back with pdftotext);
Part I follows the other modules' data while the plan is a draft and stays frozen once approved.

The reference prints 57,40% for 31 of 54 procedures; 31/54 = 57,407…% rounds to 57,41%, which is
what the procedures indicator computes (apps/procedures/tests/test_demo_indicators.py), so the
generated plan prints 57,41%.
"""

import datetime as dt
import re
import shutil
import subprocess
from io import BytesIO

import pytest

from apps.plans import document, services
from apps.plans.models import PlanStatus

pytestmark = pytest.mark.django_db

PART1 = [
    "Số máy tính được trang bị, sử dụng phục vụ nhiệm vụ chuyên môn: 77 máy",
    "đảm bảo 01 người/01 máy (đạt 100%)",
    "số máy chủ: 05 máy",
    "77/77 máy vi tính đã được kết nối với đường truyền internet tốc độ cao",
    "77/77 máy được cài đặt phần mềm phòng chống mã độc",
    "có 42 máy tính phục vụ cho công tác đào tạo",
    "đã có 97 tài khoản iDesk",
    "29 tài khoản đã được dừng sử dụng",
    "68 tài khoản được sử dụng thường xuyên",
    "đã đăng tải 54 thủ tục hành chính",
    "TTHC ở mức độ 2 là: 31 TTHC (57,41%)",
    "TTHC ở mức độ 3 là: 03 TTHC (5,56%)",
    "TTHC ở mức độ 4 là: 20 TTHC (37,04%)",
    "Một cửa điện tử liên thông: 47 hồ sơ (đến 04/10/2021)",
    "trực tuyến mức độ 2: 13 hồ sơ (27,66%)",
    "trực tuyến mức độ 3: 26 hồ sơ (55,32%)",
    "trực tuyến mức độ 4: 08 hồ sơ (17,02%)",
    "Ngân sách đầu tư cho thiết bị: 150.000.000 đồng",
    "Ngân sách cho phần mềm: 0 đồng",
    "Cổng thông tin điện tử: 117.000.000 đồng",
    "Tổng kinh phí: 267.000.000 đồng",
]
HEADER = [
    "UBND TỈNH ĐẮK LẮK",
    "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số: 172/KH-SKHCN",
    "Đắk Lắk, ngày 06 tháng 10 năm 2021",
    "KẾ HOẠCH",
    "Phần I",
    "ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN KẾ HOẠCH NĂM 2021",
    "Phần II",
    "NỘI DUNG KẾ HOẠCH",
    "Nơi nhận:",
    "- Sở TT&TT;",
    "- Lưu: VT, VP, TTUD (M_08b).",
    "GIÁM ĐỐC",
    "Đinh Khắc Tuấn",
    "DANH MỤC NHIỆM VỤ, DỰ ÁN CHUYỂN ĐỔI SỐ NĂM 2022",
    "(Bằng chữ: Bốn trăm lẻ năm triệu đồng).",
]
APPENDIX = [
    [
        "1",
        "Mua sắm trang thiết bị, hạ tầng mạng nội bộ",
        "Sở KH&CN",
        "Hạ tầng CNTT được nâng cao",
        "2022",
        "135",
        "135",
        "",
        "",
    ],
    [
        "2",
        "Tập huấn, bồi dưỡng hàng năm",
        "Sở KH&CN",
        "Nâng cao trình độ ứng dụng CNTT cho CBCCVC thuộc Sở",
        "2022",
        "20",
        "20",
        "",
        "",
    ],
    [
        "3",
        "Hoạt động thuê dịch vụ ứng dụng CNTT, duy trì website",
        "Trung tâm TT-UD KH&CN - Sở KH&CN",
        "Duy trì hoạt động đường truyền internet, thù lao, nhuận bút của Cổng TTĐT của Sở",
        "2022",
        "150",
        "150",
        "",
        "",
    ],
    [
        "4",
        "Nâng cấp phần mềm đánh giá trình độ công nghệ của doanh nghiệp (theo Thông tư số 17/2019/TT-BKHCN).",
        "P. Quản lý Công nghệ - Sở KH&CN",
        "Đánh giá trình độ công nghệ của doanh nghiệp",
        "2022",
        "100",
        "100",
        "",
        "",
    ],
]


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    from docx import Document

    doc = Document(BytesIO(content))
    tables = [[[c.text.strip() for c in row.cells] for row in t.rows] for t in doc.tables]
    cells = "\n".join(cell for table in tables for row in table for cell in row)
    text = "\n".join(p.text for p in doc.paragraphs) + "\n" + cells
    return text, tables


def pdf_text(content: bytes, tmp_path, *options) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDF back"
    path = tmp_path / "plan.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True, text=True)
    return out.stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def appendix_table(tables):
    return next(t for t in tables if t and t[0][0] == "STT")


def test_docx_reproduces_the_reference_plan(demo):
    plan = demo["plans"][2022]
    assert plan.status == PlanStatus.APPROVED
    text, tables = docx_text(document.to_docx(plan))
    body = flat(text)
    for expected in PART1 + HEADER:
        assert expected in body, expected
    table = appendix_table(tables)
    assert table[2] == [str(i) for i in range(1, 10)]  # the column numbers 1–9
    assert table[3:7] == APPENDIX
    assert table[7][1] == "TỔNG CỘNG" and table[7][5:8] == ["405", "405", ""]
    from docx import Document
    from docx.enum.section import WD_ORIENT

    sections = Document(BytesIO(document.to_docx(plan))).sections
    assert sections[0].orientation == WD_ORIENT.PORTRAIT
    assert sections[-1].orientation == WD_ORIENT.LANDSCAPE  # the appendix


def test_pdf_reproduces_the_reference_plan(demo, tmp_path):
    plan = demo["plans"][2022]
    pdf = document.to_pdf(plan)
    text = flat(pdf_text(pdf, tmp_path))  # reading order: paragraphs, then cell by cell
    for expected in PART1 + HEADER:
        assert expected in text, expected
    for line in APPENDIX:
        assert f"{line[0]} {line[1][:20]}" in text
        assert line[2].split(" - ")[0] in text
    rows = pdf_text(pdf, tmp_path, "-layout").splitlines()  # the table as laid out
    assert any(re.search(r"TỔNG CỘNG\s+405\s+405\s*$", row) for row in rows)
    assert any(re.search(r"^\s*1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s*$", row) for row in rows)


def _dispose_one_computer_and_stop_one_account(users, agency):
    from apps.accounts.models import AccountStatus, User
    from apps.accounts.services import deactivate_account
    from apps.core import workflow
    from apps.itsec.models import Asset, AssetStatus, AssetType

    computer = (
        Asset.objects.filter(asset_type=AssetType.COMPUTER, status=AssetStatus.IN_USE, purpose="work")
        .order_by("code")
        .first()
    )
    workflow.apply(computer, "dispose", users["cntt"], effective_on=dt.date(2021, 9, 1), note="Thanh lý")
    staff = (
        User.objects.filter(username__startswith="cb", status=AccountStatus.ACTIVE)
        .order_by("username")
        .first()
    )
    deactivate_account(
        users["quantri"], staff, reason="transfer", on_date=dt.date(2021, 9, 1), note="Chuyển công tác"
    )


def test_a_draft_follows_the_other_modules_and_an_approved_plan_stays_frozen(demo):
    users = demo["users"]
    approved = demo["plans"][2022]
    draft = services.revise(users["cntt"], approved, note="Điều chỉnh")
    assert draft.status == PlanStatus.DRAFT and draft.version == 2
    before = flat(docx_text(document.to_docx(draft))[0])
    assert "nhiệm vụ chuyên môn: 77 máy" in before and "68 tài khoản" in before

    _dispose_one_computer_and_stop_one_account(users, demo["agency"])

    after = flat(docx_text(document.to_docx(draft))[0])
    assert "nhiệm vụ chuyên môn: 76 máy" in after
    assert "30 tài khoản đã được dừng" in after and "67 tài khoản được sử dụng" in after
    approved.refresh_from_db()
    assert approved.status == PlanStatus.REVISED
    frozen = flat(docx_text(document.to_docx(approved))[0])
    assert "nhiệm vụ chuyên môn: 77 máy" in frozen and "68 tài khoản được sử dụng" in frozen

    # Approving the revision freezes the new figures into that version.
    services.move(users["cntt"], draft, "submit")
    draft = services.move(users["lanhdao"], draft, "approve")
    assert draft.frozen_figures["values"]["itsec.computers.for_work"] == 76


def test_the_background_render_job_produces_the_plan_for_its_agency_only(
    demo, django_capture_on_commit_callbacks, make_user
):
    from apps.core.rendering import jobs
    from apps.core.rendering.models import JobStatus
    from apps.organizations.roles import Role

    plan = demo["plans"][2022]
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(
            "plan_document", user=demo["users"]["lanhdao"], params={"plan": str(plan.pk), "format": "docx"}
        )
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    with job.result.file.open("rb") as fh:
        text = flat(docx_text(fh.read())[0])
    assert "nhiệm vụ chuyên môn: 77 máy" in text and "Bốn trăm lẻ năm triệu đồng" in text
    stranger = make_user(Role.IT_OFFICER, username="cntt-syt", unit="other_agency")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied), django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("plan_document", user=stranger, params={"plan": str(plan.pk), "format": "pdf"})
    job = jobs.RenderJob.objects.filter(requested_by=stranger).get()
    assert job.status == JobStatus.FAILED and job.result is None  # recorded as failed, nothing stored
