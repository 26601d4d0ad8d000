"""Issue 15: the notification inbox renders with as many queries for a few messages as for more."""

import itertools

import pytest

from apps.core.tests.querycount import ListCase, list_query_test
from apps.organizations.roles import Role

LISTS = [
    ListCase("core:inbox", Role.SPECIALIST, "notification_rows"),
]

_serial = itertools.count()


@pytest.fixture
def notification_rows(users):
    from apps.core.notifications.models import Channel, MessageStatus, OutboxMessage

    def add(n):
        subjects = [f"Thông báo {next(_serial):05d}" for _ in range(n)]
        OutboxMessage.objects.bulk_create(
            OutboxMessage(
                event="test",
                channel=Channel.IN_APP,
                recipient=users[Role.SPECIALIST].username,
                recipient_user=users[Role.SPECIALIST],
                subject=subject,
                body="Nội dung",
                status=MessageStatus.SENT,
            )
            for subject in subjects
        )
        return subjects

    return add


test_list_queries = list_query_test(LISTS)
