"""The per-employee programme's inner loops (`roster.schedule_paths`), compiled by numba.

The programme's tables are small (Instance22: 105 automaton states, about ten minute
values a day) and its days many: numpy spent nearly all of a run calling into itself
(159 ms a run, 8 numpy calls per shift length and day), where these loops take a few
milliseconds. They compile on first use (5-6 s on the loaded 2-core machine, inside
the caller's time) into numba's cache beside this module (`__pycache__`, as Python's
own bytecode), which later processes load in half a second; `make setup` compiles them
ahead (`roster.warm_up`), so that no solve spends its time limit compiling. They are
the only code path: the tests run them too.

The automaton comes as rows, one per (symbol, target state): `row_target`,
`row_symbol`, `row_fresh` (1.0 where the target starts a run of work) and the row's
source states `sources[source_start[r]:source_start[r + 1]]`. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np

_Function = TypeVar("_Function", bound=Callable[..., Any])

#: Minus infinity for the tables: unreachable cells, kept finite.
NEG = -1e18


def _compiled(function: _Function) -> _Function:
    """`function` compiled by numba in nopython mode, cached (typed for mypy as itself)."""
    return cast(_Function, numba.njit(nogil=True, cache=True)(function))


@_compiled
def reach(
    allowed: np.ndarray,
    row_target: np.ndarray,
    row_symbol: np.ndarray,
    source_start: np.ndarray,
    sources: np.ndarray,
    length: np.ndarray,
    states: int,
    upper: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per day, the most units any path has worked by its end (at most `upper`), and
    the most any state at its end can still work after it (see
    `SchedulePaths._reach`); `allowed[day, symbol]`."""
    days = allowed.shape[0]
    rows = row_target.shape[0]
    forward = np.zeros(days, dtype=np.int64)
    backward = np.zeros(days, dtype=np.int64)
    ahead = np.full(states, NEG)
    ahead[0] = 0.0
    for d in range(days):
        new = np.full(states, NEG)
        for r in range(rows):
            symbol = row_symbol[r]
            if not allowed[d, symbol]:
                continue
            most = NEG
            for i in range(source_start[r], source_start[r + 1]):
                most = max(most, ahead[sources[i]])
            new[row_target[r]] = most + length[symbol]
        ahead = new
        forward[d] = min(upper, int(ahead.max()))
    behind = np.zeros(states)
    for d in range(days - 1, 0, -1):
        backward[d] = int(max(0.0, behind.max()))
        new = np.full(states, NEG)
        for r in range(rows):
            symbol = row_symbol[r]
            if not allowed[d, symbol]:
                continue
            after = behind[row_target[r]] + length[symbol]
            for i in range(source_start[r], source_start[r + 1]):
                s = sources[i]
                new[s] = max(new[s], after)
        behind = new
    backward[0] = int(max(0.0, behind.max()))
    return forward, backward


@_compiled
def best_path(
    score: np.ndarray,
    second: np.ndarray,
    weekend_price: np.float32,
    row_target: np.ndarray,
    row_symbol: np.ndarray,
    row_fresh: np.ndarray,
    source_start: np.ndarray,
    sources: np.ndarray,
    length: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    symbol_of: np.ndarray,
    lower: int,
    width: int,
) -> np.ndarray:
    """The best path for `score` (float32, per day and symbol), a symbol per day, over
    the minutes `low[d]` to `high[d]` (exclusive) after each day, ending at `lower` or
    more; empty when there is none. `second[d]`: the day is a weekend's second, where
    a run of work that starts there pays `weekend_price`. Ties go to the first source
    state of a row, as numpy's argmax did (`SchedulePaths.solve`)."""
    days = score.shape[0]
    states = symbol_of.shape[0]
    rows = row_target.shape[0]
    neg = np.float32(NEG)
    value = np.full((states, width), neg, dtype=np.float32)
    new = np.full((states, width), neg, dtype=np.float32)
    value[0, 0] = 0.0
    band = max(1, int((high - low).max()))
    back = np.zeros((days, states, band), dtype=np.int16)
    written_lo, written_hi = 0, 1  # the columns of `value` that hold anything
    for d in range(days):
        lo, hi = low[d], high[d]
        for r in range(rows):
            symbol = row_symbol[r]
            size = length[symbol]
            first = max(lo, size)
            if first >= hi:
                continue
            gain = score[d, symbol]
            if second[d]:
                gain = gain - weekend_price * row_fresh[r]
            target = row_target[r]
            begin, end = source_start[r], source_start[r + 1]
            for m in range(first, hi):
                pick = sources[begin]
                best = value[pick, m - size]
                for i in range(begin + 1, end):
                    s = sources[i]
                    if value[s, m - size] > best:
                        best, pick = value[s, m - size], s
                total = best + gain
                new[target, m] = total if total >= neg / 2 else neg
                back[d, target, m - lo] = pick
        value[:, written_lo:written_hi] = neg  # the next day's `new`, cleared
        value, new = new, value
        written_lo, written_hi = lo, hi
    best_state, best_minutes, best_value = -1, -1, neg / 2
    for s in range(states):
        for m in range(lower, width):
            if value[s, m] > best_value:
                best_state, best_minutes, best_value = s, m, value[s, m]
    path = np.zeros(days if best_state >= 0 else 0, dtype=np.int64)
    if best_state < 0:
        return path
    state, minutes = best_state, best_minutes
    for d in range(days - 1, -1, -1):
        symbol = symbol_of[state]
        path[d] = symbol
        previous = back[d, state, minutes - low[d]]
        minutes -= length[symbol]
        state = previous
    return path


