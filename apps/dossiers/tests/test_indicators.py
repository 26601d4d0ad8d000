"""Indicators on the demo data reproduce the plan's Part I (47 dossiers: 13 / 26 / 8)."""

import datetime as dt

import pytest

from apps.dossiers import indicators, seed
from apps.dossiers.models import Dossier, State

from .conftest import version

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(catalogue, media, settings):
    from apps.accounts.demo import seed_foundation
    from apps.organizations.models import Organization

    seed_foundation()
    unit = Organization.objects.get(code="skhcn-qlcn").pk
    catalogue.versions.clear()
    for i, level in enumerate([2, 2, 3, 3, 4, 4], start=10):
        catalogue.add(version(i, unit_id=unit, level=level, fee=level == 4))
    return seed.seed()


def test_2021_figures_match_the_plan(demo):
    agency = __import__("apps.organizations.models", fromlist=["Organization"]).Organization.objects.get(
        code="skhcn"
    )
    received = indicators.dossiers_received(agency, dt.date(2021, 1, 1), dt.date(2021, 10, 4))
    assert received["total"] == 47
    assert received["by_level"] == {2: 13, 3: 26, 4: 8}
    assert received["shares"] == {2: "27,66%", 3: "55,32%", 4: "17,02%"}
    handled = indicators.handled_through_system(agency, dt.date(2021, 1, 1), dt.date(2021, 10, 4))
    assert handled["handled"] == 47 and handled["share"] == "100,00%"


def test_seeder_is_idempotent_and_covers_every_state(demo):
    again = seed.seed()
    assert again["dossiers_2021"] == 0 and again["dossiers_current"] == 0
    states = set(Dossier.objects.values_list("state", flat=True))
    assert set(State.values) - {State.DRAFT} <= states
    assert Dossier.objects.filter(
        state=State.SUPPLEMENT_REQUESTED, supplement_requests__stage="review"
    ).exists()
    overdue = [d for d in Dossier.objects.filter(state=State.IN_PROCESS) if d.is_overdue]
    assert overdue
    assert Dossier.objects.filter(timeliness="late").exists()
    assert Dossier.objects.filter(code__startswith="000.00.00.X00-").count() == Dossier.objects.count()


def test_the_demo_citizen_has_dossiers_of_her_own(demo):
    """congdan (“Nguyễn Thị Hoa”) finds her demo dossiers in “Hồ sơ của tôi”, one waiting for her."""
    from apps.accounts.models import User
    from apps.dossiers.selectors import SUPPLEMENT, applicant_dossiers, applicant_task

    mine = list(applicant_dossiers(User.objects.get(username="congdan")))
    assert len(mine) >= 2 and {d.applicant_name for d in mine} == {"Nguyễn Thị Hoa"}
    assert SUPPLEMENT in {applicant_task(d) for d in mine}
