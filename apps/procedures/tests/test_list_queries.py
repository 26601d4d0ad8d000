"""Issue 15: the procedure catalogue (public and staff) and its API lists render with as many
queries for a few procedures as for more."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

from .factories import make_published

LISTS = [
    ListCase("procedures:catalogue", None, "procedure_rows"),
    ListCase("procedures:catalogue", None, "procedure_rows", {"q": "thu tuc"}),
    ListCase("procedures:staff_list", Role.ADMINISTRATOR, "procedure_rows"),
    ListCase("api:procedures:procedure-list", None, "procedure_rows"),
    ListCase("api:procedures:field-list", None, "field_rows"),
]

_serial = itertools.count()


@pytest.fixture
def procedure_rows(tree):
    def add(n):
        names = []
        for i in range(n):
            k = next(_serial)
            version = make_published(
                f"Thủ tục số {k:04d}",
                field=f"Lĩnh vực {k % 3}",
                unit=tree["tech"] if i % 2 else None,
                fee={"kind": "fixed", "amount": 100000} if i % 2 else None,
            )
            names.append(version.name)
        return names

    return add


@pytest.fixture
def field_rows(db):
    def add(n):
        names = [f"Lĩnh vực riêng {next(_serial):04d}" for _ in range(n)]
        for name in names:
            make_published(f"Thủ tục thuộc {name}", field=name)
        return names

    return add


test_list_queries = list_query_test(LISTS)
