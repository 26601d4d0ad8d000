"""Issue #18.2: a meeting's history panel reads as a Vietnamese timeline (who, when, what changed)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from apps.core.tests.readable_pages import assert_readable, history_panel
from apps.organizations.roles import Role
from apps.tasks import services
from apps.tasks.models import Room
from conftest import verified_client

pytestmark = pytest.mark.django_db


def test_meeting_history_reads_as_a_timeline(client, users, tree, settings):
    settings.LANGUAGE_CODE = "vi"
    leader = users[Role.LEADER]
    room = Room.objects.create(organization=tree["agency"], name="Phòng họp 1")
    start = datetime.datetime(2022, 1, 12, 1, 0, tzinfo=datetime.UTC)  # 08:00 in Vietnam
    meeting = services.schedule_meeting(
        leader, title="Giao ban", starts_at=start, ends_at=start + datetime.timedelta(hours=2), room=room
    )
    services.record_minutes(leader, meeting, minutes="Thống nhất phân công.")
    with translation.override("vi"):
        html = verified_client(client, leader).get(reverse("tasks:meeting_detail", args=[meeting.pk]))
    found = assert_readable(history_panel(html.content.decode()))
    assert "Trạng thái: Đã lên lịch → Đã diễn ra" in found
    assert "Biên bản: Thống nhất phân công." in found
    assert "12/01/2022 08:00" in found  # the meeting's start among the first values, Vietnamese time
    assert "tasks.MeetingHistory" not in found and "Participant" not in found
