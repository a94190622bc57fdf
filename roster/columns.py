"""Column generation and a diving heuristic for rosters coupled only through cover.

Dantzig–Wolfe view of a roster: every employee's hard rules (one shift a day, rotation,
run lengths, days off, hours, weekends, absences) concern that employee alone, and the
employees meet only in the cover demands. A *column* is one legal schedule of one
employee; the master problem picks one column per employee and pays for under- and
over-cover. Its LP relaxation is far stronger than that of the compact model in
`roster.model` (Curtois–Qu Instance8: 1297 against 1227; best known 1300).

- Restricted master LP: solved with GLOP, OR-Tools' own LP solver, because CP-SAT
  exposes no dual values and column generation needs them. It is kept between solves
  (`_Master`): new columns are added and GLOP restarts from its last basis.
- Heading-in: a root that starts from a big pool's first roster (`initial`) first
  takes subgradient steps on the Lagrangian dual (`ColumnGeneration.heading_in`): its
  master, one integral roster, is too degenerate for the LP's own duals to move it.
- Pricing: per employee, the same `RosterModel` restricted to that employee, solved
  with CP-SAT; the objective is the employee's own terms minus the cover duals. Every
  improving schedule CP-SAT meets on the way becomes a column. A library labelling
  algorithm is no faster: cspy 1.0.3 (C++ bidirectional labelling for resource-
  constrained shortest paths), on a day-by-state graph of the same rules with shift
  counts, minutes and weekends as resources, found the same minima at the root duals
  but took 55 ms an employee on Instance5 (CP-SAT 17 ms) and 1.7 s on Instance8
  (CP-SAT 0.15 s), measured 2026-12-01.
  From `PROGRAMME_PRICING_DAYS` or `PROGRAMME_PRICING_STAFF` on, pricing is by the
  per-employee dynamic programme of `roster.programme` (`_ProgrammePricer`): exact
  for every rule but the per-type and weekend maxima, which it relaxes with Lagrangian
  prices, so its minimum is still a valid bound and its columns are legal. Where
  those prices leave a gap, CP-SAT prices the employee (for a legal schedule when
  none was found, and once more at a converged root so that its bound is exact).
  Where the programme's optimum at its prices breaks a maximum, it is also mended into
  a legal column (`REPAIR_PRICING`): a Lagrangian price cannot reach a schedule at the
  maximum exactly when it lies in the relaxation's duality gap, and without those
  columns Instance15's root LP stalled 43 persons short (4,916) where the capacities
  prove 36. The small maxima (a few shifts of a type, a few weekends) are
  counted in the programme's state instead (`COUNTED_PRICING`): exact, so Instance15's
  pricing is CP-SAT's minimum for every employee and its Lagrangian bound valid and
  near the LP (3,742-3,806 against the best known 3,829).
- Lower bound: Σ dual × demand + Σ each employee's minimum of own cost minus duals is
  a Lagrangian bound for any duals the under- and over-cover weights allow (the LP's,
  or a smoothed mix: `ColumnGeneration.generate`), valid whenever every pricing problem
  is solved to proven optimality (CP-SAT's proven bound is used, so it stays valid
  under a time limit). At the LP's duals it equals LP value + Σ min(0, reduced cost).
- Dive: round the root LP to a roster by fixing *assignments* (employee, day, shift),
  not whole columns: every assignment the LP makes with weight ≥ `FIX_AT` at once,
  otherwise the heaviest fractional one, then price again; a fix that leaves an
  employee without a legal schedule is tried alone and then forbidden instead. Fixing
  whole columns (an earlier version) degraded once two thirds of the employees were
  fixed. The dive's roster is the warm start of `roster.nrp.solve_nrp`.
  Several dives (`generate`'s `dives`, `_best_dive`): one after another from the same
  root, the best roster kept, until one is within `DIVE_AGAIN_SHORT` of the LP's
  cover. Every other dive fixes the weekend days first, each with the same
  employee's other day of that weekend (`weekends_first`): a different roster from
  the same LP, where the weekends' capacity sets most of the cost (Instance18).

Applies when nothing but cover couples the employees (`applicable`): no language or
gender demand, no fairness peak, one weighted sum. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from roster import sequences
from roster.automaton import AutomatonCache
from roster.clock import WallClock
from roster.model import Key, RosterModel
from roster.model_terms import LEVEL_COVER
from roster.problem import Assignment, Roster, RosterProblem
from roster.programme import EmployeeProgramme
from roster.validate import persons_short, total

#: Assignments at or above this LP value are fixed together in one dive step.
FIX_AT = 0.9
#: Improving schedules kept per employee and pricing round (best reduced cost first).
COLUMNS_PER_ROUND = 5
#: Pricing rounds after each dive step: three while a pricing round is quick, one once
#: it takes `SLOW_ROUND` seconds or more. On a 2-core machine where Instance11's root
#: takes 12 s (0.4 s a round), three rounds made its dive last 20–30 s, one round 7–20 s,
#: ending at 3444 either way; on Instance3 (0.07 s a round) three rounds dive straight to
#: the optimum 1001, one round to 1100.
DIVE_ROUNDS = 3
SLOW_ROUND = 0.25
_EPSILON = 1e-6
#: Persons short beyond the root LP's (rounded up) at which a dive is good enough: no
#: further dive of `generate`'s `dives` after it (`_best_dive`). Instance18's first
#: dives end 43-48 short against the LP's 42.5; a second one paid from a first 47 short
#: (4,994 to 4,664) and not from one 43-44 short, whose time the last search needs.
DIVE_AGAIN_SHORT = 1
#: Horizon (days) from which pricing is by the per-employee dynamic programme
#: (`_ProgrammePricer`) rather than CP-SAT, unless told (`programme`): 6 weeks. CP-SAT's
#: pricing model grows with the horizon and its rounds with it. Instance15 (42 days, 45
#: staff), 60 s with one worker, load 4-6 (2026-12-05): by CP-SAT 3-8 rounds of 3-9 s in
#: 25 s of root (LP 10,051-20,234), a dive of 9,475-14,838, 5,608-7,535 at the end; by
#: the programme 23 rounds (LP 5,993), a dive of 7,437, 4,638 at the end (figures over
#: seeds in docs/history/bench_nrp.md). On shorter horizons CP-SAT's pricing finds more and
#: better columns a round (every improving schedule on its way) for its longer rounds;
#: an earlier measurement at load 7-10 found it better on Instance15 too (LP 9,763
#: against 17,850), before the programme's alternatives and minimised automaton.
PROGRAMME_PRICING_DAYS = 42
#: Budget of one employee's CP-SAT pricing run, on the search's clock (wall seconds, or
#: work in a reproducible search: `roster.clock`): one hard pricing problem must not
#: hold up its whole round, and an unproven run still gives columns.
PRICING_SECONDS = 5.0
#: Pool size from which pricing is by the programme at any horizon: CP-SAT's pricing
#: models take about 50 ms each to build and 80 ms a solve, so a round of Instance13's
#: 120 employees took 10 s (2 rounds in a 60 s run), the programme's about 1 s
#: (measured 2026-12-05, load 4-5, 2 shared cores).
PROGRAMME_PRICING_STAFF = 100
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
#: Dual smoothing at the root (`ColumnGeneration.generate`).
SMOOTHING = 0.3
#: Heading-in (`ColumnGeneration.heading_in`): Polyak step factor, and the steps without
#: a better bound after which it halves.
HEADING_THETA = 1.0
HEADING_PATIENCE = 3
#: Share of the root's time for the heading-in, when it starts from a roster.
HEADING_SHARE = 0.5
#: Dual smoothing after a heading-in.
HEADING_SMOOTHING = 0.8
#: Duals are rounded to 1/_SCALE so that pricing has an integer objective and CP-SAT's
#: proven bound is exact; the bound then allows for that rounding (`_rounding_slack`).
_SCALE = 10**6

Column = frozenset[Key]
DemandKey = tuple[str, int, str]  # case, day, shift


@dataclass(frozen=True)
class ColumnResult:
    #: the dive's roster (legal; when the dive ran out of time, every employee's heaviest
    #: column in its last LP), None when an employee has no legal schedule
    roster: Roster | None
    lower_bound: int | None  #: proven lower bound on the objective (rounded up)
    lp_value: float | None  #: last root LP value
    #: under-cover (persons missing, summed over demands) in the last root LP solution
    lp_under: float | None
    #: the same weighted as in the objective (`RosterProblem.under_weight`)
    lp_under_cost: float | None
    columns: int
    rounds: int
    seconds: float


def applicable(problem: RosterProblem) -> bool:
    """True when the employees are coupled by cover demands alone."""
    p = problem
    if p.weights.lexicographic or p.weights.night_spread or p.weights.weekend_spread:
        return False
    return all(
        d.gender is None and not (p.case[d.case].language and d.needs_language) for d in p.cover
    )


class _Pricer:
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
            raise _NoSchedule
        proven = None
        if status == cp_model.OPTIMAL:
            proven = solver.best_objective_bound / _SCALE - self.rounding_slack
        return [(v / _SCALE, col, cost) for v, col, cost in found], proven

    @property
    def rounding_slack(self) -> float:
        """Most a schedule's reduced cost can move when the duals are rounded."""
        days = len({k[1] for k in self.keys})
        return days * 0.5 / _SCALE


