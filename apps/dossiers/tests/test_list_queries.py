"""Issue 15: every dossier list and list endpoint renders with as many queries for a few rows as
for more (the inbox boxes, "my dossiers", the online catalogue, the API list)."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("dossiers:inbox", Role.ONE_STOP_OFFICER, "dossier_rows"),  # the first box: the desk
    ListCase("dossiers:inbox", Role.ONE_STOP_OFFICER, "dossier_rows", {"box": "all"}),
    ListCase("dossiers:inbox", Role.LEADER, "dossier_rows", {"box": "all"}),
    ListCase("dossiers:mine", Role.CITIZEN, "my_dossier_rows"),
    ListCase("dossiers:online_list", None, "procedure_rows"),
    ListCase("api:dossiers:list", Role.ONE_STOP_OFFICER, "dossier_rows"),
]

_serial = itertools.count()


@pytest.fixture
def dossier_rows(submit):
    def add(n):
        return [submit().code for _ in range(n)]

    return add


@pytest.fixture
def my_dossier_rows(submit, users):
    def add(n):
        return [submit(applicant_user=users[Role.CITIZEN]).code for _ in range(n)]

    return add


@pytest.fixture
def procedure_rows(db):
    from apps.procedures.tests.factories import make_published

    def add(n):
        return [make_published(f"Thủ tục trực tuyến {next(_serial):04d}").name for _ in range(n)]

    return add


test_list_queries = list_query_test(LISTS)
