"""One employee's schedules as paths through (day, automaton state, minutes), and the
best one for a score per (day, symbol) by a dynamic programme over the days: the runs
of the per-employee programme (`roster.programme.EmployeeProgramme`, which prices the
maxima these paths do not count and calls them for each price).

The automaton (`roster.automaton`) states an employee's day-to-day rules; their hours
are a resource counted in the state (minutes in units of the shift lengths' common
divisor), kept to the band of minutes a legal path can reach (`SchedulePaths._band`).
The inner loops are compiled by numba (`roster.kernels`): the banded programme over
the full automaton (`SchedulePaths.solve`), and the counted one over the minimised
automaton (`SchedulePaths.solve_counted`); the exact one over the minimised automaton
(`SchedulePaths.solve_exact`) is numpy's. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from roster import kernels
from roster.automaton import _Automaton, _collapsed, _rows, _Transitions
from roster.problem import Employee, RosterProblem

#: Maxima at most this small are counted in the pricing programme's state instead of
#: priced (`EmployeeProgramme.price`, `SchedulePaths.solve_counted`), the smallest
#: first, while the count combinations stay at most `MAX_COUNTED`: a Lagrangian price
#: cannot reach a schedule at a small maximum exactly (the relaxation's duality gap),
#: and Instance15's night maxima (3-4) and weekends (3 of 6) bind for every employee
#: who may work them.
SMALL_MAXIMUM = 6
MAX_COUNTED = 100


def _edge_gains(
    flat: _Transitions, score: np.ndarray, second: list[int], weekend_price: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per day and edge of `flat`, its best symbol's score and that symbol (padding
    symbols point at a column of minus infinity); a weekend's second day (`second`)
    charges `weekend_price` to an edge that starts a run of work."""
    days = score.shape[0]
    padded = np.hstack([score, np.full((days, 1), -np.inf)])[:, flat.members]
    best_member = padded.argmax(axis=2)
    gains = np.take_along_axis(padded, best_member[:, :, None], axis=2)[:, :, 0]
    picks = flat.members[np.arange(len(flat.source))[None, :], best_member]
    if len(second):
        gains[sorted(second)] -= weekend_price * flat.fresh[None, :]
    return gains, picks


@dataclass
class _Counted:
    """The maxima an employee's pricing programme counts in its state
    (`SchedulePaths.solve_counted`): per dimension its maximum; a symbol's step
    and dimension (0 and -1 when not counted), the weekends' (-1 when not counted),
    each count combination's digits, and the weekend days."""

    dims: list[int]
    types: frozenset[int]
    symbol_step: np.ndarray
    symbol_dim: np.ndarray
    weekend_step: int
    weekend_dim: int
    digits: np.ndarray
    first: np.ndarray
    second: np.ndarray


@dataclass
class _CountedEdges:
    """`SchedulePaths.counted_edges`: the separated minimised automaton, per edge
    its counted step and dimension (from its one symbol when counted) and whether it
    works, and each target's segment of edges."""

    flat: _Transitions
    step: np.ndarray
    dim: np.ndarray
    work: np.ndarray
    segment_start: np.ndarray
    segment_of: np.ndarray
    fits: bool  #: every segment within a byte's back-pointers