class _ProgrammePricer:
    """One employee's pricing by the dynamic programme of `roster.programme` (same
    interface as `_Pricer`). It states every rule of the employee exactly except the
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
        `clock`: of the CP-SAT pricing it falls back on (`_Pricer`)."""
        self.problem, self.deadline, self.clock = problem, deadline, clock
        self.fallback: _Pricer | None = None
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
        """As `_Pricer.price` (`seed` is for CP-SAT). `exact`: where the programme's
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
            raise _NoSchedule
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
            found.append((_reduced_cost(column, own, duals), column, own))
        found.sort(key=lambda f: -f[0])  # best last, as CP-SAT's callback reports them
        self.tight = bool(found) and (priced.proven or found[-1][0] <= -priced.bound + _EPSILON)
        if exact and not self.tight:
            return self._by_cp_sat(duals, seed, forced, found, -priced.bound)
        if not found and not duals:
            # asked for any legal schedule (`ensure_columns`) and the maxima's prices did
            # not settle: CP-SAT finds one, or proves there is none. While pricing, a
            # round without a column from this employee is fine: the bound stays valid
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
            self.fallback = _Pricer(self.problem, self.employee, self.deadline, self.clock)
        more, proven = self.fallback.price(duals, seed, forced)
        both = sorted([*found, *more], key=lambda f: -f[0])
        if proven is not None and proven >= bound - _EPSILON:
            self.tight = True
        return both, bound if proven is None else max(bound, proven)


def _best_dive(
    cg: ColumnGeneration, root: _Lp, deadline: float, pool: ThreadPoolExecutor, dives: int
) -> Roster | None:
    """The best of `dives` dives from the `root` LP, one after another, each given an
    equal share of the time left; every other one fixes the weekends first. No further
    dive once one leaves at most `DIVE_AGAIN_SHORT` persons more short than the root LP:
    the time is the last search's then."""
    best: tuple[int, Roster] | None = None
    enough = math.ceil(root.under - _EPSILON) + DIVE_AGAIN_SHORT
    for i in range(dives):
        now = time.perf_counter()
        if i and (
            now > deadline or (best is not None and persons_short(cg.problem, best[1]) <= enough)
        ):
            break
        roster = cg.dive(
            root,
            now + (deadline - now) / (dives - i),
            pool,
            weekends_first=i % 2 == 1,
        )
        if roster is None:
            continue
        value = total(cg.problem, roster)
        if best is None or value < best[0]:
            best = (value, roster)
    return None if best is None else best[1]


