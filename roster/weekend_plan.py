"""Weekends first: who works which weekend day, and in which shift, before the rest.

A big pool's weekends can be its scarcest resource. Curtois–Qu Instance13 demands 482
persons on its 8 weekend days, and its staff's weekend maxima allow at most 500 weekend
shifts. The programme's first roster (`roster.best_responses`) fills the weekends one employee
at a time and ended 42 persons short (seed 0). The employee groups that improve it never
won the weekends back: after 60 s everyone worked their most weekends, but 38 of those
weekends were one day only, and all 20 persons still short were on weekends.

This module plans the weekend days alone, for the whole pool at once, as one integer
programme. It keeps:
- each employee's weekend maximum;
- the per-type maxima;
- who may work which shift (`eligibility.why_not`);
- the successions from one weekend day to the next (`capacities.may_follow`).

It minimises the weekend cover's cost and the weekend days' requests. The first roster
then fits each employee's weekdays around their planned weekend days
(`best_responses.first_roster(fixed=)`).

The plan is a heuristic start, not a relaxation of the whole roster: the weekday rules
(hours, runs, days off) are not in it, and the programme drops the plan for an employee
whose weekdays cannot be fitted around it. But every rule it keeps is a rule of the whole
roster, and its costs are the whole objective's terms of the weekend days, so the weekend
programme's proven lower bound, plus the weekend requests that its objective counts as
savings, is a lower bound of any roster's objective (`WeekendPlan.bound`; every other
term is not negative). Instance13: 1,151, against the capacities' 317 and a proven
optimum of 1,348.

Why not CP-SAT, as every other model: on Instance13's weekend programme CP-SAT (two
workers, 10 s) ended 11-12 persons short on a quiet machine, over 100 short at load 4-5,
and its bound stayed at its trivial value; its LP relaxation alone is 1 person short. The
integer programme solved by HiGHS through OR-Tools' MathOpt (no further dependency) merges
the one-shift-a-day and succession rows into cliques in presolve and proves the optimum,
11 short, in 8-10 s, returning its best plan and bound when its time runs out
(figures: docs/history/bench_nrp.md).

Pure: no I/O.
"""

from __future__ import annotations

import datetime
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from ortools.math_opt.python import mathopt

from roster.best_responses import FixedDays
from roster.capacities import may_follow
from roster.eligibility import why_not
from roster.problem import Employee, RosterProblem

#: Slack when rounding the programme's dual bound up to the next integer (its costs are
#: integers, so its optimum is one).
_ROUNDING = 1e-6
#: Seconds to build the programme per (employee, weekend day, shift type): Instance13
#: (120 x 8 x 18) 0.42 s, Instance22 (50 x 104 x 10) 1.24 s, its 364 x 150 stand-in
#: 4.14 s (2-core machine, 2026-12-07).
BUILD_SECONDS_PER_SLOT = 2.5e-5
#: A bound is worth asking for when its time is at least this many times the build's
#: forecast: HiGHS proved Instance20's in 1.0 s (build 0.4 s) and Instance22's in 4-9 s
#: (build 1.2 s); given 2 s on Instance22 it proved nothing and ended at 4.1 s, since it
#: checks its time limit only between its phases.
MIN_LIMIT_TO_BUILD = 4.0


@dataclass(frozen=True)
class WeekendPlan:
    #: (employee, weekend day) → the planned shift, or None (off); None when no plan was
    #: found in the time
    days: FixedDays | None
    #: a lower bound of any roster's objective (the weekend cover and requests), or None
    #: when the programme proved none
    bound: int | None


def applicable(problem: RosterProblem) -> bool:
    """One case (a shift covers that case's demand), a horizon with weekends, and a pool in
    which someone's weekends are limited (without a limit, the weekends are no scarcer
    than the weekdays)."""
    return (
        len(problem.cases) == 1
        and bool(problem.weekends)
        and any(e.max_weekends is not None for e in problem.employees)
    )


