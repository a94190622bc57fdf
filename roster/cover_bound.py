"""A proven lower bound on a weighted-sum objective's cover terms, from capacities.

Where the staff cannot work as many shifts of a type as are demanded, every roster is
short by at least the difference: Curtois–Qu Instance15 demands 104 `n1` nights and its
25 staff who may work them may work 84 between them, so 20 are missing whatever the
roster. Weekends alike: where everyone may work only so many weekends (Instance18: 6 of
12 each), the weekend shifts they can hold fall short of those demanded. CP-SAT's bound
from the compact model and column generation's Lagrangian bound, within a minute, stay
far below (Instance15: 1,636–2,855 against a best known 3,829).

The relaxation: each employee works some number of shifts of each type on weekdays and
on weekend days, each number at most what they can work alone (`capacities.capacity`: the
days they may work, runs in a row, the per-type maxima, hours), the weekend days also at
most those of their `max_weekends` fullest weekends, their minutes within their limits.
Per shift type and class of days, the persons missing are at least those demanded less
those worked, and the persons over at least those worked less those demanded (where each
such day has a demand that charges over-cover). Every roster gives a solution of the
relaxation of no greater cover cost, and the objective's other terms are never
negative, so its optimum (or CP-SAT's bound on it) bounds the whole objective.

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.sat.python import cp_model

from roster.capacities import capacity
from roster.clock import WallClock
from roster.eligibility import workable_days
from roster.problem import CoverDemand, Employee, RosterProblem

#: The relaxation is small (employees × shift types × 2) and solved in milliseconds;
#: this caps it on a loaded machine. Its bound holds at any stop.
MAX_SECONDS = 2.0


def applicable(problem: RosterProblem) -> bool:
    """One weighted sum (the bound is on the sum) over cover in one case (a shift worked
    covers that case's demand only)."""
    return not problem.weights.lexicographic and len({c.case for c in problem.cover}) == 1


def cover_bound(
    problem: RosterProblem, time_limit: float = MAX_SECONDS, clock: WallClock | None = None
) -> int | None:
    """A lower bound on `problem`'s objective (None when not `applicable`, or the
    relaxation has no solution, which no roster has then either), searched for up to
    `time_limit` (at most `MAX_SECONDS`) of `clock` (the wall clock by default; a
    `WorkClock` for the same bound under any load)."""
    if not applicable(problem):
        return None
    p = problem
    weekend = {d for days in p.weekends for d in days}
    classes = {
        True: weekend,
        False: set(range(p.days)) - weekend,
    }
    types = list(p.shift_types)
    horizon = set(range(p.days))
    model = cp_model.CpModel()
    worked: dict[tuple[bool, str], list[cp_model.IntVar]] = defaultdict(list)
    for e in p.employees:
        # (on a weekend day or not, shift type) → shifts of that type e works there
        own: dict[tuple[bool, str], cp_model.IntVar] = {}
        for on_weekend, days in classes.items():
            for s in types:
                most = capacity(p, e, [s], days)
                if most > 0:
                    own[(on_weekend, s.id)] = model.new_int_var(0, most, "")
            in_class = [n for (w, _s), n in own.items() if w == on_weekend]
            if len(in_class) > 1:
                model.add(sum(in_class) <= capacity(p, e, types, days))
            if in_class and on_weekend and e.max_weekends is not None:
                model.add(sum(in_class) <= _weekend_days_at_most(p, e))
        if not own:
            continue
        for s in types:
            of_type = [n for (_w, sid), n in own.items() if sid == s.id]
            if len(of_type) > 1:
                model.add(sum(of_type) <= capacity(p, e, [s], horizon))
        model.add(sum(own.values()) <= capacity(p, e, types, horizon))
        minutes = cp_model.LinearExpr.weighted_sum(
            list(own.values()), [p.shift[sid].minutes for _w, sid in own]
        )
        upper = p.max_minutes(e)
        if upper is not None:
            model.add(minutes <= upper)
        if p.min_minutes(e) > 0:
            model.add(minutes >= p.min_minutes(e))
        for key, n in own.items():
            worked[key].append(n)
    cost: list[tuple[cp_model.IntVar, int]] = []
    for (on_weekend, shift), demands in _demands(p, classes).items():
        required = sum(d.required for d in demands)
        assigned = sum(worked.get((on_weekend, shift), []))
        under = model.new_int_var(0, required, f"under[{shift},{on_weekend}]")
        model.add(under >= required - assigned)
        cost.append((under, min(p.under_weight(d) for d in demands)))
        days = {d.day for d in demands}
        over_weights = [d.over_weight for d in demands]
        if days != classes[on_weekend] or len(days) != len(demands):
            continue  # a day without its one demand: work there costs nothing
        if all(w is None for w in over_weights):
            model.add(assigned <= required)  # over-cover forbidden on every day
        elif all(w is not None for w in over_weights):
            over = model.new_int_var(0, cp_model.INT32_MAX, f"over[{shift},{on_weekend}]")
            model.add(over >= assigned - required)
            cost.append((over, min(w for w in over_weights if w is not None)))
    if not cost:
        return None
    model.minimize(cp_model.LinearExpr.weighted_sum([v for v, _w in cost], [w for _v, w in cost]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    (clock or WallClock()).limit(solver, max(0.1, min(MAX_SECONDS, time_limit)))
    status = solver.solve(model)
    # the bound holds whether or not a solution was found in the time (Instance13:
    # none in 2 s), but none holds when there is none to find
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        return None
    found = solver.best_objective_bound
    return max(0, math.ceil(found - 1e-6)) if math.isfinite(found) else None


def _weekend_days_at_most(p: RosterProblem, e: Employee) -> int:
    """The most weekend days `e` can work: those they may work on their `max_weekends`
    fullest weekends."""
    workable = workable_days(p, e, p.shift_types)
    open_days = sorted((len(workable.intersection(days)) for days in p.weekends), reverse=True)
    return sum(open_days[: e.max_weekends or 0])


def _demands(
    p: RosterProblem, classes: dict[bool, set[int]]
) -> dict[tuple[bool, str], list[CoverDemand]]:
    """(on a weekend day or not, shift type) → its demands."""
    out: dict[tuple[bool, str], list[CoverDemand]] = defaultdict(list)
    for demand in p.cover:
        on_weekend = demand.day in classes[True]
        out[(on_weekend, demand.shift)].append(demand)
    return out