def _columns_of(problem: RosterProblem, roster: Roster) -> dict[str, Column]:
    """Each employee's schedule in `roster` as a column."""
    out: dict[str, set[Key]] = {e.id: set() for e in problem.employees}
    for a in roster:
        out[a.employee].add((a.employee, a.day, a.shift, a.case))
    return {eid: frozenset(keys) for eid, keys in out.items()}


def _fixes_per_step(fractional: dict[Key, float], steps: int, spent: float, left: float) -> int:
    """Fractional assignments to fix in one dive step: one, unless fixing one a step
    (at the `spent / steps` seconds a step so far) would not reach a roster in the
    `left` seconds before the deadline; then as many as make the pace fit. Out of time
    the dive can only hand back the heaviest columns (Instance18 under load:
    11,000-13,000 against 4,459)."""
    slots = len({(k[0], k[1]) for k in fractional})
    if not steps or left <= 0:
        return 1
    return max(1, math.ceil(slots * (spent / steps) / left))


def _heaviest_per_slot(
    fractional: dict[Key, float], first: frozenset[int] = frozenset()
) -> list[Key]:
    """Fractional assignments, heaviest first (those on the days `first` before all
    others), at most one per (employee, day): two shifts on one day cannot both be
    fixed."""
    best: dict[tuple[str, int], Key] = {}
    for key in sorted(fractional):
        slot = (key[0], key[1])
        if slot not in best or fractional[key] > fractional[best[slot]]:
            best[slot] = key
    return sorted(best.values(), key=lambda k: (k[1] not in first, -fractional[k], k))


