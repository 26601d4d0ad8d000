"""iCalendar (RFC 5545) text for a meeting, written by hand (no icalendar package).

CRLF line endings, content lines folded at 75 octets (never inside a UTF-8 sequence), TEXT values
escaped (backslash, semicolon, comma, newline), DTSTART/DTEND/DTSTAMP in UTC.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import MeetingStatus

CRLF = "\r\n"


def escape_text(value: str) -> str:
    return (
        (value or "")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold one content line so that no physical line exceeds 75 octets."""
    out, current, size = [], "", 0
    limit = 75
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size = " ", 1  # the continuation line starts with one space
        current += ch
        size += n
    out.append(current)
    return CRLF.join(out)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting, attendee=None, *, now: datetime.datetime | None = None) -> str:
    """The meeting as one VEVENT listing its organizer and every participant. `attendee` (the
    recipient of an invitation or the person downloading) changes nothing in the text: every copy
    names everyone invited."""
    from .services import jitsi_url

    now = now or timezone.now()
    domain = getattr(settings, "ICAL_UID_DOMAIN", "chinhquyenso.local")
    location = meeting.room.name if meeting.room_id else meeting.location
    if meeting.room_id and meeting.room.location:
        location = f"{location}, {meeting.room.location}"
    description = meeting.description or ""
    if meeting.is_online:
        url = jitsi_url(meeting)
        description = f"{description}\nPhòng họp trực tuyến: {url}".strip()
    cancelled = meeting.status == MeetingStatus.CANCELLED
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Chinh quyen so//Lich hop//VI",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{meeting.uid}@{domain}",
        f"SEQUENCE:{meeting.sequence}",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at)}",
        f"SUMMARY:{escape_text(meeting.title)}",
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if meeting.is_online:
        lines.append(f"URL:{jitsi_url(meeting)}")
    organizer = meeting.organizer
    if organizer.email:
        lines.append(f"ORGANIZER;CN={_param(organizer.get_full_name())}:mailto:{organizer.email}")
    lines += _attendees(meeting)
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return CRLF.join(fold(line) for line in lines) + CRLF


# A participant's attendance as an iCalendar participation status (RFC 5545 §3.2.12).
PARTSTAT = {"present": "ACCEPTED", "absent": "DECLINED", "excused": "DECLINED"}


def _attendees(meeting) -> list[str]:
    """One ATTENDEE line per participant with an e-mail address (a calendar address is a URI),
    whoever the copy is for; the organizer only as ORGANIZER."""
    lines = []
    participants = meeting.participants.select_related("user").order_by("user__full_name", "user__pk")
    for user, attendance in ((p.user, p.attendance) for p in participants):
        email = (user.email or "").strip()
        if not email or user.pk == meeting.organizer_id:
            continue
        status = PARTSTAT.get(attendance, "NEEDS-ACTION")
        lines.append(
            f"ATTENDEE;CN={_param(user.get_full_name())};ROLE=REQ-PARTICIPANT;PARTSTAT={status};"
            f"RSVP=FALSE:mailto:{email}"
        )
    return lines


def _param(value: str) -> str:
    """A parameter value: quoted, with the characters RFC 5545 forbids there removed."""
    return '"' + (value or "").replace('"', "'").replace("\n", " ") + '"'
