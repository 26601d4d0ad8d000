"""Report figures print as Vietnamese numbers by their kind (#18.7): a count of computers is
"9 máy", not "9,0"; a share is "88,89", not "88,88888888888889"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from apps.tasks import reporting
from conftest import verified_client

from .test_reporting import ON_TIME, regime  # noqa: F401 — the regime fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietnamese(settings):
    settings.LANGUAGE_CODE = "vi"
    with translation.override("vi"):
        yield


@pytest.fixture
def period(regime, people, tree, templates):  # noqa: F811
    period = reporting.open_due_periods(datetime.date(2022, 3, 10))[0]
    tech = period.unit_reports.get(organization=tree["tech"])
    office = period.unit_reports.get(organization=tree["office"])
    reporting.save_values(
        people["staff_tech"], tech, {"may_tinh": "9", "co_av": "8"}, submit=True, now=ON_TIME
    )
    reporting.save_values(
        people["staff_office"], office, {"may_tinh": "12", "co_av": "12"}, submit=True, now=ON_TIME
    )
    return period


def _cells(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


def test_the_period_summary_prints_counts_as_whole_numbers(client, period, people, vietnamese):
    page = verified_client(client, people["leader"]).get(reverse("tasks:period_summary", args=[period.pk]))
    rows = {r[1]: r for r in _cells(page.content.decode())}
    # Units in name order (QLCN, VP), then the total and the previous period.
    assert rows["Số máy tính"][2:] == ["máy", "9", "12", "21", "—"]
    assert rows["Số máy có phần mềm diệt mã độc"][2:] == ["máy", "8", "12", "20", "—"]
    assert rows["Tỷ lệ máy có phần mềm diệt mã độc"][2:] == ["%", "88,89", "100,00", "95,24", "—"]
    assert "9,0" not in page.content.decode()


def test_a_unit_report_prints_its_counts_as_whole_numbers(client, period, people, tree, vietnamese):
    report = period.unit_reports.get(organization=tree["tech"])
    page = verified_client(client, people["leader"]).get(reverse("tasks:unit_report", args=[report.pk]))
    page = page.content.decode()
    assert re.search(r'id="v-may_tinh">9</span>', page)
    assert re.search(r'id="v-ty_le_av">88,89</span>', page)
