"""Meetings: booking without double booking, invitations with an .ics that parses, minutes → tasks."""

import base64
import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings

from apps.core.notifications.models import OutboxMessage
from apps.tasks import services
from apps.tasks.ical import fold, meeting_ics
from apps.tasks.models import Meeting, MeetingStatus, Room

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def at(hour, minute=0, day=MONDAY + datetime.timedelta(days=7)):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=HCM)


@pytest.fixture
def room(tree):
    return Room.objects.create(
        organization=tree["agency"], name="Phòng họp số 1", location="Tầng 2, 15 Hùng Vương"
    )


def _meeting(people, room, start, end, **kw):
    return services.schedule_meeting(
        people["leader"],
        title=kw.pop("title", "Giao ban tuần"),
        starts_at=start,
        ends_at=end,
        room=room,
        **kw,
    )


def test_double_booking_is_refused_but_adjacent_and_cancelled_slots_are_free(people, room):
    first = _meeting(people, room, at(8), at(10))
    with pytest.raises(ValidationError) as exc:
        _meeting(people, room, at(9, 30), at(11), title="Trùng giờ")
    assert "room" in exc.value.message_dict
    assert not Meeting.objects.filter(title="Trùng giờ").exists()
    with pytest.raises(ValidationError):  # fully inside
        _meeting(people, room, at(8, 30), at(9), title="Bên trong")
    _meeting(people, room, at(10), at(11), title="Liền kề")  # touching end/start is not an overlap
    services.cancel_meeting(people["leader"], first, note="Hoãn")
    _meeting(people, room, at(8), at(9), title="Thay thế")  # a cancelled booking frees the room
    assert Meeting.objects.exclude(status=MeetingStatus.CANCELLED).count() == 2


def test_reschedule_onto_a_booked_slot_is_refused(people, room):
    _meeting(people, room, at(8), at(10))
    other = _meeting(people, room, at(14), at(15), title="Chiều")
    with pytest.raises(ValidationError):
        services.reschedule_meeting(people["leader"], other, starts_at=at(9), ends_at=at(11), room=room)
    other.refresh_from_db()
    assert other.starts_at == at(14) and other.sequence == 0


def test_end_before_start_and_in_person_without_place_are_refused(people, room):
    with pytest.raises(ValidationError):
        _meeting(people, room, at(10), at(9))
    with pytest.raises(ValidationError):
        services.schedule_meeting(
            people["leader"], title="x", starts_at=at(8), ends_at=at(9), mode="in_person"
        )
    assert Meeting.objects.count() == 0


def parse_ics(text: str) -> list[dict]:
    """A small RFC 5545 reader: unfold, split properties, unescape TEXT values."""
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    for physical in text.split("\r\n"):
        assert len(physical.encode("utf-8")) <= 75
    lines = text.replace("\r\n ", "").split("\r\n")
    events, current, stack = [], None, []
    for line in filter(None, lines):
        name_params, _, value = line.partition(":")
        name = name_params.split(";")[0]
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                current = {}
        elif name == "END":
            assert stack.pop() == value
            if value == "VEVENT":
                events.append(current)
        elif current is not None:
            unescaped, i = [], 0
            while i < len(value):
                if value[i] == "\\" and i + 1 < len(value):
                    unescaped.append("\n" if value[i + 1] in "nN" else value[i + 1])
                    i += 2
                else:
                    unescaped.append(value[i])
                    i += 1
            current[name] = "".join(unescaped)
    assert not stack
    return events


@override_settings(JITSI_BASE_URL="https://hop.daklak.gov.vn/")
def test_invitation_carries_an_ics_that_parses_back(
    people, room, templates, django_capture_on_commit_callbacks
):
    title = "Họp triển khai chuyển đổi số; hạ tầng, an toàn thông tin và đào tạo nguồn nhân lực năm 2026"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _meeting(
            people,
            room,
            at(8),
            at(10, 30),
            title=title,
            mode="hybrid",
            participants=[people["head_tech"], people["staff_office"]],
        )
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    [event] = parse_ics(text)
    assert event["SUMMARY"] == title
    assert event["DTSTART"] == "20260309T010000Z" and event["DTEND"] == "20260309T033000Z"  # 08:00 +07
    assert event["UID"] == f"{meeting.uid}@chinhquyenso.local"
    assert event["LOCATION"] == "Phòng họp số 1, Tầng 2, 15 Hùng Vương"
    assert event["URL"] == f"https://hop.daklak.gov.vn/cqs-{meeting.uid.hex}"
    assert "hop.daklak.gov.vn" in message.body
    stored = OutboxMessage.objects.get(event="meeting_invitation", recipient=message.to[0])
    assert base64.b64decode(stored.attachments[0]["content"]).decode() == text


