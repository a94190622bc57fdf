"""A column-generation lower bound on the døgnindsats rhythm and fairness level.

`roster.bound`'s per-term bound minimises each term of the level (`LEVEL_QUALITY`:
blocks, isolated shifts, faces, requests, night and weekend spread) alone, so it misses
how they interact: a night spread that shares the nights among the whole team gives
every member a night face; five people carrying 168 shifts with hours and rest rules
cannot all work long blocks of one type. A Dantzig–Wolfe decomposition sees both:

- Column: one employee's legal schedule over the horizon (every hard rule of theirs,
  history and hours included: `roster.columns._Pricer`'s one-employee `RosterModel`);
  its cost is that employee's own terms of the level (blocks, isolated, faces,
  requests — each a per-employee sum).
- Master LP (GLOP), for the cover level held at 0 and at most `team_members` team
  memberships (the team level held): one convexity row per employee; every demand
  staffed exactly as required (at least, where over-cover is free); a speaker of the
  family's language on every shift that needs one; Σ memberships ≤ `team_members`;
  each peak P (night, weekend) at least every employee's load (contract-relative count,
  as in `add_fairness`) and at least its per-term bound; objective Σ cost + weight × P.
  Every roster of the held levels is a 0/1 point of this master, so its LP value is a
  lower bound of the level once no column prices out.
- Pricing: per employee, the relaxed dynamic programme of `roster.rhythm_pricing`
  (CP-SAT on the employee's own model took 1-5 s an employee and round: 8 rounds in
  60 s), with the duals as gains of their assignments; a shift of a case whose one
  consultant must speak its language is closed to a non-speaker (cover level 0).
  Employees with no shift open to them are left out (their own terms are ≥ 0).

Measured 2026-12-05 (one case, 8 weeks, 3x8, pool 40, team 5): 54 rounds in 30 s,
bound 285; 131 rounds in 150 s, LP 332.3, bound 331 — below the per-term bound of
the level (334). On tiny instances (4-5 people, 4-7 days) it converges at or below
the per-term bound too (7 days: 66 against 70; optimum 84). Why: the LP mixes
fractional schedules, and half of a schedule carries half of its night and weekend
load, so the peaks (held only at their per-term floors) and the blocks are diluted.
Not wired into `roster.solve` for that reason; a next step would fix each peak's
value and cap every column's load at it (pricing with a night and weekend count).
- Bound: the Lagrangian bound Σ dual × right-hand side + Σ_e proven minimum reduced cost,
  valid for any duals the peaks' weights allow and under a time limit (CP-SAT's proven
  pricing bound), rounded up: the level is an integer.

Pure: no I/O.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.linear_solver import pywraplp

from roster.bound import quality_bound
from roster.columns import Column, _NoSchedule
from roster.eligibility import speaks, why_not
from roster.model import _FAIRNESS_UNIT, _REFERENCE_CONTRACT, LEVEL_QUALITY, Term
from roster.problem import Assignment, Employee, Roster, RosterProblem
from roster.rhythm_pricing import RhythmProgramme, Schedule

#: The level's terms that are peaks over all employees (the rest are per-employee sums).
PEAKS = ("night_spread", "weekend_spread")
#: Cost of a consultant-shift the restricted master leaves uncovered: it keeps the
#: first LPs feasible; the bound does not depend on it (it is Lagrangian).
_ARTIFICIAL = 20.0
_EPSILON = 1e-6
#: Improving schedules kept per employee and pricing round (best reduced cost first).
COLUMNS_PER_ROUND = 5
#: Dual smoothing (`quality_columns`).
SMOOTHING = 0.5

DemandKey = tuple[str, int, str]  # case, day, shift


@dataclass
class QualityColumns:
    """What the column generation found: the bound (None when it proved none) and
    the columns per employee with their own cost."""

    bound: int | None = None
    lp_value: float | None = None
    rounds: int = 0
    converged: bool = False
    columns: dict[str, list[tuple[Column, int]]] = field(default_factory=dict)


@dataclass
class _Duals:
    cover: dict[DemandKey, float]
    language: dict[DemandKey, float]
    team: float
    peak_floor: dict[str, float]  # peak → dual of P ≥ its per-term bound
    load: dict[tuple[str, str], float]  # (peak, employee) → dual of P ≥ load
    convexity: dict[str, float]


class QualityMaster:
    """The master problem and its pricers for one problem and held team size."""

    def __init__(self, problem: RosterProblem, team_members: int | None, deadline: float) -> None:
        p = self.problem = problem
        self.team_members = team_members
        self.demands = {(d.case, d.day, d.shift): d for d in p.cover if d.required > 0}
        self.spoken = {
            key
            for key, d in self.demands.items()
            if p.case[d.case].language is not None and d.needs_language
        }
        night = {s.id for s in p.shift_types if s.night}
        self.counts: dict[str, Callable[[int, str], bool]] = {
            "night_spread": lambda d, s: s in night,
            "weekend_spread": lambda d, s: d in p.weekend_like_days,
        }
        weights = {
            "night_spread": p.weights.night_spread,
            "weekend_spread": p.weights.weekend_spread,
        }
        self.peak_weight = {name: w for name, w in weights.items() if w}
        floor = quality_bound(p, team_members=team_members, languages_met=True)
        self.peak_floor = {name: getattr(floor, name) / w for name, w in self.peak_weight.items()}
        self.pricers: dict[str, RhythmProgramme] = {}
        for e in p.employees:
            if time.perf_counter() > deadline:
                raise _NoSchedule
            closed = self._closed(e)
            open_ = {(k[1], k[2], k[0]) for k in self._eligible(e) if k not in closed}
            if open_:  # else only the empty schedule, of own cost ≥ 0
                self.pricers[e.id] = RhythmProgramme(p, e, open_)
        self.columns: dict[str, list[tuple[Column, int]]] = {e: [] for e in self.pricers}

    def _eligible(self, e: Employee) -> list[DemandKey]:
        p = self.problem
        return [k for k in self.demands if why_not(p, e, k[1], p.shift[k[2]]) is None]

    def _closed(self, e: Employee) -> set[DemandKey]:
        """Demands `e` cannot staff with the cover level at 0: one consultant, no
        over-cover, and a language `e` does not speak."""
        p = self.problem
        return {
            key
            for key in self.spoken
            if self.demands[key].required == 1
            and self.demands[key].over_weight is None
            and not speaks(e, p.case[key[0]])
        }

    def coefficient(self, employee: str) -> int | None:
        """The employee's contract-relative weight of one counted shift (None: no peak)."""
        e = self.problem.employee[employee]
        if e.contract_minutes_per_week <= 0:
            return None
        return round(_FAIRNESS_UNIT * _REFERENCE_CONTRACT / e.contract_minutes_per_week)

    def load(self, peak: str, employee: str, column: Column) -> int:
        coef = self.coefficient(employee)
        if coef is None:
            return 0
        counts = self.counts[peak]
        return coef * sum(1 for _e, d, s, _c in column if counts(d, s))

    def add(self, employee: str, column: Column, cost: int) -> bool:
        if any(c == column for c, _ in self.columns[employee]):
            return False
        self.columns[employee].append((column, cost))
        return True

    def add_roster(self, roster: Roster) -> None:
        """Every priced employee's schedule in `roster` as a column."""
        per: dict[str, list[Assignment]] = {e: [] for e in self.pricers}
        for a in roster:
            if a.employee in per:
                per[a.employee].append(a)
        for eid, assignments in per.items():
            schedule = tuple((a.day, a.shift, a.case) for a in assignments)
            self.add(eid, _column(eid, schedule), self.pricers[eid].cost(schedule))

    def solve_lp(self) -> tuple[float, _Duals, dict[tuple[str, int], float]]:
        lp = pywraplp.Solver.CreateSolver("GLOP")
        objective = lp.Objective()
        cover, language = {}, {}
        for key, d in self.demands.items():
            over_free = d.over_weight == 0
            row = cover[key] = lp.Constraint(d.required, lp.infinity() if over_free else d.required)
            artificial = lp.NumVar(0, lp.infinity(), "")
            row.SetCoefficient(artificial, 1)
            objective.SetCoefficient(artificial, _ARTIFICIAL)
            if key in self.spoken:
                language[key] = lp.Constraint(1, lp.infinity())
                language[key].SetCoefficient(artificial, 1)
        team = lp.Constraint(-lp.infinity(), self.team_members) if self.team_members else None
        peaks = {}
        floor_rows = {}
        load_rows: dict[tuple[str, str], pywraplp.Constraint] = {}
        for name, weight in self.peak_weight.items():
            peaks[name] = lp.NumVar(0, lp.infinity(), name)
            objective.SetCoefficient(peaks[name], weight)
            floor_rows[name] = lp.Constraint(self.peak_floor[name], lp.infinity())
            floor_rows[name].SetCoefficient(peaks[name], 1)
        convexity, lam = {}, {}
        for eid, columns in self.columns.items():
            row = convexity[eid] = lp.Constraint(1, 1)
            for name in self.peak_weight:
                if self.coefficient(eid) is not None:
                    load_rows[(name, eid)] = lp.Constraint(0, lp.infinity())
                    load_rows[(name, eid)].SetCoefficient(peaks[name], 1)
            speaker = {c.id: speaks(self.problem.employee[eid], c) for c in self.problem.cases}
            for i, (column, cost) in enumerate(columns):
                var = lam[(eid, i)] = lp.NumVar(0, lp.infinity(), "")
                row.SetCoefficient(var, 1)
                objective.SetCoefficient(var, cost)
                for _e, day, shift, case in column:
                    key = (case, day, shift)
                    if key in cover:
                        cover[key].SetCoefficient(var, 1)
                    if key in language and speaker[case]:
                        language[key].SetCoefficient(var, 1)
                if team is not None:
                    team.SetCoefficient(var, len({k[3] for k in column}))
                for name in self.peak_weight:
                    if (name, eid) in load_rows:
                        load_rows[(name, eid)].SetCoefficient(var, -self.load(name, eid, column))
        objective.SetMinimization()
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            raise _NoSchedule
        duals = _Duals(
            {  # a row that allows over-cover is a ≥ row: its dual is not negative
                k: max(0.0, c.dual_value()) if self.demands[k].over_weight == 0 else c.dual_value()
                for k, c in cover.items()
            },
            {k: max(0.0, c.dual_value()) for k, c in language.items()},
            min(0.0, team.dual_value()) if team is not None else 0.0,
            {n: max(0.0, c.dual_value()) for n, c in floor_rows.items()},
            {k: max(0.0, c.dual_value()) for k, c in load_rows.items()},
            {e: c.dual_value() for e, c in convexity.items()},
        )
        self._within_weights(duals)
        return objective.Value(), duals, {k: v.solution_value() for k, v in lam.items()}

    def _within_weights(self, duals: _Duals) -> None:
        """Scale the peaks' duals down to what their weights allow (GLOP's tolerances):
        the Lagrangian bound holds only when Σ duals of a peak's rows ≤ its weight."""
        for name, weight in self.peak_weight.items():
            keys = [k for k in duals.load if k[0] == name]
            total = duals.peak_floor[name] + sum(duals.load[k] for k in keys)
            if total > weight:
                duals.peak_floor[name] *= weight / total
                for k in keys:
                    duals.load[k] *= weight / total

    def gains(self, eid: str, duals: _Duals) -> dict[tuple[int, str, str], float]:
        """The duals as the gain of each (day, shift, case) `eid` may work."""
        p = self.problem
        coef = self.coefficient(eid) or 0
        out = {}
        for day, shift, case in self.pricers[eid].open:
            demand = (case, day, shift)
            gain = duals.cover.get(demand, 0.0)
            if demand in duals.language and speaks(p.employee[eid], p.case[case]):
                gain += duals.language[demand]
            for name in self.peak_weight:
                if self.counts[name](day, shift):
                    gain -= duals.load.get((name, eid), 0.0) * coef
            out[(day, shift, case)] = gain
        return out

    def reduced_cost(self, eid: str, column: Column, cost: int, duals: _Duals) -> float:
        """Own cost minus the duals of the rows `column` takes part in (not convexity)."""
        p = self.problem
        value = float(cost)
        for _e, day, shift, case in column:
            key = (case, day, shift)
            value -= duals.cover.get(key, 0.0)
            if key in duals.language and speaks(p.employee[eid], p.case[case]):
                value -= duals.language[key]
        value -= duals.team * len({k[3] for k in column})
        for name in self.peak_weight:
            value += duals.load.get((name, eid), 0.0) * self.load(name, eid, column)
        return value

    def constant(self, duals: _Duals) -> float:
        """Σ dual × right-hand side of the coupling rows."""
        value = 0.0
        value += sum(duals.cover[k] * self.demands[k].required for k in duals.cover)
        value += sum(duals.language.values())
        value += duals.team * (self.team_members or 0)
        value += sum(duals.peak_floor[n] * self.peak_floor[n] for n in self.peak_weight)
        return value