def _weekend_partners(
    step: dict[Key, bool],
    open_: dict[Key, float],
    forced: dict[Key, bool],
    partner_day: dict[int, int],
) -> dict[Key, bool]:
    """For each weekend day `step` fixes, the same employee's heaviest open assignment
    on the other day of that weekend, where nothing is fixed for them yet."""
    fixed = {(k[0], k[1]) for k, on in forced.items() if on} | {(k[0], k[1]) for k in step}
    best: dict[tuple[str, int], Key] = {}
    for key, value in sorted(open_.items()):
        slot = (key[0], key[1])
        if slot in fixed:
            continue
        if slot not in best or value > open_[best[slot]]:
            best[slot] = key
    out: dict[Key, bool] = {}
    for key in step:
        other = partner_day.get(key[1])
        if other is not None and (key[0], other) in best:
            out[best[(key[0], other)]] = True
    return out


def _agrees(column: Column, fixes: frozenset[tuple[Key, bool]]) -> bool:
    """Whether `column` makes every assignment of `fixes` that is on and none that is
    off."""
    return all((key in column) == value for key, value in fixes)


def _reduced_cost(column: Column, cost: int, duals: dict[DemandKey, float]) -> float:
    """Own cost minus `duals` (unrounded) over the column's assignments."""
    return cost - sum(duals.get((k[3], k[1], k[2]), 0.0) for k in column)


class _NoSchedule(Exception):
    """An employee has no legal schedule at all."""


class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, pricer: _Pricer, found: list[tuple[float, Column, int]]) -> None:
        super().__init__()
        self.pricer, self.found = pricer, found

    def on_solution_callback(self) -> None:
        column = frozenset(
            k for k, v in zip(self.pricer.keys, self.pricer.vars, strict=True) if self.value(v)
        )
        self.found.append((self.objective_value, column, round(self.value(self.pricer.own))))


@dataclass
class _Lp:
    value: float
    duals: dict[DemandKey, float]
    convexity: dict[str, float]
    weights: dict[tuple[str, int], float]  # (employee, column index) → LP weight
    under: float  # persons missing, summed over demands
    under_cost: float  # the same, weighted


class _Master:
    """The restricted master LP, kept between solves: new columns are added to it and
    columns that disagree with the dive's fixes are bounded to zero, so GLOP starts
    from its last basis (no presolve) instead of a model rebuilt from scratch, which
    took most of Instance13's root (4 s a solve at 9,000 columns).

    No other bounds on the master's variables: a bound's dual would break the
    Lagrangian bound (LP value = duals × right-hand sides only without them); a
    column bounded to zero is as if absent."""

    def __init__(
        self, problem: RosterProblem, columns: dict[str, list[Column]], costs: dict[str, list[int]]
    ) -> None:
        self.columns, self.costs = columns, costs
        self.lp = lp = pywraplp.Solver.CreateSolver("GLOP")
        self.objective = lp.Objective()
        self.objective.SetMinimization()
        self.cover: dict[DemandKey, pywraplp.Constraint] = {}
        self.unders: list[tuple[pywraplp.Variable, float]] = []
        for key, d in sorted({(d.case, d.day, d.shift): d for d in problem.cover}.items()):
            row = self.cover[key] = lp.Constraint(d.required, d.required)
            under = lp.NumVar(0, lp.infinity(), "")
            over = lp.NumVar(0, lp.infinity() if d.over_weight is not None else 0, "")
            row.SetCoefficient(under, 1)
            row.SetCoefficient(over, -1)
            self.unders.append((under, problem.under_weight(d)))
            self.objective.SetCoefficient(under, problem.under_weight(d))
            self.objective.SetCoefficient(over, d.over_weight or 0)
        self.convexity = {eid: lp.Constraint(1, 1) for eid in columns}
        self.z: dict[tuple[str, int], pywraplp.Variable] = {}
        self.open: dict[tuple[str, int], bool] = {}  # whether each z is not bounded to 0
        self.parameters = pywraplp.MPSolverParameters()
        self.parameters.SetIntegerParam(
            pywraplp.MPSolverParameters.PRESOLVE, pywraplp.MPSolverParameters.PRESOLVE_OFF
        )

    def solve(self, usable: dict[str, list[int]]) -> _Lp:
        """The LP over the `usable` columns (per employee, their indices)."""
        lp, z = self.lp, self.z
        for eid, columns in self.columns.items():
            for i in range(len(columns)):
                if (eid, i) in z:
                    continue
                var = z[(eid, i)] = lp.NumVar(0, lp.infinity(), "")
                self.convexity[eid].SetCoefficient(var, 1)
                self.objective.SetCoefficient(var, self.costs[eid][i])
                for _e, day, shift, case in columns[i]:
                    row = self.cover.get((case, day, shift))
                    if row is not None:
                        row.SetCoefficient(var, 1)
        allowed = {(eid, i) for eid, indices in usable.items() for i in indices}
        for key, var in z.items():
            # only the bounds that change: a dive step changes few of its thousands
            on = key in allowed
            if self.open.get(key) != on:
                var.SetUb(lp.infinity() if on else 0.0)
                self.open[key] = on
        if lp.Solve(self.parameters) != pywraplp.Solver.OPTIMAL:
            raise _NoSchedule
        return _Lp(
            self.objective.Value(),
            {k: c.dual_value() for k, c in self.cover.items()},
            {e: c.dual_value() for e, c in self.convexity.items()},
            {(e, i): z[(e, i)].solution_value() for e, indices in usable.items() for i in indices},
            sum(u.solution_value() for u, _ in self.unders),
            sum(u.solution_value() * w for u, w in self.unders),
        )


