"""The waiting list of open requests and its key figures, from the database.

The order is `matcher.waiting.order_requests` (urgent first, then the request whose
24 hours run out first): the JSON route, the reception inbox and the report all use it.

When was a request placed? The book keeps no confirm time, only the day each assignment
starts, so a family counts as placed at the later of its request and the start of the day
its first consultant began (day resolution: a request placed the same day counts as
within 24 hours, one placed the next day after its request's time of day as late).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, col, select

from api.auth import Principal
from api.services.scope import case_in_scope
from data.models import Assignment, Case, CaseStatus
from data.ops_models import as_utc
from matcher.waiting import (
    WaitingEntry,
    WaitingFigures,
    WaitingRequest,
    order_requests,
    waiting_figures,
)


def waiting_list(
    session: Session, now: dt.datetime, principal: Principal | None = None
) -> list[tuple[WaitingEntry, Case]]:
    """Every requested case the caller may read, in the waiting list's order."""
    query = select(Case).where(col(Case.status) == CaseStatus.REQUESTED)
    if principal is not None:
        query = query.where(case_in_scope(session, principal))
    cases = {case.id: case for case in session.exec(query) if case.id is not None}
    entries = order_requests(
        (
            WaitingRequest(case_id, case.priority, as_utc(case.requested_start))
            for case_id, case in cases.items()
        ),
        now,
    )
    return [(entry, cases[entry.case_id]) for entry in entries]


def book_waiting_figures(session: Session, now: dt.datetime) -> WaitingFigures:
    """Share of requests placed within 24 hours and the distribution of the wait, over
    every case requested by `now` that is still waiting or has had a consultant."""
    first_start = dict(
        session.exec(
            select(Assignment.case_id, func.min(Assignment.start))
            .where(col(Assignment.consultant_id).is_not(None))
            .group_by(col(Assignment.case_id))
        ).all()
    )
    pairs: list[tuple[dt.datetime, dt.datetime | None]] = []
    for case in session.exec(select(Case)):
        requested = as_utc(case.requested_start)
        if requested > now:
            continue
        start = first_start.get(case.id) if case.id is not None else None
        if start is not None:
            began = dt.datetime.combine(start, dt.time.min, tzinfo=dt.UTC)
            pairs.append((requested, max(requested, began)))
        elif case.status is CaseStatus.REQUESTED:
            pairs.append((requested, None))
    return waiting_figures(pairs, now)
