"""Issue 15: the audit log renders with as many queries for a few events as for more."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("audit:event_list", Role.ADMINISTRATOR, "event_rows"),
]

_serial = itertools.count()


@pytest.fixture
def event_rows(tree, users):
    from apps.audit.services import record

    def add(n):
        notes = []
        for _ in range(n):
            note = f"ghi-chu-{next(_serial):05d}"
            record("test_event", tree["tech"], actor=users[Role.SPECIALIST], note=note)
            notes.append(note)
        return notes

    return add


test_list_queries = list_query_test(LISTS)
