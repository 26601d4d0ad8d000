"""Bulk import of surveys from Excel: 500 rows, errors by row and column, no half-imported survey."""

import io
import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from apps.organizations.roles import Role
from apps.techassess import importer, methodology
from apps.techassess.demo import demo_answers
from apps.techassess.models import Enterprise, ImportJob, ImportStatus, Survey, SurveyStatus
from conftest import verified_client

pytestmark = pytest.mark.django_db


def workbook(definition, rows, extra_header=()):
    book = Workbook()
    sheet = book.active
    codes = list(methodology.questions(definition))
    header = importer.ENTERPRISE_COLUMNS + codes + list(extra_header)
    sheet.append(header)
    for r in rows:
        sheet.append([r.get(h) for h in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def generated_rows(count):
    rows = []
    for i in range(count):
        answers = demo_answers(random.Random(i), 0.5, 0)
        answers["tech_transfer"] = "Có" if answers["tech_transfer"] else "Không"
        rows.append(
            {
                "tax_code": f"61{i:08d}",
                "name": f"Doanh nghiệp nhập {i}",
                "vsic_code": random.Random(i).choice(["1077", "1610", "1079", "2392", "2592"]),
                "industry_name": "",
                "commune": "Xã Ea Kar",
                "year": 2025,
                **answers,
            }
        )
    return rows


def upload(content, name="phieu.xlsx"):
    return SimpleUploadedFile(name, content)


def test_500_surveys_with_progress_and_row_errors(client, methods, users, django_capture_on_commit_callbacks):
    definition = methods["demo"].definition
    rows = generated_rows(500)
    rows[10]["tax_code"] = "12345"  # row 12
    rows[20]["automation_level"] = "robot"  # row 22
    rows[30]["employees_total"] = "nhiều"  # row 32
    rows[40]["revenue"] = None  # row 42: required
    rows[50]["tax_code"] = rows[49]["tax_code"]  # row 52: duplicate of row 51
    c = verified_client(client, users[Role.SPECIALIST])
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(reverse("techassess:import_start"), {"file": upload(workbook(definition, rows))})
    job = ImportJob.objects.get()
    assert response.url == reverse("techassess:import_detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.total_rows == 500 and job.processed_rows == 500 and job.imported == 495
    assert [(e["row"], e["column"]) for e in job.errors] == [
        (12, "tax_code"),
        (22, "automation_level"),
        (32, "employees_total"),
        (42, "revenue"),
        (52, "tax_code"),
    ]
    assert Survey.objects.filter(status=SurveyStatus.SUBMITTED).count() == 495
    assert not Enterprise.objects.filter(tax_code="12345").exists()
    assert not Survey.objects.filter(enterprise__name="Doanh nghiệp nhập 20").exists()
    # Every imported survey is complete: it can be accepted without further input.
    assert all(len(s.answers) == len(methodology.questions(definition)) for s in Survey.objects.all()[:50])
    page = c.get(reverse("techassess:import_status", args=[job.pk])).content.decode()
    assert "hx-trigger" not in page  # finished: the page stops polling
    assert "Mã số thuế phải có 10 hoặc 13 chữ số." in page and "500/500" in page


def test_progress_partial_polls_while_running(client, methods, users):
    from apps.core.files.intake import accept_upload

    stored = accept_upload(
        upload(workbook(methods["demo"].definition, [])),
        purpose="techassess_import",
        user=users[Role.SPECIALIST],
    )
    job = ImportJob.objects.create(
        file=stored,
        methodology=methods["demo"],
        organization=users[Role.SPECIALIST].memberships.get().organization,
        created_by=users[Role.SPECIALIST],
        status=ImportStatus.RUNNING,
        total_rows=200,
        processed_rows=50,
    )
    c = verified_client(client, users[Role.SPECIALIST])
    page = c.get(reverse("techassess:import_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="25"' in page


def test_a_file_with_unknown_columns_imports_nothing(
    client, methods, users, django_capture_on_commit_callbacks
):
    definition = methods["demo"].definition
    content = workbook(definition, generated_rows(3), extra_header=["ghi_chu"])
    c = verified_client(client, users[Role.SPECIALIST])
    with django_capture_on_commit_callbacks(execute=True):
        c.post(reverse("techassess:import_start"), {"file": upload(content)})
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert "ghi_chu" in job.errors[0]["message"]
    assert not Survey.objects.exists() and not Enterprise.objects.exists()


def test_a_row_failing_while_importing_leaves_nothing_behind(methods, users):
    definition = methods["demo"].definition
    rows = generated_rows(2)
    content = workbook(definition, rows)
    cleaned, errors = importer.validate_file(content, definition)
    assert errors == []
    job = ImportJob(
        methodology=methods["demo"], organization=users[Role.SPECIALIST].memberships.get().organization
    )
    job.created_by = users[Role.SPECIALIST]
    number, enterprise, answers, _ok = cleaned[0]
    answers["employees_total"] = object()  # cannot be stored: the database write fails mid-survey
    with pytest.raises(TypeError):
        importer.import_row(number, enterprise, answers, job=job)
    assert not Enterprise.objects.exists() and not Survey.objects.exists()


@pytest.mark.parametrize("role", list(Role))
def test_only_officers_import(client, methods, users, role):
    c = verified_client(client, users[role])
    status = c.get(reverse("techassess:import_start")).status_code
    assert status == (200 if role in (Role.SPECIALIST, Role.UNIT_HEAD, Role.ADMINISTRATOR) else 403)