def build_seconds(problem: RosterProblem) -> float:
    """Forecast of the programme's build, from its size."""
    days = sum(len(weekend) for weekend in problem.weekends)
    return BUILD_SECONDS_PER_SLOT * len(problem.employees) * days * len(problem.shift_types)


def worth_bounding(problem: RosterProblem, time_limit: float) -> bool:
    """Whether a plan of `time_limit` seconds is likely to prove a bound, not only to
    build the programme (the 364 x 150 stand-in in 3 s of its 60 s: not)."""
    return applicable(problem) and time_limit >= MIN_LIMIT_TO_BUILD * build_seconds(problem)


def plan_weekends(problem: RosterProblem, time_limit: float, seed: int = 0) -> WeekendPlan | None:
    """The best plan HiGHS finds in `time_limit` wall seconds, the build included, with
    its proven bound. Returns None when the problem is not `applicable`, or when neither
    a plan nor a bound was found in time.

    On the wall clock even in a reproducible search: the plan is the same whenever the
    programme is proven within the limit (the tests' small pools, and Instance13)."""
    if not applicable(problem):
        return None
    started = time.perf_counter()
    weekends = _WeekendModel(problem)
    left = max(0.1, time_limit - (time.perf_counter() - started))
    result = mathopt.solve(
        weekends.model,
        mathopt.SolverType.HIGHS,
        params=mathopt.SolveParameters(
            time_limit=datetime.timedelta(seconds=left), random_seed=seed
        ),
    )
    bound = weekends.bound(result.dual_bound())
    if not result.has_primal_feasible_solution():
        return None if bound is None else WeekendPlan(None, bound)
    values = result.variable_values()
    days: dict[tuple[str, int], str | None] = {
        (e.id, d): None for e in problem.employees for d in weekends.days
    }
    for (eid, d, sid), var in weekends.x.items():
        if values[var] > 0.5:
            days[(eid, d)] = sid
    return WeekendPlan(days, bound)


