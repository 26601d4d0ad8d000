"""Issue 15: the plan list, the project list and the plans API render with as many queries for a
few rows as for more (without the package's demo seed: rows are made here)."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("plans:index", Role.LEADER, "plan_rows"),
    ListCase("plans:index", Role.ADMINISTRATOR, "plan_rows"),
    ListCase("plans:project_list", Role.LEADER, "project_rows"),
    ListCase("api:plans:plan_list", Role.LEADER, "plan_rows"),
]

_serial = itertools.count()


@pytest.fixture
def plan_rows(tree):
    from apps.plans.models import Plan, Project

    def add(n):
        titles = []
        for _ in range(n):
            k = next(_serial)
            plan = Plan.objects.create(
                organization=tree["agency"], year=2000 + k, title=f"Kế hoạch chuyển đổi số {k:04d}"
            )
            Project.objects.create(plan=plan, order=1, name=f"Dự án {k:04d}", total=1_000_000)
            titles.append(plan.title)
        return titles

    return add


@pytest.fixture
def project_rows(tree):
    from apps.plans.models import Plan, Project

    plan = Plan.objects.create(organization=tree["agency"], year=2099, title="Kế hoạch năm 2099")

    def add(n):
        names = []
        for _ in range(n):
            k = next(_serial)
            Project.objects.create(plan=plan, order=k, name=f"Nhiệm vụ, dự án {k:04d}", total=5_000_000)
            names.append(f"Nhiệm vụ, dự án {k:04d}")
        return names

    return add


test_list_queries = list_query_test(LISTS)
