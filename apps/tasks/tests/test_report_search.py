"""The periodic reports list searches without regard to diacritics and exports to Excel (#18.11c)."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from apps.tasks import reporting
from conftest import verified_client

from .test_reporting import regime  # noqa: F401 — the regime fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(regime, templates):  # noqa: F811
    q1 = reporting.open_due_periods(datetime.date(2022, 3, 10))[0]
    q2 = reporting.open_due_periods(datetime.date(2022, 6, 10))[0]
    return q1, q2


def _rows(page: str) -> list[tuple[str, str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    out = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        if len(cells) == 5:
            out.append((cells[1].split(" · ")[0], cells[2]))
    return out


def test_search_by_period_and_unit_without_diacritics(client, people, periods, settings):
    settings.LANGUAGE_CODE = "vi"
    c = verified_client(client, people["leader"])
    url = reverse("tasks:report_list")
    with translation.override("vi"):
        everything = _rows(c.get(url).content.decode())
        found = _rows(c.get(url, {"q": "quy 1 QLCN"}).content.decode())
        by_name = _rows(c.get(url, {"q": "bieu so lieu cds quy 2/2022"}).content.decode())
        none = c.get(url, {"q": "khong co bao cao"}).content.decode()
    assert len(everything) == 4
    assert found == [("Quý 1/2022", "Phòng Quản lý Công nghệ")]
    assert sorted(by_name) == [("Quý 2/2022", "Phòng Quản lý Công nghệ"), ("Quý 2/2022", "Văn phòng Sở")]
    assert _rows(none) == [] and "Không có báo cáo nào phù hợp." in none and "Xuất Excel" in none


def test_export_lists_what_the_search_found(client, people, periods):
    c = verified_client(client, people["leader"])
    response = c.get(reverse("tasks:report_list"), {"q": "quy 2/2022", "export": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-dinh-ky.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][:3] == ("Báo cáo", "Kỳ báo cáo", "Đơn vị")
    assert {r[1] for r in rows[1:]} == {"Quý 2/2022"} and len(rows) == 3
    assert rows[1][0] == "Biểu số liệu CĐS quý"
