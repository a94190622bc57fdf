"""The iCalendar feed: every output is parsed back with `icalendar` and checked field by field.

The service tests need no database; the route test stores a roster by hand (no solver) and
checks that nothing personal about the consultant or the family reaches the feed.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from icalendar.parser import unescape_backslash
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.services.ics import PRODID, CalendarEvent, calendar
from data.models import Case, Consultant
from data.ops_models import Roster, RosterShift, RosterStatus
from tests.api.conftest import Keys
from tests.api.world import World

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
STAMP = dt.datetime(2030, 3, 1, 12, 0, tzinfo=dt.UTC)


def _text(value: object) -> str:
    """A text property the parser leaves escaped (it types NAME and X-WR-CALNAME as
    unknown), unescaped as a client reads it."""
    return str(unescape_backslash(str(value)))


def _calendar_name(parsed: Calendar) -> str:
    return _text(parsed["X-WR-CALNAME"])


def _event(uid: str, start: dt.datetime, hours: int = 8, **text: str) -> CalendarEvent:
    return CalendarEvent(
        uid=uid,
        start=start,
        end=start + dt.timedelta(hours=hours),
        summary=text.get("summary", "shift D"),
        description=text.get("description", ""),
    )


def test_feed_parses_back_to_the_events_in_utc() -> None:
    # 07:00 in Copenhagen in March (winter time, UTC+1) is 06:00 UTC.
    morning = dt.datetime(2030, 3, 4, 7, 0, tzinfo=COPENHAGEN)
    night = dt.datetime(2030, 3, 4, 22, 0, tzinfo=dt.UTC)
    text = calendar(
        "famplan roster 3",
        [_event("roster-3-shift-1@famplan", morning), _event("roster-3-shift-2@famplan", night)],
        STAMP,
    )
    parsed = Calendar.from_ical(text)
    assert str(parsed["VERSION"]) == "2.0" and str(parsed["PRODID"]) == PRODID
    assert str(parsed["METHOD"]) == "PUBLISH"
    assert _calendar_name(parsed) == "famplan roster 3"
    events = parsed.events
    assert [str(e["UID"]) for e in events] == [
        "roster-3-shift-1@famplan",
        "roster-3-shift-2@famplan",
    ]
    first, second = events
    assert first.start == dt.datetime(2030, 3, 4, 6, 0, tzinfo=dt.UTC)
    assert first.end == dt.datetime(2030, 3, 4, 14, 0, tzinfo=dt.UTC)
    assert second.end == dt.datetime(2030, 3, 5, 6, 0, tzinfo=dt.UTC)  # past midnight
    assert first.DTSTAMP == STAMP
    # Written in UTC with a trailing Z, no TZID a client would have to resolve.
    assert "DTSTART:20300304T060000Z\r\n" in text and "TZID" not in text


def test_commas_semicolons_backslashes_and_newlines_survive_the_round_trip() -> None:
    summary = "Døgnindsats, nat; 22–06\\aften"
    description = "line one\nline two, with; punctuation\r\nline three"
    name = "roster, uge 10; Næstved\nplan"
    text = calendar(
        name,
        [_event("u@famplan", STAMP, summary=summary, description=description)],
        STAMP,
    )
    assert "SUMMARY:Døgnindsats\\, nat\\; 22–06\\\\aften\r\n" in text
    (event,) = Calendar.from_ical(text).events
    assert str(event["SUMMARY"]) == summary
    assert str(event["DESCRIPTION"]) == "line one\nline two, with; punctuation\nline three"
    parsed = Calendar.from_ical(text)
    assert _calendar_name(parsed) == name
    assert _text(parsed["NAME"]) == name


def test_long_lines_are_folded_at_75_octets_and_unfold_to_the_text() -> None:
    summary = "Døgnindsats " + "æøå " * 40  # multi-byte characters across the fold
    text = calendar("r", [_event("u@famplan", STAMP, summary=summary)], STAMP)
    lines = text.split("\r\n")
    assert max(len(line.encode()) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)  # a continuation line
    (event,) = Calendar.from_ical(text).events
    assert str(event["SUMMARY"]) == summary
    assert text.endswith("END:VCALENDAR\r\n")


def test_an_empty_description_is_left_out_and_naive_times_are_refused() -> None:
    text = calendar("r", [_event("u@famplan", STAMP)], STAMP)
    assert "DESCRIPTION" not in text
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar("r", [_event("u@famplan", dt.datetime(2030, 3, 4, 6, 0))], STAMP)


def test_the_same_roster_and_stamp_give_the_same_bytes() -> None:
    events = [_event("u@famplan", STAMP)]
    assert calendar("r", events, STAMP) == calendar("r", events, STAMP)
    assert "UID" not in Calendar.from_ical(calendar("r", [], STAMP))  # no random feed UID


#: The properties a feed may carry; anything else (LOCATION, ATTENDEE, GEO…) is a leak.
ALLOWED = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"}


def test_route_feed_carries_no_personal_field(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    consultant_id = world.consultants["c3"]
    case_id = world.cases["k1"]
    with Session(api_engine) as session:
        roster = Roster(
            status=RosterStatus.PUBLISHED,
            case_ids=[case_id],
            office_ids=[world.office_naestved],
            horizon_start=dt.datetime(2030, 3, 4, tzinfo=dt.UTC),
            days=7,
            template="3x8",
            team=[consultant_id],
        )
        session.add(roster)
        session.flush()
        assert roster.id is not None
        roster_id = roster.id
        for day in (4, 5):
            session.add(
                RosterShift(
                    roster_id=roster_id,
                    case_id=case_id,
                    consultant_id=consultant_id,
                    shift_code="N",
                    start=dt.datetime(2030, 3, day, 22, tzinfo=dt.UTC),
                    end=dt.datetime(2030, 3, day + 1, 6, tzinfo=dt.UTC),
                )
            )
        session.commit()
        consultant = session.get(Consultant, consultant_id)
        case = session.get(Case, case_id)
        assert consultant is not None and case is not None
        personal = [
            consultant.display_name,
            consultant.employee_ref,
            case.reference,
            f"{case.lat}",
            f"{consultant.home_lat}",
        ]

    response = client.get(
        f"/v1/rosters/{roster_id}.ics",
        params={"consultant": consultant_id},
        headers=keys.headers("team_leader_naestved"),
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.text)
    events = parsed.events
    assert [e.start for e in events] == [
        dt.datetime(2030, 3, 4, 22, tzinfo=dt.UTC),
        dt.datetime(2030, 3, 5, 22, tzinfo=dt.UTC),
    ]
    assert all(set(e.keys()) <= ALLOWED for e in events)
    assert all(str(e["UID"]).startswith(f"roster-{roster_id}-shift-") for e in events)
    assert str(events[0]["SUMMARY"]) == f"Døgnindsats case {case_id}: shift N"
    assert _calendar_name(parsed) == f"famplan roster {roster_id}"
    leaked = [value for value in personal if value in response.text]
    assert not leaked
