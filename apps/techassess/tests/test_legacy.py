"""Results under the repealed Circular 04/2014 (T, H, I, O): imported as recorded from Excel or CSV,
errors by row and column, shown apart from the new results and clearly labelled."""

import io
import shutil
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.organizations.roles import Role
from apps.techassess import legacy, services
from apps.techassess.models import Enterprise, LegacyResult
from conftest import verified_client

from .golden import MID_MECHANICAL

pytestmark = pytest.mark.django_db

HEADER = "tax_code;name;vsic_code;commune;year;T;H;I;O;total;tcc;level;note"
CSV_ROWS = [
    "6000555001;Công ty TNHH Gạch Tuynel Krông Pắc;2392;Xã Krông Pắc;2016;18,5;12;9;14;53,5;0,512;"
    "Trung bình;Báo cáo 2016",
    "6000555002;;;;2016;10;8;;;;;lạc hậu;",  # new enterprise without name: refused (row 3)
    "6000555003;Cơ sở Cơ khí Ea Kar;2592;Xã Ea Kar;2017;abc;8;5;7;;;Hiện đại;",  # bad T and level (row 4)
    "6000555001;Công ty TNHH Gạch Tuynel Krông Pắc;2392;Xã Krông Pắc;2018;20;13;10;15;58;;Trung bình;",
]


def csv_upload(lines, name="ket-qua-cu.csv"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")


def test_csv_import_reports_rows_and_columns_and_imports_whole_rows(client, methods, users):
    c = verified_client(client, users[Role.SPECIALIST])
    response = c.post(reverse("techassess:legacy_list"), {"file": csv_upload([HEADER, *CSV_ROWS])})
    page = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert report.imported == 2 and report.rows == 4
    assert [(e.row, e.column) for e in report.errors] == [(3, "name"), (4, "T"), (4, "level")]
    assert "Hiện đại" in page and "không phải một mức của Thông tư 04/2014" in page
    assert not Enterprise.objects.filter(tax_code__in=["6000555002", "6000555003"]).exists()
    first = LegacyResult.objects.get(year=2016)
    assert first.groups == {"T": 18.5, "H": 12.0, "I": 9.0, "O": 14.0}
    assert float(first.total) == 53.5 and float(first.tcc) == 0.512 and first.class_name == "Trung bình"
    assert first.methodology.code == "TT04-2014" and first.source_row == 2
    # Importing the same file again adds nothing: each (enterprise, year) is kept once.
    response = c.post(reverse("techassess:legacy_list"), {"file": csv_upload([HEADER, *CSV_ROWS])})
    assert response.context["report"].imported == 0
    assert LegacyResult.objects.count() == 2


def test_excel_import_and_unknown_columns(client, methods, users):
    book = Workbook()
    sheet = book.active
    sheet.append(legacy.LEGACY_COLUMNS)
    sheet.append(["6000555009", "DN Gỗ", "1610", "Xã A", "", 2015, 11, 7.5, 6, 9, 33.5, None, "Lạc hậu", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    c = verified_client(client, users[Role.SPECIALIST])
    response = c.post(
        reverse("techassess:legacy_list"), {"file": SimpleUploadedFile("cu.xlsx", buffer.getvalue())}
    )
    assert response.context["report"].imported == 1
    response = c.post(
        reverse("techassess:legacy_list"), {"file": csv_upload(["tax_code;year;E;R", "6000555009;2019;1;2"])}
    )
    assert "Cột không có trong mẫu: E, R." in response.content.decode()


def test_legacy_results_are_shown_apart_from_new_results(client, methods, users, make_user, tmp_path):
    officer = users[Role.SPECIALIST]
    enterprise = services.register_enterprise(
        actor=officer,
        data={"name": "DN Cơ khí", "tax_code": "6000555001", "vsic_code": "2592", "commune": "Xã A"},
    )
    c = verified_client(client, officer)
    c.post(reverse("techassess:legacy_list"), {"file": csv_upload([HEADER, CSV_ROWS[0]])})
    survey = services.start_survey(actor=officer, enterprise=enterprise, year=2024)
    survey.answers = dict(MID_MECHANICAL)
    survey.save()
    services.submit(survey, actor=officer)
    result = services.accept(survey, actor=officer)
    for url in (
        reverse("techassess:enterprise_detail", args=[enterprise.pk]),
        reverse("techassess:result_detail", args=[result.pk]),
    ):
        page = c.get(url).content.decode()
        assert 'id="legacy-results"' in page
        assert "Earlier results under Circular 04/2014/TT-BKHCN (old method)" in page
        assert "not comparable with the T, E, O, R, I groups" in page
        assert "53,50" in page and "0,512" in page
    page = c.get(reverse("techassess:enterprise_detail", args=[enterprise.pk])).content.decode()
    assert 'id="new-results"' in page and "60,36" in page
    pdf = c.get(reverse("techassess:result_pdf", args=[result.pk])).content
    if shutil.which("pdftotext"):
        path = tmp_path / "r.pdf"
        path.write_bytes(pdf)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        text = " ".join(text.split())
        assert "THÔNG TƯ 04/2014/TT-BKHCN (PHƯƠNG PHÁP CŨ)" in text and "53,50" in text and "MINH HỌA" in text
    # The enterprise's own account sees them too; other enterprises do not.
    owner = make_user(Role.CITIZEN, username="dn-cu")
    enterprise.owner = owner
    enterprise.save()
    client.logout()
    assert (
        "53,50"
        in verified_client(client, owner)
        .get(reverse("techassess:enterprise_detail", args=[enterprise.pk]))
        .content.decode()
    )


@pytest.mark.parametrize("role", list(Role))
def test_only_officers_import_legacy_results(client, methods, users, role):
    status = verified_client(client, users[role]).get(reverse("techassess:legacy_list")).status_code
    assert status == (200 if role in (Role.SPECIALIST, Role.UNIT_HEAD, Role.ADMINISTRATOR) else 403)
