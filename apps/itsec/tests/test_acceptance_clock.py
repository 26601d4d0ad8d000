"""Acceptance with a frozen clock: the overview page (no date given) follows the clock for
depreciation, antivirus freshness and disposals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core import workflow
from apps.itsec.demo import PLAN_DATE
from apps.itsec.models import Asset
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _figures(c, monkeypatch, day):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)
    page = c.get(reverse("itsec:index")).content.decode()

    def cell(name):
        start = page.index(f'id="cov-{name}">') + len(f'id="cov-{name}">')
        return int(page[start : page.index("<", start)].replace(".", ""))

    return cell("work-computers"), cell("antivirus"), cell("past-depreciation")


def test_overview_follows_the_clock(client, demo, monkeypatch):
    c = verified_client(client, User.objects.get(username="lanhdao"))
    assert _figures(c, monkeypatch, PLAN_DATE) == (77, 77, 51)
    # Antivirus updates stop counting 7 days after the last one (28/12/2021).
    assert _figures(c, monkeypatch, datetime.date(2022, 1, 4))[1] == 77
    assert _figures(c, monkeypatch, datetime.date(2022, 1, 5))[1] == 0
    # The first newer computer to pass its useful life.
    ends = sorted(
        a.depreciation_end
        for a in Asset.objects.filter(code__startswith="MT-").select_related("asset_class")
        if not a.past_depreciation(PLAN_DATE)
    )
    assert _figures(c, monkeypatch, ends[0] - datetime.timedelta(days=1))[2] == 51
    assert _figures(c, monkeypatch, ends[0])[2] == 52
    # A disposal counts from its effective date.
    workflow.apply(
        Asset.objects.get(code="MT-001"),
        "dispose",
        User.objects.get(username="quantri"),
        effective_on=datetime.date(2021, 9, 15),
    )
    assert _figures(c, monkeypatch, PLAN_DATE)[0] == 76
    assert _figures(c, monkeypatch, datetime.date(2021, 9, 14))[0] == 77
