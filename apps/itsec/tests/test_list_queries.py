"""Issue 15: the asset, system and incident lists (pages and API), the units, the training page and
the IT staff list render with as many queries for a few rows as for more."""

import datetime
import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

from . import factories

LISTS = [
    ListCase("itsec:asset_list", Role.IT_OFFICER, "asset_rows"),
    ListCase("itsec:system_list", Role.IT_OFFICER, "system_rows"),
    ListCase("itsec:system_list", Role.IT_OFFICER, "system_rows", {"q": "he thong"}),
    ListCase("itsec:incident_list", Role.IT_OFFICER, "incident_rows"),
    ListCase("itsec:units", Role.ADMINISTRATOR, "unit_rows"),
    ListCase("itsec:training", Role.IT_OFFICER, "course_rows"),
    ListCase("itsec:staff_list", Role.IT_OFFICER, "it_staff_rows"),
    ListCase("api:itsec:asset_list", Role.IT_OFFICER, "asset_rows"),
    ListCase("api:itsec:system_list", Role.IT_OFFICER, "system_rows"),
    ListCase("api:itsec:incident_list", Role.IT_OFFICER, "incident_rows"),
]

_serial = itertools.count()


@pytest.fixture
def asset_rows(tree):
    def add(n):
        codes = [f"MT-Q{next(_serial):04d}" for _ in range(n)]
        for code in codes:
            factories.asset(tree["tech"], code=code, serial=f"S-{code}")
        return codes

    return add


@pytest.fixture
def system_rows(tree):
    def add(n):
        names = [f"Hệ thống {next(_serial):04d}" for _ in range(n)]
        for name in names:
            factories.system(tree["tech"], name=name)
        return names

    return add


@pytest.fixture
def incident_rows(tree, users):
    def add(n):
        codes = []
        for _ in range(n):
            k = next(_serial)
            incident = factories.incident(tree["tech"], users[Role.SPECIALIST], code=f"SC-Q-{k:04d}")
            incident.assets.add(factories.asset(tree["tech"], code=f"MT-SC{k:04d}"))
            incident.systems.add(factories.system(tree["tech"], name=f"Hệ thống sự cố {k:04d}"))
            codes.append(incident.code)
        return codes

    return add


@pytest.fixture
def unit_rows(tree):
    from apps.itsec.models import StaffHeadcount, UnitNetwork
    from apps.organizations.models import Organization, OrganizationKind

    def add(n):
        names = []
        for _ in range(n):
            k = next(_serial)
            unit = Organization.objects.create(
                name=f"Phòng thử {k:04d}",
                code=f"t-it{k:04d}",
                kind=OrganizationKind.UNIT,
                parent=tree["agency"],
            )
            StaffHeadcount.objects.create(
                organization=unit, effective_from=datetime.date(2020, 1, 1), headcount=7
            )
            UnitNetwork.objects.create(
                organization=unit, effective_from=datetime.date(2020, 1, 1), has_lan=k % 2
            )
            names.append(unit.name)
        return names

    return add


@pytest.fixture
def course_rows(tree, users):
    from apps.itsec.models import Attendance, TrainingCourse

    year = datetime.date.today().year

    def add(n):
        titles = []
        for _ in range(n):
            title = f"Lớp an toàn thông tin {next(_serial):04d}"
            course = TrainingCourse.objects.create(
                title=title,
                organization=tree["tech"],
                starts_on=datetime.date(year, 1, 5),
                ends_on=datetime.date(year, 1, 6),
                topic="security",
            )
            Attendance.objects.create(course=course, user=users[Role.SPECIALIST], full_name="Học viên")
            titles.append(title)
        return titles

    return add


@pytest.fixture
def it_staff_rows(tree):
    from apps.itsec.models import ItStaff

    def add(n):
        names = [f"Cán bộ CNTT {next(_serial):04d}" for _ in range(n)]
        for name in names:
            ItStaff.objects.create(
                full_name=name,
                organization=tree["tech"],
                qualification="bachelor",
                active_from=datetime.date(2020, 1, 1),
            )
        return names

    return add


test_list_queries = list_query_test(LISTS)
