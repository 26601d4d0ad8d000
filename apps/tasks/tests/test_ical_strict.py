"""The .ics a participant downloads or receives, checked against RFC 5545's structure strictly
(the `icalendar` package is not installed in this environment, so the rules are spelt out here)."""

import datetime
import re
import zoneinfo

import pytest
from django.test import override_settings
from django.urls import reverse

from apps.tasks import services
from apps.tasks.models import Room
from conftest import verified_client

from .conftest import MONDAY

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

NAME = r"(?:[A-Za-z0-9-]+)"
PARAM_VALUE = r'(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)'
PARAM = rf"{NAME}={PARAM_VALUE}(?:,{PARAM_VALUE})*"
CONTENT_LINE = re.compile(
    rf"^(?P<name>{NAME})(?P<params>(?:;{PARAM})*):(?P<value>[^\x00-\x08\x0a-\x1f\x7f]*)$"
)
UTC_DATE_TIME = re.compile(r"^\d{8}T\d{6}Z$")

# property → (component, how many times: "1" exactly once, "?" at most once)
REQUIRED = {
    ("VCALENDAR", "PRODID"): "1",
    ("VCALENDAR", "VERSION"): "1",
    ("VCALENDAR", "METHOD"): "?",
    ("VCALENDAR", "CALSCALE"): "?",
    ("VEVENT", "UID"): "1",
    ("VEVENT", "DTSTAMP"): "1",
    ("VEVENT", "DTSTART"): "1",
    ("VEVENT", "DTEND"): "?",
    ("VEVENT", "SUMMARY"): "?",
    ("VEVENT", "LOCATION"): "?",
    ("VEVENT", "DESCRIPTION"): "?",
    ("VEVENT", "SEQUENCE"): "?",
    ("VEVENT", "STATUS"): "?",
    ("VEVENT", "URL"): "?",
    ("VEVENT", "ORGANIZER"): "?",
}


def check_rfc5545(raw: bytes) -> dict:
    """Raise AssertionError on any structural fault; return the event's properties (unfolded)."""
    text = raw.decode("utf-8")  # RFC 5545 §3.1.4: UTF-8
    assert text.endswith("\r\n"), "every content line ends with CRLF"
    physical = text[:-2].split("\r\n")
    assert all("\n" not in p and "\r" not in p for p in physical), "bare LF or CR"
    assert all(len(p.encode()) <= 75 for p in physical), "a line longer than 75 octets"
    logical = []
    for p in physical:
        if p.startswith((" ", "\t")):
            assert logical, "a continuation line first"
            logical[-1] += p[1:]
        else:
            logical.append(p)
    stack, counts, event = [], {}, {}
    for line in logical:
        m = CONTENT_LINE.match(line)
        assert m, f"not a content line: {line!r}"
        name, value = m["name"].upper(), m["value"]
        if name == "BEGIN":
            stack.append(value)
            continue
        if name == "END":
            assert stack and stack.pop() == value, f"END:{value} does not close {stack}"
            continue
        assert stack, f"{name} outside any component"
        component = stack[-1]
        assert (component, name) in REQUIRED or name.startswith("X-") or name == "ATTENDEE", (component, name)
        counts[(component, name)] = counts.get((component, name), 0) + 1
        if component == "VEVENT":
            event[name] = value
    assert not stack, f"unclosed {stack}"
    for key, rule in REQUIRED.items():
        n = counts.get(key, 0)
        assert n <= 1 and (rule != "1" or n == 1), f"{key} appears {n} times"
    assert logical[0] == "BEGIN:VCALENDAR" and logical[-1] == "END:VCALENDAR"
    assert dict(line.split(":", 1) for line in logical if line.startswith("VERSION"))["VERSION"] == "2.0"
    for prop in ("DTSTAMP", "DTSTART", "DTEND"):
        assert UTC_DATE_TIME.match(event[prop]), (prop, event[prop])
    assert event["DTEND"] > event["DTSTART"]
    assert re.match(r"^\d+$", event["SEQUENCE"])
    return event


