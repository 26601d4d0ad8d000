"""Issue 15: the incoming and outgoing registers and their API lists render with as many queries
for a few documents as for more."""

import datetime as dt
import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test

LISTS = [
    ListCase("documents:incoming_list", None, "incoming_rows", user="clerk"),
    ListCase("documents:incoming_list", None, "incoming_rows", user="leader"),
    ListCase("documents:outgoing_list", None, "outgoing_rows", user="drafter"),
    ListCase("documents:outgoing_list", None, "outgoing_rows", user="leader"),
    ListCase("api:documents:incoming_list", None, "incoming_rows", user="clerk"),
    ListCase("api:documents:outgoing_list", None, "outgoing_rows", user="drafter"),
]

_serial = itertools.count()


@pytest.fixture
def clerk(actors):
    return actors["clerk"]


@pytest.fixture
def leader(actors):
    return actors["leader"]


@pytest.fixture
def drafter(actors):
    return actors["specialist"]


@pytest.fixture
def incoming_rows(actors, tree, doc_types):
    from apps.documents import services

    def add(n):
        summaries = []
        for _ in range(n):
            summary = f"Công văn về chuyển đổi số {next(_serial):04d}"
            services.register_incoming(
                actors["clerk"],
                organization=tree["agency"],
                doc_type=doc_types["Công văn"],
                sender_name=f"UBND huyện {len(summaries)}",
                summary=summary,
                document_date=dt.date(2022, 3, 1),
            )
            summaries.append(summary)
        return summaries

    return add


@pytest.fixture
def outgoing_rows(actors, tree, doc_types):
    from apps.documents import services

    def add(n):
        summaries = []
        for i in range(n):
            summary = f"Kế hoạch số {next(_serial):04d}"
            doc = services.create_draft(
                actors["specialist"],
                drafting_unit=tree["tech"],
                doc_type=doc_types["KH"],
                summary=summary,
                composition={"body": "Nội dung"},
            )
            if i % 2:
                services.submit_for_review(actors["specialist"], doc, reviewers=[actors["leader"]])
            summaries.append(summary)
        return summaries

    return add


test_list_queries = list_query_test(LISTS)
