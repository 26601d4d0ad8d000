"""The asset list's Excel export imports back unchanged, and a cell edited in it changes that field
(#18.11b): every exported column is recognised, existing rows keep their unit without one being
chosen, and a status moves through the asset workflow."""

import datetime
import io

import hypothesis
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import strategies as st
from openpyxl import load_workbook

from apps.audit.models import AuditEvent
from apps.itsec.demo import ensure_mappings
from apps.itsec.models import Asset, AssetStatus, AssetStatusChange, ImportJob, ImportMapping, ImportStatus
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = [
    "code",
    "asset_type",
    "name",
    "model",
    "serial",
    "specification",
    "operating_system",
    "organization_id",
    "assigned_to_id",
    "assigned_name",
    "location",
    "purchase_date",
    "purchase_value",
    "status",
    "purpose",
    "internet_connected",
    "antivirus_product",
    "antivirus_version",
    "antivirus_licence_expiry",
    "antivirus_last_update",
]


@pytest.fixture
def it(make_user, tree):
    ensure_mappings()
    return make_user(Role.IT_OFFICER, username="it")


@pytest.fixture
def register(it, tree, make_user):
    owner = make_user(Role.SPECIALIST, username="cv")
    kaspersky = {
        "antivirus_product": "Kaspersky Endpoint Security",
        "antivirus_version": "11.6.0",
        "antivirus_licence_expiry": datetime.date(2026, 6, 30),
        "antivirus_last_update": datetime.date(2026, 2, 27),
    }
    factories.asset(
        tree["tech"],
        code="MT-01",
        model="Dell OptiPlex 7090",
        serial="SN-01",
        specification="Core i5, 8 GB RAM",
        operating_system="Windows 10 Pro",
        assigned_to=owner,
        location="Phòng 201",
        purchase_value=15500000,
        internet_connected=True,
        **kaspersky,
    )
    factories.asset(
        tree["office"],
        code="MT-02",
        assigned_name="Nguyễn Văn Tài",
        purpose="training",
        purchase_date=datetime.date(2017, 3, 15),
    )
    factories.asset(tree["tech"], code="MC-01", asset_type="server", name="Máy chủ tệp", status="broken")
    return owner


def _snapshot():
    return {a["code"]: a for a in Asset.objects.order_by("code").values(*FIELDS)}


def _export(c) -> bytes:
    response = c.get(reverse("itsec:asset_list"), {"export": "xlsx"})
    assert response.status_code == 200
    return response.content


