"""An employee's day-to-day rules as the automaton the per-employee programme's paths
follow (`roster.schedule_paths`), in the two forms its runs take: rows for the compiled
loops over the full automaton (`_rows`, `roster.kernels`), and the automaton minimised
with its parallel edges collapsed (`_collapsed`) for the exact ones.

The rules (rotation, runs of work and of days off, with the benchmark's edge rule) are
the sequence automaton (`next_state`); its states reached from the start
(`reachable_automaton`) are also the CP-SAT model's redundant automaton constraint
(`roster.model_runs.add_sequence_automaton`). Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from roster.problem import Employee, RosterProblem

#: Automaton states beyond which the programme is not worth it (no run limit makes
#: one state per run length up to the horizon).
MAX_STATES = 600

#: A state of the sequence automaton: ("start",), ("w", run, last shift, exempt) or
#: ("o", run, exempt) — see `next_state`.
AutomatonState = tuple[Any, ...]


def run_limits(problem: RosterProblem, employee: Employee) -> tuple[int, int, int]:
    """The employee's longest run of work, shortest run of work and shortest run of
    days off, in days (no limit: the horizon, 1 and 1)."""
    return (
        problem.max_consecutive_days(employee) or problem.days,
        employee.min_consecutive_shifts or 1,
        employee.min_consecutive_days_off or 1,
    )


def next_state(
    cur: AutomatonState,
    symbol: int,
    p: RosterProblem,
    forbidden: set[tuple[str, str]],
    max_run: int,
    min_run: int,
    min_off: int,
) -> AutomatonState | None:
    """Sequence automaton transition on `symbol` (0: a day off, k: shift type k − 1).

    Runs that start on day 0 are exempt from the minimum lengths (the days before the
    horizon count as worked for runs of work and as off for runs of days off, per the
    benchmark's edge rule); every state is final (runs reaching the end are exempt)."""
    shift = None if symbol == 0 else p.shift_types[symbol - 1].id
    kind = cur[0]
    if kind == "start":
        return ("o", 1, True) if shift is None else ("w", 1, shift, True)
    if kind == "w":
        _, run, last, exempt = cur
        if shift is None:
            return ("o", 1, False) if (exempt or run >= min_run) else None
        if (last, shift) in forbidden or run + 1 > max_run:
            return None
        return ("w", min(run + 1, max(max_run, min_run)), shift, exempt)
    _, run, exempt = cur
    if shift is None:
        return ("o", min(run + 1, min_off), exempt)
    if not exempt and run < min_off:
        return None
    return ("w", 1, shift, False)


class SequenceAutomaton(NamedTuple):
    """The states reached from the start, numbered in the order found (the start is
    0), and the transitions (from, symbol, to) between them, in the order found."""

    states: list[AutomatonState]
    transitions: list[tuple[int, int, int]]


def reachable_automaton(
    problem: RosterProblem,
    employee: Employee,
    forbidden: set[tuple[str, str]],
    max_states: int | None = None,
) -> SequenceAutomaton | None:
    """The employee's sequence automaton (`next_state`) with `forbidden` (first shift,
    next day's shift) pairs; None as soon as it has more than `max_states` states."""
    max_run, min_run, min_off = run_limits(problem, employee)
    index: dict[AutomatonState, int] = {("start",): 0}
    transitions: list[tuple[int, int, int]] = []
    frontier: list[AutomatonState] = [("start",)]
    while frontier:
        cur = frontier.pop()
        for symbol in range(len(problem.shift_types) + 1):
            nxt = next_state(cur, symbol, problem, forbidden, max_run, min_run, min_off)
            if nxt is None:
                continue
            if nxt not in index:
                if max_states is not None and len(index) >= max_states:
                    return None
                index[nxt] = len(index)
                frontier.append(nxt)
            transitions.append((index[cur], symbol, index[nxt]))
    return SequenceAutomaton(list(index), transitions)


@dataclass
class _Automaton:
    states: list[AutomatonState]
    #: per symbol: the states it leads to, and for each the states it comes from
    #: (padded with the dummy state index `len(states)`)
    into: list[tuple[np.ndarray, np.ndarray]]
    #: its minimised form (`SchedulePaths._edges`), made on first use
    collapsed: _Transitions | None = None
    #: its transitions as rows for the compiled loops (`_rows`), made on first use
    rows: _Rows | None = None
    #: its minimised forms with some symbols on edges of their own (`_collapsed`'s
    #: `separate`), by those symbols
    separated: dict[frozenset[int], _Transitions] = field(default_factory=dict)


@dataclass
class _Rows:
    """The automaton's transitions as `roster.kernels` takes them: one row per (symbol,
    target state) with its source states (no padding), and each state's symbol."""

    target: np.ndarray
    symbol: np.ndarray
    fresh: np.ndarray  #: 1.0 where the target starts a run of work
    source_start: np.ndarray  #: row r's sources: `sources[source_start[r]:source_start[r+1]]`
    sources: np.ndarray
    symbol_of: np.ndarray  #: the symbol into each state (0 for days off and the start)


def _rows(auto: _Automaton, symbols: list[str | None]) -> _Rows:
    if auto.rows is None:
        dummy = len(auto.states)
        target, symbol, lists = [], [], []
        for k, (targets, padded) in enumerate(auto.into):
            for t, row in zip(targets, padded, strict=True):
                target.append(int(t))
                symbol.append(k)
                lists.append([int(s) for s in row if s != dummy])
        starts = np.cumsum([0, *(len(x) for x in lists)])

        def works(state: AutomatonState) -> bool:
            return bool(state[0] == "w")

        auto.rows = _Rows(
            target=np.array(target, dtype=np.int64),
            symbol=np.array(symbol, dtype=np.int64),
            fresh=np.array(
                [works(auto.states[t]) and auto.states[t][1] == 1 for t in target],
                dtype=np.float32,
            ),
            source_start=starts.astype(np.int64),
            sources=np.array([s for x in lists for s in x], dtype=np.int64),
            symbol_of=np.array(
                [symbols.index(state[2]) if works(state) else 0 for state in auto.states],
                dtype=np.int64,
            ),
        )
    return auto.rows


#: automata of one problem's programmes by their run limits (`EmployeeProgramme`)
AutomatonCache = dict[tuple[object, ...], _Automaton | None]


def _automaton(problem: RosterProblem, employee: Employee) -> _Automaton | None:
    p = problem
    forbidden = {(s.id, t) for s in p.shift_types for t in s.forbidden_next}
    reached = reachable_automaton(p, employee, forbidden, MAX_STATES)
    if reached is None:
        return None
    dummy = len(reached.states)
    into = []
    for symbol in range(len(p.shift_types) + 1):
        sources: dict[int, list[int]] = defaultdict(list)
        for a, s, b in reached.transitions:
            if s == symbol:
                sources[b].append(a)
        targets = sorted(sources)
        width = max((len(v) for v in sources.values()), default=1)
        matrix = np.full((len(targets), width), dummy, dtype=np.int32)
        for row, b in enumerate(targets):
            matrix[row, : len(sources[b])] = sources[b]
        into.append((np.array(targets, dtype=np.int32), matrix))
    return _Automaton(reached.states, into)


@dataclass
class _Transitions:
    """The automaton minimised, its parallel edges collapsed (`SchedulePaths._edges`):
    per edge (sorted by target class) its source and target class, its symbols' length,
    1.0 where it starts a run of work, and its symbols (padded with the index one past
    the last symbol); `starts`: where each target's segment begins (for
    `np.maximum.reduceat`)."""

    source: np.ndarray
    target: np.ndarray
    length: np.ndarray
    fresh: np.ndarray
    members: np.ndarray
    starts: np.ndarray
    states: int  #: classes of states
    start: int  #: the start state's class


def _collapsed(
    auto: _Automaton, length: np.ndarray, separate: frozenset[int] = frozenset()
) -> _Transitions:
    """`auto` minimised (Moore's partition refinement: states with the same successors'
    classes for every symbol, starting from start / start of a run of work / other, are
    one class) with parallel edges collapsed (see `SchedulePaths._edges`)."""
    n, dummy = len(auto.states), len(auto.states)
    symbols = len(auto.into)
    successor = np.full((n, symbols), -1, dtype=np.int64)
    for symbol, (targets, sources) in enumerate(auto.into):
        for t, row in zip(targets, sources, strict=True):
            for s in row:
                if s != dummy:
                    successor[s, symbol] = t

    def starts_run(state: int) -> bool:
        key = auto.states[state]
        return bool(key[0] == "w" and key[1] == 1)

    block = [0 if i == 0 else 1 + starts_run(i) for i in range(n)]
    while True:
        signature = [
            (block[i], *(block[t] if t >= 0 else -1 for t in successor[i])) for i in range(n)
        ]
        numbering: dict[tuple[int, ...], int] = {}
        refined = [numbering.setdefault(s, len(numbering)) for s in signature]
        if len(numbering) == len(set(block)):
            block = refined
            break
        block = refined
    # one edge per (target class, source class, length, start of run), with its symbols
    # (`separate`: those symbols on edges of their own)
    grouped: dict[tuple[int, int, int, bool, int], set[int]] = defaultdict(set)
    for s in range(n):
        for symbol, t in enumerate(successor[s]):
            if t >= 0:
                own = symbol if symbol in separate else -1
                key = (block[t], block[s], int(length[symbol]), starts_run(int(t)), own)
                grouped[key].add(symbol)
    keys = sorted(grouped)
    widest = max(len(v) for v in grouped.values())
    members = np.full((len(keys), widest), symbols, dtype=np.int64)
    for row, key in enumerate(keys):
        members[row, : len(grouped[key])] = sorted(grouped[key])
    target = np.array([k[0] for k in keys], dtype=np.int64)
    return _Transitions(
        source=np.array([k[1] for k in keys], dtype=np.int64),
        target=target,
        length=np.array([k[2] for k in keys], dtype=np.int64),
        fresh=np.array([float(k[3]) for k in keys]),
        members=members,
        starts=np.flatnonzero(np.r_[True, target[1:] != target[:-1]]),
        states=len(numbering),
        start=block[0],
    )


__all__ = ["AutomatonCache", "SequenceAutomaton", "reachable_automaton", "run_limits"]
