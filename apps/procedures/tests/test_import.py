"""Catalogue import/export: all-or-nothing, errors by row and column, idempotent."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from apps.core.rendering.xlsx import render_xlsx
from apps.procedures import importexport
from apps.procedures.models import Field, Procedure, ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db

REFERENCE = Path("/work/shared/reference/procedures-catalogue.csv")
BUNDLED = Path(importexport.__file__).parent / "data" / "procedures-catalogue.csv"
HEADER = "code,name_vi,field_vi,processing_days,fee_vnd,source_url,confidence\n"


def rows_of(text: str):
    return importexport.read_rows(text.encode(), "x.csv")


def test_the_reference_catalogue_imports_as_is():
    path = REFERENCE if REFERENCE.exists() else BUNDLED
    rows = importexport.read_rows(path.read_bytes(), path.name)
    result = importexport.import_catalogue(None, rows)
    assert result.created == 43 == Procedure.objects.count()
    assert ProcedureVersion.objects.filter(status=VersionStatus.DRAFT).count() == 43
    # Unknown codes stay blank; known ones are kept exactly.
    assert ProcedureVersion.objects.filter(code="").count() == 36
    assert ProcedureVersion.objects.filter(code="2.002131").exists()
    assert Field.objects.count() == 5
    fee = ProcedureVersion.objects.get(name__startswith="Cấp Giấy chứng nhận đăng ký hoạt động lần đầu").fee
    assert fee == {"kind": "fixed", "amount": "3000000"}
    blank_days = ProcedureVersion.objects.filter(processing_days__isnull=True)
    assert blank_days.exists() and all(v.steps == [] for v in blank_days)


def test_reimport_is_idempotent():
    rows = importexport.read_rows(BUNDLED.read_bytes(), "x.csv")
    importexport.import_catalogue(None, rows)
    versions = ProcedureVersion.objects.count()
    again = importexport.import_catalogue(None, importexport.read_rows(BUNDLED.read_bytes(), "x.csv"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 43)
    assert ProcedureVersion.objects.count() == versions


def test_a_changed_row_becomes_a_new_draft_of_a_published_procedure():
    text = HEADER + ",Cấp giấy phép thử,Lĩnh vực A,10,100000,,\n"
    importexport.import_catalogue(None, rows_of(text), publish=True)
    published = ProcedureVersion.objects.get()
    assert published.status == VersionStatus.PUBLISHED
    result = importexport.import_catalogue(None, rows_of(text.replace(",10,100000", ",12,100000")))
    assert result.updated == 1
    draft = ProcedureVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.procedure_id == published.procedure_id and draft.number == 2
    published.refresh_from_db()
    assert published.processing_days == 10 and draft.processing_days == 12


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written():
    text = HEADER + (
        ",Thủ tục đúng,Lĩnh vực A,10,0,,\n"
        "ABC,Thủ tục mã sai,Lĩnh vực A,10,0,,\n"
        ",,Lĩnh vực A,abc,-5,not a url,\n"
        ",Thủ tục đúng,Lĩnh vực A,10,0,,\n"
    )
    with pytest.raises(importexport.ImportFailed) as exc:
        importexport.import_catalogue(None, rows_of(text))
    found = {(e.row, e.column) for e in exc.value.errors}
    assert found == {
        (3, "code"),
        (4, "name_vi"),
        (4, "processing_days"),
        (4, "fee_vnd"),
        (4, "source_url"),
        (5, "name_vi"),  # same procedure as row 2
    }
    assert "Row 3, column code" in str(exc.value.errors[0])
    assert Procedure.objects.count() == 0 and Field.objects.count() == 0


def test_a_row_failing_late_rolls_back_earlier_rows():
    # Row 3 passes the file checks but cannot be published (no processing time): nothing stays.
    text = HEADER + ",Thủ tục một,Lĩnh vực A,10,0,,\n,Thủ tục hai,Lĩnh vực A,,0,,\n"
    with pytest.raises(importexport.ImportFailed) as exc:
        importexport.import_catalogue(None, rows_of(text), publish=True)
    assert [(e.row, e.column) for e in exc.value.errors] == [(3, "processing_days")]
    assert Procedure.objects.count() == 0


def test_missing_columns_are_reported():
    with pytest.raises(importexport.ImportFailed) as exc:
        importexport.import_catalogue(None, rows_of("name,field\nA,B\n"))
    assert {e.column for e in exc.value.errors} == {"code", "name_vi", "field_vi"}


def test_excel_round_trip():
    text = (
        HEADER
        + "2.002131,Khai báo thiết bị X-quang,Lĩnh vực A,5,0,,high\n,Thủ tục hai,Lĩnh vực B,10,150000,,\n"
    )
    importexport.import_catalogue(None, rows_of(text))
    headers, rows = importexport.export_rows(ProcedureVersion.objects.order_by("name"))
    data = render_xlsx("Thủ tục", headers, rows)
    sheet = load_workbook(BytesIO(data)).active
    assert sheet["A2"].value == "2.002131" and sheet["B3"].value == "Thủ tục hai"
    again = importexport.import_catalogue(None, importexport.read_rows(data, "thu-tuc.xlsx"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_import_command_reports_errors_and_imports_the_reference(tmp_path):
    from django.core.management import CommandError, call_command

    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "X,Tên,Lĩnh vực,5,0,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_procedures", str(bad))
    assert Procedure.objects.count() == 0
    call_command("import_procedures", str(BUNDLED))
    assert Procedure.objects.count() == 43
    out = tmp_path / "out.xlsx"
    call_command("export_procedures", str(out))
    again = importexport.import_catalogue(None, importexport.read_rows(out.read_bytes(), out.name))
    assert again.unchanged == 43