class _WeekendModel:
    """The weekend days' integer programme: `x[(employee, day, shift)]` for each shift an
    employee may work on a weekend day, one method a rule, one a cost."""

    def __init__(self, problem: RosterProblem) -> None:
        p = self.problem = problem
        self.days = sorted({d for days in p.weekends for d in days})
        self.on_weekend = frozenset(self.days)
        self.model = mathopt.Model(name="weekends")
        self.x: dict[tuple[str, int, str], mathopt.Variable] = {}
        for e in p.employees:
            for d in self.days:
                for s in p.shift_types:
                    if why_not(p, e, d, s) is None:
                        self.x[(e.id, d, s.id)] = self.model.add_binary_variable()
        self.on_day: dict[tuple[str, int], list[mathopt.Variable]] = defaultdict(list)
        self.of_type: dict[tuple[str, str], list[mathopt.Variable]] = defaultdict(list)
        self.staffed: dict[tuple[int, str], list[mathopt.Variable]] = defaultdict(list)
        for (eid, d, sid), var in self.x.items():
            self.on_day[(eid, d)].append(var)
            self.of_type[(eid, sid)].append(var)
            self.staffed[(d, sid)].append(var)
        self.cannot_follow = self._cannot_follow()
        for e in p.employees:
            self.weekend_maximum(e)
            self.one_shift_a_day(e)
            self.type_maxima(e)
            self.successions(e)
        self.model.minimize(mathopt.fast_sum(self.cover_cost() + self.request_cost()))

    def one_shift_a_day(self, e: Employee) -> None:
        """At most one shift a day."""
        for d in self.days:
            if len(self.on_day[(e.id, d)]) > 1:
                self.model.add_linear_constraint(mathopt.fast_sum(self.on_day[(e.id, d)]) <= 1)

    def weekend_maximum(self, e: Employee) -> None:
        """A weekend counts as worked when any of its days is."""
        if e.max_weekends is None:
            return
        worked = []
        for days in self.problem.weekends:
            if any(self.on_day[(e.id, d)] for d in days):
                weekend = self.model.add_binary_variable()
                for d in days:
                    if self.on_day[(e.id, d)]:
                        self.model.add_linear_constraint(
                            weekend >= mathopt.fast_sum(self.on_day[(e.id, d)])
                        )
                worked.append(weekend)
        if len(worked) > e.max_weekends:
            self.model.add_linear_constraint(mathopt.fast_sum(worked) <= e.max_weekends)

    def type_maxima(self, e: Employee) -> None:
        """The horizon's maxima hold for its weekend days alone."""
        for sid, limit in e.max_shifts_per_type.items():
            if len(self.of_type[(e.id, sid)]) > limit:
                self.model.add_linear_constraint(
                    mathopt.fast_sum(self.of_type[(e.id, sid)]) <= limit
                )

    def successions(self, e: Employee) -> None:
        """No shift the day after another that may not follow it (Saturday to Sunday): a
        shift and all those that may not follow it, at most one of them (the next day has
        one shift at most)."""
        for d in self.days:
            for first, then in self.cannot_follow.items():
                before = self.x.get((e.id, d, first))
                after = [v for s in then if (v := self.x.get((e.id, d + 1, s))) is not None]
                if before is not None and after:
                    self.model.add_linear_constraint(before + mathopt.fast_sum(after) <= 1)

    def _cannot_follow(self) -> dict[str, list[str]]:
        """Shift → the shifts that may not follow it the next day, in the types' order."""
        types = self.problem.shift_types
        follow = {a.id: [b.id for b in types if not may_follow(self.problem, a, b)] for a in types}
        return {a: then for a, then in follow.items() if then}

    def cover_cost(self) -> list[mathopt.LinearExpression]:
        """Each weekend demand's persons short at its under weight, and over at its over
        weight (none over where over-cover is forbidden)."""
        p, m = self.problem, self.model
        cost: list[mathopt.LinearExpression] = []
        for c in p.cover:
            if c.day not in self.on_weekend:
                continue
            assigned = mathopt.fast_sum(self.staffed[(c.day, c.shift)])
            short = m.add_variable(lb=0, ub=c.required)
            m.add_linear_constraint(short >= c.required - assigned)
            cost.append(p.under_weight(c) * short)
            if c.over_weight is None:
                m.add_linear_constraint(assigned <= c.required)
            elif c.over_weight > 0:
                over = m.add_variable(lb=0, ub=len(p.employees))
                m.add_linear_constraint(over >= assigned - c.required)
                cost.append(c.over_weight * over)
        return cost

    def request_cost(self) -> list[mathopt.LinearExpression]:
        """The weekend days' requests: working a shift asked for saves its weight, working
        one asked off costs it (the requests' cost less `request_constant`)."""
        terms: list[mathopt.LinearExpression] = []
        for r in self.problem.requests:
            if r.day not in self.on_weekend:
                continue
            if r.shift is None:
                worked = list(self.on_day.get((r.employee, r.day), []))
            else:
                shift = self.x.get((r.employee, r.day, r.shift))
                worked = [] if shift is None else [shift]
            weight = r.weight * self.problem.weights.preference
            terms += [(-weight if r.on else weight) * v for v in worked]
        return terms

    @property
    def request_constant(self) -> int:
        """What `request_cost` leaves out of the requests' cost: the weight of every
        weekend request to work, which it counts as a saving when granted."""
        w = self.problem.weights.preference
        return sum(r.weight * w for r in self.problem.requests if r.on and r.day in self.on_weekend)

    def bound(self, dual_bound: float) -> int | None:
        """The whole roster's lower bound from the programme's proven `dual_bound`."""
        if not math.isfinite(dual_bound):
            return None
        return max(0, math.ceil(dual_bound - _ROUNDING) + self.request_constant)
