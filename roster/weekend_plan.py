"""Weekends first: who works which weekend day, and in which shift, before the rest.

A big pool's weekends can be its scarcest resource. Curtois–Qu Instance13 demands 482
persons on its 8 weekend days, and its staff's weekend maxima allow at most 500 weekend
shifts. The programme's first roster (`roster.best_responses`) fills the weekends one employee
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
weekdays around their planned weekend days (`best_responses.first_roster(fixed=)`). Over the
benchmark's ten seeds the 60 s roster averages 2,291 (2,391 with the cover alone in the
plan) against 2,693 before (figures: `scripts/bench_nrp.py`).

The plan is a heuristic start, not a relaxation: the weekday rules (hours, runs, days off)
are not in it. The programme drops the plan for an employee whose weekdays cannot be fitted
around it.

Pure: no I/O.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from ortools.sat.python import cp_model

from roster.best_responses import FixedDays
from roster.capacities import may_follow
from roster.clock import WallClock
from roster.eligibility import why_not
from roster.problem import Employee, RosterProblem


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
) -> FixedDays | None:
    """Every (employee, weekend day) → a shift or None (off), those of the best plan CP-SAT
    finds in `time_limit` of `clock`. Returns None when the problem is not `applicable`
    or when CP-SAT finds no plan in time."""
    if not applicable(problem):
        return None
    weekends = _WeekendModel(problem)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    (clock or WallClock()).limit(solver, max(0.1, time_limit))
    status = solver.solve(weekends.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan: dict[tuple[str, int], str | None] = {
        (e.id, d): None for e in problem.employees for d in weekends.days
    }
    for (eid, d, sid), var in weekends.x.items():
        if solver.boolean_value(var):
            plan[(eid, d)] = sid
    return plan


class _WeekendModel:
    """The weekend days' CP-SAT model: `x[(employee, day, shift)]` for each shift an
    employee may work on a weekend day, one method a rule, one a cost."""

    def __init__(self, problem: RosterProblem) -> None:
        p = self.problem = problem
        self.days = sorted({d for days in p.weekends for d in days})
        self.model = cp_model.CpModel()
        self.x: dict[tuple[str, int, str], cp_model.IntVar] = {}
        for e in p.employees:
            for d in self.days:
                for s in p.shift_types:
                    if why_not(p, e, d, s) is None:
                        self.x[(e.id, d, s.id)] = self.model.new_bool_var(f"x[{e.id},{d},{s.id}]")
        self.on_day: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        self.of_type: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
        self.staffed: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
        for (eid, d, sid), var in self.x.items():
            self.on_day[(eid, d)].append(var)
            self.of_type[(eid, sid)].append(var)
            self.staffed[(d, sid)].append(var)
        for e in p.employees:
            self.weekend_maximum(e)
            self.one_shift_a_day(e)
            self.type_maxima(e)
            self.successions(e)
        cost = self.cover_cost() + self.request_cost()
        self.model.minimize(
            cp_model.LinearExpr.weighted_sum([v for v, _ in cost], [w for _, w in cost])
        )

    def one_shift_a_day(self, e: Employee) -> None:
        """At most one shift a day."""
        for d in self.days:
            if len(self.on_day[(e.id, d)]) > 1:
                self.model.add_at_most_one(self.on_day[(e.id, d)])

    def weekend_maximum(self, e: Employee) -> None:
        """A weekend counts as worked when any of its days is."""
        if e.max_weekends is None:
            return
        worked = []
        for days in self.problem.weekends:
            shifts = [v for d in days for v in self.on_day[(e.id, d)]]
            if shifts:
                weekend = self.model.new_bool_var(f"weekend[{e.id},{days[0]}]")
                self.model.add_max_equality(weekend, shifts)
                worked.append(weekend)
        if len(worked) > e.max_weekends:
            self.model.add(sum(worked) <= e.max_weekends)

    def type_maxima(self, e: Employee) -> None:
        """The horizon's maxima hold for its weekend days alone."""
        for sid, limit in e.max_shifts_per_type.items():
            if len(self.of_type[(e.id, sid)]) > limit:
                self.model.add(sum(self.of_type[(e.id, sid)]) <= limit)

    def successions(self, e: Employee) -> None:
        """No shift the day after another that may not follow it (Saturday to Sunday)."""
        x = self.x
        for d in self.days:
            for first, then in self.cannot_follow:
                before, after = x.get((e.id, d, first)), x.get((e.id, d + 1, then))
                if before is not None and after is not None:
                    self.model.add_bool_or([before.Not(), after.Not()])

    @functools.cached_property
    def cannot_follow(self) -> list[tuple[str, str]]:
        """(shift, shift that may not follow it the next day), in the shift types' order."""
        types = self.problem.shift_types
        return [(a.id, b.id) for a in types for b in types if not may_follow(self.problem, a, b)]

    def cover_cost(self) -> list[tuple[cp_model.IntVar, int]]:
        """Each weekend demand's persons short at its under weight, and over at its over
        weight (none over where over-cover is forbidden)."""
        p, m = self.problem, self.model
        cost: list[tuple[cp_model.IntVar, int]] = []
        for c in p.cover:
            if c.day not in self.on_weekend:
                continue
            assigned = sum(self.staffed[(c.day, c.shift)])
            short = m.new_int_var(0, c.required, f"short[{c.day},{c.shift}]")
            m.add(short >= c.required - assigned)
            cost.append((short, p.under_weight(c)))
            if c.over_weight is None:
                m.add(assigned <= c.required)
            elif c.over_weight > 0:
                over = m.new_int_var(0, len(p.employees), f"over[{c.day},{c.shift}]")
                m.add(over >= assigned - c.required)
                cost.append((over, c.over_weight))
        return cost

    def request_cost(self) -> list[tuple[cp_model.IntVar, int]]:
        """The weekend days' requests as (literal, weight) terms: working a shift asked
        for saves its weight, working one asked off costs it (the requests' cost less a
        constant)."""
        terms: list[tuple[cp_model.IntVar, int]] = []
        for r in self.problem.requests:
            if r.day not in self.on_weekend:
                continue
            if r.shift is None:
                worked = list(self.on_day.get((r.employee, r.day), []))
            else:
                shift = self.x.get((r.employee, r.day, r.shift))
                worked = [] if shift is None else [shift]
            weight = r.weight * self.problem.weights.preference
            terms += [(v, -weight if r.on else weight) for v in worked]
        return terms

    @functools.cached_property
    def on_weekend(self) -> frozenset[int]:
        return frozenset(self.days)
