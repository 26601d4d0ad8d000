"""Diacritic-insensitive search, on SQLite (normalised column) and PostgreSQL (unaccent)."""

import pytest
from django.db import connection

from apps.procedures import public, selectors
from apps.procedures.models import ProcedureVersion
from apps.procedures.text import normalize

from .factories import make_published

pytestmark = pytest.mark.django_db


def test_normalize_strips_vietnamese_diacritics():
    assert normalize("  Cấp GIẤY   phép Đắk Lắk ") == "cap giay phep dak lak"


@pytest.fixture
def catalogue():
    make_published("Cấp giấy phép tiến hành công việc bức xạ", code="1.000001")
    make_published("Đăng ký công bố hợp quy", field="Tiêu chuẩn đo lường chất lượng")
    make_published("Cấp chứng chỉ nhân viên bức xạ")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cap giay phep", ["Cấp giấy phép tiến hành công việc bức xạ"]),
        ("CẤP GIẤY", ["Cấp giấy phép tiến hành công việc bức xạ"]),
        ("dang ky", ["Đăng ký công bố hợp quy"]),
        ("buc xa cap", ["Cấp chứng chỉ nhân viên bức xạ", "Cấp giấy phép tiến hành công việc bức xạ"]),
        ("1.000001", ["Cấp giấy phép tiến hành công việc bức xạ"]),
        ("giay phep quy", []),
    ],
)
def test_search_ignores_case_and_diacritics(catalogue, query, expected):
    found = sorted(v.name for v in selectors.search(ProcedureVersion.objects.all(), query))
    assert found == sorted(expected)
    assert sorted(v.name for v in public.published_versions(search=query)) == sorted(expected)


def test_postgresql_uses_unaccent(catalogue):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://…")
    sql = str(selectors.search(ProcedureVersion.objects.all(), "cap giay").query)
    assert "UNACCENT" in sql.upper()
    with connection.cursor() as cursor:
        cursor.execute("SELECT unaccent('Cấp giấy phép Đắk Lắk')")
        assert cursor.fetchone()[0] == "Cap giay phep Dak Lak"


def test_sqlite_uses_the_normalised_column(catalogue):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite path")
    version = ProcedureVersion.objects.get(name="Đăng ký công bố hợp quy")
    assert version.search_text == "dang ky cong bo hop quy"
