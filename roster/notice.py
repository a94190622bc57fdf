"""What changing a published roster costs by the notice it gives.

Collective agreements pay a notice supplement ("varslingstillæg") when a planned shift
is changed at short notice. A repair therefore weighs each changed shift by its notice
class, measured from the repair's "now" to the shift's start:

- under 24 hours: typically paid like overtime, a supplement of 100 % of the hours;
- under 4 weeks: typically a supplement of 50 % of the hours;
- 4 weeks or more: no supplement (the roster's ordinary notice).

These defaults follow the common pattern of the Danish municipal and regional
working-time agreements for shift workers; the actual agreement of an employer may set
other limits and rates, so every figure is configurable (`NoticeCosts`). A change costs
its weight (`RepairWeights.changed_assignment`) raised by the supplement it pays: 10 for
a change with ample notice, 15 under 4 weeks, 20 under 24 hours. The supplement hours
are counted on shifts added to someone's roster (the consultant called in); a shift
taken away counts in its class but pays no supplement here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from roster.problem import Assignment, RosterProblem

MINUTES_PER_HOUR = 60


class NoticeClass(enum.StrEnum):
    UNDER_24_HOURS = "under_24_hours"
    UNDER_4_WEEKS = "under_4_weeks"
    LATER = "later"


@dataclass(frozen=True)
class NoticeCosts:
    """The notice classes' limits (minutes before the shift starts) and supplements
    (percent of the changed shift's hours)."""

    short_notice_minutes: int = 24 * 60
    notice_minutes: int = 28 * 24 * 60
    supplement_percent_under_24_hours: int = 100
    supplement_percent_under_4_weeks: int = 50

    def notice_class(self, notice_minutes: int) -> NoticeClass:
        """The class of a change `notice_minutes` before the shift starts."""
        if notice_minutes < self.short_notice_minutes:
            return NoticeClass.UNDER_24_HOURS
        if notice_minutes < self.notice_minutes:
            return NoticeClass.UNDER_4_WEEKS
        return NoticeClass.LATER

    def supplement_percent(self, notice: NoticeClass) -> int:
        return {
            NoticeClass.UNDER_24_HOURS: self.supplement_percent_under_24_hours,
            NoticeClass.UNDER_4_WEEKS: self.supplement_percent_under_4_weeks,
            NoticeClass.LATER: 0,
        }[notice]

    def change_weight(self, base: int, notice: NoticeClass) -> int:
        """The cost of one changed shift: `base`, raised by the supplement it pays."""
        return base * (100 + self.supplement_percent(notice)) // 100


@dataclass(frozen=True)
class NoticeReport:
    """The changes of a repair by notice class, and the supplement hours they pay."""

    counts: Mapping[NoticeClass, int]
    supplement_minutes: int

    @property
    def supplement_hours(self) -> float:
        return self.supplement_minutes / MINUTES_PER_HOUR


def start_minute(problem: RosterProblem, day: int, shift: str) -> int:
    """When a shift starts, in minutes from the horizon start."""
    return problem.shift[shift].span(day)[0]


def notice_report(
    problem: RosterProblem,
    removed: Iterable[Assignment],
    added: Iterable[Assignment],
    now_minute: int,
    costs: NoticeCosts,
) -> NoticeReport:
    """Count the changed shifts per notice class (from `now_minute`) and the supplement
    minutes of the added ones."""
    counts = dict.fromkeys(NoticeClass, 0)
    supplement = 0
    for a in removed:
        counts[costs.notice_class(start_minute(problem, a.day, a.shift) - now_minute)] += 1
    for a in added:
        notice = costs.notice_class(start_minute(problem, a.day, a.shift) - now_minute)
        counts[notice] += 1
        minutes = problem.shift[a.shift].duration_minutes
        supplement += minutes * costs.supplement_percent(notice) // 100
    return NoticeReport(counts=counts, supplement_minutes=supplement)