_OWN_NAMES = ("blocks", "isolated", "faces", "requests")


def quality_columns(
    problem: RosterProblem,
    team_members: int | None,
    deadline: float,
    *,
    initial: Roster = (),
    seed: int = 0,
    smoothing: float = SMOOTHING,
    log: Callable[[str], None] | None = None,
) -> QualityColumns:
    """Column generation for the rhythm and fairness level until no column prices out
    or `deadline` (a `time.perf_counter()` value) passes. `initial`: a roster of the
    held levels (cover 0, at most `team_members` memberships) whose schedules are the
    first columns; without one, the first LPs lean on artificial cover.

    `smoothing` (Wentges): price at that share of the duals with the best Lagrangian
    bound so far plus the rest of the LP's; a round that then finds no column that
    improves the LP is priced again at the LP's own duals."""
    result = QualityColumns()
    started = time.perf_counter()
    try:
        master = QualityMaster(problem, team_members, deadline)
    except _NoSchedule:
        return result
    result.columns = master.columns
    master.add_roster(initial)
    best: float | None = None
    center: _Duals | None = None
    mispriced = False
    while time.perf_counter() < deadline:
        try:
            value, lp_duals, _ = master.solve_lp()
        except _NoSchedule:
            break
        result.lp_value = value
        result.rounds += 1
        alpha = 0.0 if center is None or mispriced else smoothing
        duals = lp_duals if not alpha or center is None else _mix(center, lp_duals, alpha)
        lagrangian = master.constant(duals)
        added = 0
        for eid, pricer in master.pricers.items():
            priced = pricer.price(master.gains(eid, duals), -duals.team)
            lagrangian += min(value for value, _ in priced)
            improving = []
            for _, schedule in priced:
                column, cost = _column(eid, schedule), pricer.cost(schedule)
                rc = master.reduced_cost(eid, column, cost, lp_duals) - lp_duals.convexity[eid]
                if rc < -_EPSILON:
                    improving.append((rc, sorted(column), cost))
            improving.sort()
            for _, keys, cost in improving[:COLUMNS_PER_ROUND]:
                added += master.add(eid, frozenset(keys), cost)
        if best is None or lagrangian > best:
            best, center = lagrangian, duals
            result.bound = max(0, math.ceil(best - 1e-4))
        if log is not None:
            log(
                f"round {result.rounds} at {time.perf_counter() - started:.1f} s: LP {value:.1f}, "
                f"Lagrangian {lagrangian}, bound {result.bound}, {added} columns (alpha {alpha})"
            )
        if result.bound is not None and result.bound >= value - _EPSILON:
            result.converged = True
            break  # the integer bound cannot rise any further
        mispriced = not added and alpha > 0
        if not added and not alpha:
            break  # no column prices out at the LP's duals: the LP value is the bound
    return result


def _mix(center: _Duals, lp: _Duals, alpha: float) -> _Duals:
    """alpha × `center` + (1 − alpha) × `lp`, row by row (both keep the duals' signs
    and the peaks' weights, so their mix does too)."""

    def mixed(a: dict[Any, float], b: dict[Any, float]) -> dict[Any, float]:
        return {k: alpha * a.get(k, 0.0) + (1 - alpha) * v for k, v in b.items()}

    return _Duals(
        mixed(center.cover, lp.cover),
        mixed(center.language, lp.language),
        alpha * center.team + (1 - alpha) * lp.team,
        mixed(center.peak_floor, lp.peak_floor),
        mixed(center.load, lp.load),
        lp.convexity,
    )


def _column(employee: str, schedule: Schedule) -> Column:
    return frozenset((employee, day, shift, case) for day, shift, case in schedule)
