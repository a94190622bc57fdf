"""A Lagrangian lower bound of the rhythm terms (blocks and isolated shifts together),
each consultant priced by a dynamic programme over days (`roster.rhythm_kernel`).

The per-term blocks bound (`roster.term_bound.blocks_bound`) counts runs per shift type, as if
each type had its own people. A roster's consultants work several types, with days off
and weekly rests between their runs, and a team held at its size must work nearly
full hours: five people on one case's 168 shifts in 8 weeks. Relaxing the rows that tie
consultants together makes each consultant's part a shortest path over their days:

- cover, per (day, shift type), the cases' demand summed (a consultant works at most
  one shift a day): `sum_e y[e, d, t] + missing[d, t] = demand[d, t]`, multiplier
  `price[d, t]` free, with at most `missing_shifts` missing in all (the cover level's
  allowance: the bound takes the most the missing could save);
- team: at most `team_members` consultants work at all (each who works is at least
  one (consultant, case) membership), multiplier >= 0 per consultant who works.

The hours are left out: a multiplier per consultant on them slowed the steps (one
case, pool 40: 109 after 300 steps against 114 without) and the relaxation's value
hardly depends on them, since a fraction of a consultant's schedule counts the same
fraction of a membership. Consultants with the same days and limits have the same
programme, which runs once for all of them.

At any multipliers (`price` free, the others >= 0) the relaxed minimum is a lower bound
of blocks + isolated shifts of every roster the levels allow: the consultants' minima
over schedule sets that hold every legal schedule (`roster.rhythm_kernel` relaxes, never
forbids, a legal one), plus the multipliers' constants. Subgradient steps raise it; no
LP solver is needed. It stops after `iterations` steps or when `stop()` says so.

Not applied (None) with over-cover allowed (a day may hold more than its demand).

Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from roster.capacities import longest_run, may_follow
from roster.eligibility import why_not
from roster.problem import RosterProblem
from roster.rhythm_kernel import MINUTES_PER_DAY, cheapest_schedules

#: Subgradient steps at most (a step: one programme per kind of consultant, 4 ms for
#: five cases, pool 60, 56 days, five kinds; 1-1.5 s in all).
ITERATIONS = 300
#: The programme's work at most, in (kind of consultant, day) rows over all steps: five
#: cases, pool 60, 8 weeks (five kinds) take their `ITERATIONS`; longer horizons take
#: fewer steps, and none below `FEWEST_STEPS` (then no bound: it would be far too low).
WORK_BUDGET = ITERATIONS * 5 * 56
FEWEST_STEPS = 30
#: The programme's work at most in (kind, day, state) cells over all steps: the same
#: five cases (3x8, runs of at most 6: 1,055 states) take their `ITERATIONS` in 1-1.5
#: s. Without it a rule set with neither a most-days-in-a-row nor a weekly rest tracks
#: runs as long as the horizon (26 weeks, pool 40: 14.5 s against 0.8 s).
STATE_BUDGET = WORK_BUDGET * 1_100
#: The most (consultant, day) pairs whose eligibility is read to sort them into kinds.
MOST_PAIRS = 20_000
#: Stretch ages the programme tells apart (older: taken as the youngest, a relaxation).
AGES = 9
#: Steps without a better value before the step length halves.
PATIENCE = 15
#: The step length's scale below which the steps stop.
SMALLEST_SCALE = 1e-3


class RhythmPrices:
    """The relaxation's fixed data for one problem, and its value at any multipliers."""

    def __init__(
        self, problem: RosterProblem, missing_shifts: int, team_members: int | None
    ) -> None:
        p = problem
        self.p, self.missing, self.team = p, missing_shifts, team_members
        self.types = sorted({d.shift for d in p.cover if d.required > 0})
        index = {sid: i for i, sid in enumerate(self.types)}
        shifts = [p.shift[sid] for sid in self.types]
        self.demand = np.zeros((p.days, len(shifts)))
        for d in p.cover:
            if d.required > 0:
                self.demand[d.day, index[d.shift]] += d.required
        # consultants of the same days and limits, once each (`count` of them)
        kinds: dict[bytes, int] = {}
        allowed: list[np.ndarray] = []
        longest: list[np.ndarray] = []
        count: list[int] = []
        cap = self._weekly_rest_run_cap()
        for e in p.employees:
            mine = np.zeros((p.days, len(shifts)), dtype=np.bool_)
            runs = np.array(
                [max(1, min(longest_run(p, e, [s]), cap)) for s in shifts],
                dtype=np.int64,
            )
            for t, s in enumerate(shifts):
                for day in range(p.days):
                    mine[day, t] = self.demand[day, t] > 0 and why_not(p, e, day, s) is None
            key = mine.tobytes() + runs.tobytes()
            if key not in kinds:
                kinds[key] = len(count)
                allowed.append(mine)
                longest.append(runs)
                count.append(0)
            count[kinds[key]] += 1
        self.allowed = np.array(allowed, dtype=np.bool_).reshape(len(count), p.days, len(shifts))
        self.longest = np.array(longest, dtype=np.int64).reshape(len(count), len(shifts))
        self.count = np.array(count, dtype=np.float64)
        self.start = np.array([s.start_minute for s in shifts], dtype=np.int64)
        self.end = np.array([s.start_minute + s.duration_minutes for s in shifts], dtype=np.int64)
        self.follows = np.array(
            [[may_follow(p, a, b) for b in shifts] for a in shifts], dtype=np.bool_
        )
        self.weekly_rest = p.rules.weekly_rest_minutes or 0
        self.window = p.rules.weekly_rest_window_days

    def _weekly_rest_run_cap(self) -> int:
        """A bound on any legal run of one shift type under the weekly rest: a run of
        `window + 1` days holds a whole window inside the horizon whose free pieces (24 h
        less a shift's length between two shifts of one type, and less than a day at its
        ends) are each shorter than a rest of a day or more; no cap otherwise."""
        p = self.p
        rest, window = p.rules.weekly_rest_minutes or 0, p.rules.weekly_rest_window_days
        if rest >= MINUTES_PER_DAY and p.days >= window + 2:
            return window + 1
        return p.days

    def states(self) -> int:
        """The programme's states (`roster.rhythm_kernel.cheapest_schedules`' layout)."""
        types, runs = len(self.types), int(self.longest.max(initial=1))
        return 2 + types * AGES * types + types * runs * AGES * types * 2

    def value(self, price: np.ndarray, member: float) -> tuple[float, np.ndarray, float]:
        """The relaxed minimum at multipliers `price` (day × type) and `member` (team),
        and its subgradient (price, member)."""
        w = self.p.weights
        values, chosen = cheapest_schedules(
            price,
            self.allowed,
            self.longest,
            self.start,
            self.end,
            self.follows,
            float(w.block),
            float(w.isolated_shift),
            int(self.weekly_rest),
            int(self.window),
            AGES,
        )
        works = values + member < 0
        total = float(np.sum(self.count * np.where(works, values + member, 0.0)))
        total += float(np.sum(price * self.demand))
        # the missing shifts save the most where the price is highest
        missed = np.zeros_like(self.demand)
        if self.missing > 0:
            left = self.missing
            for flat in np.argsort(-price, axis=None):
                d, t = np.unravel_index(flat, price.shape)
                if left <= 0 or price[d, t] <= 0:
                    break
                take = min(left, int(self.demand[d, t]))
                missed[d, t] = take
                left -= take
            total -= float(np.sum(price * missed))
        team = self.team if self.team is not None else 0
        total -= member * team
        worked = np.zeros_like(self.demand)
        for i in np.flatnonzero(works):
            for d, t in enumerate(chosen[i]):
                if t >= 0:
                    worked[d, t] += self.count[i]
        people = float(np.sum(self.count[works]))
        member_step = people - team if self.team is not None else 0.0
        return total, self.demand - missed - worked, member_step


