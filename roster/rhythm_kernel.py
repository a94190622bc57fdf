"""The dynamic programme over one consultant's days behind `roster.rhythm_bound`,
compiled by numba (cached beside this module, compiled ahead by `roster.warm_up`).

A schedule gives each day a symbol: off, or one of the shift types. The programme's
states carry what the rules and costs need to know about the days before:

- working (type, run length of that type, days since the stretch began, the stretch's
  first type, whether the stretch of working days is one day long so far);
- one day off after a shift (the shift's type, the stretch's age and first type);
- rested (two or more days off, or never worked yet: "start").

A *stretch* runs from the first shift after a weekly rest (a free time of at least
`rest` minutes between two shifts) to the last shift before the next one. Every
window of `window` days inside the horizon must hold `rest` free minutes; a window
that starts after `t1 - rest` (t1: a stretch's first start) and ends before
`t2 + rest` (t2: its last end) holds less than `rest` of either free time around
the stretch and only shorter ones inside it, so such a window existing makes the
schedule illegal (`_breaks_weekly_rest`). Windows reaching before the horizon, the
history's and other rosters' busy time are left out, and a stretch older than the
table's ages is taken to have begun as late as it may: each only allows more
schedules, so the minimum stays a lower bound.

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

_Function = TypeVar("_Function", bound=Callable[..., Any])

INF = 1e18
MINUTES_PER_DAY = 1440


def _compiled(function: _Function) -> _Function:
    """`function` compiled by numba in nopython mode, cached (typed for mypy as itself)."""
    return cast(_Function, numba.njit(nogil=True, cache=True)(function))


@_compiled
def _breaks_weekly_rest(first_start: int, last_end: int, rest: int, window: int, days: int) -> bool:
    """A window of `window` days inside the horizon starts after `first_start - rest`
    and ends before `last_end + rest` (all in minutes from the horizon start)."""
    if rest <= 0:
        return False
    low = max(0, -((rest - 1 - first_start) // MINUTES_PER_DAY))  # ceil((t1-rest+1)/day)
    high = min(days - window, (last_end + rest - 1 - window * MINUTES_PER_DAY) // MINUTES_PER_DAY)
    return low <= high


@_compiled
def _decode_off(s: int, off_base: int, types: int, ages: int) -> tuple[int, int, int]:
    """A one-day-off state's (type worked before it, stretch age, stretch's first type)."""
    i = s - off_base
    first = i % types
    i //= types
    return i // ages, i % ages, first


@_compiled
def _decode_working(
    s: int, work_base: int, types: int, ages: int, runs: int
) -> tuple[int, int, int, int, int]:
    """A working state's (type, run length, stretch age, stretch's first type, whether
    the stretch is one day long)."""
    i = s - work_base
    single = i % 2
    i //= 2
    first = i % types
    i //= types
    age = i % ages
    i //= ages
    return i // runs, i % runs + 1, age, first, single


@_compiled
def cheapest_schedules(
    price: np.ndarray,
    allowed: np.ndarray,
    longest: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    follows: np.ndarray,
    block: float,
    isolated: float,
    rest: int,
    window: int,
    ages: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per consultant e, the least cost of a schedule with at least one shift:
    `block` per run start, `isolated` per working day between days off (the days
    outside the horizon off), less `price[day, type]` per shift; and the schedule
    itself (day → type, -1 off).

    `allowed[e, day, type]`, `longest[e, type]` (the most days in a row of the type),
    `start`/`end` (minutes from the day's midnight), `follows[a, b]` (b may be worked
    the day after a), `rest`/`window` the weekly rest (rest
    0: none), `ages` the stretch ages the table tells apart."""
    people, days, types = allowed.shape
    runs = 1
    for e in range(people):
        for t in range(types):
            runs = max(runs, longest[e, t])
    # state layout: 0 start, 1 rested, then one-day-off, then working
    off_base = 2
    work_base = off_base + types * ages * types
    states = work_base + types * runs * ages * types * 2
    values = np.full(people, INF)
    chosen = np.full((people, days), -1, dtype=np.int64)
    back = np.full((days, states), -1, dtype=np.int64)
    for e in range(people):
        cost = np.full(states, INF)
        cost[0] = 0.0
        for d in range(days):
            new = np.full(states, INF)
            came = np.full(states, -1, dtype=np.int64)
            for s in range(states):
                here = cost[s]
                if here >= INF:
                    continue
                # decode
                kind = 0  # 0 start, 1 rested, 2 off one day, 3 working
                t = -1
                r = 0
                age = 0
                first = 0
                single = 0
                if s == 0:
                    kind = 0
                elif s == 1:
                    kind = 1
                elif s < work_base:
                    kind = 2
                    t, age, first = _decode_off(s, off_base, types, ages)
                else:
                    kind = 3
                    t, r, age, first, single = _decode_working(s, work_base, types, ages, runs)
                # the stretch's first start and the last shift's end, in minutes
                first_start = (d - 1 - age) * MINUTES_PER_DAY + start[first]
                # --- a day off
                if kind <= 1:
                    target = s
                    if new[target] > here:
                        new[target] = here
                        came[target] = s
                elif kind == 3:
                    extra = isolated if single == 1 else 0.0
                    target = off_base + (t * ages + min(age + 1, ages - 1)) * types + first
                    if new[target] > here + extra:
                        new[target] = here + extra
                        came[target] = s
                else:
                    # a second day off: taken as a weekly rest (3x8: 40 h at least). Were
                    # it shorter, the next one would end the stretch later still, so the
                    # check is no stricter than the rule, and the new stretch's later
                    # start only allows more
                    last_end = (d - 2) * MINUTES_PER_DAY + end[t]
                    broken = _breaks_weekly_rest(first_start, last_end, rest, window, days)
                    if not broken and new[1] > here:
                        new[1] = here
                        came[1] = s
                # --- a shift of type u
                for u in range(types):
                    if not allowed[e, d, u]:
                        continue
                    gain = -price[d, u]
                    shift_start = d * MINUTES_PER_DAY + start[u]
                    if kind <= 1:
                        target = work_base + (((u * runs) * ages) * types + u) * 2 + 1
                        value = here + block + gain
                    elif kind == 2:
                        last_end = (d - 2) * MINUTES_PER_DAY + end[t]
                        if shift_start - last_end >= rest:
                            if _breaks_weekly_rest(first_start, last_end, rest, window, days):
                                continue
                            new_age, new_first = 0, u
                        else:
                            new_age, new_first = min(age + 1, ages - 1), first
                        target = (
                            work_base + (((u * runs) * ages + new_age) * types + new_first) * 2 + 1
                        )
                        value = here + block + gain
                    else:
                        if not follows[t, u]:
                            continue
                        last_end = (d - 1) * MINUTES_PER_DAY + end[t]
                        if rest > 0 and shift_start - last_end >= rest:
                            if _breaks_weekly_rest(first_start, last_end, rest, window, days):
                                continue
                            new_age, new_first = 0, u
                        else:
                            new_age, new_first = min(age + 1, ages - 1), first
                        if u == t:
                            if r + 1 > longest[e, u]:
                                continue
                            run = r + 1
                            value = here + gain
                        else:
                            run = 1
                            value = here + block + gain
                        target = (
                            work_base
                            + ((((u * runs) + run - 1) * ages + new_age) * types + new_first) * 2
                        )
                    if new[target] > value:
                        new[target] = value
                        came[target] = s
            cost = new
            for s in range(states):
                back[d, s] = came[s]
        # the end: a schedule with a shift, its last stretch checked against the rest
        best, best_state = INF, -1
        for s in range(1, states):
            here = cost[s]
            if here >= INF:
                continue
            if s == 1:
                value = here
            elif s < work_base:
                t, age, first = _decode_off(s, off_base, types, ages)
                first_start = (days - 1 - age) * MINUTES_PER_DAY + start[first]
                last_end = (days - 2) * MINUTES_PER_DAY + end[t]
                if _breaks_weekly_rest(first_start, last_end, rest, window, days):
                    continue
                value = here
            else:
                t, _, age, first, single = _decode_working(s, work_base, types, ages, runs)
                first_start = (days - 1 - age) * MINUTES_PER_DAY + start[first]
                last_end = (days - 1) * MINUTES_PER_DAY + end[t]
                if _breaks_weekly_rest(first_start, last_end, rest, window, days):
                    continue
                value = here + (isolated if single == 1 else 0.0)
            if value < best:
                best, best_state = value, s
        values[e] = best
        s = best_state
        for d in range(days - 1, -1, -1):
            if s < 0:
                break
            if s >= work_base:
                chosen[e, d] = _decode_working(s, work_base, types, ages, runs)[0]
            s = back[d, s]
    return values, chosen
