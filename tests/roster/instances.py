"""Tiny named roster instances and helpers for the roster tests.

All start on Monday 5 January 2026 (no Danish holiday in the first weeks). Every test
that solves also runs the independent validator on the result (`solved`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from roster import (
    Assignment,
    Case,
    CoverDemand,
    Employee,
    ObjectiveWeights,
    RosterProblem,
    RosterResult,
    RosterRules,
    SearchParameters,
    ShiftType,
    SolveStatus,
    solve,
    template,
    validate,
)
from roster.read_nrp import WARD, read_nrp

MONDAY = dt.date(2026, 1, 5)
D, E, N = template("3x8")  # 07–15, 15–23, 23–07

#: Only cover counts: each missing consultant-hour costs 100, so an uncovered 8 h
#: shift costs 800.
COVER_ONLY = ObjectiveWeights(
    team_member=0,
    block=0,
    isolated_shift=0,
    face_per_time_of_day=0,
    night_spread=0,
    weekend_spread=0,
    lexicographic=False,
)


def rules(**on: object) -> RosterRules:
    """All working-time rules off except the ones given."""
    return dataclasses.replace(RosterRules.none(), **on)  # type: ignore[arg-type]


def problem(
    days: int,
    demands: list[tuple[int, str]] | list[tuple[int, str, str]],
    employees: list[Employee] | None = None,
    shift_types: tuple[ShiftType, ...] = (D, E, N),
    rule_set: RosterRules | None = None,
    weights: ObjectiveWeights = COVER_ONLY,
    cases: tuple[Case, ...] = (Case("K1"),),
    **kwargs: Any,
) -> RosterProblem:
    """`demands`: (day, shift) or (day, shift, case), one consultant each."""
    cover = []
    for item in demands:
        day, shift = item[0], item[1]
        case = str(item[2]) if len(item) > 2 else cases[0].id
        cover.append(CoverDemand(case=case, day=day, shift=shift, required=1))
    return RosterProblem(
        start_date=MONDAY,
        days=days,
        shift_types=shift_types,
        employees=tuple(employees or [Employee("A")]),
        cases=cases,
        cover=tuple(cover),
        rules=rule_set or rules(),
        weights=weights,
        **kwargs,
    )


#: A `time.perf_counter()` deadline no test reaches (some 30 years): a search given it
#: ends on its own (a converged programme or column generation), so a loaded machine
#: gives the same result, only later.
FAR = 10**9

#: Searches on the work clock (`roster.clock.WorkClock`) with one worker and a fixed
#: seed: the same search, and so the same roster, under any load. A limit of 10 s is 5
#: units of CP-SAT's deterministic time, far more than the tiny problems of these tests
#: take to prove their optimum.
REPRODUCIBLE = SearchParameters(num_workers=1, deterministic=True)


def solved(p: RosterProblem) -> RosterResult:
    """A reproducible solve (`REPRODUCIBLE`, seed 1, 10 s) proven optimal; the roster
    must pass the validator. The tests' expected rosters are their optimum, so a
    search cut short fails here rather than on a roster that is merely worse."""
    result = solve(p, time_limit=10, seed=1, parameters=REPRODUCIBLE)
    assert result.status is SolveStatus.OPTIMAL, (result.status, result.message)
    assert validate(p, result.roster) == []
    return result


def worked(result: RosterResult, employee: str) -> dict[int, str]:
    return {a.day: a.shift for a in result.roster if a.employee == employee}


def nrp_roster(rows: dict[str, str]) -> tuple[Assignment, ...]:
    """A roster of a Curtois–Qu instance from rows {"A": "LL-DD--"} ('-' = day off)."""
    return tuple(
        Assignment(d, s, WARD, e)
        for e, days in rows.items()
        for d, s in enumerate(days)
        if s != "-"
    )


#: The Curtois–Qu instances, read from ../shared beside the repository (not copied in).
BENCH_NRP = Path(__file__).resolve().parents[2].parent / "shared" / "benchdata" / "nrp"


def bench_nrp(name: str) -> RosterProblem:
    """A published Curtois–Qu instance ("Instance1"); fails, naming the path, if the
    shared benchmark data is not beside the repository."""
    path = BENCH_NRP / f"{name}.txt"
    if not path.exists():
        pytest.fail(f"benchmark data missing: {path} (../shared/benchdata must be present)")
    return read_nrp(path)