class ColumnGeneration:
    def __init__(
        self,
        problem: RosterProblem,
        num_workers: int = 2,
        seed: int = 0,
        deadline: float | None = None,
        build_by: float | None = None,
        programme: bool | None = None,
        clock: WallClock | None = None,
    ) -> None:
        """`clock`: the budget of each CP-SAT pricing run (`PRICING_SECONDS`) is on it,
        and on a `roster.clock.WorkClock` the dive is not paced by the wall clock (its
        rounds and fixes a step); the deadlines stay on the wall clock."""
        self.problem = problem
        self.clock = clock or WallClock()
        self.demands = {(d.case, d.day, d.shift): d for d in problem.cover}
        self.pricers: dict[str, _Pricer | _ProgrammePricer] = {}
        started = time.perf_counter()
        if programme is None:
            programme = (
                problem.days >= PROGRAMME_PRICING_DAYS
                or len(problem.employees) >= PROGRAMME_PRICING_STAFF
            )
        by_programme = programme and sequences.applicable(problem)
        automata: AutomatonCache = {}
        for i, e in enumerate(problem.employees):
            pricer = (
                _ProgrammePricer(problem, e.id, deadline, automata, self.clock)
                if by_programme
                else None
            )
            self.pricers[e.id] = (
                pricer
                if pricer is not None and pricer.usable
                else _Pricer(problem, e.id, deadline, self.clock)
            )
            # the pricing models alone would outlast `build_by` (forecast from those
            # built so far): give up early, with no bound, and leave the time to others
            spent = time.perf_counter() - started
            if (
                build_by is not None
                and started + spent * len(problem.employees) / (i + 1) > build_by
            ):
                raise _NoSchedule
        self.columns: dict[str, list[Column]] = {e.id: [] for e in problem.employees}
        self.costs: dict[str, list[int]] = {e.id: [] for e in problem.employees}
        self.workers = max(1, num_workers)
        self.seed = seed
        self.rounds = 0
        self.pricing_seconds = 0.0
        self.master = _Master(problem, self.columns, self.costs)
        #: per employee, the last `usable`: their fixes, the columns checked, the usable
        self._usable: dict[str, tuple[frozenset[tuple[Key, bool]], int, list[int]]] = {}

    def add(self, employee: str, column: Column, cost: int) -> bool:
        if column in self.columns[employee]:
            return False
        self.columns[employee].append(column)
        self.costs[employee].append(cost)
        return True

    def usable(self, forced: dict[Key, bool]) -> dict[str, list[int]]:
        """Per employee, the indices of the columns that agree with `forced`.

        Kept per employee between calls (`_usable`): a dive's fixes only grow, and a
        step fixes assignments of some employees only, so most employees' answers are
        the last one's plus their new columns, and the others' the last one's filtered
        by their new fixes (all of them recomputed took 12-19 % of Instance18's dive)."""
        by_employee: dict[str, dict[Key, bool]] = {e: {} for e in self.columns}
        for key, value in forced.items():
            by_employee[key[0]][key] = value
        out: dict[str, list[int]] = {}
        for eid, columns in self.columns.items():
            mine = frozenset(by_employee[eid].items())
            last = self._usable.get(eid)
            if last is not None and last[0] <= mine:
                new = mine - last[0]
                indices = [i for i in last[2] if _agrees(columns[i], new)]
                checked = last[1]
            else:
                indices, checked = [], 0
            indices += [i for i in range(checked, len(columns)) if _agrees(columns[i], mine)]
            self._usable[eid] = (mine, len(columns), indices)
            out[eid] = list(indices)
        return out

    def solve_lp(self, forced: dict[Key, bool]) -> _Lp:
        """The restricted master LP of the columns that agree with `forced`."""
        return self.master.solve(self.usable(forced))

    def generate(
        self,
        forced: dict[Key, bool],
        rounds: int,
        deadline: float,
        pool: ThreadPoolExecutor,
        smoothing: float = 0.0,
        prove: bool = False,
        start: tuple[float, dict[DemandKey, float]] | None = None,
    ) -> tuple[_Lp, float | None]:
        """Price and re-solve until no column improves, `rounds` are done or the
        deadline passes. Returns the last LP and the best Lagrangian bound found (of the
        node defined by `forced`).

        `smoothing` (Wentges): price at that share of the duals with the best Lagrangian
        bound so far plus the rest of the LP's duals. The LP's duals jump between
        extreme points of a degenerate master; their smoothed mix finds the columns
        that move the bound with fewer rounds. A round whose columns none improve the
        LP (a mis-pricing) is followed by one at the LP's own duals, and a round there
        that finds nothing ends the generation as before. `prove`: before it ends, the
        employees whose programme left a gap (`_ProgrammePricer.tight`) are priced
        exactly once more, so that a converged root's bound is as strong as CP-SAT's."""
        best_bound: float | None = None if start is None else start[0]
        center: dict[DemandKey, float] | None = None if start is None else start[1]
        lp = self.solve_lp(forced)
        employees = list(self.pricers)
        mispriced = exact = False
        for _ in range(rounds):
            if time.perf_counter() > deadline:
                break
            self.rounds += 1
            if center is None or mispriced or not smoothing:
                alpha, duals = 0.0, lp.duals
            else:
                alpha = smoothing
                duals = {k: alpha * center[k] + (1 - alpha) * v for k, v in lp.duals.items()}
            started = time.perf_counter()
            priced = list(
                pool.map(
                    lambda e, d=duals, x=exact: self.pricers[e].price(d, self.seed, forced, x),
                    employees,
                )
            )
            self.pricing_seconds += time.perf_counter() - started
            if all(proven is not None for _, proven in priced):
                bound = sum(duals[k] * self.demands[k].required for k in duals) + sum(
                    proven or 0.0 for _, proven in priced
                )
                if best_bound is None or bound > best_bound:
                    best_bound, center = bound, duals
            added = 0
            for eid, (found, _) in zip(employees, priced, strict=True):
                improving = [
                    (rc, column, cost)
                    for _, column, cost in found
                    if (rc := _reduced_cost(column, cost, lp.duals) - lp.convexity[eid]) < -_EPSILON
                ]
                for _, column, cost in sorted(improving, key=lambda f: f[0])[:COLUMNS_PER_ROUND]:
                    added += self.add(eid, column, cost)
            if not added:
                if alpha == 0.0 and (exact or not prove or self.tight()):
                    break
                # a mis-pricing, or the programme's prices of the maxima left a gap:
                # price the LP's own duals again, exactly where the programme was not
                exact = alpha == 0.0
                mispriced = True
                continue
            mispriced = exact = False
            lp = self.solve_lp(forced)
            if best_bound is not None and math.ceil(best_bound - _EPSILON) >= lp.value - _EPSILON:
                break  # the integer bound cannot rise any further
        return lp, best_bound

    def heading_in(
        self, upper: float, deadline: float, pool: ThreadPoolExecutor, steps: int = 10_000
    ) -> tuple[float, dict[DemandKey, float]] | None:
        """Subgradient steps on the Lagrangian dual of the cover (Polyak steps towards
        `upper`, a roster's objective), from zero duals, until `deadline` or `steps`;
        every legal schedule priced on the way becomes a column. Returns the best bound
        and its duals (None when some pricing did not prove its minimum).

        Why: a big pool's master, started from one roster, is degenerate. Instance13
        (from the programme's roster, 42 persons short) kept its LP value for 9-11
        rounds of pricing at the LP's duals (3,000-4,000 columns) while they jumped
        between 100 and -1 on most demands; capping the under-cover cost at 10 in the
        master (a box on the duals) did not shorten that. The columns priced along the
        subgradient path (12 s, about 5,000) let the LP fall from the first round on:
        1,507-1,630 after 30-42 s of root against 1,950-3,500 after 34-60 s without
        (load 4-5, 2026-12-05), and its best bound (at zero duals, each employee's
        cheapest schedule: 178) replaces the LP duals' negative ones."""
        keys = list(self.demands)
        required = np.array([self.demands[k].required for k in keys], dtype=float)
        low = np.array([-(self.demands[k].over_weight or 0) for k in keys], dtype=float)
        high = np.array([self.problem.under_weight(self.demands[k]) for k in keys], dtype=float)
        index = {k: i for i, k in enumerate(keys)}
        y = np.zeros(len(keys))
        best: tuple[float, dict[DemandKey, float]] | None = None
        theta, stale = HEADING_THETA, 0
        employees = list(self.pricers)
        for _ in range(steps):
            if time.perf_counter() > deadline:
                break
            duals = dict(zip(keys, y.tolist(), strict=True))
            priced = list(
                pool.map(lambda e, d=duals: self.pricers[e].price(d, self.seed), employees)
            )
            if any(proven is None for _, proven in priced):
                return best
            value = float(y @ required) + sum(proven or 0.0 for _, proven in priced)
            covered = np.zeros(len(keys))
            for eid, (found, _) in zip(employees, priced, strict=True):
                for _, column, cost in found:
                    self.add(eid, column, cost)
                if found:
                    for _e, day, shift, case in found[-1][1]:
                        i = index.get((case, day, shift))
                        if i is not None:
                            covered[i] += 1
            if best is None or value > best[0] + _EPSILON:
                best, stale = (value, duals), 0
            else:
                stale += 1
                if stale >= HEADING_PATIENCE:
                    theta, stale = theta / 2, 0
            # a subgradient: demand less cover, where the clipped duals can move
            gradient = required - covered
            gradient[(y <= low) & (gradient < 0)] = 0.0
            gradient[(y >= high) & (gradient > 0)] = 0.0
            norm = float(gradient @ gradient)
            if norm == 0.0:
                break
            y = np.clip(y + theta * max(upper - value, 1.0) / norm * gradient, low, high)
        return best

    def tight(self) -> bool:
        """Whether every employee's last pricing proved its best schedule optimal."""
        return all(getattr(p, "tight", True) for p in self.pricers.values())

    def ensure_columns(self, forced: dict[Key, bool], pool: ThreadPoolExecutor) -> None:
        """Give every employee at least one schedule that agrees with `forced` (the
        cheapest own cost); raises `_NoSchedule` when an employee has none."""
        missing = [e for e, indices in self.usable(forced).items() if not indices]
        for eid, (found, _) in zip(
            missing,
            pool.map(lambda e: self.pricers[e].price({}, self.seed, forced), missing),
            strict=True,
        ):
            if not found:
                raise _NoSchedule
            _, column, cost = found[-1]
            self.add(eid, column, cost)

    def dive(
        self, lp: _Lp, deadline: float, pool: ThreadPoolExecutor, weekends_first: bool = False
    ) -> Roster | None:
        """Round the LP to a roster by fixing assignments, not columns: every
        assignment the LP makes with weight ≥ `FIX_AT` at once, otherwise the single
        heaviest fractional one; price again after each step (`DIVE_ROUNDS`, or one round
        when pricing is slow: `SLOW_ROUND`). A fix that leaves some employee without a
        legal schedule is undone and forbidden instead. Out of time, it returns
        `heaviest(lp)`. `weekends_first`: the fractional assignments on weekend days are
        fixed before all others, each with the same employee's heaviest on the other
        day of that weekend (`_weekend_partners`)."""
        forced: dict[Key, bool] = {}
        # a reproducible search takes the quick branch: its pace is the wall clock's
        quick = self.clock.deterministic or self.pricing_seconds < SLOW_ROUND * max(1, self.rounds)
        rounds = DIVE_ROUNDS if quick else 1
        began, steps = time.perf_counter(), 0
        first = self.problem.weekend_like_days if weekends_first else frozenset()
        while True:
            chosen = {k: w for k, w in lp.weights.items() if w > _EPSILON}
            if all(w > 1 - _EPSILON for w in chosen.values()) or time.perf_counter() > deadline:
                return self.heaviest(lp)
            values: dict[Key, float] = {}
            for (eid, index), weight in chosen.items():
                for key in self.columns[eid][index]:
                    values[key] = values.get(key, 0.0) + weight
            open_ = {k: v for k, v in values.items() if k not in forced}
            step = {k: True for k, v in open_.items() if v >= FIX_AT}
            fractional = {k: v for k, v in open_.items() if v < 1 - _EPSILON}
            if fractional:
                # at least one fractional assignment a step (the heaviest when none is
                # at ≥ FIX_AT), and as many as the pace so far needs to reach a roster
                # before the deadline (`_fixes_per_step`)
                now = time.perf_counter()
                many = _fixes_per_step(fractional, steps, now - began, deadline - now)
                if self.clock.deterministic:
                    many = 1  # reproducible: not paced by the wall clock
                taken = {(k[0], k[1]) for k in step.keys() & fractional.keys()}
                for key in _heaviest_per_slot(fractional, first):
                    if len(taken) >= many:
                        break
                    if (key[0], key[1]) not in taken:
                        step[key] = True
                        taken.add((key[0], key[1]))
            if weekends_first:
                step |= _weekend_partners(step, open_, forced, self.partner_day)
            steps += 1
            heaviest = max(
                sorted(step),
                key=lambda k: (values[k] < 1 - _EPSILON, k[1] in first, values[k]),
            )
            trials = [step, {heaviest: True}] if len(step) > 1 else [step]
            trials.append({heaviest: False})
            for trial in trials:
                try:
                    self.ensure_columns(forced | trial, pool)
                    lp, _ = self.generate(forced | trial, rounds, deadline, pool)
                except _NoSchedule:
                    continue
                forced |= trial
                break
            else:
                return None  # neither branch of the last fix has a legal roster

    @functools.cached_property
    def partner_day(self) -> dict[int, int]:
        """Each weekend day's other day of the same weekend."""
        return {d: e for w in self.problem.weekends if len(w) == 2 for d, e in (w, w[::-1])}

    def heaviest(self, lp: _Lp) -> Roster:
        """Every employee's heaviest column in `lp`: the LP's roster when it is
        integral, and a legal one (if short of cover) when it is not."""
        best: dict[str, tuple[float, int]] = {}
        for (eid, index), weight in lp.weights.items():
            best[eid] = max(best.get(eid, (-1.0, -1)), (weight, index))
        return tuple(
            sorted(
                Assignment(day, shift, case, eid)
                for eid, (_, index) in best.items()
                for _, day, shift, case in self.columns[eid][index]
            )
        )


