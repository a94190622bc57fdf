"""One consultant's shifts as an iCalendar (RFC 5545) feed, written by the `icalendar` package.

The library does the format (CRLF line ends, folding at 75 octets, escaping of text);
this module decides the content. Only what a calendar needs: one VEVENT per shift with
UID, DTSTAMP, DTSTART/DTEND in UTC and a summary. No location and no family detail: a
calendar feed ends up on phones, so `CalendarEvent` has no field that could carry one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from icalendar import Calendar, Event, vText

from data.ops_models import as_utc

PRODID = "-//famplan//døgnindsats roster//EN"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    uid: str
    #: A date-time, or a date for an all-day event (then `end` is the day after).
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    summary: str
    description: str = ""


def _aware_utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC (written with a trailing Z); a naive time is refused, since
    a phone would read it as its own local time."""
    if moment.tzinfo is None:
        raise ValueError("calendar times must be timezone-aware")
    return as_utc(moment)


def _when(moment: dt.datetime | dt.date) -> dt.datetime | dt.date:
    """A date-time in UTC; a date stays a date (an all-day event, ``VALUE=DATE``)."""
    return _aware_utc(moment) if isinstance(moment, dt.datetime) else moment


def calendar(name: str, events: Iterable[CalendarEvent], stamp: dt.datetime) -> str:
    """The feed as text. `stamp` is DTSTAMP, when the feed was made (passed in, so the same
    roster and stamp always give the same bytes)."""
    feed = Calendar()
    feed.add("version", "2.0")
    feed.add("prodid", PRODID)
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    # NAME (RFC 7986) and X-WR-CALNAME, which most clients read. Both are text, but the
    # library types them as unknown and would write commas and newlines unescaped.
    feed.add("name", vText(name))
    feed.add("x-wr-calname", vText(name))
    for event in events:
        feed.add_component(
            Event.new(
                uid=event.uid,
                stamp=_aware_utc(stamp),
                start=_when(event.start),
                end=_when(event.end),
                summary=event.summary,
                description=event.description or None,
            )
        )
    ical: bytes = feed.to_ical()
    return ical.decode("utf-8")
