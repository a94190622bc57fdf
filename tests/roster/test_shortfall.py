"""Short windows (`roster.shortfall`): the weeks around a shift short of its language,
re-planned by the few who could close it, everyone else fixed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

import roster.clock as clock_module
from roster import Assignment, Employee, template, total, validate
from roster.clock import Deadline
from roster.parameters import SearchParameters
from roster.problem import Case, CoverDemand, Roster, RosterProblem, RosterRules
from roster.shortfall import choose_group, improve, short_demands, short_window
from roster.solve import part_solver
from roster.windows import WindowResult, WindowSolver

#: S speaks Ukrainian, X does not, each may work one shift of the four weeks; W works
#: elsewhere.
S = Employee("S", languages=("da", "uk"), max_minutes=480)
X = Employee("X", languages=("da",), max_minutes=480)
W = Employee("W", languages=("da",))


def short_week(s: Employee = S) -> tuple[RosterProblem, Roster]:
    """Four weeks from a Monday; the Ukrainian case K1 asks for a day shift on day 10,
    K2 (no language) for one on day 9 and one on day 20. The roster: S on K2's day 9,
    X on K1's day 10 (no speaker), W on K2's day 20."""
    problem = RosterProblem(
        start_date=dt.date(2026, 1, 5),
        days=28,
        shift_types=template("3x8"),
        employees=(s, X, W),
        cases=(Case("K1", language="uk"), Case("K2")),
        cover=(
            CoverDemand("K1", 10, "D", 1),
            CoverDemand("K2", 9, "D", 1),
            CoverDemand("K2", 20, "D", 1),
        ),
        rules=RosterRules(within_contract=False),
    )
    roster = (
        Assignment(9, "D", "K2", "S"),
        Assignment(10, "D", "K1", "X"),
        Assignment(20, "D", "K2", "W"),
    )
    return problem, roster


def reproducible_solver(monkeypatch: pytest.MonkeyPatch) -> WindowSolver:
    """Each window searched for one second of CP-SAT's work, whatever the load."""
    monkeypatch.setattr(clock_module, "WALL_GUARD_SECONDS", 3600.0)
    params = SearchParameters(greedy_hint=False, decompose=False, deterministic=True)
    solve_part = part_solver(0, params)

    def solve_window(sub: RosterProblem, time_limit: float, **kwargs: object) -> WindowResult:
        return solve_part(sub, 1.0, **kwargs)

    return solve_window


def test_the_group_is_the_short_shifts_staff_and_its_speakers() -> None:
    problem, roster = short_week()
    short = short_demands(problem, roster)
    assert short == [(CoverDemand("K1", 10, "D", 1), ("language", "uk"))]
    group = choose_group(problem, roster, [short[0][0]], ("language", "uk"), rng=random.Random(0))
    assert group == {"X", "S"}


def test_a_short_window_asks_only_for_what_the_others_leave() -> None:
    problem, roster = short_week()
    sub = short_window(problem, roster, {"S", "X"}, 0, 28)
    assert [e.id for e in sub.employees] == ["S", "X"]
    required = {(c.case, c.day): c.required for c in sub.cover}
    # W staffs day 20: the group is asked for nobody there
    assert required == {("K1", 10): 1, ("K2", 9): 1, ("K2", 20): 0}


def test_a_short_window_gives_the_short_shift_a_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    problem, roster = short_week()
    value = total(problem, roster)
    best, best_value, searched = improve(
        problem, roster, value, Deadline(3600.0), reproducible_solver(monkeypatch), total
    )
    # the window of days 0-13 frees S and X (its margin, days 14-20, is fixed): S takes
    # day 10's Ukrainian shift and X S's day 9, each still at its one shift; one team
    # member a case either way, so the missing language (480) is all that changes
    assert searched == 1
    assert set(best) == {
        Assignment(9, "D", "K2", "X"),
        Assignment(10, "D", "K1", "S"),
        Assignment(20, "D", "K2", "W"),
    }
    assert best_value == value - 480
    assert not validate(problem, best)


def test_no_change_when_no_speaker_may_take_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # S is absent on day 10: nobody who speaks Ukrainian can work it, the window keeps
    # the roster as it is
    problem, roster = short_week(dataclasses.replace(S, absences=frozenset({10})))
    value = total(problem, roster)
    best, best_value, _ = improve(
        problem, roster, value, Deadline(3600.0), reproducible_solver(monkeypatch), total
    )
    assert set(best) == set(roster)
    assert best_value == value
