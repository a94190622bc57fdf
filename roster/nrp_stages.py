"""What the paths of `roster.nrp` share: one time limit split between stages, and the
bounds found on the way.

Pure: no I/O.
"""

from __future__ import annotations

from roster import weekend_plan
from roster.clock import Deadline
from roster.decomposed import KnownBound
from roster.result import RosterResult

BOUND_ON_WEEKENDS = "the bound is the weekend programme's (roster.weekend_plan)"


class StageClock:
    """The time limit of one search, split between its stages (bounds, warm starts, the
    last search): each stage asks for its share of what `remaining` says is left.

    On the wall clock that is the time left to the deadline. In a reproducible search
    (`deterministic`) it is the limit less the stages' limits given so far, whatever they
    used: time left over on the wall clock would differ between runs."""

    def __init__(self, time_limit: float, deterministic: bool = False) -> None:
        self.time_limit = time_limit
        self.deterministic = deterministic
        self.deadline = Deadline(time_limit)
        self.given = 0.0

    def remaining(self) -> float:
        """The time left for the next stage."""
        if self.deterministic:
            return max(0.0, self.time_limit - self.given)
        return self.deadline.remaining()

    def give(self, seconds: float) -> float:
        """`seconds` for the next stage, counted as spent in a reproducible search."""
        self.given += seconds
        return seconds


def raised_by(
    floor: KnownBound | None, weekends: weekend_plan.WeekendPlan | None
) -> KnownBound | None:
    """`floor` raised to the weekend programme's bound where that is higher."""
    if weekends is None or weekends.bound is None:
        return floor
    if floor is not None and floor.value >= weekends.bound:
        return floor
    return KnownBound(weekends.bound, BOUND_ON_WEEKENDS)


def raised_bound(result: RosterResult, floor: int | None) -> int | None:
    """`result`'s bound raised to `floor` (a bound found before it), never above its
    objective."""
    known = [b for b in (result.bound, floor) if b is not None]
    if not known or result.objective is None:
        return max(known, default=None)
    return min(max(known), result.objective)


__all__ = ["BOUND_ON_WEEKENDS", "StageClock", "raised_bound", "raised_by"]