def generate(
    problem: RosterProblem,
    time_limit: float,
    *,
    root_share: float = 0.6,
    build_share: float = 0.8,
    seed: int = 0,
    num_workers: int = 2,
    programme: bool | None = None,
    initial: Roster | None = None,
    clock: WallClock | None = None,
    dives: int = 1,
) -> ColumnResult:
    """Column generation at the root (up to `root_share` of the time), then a dive, or
    up to `dives` dives from the same root, the best roster kept (`_best_dive`).
    `initial`: a legal roster whose schedules are the first columns of the employees
    the programme prices (`best_responses.first_roster`'s: the root LP starts at or below
    its objective instead of far above).
    When building the per-employee pricing models is forecast to take more than
    `build_share` of the time, it stops early: no roster, no bound. Once they are
    built, every employee's first column is a legal schedule of theirs, so the dive
    always ends with a legal roster (the heaviest columns, when out of time): on
    Instance20 on a loaded machine the only roster found in 60 s, so the pricing
    models may take most of the time.

    `clock`: a `roster.clock.WorkClock` makes it reproducible where it ends on its own
    (the root converged, the dive integral) before `time_limit` on the wall clock: each
    CP-SAT pricing run is given work, not seconds, and the dive prices the same rounds
    whatever the load (`ColumnGeneration.dive`)."""
    started = time.perf_counter()
    deadline = started + time_limit
    lower: float | None = None
    lp_value: float | None = None
    lp_under: float | None = None
    lp_under_cost: float | None = None
    roster: Roster | None = None
    try:
        cg = ColumnGeneration(
            problem,
            num_workers=num_workers,
            seed=seed,
            deadline=deadline,
            build_by=started + build_share * time_limit,
            programme=programme,
            clock=clock,
        )
    except _NoSchedule:
        return ColumnResult(None, None, None, None, None, 0, 0, time.perf_counter() - started)
    try:
        with ThreadPoolExecutor(max_workers=cg.workers) as pool:
            for eid, column in _columns_of(problem, initial or ()).items():
                pricer = cg.pricers[eid]
                if isinstance(pricer, _ProgrammePricer):
                    cg.add(eid, column, pricer.own_cost(column))
            cg.ensure_columns({}, pool)  # one schedule per employee to start from
            start = None
            if initial is not None:
                start = cg.heading_in(
                    cg.solve_lp({}).value,
                    started + HEADING_SHARE * root_share * time_limit,
                    pool,
                )
            lp, lower = cg.generate(
                {},
                10_000,
                started + root_share * time_limit,
                pool,
                smoothing=SMOOTHING if start is None else HEADING_SMOOTHING,
                prove=True,
                start=start,
            )
            lp_value, lp_under, lp_under_cost = lp.value, lp.under, lp.under_cost
            roster = _best_dive(cg, lp, deadline, pool, dives)
    except _NoSchedule:
        roster = None
    bound = None if lower is None else math.ceil(lower - 1e-4)
    return ColumnResult(
        roster,
        bound,
        lp_value,
        lp_under,
        lp_under_cost,
        sum(map(len, cg.columns.values())),
        cg.rounds,
        time.perf_counter() - started,
    )
