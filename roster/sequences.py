"""One employee's best schedule by dynamic programming over days, and a first roster
built from such schedules: fast at any horizon, where CP-SAT is not.

An employee's day-to-day rules (rotation, runs of work and of days off, with the
benchmark's edge rule) are the sequence automaton of `roster.model`
(`_next_state`); their hours are a resource counted in the state (minutes in units
of the shift lengths' common divisor). A schedule is a path through (day, automaton
state, minutes), and the best one for a price per (day, shift) is found exactly by a
dynamic programme, its inner loops compiled by numba (`roster.kernels`). The per-type
maxima and the maximum of weekends are not in the state (it would multiply by their
ranges); they are priced instead (a Lagrangian price per maximum, found by bisection,
`best`), shifts over a type's maximum move to an interchangeable sibling type
(`_spread_types`), and when the prices do not settle each maximum still broken is
kept by construction (`_restricted`), the better of that and the best legal schedule
priced taken. So a schedule is the best one when no such maximum binds or every
priced one is met exactly, and legal but not always the best otherwise (a test week
capped at two D shifts: the prices alone 244, cut back 237, the best,
tests/roster/test_sequences.py).

Pricing (`EmployeeProgramme.price`, column generation) counts the small maxima in the
state instead (`SMALL_MAXIMUM`, `MAX_COUNTED`: a resource-constrained programme over
the minimised automaton, `_solve_counted`, `kernels.counted_edges`), so that its
optimum is exact for them: Instance15's nights (at most 2-4) and weekends (3 of 6)
bind for every employee who may work them, and no price reached a schedule exactly at
such a maximum (the relaxation's duality gap).

One year of one Curtois–Qu employee (364 days, 10 shift types, minimum and maximum
hours 960 minutes apart) is a schedule CP-SAT did not find in 5 s (single worker,
loaded machine); the programme takes a fraction of a second.

`first_roster`: employees one after the other, each taking the best schedule against
the cover the others leave (under-cover earns its weight, over-cover costs its
weight), then rounds of best responses (each employee re-planned against all the
others) while they improve and time is left. The first pass shares half the time
out evenly: an employee past their share keeps the first legal schedule found, so a
364-day pool of 150 ends its pass (34 s at load 9; it did not end in 48 s before).
Used as the first roster of a problem too big to build whole, or of a long horizon
(`roster.decomposed.solve_by_windows`, from `roster.nrp` too); its state
(`BestResponses`) is kept there, so that rounds of best responses resume from the
time windows' rosters.

Applies (`applicable`) when the employees meet only through the cover of one case
and every rule is one the programme states exactly or prices; otherwise None, and
the caller uses its other means. Pure: no I/O.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from roster import kernels
from roster.eligibility import why_not
from roster.model import AutomatonState, _next_state
from roster.problem import Assignment, Employee, Roster, RosterProblem
from roster.templates import ShiftType

#: (employee, day) → the shift a first pass holds them to there, None for a day off
#: (`BestResponses.first_pass`; e.g. a `roster.weekend_plan`).
FixedDays = Mapping[tuple[str, int], str | None]

#: Automaton states beyond which the programme is not worth it (no run limit makes
#: one state per run length up to the horizon).
MAX_STATES = 600
#: Lagrangian rounds per schedule for the per-type and weekend maxima.
PRICE_ROUNDS = 8
#: Share of `first_roster`'s time for its first pass (one schedule per employee); the
#: rounds of best responses get the rest.
FIRST_PASS_SHARE = 0.5
#: Maxima at most this small are counted in the pricing programme's state instead of
#: priced (`EmployeeProgramme.price`, `_solve_counted`), the smallest first, while the
#: count combinations stay at most `MAX_COUNTED`: a Lagrangian price cannot reach a
#: schedule at a small maximum exactly (the relaxation's duality gap), and Instance15's
#: night maxima (3-4) and weekends (3 of 6) bind for every employee who may work them.
SMALL_MAXIMUM = 6
MAX_COUNTED = 100
#: Back-pointers (bytes) of one counted programme run at most (days x states x count
#: combinations x minute values): Instance15's are 9 million, Instance18's 1 million;
#: a longer horizon's maxima are priced instead.
COUNTED_CELLS = 40_000_000
#: Extra gain, as a share of the under weight, per person short beyond the first on a
#: (day, shift) (`first_roster`).
SHORT_PREMIUM = 0.02
_NEG = -1e18


def applicable(problem: RosterProblem) -> bool:
    """True when every hard rule and objective term is one the programme states: one
    case, cover, requests and preferred shift types as the only costs, and no rule
    that spans shifts by clock time (rest, weekly rest, nights in a row) or the
    legal on-site and night-worker averages."""
    p, w, r = problem, problem.weights, problem.rules
    if len(p.cases) != 1 or w.lexicographic:
        return False
    if w.team_member or w.block or w.isolated_shift or w.face_per_time_of_day:
        return False
    if w.night_spread or w.weekend_spread:
        return False
    if r.min_rest_minutes or r.weekly_rest_minutes is not None:
        return False
    if r.max_consecutive_nights is not None or r.within_contract:
        return False
    if r.max_average_weekly_minutes is not None or r.night_worker_average_minutes_per_24h:
        return False
    if any(d.gender or (p.case[d.case].language and d.needs_language) for d in p.cover):
        return False
    return all(
        not e.busy and not e.worked_days_before and not e.nights_before and not e.committed_minutes
        for e in p.employees
    )


@dataclass
class _Automaton:
    states: list[AutomatonState]
    #: per symbol: the states it leads to, and for each the states it comes from
    #: (padded with the dummy state index `len(states)`)
    into: list[tuple[np.ndarray, np.ndarray]]
    #: its minimised form (`EmployeeProgramme._edges`), made on first use
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
    shift_index = {s.id: i + 1 for i, s in enumerate(p.shift_types)}
    forbidden = {(s.id, t) for s in p.shift_types for t in s.forbidden_next}
    max_run = p.max_consecutive_days(employee) or p.days
    min_run = employee.min_consecutive_shifts or 1
    min_off = employee.min_consecutive_days_off or 1
    index: dict[AutomatonState, int] = {("start",): 0}
    edges: list[tuple[int, int, int]] = []  # from, symbol, to
    frontier: list[AutomatonState] = [("start",)]
    while frontier:
        cur = frontier.pop()
        for symbol in range(len(p.shift_types) + 1):
            nxt = _next_state(cur, symbol, p, shift_index, forbidden, max_run, min_run, min_off)
            if nxt is None:
                continue
            if nxt not in index:
                if len(index) >= MAX_STATES:
                    return None
                index[nxt] = len(index)
                frontier.append(nxt)
            edges.append((index[cur], symbol, index[nxt]))
    dummy = len(index)
    into = []
    for symbol in range(len(p.shift_types) + 1):
        sources: dict[int, list[int]] = defaultdict(list)
        for a, s, b in edges:
            if s == symbol:
                sources[b].append(a)
        targets = sorted(sources)
        width = max((len(v) for v in sources.values()), default=1)
        matrix = np.full((len(targets), width), dummy, dtype=np.int32)
        for row, b in enumerate(targets):
            matrix[row, : len(sources[b])] = sources[b]
        into.append((np.array(targets, dtype=np.int32), matrix))
    return _Automaton(list(index), into)


@dataclass
class _Transitions:
    """The automaton minimised, its parallel edges collapsed (`EmployeeProgramme._edges`):
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
    one class) with parallel edges collapsed (see `EmployeeProgramme._edges`)."""
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
class Priced:
    """`EmployeeProgramme.price`'s answer: legal schedules (a symbol per day, best
    last) and an upper bound on the value (gain less own cost) of any legal schedule;
    minus infinity when the employee has none."""

    schedules: list[list[int]]
    bound: float
    #: the per-type and weekend prices of the last programme run (a next call's start)
    prices: tuple[np.ndarray, float]
    #: whether one of `schedules` is proven the best legal one (its value the bound's,
    #: up to the rounding of the sums)
    proven: bool = False


@dataclass
class _Counted:
    """The maxima an employee's pricing programme counts in its state
    (`EmployeeProgramme._solve_counted`): per dimension its maximum; a symbol's step
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
    """`EmployeeProgramme._counted_edges`: the separated minimised automaton, per edge
    its counted step and dimension (from its one symbol when counted) and whether it
    works, and each target's segment of edges."""

    flat: _Transitions
    step: np.ndarray
    dim: np.ndarray
    work: np.ndarray
    segment_start: np.ndarray
    segment_of: np.ndarray
    fits: bool  #: every segment within a byte's back-pointers


