"""The information-systems list searches without regard to diacritics and exports to Excel (#18.11c)."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from apps.organizations.roles import Role
from conftest import verified_client

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def systems(tree):
    return [
        factories.system(
            tree["tech"], name="Hệ thống quản lý văn bản và điều hành", hosting="Trung tâm dữ liệu tỉnh"
        ),
        factories.system(tree["tech"], name="Cổng dịch vụ công trực tuyến", operator="Trung tâm Thông tin"),
        factories.system(tree["office"], name="Phần mềm kế toán", approval_reference="45/QĐ-SKHCN"),
    ]


def _names(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/ha-tang-atttt/he-thong/\d+/">([^<]+)</a>', body)


def test_search_ignores_case_and_diacritics(client, users, systems, settings):
    settings.LANGUAGE_CODE = "vi"
    c = verified_client(client, users[Role.IT_OFFICER])
    with translation.override("vi"):
        url = reverse("itsec:system_list")
        assert _names(c.get(url, {"q": "quan ly VAN BAN"}).content.decode()) == [systems[0].name]
        assert _names(c.get(url, {"q": "trung tam"}).content.decode()) == [systems[1].name, systems[0].name]
        assert _names(c.get(url, {"q": "45/qđ"}).content.decode()) == [systems[2].name]
        page = c.get(url, {"q": "khong co he thong nao"}).content.decode()
    assert _names(page) == [] and "Không có hệ thống nào phù hợp." in page
    assert 'id="q"' in page and "Xuất Excel" in page


def test_export_lists_the_systems_the_search_finds(client, users, systems):
    c = verified_client(client, users[Role.IT_OFFICER])
    response = c.get(reverse("itsec:system_list"), {"q": "trung tam", "export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="he-thong-thong-tin.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Tên hệ thống", "Đơn vị chủ quản", "Đơn vị vận hành")
    assert [r[0] for r in rows[1:]] == [systems[1].name, systems[0].name]
    assert rows[1][2] == "Trung tâm Thông tin"
