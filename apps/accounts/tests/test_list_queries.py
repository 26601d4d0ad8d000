"""Issue 15: the account lists render with as many queries for a few rows as for more."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("accounts:account_list", Role.ADMINISTRATOR, "account_rows"),
    ListCase("accounts:apiclient_list", Role.ADMINISTRATOR, "apiclient_rows"),
]

_serial = itertools.count()


@pytest.fixture
def account_rows(make_user):
    def add(n):
        names = []
        for _ in range(n):
            i = next(_serial)
            user = make_user(Role.SPECIALIST, username=f"hang{i:04d}")
            clerk = make_user(Role.CLERK, username=f"hangvt{i:04d}")  # accounts in two units
            names += [user.username, clerk.username]
        return names

    return add


@pytest.fixture
def apiclient_rows(tree, users):
    from apps.accounts.models import ApiClient

    def add(n):
        names = []
        for _ in range(n):
            _raw, prefix, digest = ApiClient.new_token()
            name = f"Ứng dụng {next(_serial):04d}"
            ApiClient.objects.create(
                name=name,
                organization=tree["tech"],
                scopes=["dossiers:read"],
                token_prefix=prefix,
                token_hash=digest,
                created_by=users[Role.ADMINISTRATOR],
            )
            names.append(name)
        return names

    return add


test_list_queries = list_query_test(LISTS)
