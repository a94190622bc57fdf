"""What one consultant can work alone, from the rules that hold for each of them by
themselves (eligibility, one shift a day, runs in a row, the per-type maxima, the
hours), and the cover's language days: the bricks of the per-term bounds
(`roster.bound`) and of the relaxations built on them (`roster.joint_bound`,
`roster.cover_bound`).

Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict

from roster.eligibility import workable_days
from roster.problem import Employee, RosterProblem
from roster.templates import ShiftType

#: One counted shift's weight in the fair spreads for a 37 h contract (`fairness_coefficient`).
_FAIRNESS_UNIT = 10
_REFERENCE_CONTRACT = 37 * 60


def longest_run(p: RosterProblem, e: Employee, shifts: list[ShiftType]) -> int:
    """The most days in a row `e` may work shifts of the types `shifts` (any mix)."""
    limits = [p.days]
    k = p.max_consecutive_days(e)
    if k is not None:
        limits.append(k)
    if all(s.night for s in shifts) and p.rules.max_consecutive_nights is not None:
        limits.append(p.rules.max_consecutive_nights)
    if len(shifts) == 1 and shifts[0].id in e.max_shifts_per_type:
        limits.append(e.max_shifts_per_type[shifts[0].id])
    return max(0, min(limits))


def _in_a_row(days: int, run: int) -> int:
    """The most days of `days` that runs of at most `run` days can hold."""
    if run <= 0:
        return 0
    return days - days // (run + 1)


def capacity(p: RosterProblem, e: Employee, shifts: list[ShiftType], days: set[int]) -> int:
    """The most shifts of the types `shifts` on `days` that `e` can work in any legal
    roster, from rules that hold for each consultant alone: eligibility, one shift a
    day, runs in a row, the per-type maxima, the hours, the legal on-site and
    night-worker totals."""
    if not shifts:
        return 0
    eligible = len(workable_days(p, e, shifts).intersection(days))
    limits = [eligible, _in_a_row(p.days, longest_run(p, e, shifts))]
    typed = [e.max_shifts_per_type.get(s.id) for s in shifts]
    if all(t is not None for t in typed):
        limits.append(sum(t for t in typed if t is not None))
    shortest_count = min(s.minutes for s in shifts)
    shortest_stay = min(s.duration_minutes for s in shifts)
    upper = p.max_minutes(e)
    if upper is not None and shortest_count > 0:
        limits.append(upper // shortest_count)
    on_site = p.max_on_site_minutes(e)
    if on_site is not None:
        limits.append(on_site // shortest_stay)
    night_limit = p.max_night_worker_minutes(e)
    if night_limit is not None and all(p.is_night_work(s) for s in shifts):
        limits.append(night_limit // shortest_stay)
    return max(0, min(limits))


def fairness_coefficient(e: Employee) -> int | None:
    """The contract-relative weight of one counted shift (`add_fairness`)."""
    if e.contract_minutes_per_week <= 0:
        return None
    return round(_FAIRNESS_UNIT * _REFERENCE_CONTRACT / e.contract_minutes_per_week)


def spoken_days(p: RosterProblem) -> dict[tuple[str, str], set[int]]:
    """(case, shift type) → the days whose shift needs the family's language (a missing
    speaker there costs in the cover level)."""
    out: dict[tuple[str, str], set[int]] = defaultdict(set)
    for d in p.cover:
        case = p.case[d.case]
        hours_cost = p.weights.missing_language_per_hour * p.shift[d.shift].duration_minutes // 60
        if case.language is not None and d.required > 0 and d.needs_language and hours_cost > 0:
            out[(d.case, d.shift)].add(d.day)
    return out


def may_follow(problem: RosterProblem, first: ShiftType, then: ShiftType) -> bool:
    """`then` on the day after `first`: allowed, with the daily rest between them."""
    if then.id in first.forbidden_next:
        return False
    _, end = first.span(0)
    start, _ = then.span(1)
    return start - end >= (problem.rules.min_rest_minutes or 0)
