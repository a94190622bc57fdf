"""Column generation and a diving heuristic for rosters coupled only through cover.

Dantzig–Wolfe view of a roster: every employee's hard rules (one shift a day, rotation,
run lengths, days off, hours, weekends, absences) concern that employee alone, and the
employees meet only in the cover demands. A *column* is one legal schedule of one
employee; the master problem picks one column per employee and pays for under- and
over-cover. Its LP relaxation is far stronger than that of the compact model in
`roster.model` (Curtois–Qu Instance8: 1297 against 1227; best known 1300).

- Restricted master LP: solved with GLOP, OR-Tools' own LP solver, because CP-SAT
  exposes no dual values and column generation needs them. It is kept between solves
  (`roster.master.Master`): new columns are added and GLOP restarts from its last basis.
- Heading-in: a root that starts from a big pool's first roster (`initial`) first
  takes subgradient steps on the Lagrangian dual (`ColumnGeneration.heading_in`): its
  master, one integral roster, is too degenerate for the LP's own duals to move it.
- Pricing: per employee, CP-SAT or the per-employee dynamic programme of
  `roster.programme` (from `PROGRAMME_PRICING_DAYS` or `PROGRAMME_PRICING_STAFF` on);
  how and why: `roster.pricing`.
- Lower bound: Σ dual × demand + Σ each employee's minimum of own cost minus duals is
  a Lagrangian bound for any duals the under- and over-cover weights allow (the LP's,
  or a smoothed mix: `ColumnGeneration.generate`), valid whenever every pricing problem
  is solved to proven optimality (CP-SAT's proven bound is used, so it stays valid
  under a time limit). At the LP's duals it equals LP value + Σ min(0, reduced cost).
- Dive (`roster.dive`): round the root LP to a roster by fixing *assignments* (employee,
  day, shift), not whole columns: every assignment the LP makes with weight ≥
  `dive.FIX_AT` at once, otherwise the heaviest fractional one, then price again; a fix
  that leaves an employee without a legal schedule is tried alone and then forbidden
  instead. Fixing whole columns (an earlier version) degraded once two thirds of the
  employees were fixed. The dive's roster is the warm start of `roster.nrp.solve_nrp`.
  Several dives (`generate`'s `dives`, `dive.best_dive`): one after another from the
  same root, the best roster kept, until one is within `dive.DIVE_AGAIN_SHORT` of the
  LP's cover. Every other dive fixes the weekend days first, each with the same
  employee's other day of that weekend (`weekends_first`): a different roster from the
  same LP, where the weekends' capacity sets most of the cost (Instance18).

Applies when nothing but cover couples the employees (`applicable`): no language or
gender demand, no fairness peak, one weighted sum. Pure: no I/O.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from roster import sequences
from roster.automaton import AutomatonCache
from roster.clock import WallClock
from roster.dive import best_dive
from roster.master import EPSILON, Column, DemandKey, Lp, Master, NoSchedule, reduced_cost
from roster.model import Key
from roster.pricing import COLUMNS_PER_ROUND, Pricer, ProgrammePricer
from roster.problem import Roster, RosterProblem

#: Horizon (days) from which pricing is by the per-employee dynamic programme
#: (`ProgrammePricer`) rather than CP-SAT, unless told (`programme`): 6 weeks. CP-SAT's
#: pricing model grows with the horizon and its rounds with it. Instance15 (42 days, 45
#: staff), 60 s with one worker, load 4-6 (2026-12-05): by CP-SAT 3-8 rounds of 3-9 s in
#: 25 s of root (LP 10,051-20,234), a dive of 9,475-14,838, 5,608-7,535 at the end; by
#: the programme 23 rounds (LP 5,993), a dive of 7,437, 4,638 at the end (figures over
#: seeds in docs/history/bench_nrp.md). On shorter horizons CP-SAT's pricing finds more and
#: better columns a round (every improving schedule on its way) for its longer rounds;
#: an earlier measurement at load 7-10 found it better on Instance15 too (LP 9,763
#: against 17,850), before the programme's alternatives and minimised automaton.
PROGRAMME_PRICING_DAYS = 42
#: Pool size from which pricing is by the programme at any horizon: CP-SAT's pricing
#: models take about 50 ms each to build and 80 ms a solve, so a round of Instance13's
#: 120 employees took 10 s (2 rounds in a 60 s run), the programme's about 1 s
#: (measured 2026-12-05, load 4-5, 2 shared cores).
PROGRAMME_PRICING_STAFF = 100
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
        """`clock`: the budget of each CP-SAT pricing run (`pricing.PRICING_SECONDS`) is
        on it, and on a `roster.clock.WorkClock` the dive is not paced by the wall clock
        (its rounds and fixes a step); the deadlines stay on the wall clock."""
        self.problem = problem
        self.clock = clock or WallClock()
        self.demands = {(d.case, d.day, d.shift): d for d in problem.cover}
        self.pricers: dict[str, Pricer | ProgrammePricer] = {}
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
                ProgrammePricer(problem, e.id, deadline, automata, self.clock)
                if by_programme
                else None
            )
            self.pricers[e.id] = (
                pricer
                if pricer is not None and pricer.usable
                else Pricer(problem, e.id, deadline, self.clock)
            )
            # the pricing models alone would outlast `build_by` (forecast from those
            # built so far): give up early, with no bound, and leave the time to others
            spent = time.perf_counter() - started
            if (
                build_by is not None
                and started + spent * len(problem.employees) / (i + 1) > build_by
            ):
                raise NoSchedule
        self.columns: dict[str, list[Column]] = {e.id: [] for e in problem.employees}
        self.costs: dict[str, list[int]] = {e.id: [] for e in problem.employees}
        self.workers = max(1, num_workers)
        self.seed = seed
        self.rounds = 0
        self.pricing_seconds = 0.0
        self.master = Master(problem, self.columns, self.costs)
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

    def solve_lp(self, forced: dict[Key, bool]) -> Lp:
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
    ) -> tuple[Lp, float | None]:
        """Price and re-solve until no column improves, `rounds` are done or the
        deadline passes. Returns the last LP and the best Lagrangian bound found (of the
        node defined by `forced`).

        `smoothing` (Wentges): price at that share of the duals with the best Lagrangian
        bound so far plus the rest of the LP's duals. The LP's duals jump between
        extreme points of a degenerate master; their smoothed mix finds the columns
        that move the bound with fewer rounds. A round whose columns none improve the
        LP (a mis-pricing) is followed by one at the LP's own duals, and a round there
        that finds nothing ends the generation as before. `prove`: before it ends, the
        employees whose programme left a gap (`ProgrammePricer.tight`) are priced
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
                    if (rc := reduced_cost(column, cost, lp.duals) - lp.convexity[eid]) < -EPSILON
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
            if best_bound is not None and math.ceil(best_bound - EPSILON) >= lp.value - EPSILON:
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
            if best is None or value > best[0] + EPSILON:
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
        cheapest own cost); raises `NoSchedule` when an employee has none."""
        missing = [e for e, indices in self.usable(forced).items() if not indices]
        for eid, (found, _) in zip(
            missing,
            pool.map(lambda e: self.pricers[e].price({}, self.seed, forced), missing),
            strict=True,
        ):
            if not found:
                raise NoSchedule
            _, column, cost = found[-1]
            self.add(eid, column, cost)


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
    up to `dives` dives from the same root, the best roster kept (`best_dive`).
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
    whatever the load (`dive.dive`)."""
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
    except NoSchedule:
        return ColumnResult(None, None, None, None, None, 0, 0, time.perf_counter() - started)
    try:
        with ThreadPoolExecutor(max_workers=cg.workers) as pool:
            for eid, column in _columns_of(problem, initial or ()).items():
                pricer = cg.pricers[eid]
                if isinstance(pricer, ProgrammePricer):
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
            roster = best_dive(cg, lp, deadline, pool, dives)
    except NoSchedule:
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


def _columns_of(problem: RosterProblem, roster: Roster) -> dict[str, Column]:
    """Each employee's schedule in `roster` as a column."""
    out: dict[str, set[Key]] = {e.id: set() for e in problem.employees}
    for a in roster:
        out[a.employee].add((a.employee, a.day, a.shift, a.case))
    return {eid: frozenset(keys) for eid, keys in out.items()}


def _agrees(column: Column, fixes: frozenset[tuple[Key, bool]]) -> bool:
    """Whether `column` makes every assignment of `fixes` that is on and none that is
    off."""
    return all((key in column) == value for key, value in fixes)
