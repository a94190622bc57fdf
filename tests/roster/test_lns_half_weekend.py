"""The LNS's half-weekend neighbourhood: an employee who works one day of a weekend, over
the whole horizon, and everyone from the Monday before to the Friday after that weekend
and a partner weekend."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from roster.lns import (
    HALF_WEEKEND_SUBSOLVE_FACTOR,
    Key,
    _half_weekend_keys,
    _half_weekends,
    _Neighbourhood,
    _on_day,
    _subsolve_factor,
    sub_model,
)
from roster.model import RosterModel
from roster.read_nrp import parse_nrp

#: Three weeks from a Monday: weekends on days 5-6, 12-13 and 19-20. One shift, D. The
#: first weekend and the Tuesday and Wednesday of the first two weeks ask for one person
#: a day (100 a person short), the other days for nobody (1 a person over). A may work
#: one weekend and must work two shifts, in a run of two at least; B (no weekend) works
#: the Tuesdays and Wednesdays. The optimum (0) has A on the first weekend whole. A on
#: Sunday and Monday (days 6-7) works half of it: day 5 short, day 7 over, 101.
HALF = """SECTION_HORIZON
21

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=21,4800,960,5,2,1,1
B,D=21,4800,1920,5,1,1,0

SECTION_DAYS_OFF

SECTION_SHIFT_ON_REQUESTS

SECTION_SHIFT_OFF_REQUESTS

SECTION_COVER
""" + "\n".join(f"{d},D,{int(d in (1, 2, 5, 6, 8, 9))},100,1" for d in range(21))
WEEKENDS = ((5, 6), (12, 13), (19, 20))


def _model(a_days: tuple[int, ...]) -> tuple[RosterModel, dict[Key, bool]]:
    rm = RosterModel(parse_nrp(HALF, name="half"))
    rm.model.minimize(rm.total_expression())
    rows = {"A": a_days, "B": (1, 2, 8, 9)}
    start = {key: key[1] in rows[key[0]] for key in rm.x}
    return rm, start


def _half(rm: RosterModel, start: dict[Key, bool], hot: list[tuple[str | None, int]]) -> set[Key]:
    return _half_weekend_keys(random.Random(0), WEEKENDS, hot, _on_day(start), rm.x)


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


def test_a_half_weekend_frees_its_employee_and_everyone_around_both_weekends() -> None:
    rm, start = _model((6, 7))
    assert _half_weekends(WEEKENDS, _on_day(start)) == [("A", 0)]
    # the partner: the second weekend, short of cover (A works neither it nor the third)
    free = _half(rm, start, [(None, 12)])
    assert {k[1] for k in free if k[0] == "A"} == set(range(21))
    # B: Monday before to Friday after each weekend, days 0-11 and 7-18; not the third
    assert {k[1] for k in free if k[0] == "B"} == set(range(19))


def test_a_half_weekend_is_mended_whole() -> None:
    rm, start = _model((6, 7))
    value, worked = _solve(rm, start, _half(rm, start, [(None, 5)]))
    assert value == 0
    assert worked == {"A": [5, 6], "B": [1, 2, 8, 9]}


def test_no_half_weekend_frees_nothing_and_keeps_the_usual_seconds() -> None:
    rm, start = _model((5, 6))
    assert _half(rm, start, []) == set()
    hood = _Neighbourhood("half_weekend", 0.0)
    assert _subsolve_factor(hood, WEEKENDS, _on_day(start)) == 1.0


def test_a_half_weekend_gets_longer_sub_problems() -> None:
    _rm, start = _model((6, 7))
    hood = _Neighbourhood("half_weekend", 0.0)
    assert _subsolve_factor(hood, WEEKENDS, _on_day(start)) == HALF_WEEKEND_SUBSOLVE_FACTOR
    assert _subsolve_factor(_Neighbourhood("weekends", 0.3), WEEKENDS, _on_day(start)) == 1.0
