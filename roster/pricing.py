"""Pricing for column generation (`roster.columns`): one employee's cheapest schedules
at the master's duals, by CP-SAT (`Pricer`) or by the per-employee dynamic programme of
`roster.programme` (`ProgrammePricer`), with a proven bound on that minimum. Pure: no
I/O.

Per employee, the same `RosterModel` restricted to that employee, solved with CP-SAT;
the objective is the employee's own terms minus the cover duals. Every improving
schedule CP-SAT meets on the way becomes a column. A library labelling algorithm is no
faster: cspy 1.0.3 (C++ bidirectional labelling for resource-constrained shortest
paths), on a day-by-state graph of the same rules with shift counts, minutes and
weekends as resources, found the same minima at the root duals but took 55 ms an
employee on Instance5 (CP-SAT 17 ms) and 1.7 s on Instance8 (CP-SAT 0.15 s), measured
2026-12-01.
From `columns.PROGRAMME_PRICING_DAYS` or `columns.PROGRAMME_PRICING_STAFF` on, pricing
is by the per-employee dynamic programme of `roster.programme` (`ProgrammePricer`):
exact for every rule but the per-type and weekend maxima, which it relaxes with
Lagrangian prices, so its minimum is still a valid bound and its columns are legal.
Where those prices leave a gap, CP-SAT prices the employee (for a legal schedule when
none was found, and once more at a converged root so that its bound is exact). Where the
programme's optimum at its prices breaks a maximum, it is also mended into a legal
column (`REPAIR_PRICING`): a Lagrangian price cannot reach a schedule at the maximum
exactly when it lies in the relaxation's duality gap, and without those columns
Instance15's root LP stalled 43 persons short (4,916) where the capacities prove 36. The
small maxima (a few shifts of a type, a few weekends) are counted in the programme's
state instead (`COUNTED_PRICING`): exact, so Instance15's pricing is CP-SAT's minimum
for every employee and its Lagrangian bound valid and near the LP (3,742-3,806 against
the best known 3,829).
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
from ortools.sat.python import cp_model

from roster.automaton import AutomatonCache
from roster.clock import WallClock
from roster.master import EPSILON, Column, DemandKey, NoSchedule, reduced_cost
from roster.model import Key, RosterModel
from roster.model_terms import LEVEL_COVER
from roster.problem import RosterProblem
from roster.programme import EmployeeProgramme

#: Improving schedules kept per employee and pricing round (best reduced cost first).
COLUMNS_PER_ROUND = 5
#: Budget of one employee's CP-SAT pricing run, on the search's clock (wall seconds, or
#: work in a reproducible search: `roster.clock`): one hard pricing problem must not
#: hold up its whole round, and an unproven run still gives columns.
PRICING_SECONDS = 5.0
#: Programme runs per employee and pricing round (`programme.EmployeeProgramme.price`):
#: the prices of the per-type and weekend maxima carry over between rounds, so a few
#: subgradient steps a round suffice.
PROGRAMME_ROUNDS = 3
#: Whether the programme's pricing also mends its relaxed optimum, when it breaks a
#: per-type or weekend maximum, into a legal column (`programme.EmployeeProgramme.price`'s
#: `repair`). Instance15 (night maxima of 3-4, 3 weekends of 6 binding for every
#: employee who may work them), seed 0, one worker: without it the root LP stalled at
#: 4,916 (43.2 persons short) from round 55 of 68 (25.8 s), with it 4,168 (36 short)
#: at round 20 (9.5 s) and 4,102 at 25.6 s; a round's pricing took about as long
#: (0.40 s against 0.34 s). Figures: docs/history/bench_nrp.md.
REPAIR_PRICING = True
#: Whether the programme's pricing keeps its small maxima exactly, counted in its state
#: (`programme.EmployeeProgramme.price`'s `counted`; `schedule_paths.SMALL_MAXIMUM`), at the
#: root and in the dives alike. Instance15 (nights at most 2-4, weekends 3 of 6), seed
#: 0, one worker, an 18 s root: every employee's pricing at the root's last duals
#: exact (CP-SAT's proven minimum, 45 of 45), where the prices had left gaps of 10-250
#: on each; LP 3,886-3,935 (36 short) against 4,120, its Lagrangian bound 3,606-3,661
#: (a valid one now: every pricing exact) against 1,938. Figures:
#: docs/history/bench_nrp.md.
COUNTED_PRICING = True
#: Duals are rounded to 1/_SCALE so that pricing has an integer objective and CP-SAT's
#: proven bound is exact; the bound then allows for that rounding (`_rounding_slack`).
_SCALE = 10**6


class Pricer:
    """One employee's CP-SAT pricing model, built once and re-solved per round."""

    def __init__(
        self,
        problem: RosterProblem,
        employee: str,
        deadline: float | None = None,
        clock: WallClock | None = None,
    ) -> None:
        self.deadline = deadline
        self.clock = clock or WallClock()
        own = dataclasses.replace(
            problem,
            employees=(problem.employee[employee],),
            requests=tuple(r for r in problem.requests if r.employee == employee),
        )
        self.rm = RosterModel(own)
        self.keys = list(self.rm.x)
        self.vars = [self.rm.x[k] for k in self.keys]
        self.own = sum(
            (t.expression() for t in self.rm.terms.values() if t.level != LEVEL_COVER),
            cp_model.LinearExpr.constant(0),
        )

    def price(
        self,
        duals: dict[DemandKey, float],
        seed: int,
        forced: dict[Key, bool] | None = None,
        exact: bool = False,
    ) -> tuple[list[tuple[float, Column, int]], float | None]:
        """The schedules CP-SAT met while minimising own cost minus `duals`, as
        (own cost minus duals, column, own cost), best last; and the proven minimum of
        that value (None when not proven). `forced`: assignments the dive has fixed
        (only this employee's are used)."""
        weights = [round(duals.get((k[3], k[1], k[2]), 0.0) * _SCALE) for k in self.keys]
        self.rm.model.minimize(
            self.own * _SCALE - cp_model.LinearExpr.weighted_sum(self.vars, weights)
        )
        model = self.rm.model
        mine = {k: v for k, v in (forced or {}).items() if k in self.rm.x}
        if mine:
            model = model.clone()
            for key, value in mine.items():
                domain = model.proto.variables[self.rm.x[key].index].domain
                domain[0] = domain[1] = int(value)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.linearization_level = 2
        solver.parameters.random_seed = seed
        self.clock.limit(solver, PRICING_SECONDS)
        if self.deadline is not None:
            # never past the caller's deadline: the solve's time limit is a promise
            left = self.deadline - time.perf_counter()
            cap = solver.parameters.max_time_in_seconds
            solver.parameters.max_time_in_seconds = max(0.01, min(cap, left))
        found: list[tuple[float, Column, int]] = []
        status = solver.solve(model, _Collector(self, found))
        if status == cp_model.INFEASIBLE:
            raise NoSchedule
        proven = None
        if status == cp_model.OPTIMAL:
            proven = solver.best_objective_bound / _SCALE - self.rounding_slack
        return [(v / _SCALE, col, cost) for v, col, cost in found], proven

    @property
    def rounding_slack(self) -> float:
        """Most a schedule's reduced cost can move when the duals are rounded."""
        days = len({k[1] for k in self.keys})
        return days * 0.5 / _SCALE