def _counted(
    problem: RosterProblem,
    employee: Employee,
    symbols: int,
    type_limits: Mapping[int, int],
    cost: np.ndarray,
    weekend_first: list[int],
    weekend_second: list[int],
) -> _Counted:
    """The maxima an employee's programme counts (`EmployeeProgramme.counted`): of its
    `symbols` (how many), `type_limits` and own `cost` per (day, symbol), and the
    weekends' first and second days."""
    p, e = problem, employee
    candidates: list[tuple[int, int]] = []  # (maximum, symbol; 0 for the weekends)
    for k, limit in type_limits.items():
        if 0 < limit <= SMALL_MAXIMUM and limit < int(np.isfinite(cost[:, k]).sum()):
            candidates.append((limit, k))
    weekends = e.max_weekends
    if weekends is not None and weekends <= SMALL_MAXIMUM and weekends < len(p.weekends):
        candidates.append((weekends, 0))
    dims: list[int] = []
    which: list[int] = []
    combos = 1
    for limit, k in sorted(candidates):
        if combos * (limit + 1) > MAX_COUNTED:
            break
        combos *= limit + 1
        dims.append(limit)
        which.append(k)
    strides = [int(np.prod([x + 1 for x in dims[:j]])) for j in range(len(dims))]
    symbol_step = np.zeros(symbols, dtype=np.int64)
    symbol_dim = np.full(symbols, -1, dtype=np.int64)
    weekend_step, weekend_dim = 0, -1
    for j, k in enumerate(which):
        if k == 0:
            weekend_step, weekend_dim = strides[j], j
        else:
            symbol_step[k], symbol_dim[k] = strides[j], j
    digits = np.array(
        [[(c // strides[j]) % (dims[j] + 1) for j in range(len(dims))] for c in range(combos)],
        dtype=np.int64,
    ).reshape(combos, len(dims))
    first = np.zeros(p.days, dtype=np.bool_)
    second = np.zeros(p.days, dtype=np.bool_)
    first[weekend_first] = True
    second[weekend_second] = True
    return _Counted(
        dims,
        frozenset(k for k in which if k),
        symbol_step,
        symbol_dim,
        weekend_step,
        weekend_dim,
        digits,
        first,
        second,
    )


class SchedulePaths:
    """One employee's paths, solved for many scores: `EmployeeProgramme`'s runs."""

    def __init__(
        self,
        problem: RosterProblem,
        employee: Employee,
        automaton: _Automaton | None,
        symbols: list[str | None],
        length: np.ndarray,
        lower: int,
        upper: int,
        cost: np.ndarray,
        weekend_first: list[int],
        weekend_second: list[int],
        shared: dict[tuple[object, ...], tuple[list[int], list[int]]],
        minimised: bool,
    ) -> None:
        """The programme's (`EmployeeProgramme`, which tells `shared` and `minimised`):
        its `automaton` (None: too big), `symbols` with their `length` and the hours'
        `lower` and `upper` bounds (in its `unit` of minutes), its own `cost` per (day,
        symbol), infinite where the employee may not work it, and the weekends' first
        and second days."""
        self.problem = problem
        self.employee = employee
        self.automaton = automaton
        self.symbols = symbols
        self.length = length
        self.lower = lower
        self.upper = upper
        self.cost = cost
        self.weekend_first = weekend_first
        self.weekend_second = weekend_second
        self._shared = shared
        self.minimised = minimised
        self._reaches: dict[bytes, tuple[list[int], list[int]]] = {}
        self.alternatives: list[list[int]] = []
        self._incoming: dict[int, list[tuple[int, int, int]]] | None = None
        self._counted_form: _CountedEdges | None = None

    def _band(self, allowed: np.ndarray) -> tuple[list[int], list[int]]:
        """`_reach` for `allowed`, cached. The band of the employee's own days serves
        every score that allows no more: a wider band than needed is still exact, and
        prices, the cover's forbidden over-cover and `EmployeeProgramme._restricted`
        only take days away (its reach costs about a programme run, and was 40 % of a
        big pool's first pass when recomputed)."""
        p = self.problem
        own = np.isfinite(self.cost)
        key = own.tobytes() if not (allowed & ~own).any() else allowed.tobytes()
        if key not in self._reaches:
            if key == own.tobytes():
                e = self.employee
                contract = (
                    p.max_consecutive_days(e),
                    e.min_consecutive_shifts,
                    e.min_consecutive_days_off,
                    self.upper,
                    self.lower,
                    key,
                )
                if contract not in self._shared:
                    self._shared[contract] = self._reach(own)
                self._reaches[key] = self._shared[contract]
            else:
                self._reaches[key] = self._reach(allowed)
        return self._reaches[key]

    def counted_edges(self, counted: _Counted) -> _CountedEdges:
        """The minimised automaton with the counted symbols on edges of their own, as
        `kernels.counted_edges` takes it; made on first use (for the programme's one
        `counted`, `EmployeeProgramme.counted`)."""
        if self._counted_form is None:
            auto = self.automaton
            assert auto is not None
            if counted.types not in auto.separated:
                auto.separated[counted.types] = _collapsed(auto, self.length, counted.types)
            flat = auto.separated[counted.types]
            first_member = flat.members[:, 0]
            segment_start = np.r_[flat.starts, len(flat.target)].astype(np.int64)
            segment_of = np.full(flat.states, -1, dtype=np.int64)
            segment_of[flat.target[flat.starts]] = flat.starts
            self._counted_form = _CountedEdges(
                flat,
                counted.symbol_step[first_member],
                counted.symbol_dim[first_member],
                flat.length > 0,
                segment_start,
                segment_of,
                int(np.diff(segment_start).max(initial=0)) <= 255,
            )
        return self._counted_form

    def solve_counted(
        self,
        counted: _Counted,
        score: np.ndarray,
        weekend_price: float = 0.0,
        alternatives: int = 0,
    ) -> tuple[list[int], float] | None:
        """As `solve_exact` (its value exact in float64, the same weekend charge while
        weekends are priced), with the counted maxima (`counted`) kept exactly by
        counts in the state: a resource-constrained programme over the minimised
        automaton and the band of minutes (`kernels.counted_edges`). `alternatives`:
        so many more paths (the best into the next best end states) go to
        `self.alternatives`."""
        form = self.counted_edges(counted)
        flat = form.flat
        score = score.astype(np.float64)
        if counted.weekend_dim >= 0:
            weekend_price = 0.0
        score[self.weekend_first, 1:] -= weekend_price
        allowed = np.isfinite(score)
        forward, backward = self._band(allowed)
        low = np.maximum(0, self.lower - np.array(backward, dtype=np.int64))
        high = np.minimum(np.array(forward, dtype=np.int64), self.upper) + 1
        gains, picks = _edge_gains(
            flat, score, self.weekend_second if weekend_price else [], weekend_price
        )
        gains[~np.isfinite(gains)] = kernels.NEG
        value, back = kernels.counted_edges(
            gains,
            counted.first,
            counted.second,
            flat.source,
            flat.target,
            flat.length,
            flat.fresh > 0,
            form.work,
            form.step,
            form.dim,
            form.segment_start,
            low,
            high,
            flat.states,
            flat.start,
            self.upper + 1,
            counted.weekend_step,
            counted.weekend_dim,
            counted.digits,
        )
        final = value[:, :, self.lower :]
        if final.size == 0:
            return None
        per_state = final.reshape(len(final), -1)
        ends = per_state.argmax(axis=1)
        values = per_state[np.arange(len(ends)), ends]
        order = np.argsort(-values, kind="stable")
        if values[order[0]] <= kernels.NEG / 2:
            return None
        paths = []
        for state in order[: 1 + alternatives]:
            if values[state] <= kernels.NEG / 2:
                break
            combo, minutes = divmod(int(ends[state]), final.shape[2])
            path = kernels.counted_edge_path(
                back,
                int(state),
                combo,
                minutes + self.lower,
                picks,
                counted.first,
                counted.second,
                flat.source,
                flat.length,
                flat.fresh > 0,
                form.work,
                form.step,
                form.segment_of,
                low,
                counted.weekend_step,
                counted.weekend_dim,
            )
            paths.append(path.tolist())
        self.alternatives.extend(paths[1:])
        return paths[0], float(values[order[0]])

    def _edges(self) -> _Transitions:
        """The automaton, minimised and with parallel edges collapsed, for
        `solve_exact`. States with the same futures (the same successors' classes for
        every symbol, the same start-of-run flag) are merged: most states differ only in
        their last shift, and shifts that forbid the same next ones lead to the same
        futures (Instance13: 185 states to 39). Edges between the same two classes with
        the same length and start-of-run flag are one edge whose gain on a day is the
        best of its symbols' (a1/a2/a3 alike): 1,743 transitions to 250 there."""
        auto = self.automaton
        assert auto is not None
        if auto.collapsed is None:
            auto.collapsed = _collapsed(auto, self.length)
        return auto.collapsed

    def solve_exact(
        self, score: np.ndarray, weekend_price: float = 0.0, alternatives: int = 0
    ) -> tuple[list[int], float] | None:
        """As `solve` (same paths, same weekend charge), in float64 over all minutes
        up to `upper`, with the value, over the minimised automaton (`_edges`): per day
        one gather and one segmented maximum over every edge, and the path recovered by
        matching values backwards. For pricing, whose bound must be exact.
        `alternatives`: so many more paths (the best into the next best end cells) go to
        `self.alternatives`."""
        flat = self._edges()
        width, days = self.upper + 1, self.problem.days
        score = score.astype(np.float64)
        score[self.weekend_first, 1:] -= weekend_price
        gains, picks = _edge_gains(
            flat, score, self.weekend_second if weekend_price else [], weekend_price
        )
        lengths = sorted(set(flat.length.tolist()))
        which = np.searchsorted(lengths, flat.length)
        segment_target = flat.target[flat.starts]
        value = np.full((flat.states, width), -np.inf)
        value[flat.start, 0] = 0.0
        history = [value]
        shifted = np.full((len(lengths), flat.states, width), -np.inf)
        table = shifted.reshape(len(lengths) * flat.states, width)  # rows (length, state)
        gathered = which * flat.states + flat.source
        for d in range(days):
            for i, size in enumerate(lengths):
                shifted[i, :, size:] = value[:, : width - size] if size < width else -np.inf
            candidates = np.take(table, gathered, axis=0)
            candidates += gains[d][:, None]
            value = np.full((flat.states, width), -np.inf)
            value[segment_target] = np.maximum.reduceat(candidates, flat.starts, axis=0)
            history.append(value)
        final = value[:, self.lower :]
        if final.size == 0 or not np.isfinite(final.max()):
            return None
        row, column = np.unravel_index(int(final.argmax()), final.shape)
        best = float(final[row, column])
        path = self._backtrack(history, gains, picks, int(row), int(column) + self.lower)
        if alternatives:
            # the best paths into the next best end states (each at its best hours):
            # more columns for one programme run, and unlike other hours into the same
            # state they differ in more than the last run
            ends = final.argmax(axis=1)
            values = final[np.arange(len(ends)), ends]
            for r in np.argsort(values)[::-1][1 : alternatives + 1]:
                if np.isfinite(values[r]):
                    self.alternatives.append(
                        self._backtrack(history, gains, picks, int(r), int(ends[r]) + self.lower)
                    )
        return path, best

    def _backtrack(
        self,
        history: list[np.ndarray],
        gains: np.ndarray,
        picks: np.ndarray,
        state: int,
        minutes: int,
    ) -> list[int]:
        """The path `solve_exact`'s value tables (`history`) hold into `state` and
        `minutes` after the last day; `gains` and `picks`: per day and edge, its gain and
        the symbol that gives it."""
        if self._incoming is None:
            flat = self._edges()
            incoming: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
            for e in range(len(flat.target)):
                incoming[int(flat.target[e])].append((int(flat.source[e]), e, int(flat.length[e])))
            self._incoming = dict(incoming)
        path = []
        for d in range(self.problem.days - 1, -1, -1):
            table, row = history[d], gains[d]
            best, chosen = -math.inf, None
            # plain Python over the few edges into the state: cheaper than numpy
            for src, edge, size in self._incoming[state]:
                if minutes >= size:
                    came = float(table[src, minutes - size]) + float(row[edge])
                    if chosen is None or came > best:
                        best, chosen = came, (src, edge, size)
            assert chosen is not None
            path.append(int(picks[d, chosen[1]]))
            state, minutes = chosen[0], minutes - chosen[2]
        return path[::-1]

    def _reach(self, allowed: np.ndarray) -> tuple[list[int], list[int]]:
        """Per day, the most minutes (units) any path can have worked by its end, and the
        most any state at its end can still work after it: only the band between
        `lower` less the latter and the former can lie on a legal path, which keeps the
        programme to a few dozen minute values a day instead of the whole range."""
        auto = self.automaton
        assert auto is not None
        rows = _rows(auto, self.symbols)
        forward, backward = kernels.reach(
            allowed,
            rows.target,
            rows.symbol,
            rows.source_start,
            rows.sources,
            self.length,
            len(auto.states),
            self.upper,
        )
        return forward.tolist(), backward.tolist()

    def solve(self, score: np.ndarray, weekend_price: float = 0.0) -> list[int] | None:
        """The best path for `score` (a symbol per day; None when there is none), with
        `weekend_price` charged once per weekend worked (on its first day for any work,
        on its second for a run that starts there)."""
        if self.minimised:
            found = self.solve_exact(score, weekend_price)
            return None if found is None else found[0]
        score = score.astype(np.float32)
        score[self.weekend_first, 1:] -= weekend_price
        # a weekend's second day charges only a run of work that starts there
        second = np.zeros(self.problem.days, dtype=bool)
        if weekend_price:
            second[self.weekend_second] = True
        auto = self.automaton
        assert auto is not None
        allowed = np.isfinite(score)
        forward, backward = self._band(allowed)
        rows = _rows(auto, self.symbols)
        path = kernels.best_path(
            score,
            second,
            np.float32(weekend_price),
            rows.target,
            rows.symbol,
            rows.fresh,
            rows.source_start,
            rows.sources,
            self.length,
            np.maximum(0, self.lower - np.array(backward, dtype=np.int64)),
            np.array(forward, dtype=np.int64) + 1,
            rows.symbol_of,
            self.lower,
            self.upper + 1,
        )
        return path.tolist() if len(path) else None