def test_fold_never_splits_a_multibyte_character():
    line = "SUMMARY:" + "Đắk Lắk " * 30
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts) and len(parts) > 3
    assert folded.replace("\r\n ", "") == line


def test_cancelled_meeting_ics_says_cancel(people, room):
    meeting = _meeting(people, room, at(8), at(9))
    services.cancel_meeting(people["leader"], meeting)
    meeting.refresh_from_db()
    text = meeting_ics(meeting)
    assert "METHOD:CANCEL" in text and "STATUS:CANCELLED" in text and "SEQUENCE:1" in text


def test_minutes_attendance_and_tasks_from_minutes(people, room, tree):
    meeting = _meeting(people, room, at(8), at(9), participants=[people["head_tech"]])
    with pytest.raises(ValidationError):  # no task before minutes
        services.task_from_minutes(
            people["leader"],
            meeting,
            title="x",
            due_date=MONDAY + datetime.timedelta(20),
            units=[tree["tech"]],
            on=MONDAY,
        )
    participant = meeting.participants.get()
    services.record_minutes(
        people["leader"], meeting, minutes="Thống nhất giao QLCN", attendance={participant.pk: "present"}
    )
    meeting.refresh_from_db()
    participant.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and participant.attendance == "present"
    task = services.task_from_minutes(
        people["leader"],
        meeting,
        title="Xây dựng quy chế",
        due_date=MONDAY + datetime.timedelta(20),
        units=[tree["tech"]],
        on=MONDAY,
    )
    assert (
        task.meeting == meeting and task.source_kind == "meeting" and "Giao ban tuần" in task.source_reference
    )


def test_schedule_form_refuses_double_booking_with_a_message(client, people, room):
    from django.urls import reverse

    from conftest import verified_client

    c = verified_client(client, people["leader"])
    data = {
        "title": "Giao ban",
        "mode": "in_person",
        "room": room.pk,
        "starts_at": "2026-03-09T08:00",
        "ends_at": "2026-03-09T10:00",
        "participants": [people["head_tech"].pk],
        "is_public": "on",
    }
    first = c.post(reverse("tasks:meeting_create"), data)
    assert first.status_code == 302
    second = c.post(
        reverse("tasks:meeting_create"), {**data, "title": "Trùng", "starts_at": "2026-03-09T09:00"}
    )
    assert second.status_code == 200 and "already booked" in second.content.decode()
    assert Meeting.objects.count() == 1
    detail = c.get(first["Location"])
    assert "Phòng họp số 1" in detail.content.decode()
    ics = c.get(reverse("tasks:meeting_ics", args=[Meeting.objects.get().pk]))
    [event] = parse_ics(ics.content.decode())
    assert event["SUMMARY"] == "Giao ban" and event["DTSTART"] == "20260309T010000Z"


def test_moving_a_meeting_on_its_page_refuses_a_booked_slot_and_reinvites(
    client, people, room, templates, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from conftest import verified_client

    _meeting(people, room, at(8), at(10), title="Giao ban")
    other = _meeting(people, room, at(14), at(15), title="Họp chuyên đề", participants=[people["head_tech"]])
    c = verified_client(client, people["leader"])
    url = reverse("tasks:meeting_reschedule", args=[other.pk])
    move = {"move-starts_at": "2026-03-09T09:00", "move-ends_at": "2026-03-09T11:00", "move-room": room.pk}
    page = c.post(url, move, follow=True).content.decode()
    assert "already booked" in page and "Giao ban" in page
    other.refresh_from_db()
    assert other.starts_at == at(14) and other.sequence == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        c.post(url, {**move, "move-starts_at": "2026-03-09T10:00"})
    other.refresh_from_db()
    assert other.starts_at == at(10) and other.sequence == 1
    [message] = mail.outbox
    content = message.attachments[0][1]
    [event] = parse_ics(content.decode() if isinstance(content, bytes) else content)
    assert event["DTSTART"] == "20260309T030000Z" and event["SEQUENCE"] == "1"