def _import(c, content, capture) -> ImportJob:
    mapping = ImportMapping.objects.get(key="danh-muc-tai-san")
    with capture(execute=True):
        response = c.post(
            reverse("itsec:import_start"),
            {"file": SimpleUploadedFile("tai-san.xlsx", content, content_type=XLSX), "mapping": mapping.pk},
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    return ImportJob.objects.order_by("-created_at").first()


def _edit(content: bytes, edits: dict) -> bytes:
    """{(asset code, header): new value}."""
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        for (code, column), value in edits.items():
            if row[0].value == code:
                row[header.index(column)].value = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_an_exported_workbook_imports_back_unchanged(
    client, it, register, settings, language, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = language
    c = verified_client(client, it)
    before, events = _snapshot(), AuditEvent.objects.count()
    with translation.override(language):
        content = _export(c)
        job = _import(c, content, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 3)
    assert job.organization is None  # no unit had to be chosen: the rows exist
    # Every column the export writes is the import's: none is reported as ignored.
    assert "Trạng thái" not in job.message and "Hết khấu hao từ" not in job.message
    assert _snapshot() == before
    assert AssetStatusChange.objects.count() == 3
    assert not AuditEvent.objects.filter(verb="asset_updated").exists()
    assert AuditEvent.objects.count() > events  # the job's own start and finish


def test_a_cell_edited_in_the_export_changes_that_field(
    client, it, register, settings, tree, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "vi"
    c = verified_client(client, it)
    with translation.override("vi"):
        content = _export(c)
        broken, spare = str(AssetStatus.BROKEN.label), str(AssetStatus.SPARE.label)
        edited = _edit(
            content,
            {
                ("MT-01", "Cấu hình"): "Core i7, 16 GB RAM",
                ("MT-01", "Trạng thái"): broken,
                ("MT-01", "Hết khấu hao từ"): datetime.date(2099, 1, 1),  # computed: read, never written
                ("MT-02", "Người sử dụng"): "Trần Thị Hoa",
                ("MT-02", "Đơn vị"): tree["tech"].name,
                ("MC-01", "Trạng thái"): spare,
            },
        )
        job = _import(c, edited, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 3, 0)
    mt1, mt2, mc1 = (Asset.objects.get(code=k) for k in ("MT-01", "MT-02", "MC-01"))
    assert mt1.specification == "Core i7, 16 GB RAM" and mt1.status == AssetStatus.BROKEN
    assert mt1.assigned_to == register and mt1.depreciation_end == datetime.date(2024, 1, 1)
    assert (mt2.assigned_to, mt2.assigned_name, mt2.organization) == (None, "Trần Thị Hoa", tree["tech"])
    assert mc1.status == AssetStatus.SPARE
    move = mt1.status_changes.order_by("-pk").first()  # through the workflow, with its history row
    assert (move.from_state, move.to_state, move.action) == ("in_use", "broken", "break")


def test_a_new_row_without_a_unit_says_so(client, it, register, settings, django_capture_on_commit_callbacks):
    settings.LANGUAGE_CODE = "vi"
    c = verified_client(client, it)
    with translation.override("vi"):
        content = _edit(_export(c), {("MT-02", "Đơn vị"): None, ("MT-02", "Mã tài sản"): "MT-99"})
        job = _import(c, content, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.FAILED
    assert [e["column"] for e in job.errors] == ["Đơn vị"]
    assert "đơn vị" in job.errors[0]["message"]
    assert not Asset.objects.filter(code="MT-99").exists()


# Text as people type it: Vietnamese letters with their diacritics, digits, punctuation, and now and
# then a leading "=", "+", "-" or "@", which a spreadsheet would take for a formula.
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
TEXT = st.builds(
    lambda lead, body: (lead + body).strip(),
    st.sampled_from(["", "", "=", "+", "-", "@"]),
    st.text(alphabet=LETTERS + LETTERS.upper() + "0123456789 ,.()/-+=@", min_size=1, max_size=30),
).filter(bool)


def test_generated_values_survive_export_and_import(
    client, it, register, settings, tree, django_capture_on_commit_callbacks
):
    language = settings.LANGUAGE_CODE = "vi"
    c = verified_client(client, it)

    @hypothesis.settings(
        max_examples=4,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[
            hypothesis.HealthCheck.function_scoped_fixture,
            hypothesis.HealthCheck.too_slow,
        ],
    )
    @hypothesis.given(
        name=TEXT,
        model=TEXT,
        location=TEXT,
        assigned_name=TEXT,
        value=st.integers(min_value=0, max_value=10**11),  # đồng
        bought=st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2030, 12, 31)),
    )
    # Always at least once: every formula-like lead, with the platform's own Vietnamese wording.
    @hypothesis.example(
        name='=HYPERLINK("http://x";"Máy tính")',
        model="+84 905 123 456",
        location="-Tầng 2, phòng 201",
        assigned_name="@Nguyễn Văn Ân",
        value=1_234_567,
        bought=datetime.date(2021, 10, 6),
    )
    def round_trip(name, model, location, assigned_name, value, bought):
        with transaction.atomic():  # each example starts from the same three assets
            factories.asset(
                tree["office"],
                code="MT-SINH",
                name=name,
                model=model,
                location=location,
                assigned_name=assigned_name,
                purchase_value=value,
                purchase_date=bought,
            )
            before = _snapshot()
            with translation.override(language):
                content = _export(c)
                job = _import(c, content, django_capture_on_commit_callbacks)
            # The workbook holds the typed text as text: no cell is a formula a spreadsheet would run
            # (an import reads an empty formula result as "unchanged", so the rows alone cannot tell).
            sheet = load_workbook(io.BytesIO(content)).worksheets[0]
            row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "MT-SINH")
            assert not [cell.value for cell in row if cell.data_type == "f"]
            assert {name, model, location, assigned_name} <= {cell.value for cell in row}
            assert job.status == ImportStatus.DONE, job.errors
            assert (job.created_count, job.updated_count, job.unchanged_count) == (0, 0, 4)
            assert _snapshot() == before
            transaction.set_rollback(True)

    round_trip()
