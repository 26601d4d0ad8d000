"""Issue 15: the organisation tree renders with as many queries for a few units as for more."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("organizations:tree", Role.ADMINISTRATOR, "unit_rows"),
]

_serial = itertools.count()


@pytest.fixture
def unit_rows(tree, make_user):
    from apps.organizations.models import Membership, Organization, OrganizationKind

    def add(n):
        names = []
        for _ in range(n):
            i = next(_serial)
            unit = Organization.objects.create(
                name=f"Phòng thử {i:04d}",
                code=f"t-p{i:04d}",
                kind=OrganizationKind.UNIT,
                parent=tree["agency"],
            )
            user = make_user(Role.SPECIALIST, username=f"nv{i:04d}")
            Membership.objects.create(user=user, organization=unit, role=Role.UNIT_HEAD)
            names.append(unit.name)
        return names

    return add


test_list_queries = list_query_test(LISTS)
