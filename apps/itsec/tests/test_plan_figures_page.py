"""The IT overview shows the plan's own Part I indicators, with the date they are taken at (#18.7)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core import indicators as registry
from apps.core.formatting.vn import format_percent
from apps.core.periods import Period
from apps.itsec.demo import PLAN_DATE
from conftest import verified_client

pytestmark = pytest.mark.django_db

# The demo plan 2022 reads year 2021 up to its "figures as of" date (plans.demo: 04/10/2021).
PLAN_PERIOD = Period(datetime.date(2021, 1, 1), datetime.date(2021, 10, 4))


def _rows(page: str) -> dict[str, str]:
    """{indicator key: the row's value and share cells as text}."""
    rows = {}
    for key, cells in re.findall(r'<tr data-indicator="([^"]+)">(.*?)</tr>', page, flags=re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", cells, flags=re.S)
        rows[key] = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", td)).strip() for td in tds[1:]]
    return rows


def test_overview_shows_the_plans_antivirus_and_depreciation_figures_at_the_plan_date(client, demo):
    c = verified_client(client, User.objects.get(username="lanhdao"))
    page = c.get(reverse("itsec:index"), {"at": PLAN_DATE.isoformat()}).content.decode()
    assert "Số liệu tại ngày 01/10/2021" in page
    rows = _rows(page)
    # seed-figures.yaml: computers_with_antivirus 77 of 77 work computers, as the plan writes "77/77 máy".
    assert rows["itsec.computers.with_antivirus"] == ["77/77 máy", "100,00%"]
    # The plan's own figure, read from the registry for the plan's period, is the page's figure.
    plan_share = registry.value("itsec.computers.past_depreciation_share", demo, PLAN_PERIOD)
    assert format_percent(plan_share) == "66,23%"
    assert rows["itsec.computers.past_depreciation"] == ["51/77 máy", "66,23%"]
    assert rows["itsec.computers.for_work"][0] == "77 máy"
    assert rows["itsec.servers"][0] == "5 máy"
    assert rows["itsec.it_staff"][0] == "4 người"
    # The labels are the registry's, the ones the plan's Part I is written from.
    label = str(registry.get("itsec.computers.with_antivirus").label)
    assert label in page


def test_overview_without_a_date_says_which_day_its_figures_are_of(client, demo, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 3, 2))
    c = verified_client(client, User.objects.get(username="lanhdao"))
    page = c.get(reverse("itsec:index")).content.decode()
    assert "Số liệu tại ngày 02/03/2026" in page
    # The licences ran out on 30/06/2022: none counts, and the page says of how many.
    assert _rows(page)["itsec.computers.with_antivirus"] == ["0/77 máy", "0,00%"]
    assert f'href="?org={demo.pk}&amp;at=2021-10-01"' in page