def rhythm_bound(
    problem: RosterProblem,
    *,
    missing_shifts: int = 0,
    team_members: int | None = None,
    iterations: int = ITERATIONS,
    target: float | None = None,
    stop: Callable[[], bool] | None = None,
    trace: list[float] | None = None,
) -> int | None:
    """A lower bound of the weighted blocks and isolated shifts of every roster missing
    at most `missing_shifts` consultant-shifts and with at most `team_members` team
    memberships (None: no limit), by `iterations` subgradient steps (fewer when `stop()`
    says so); `target`, a value above the bound (e.g. a roster's), sets the steps'
    length. None where it does not apply (over-cover allowed, no rhythm weight)."""
    p = problem
    w = p.weights
    if not (w.block or w.isolated_shift) or any(d.over_weight is not None for d in p.cover):
        return None
    if len(p.employees) * p.days > MOST_PAIRS:
        return None
    prices = RhythmPrices(p, missing_shifts, team_members)
    if not prices.types:
        return 0
    rows = max(1, len(prices.count) * p.days)
    iterations = min(iterations, WORK_BUDGET // rows, STATE_BUDGET // (rows * prices.states()))
    if iterations < FEWEST_STEPS:
        return None
    price = np.full(prices.demand.shape, float(w.block) / 2)
    member = 0.0
    best = -math.inf
    scale, idle = 1.0, 0
    for _ in range(iterations):
        if stop is not None and stop():
            break
        value, g_price, g_member = prices.value(price, member)
        if trace is not None:
            trace.append(value)
        if value > best + 1e-9:
            best, idle = value, 0
        else:
            idle += 1
            if idle >= PATIENCE:
                scale, idle = scale / 2, 0
        norm = float(np.sum(g_price**2) + g_member**2)
        if norm <= 0 or scale < SMALLEST_SCALE:
            break
        # Polyak's step towards a value above the best (the caller's `target`, a roster's)
        aim = target if target is not None and target > best else best + max(5.0, abs(best) / 10)
        step = scale * (aim - value) / norm
        price = price + step * g_price
        member = max(0.0, member + step * g_member)
    if best == -math.inf:
        return None
    # the objective is an integer no lower than the relaxed minimum
    return max(0, math.ceil(best - 1e-6))
