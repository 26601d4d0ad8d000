"""The demo catalogue reproduces the plan's Part I: 54 procedures, 31/3/20 by level.

The plan prints 57,40% for level 2, but 31/54 = 57,407…% rounds half up to 57,41% (as the
core formatting tests document); the indicator computes the figure, it does not copy the print.
The other two printed shares (5,56% and 37,04%) are what the computation gives.
"""

import datetime

import pytest

from apps.accounts.demo import seed_foundation
from apps.organizations.models import Organization
from apps.procedures import demo, indicators, public
from apps.procedures.models import ProcedureVersion, VersionStatus

pytestmark = pytest.mark.django_db

PLAN_DATE = datetime.date(2021, 10, 4)


@pytest.fixture
def seeded():
    seed_foundation()
    return demo.seed_procedures()


def test_demo_catalogue_reproduces_the_plan(seeded):
    agency = Organization.objects.get(code="skhcn")
    result = indicators.procedures_by_legacy_level(agency, PLAN_DATE)
    assert result.total == 54
    assert result.by_level == {2: 31, 3: 3, 4: 20}
    assert result.share_by_level == {2: "57,41%", 3: "5,56%", 4: "37,04%"}
    # 31/54 = 57.4074…%: the plan printed "57,40%"; the platform computes the correctly rounded value.
    assert result.share_by_level[2] != "57,40%"
    # The whole catalogue and the province give the same figures.
    assert indicators.procedures_by_legacy_level(None, PLAN_DATE).by_level == {2: 31, 3: 3, 4: 20}
    assert (
        indicators.procedures_by_legacy_level(Organization.objects.get(code="dak-lak"), PLAN_DATE).total == 54
    )


def test_indicators_depend_on_the_organisation_and_the_date(seeded, tree):
    assert indicators.procedures_by_legacy_level(tree["other_agency"], PLAN_DATE).total == 0
    assert indicators.procedures_by_legacy_level(None, datetime.date(2019, 12, 31)).total == 0
    online = indicators.procedures_by_online_level(None, PLAN_DATE)
    assert online.by_level == {"full": 20, "partial": 3, "none": 31}
    assert online.share_by_level["full"] == "37,04%"


def test_demo_data_is_labelled_and_idempotent(seeded):
    versions = ProcedureVersion.objects.all()
    assert versions.count() == 54 and all(v.status == VersionStatus.PUBLISHED for v in versions)
    assert all(v.effective_from < datetime.date(2021, 1, 1) for v in versions)
    assert not versions.filter(name__contains="2025").exists()
    assert versions.filter(name__endswith="(thủ tục minh họa)").count() == 15
    assert all("giả định" in v.note for v in versions)  # the level assignment is a stated assumption
    assert all(v.steps and v.processing_days for v in versions)
    again = demo.seed_procedures()
    assert again["procedures"] == 0 and ProcedureVersion.objects.count() == 54


def test_demo_fees_follow_the_notes(seeded):
    cgcn = ProcedureVersion.objects.get(name__startswith="Cấp Giấy chứng nhận đăng ký chuyển giao công nghệ")
    assert public.compute_fee(cgcn.pk, {"gia_tri_hop_dong": "2.000.000.000"}) == 5000000
    xray = ProcedureVersion.objects.get(name__startswith="Cấp giấy phép tiến hành công việc bức xạ")
    assert public.compute_fee(xray.pk, {"so_thiet_bi": "2"}) == 6000000


def test_a_later_version_does_not_change_the_2021_figures(seeded):
    from apps.procedures import services

    version = ProcedureVersion.objects.filter(legacy_level=2).first()
    draft = services.create_draft(None, version.procedure)
    services.update_draft(None, draft, legacy_level=4, online_level="full")
    services.publish(None, draft)
    assert indicators.procedures_by_legacy_level(None, PLAN_DATE).by_level == {2: 31, 3: 3, 4: 20}
    assert indicators.procedures_by_legacy_level(None).by_level == {2: 30, 3: 3, 4: 21}
    demo.seed_procedures()  # re-seeding leaves the administrator's new version alone
    assert indicators.procedures_by_legacy_level(None).by_level == {2: 30, 3: 3, 4: 21}
