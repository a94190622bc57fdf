"""The dive of column generation (`roster.columns`): rounding the root LP to a roster by
fixing assignments and pricing again, and the best of several dives. Pure: no I/O.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from roster.clock import WallClock
from roster.master import EPSILON, Column, Lp, NoSchedule
from roster.model import Key
from roster.problem import Assignment, Roster, RosterProblem
from roster.validate import persons_short, total

#: Assignments at or above this LP value are fixed together in one dive step.
FIX_AT = 0.9
#: Pricing rounds after each dive step: three while a pricing round is quick, one once
#: it takes `SLOW_ROUND` seconds or more. On a 2-core machine where Instance11's root
#: takes 12 s (0.4 s a round), three rounds made its dive last 20–30 s, one round 7–20 s,
#: ending at 3444 either way; on Instance3 (0.07 s a round) three rounds dive straight to
#: the optimum 1001, one round to 1100.
DIVE_ROUNDS = 3
SLOW_ROUND = 0.25
#: Persons short beyond the root LP's (rounded up) at which a dive is good enough: no
#: further dive of `columns.generate`'s `dives` after it (`best_dive`). Instance18's first
#: dives end 43-48 short against the LP's 42.5; a second one paid from a first 47 short
#: (4,994 to 4,664) and not from one 43-44 short, whose time the last search needs.
DIVE_AGAIN_SHORT = 1


class Generation(Protocol):
    """What the dive uses of `roster.columns.ColumnGeneration` (which imports this
    module, so it cannot be imported here)."""

    problem: RosterProblem
    clock: WallClock
    columns: dict[str, list[Column]]
    rounds: int
    pricing_seconds: float

    def ensure_columns(self, forced: dict[Key, bool], pool: ThreadPoolExecutor) -> None: ...

    def generate(
        self, forced: dict[Key, bool], rounds: int, deadline: float, pool: ThreadPoolExecutor
    ) -> tuple[Lp, float | None]: ...


def best_dive(
    cg: Generation, root: Lp, deadline: float, pool: ThreadPoolExecutor, dives: int
) -> Roster | None:
    """The best of `dives` dives from the `root` LP, one after another, each given an
    equal share of the time left; every other one fixes the weekends first. No further
    dive once one leaves at most `DIVE_AGAIN_SHORT` persons more short than the root LP:
    the time is the last search's then."""
    best: tuple[int, Roster] | None = None
    enough = math.ceil(root.under - EPSILON) + DIVE_AGAIN_SHORT
    for i in range(dives):
        now = time.perf_counter()
        if i and (
            now > deadline or (best is not None and persons_short(cg.problem, best[1]) <= enough)
        ):
            break
        roster = dive(
            cg,
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


def dive(
    cg: Generation, lp: Lp, deadline: float, pool: ThreadPoolExecutor, weekends_first: bool = False
) -> Roster | None:
    """Round the LP to a roster by fixing assignments, not columns: every
    assignment the LP makes with weight ≥ `FIX_AT` at once, otherwise the single
    heaviest fractional one; price again after each step (`DIVE_ROUNDS`, or one round
    when pricing is slow: `SLOW_ROUND`). A fix that leaves some employee without a
    legal schedule is undone and forbidden instead. Out of time, it returns
    `heaviest_columns(cg, lp)`. `weekends_first`: the fractional assignments on weekend
    days are fixed before all others, each with the same employee's heaviest on the
    other day of that weekend (`_weekend_partners`)."""
    forced: dict[Key, bool] = {}
    # a reproducible search takes the quick branch: its pace is the wall clock's
    quick = cg.clock.deterministic or cg.pricing_seconds < SLOW_ROUND * max(1, cg.rounds)
    rounds = DIVE_ROUNDS if quick else 1
    began, steps = time.perf_counter(), 0
    first = cg.problem.weekend_like_days if weekends_first else frozenset()
    while True:
        chosen = {k: w for k, w in lp.weights.items() if w > EPSILON}
        if all(w > 1 - EPSILON for w in chosen.values()) or time.perf_counter() > deadline:
            return heaviest_columns(cg, lp)
        values: dict[Key, float] = {}
        for (eid, index), weight in chosen.items():
            for key in cg.columns[eid][index]:
                values[key] = values.get(key, 0.0) + weight
        open_ = {k: v for k, v in values.items() if k not in forced}
        step = {k: True for k, v in open_.items() if v >= FIX_AT}
        fractional = {k: v for k, v in open_.items() if v < 1 - EPSILON}
        if fractional:
            # at least one fractional assignment a step (the heaviest when none is
            # at ≥ FIX_AT), and as many as the pace so far needs to reach a roster
            # before the deadline (`_fixes_per_step`)
            now = time.perf_counter()
            many = _fixes_per_step(fractional, steps, now - began, deadline - now)
            if cg.clock.deterministic:
                many = 1  # reproducible: not paced by the wall clock
            taken = {(k[0], k[1]) for k in step.keys() & fractional.keys()}
            for key in _heaviest_per_slot(fractional, first):
                if len(taken) >= many:
                    break
                if (key[0], key[1]) not in taken:
                    step[key] = True
                    taken.add((key[0], key[1]))
        if weekends_first:
            step |= _weekend_partners(step, open_, forced, _partner_day(cg.problem))
        steps += 1
        heaviest = max(
            sorted(step),
            key=lambda k: (values[k] < 1 - EPSILON, k[1] in first, values[k]),
        )
        trials = [step, {heaviest: True}] if len(step) > 1 else [step]
        trials.append({heaviest: False})
        for trial in trials:
            try:
                cg.ensure_columns(forced | trial, pool)
                lp, _ = cg.generate(forced | trial, rounds, deadline, pool)
            except NoSchedule:
                continue
            forced |= trial
            break
        else:
            return None  # neither branch of the last fix has a legal roster


def _partner_day(problem: RosterProblem) -> dict[int, int]:
    """Each weekend day's other day of the same weekend."""
    return {d: e for w in problem.weekends if len(w) == 2 for d, e in (w, w[::-1])}


def heaviest_columns(cg: Generation, lp: Lp) -> Roster:
    """Every employee's heaviest column in `lp`: the LP's roster when it is
    integral, and a legal one (if short of cover) when it is not."""
    best: dict[str, tuple[float, int]] = {}
    for (eid, index), weight in lp.weights.items():
        best[eid] = max(best.get(eid, (-1.0, -1)), (weight, index))
    return tuple(
        sorted(
            Assignment(day, shift, case, eid)
            for eid, (_, index) in best.items()
            for _, day, shift, case in cg.columns[eid][index]
        )
    )


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
