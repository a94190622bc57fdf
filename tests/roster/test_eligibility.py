"""Which days an employee may work a shift at all (`roster.eligibility.eligible_days`),
worked out once per problem."""

import dataclasses
import gc

from roster.eligibility import _ELIGIBLE_DAYS, eligible_days, why_not
from roster.problem import Employee, RosterProblem
from tests.roster.instances import D, N, problem, rules


def _three_days() -> RosterProblem:
    # A: a night 23-07 before the horizon (its rest blocks Monday's 07:00 day shift),
    # absent on Tuesday; B: no nights
    return problem(
        3,
        [(d, s) for d in range(3) for s in ("D", "N")],
        employees=[
            Employee("A", history=(N.span(-1),), absences=frozenset({1})),
            Employee("B", works_nights=False),
        ],
        rule_set=rules(min_rest_minutes=11 * 60),
    )


def test_the_days_an_employee_may_work_a_shift_are_those_why_not_allows() -> None:
    p = _three_days()
    a, b = p.employee["A"], p.employee["B"]
    assert eligible_days(p, a, D) == {2}  # Monday blocked by the night's rest, Tuesday absent
    assert eligible_days(p, a, N) == {0, 2}
    assert eligible_days(p, b, N) == frozenset()
    assert eligible_days(p, b, D) == {0, 1, 2}
    for e in p.employees:
        for s in (D, N):
            assert eligible_days(p, e, s) == {
                d for d in range(p.days) if why_not(p, e, d, s) is None
            }


def test_an_edited_employee_is_not_answered_from_the_problem_s_own() -> None:
    # the same id, absent on Wednesday too: not the problem's employee, so its own days
    p = _three_days()
    a = p.employee["A"]
    assert eligible_days(p, a, N) == {0, 2}
    edited = dataclasses.replace(a, absences=frozenset({1, 2}))
    assert eligible_days(p, edited, N) == {0}
    assert eligible_days(p, a, N) == {0, 2}  # the problem's own answer is kept


def test_a_problem_s_days_are_dropped_with_it() -> None:
    p = _three_days()
    eligible_days(p, p.employee["A"], D)
    key = id(p)
    assert key in _ELIGIBLE_DAYS
    del p
    gc.collect()
    assert key not in _ELIGIBLE_DAYS
