"""Two concurrent bookings of the same room: the room lock serialises them, one is refused (PostgreSQL)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from apps.tasks import services
from apps.tasks.models import Meeting, Room

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_double_booking_is_refused(people, tree):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers itself)")
    room = Room.objects.create(organization=tree["agency"], name="Phòng họp 1")
    start = datetime.datetime(2026, 5, 4, 1, 0, tzinfo=datetime.UTC)
    barrier = threading.Barrier(2)
    outcomes = []

    def book(n):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            services.schedule_meeting(
                people["leader"],
                title=f"Họp {n}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=1),
                room=room,
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["ok", "refused"]
    assert Meeting.objects.filter(room=room).count() == 1
