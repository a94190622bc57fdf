"""The LNS's weekend-trade neighbourhood: a weekend short of cover and a partner weekend,
freed for a few employees who work exactly one of them over the week around each, and
for everyone on the two weekends' own days."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from roster.lns import Key, _on_day, _weekend_trade_keys, sub_model
from roster.model import RosterModel
from roster.problem import RosterProblem
from roster.read_nrp import parse_nrp

#: Two weeks from a Monday: weekends on days 5-6 and 12-13. One shift, D. The first
#: weekend and the Tuesday and Wednesday of each week ask for one person a day (100 a
#: person short), the other days for nobody (1 a person over). A may work one weekend
#: and must work two shifts, in a run of two at least; B (no weekend) works the
#: Tuesdays and Wednesdays. So the optimum (0) has A on the first weekend: a roster with A on
#: the second instead costs 202, and mending it moves A from one weekend to the other.
TRADE = """SECTION_HORIZON
14

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=14,4800,960,5,2,1,1
B,D=14,4800,1920,5,1,1,0

SECTION_DAYS_OFF

SECTION_SHIFT_ON_REQUESTS

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
""" + "\n".join(f"{d},D,{int(d in (1, 2, 5, 6, 8, 9))},100,1" for d in range(14))
WEEKENDS = ((5, 6), (12, 13))


def _problem() -> RosterProblem:
    return parse_nrp(TRADE, name="trade")


def _rows(a_days: tuple[int, ...]) -> dict[str, tuple[int, ...]]:
    return {"A": a_days, "B": (1, 2, 8, 9)}


def _model(a_days: tuple[int, ...]) -> tuple[RosterModel, dict[Key, bool]]:
    rm = RosterModel(_problem())
    rm.model.minimize(rm.total_expression())
    rows = _rows(a_days)
    start = {key: key[1] in rows[key[0]] for key in rm.x}
    return rm, start


def _trade(rm: RosterModel, start: dict[Key, bool], hot: list[tuple[str | None, int]]) -> set[Key]:
    employees = sorted({k[0] for k in rm.x})
    return _weekend_trade_keys(
        random.Random(0), 0.15, WEEKENDS, hot, _on_day(start), employees, rm.x
    )


def _solve(
    rm: RosterModel, start: dict[Key, bool], free: set[Key]
) -> tuple[int, dict[str, list[int]]]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(sub_model(rm.model, rm.x, start, free))
    assert status == cp_model.OPTIMAL
    worked: dict[str, list[int]] = {}
    for key, var in rm.x.items():
        if solver.boolean_value(var):
            worked.setdefault(key[0], []).append(key[1])
    return round(solver.objective_value), {e: sorted(ds) for e, ds in worked.items()}


def test_weekend_trade_frees_the_traders_week_and_everyone_on_the_weekend_days() -> None:
    rm, start = _model((12, 13))
    free = _trade(rm, start, [(None, 5), (None, 6)])
    # A works one of the two weekends: Monday before to Tuesday after each, days 0-8
    # and 7-13 (the horizon ends on day 13); B works neither: only the weekend days
    assert {k[1] for k in free if k[0] == "A"} == set(range(14))
    assert {k[1] for k in free if k[0] == "B"} == {5, 6, 12, 13}


def test_weekend_trade_moves_a_person_to_the_short_weekend() -> None:
    rm, start = _model((12, 13))
    value, worked = _solve(rm, start, _trade(rm, start, [(None, 5), (None, 6)]))
    assert value == 0
    assert worked == {"A": [5, 6], "B": [1, 2, 8, 9]}


def test_weekend_trade_keeps_an_optimal_roster() -> None:
    # nothing short: the weekends are drawn at random (here the only two), and the
    # optimum stays as it is
    rm, start = _model((5, 6))
    value, worked = _solve(rm, start, _trade(rm, start, []))
    assert value == 0
    assert worked == {"A": [5, 6], "B": [1, 2, 8, 9]}
