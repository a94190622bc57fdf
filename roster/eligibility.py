"""Who may work which shift at all, and why not (used by the model and the explanations).

These are the per-shift facts that do not depend on the rest of the roster: absence,
night willingness, shift length, other fixed commitments. Everything that depends on the
other shifts a person works (rest, hours, consecutive days) is a rule in `model_rules.py`
or `model_runs.py`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from enum import StrEnum

from data.languages import Closeness, closeness
from roster.problem import Case, Employee, RosterProblem
from roster.templates import ShiftType

_RANK = {
    Closeness.EXACT: 4,
    Closeness.VARIETY: 3,
    Closeness.DIALECT: 2,
    Closeness.RELATED: 1,
    Closeness.NONE: 0,
}


class Ineligible(StrEnum):
    ABSENT = "absent"
    NO_NIGHTS = "does not work nights"
    SHIFT_TOO_LONG = "shift longer than the maximum shift length"
    SLEEP_IN_TOO_LONG = "sleep-in longer than its maximum (it would break the daily rest)"
    BUSY = "busy elsewhere (other roster or commitment, incl. rest)"
    SHIFT_TYPE_NOT_ALLOWED = "may not work this shift type"


def why_not(
    problem: RosterProblem, employee: Employee, day: int, shift: ShiftType
) -> Ineligible | None:
    """The first reason `employee` can never work `shift` on `day`, or None if they can."""
    if day in employee.absences:
        return Ineligible.ABSENT
    if shift.night and not employee.works_nights:
        return Ineligible.NO_NIGHTS
    limit = problem.rules.max_shift_minutes
    if limit is not None and not shift.sleep_in and shift.duration_minutes > limit:
        return Ineligible.SHIFT_TOO_LONG
    sleep_in_limit = problem.rules.max_sleep_in_minutes
    if sleep_in_limit is not None and shift.sleep_in and shift.duration_minutes > sleep_in_limit:
        return Ineligible.SLEEP_IN_TOO_LONG
    if employee.max_shifts_per_type.get(shift.id, 1) <= 0:
        return Ineligible.SHIFT_TYPE_NOT_ALLOWED
    rest = problem.rules.min_rest_minutes or 0
    start, end = shift.span(day)
    for busy_start, busy_end in employee.busy:
        if start < busy_end + rest and busy_start < end + rest:
            return Ineligible.BUSY
    return None


#: id(problem) → (a weak reference to it, (employee, shift) → the days they may work it).
#: Keyed by id: a problem holds dicts, so it cannot be hashed; the weak reference tells a
#: reused id apart and drops the entry with its problem.
_ELIGIBLE_DAYS: dict[
    int, tuple[weakref.ref[RosterProblem], dict[tuple[str, str], frozenset[int]]]
] = {}


def eligible_days(problem: RosterProblem, employee: Employee, shift: ShiftType) -> frozenset[int]:
    """The days `employee` may work `shift` at all (`why_not` is None), worked out once
    per problem: the per-term bounds ask for the same employee and shift thousands of
    times (five cases, pool 60: 462,000 calls of `why_not`; the bounds took 5.6 s, with
    this 3.7 s)."""
    if problem.employee.get(employee.id) is not employee:
        # not this problem's own employee (an edited copy): nothing to share
        return _days_allowed(problem, employee, shift)
    key = id(problem)
    entry = _ELIGIBLE_DAYS.get(key)
    if entry is None or entry[0]() is not problem:
        entry = (weakref.ref(problem, lambda _: _ELIGIBLE_DAYS.pop(key, None)), {})
        _ELIGIBLE_DAYS[key] = entry
    table = entry[1]
    days = table.get((employee.id, shift.id))
    if days is None:
        days = table[(employee.id, shift.id)] = _days_allowed(problem, employee, shift)
    return days


def workable_days(
    problem: RosterProblem, employee: Employee, shifts: Iterable[ShiftType]
) -> frozenset[int]:
    """The days `employee` may work at least one of `shifts` (`eligible_days`)."""
    return frozenset().union(*(eligible_days(problem, employee, s) for s in shifts))


def _days_allowed(problem: RosterProblem, employee: Employee, shift: ShiftType) -> frozenset[int]:
    return frozenset(d for d in range(problem.days) if why_not(problem, employee, d, shift) is None)


def speaks(employee: Employee, case: Case) -> bool:
    """Whether the employee covers the case language at the case's minimum closeness."""
    if case.language is None:
        return True
    need = _RANK[Closeness(case.min_closeness)]
    return any(_RANK[closeness(case.language, tag)] >= need for tag in employee.languages)
