"""Documents in Vietnamese survive a round trip: PDF through pdftotext, DOCX through python-docx."""

import datetime
import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse

from apps.core.rendering.document import AdministrativeDocument, Section, Signer, Table, to_docx, to_pdf
from apps.core.rendering.xlsx import render_xlsx
from conftest import require_component

SAMPLE_TEXT = "Hệ thống dịch vụ hành chính công iGate được vận hành hiệu quả, Đắk Lắk."


def sample_document() -> AdministrativeDocument:
    return AdministrativeDocument(
        parent_agency="UBND tỉnh Đắk Lắk",
        agency="Sở Khoa học và Công nghệ",
        number_symbol="172/KH-SKHCN",
        doc_type="Kế hoạch",
        summary="Phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2022",
        place="Đắk Lắk",
        date=datetime.date(2021, 10, 6),
        signer=Signer(position="GIÁM ĐỐC", name="Đinh Khắc Tuấn"),
        sections=[
            Section("V. Kinh phí thực hiện", [SAMPLE_TEXT]),
            Section(
                "Phụ lục",
                table=Table(
                    ["STT", "Nhiệm vụ", "Kinh phí"],
                    [[1, "Tập huấn, bồi dưỡng hàng năm", 20], [None, "Tổng cộng", 405]],
                ),
            ),
        ],
        recipients=["Sở TT&TT;", "Lưu: VT, VP, TTUD (M_08b)."],
    )


def pdf_text(pdf: bytes) -> str:
    require_component("pdftotext", shutil.which("pdftotext") is not None, "install Debian's poppler-utils")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def test_pdf_round_trip_keeps_vietnamese_text():
    pdf = to_pdf(sample_document())
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 172/KH-SKHCN",
        "Đắk Lắk, ngày 06 tháng 10 năm 2021",
        "KẾ HOẠCH",
        "Đinh Khắc Tuấn",
        "Tập huấn, bồi dưỡng",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    assert " ".join(SAMPLE_TEXT.split()) in text


def test_pdf_embeds_a_font_with_vietnamese_coverage():
    require_component("pdffonts", shutil.which("pdffonts") is not None, "install Debian's poppler-utils")
    fonts = subprocess.run(
        ["pdffonts", "-"], input=to_pdf(sample_document()), capture_output=True
    ).stdout.decode()
    assert "Liberation" in fonts or "Times" in fonts, fonts


def page_size(pdf: bytes) -> str:
    require_component("pdfinfo", shutil.which("pdfinfo") is not None, "install Debian's poppler-utils")
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return next(line for line in info.splitlines() if line.startswith("Page size:"))


def test_pdf_page_sizes():
    assert "595.27" in page_size(to_pdf(sample_document()))  # A4
    assert "419.52" in page_size(to_pdf(sample_document(), page_size="A5"))


def test_docx_round_trip_and_declared_font():
    from docx import Document

    document = Document(BytesIO(to_docx(sample_document())))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert SAMPLE_TEXT in text
    assert "Đắk Lắk, ngày 06 tháng 10 năm 2021" in cells
    assert "Tập huấn, bồi dưỡng hàng năm" in cells and "405" in cells
    assert "{{" not in text + cells and "{%" not in text + cells  # every tag was rendered
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_xlsx_has_vietnamese_headers_and_number_formats():
    from openpyxl import load_workbook

    content = render_xlsx(
        "Kinh phí",
        ["Nhiệm vụ", "Kinh phí (đồng)", "Ngày"],
        [["Mua sắm trang thiết bị", 135_000_000, datetime.date(2022, 1, 5)]],
    )
    sheet = load_workbook(BytesIO(content)).active
    assert sheet.title == "Kinh phí"
    assert [c.value for c in sheet[1]] == ["Nhiệm vụ", "Kinh phí (đồng)", "Ngày"]
    assert sheet["B2"].value == 135_000_000 and sheet["B2"].number_format == "#,##0"
    assert sheet["C2"].number_format == "DD/MM/YYYY"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx"])
def test_accounts_report_job_runs_and_is_downloadable(client, fmt, django_capture_on_commit_callbacks):
    from apps.accounts.models import User
    from apps.core.demo import seed
    from apps.core.rendering.models import RenderJob
    from apps.organizations.models import Organization
    from conftest import verified_client

    seed()
    leader = User.objects.get(username="lanhdao")
    verified_client(client, leader)
    agency = Organization.objects.get(code="skhcn")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("core:render_start", args=["accounts_report"]),
            {"organization": agency.pk, "year": 2021, "format": fmt},
        )
    job = RenderJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("core:render_job", args=[job.pk])
    assert (job.status, job.progress) == ("done", 100)
    page = client.get(response.url).content.decode()
    assert reverse("core:file_download", args=[job.result.pk]) in page
    download = client.get(reverse("core:file_download", args=[job.result.pk]))
    content = b"".join(download.streaming_content)
    if fmt == "pdf":
        text = pdf_text(content)
        assert (
            "97 tài khoản đã được tạo" in text and "29 tài khoản đã dừng" in text and "68 tài khoản" in text
        )
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        total = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))[-1]
        assert total[1:] == ("Tổng cộng", 97, 17, 12, 0, 68)


@pytest.mark.django_db
def test_other_people_cannot_see_a_render_job(client, users):
    from apps.core.rendering import jobs
    from apps.organizations.roles import Role
    from conftest import verified_client

    agency = users[Role.LEADER].memberships.get().organization
    job = jobs.start(
        "accounts_report", user=users[Role.LEADER], params={"organization": agency.pk, "format": "xlsx"}
    )
    verified_client(client, users[Role.UNIT_HEAD])
    assert client.get(reverse("core:render_job", args=[job.pk])).status_code == 403
    verified_client(client, users[Role.SPECIALIST])
    assert (
        client.post(reverse("core:render_start", args=["accounts_report"]), {"format": "pdf"}).status_code
        == 403
    )
