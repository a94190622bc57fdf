"""Weekends first: who works which weekend day, and in which shift, before the rest.

A big pool's weekends can be its scarcest resource. Curtois–Qu Instance13 demands 482
persons on its 8 weekend days, and its staff's weekend maxima allow at most 500 weekend
shifts. The programme's first roster (`roster.sequences`) fills the weekends one employee
at a time and ended 42 persons short (seed 0). The employee groups that improve it never
won the weekends back: after 60 s everyone worked their most weekends, but 38 of those
weekends were one day only, and all 20 persons still short were on weekends.

This module plans the weekend days alone, for the whole pool at once, as one CP-SAT model.
The model keeps:
- each employee's weekend maximum;
- the per-type maxima;
- who may work which shift (`eligibility.why_not`);
- the successions from one weekend day to the next (`capacities.may_follow`).

It minimises the weekend cover's cost and the weekend days' requests. On Instance13 the
cover alone is 11-12 persons short in 10 s. The first roster then fits each employee's
weekdays around their planned weekend days (`sequences.first_roster(fixed=)`). Over the
benchmark's ten seeds the 60 s roster averages 2,291 (2,391 with the cover alone in the
plan) against 2,693 before (figures: `scripts/bench_nrp.py`).

The plan is a heuristic start, not a relaxation: the weekday rules (hours, runs, days off)
are not in it. The programme drops the plan for an employee whose weekdays cannot be fitted
around it.

Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from roster.capacities import may_follow
from roster.clock import WallClock
from roster.eligibility import why_not
from roster.problem import RosterProblem

#: (employee, weekend day) → the shift planned there, None for a day off.
WeekendPlan = Mapping[tuple[str, int], str | None]


def applicable(problem: RosterProblem) -> bool:
    """One case (a shift covers that case's demand), a horizon with weekends, and a pool in
    which someone's weekends are limited (without a limit, the weekends are no scarcer
    than the weekdays)."""
    return (
        len(problem.cases) == 1
        and bool(problem.weekends)
        and any(e.max_weekends is not None for e in problem.employees)
    )


def plan_weekends(
    problem: RosterProblem,
    time_limit: float,
    seed: int = 0,
    num_workers: int = 1,
    clock: WallClock | None = None,
) -> WeekendPlan | None:
    """Every employee's weekend days (a shift or None), those of the best plan CP-SAT
    finds in `time_limit` of `clock`. Returns None when the problem is not `applicable`
    or when CP-SAT finds no plan in time."""
    if not applicable(problem):
        return None
    p = problem
    weekend_days = sorted({d for days in p.weekends for d in days})
    model = cp_model.CpModel()
    x: dict[tuple[str, int, str], cp_model.IntVar] = {}
    for e in p.employees:
        for d in weekend_days:
            for s in p.shift_types:
                if why_not(p, e, d, s) is None:
                    x[(e.id, d, s.id)] = model.new_bool_var(f"x[{e.id},{d},{s.id}]")
    on_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
    of_type: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    staffed: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
    for (eid, d, sid), var in x.items():
        on_day[(eid, d)].append(var)
        of_type[(eid, sid)].append(var)
        staffed[(d, sid)].append(var)
    for e in p.employees:
        weekends_worked = []
        for days in p.weekends:
            shifts = [v for d in days for v in on_day[(e.id, d)]]
            if not shifts:
                continue
            worked = model.new_bool_var(f"weekend[{e.id},{days[0]}]")
            model.add_max_equality(worked, shifts)
            weekends_worked.append(worked)
        if e.max_weekends is not None and weekends_worked:
            model.add(sum(weekends_worked) <= e.max_weekends)
        for d in weekend_days:
            if len(on_day[(e.id, d)]) > 1:
                model.add_at_most_one(on_day[(e.id, d)])
        for sid, limit in e.max_shifts_per_type.items():
            if len(of_type[(e.id, sid)]) > limit:
                model.add(sum(of_type[(e.id, sid)]) <= limit)
        for d in weekend_days:
            for first in p.shift_types:
                for then in p.shift_types:
                    before, after = x.get((e.id, d, first.id)), x.get((e.id, d + 1, then.id))
                    if before is not None and after is not None and not may_follow(p, first, then):
                        model.add_bool_or([before.Not(), after.Not()])
    cost: list[tuple[cp_model.IntVar, int]] = []
    for c in p.cover:
        if c.day not in weekend_days:
            continue
        assigned = sum(staffed[(c.day, c.shift)])
        short = model.new_int_var(0, c.required, f"short[{c.day},{c.shift}]")
        model.add(short >= c.required - assigned)
        cost.append((short, p.under_weight(c)))
        if c.over_weight is None:
            model.add(assigned <= c.required)
        elif c.over_weight > 0:
            over = model.new_int_var(0, len(p.employees), f"over[{c.day},{c.shift}]")
            model.add(over >= assigned - c.required)
            cost.append((over, c.over_weight))
    cost += _requests(p, x, on_day, set(weekend_days))
    model.minimize(cp_model.LinearExpr.weighted_sum([v for v, _ in cost], [w for _, w in cost]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    (clock or WallClock()).limit(solver, max(0.1, time_limit))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan: dict[tuple[str, int], str | None] = {
        (e.id, d): None for e in p.employees for d in weekend_days
    }
    for (eid, d, sid), var in x.items():
        if solver.boolean_value(var):
            plan[(eid, d)] = sid
    return plan


def _requests(
    p: RosterProblem,
    x: Mapping[tuple[str, int, str], cp_model.IntVar],
    on_day: Mapping[tuple[str, int], list[cp_model.IntVar]],
    weekend_days: set[int],
) -> list[tuple[cp_model.IntVar, int]]:
    """The weekend days' requests as (literal, weight) terms of the plan's cost:
    working a shift asked for saves its weight, working one asked off costs it (the
    requests' cost less a constant)."""
    terms: list[tuple[cp_model.IntVar, int]] = []
    for r in p.requests:
        if r.day not in weekend_days:
            continue
        if r.shift is None:
            worked = list(on_day.get((r.employee, r.day), []))
        else:
            shift = x.get((r.employee, r.day, r.shift))
            worked = [] if shift is None else [shift]
        weight = r.weight * p.weights.preference
        terms += [(v, -weight if r.on else weight) for v in worked]
    return terms
