"""A small RFC 5545 (iCalendar) serializer for one consultant's shifts.

Only what a calendar needs: one VEVENT per shift with UID, DTSTAMP, DTSTART/DTEND in
UTC and a summary. No location and no family detail: a calendar feed ends up on phones.
Lines end in CRLF and are folded at 75 octets (RFC 5545 §3.1); text is escaped (§3.3.11).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//famplan//døgnindsats roster//EN"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    description: str = ""


def escape_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def utc_stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (continuations start with a
    space), never inside a UTF-8 character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode()) > limit:
            parts.append(current)
            current = char
            limit = 74  # the leading space of a continuation line counts
        else:
            current += char
    parts.append(current)
    return "\r\n ".join(parts)


def calendar(name: str, events: Iterable[CalendarEvent], stamp: dt.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc_stamp(stamp)}",
            f"DTSTART:{utc_stamp(event.start)}",
            f"DTEND:{utc_stamp(event.end)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