@override_settings(JITSI_BASE_URL="https://hop.daklak.gov.vn")
def test_downloaded_ics_is_valid_rfc5545_and_changes_keep_the_uid(client, people, tree):
    room = Room.objects.create(
        organization=tree["agency"], name="Phòng họp số 2", location="Tầng 3; dãy B, cổng chính"
    )
    day = MONDAY + datetime.timedelta(days=8)
    start = datetime.datetime.combine(day, datetime.time(14), tzinfo=HCM)
    meeting = services.schedule_meeting(
        people["leader"],
        title="Họp: rà soát hệ thống thông tin cấp độ 2, 3 — kế hoạch; phân công",
        description="Nội dung 1: báo cáo tiến độ\nNội dung 2: thảo luận, kết luận",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        room=room,
        mode="hybrid",
        chair="Phó Giám đốc Sở",
        participants=[people["head_tech"]],
        organization=tree["agency"],
    )
    c = verified_client(client, people["head_tech"])
    response = c.get(reverse("tasks:meeting_ics", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].endswith('.ics"')
    event = check_rfc5545(response.content)
    assert event["UID"] == f"{meeting.uid}@chinhquyenso.local"
    assert event["DTSTART"] == f"{day:%Y%m%d}T070000Z"
    assert event["LOCATION"] == r"Phòng họp số 2\, Tầng 3\; dãy B\, cổng chính"

    later = start + datetime.timedelta(days=1)
    services.reschedule_meeting(
        people["leader"], meeting, starts_at=later, ends_at=later + datetime.timedelta(hours=1), room=room
    )
    services.cancel_meeting(people["leader"], meeting, note="Hoãn")
    moved = check_rfc5545(c.get(reverse("tasks:meeting_ics", args=[meeting.pk])).content)
    # the same UID with a higher SEQUENCE is how a calendar program updates the entry it imported
    assert moved["UID"] == event["UID"] and int(moved["SEQUENCE"]) == 2 and moved["STATUS"] == "CANCELLED"


def _properties(raw: bytes, name: str) -> list[str]:
    """Every unfolded `name` line of the calendar, as written."""
    text = raw.decode().replace("\r\n ", "")
    return [line for line in text.split("\r\n") if line.startswith(name + ";") or line.startswith(name + ":")]


def test_the_downloaded_ics_lists_every_attendee_and_the_organizer(client, people, tree):
    """#18.11a: the file named only the person downloading it; it names everyone invited."""
    start = datetime.datetime.combine(MONDAY + datetime.timedelta(days=8), datetime.time(9), tzinfo=HCM)
    invited = [people["head_tech"], people["staff_tech"], people["staff_office"]]
    meeting = services.schedule_meeting(
        people["leader"],
        title="Giao ban chuyển đổi số",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        location="Phòng họp tầng 2",
        participants=invited,
        organization=tree["agency"],
    )
    raw = (
        verified_client(client, people["staff_tech"])
        .get(reverse("tasks:meeting_ics", args=[meeting.pk]))
        .content
    )
    check_rfc5545(raw)
    attendees = _properties(raw, "ATTENDEE")
    assert len(attendees) == 3
    for user in invited:
        assert any(
            f'CN="{user.get_full_name()}"' in line and line.endswith(f":mailto:{user.email}")
            for line in attendees
        ), user
    assert all("ROLE=REQ-PARTICIPANT" in line and "PARTSTAT=NEEDS-ACTION" in line for line in attendees)
    leader = people["leader"]
    assert _properties(raw, "ORGANIZER") == [f'ORGANIZER;CN="{leader.get_full_name()}":mailto:{leader.email}']
    # The same list in the copy another participant downloads.
    other = verified_client(type(client)(), people["head_tech"]).get(
        reverse("tasks:meeting_ics", args=[meeting.pk])
    )
    assert _properties(other.content, "ATTENDEE") == attendees
