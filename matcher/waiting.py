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


def waiting_list(problem: MatchProblem, now: dt.datetime) -> list[WaitingEntry]:
    """Open requests of the snapshot, urgent first, then by the 24-hour deadline."""
    return order_waiting(
        (case for case in problem.cases if case.is_open), now, limit=RECEPTION_LIMIT
    )


def order_waiting(
    cases: Iterable[CaseData], now: dt.datetime, limit: dt.timedelta = RECEPTION_LIMIT
) -> list[WaitingEntry]:
    entries = [
        WaitingEntry(
            case.id,
            case.priority,
            case.requested_start + limit,
            (case.requested_start + limit - now).total_seconds() / 3600,
        )
        for case in cases
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
