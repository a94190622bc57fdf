"""One consultant's shifts of a roster as an iCalendar feed: what `GET
/v1/rosters/{id}.ics` and the roster page's calendar links both answer.

The caller has checked that the roster is visible to them; this module only decides the
feed's content (`api.services.ics` writes the format).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from api.services.errors import NotFound
from api.services.ics import CalendarEvent, calendar
from data.ops_models import Roster, RosterShift


def roster_feed(session: Session, roster: Roster, consultant_id: int, stamp: dt.datetime) -> str:
    """The feed of `consultant_id`'s shifts in `roster` (`NotFound` when they have none
    and are not on its team). `stamp`: when the feed is made (DTSTAMP)."""
    rows = session.exec(
        select(RosterShift)
        .where(RosterShift.roster_id == roster.id, RosterShift.consultant_id == consultant_id)
        .order_by(col(RosterShift.start))
    ).all()
    if not rows and consultant_id not in roster.team:
        raise NotFound(f"roster {roster.id}'s consultant", consultant_id)
    events = [
        CalendarEvent(
            uid=f"roster-{roster.id}-shift-{row.id}@famplan",
            start=row.start,
            end=row.end,
            summary=f"Døgnindsats case {row.case_id}: shift {row.shift_code}",
            description=f"famplan roster {roster.id} ({roster.status.value})",
        )
        for row in rows
    ]
    return calendar(f"famplan roster {roster.id}", events, stamp)


#: How the feed is answered over HTTP (the API and the page alike).
CALENDAR_MEDIA_TYPE = "text/calendar; charset=utf-8"


def feed_headers(roster_id: int, consultant_id: int) -> dict[str, str]:
    filename = f"roster-{roster_id}-{consultant_id}.ics"
    return {"Content-Disposition": f'inline; filename="{filename}"'}
