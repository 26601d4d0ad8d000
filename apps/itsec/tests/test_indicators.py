import datetime

import pytest

from apps.accounts.models import User
from apps.core import workflow
from apps.itsec import indicators, services
from apps.itsec.demo import PLAN_DATE
from apps.itsec.models import Asset, CoveragePolicy

pytestmark = pytest.mark.django_db


def test_demo_reproduces_the_plan(demo):
    c = indicators.coverage(demo, PLAN_DATE)
    assert c.staff == 77
    assert c.work_computers == 77
    assert c.staff_with_computer == 77
    assert c.staff_with_computer_share == "100,00%"
    assert c.computers_on_internet == 77
    assert c.computers_with_antivirus == 77
    assert c.servers == 5
    assert c.training_computers == 42
    assert c.computers_past_depreciation == 51
    assert c.past_depreciation_share == "66,23%"
    assert (c.units_with_lan, c.units_total) == (7, 7)


def test_seeder_is_idempotent(demo):
    from apps.itsec import demo as itsec_demo

    before = Asset.objects.count()
    counts = itsec_demo.seed()
    assert counts["assets"] == 0
    assert Asset.objects.count() == before
    assert indicators.coverage(demo, PLAN_DATE).work_computers == 77


def test_disposing_a_computer_changes_the_figures_from_its_date(demo):
    admin = User.objects.get(username="quantri")
    asset = Asset.objects.get(code="MT-001")
    workflow.apply(asset, "dispose", admin, effective_on=datetime.date(2021, 9, 15), note="Thanh lý")
    c = indicators.coverage(demo, PLAN_DATE)
    assert c.work_computers == 76
    assert c.staff_with_computer == 76
    assert c.computers_with_antivirus == 76
    assert c.computers_past_depreciation == 50  # MT-001 was one of the old ones
    # The figure before the disposal date is unchanged.
    assert indicators.coverage(demo, datetime.date(2021, 9, 14)).work_computers == 77


def test_antivirus_lapses_when_the_licence_expires_or_updates_stop(demo):
    at_expiry = datetime.date(2022, 6, 30)
    after_expiry = datetime.date(2022, 7, 1)
    # Updates stop being current 7 days after the demo's last update, 28/12/2021.
    assert indicators.coverage(demo, datetime.date(2021, 12, 31)).computers_with_antivirus == 77
    assert indicators.coverage(demo, datetime.date(2022, 1, 4)).computers_with_antivirus == 77
    assert indicators.coverage(demo, datetime.date(2022, 1, 5)).computers_with_antivirus == 0
    Asset.objects.filter(code__startswith="MT-").update(antivirus_last_update=datetime.date(2022, 6, 29))
    assert indicators.coverage(demo, at_expiry).computers_with_antivirus == 77
    assert indicators.coverage(demo, after_expiry).computers_with_antivirus == 0
    # One computer whose licence lapsed earlier.
    Asset.objects.filter(code="MT-002").update(antivirus_licence_expiry=datetime.date(2022, 6, 1))
    assert indicators.coverage(demo, at_expiry).computers_with_antivirus == 76


def test_antivirus_freshness_is_configurable_data(demo):
    CoveragePolicy.objects.create(effective_from=datetime.date(2021, 10, 1), antivirus_max_age_days=2)
    year_end = datetime.date(2021, 12, 31)  # three days after the demo's last update
    assert indicators.coverage(demo, year_end).computers_with_antivirus == 0
    assert indicators.coverage(demo, year_end, antivirus_max_age_days=30).computers_with_antivirus == 77


def test_a_computer_passes_its_depreciation_date(demo):
    newest_old = max(
        (
            a
            for a in Asset.objects.filter(code__startswith="MT-").select_related("asset_class")
            if not a.past_depreciation(PLAN_DATE)
        ),
        key=lambda a: -a.depreciation_end.toordinal(),
    )
    end = newest_old.depreciation_end  # the first of the newer computers to pass its life
    assert indicators.coverage(demo, end - datetime.timedelta(days=1)).computers_past_depreciation == 51
    assert indicators.coverage(demo, end).computers_past_depreciation == 52


def test_staff_headcount_has_history(demo):
    admin = User.objects.get(username="quantri")
    from apps.organizations.models import Organization

    vp = Organization.objects.get(code="skhcn-vp")
    before = indicators.staff(vp, PLAN_DATE)
    services.record_headcount(admin, vp, effective_from=datetime.date(2022, 1, 1), headcount=before + 3)
    assert indicators.staff(demo, PLAN_DATE) == 77
    assert indicators.staff(demo, datetime.date(2022, 1, 1)) == 80
    c = indicators.coverage(demo, datetime.date(2022, 1, 1), antivirus_max_age_days=365)
    assert c.staff_with_computer_share == "96,25%"  # 77 computers for 80 people


def test_it_staff_and_skills(demo):
    it = indicators.it_staff(demo, PLAN_DATE)
    assert it["total"] == 4
    assert it["by_qualification"] == {"master": 1, "bachelor": 3}
    skills = indicators.skills(demo, 2021)
    assert skills["basic_it_skills_share"] == "100,00%"
    assert skills["security_trained_share"] == "100,00%"


def test_units_page_records_headcount_and_lan(client, demo):
    from django.urls import reverse

    from apps.organizations.models import Organization
    from conftest import verified_client

    vp = Organization.objects.get(code="skhcn-vp")
    c = verified_client(client, User.objects.get(username="cntt"))
    assert "Văn phòng Sở" in c.get(reverse("itsec:units")).content.decode()
    before = indicators.staff(vp, PLAN_DATE)
    c.post(
        reverse("itsec:units"),
        {"organization": vp.pk, "effective_from": "2022-01-01", "headcount": before + 1},  # LAN unticked
    )
    assert indicators.staff(demo, datetime.date(2022, 1, 1)) == 78
    assert indicators.units_with_lan(demo, datetime.date(2022, 1, 1)) == (6, 7)
    assert indicators.units_with_lan(demo, PLAN_DATE) == (7, 7)
