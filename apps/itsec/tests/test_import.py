import datetime
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.itsec import importer
from apps.itsec.demo import ensure_mappings
from apps.itsec.models import Asset, ImportJob, ImportMapping, ImportStatus
from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db

HEADERS = [
    "Mã tài sản",
    "Loại",
    "Tên",
    "Số sê-ri",
    "Đơn vị",
    "Ngày mua",
    "Nguyên giá",
    "Mục đích",
    "Kết nối Internet",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rows(n, unit="t-qlcn"):
    return [
        [
            f"MT-{i:05d}",
            "Máy tính",
            "Máy tính để bàn",
            f"SN-{i:05d}",
            unit,
            datetime.date(2016, 1, 1) + datetime.timedelta(days=i % 2000),
            12500000,
            "Làm việc",
            "có",
        ]
        for i in range(1, n + 1)
    ]


@pytest.fixture
def it(make_user, tree):
    factories.computer_class()
    ensure_mappings()
    return make_user(Role.IT_OFFICER, username="it")


def _run(user, content, name="tai-san.xlsx", mapping="danh-muc-tai-san", org=None):
    from apps.organizations.models import Organization

    job = importer.start(
        user,
        uploaded=SimpleUploadedFile(name, content, content_type=XLSX),
        mapping=ImportMapping.objects.get(key=mapping),
        organization=org or Organization.objects.get(code="t-qlcn"),
    )
    job.refresh_from_db()
    return job


def test_2000_rows_then_reimport_changes_nothing(it, django_capture_on_commit_callbacks):
    content = _xlsx(_rows(2000))
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        job = _run(it, content)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors[:3]
    assert job.created_count == 2000 and job.progress == 100
    assert time.monotonic() - started < 60
    assert Asset.objects.count() == 2000
    a = Asset.objects.get(code="MT-00007")
    assert a.organization.code == "t-qlcn" and a.internet_connected and a.asset_class.key == "may-tinh"
    assert a.status_changes.count() == 1
    stamp = Asset.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    with django_capture_on_commit_callbacks(execute=True):
        again = _run(it, content)
    again.refresh_from_db()
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2000)
    assert Asset.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() == stamp


def test_bad_rows_are_reported_and_nothing_is_imported(it, django_capture_on_commit_callbacks):
    rows = _rows(5)
    rows[1][5] = "31/02/2020"  # row 3: no such date
    rows[3][4] = "t-syt-vp"  # row 5: another agency's unit
    rows[4][0] = rows[0][0]  # row 6: same code as row 2
    with django_capture_on_commit_callbacks(execute=True):
        job = _run(it, _xlsx(rows))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    found = {(e["row"], e["column"]) for e in job.errors}
    assert {(3, "Ngày mua"), (5, "Đơn vị"), (6, "Mã tài sản")} <= found
    assert not Asset.objects.exists()


def test_endpoint_console_export_updates_antivirus(it, tree, django_capture_on_commit_callbacks):
    factories.asset(tree["tech"], code="PC-KT-01", serial="ABC123")
    header = [
        "Tên thiết bị",
        "Hệ điều hành",
        "Phiên bản ứng dụng",
        "Cập nhật cơ sở dữ liệu lần cuối",
        "Hạn giấy phép",
    ]
    csv = "\n".join(
        [",".join(header), "PC-KT-01,Windows 11 Pro,12.0.0.465,25/11/2026 08:15:00,31/12/2026"]
    ).encode("utf-8-sig")
    with django_capture_on_commit_callbacks(execute=True):
        job = _run(it, csv, name="ksc.csv", mapping="kaspersky-ksc")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    a = Asset.objects.get(code="PC-KT-01")
    assert a.antivirus_product == "Kaspersky Endpoint Security"
    assert a.antivirus_last_update == datetime.date(2026, 11, 25)
    assert a.antivirus_licence_expiry == datetime.date(2026, 12, 31)
    assert a.operating_system == "Windows 11 Pro"


def test_unknown_machine_from_console_is_an_error(it, django_capture_on_commit_callbacks):
    csv = "Tên thiết bị,Hệ điều hành\nPC-LA,Windows 10\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        job = _run(it, csv, name="ksc.csv", mapping="kaspersky-ksc")
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.errors[0]["row"] == 2


def test_progress_page_polls(client, it, django_capture_on_commit_callbacks):
    c = verified_client(client, it)
    from apps.organizations.models import Organization

    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("itsec:import_start"),
            {
                "file": SimpleUploadedFile("a.xlsx", _xlsx(_rows(3)), content_type=XLSX),
                "mapping": ImportMapping.objects.get(key="danh-muc-tai-san").pk,
                "organization": Organization.objects.get(code="t-qlcn").pk,
            },
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("itsec:import_job", args=[job.pk])
    page = c.get(reverse("itsec:import_job", args=[job.pk])).content.decode()
    assert "3 new" in page or "3 mới" in page
    # While running, the fragment asks htmx to poll every second.
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=40)
    fragment = c.get(reverse("itsec:import_job_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="40"' in fragment


def test_console_headers_are_matched_tolerantly(it, tree, django_capture_on_commit_callbacks):
    """Other spellings of the console's columns (case, accents, punctuation, English aliases)."""
    factories.asset(tree["tech"], code="PC-KT-02", serial="XYZ789")
    header = ["COMPUTER NAME", "os", "Agent version", "Databases updated", "License expiration date", "Owner"]
    csv = "\n".join(
        [";".join(header), "PC-KT-02;Windows 10 Pro;11.11.0;24/11/2026 07:00;30/06/2027;Ai đó"]
    ).encode("utf-8-sig")
    with django_capture_on_commit_callbacks(execute=True):
        job = _run(it, csv, name="console.csv", mapping="kaspersky-ksc")
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    assert "Owner" in job.message  # the ignored column is named
    a = Asset.objects.get(code="PC-KT-02")
    assert (a.operating_system, a.antivirus_version) == ("Windows 10 Pro", "11.11.0")
    assert a.antivirus_last_update == datetime.date(2026, 11, 24)
    assert a.antivirus_licence_expiry == datetime.date(2027, 6, 30)


def test_header_normalisation_and_import_page_lists_columns(client, it):
    assert importer.normalise_header("Số sê-ri") == importer.normalise_header("SO SE RI")
    assert importer.normalise_header("Đơn vị") == "donvi"
    page = verified_client(client, it).get(reverse("itsec:import_start")).content.decode()
    assert "Last database update" in page and "Databases updated" in page
    assert "Kaspersky Security Center" not in page