class ProgrammePricer:
    """One employee's pricing by the dynamic programme of `roster.programme` (same
    interface as `Pricer`). It states every rule of the employee exactly except the
    per-type and weekend maxima, which it prices (a Lagrangian relaxation), so its
    minimum is a valid lower bound on the pricing problem's either way, and every
    schedule it returns keeps all the rules (checked before it is reported)."""

    def __init__(
        self,
        problem: RosterProblem,
        employee: str,
        deadline: float | None = None,
        automata: AutomatonCache | None = None,
        clock: WallClock | None = None,
    ) -> None:
        """`automata`: shared by the pricers of one problem (see `EmployeeProgramme`);
        `clock`: of the CP-SAT pricing it falls back on (`Pricer`)."""
        self.problem, self.deadline, self.clock = problem, deadline, clock
        self.fallback: Pricer | None = None
        self.employee = employee
        self.programme = EmployeeProgramme(problem, problem.employee[employee], automata=automata)
        self.case = problem.cases[0].id
        self.symbol = {sid: k for k, sid in enumerate(self.programme.symbols)}
        self.days = problem.days
        self.prices: tuple[np.ndarray, float] | None = None
        #: whether the last pricing proved its best legal schedule optimal
        self.tight = True

    @property
    def usable(self) -> bool:
        return self.programme.usable

    def price(
        self,
        duals: dict[DemandKey, float],
        seed: int,
        forced: dict[Key, bool] | None = None,
        exact: bool = False,
    ) -> tuple[list[tuple[float, Column, int]], float | None]:
        """As `Pricer.price` (`seed` is for CP-SAT). `exact`: where the programme's
        prices of the maxima leave a gap between its best legal schedule and its bound
        (`tight` false), CP-SAT prices this employee too and the better bound counts."""
        gain = np.zeros((self.days, len(self.symbol)))
        for (_case, day, shift), value in duals.items():
            gain[day, self.symbol[shift]] = value
        for (eid, day, shift, _case), on in (forced or {}).items():
            if eid != self.employee:
                continue
            k = self.symbol[shift]
            if on:
                keep = gain[day, k]
                gain[day, :] = -math.inf
                gain[day, k] = keep
            else:
                gain[day, k] = -math.inf
        priced = self.programme.price(
            gain,
            rounds=PROGRAMME_ROUNDS,
            start=self.prices,
            alternatives=COLUMNS_PER_ROUND,
            repair=REPAIR_PRICING,
            counted=COUNTED_PRICING,
        )
        if priced.bound == -math.inf:
            raise NoSchedule
        if not forced:
            self.prices = priced.prices  # the dive's fixes would skew them
        cost = self.programme.cost
        found: list[tuple[float, Column, int]] = []
        shifts = [sid or "" for sid in self.programme.symbols]  # symbol 0 (off) never used
        for path in priced.schedules:
            column: Column = frozenset(
                (self.employee, day, shifts[k], self.case) for day, k in enumerate(path) if k
            )
            own = round(float(sum(cost[day, k] for day, k in enumerate(path))))
            found.append((reduced_cost(column, own, duals), column, own))
        found.sort(key=lambda f: -f[0])  # best last, as CP-SAT's callback reports them
        self.tight = bool(found) and (priced.proven or found[-1][0] <= -priced.bound + EPSILON)
        if exact and not self.tight:
            return self._by_cp_sat(duals, seed, forced, found, -priced.bound)
        if not found and not duals:
            # asked for any legal schedule (`ColumnGeneration.ensure_columns`) and the
            # maxima's prices did not settle: CP-SAT finds one, or proves there is none.
            # While pricing, a round without a column from this employee is fine: the
            # bound stays valid
            return self._by_cp_sat(duals, seed, forced, found, -priced.bound)
        return found, -priced.bound

    def own_cost(self, column: Column) -> int:
        """The employee's own cost of `column` (requests, preferred shift types)."""
        path = [0] * self.days
        for _eid, day, shift, _case in column:
            path[day] = self.symbol[shift]
        cost = self.programme.cost
        return round(float(sum(cost[day, k] for day, k in enumerate(path))))

    def _by_cp_sat(
        self,
        duals: dict[DemandKey, float],
        seed: int,
        forced: dict[Key, bool] | None,
        found: list[tuple[float, Column, int]],
        bound: float,
    ) -> tuple[list[tuple[float, Column, int]], float]:
        """CP-SAT's pricing of this employee (its model built on first use), with the
        programme's columns and the better of both bounds."""
        if self.fallback is None:
            self.fallback = Pricer(self.problem, self.employee, self.deadline, self.clock)
        more, proven = self.fallback.price(duals, seed, forced)
        both = sorted([*found, *more], key=lambda f: -f[0])
        if proven is not None and proven >= bound - EPSILON:
            self.tight = True
        return both, bound if proven is None else max(bound, proven)


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, pricer: Pricer, found: list[tuple[float, Column, int]]) -> None:
        super().__init__()
        self.pricer, self.found = pricer, found

    def on_solution_callback(self) -> None:
        column = frozenset(
            k for k, v in zip(self.pricer.keys, self.pricer.vars, strict=True) if self.value(v)
        )
        self.found.append((self.objective_value, column, round(self.value(self.pricer.own))))