@_compiled
def counted_edges(
    gains: np.ndarray,
    weekend_first: np.ndarray,
    weekend_second: np.ndarray,
    edge_source: np.ndarray,
    edge_target: np.ndarray,
    edge_length: np.ndarray,
    edge_fresh: np.ndarray,
    edge_work: np.ndarray,
    edge_step: np.ndarray,
    edge_dim: np.ndarray,
    segment_start: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    states: int,
    start: int,
    width: int,
    weekend_step: int,
    weekend_dim: int,
    digits: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The programme's table with counts of some maxima in the state (a resource-
    constrained programme, `SchedulePaths.solve_counted`), in float64 and exact,
    over the minimised automaton (`automaton._Transitions`, the counted symbols on
    edges of their own): per (state, count combination, minutes) after the last day,
    the best value of a path into it, and per day the back-pointers (each cell's edge
    as its offset in its target's segment). `gains[day, edge]` (below `NEG / 2`: not
    allowed), the edges sorted by target, `segment_start` where each target's edges
    begin (one past the last edge at the end). A count combination `c` has digit
    `digits[c, j]` of dimension `j`, counting up to its maximum: an edge adds
    `edge_step` (dimension `edge_dim`, -1 when not counted), and a weekend worked adds
    `weekend_step` (dimension `weekend_dim`, -1 when not counted) on its first day for
    any work, on its second for a run of work that starts there, as `_solve` charges a
    weekend price. A path that would count past a maximum has no cell."""
    days = gains.shape[0]
    combos = digits.shape[0]
    segments = segment_start.shape[0] - 1
    neg = NEG
    value = np.full((states, combos, width), neg)
    new = np.full((states, combos, width), neg)
    value[start, 0, 0] = 0.0
    band = max(1, int((high - low).max()))
    back = np.zeros((days, states, combos, band), dtype=np.uint8)
    written_lo, written_hi = 0, 1
    for d in range(days):
        lo, hi = low[d], high[d]
        for g in range(segments):
            target = edge_target[segment_start[g]]
            for e in range(segment_start[g], segment_start[g + 1]):
                gain = gains[d, e]
                if gain < neg / 2:
                    continue
                size = edge_length[e]
                first = max(lo, size)
                if first >= hi:
                    continue
                step = edge_step[e]
                dim = edge_dim[e]
                counts_weekend = weekend_dim >= 0 and (
                    (weekend_first[d] and edge_work[e]) or (weekend_second[d] and edge_fresh[e])
                )
                if counts_weekend:
                    step += weekend_step
                source = edge_source[e]
                offset = e - segment_start[g]
                for c in range(combos):
                    if dim >= 0 and digits[c, dim] == 0:
                        continue
                    if counts_weekend and digits[c, weekend_dim] == 0:
                        continue
                    src = c - step
                    for m in range(first, hi):
                        v = value[source, src, m - size]
                        if v > neg / 2:
                            v += gain
                            if v > new[target, c, m]:
                                new[target, c, m] = v
                                back[d, target, c, m - lo] = offset
        value[:, :, written_lo:written_hi] = neg
        value, new = new, value
        written_lo, written_hi = lo, hi
    return value, back


@_compiled
def counted_edge_path(
    back: np.ndarray,
    state: int,
    combo: int,
    minutes: int,
    picks: np.ndarray,
    weekend_first: np.ndarray,
    weekend_second: np.ndarray,
    edge_source: np.ndarray,
    edge_length: np.ndarray,
    edge_fresh: np.ndarray,
    edge_work: np.ndarray,
    edge_step: np.ndarray,
    segment_of: np.ndarray,
    low: np.ndarray,
    weekend_step: int,
    weekend_dim: int,
) -> np.ndarray:
    """The path `counted_edges`' back-pointers hold into (`state`, `combo`,
    `minutes`) after the last day: a symbol per day (`picks[day, edge]`, the edge's
    best symbol that day); `segment_of[state]`: where its incoming edges begin."""
    days = back.shape[0]
    path = np.zeros(days, dtype=np.int64)
    for d in range(days - 1, -1, -1):
        e = segment_of[state] + back[d, state, combo, minutes - low[d]]
        path[d] = picks[d, e]
        step = edge_step[e]
        if weekend_dim >= 0 and (
            (weekend_first[d] and edge_work[e]) or (weekend_second[d] and edge_fresh[e])
        ):
            step += weekend_step
        combo -= step
        minutes -= edge_length[e]
        state = edge_source[e]
    return path
