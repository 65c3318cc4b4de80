"""A meeting as an iCalendar file (RFC 5545): one VEVENT with UID, DTSTAMP, DTSTART and
DTEND in UTC, SUMMARY, DESCRIPTION, LOCATION and URL; text escaped (§ 3.3.11) and lines
folded at 75 octets (§ 3.1) without splitting a UTF-8 character."""

from __future__ import annotations

from datetime import UTC, datetime

PRODID = "-//Samvirke//Meetings//NB"


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, continuation lines starting
    with one space (which counts toward their 75)."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            out.append(current)
            current = " " + char
            limit = 75
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def meeting_ics(meeting, *, url: str, host: str, now: datetime | None = None) -> str:
    now = now or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{meeting.uuid}@{host}",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(meeting.starts_at)}",
        f"DTEND:{utc(meeting.ends_at)}",
        f"SUMMARY:{escape(meeting.title)}",
    ]
    description = meeting.description
    if meeting.video_link:
        description = f"{description}\n\n{meeting.video_link}".strip()
    if description:
        lines.append(f"DESCRIPTION:{escape(description)}")
    if meeting.video_link:
        lines.append(f"LOCATION:{escape(meeting.video_link)}")
    lines.append(f"URL:{url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
