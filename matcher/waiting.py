"""The waiting list: open requests in the order reception should place them, and the
share placed within the 24 hours the provider promises.

Reception must start within 24 hours of a request (`RECEPTION_LIMIT`). The list puts
urgent requests first (priority 1 before 2 before 3) and, within a priority, the request
whose 24 hours run out first; each entry says how many hours are left (negative: the
promise is already broken).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from matcher.problem import CaseData, MatchProblem

#: The provider's promise: reception starts within 24 hours of the request.
RECEPTION_LIMIT = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class WaitingEntry:
    case_id: int
    priority: int
    deadline: dt.datetime
    #: Hours until the deadline at `now` (negative once it has passed).
    hours_left: float

    @property
    def overdue(self) -> bool:
        return self.hours_left < 0


@dataclass(frozen=True, slots=True)
class WaitingRequest:
    """What the order needs of an open request (the database rows map to it too)."""

    case_id: int
    priority: int
    requested_start: dt.datetime


def waiting_list(problem: MatchProblem, now: dt.datetime) -> list[WaitingEntry]:
    """Open requests of the snapshot, urgent first, then by the 24-hour deadline."""
    return order_waiting(
        (case for case in problem.cases if case.is_open), now, limit=RECEPTION_LIMIT
    )


def order_waiting(
    cases: Iterable[CaseData], now: dt.datetime, limit: dt.timedelta = RECEPTION_LIMIT
) -> list[WaitingEntry]:
    return order_requests(
        (WaitingRequest(c.id, c.priority, c.requested_start) for c in cases), now, limit
    )


def order_requests(
    requests: Iterable[WaitingRequest], now: dt.datetime, limit: dt.timedelta = RECEPTION_LIMIT
) -> list[WaitingEntry]:
    """The waiting list's one order: priority, then the deadline, then the case id."""
    entries = [
        WaitingEntry(
            r.case_id,
            r.priority,
            r.requested_start + limit,
            (r.requested_start + limit - now).total_seconds() / 3600,
        )
        for r in requests
    ]
    return sorted(entries, key=lambda e: (e.priority, e.deadline, e.case_id))


def share_placed_within(
    requests: Iterable[tuple[dt.datetime, dt.datetime | None]],
    now: dt.datetime,
    limit: dt.timedelta = RECEPTION_LIMIT,
) -> float | None:
    """Share of requests placed within `limit` of being made, from (requested, placed)
    pairs (placed None: still waiting). A request still waiting inside its limit is not
    decided yet and not counted; None if no request is decided."""
    decided = placed_in_time = 0
    for requested, placed in requests:
        if placed is None and now - requested <= limit:
            continue
        decided += 1
        placed_in_time += placed is not None and placed - requested <= limit
    return placed_in_time / decided if decided else None


@dataclass(frozen=True, slots=True)
class WaitingFigures:
    """The waiting list's key figures: the share placed within the limit and how long
    placed requests waited (hours; percentiles None without any placed request)."""

    share_within_limit: float | None
    placed: int
    waiting: int
    overdue: int
    p50_hours: float | None
    p90_hours: float | None
    max_hours: float | None


def waiting_figures(
    requests: Iterable[tuple[dt.datetime, dt.datetime | None]],
    now: dt.datetime,
    limit: dt.timedelta = RECEPTION_LIMIT,
) -> WaitingFigures:
    """From (requested, placed) pairs (placed None: still waiting): `share_placed_within`,
    the distribution of the waits of placed requests (numpy's percentiles), and how many
    still wait, of which how many past the limit."""
    pairs = list(requests)
    waits = sorted(
        max(0.0, (placed - requested).total_seconds() / 3600)
        for requested, placed in pairs
        if placed is not None
    )
    still = [requested for requested, placed in pairs if placed is None]
    return WaitingFigures(
        share_within_limit=share_placed_within(pairs, now, limit),
        placed=len(waits),
        waiting=len(still),
        overdue=sum(now - requested > limit for requested in still),
        p50_hours=float(np.percentile(waits, 50)) if waits else None,
        p90_hours=float(np.percentile(waits, 90)) if waits else None,
        max_hours=waits[-1] if waits else None,
    )