def _counted(programme: EmployeeProgramme) -> _Counted:
    p, e = programme.problem, programme.employee
    symbols = len(programme.symbols)
    candidates: list[tuple[int, int]] = []  # (maximum, symbol; 0 for the weekends)
    for k, limit in programme.type_limits.items():
        if 0 < limit <= SMALL_MAXIMUM and limit < int(np.isfinite(programme.cost[:, k]).sum()):
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
    first[programme.weekend_first] = True
    second[programme.weekend_second] = True
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


class EmployeeProgramme:
    """One employee's dynamic programme: built once, solved for many prices."""

    def __init__(
        self,
        problem: RosterProblem,
        employee: Employee,
        shared: dict[tuple[object, ...], tuple[list[int], list[int]]] | None = None,
        minimised: bool = False,
        automata: AutomatonCache | None = None,
    ) -> None:
        """`shared`: a cache of minute bands (`_reach`) for the programmes of one
        problem; employees with the same contract and days share theirs (a big pool's
        copies of a contract: a tenth of its first pass). `minimised`: `_solve` runs
        `_solve_exact`'s programme over the minimised automaton instead of the full
        one over a band of minutes: the same values, 3 times faster on a short horizon
        (Instance13: 4 ms an employee against 12), but its tables grow with the days
        and Instance20 (182 days) ended worse with it (6,730/7,137 against 6,157 at
        60 s), so only short horizons' callers ask for it. `automata`: a cache of
        automata for the programmes of one problem, employees with the same run
        limits share theirs and its minimised form (0.9 s of Instance13's 120
        programmes when each built its own)."""
        p = self.problem = problem
        self.employee = employee
        self._shared = {} if shared is None else shared
        self.minimised = minimised
        self.symbols = [None, *(s.id for s in p.shift_types)]
        runs = (
            p.max_consecutive_days(employee),
            employee.min_consecutive_shifts,
            employee.min_consecutive_days_off,
        )
        cache: AutomatonCache = {} if automata is None else automata
        if runs not in cache:
            cache[runs] = _automaton(p, employee)
        self.automaton = cache[runs]
        lengths = [s.minutes for s in p.shift_types]
        self.unit = math.gcd(*lengths) or 1
        self.length = np.array([0] + [m // self.unit for m in lengths], dtype=np.int64)
        upper = p.max_minutes(employee)
        if upper is None:
            upper = p.days * max(lengths, default=0)
        self.upper = upper // self.unit
        self.lower = math.ceil(p.min_minutes(employee) / self.unit)
        demanded = {
            (d.day, d.shift) for d in p.cover if d.required > 0 or d.over_weight is not None
        }
        # own cost of each (day, symbol): -inf where the employee may not work it
        cost = np.zeros((p.days, len(self.symbols)))
        for d in range(p.days):
            for k, shift in enumerate(p.shift_types, start=1):
                if (d, shift.id) not in demanded or why_not(p, employee, d, shift) is not None:
                    cost[d, k] = math.inf
        scale = p.weights.preference
        for r in p.requests:
            if r.employee != employee.id:
                continue
            for k, sid in enumerate(self.symbols):
                works = sid is not None if r.shift is None else sid == r.shift
                if works != r.on:
                    cost[r.day, k] += r.weight * scale
        if employee.preferred_shift_types:
            for k, sid in enumerate(self.symbols[1:], start=1):
                if sid not in employee.preferred_shift_types:
                    cost[:, k] += scale
        self.cost = cost
        weekend_of = {d: i for i, days in enumerate(p.weekends) for d in days}
        self.weekend_of = weekend_of
        self.type_limits = {
            self.symbols.index(s): limit
            for s, limit in employee.max_shifts_per_type.items()
            if s in self.symbols
        }

        # shift types a day's shift can change between without touching any other rule:
        # the same length, and the same rotation rule both ways (Instance22's a1/a2/a3)
        def signature(shift: ShiftType) -> tuple[object, ...]:
            before = frozenset(t.id for t in p.shift_types if shift.id in t.forbidden_next)
            return shift.minutes, frozenset(shift.forbidden_next), before

        self.siblings = {
            k: [
                j
                for j, other in enumerate(p.shift_types, start=1)
                if j != k and signature(other) == signature(shift)
            ]
            for k, shift in enumerate(p.shift_types, start=1)
        }
        self._reaches: dict[bytes, tuple[list[int], list[int]]] = {}
        self.alternatives: list[list[int]] = []
        self._incoming: dict[int, list[tuple[int, int, int]]] | None = None
        self._counted: _Counted | None = None
        self._counted_form: _CountedEdges | None = None
        #: how many of `best`'s answers were a schedule cut back (`cut_back`)
        self.cut_backs = 0
        #: Lagrangian prices of the per-type maxima and of a weekend worked (see `best`)
        self.penalty = np.zeros_like(cost)
        self.weekend_price = 0.0
        # a weekend is priced once whichever of its days are worked: on its first day
        # for any work, on its second only for a run that starts there (first day off)
        self.weekend_first = [days[0] for days in p.weekends]
        self.weekend_second = [days[1] for days in p.weekends if len(days) > 1]
        for k, limit in self.type_limits.items():
            if limit <= 0:
                self.cost[:, k] = math.inf

    @property
    def usable(self) -> bool:
        return self.automaton is not None and self.lower <= self.upper

    @property
    def type_maximum_binds(self) -> bool:
        """Whether a per-type maximum can bind: one of a class of sibling types
        (priced together, `_limit_classes`) below the days, one shift a day at most.
        Instance22's a/p/n maxima (46 and 58 of 364 days) do; Instance20's (0 or 182
        of 182) do not, its weekends its only priced maximum."""
        limits = self.type_limits
        return any(
            0 < sum(limits[k] for k in members) < self.problem.days
            for members in self._limit_classes().values()
        )

    def best(
        self,
        gain: np.ndarray,
        relax: float = 0.5,
        until: float | None = None,
        cut_back: bool = False,
    ) -> tuple[list[int], float] | None:
        """The schedule (a symbol per day, 0 = off) with the most `gain` (per day and
        symbol) less own cost, keeping every rule; None when there is none found.

        The per-type and weekend maxima are priced (Lagrangian): each price is raised
        while its maximum is broken and lowered while it is kept with room to spare,
        by bisection once both are seen, and the best legal schedule of all runs is
        the answer. A legal schedule where every priced maximum is met exactly (or its
        price is 0) is the best one there is (complementary slackness) and ends the
        search at once. Prices that only rose (the earlier scheme: doubled until the
        schedule kept the maximum, and carried to the next employee) priced weekends
        above the cover's weight and left Instance20's weekends 733 persons short.

        The prices of the answer, `relax` times, start the next call: consecutive
        calls (best-response rounds, employees with the same contract) then mostly
        need one or two programme runs. `until` (`time.perf_counter()`): no new price
        round after it. `cut_back`: when the prices did not settle, the last schedule
        that broke a maximum, cut back to it by construction, if better than the best
        legal one (a first pass: see `BestResponses.first_pass`)."""
        base = gain - self.cost
        limits = self.type_limits
        groups = self._limit_classes()
        prices = {g: float(self.penalty[0, ks].max()) * relax for g, ks in groups.items()}
        weekend_price = self.weekend_price * relax
        finite = base[np.isfinite(base)]
        step = max(1.0, float(np.abs(finite).max(initial=1.0))) / 4
        low: dict[int, float] = {}  # per maximum, the highest price that broke it
        high: dict[int, float] = {}  # and the lowest that kept it in a legal schedule
        steps: dict[int, float] = {}
        best: tuple[list[int], float, dict[int, float], float] | None = None
        path: list[int] = []
        settled = False  # the best legal schedule proven best (complementary slackness)
        # the last schedule that broke a maximum, with its penalty and weekend price
        broken: tuple[list[int], np.ndarray, np.ndarray, float] | None = None
        for _ in range(PRICE_ROUNDS):
            penalty = np.zeros_like(base)
            for g, price in prices.items():
                penalty[:, groups[g]] = price
            found = self._solve(base - penalty, weekend_price)
            if found is None:
                return None
            path = self._spread_types(found, base)
            counts, weekends = self._counts(path)
            # per maximum: broken, kept with room to spare, its price
            current = {
                g: (
                    any(counts[k] > limits[k] for k in ks),
                    any(counts[k] < limits[k] for k in ks),
                    prices[g],
                )
                for g, ks in groups.items()
            }
            if self.employee.max_weekends is not None:
                limit = self.employee.max_weekends
                current[-1] = (weekends > limit, weekends < limit, weekend_price)
            legal = not any(over for over, _, _ in current.values())
            if legal:
                value = float(sum(base[d, k] for d, k in enumerate(path)))
                if best is None or value > best[1]:
                    best = (path, value, dict(prices), weekend_price)
                if all(not room or price <= 0 for _, room, price in current.values()):
                    settled = True
                    break  # the best legal schedule: no price can buy more
            else:
                broken = (path, base, penalty, weekend_price)
            moved = False
            for c, (over, room, price) in current.items():
                if over:
                    low[c] = max(low.get(c, 0.0), price)
                elif legal and price > 0 and room:
                    high[c] = min(high.get(c, math.inf), price)
                else:
                    continue
                if c in high and high[c] - low.get(c, 0.0) < 0.5:
                    continue  # bracketed to half a unit of the weights: settled
                if c not in high:
                    steps[c] = steps.get(c, step / 2) * 2
                    price = low[c] + steps[c]
                else:
                    price = (low.get(c, 0.0) + high[c]) / 2
                if c == -1:
                    weekend_price = price
                else:
                    prices[c] = price
                moved = True
            if not moved:
                break
            if until is not None and time.perf_counter() > until:
                break  # out of time: the best legal schedule, or the restricted one
        if cut_back and best is not None and not settled and broken is not None:
            # the best legal schedule is not proven best (a maximum with room at a
            # positive price): a flat gain swings the schedule from all of a class to
            # none of it, so the prices that keep a maximum keep it far below, and the
            # schedule that broke it, cut back, may be better
            restricted = self._restricted(*broken, groups)
            if restricted is not None and restricted[1] > best[1]:
                _, _, self.penalty, self.weekend_price = broken
                self.cut_backs += 1
                return restricted
        if best is not None:
            path, value, prices, weekend_price = best
            self.penalty = np.zeros_like(base)
            for g, price in prices.items():
                self.penalty[:, groups[g]] = price
            self.weekend_price = weekend_price
            return path, value
        # the prices did not settle (a pool's flat gain makes the programme swing from
        # one extreme to the other): each maximum still broken is kept by construction,
        # the programme allowed its class only on its best days of the last schedule and
        # work only on its best weekends; legal if anything is
        # the next call starts from the prices raised so far (a pool's next employee
        # then more often needs one run)
        self.penalty = np.zeros_like(base)
        for g, price in prices.items():
            self.penalty[:, groups[g]] = price
        self.weekend_price = weekend_price
        restricted = self._restricted(path, base, penalty, weekend_price, groups)
        if restricted is not None:
            return restricted
        return self._escalated(base, penalty, weekend_price, step)

    def _limit_classes(self) -> dict[int, list[int]]:
        """The per-type maxima by class of sibling types (`_spread_types` moves shifts
        between them), keyed by the class's first member: one price per class."""
        limits = self.type_limits
        groups: dict[int, list[int]] = defaultdict(list)
        for k in sorted(limits):
            groups[min([k, *(j for j in self.siblings.get(k, []) if j in limits)])].append(k)
        return groups

    def _restricted(
        self,
        path: list[int],
        base: np.ndarray,
        penalty: np.ndarray,
        weekend_price: float,
        groups: dict[int, list[int]],
    ) -> tuple[list[int], float] | None:
        score = base - penalty
        # each pass restricts the maxima the last schedule broke; a maximum restricted
        # stays so, hence one pass per maximum at most
        for _ in range(len(groups) + 2):
            _, weekends = self._counts(path)
            for members in groups.values():
                cap = sum(self.type_limits[k] for k in members)
                used = sorted(
                    ((float(base[d, k]), d) for d, k in enumerate(path) if k in members),
                    reverse=True,
                )
                if len(used) > cap:
                    rest = np.ones(self.problem.days, dtype=bool)
                    rest[[d for _, d in used[:cap]]] = False
                    score[np.ix_(rest, np.array(members))] = -math.inf
            limit = self.employee.max_weekends
            if limit is not None and weekends > limit:
                worth: dict[int, float] = defaultdict(float)
                for d, k in enumerate(path):
                    if k and d in self.weekend_of:
                        worth[self.weekend_of[d]] += float(base[d, k])
                ranked = sorted(worth, key=lambda w: -worth[w])
                for w in set(range(len(self.problem.weekends))) - set(ranked[:limit]):
                    score[list(self.problem.weekends[w]), 1:] = -math.inf
            found = self._solve(score, weekend_price)
            if found is None:
                return None
            path = self._spread_types(found, base)
            if not any(self._excess(path)):
                return path, float(sum(base[d, k] for d, k in enumerate(path)))
        return None

    def _escalated(
        self, base: np.ndarray, penalty: np.ndarray, weekend_price: float, step: float
    ) -> tuple[list[int], float] | None:
        """The last resort: prices of the maxima broken raised by a step doubled each
        round and never lowered (legal when anything is, but far from the best: they
        soon price weekends above any cover), then the types still over left out and
        weekends priced above any gain."""
        penalty = penalty.copy()
        for _ in range(PRICE_ROUNDS):
            path = self._solve(base - penalty, weekend_price)
            if path is None:
                return None
            path = self._spread_types(path, base)
            over_types, over_weekends = self._excess(path)
            if not over_types and not over_weekends:
                return path, float(sum(base[d, k] for d, k in enumerate(path)))
            for k in over_types:
                penalty[:, [k, *self.siblings.get(k, [])]] += step
            if over_weekends:
                weekend_price += step
            step *= 2
        blocked = base - penalty
        blocked[:, over_types] = -math.inf
        path = self._solve(blocked, weekend_price + 1e6)
        if path is None or any(self._excess(path)):
            return None
        return path, float(sum(base[d, k] for d, k in enumerate(path)))

    def _spread_types(self, path: list[int], base: np.ndarray) -> list[int]:
        """`path` with the shifts over a type's maximum moved to a sibling type (same
        length and rotation rule, so every other rule still holds) with room, the
        cheapest moves first. A uniform price per type cannot split a pool's flat
        gain between siblings (the programme moves all of them from one to the next:
        Instance22's employee H went 123/0/113/16 a1 in four rounds), the move does."""
        counts, _ = self._counts(path)
        limit = self.type_limits
        over = [k for k, cap in limit.items() if counts[k] > cap and self.siblings.get(k)]
        if not over:
            return path
        path = list(path)
        for k in over:
            moves = sorted(
                (float(base[d, k] - base[d, j]), d, j)
                for d, symbol in enumerate(path)
                if symbol == k
                for j in self.siblings[k]
                if np.isfinite(base[d, j])
            )
            for _loss, d, j in moves:
                if counts[k] <= limit[k]:
                    break
                if path[d] != k or counts[j] >= limit.get(j, self.problem.days):
                    continue
                path[d] = j
                counts[k] -= 1
                counts[j] += 1
        return path

    def price(
        self,
        gain: np.ndarray,
        rounds: int = PRICE_ROUNDS,
        start: tuple[np.ndarray, float] | None = None,
        alternatives: int = 0,
        repair: bool = False,
        counted: bool = True,
    ) -> Priced:
        """Pricing entry point (column generation, `roster.columns`): legal schedules
        with much `gain` less own cost, and an upper bound on the most any legal
        schedule reaches. Unlike `best`, it keeps no prices between calls.

        The per-type and weekend maxima are relaxed with Lagrangian prices λ ≥ 0 (per
        type and per weekend worked), moved by subgradient steps: for any λ the
        programme's optimum plus λ × the maxima bounds every legal schedule's value
        from above, so the bound is valid whether or not the prices settle. A weekend
        is charged at most once however many of its days are worked, so the charge
        never exceeds the weekends counted by the rule. Every schedule the programme
        returns that keeps the maxima is legal and is reported. `start`: the prices
        to begin from (the last call's `Priced.prices`, when the gains moved little).

        `repair`: each optimum of a run that breaks a maximum is also kept to it by
        construction (`_restricted`: the type only on its best days, work only on its
        best weekends) and the legal schedule reported: no price reaches a schedule at
        a maximum exactly when it lies in the relaxation's duality gap (the optimum
        jumps from over the maximum to well under it as the price rises), and those
        are the columns a master short of that type's cover needs. The bound is the
        relaxation's either way.

        `counted`: the small maxima (`counted`: at most `SMALL_MAXIMUM`, the smallest
        first while their combinations stay at most `MAX_COUNTED`) are kept exactly by
        counts in the programme's state (`_solve_counted`) instead of priced: no gap
        there, and where every maximum is counted the bound is the optimum itself."""
        base = gain - self.cost
        finite = np.isfinite(base)
        magnitude = float(np.abs(base[finite]).max(initial=1.0))
        # rounding of the float64 sums along a path
        slack = 1e-9 * self.problem.days * (1.0 + magnitude)
        kept = self.counted() if counted else None
        limits = np.zeros(len(self.symbols))
        limited = np.zeros(len(self.symbols), dtype=bool)
        for k, limit in self.type_limits.items():
            if kept is None or k not in kept.types:
                limits[k], limited[k] = limit, True
        weekend_limit = self.employee.max_weekends
        if kept is not None and kept.weekend_dim >= 0:
            weekend_limit = None  # counted: kept exactly, no price
        prices, weekend_price = (
            (start[0].copy(), start[1]) if start else (np.zeros(len(self.symbols)), 0.0)
        )
        prices[~limited] = 0.0
        if weekend_limit is None:
            weekend_price = 0.0
        solve = self._solve_exact if kept is None else self._solve_counted
        step = max(1.0, magnitude) / 4
        schedules: list[list[int]] = []
        bound = math.inf
        proven = False
        classes = self._limit_classes() if repair else {}
        for _ in range(max(1, rounds)):
            self.alternatives = []
            solved = solve(base - prices[None, :], weekend_price, alternatives)
            schedules.extend(p for p in self.alternatives if not any(self._excess(p)))
            if solved is None:
                return Priced(schedules, -math.inf, (prices, weekend_price))
            path, relaxed = solved
            over_types, over_weekends = self._excess(path)
            if repair and (over_types or over_weekends):
                at = np.broadcast_to(prices[None, :], base.shape)
                mended = self._restricted(path, base, at, weekend_price, classes)
                if mended is not None:
                    schedules.append(mended[0])
            counts = np.bincount(np.array(path, dtype=np.int64), minlength=len(self.symbols))
            value = float(sum(base[d, k] for d, k in enumerate(path)))
            limit_value = float(prices @ limits) + weekend_price * (weekend_limit or 0)
            bound = min(bound, relaxed + limit_value + slack)
            settled = (prices, weekend_price)
            if not over_types and not over_weekends:
                schedules.append(path)
                if value >= bound - 2 * slack:
                    proven = True
                    break  # proven the best legal schedule
            # subgradient step on the prices of the maxima (kept ≥ 0)
            excess = np.where(limited, counts - limits, 0.0)
            prices = np.maximum(0.0, prices + step * np.sign(excess))
            if weekend_limit is not None:
                worked = len(
                    {self.weekend_of[d] for d, k in enumerate(path) if k and d in self.weekend_of}
                )
                weekend_price = max(0.0, weekend_price + step * np.sign(worked - weekend_limit))
            step /= 2
        if not schedules:
            # the prices did not settle: as in `best`, the types still over left out and
            # weekends priced above any gain, for a legal schedule (not the bound)
            blocked = base - settled[0][None, :]
            blocked[:, over_types] = -math.inf
            solved = solve(blocked, settled[1] + 1e6)
            if solved is not None and not any(self._excess(solved[0])):
                schedules.append(solved[0])
        return Priced(schedules, bound, settled, proven)

    def counted(self) -> _Counted | None:
        """The maxima `price` counts in the programme's state (`SMALL_MAXIMUM`,
        `MAX_COUNTED`), None when none; made on first use."""
        if self._counted is None:
            self._counted = _counted(self)
            if self._counted.dims and (
                self.automaton is None or not self._counts_fit(self._counted_edges())
            ):
                self._counted.dims = []
        return self._counted if self._counted.dims else None

    def _counts_fit(self, edges: _CountedEdges) -> bool:
        """Whether the counted programme's back-pointers fit: bytes (a segment of at
        most 255 edges) and at most `COUNTED_CELLS` of them."""
        assert self._counted is not None
        cells = self.problem.days * edges.flat.states * len(self._counted.digits) * (self.upper + 1)
        return edges.fits and cells <= COUNTED_CELLS

    def _band(self, allowed: np.ndarray) -> tuple[list[int], list[int]]:
        """`_reach` for `allowed`, cached. The band of the employee's own days serves
        every score that allows no more: a wider band than needed is still exact, and
        prices, the cover's forbidden over-cover and `_restricted` only take days away
        (its reach costs about a programme run, and was 40 % of a big pool's first pass
        when recomputed)."""
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

    def _counted_edges(self) -> _CountedEdges:
        """The minimised automaton with the counted symbols on edges of their own, as
        `kernels.counted_edges` takes it; made on first use."""
        if self._counted_form is None:
            counted = self._counted
            auto = self.automaton
            assert counted is not None and auto is not None
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

    def _solve_counted(
        self, score: np.ndarray, weekend_price: float = 0.0, alternatives: int = 0
    ) -> tuple[list[int], float] | None:
        """As `_solve_exact` (its value exact in float64, the same weekend charge while
        weekends are priced), with the counted maxima (`counted`) kept exactly by
        counts in the state: a resource-constrained programme over the minimised
        automaton and the band of minutes (`kernels.counted_edges`). `alternatives`:
        so many more paths (the best into the next best end states) go to
        `self.alternatives`."""
        counted = self.counted()
        assert counted is not None
        form = self._counted_edges()
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
        `_solve_exact`. States with the same futures (the same successors' classes for
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

    def _solve_exact(
        self, score: np.ndarray, weekend_price: float = 0.0, alternatives: int = 0
    ) -> tuple[list[int], float] | None:
        """As `_solve` (same paths, same weekend charge), in float64 over all minutes
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
        """The path `_solve_exact`'s value tables (`history`) hold into `state` and
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

    def _charged_weekends(self, path: list[int]) -> int:
        """Weekends the programme charges `weekend_price` for (see `_solve`)."""
        firsts = sum(1 for d in self.weekend_first if path[d])
        seconds = sum(1 for d in self.weekend_second if path[d] and not path[d - 1])
        return firsts + seconds

    def _counts(self, path: list[int]) -> tuple[np.ndarray, int]:
        """Shifts per symbol and weekends worked in `path`."""
        counts = np.bincount(np.array(path, dtype=np.int64), minlength=len(self.symbols))
        weekends = {self.weekend_of[d] for d, k in enumerate(path) if k and d in self.weekend_of}
        return counts, len(weekends)

    def _excess(self, path: list[int]) -> tuple[list[int], bool]:
        counts, weekends = self._counts(path)
        over = [k for k, limit in self.type_limits.items() if counts[k] > limit]
        limit = self.employee.max_weekends
        return over, limit is not None and weekends > limit

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

    def _solve(self, score: np.ndarray, weekend_price: float = 0.0) -> list[int] | None:
        """The best path for `score` (a symbol per day; None when there is none), with
        `weekend_price` charged once per weekend worked (on its first day for any work,
        on its second for a run that starts there)."""
        if self.minimised:
            found = self._solve_exact(score, weekend_price)
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


class BestResponses:
    """Whole-horizon schedules, one employee at a time, against the cover the others
    leave: `first_roster`'s search, its state kept (each employee's programme, whose
    prices carry from call to call, and the cover counts) so that rounds of best
    responses can resume from a roster found otherwise (`roster.solve`: the time
    windows' LNS moves several employees within weeks, a best response moves one
    across the whole horizon, its weekends and hours included)."""

    def __init__(
        self, problem: RosterProblem, minimised: bool = False, cut_back: bool = False
    ) -> None:
        """`minimised`: the employees' programmes solve over the minimised automaton
        (see `EmployeeProgramme`). `cut_back`: the first pass compares each schedule
        that broke a maximum, cut back to it, with the best legal one
        (`EmployeeProgramme.best`): the long horizons' first roster
        (`roster.decomposed.solve_by_windows`); not Instance13's pool start, worse with it
        (60 s, seeds 0-1: 3,557 and 3,340 against 3,240 and 2,836). Only for an
        employee with a per-type maximum that can bind (`type_maximum_binds`): the
        flat gain's swing is from all of a type class to none of it; where weekends
        are the only priced maximum (Instance20) the cut-backs made the first roster
        better but the end worse (300 s: 5,477 and 5,846 against 5,348).
        `cut_backs` counts the pass's schedules cut back."""
        p = self.problem = problem
        self.minimised = minimised
        self.cut_back = cut_back
        self.cut_backs = 0
        self.symbols = [None, *(s.id for s in p.shift_types)]
        self.column = {sid: k for k, sid in enumerate(self.symbols)}
        self.required = np.zeros((p.days, len(self.symbols)), dtype=np.int64)
        self.under = np.zeros((p.days, len(self.symbols)))
        over = np.full((p.days, len(self.symbols)), math.inf)
        for c in p.cover:
            k = self.column[c.shift]
            self.required[c.day, k] += c.required
            self.under[c.day, k] = p.under_weight(c)
            if c.over_weight is not None:
                over[c.day, k] = c.over_weight
        self.over = over
        self.over_cost = np.where(np.isfinite(over), over, 0.0)  # forbidden: never happens
        self.staffed = np.zeros_like(self.required)
        self.plans: dict[str, list[int]] = {}
        self.programmes: dict[str, EmployeeProgramme] = {}

    def gain_for(self, counts: np.ndarray) -> np.ndarray:
        # one more person on (day, shift): earns the under weight while short, then
        # pays the over weight (minus infinity when over-cover is forbidden). The more
        # short, the more it earns (`SHORT_PREMIUM` a person short beyond the first):
        # an employee then trades a shift only they cover for one where several are
        # missing, which leaves the first to someone with a shift to spare. Without it
        # best responses stall where that trade is a tie (Instance20's weekends, 733
        # persons short at first, and employees with weekends to spare).
        short = self.required - counts
        gain = np.where(short > 0, self.under * (1 + SHORT_PREMIUM * (short - 1)), -self.over)
        gain[:, 0] = 0.0
        return gain

    def objective(self) -> float:
        """The roster's benchmark objective, from the counts and each own cost."""
        short = np.maximum(self.required - self.staffed, 0)
        extra = np.maximum(self.staffed - self.required, 0)
        cover = float((self.under * short).sum() + (self.over_cost * extra).sum())
        days = np.arange(self.problem.days)
        own = sum(
            float(self.programmes[eid].cost[days, path].sum()) for eid, path in self.plans.items()
        )
        return cover + own

    def place(self, path: list[int], sign: int) -> None:
        for d, k in enumerate(path):
            if k:
                self.staffed[d, k] += sign

    def first_pass(
        self,
        deadline: float,
        finish_by: float,
        stop: Callable[[], bool] = lambda: False,
        fixed: FixedDays | None = None,
    ) -> bool:
        """A schedule for every employee, each the best against the cover the earlier
        ones leave; False when an employee has none the programme finds, or the time
        runs out (`finish_by`) or `stop()` holds before every employee has one.
        `fixed`: (employee, day) → the shift they work there (None: off), e.g. a
        `roster.weekend_plan`; an employee whose fixed days leave no schedule the
        programme finds takes their best one without them."""
        p = self.problem
        started = time.perf_counter()
        # per contract (its maxima), the prices its last employee's schedule kept them at
        last_prices: dict[tuple[object, ...], tuple[np.ndarray, float]] = {}
        # the pass may take `FIRST_PASS_SHARE` of the time, shared out evenly: an
        # employee past their share gets the best legal schedule of the price rounds so
        # far (so a big pool still ends its pass, with fewer rounds each)
        pass_end = started + (deadline - started) * FIRST_PASS_SHARE
        bands: dict[tuple[object, ...], tuple[list[int], list[int]]] = {}
        automata: AutomatonCache = {}
        fixed_days: dict[str, dict[int, str | None]] = defaultdict(dict)
        for (eid, day), shift in (fixed or {}).items():
            fixed_days[eid][day] = shift
        for done, e in enumerate(p.employees):
            now = time.perf_counter()
            if now > finish_by or stop():
                return False
            until = now + max(0.0, pass_end - now) / (len(p.employees) - done)
            programme = EmployeeProgramme(
                p, e, shared=bands, minimised=self.minimised, automata=automata
            )
            if not programme.usable:
                return False
            contract = (e.max_weekends, tuple(sorted(programme.type_limits.items())))
            if contract in last_prices:
                # the prices of the last employee with the same maxima: a pool shares
                # few contracts, and each employee's rounds of pricing would take most
                # of a pass (Instance22's did not end in 50 s). Not across contracts: a
                # weekend price that held 17 weekends kept a contract of 39 to a few.
                programme.penalty, programme.weekend_price = last_prices[contract]
            # half the last prices when there is time to raise them again, else all of
            # them: carried whole, a price raised once keeps every later employee off
            # weekends (Instance22's pass: 67,000-330,000 from run to run, against
            # 64,000-93,000 halved), but halved they take more runs than a big pool's
            # pass has (the 364 x 150 stand-in's pass did not end in 48 s)
            spent = (now - started) / done if done else 0.0
            relax = 0.5 if until - now > 2 * spent else 1.0
            # cut back (when asked, and a type maximum can bind): the first pass's gain
            # is flat (everything short), where the prices alone keep a pool's type
            # maxima far below (the 364 x 150 stand-in's pass: 1,190,000 with d types
            # 14,700 persons over, a/p/n short; 476,000-662,000 cut back). Not in the
            # rounds: their gain is no longer flat, and the cut-backs' extra runs made
            # Instance20's rounds slower (300 s: 5,478 and 5,376 against 5,327 and 5,264)
            cut_back = self.cut_back and programme.type_maximum_binds
            gain = self.gain_for(self.staffed)
            found = None
            if fixed_days.get(e.id):
                found = programme.best(
                    self._held_to(gain, fixed_days[e.id]),
                    relax=relax,
                    until=until,
                    cut_back=cut_back,
                )
            if found is None:
                found = programme.best(gain, relax=relax, until=until, cut_back=cut_back)
            if found is None:
                return False
            self.cut_backs += programme.cut_backs
            self.programmes[e.id] = programme
            last_prices[contract] = (programme.penalty, programme.weekend_price)
            self.plans[e.id] = found[0]
            self.place(found[0], 1)
        return True

    def _held_to(self, gain: np.ndarray, days: Mapping[int, str | None]) -> np.ndarray:
        """`gain` with only the symbol of `days` (day → shift, None: off) open on each."""
        held = gain.copy()
        for day, shift in days.items():
            k = 0 if shift is None else self.column[shift]
            held[day, :k] = -math.inf
            held[day, k + 1 :] = -math.inf
        return held

    def rounds(
        self,
        deadline: float,
        stop: Callable[[], bool] = lambda: False,
        most: int | None = None,
        min_gain: float = 0.0,
    ) -> bool:
        """Rounds of best responses (at `most` so many) while they change something and
        time is left, a round cut short at `deadline`; each response taken improves on
        the last by the premium-weighted gain. `min_gain`: no further round after one
        that lowered the objective by less than this share of it. Ends on the best
        roster by the true objective seen; True when it is better than the one it
        started from."""
        p = self.problem
        improved = True
        start_value = self.objective()
        best_plans, best_value = dict(self.plans), start_value
        done = 0
        while improved and time.perf_counter() < deadline and not stop():
            if most is not None and done >= most:
                break
            improved, done = False, done + 1
            for e in p.employees:
                if time.perf_counter() > deadline or stop():
                    break
                self.place(self.plans[e.id], -1)
                gain = self.gain_for(self.staffed)
                programme = self.programmes[e.id]
                current = self.plans[e.id]
                now = float(sum(gain[d, k] - programme.cost[d, k] for d, k in enumerate(current)))
                found = programme.best(gain, until=deadline)
                if found is not None and found[1] > now + 1e-9:
                    self.plans[e.id] = found[0]
                    improved = True
                self.place(self.plans[e.id], 1)
            value = self.objective()
            if value > best_value * (1 - min_gain) - 1e-9:
                improved = False  # too little for another round
            if value < best_value:
                best_plans, best_value = dict(self.plans), value
        self.adopt_plans(best_plans)
        return best_value < start_value - 1e-9

    def adopt_plans(self, plans: dict[str, list[int]]) -> None:
        self.plans = dict(plans)
        self.staffed[:] = 0
        for path in self.plans.values():
            self.place(path, 1)

    def adopt(self, roster: Roster) -> None:
        """Continue from `roster` (one assignment a day at most per employee, of this
        problem; after `first_pass`, which made each employee's programme)."""
        plans = {eid: [0] * self.problem.days for eid in self.programmes}
        for a in roster:
            plans[a.employee][a.day] = self.column[a.shift]
        self.adopt_plans(plans)

    def roster(self) -> Roster:
        case = self.problem.cases[0].id
        return tuple(
            sorted(
                Assignment(d, self.symbols[k], case, eid)  # type: ignore[arg-type]
                for eid, path in self.plans.items()
                for d, k in enumerate(path)
                if k
            )
        )


def first_roster(
    problem: RosterProblem,
    deadline: float,
    stop: Callable[[], bool] = lambda: False,
    finish_by: float | None = None,
    responses: BestResponses | None = None,
    min_gain: float = 0.0,
    rounds_until: float | None = None,
    minimised: bool = False,
    fixed: FixedDays | None = None,
) -> Roster | None:
    """A legal roster from each employee's best schedule against the cover the others
    leave (see the module docstring), improved by rounds of best responses until
    `deadline` (`time.perf_counter()`) or until a round changes nothing; None when the
    problem is not `applicable`, an employee has no schedule the programme finds, or
    the time runs out (or `stop()` holds) before every employee has one.

    `finish_by` (at or after `deadline`): the first pass may run on until then, each
    employee past `deadline` with a single price round: a late roster is better than
    none (the 364 x 150 stand-in's pass ended past its 48 s on a loaded machine, and
    the solve then had no roster at all). `responses`: the search to run (a fresh
    `BestResponses(problem)`), for the caller to resume later. `min_gain`: see
    `BestResponses.rounds`; `rounds_until`: the rounds' deadline when not `deadline`
    (which then only paces the first pass). `minimised`: a fresh search's programmes
    solve over the minimised automaton (short horizons: see `EmployeeProgramme`).
    `fixed`: days the first pass holds employees to (`BestResponses.first_pass`); the
    rounds are free of them."""
    if not applicable(problem):
        return None
    search = responses or BestResponses(problem, minimised=minimised)
    finish_by = max(deadline, finish_by if finish_by is not None else deadline)
    if not search.first_pass(deadline, finish_by, stop, fixed=fixed):
        return None
    search.rounds(rounds_until or deadline, stop, min_gain=min_gain)
    return search.roster()


__all__ = [
    "AutomatonCache",
    "BestResponses",
    "EmployeeProgramme",
    "Priced",
    "applicable",
    "first_roster",
]
