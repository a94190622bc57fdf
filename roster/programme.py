"""One employee's best schedule by dynamic programming over days (`EmployeeProgramme`):
built once, solved for many prices, by `roster.best_responses` (`best`) and by column
generation's pricing (`roster.pricing`, `price`).

An employee's day-to-day rules (rotation, runs of work and of days off, with the
benchmark's edge rule) are the sequence automaton of `roster.automaton` (`next_state`;
the CP-SAT model's too); their hours are a resource counted in the state (minutes in
units of the shift lengths' common divisor). A schedule is a path through (day,
automaton state, minutes), and the best one for a price per (day, shift) is found
exactly by a dynamic programme (`roster.schedule_paths`), its inner loops compiled by
numba (`roster.kernels`). The per-type maxima and the maximum of weekends are not in
the state (it would multiply by their ranges); they are priced instead (a Lagrangian
price per maximum, found by bisection, `best`), shifts over a type's maximum move to
an interchangeable sibling type (`_spread_types`), and when the prices do not settle
each maximum still broken is kept by construction (`_restricted`), the better of that
and the best legal schedule priced taken. So a schedule is the best one when no such
maximum binds or every priced one is met exactly, and legal but not always the best
otherwise (a test week capped at two D shifts: the prices alone 244, cut back 237, the
best, tests/roster/test_sequences.py).

Pricing (`EmployeeProgramme.price`, column generation) counts the small maxima in the
state instead (`schedule_paths.SMALL_MAXIMUM`, `MAX_COUNTED`: a resource-constrained
programme over the minimised automaton, `SchedulePaths.solve_counted`,
`kernels.counted_edges`), so that its optimum is exact for them: Instance15's nights
(at most 2-4) and weekends (3 of 6) bind for every employee who may work them, and no
price reached a schedule exactly at such a maximum (the relaxation's duality gap).

One year of one Curtois–Qu employee (364 days, 10 shift types, minimum and maximum
hours 960 minutes apart) is a schedule CP-SAT did not find in 5 s (single worker,
loaded machine); the programme takes a fraction of a second. Pure: no I/O.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from roster.automaton import AutomatonCache, _automaton
from roster.eligibility import why_not
from roster.problem import Employee, RosterProblem
from roster.schedule_paths import SchedulePaths, _Counted, _counted, _CountedEdges
from roster.templates import ShiftType

#: Lagrangian rounds per schedule for the per-type and weekend maxima.
PRICE_ROUNDS = 8
#: Back-pointers (bytes) of one counted programme run at most (days x states x count
#: combinations x minute values): Instance15's are 9 million, Instance18's 1 million;
#: a longer horizon's maxima are priced instead.
COUNTED_CELLS = 40_000_000


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
        """`shared`: a cache of minute bands (`SchedulePaths._reach`) for the programmes
        of one problem; employees with the same contract and days share theirs (a big
        pool's copies of a contract: a tenth of its first pass). `minimised`:
        `SchedulePaths.solve` runs `solve_exact`'s programme over the minimised
        automaton instead of the full one over a band of minutes: the same values, 3
        times faster on a short horizon (Instance13: 4 ms an employee against 12), but
        its tables grow with the days and Instance20 (182 days) ended worse with it
        (6,730/7,137 against 6,157 at 60 s), so only short horizons' callers ask for
        it. `automata`: a cache of
        automata for the programmes of one problem, employees with the same run
        limits share theirs and its minimised form (0.9 s of Instance13's 120
        programmes when each built its own)."""
        p = self.problem = problem
        self.employee = employee
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
        self._counted: _Counted | None = None
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
        #: the paths through the automaton and the hours, and the runs that find the best
        self.paths = SchedulePaths(
            p,
            employee,
            self.automaton,
            self.symbols,
            self.length,
            self.lower,
            self.upper,
            self.cost,
            self.weekend_first,
            self.weekend_second,
            {} if shared is None else shared,
            minimised,
        )

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
            found = self.paths.solve(base - penalty, weekend_price)
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
            found = self.paths.solve(score, weekend_price)
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
            path = self.paths.solve(base - penalty, weekend_price)
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
        path = self.paths.solve(blocked, weekend_price + 1e6)
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
        """Pricing entry point (column generation, `roster.pricing`): legal schedules
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
        counts in the programme's state (`SchedulePaths.solve_counted`) instead of
        priced: no gap there, and where every maximum is counted the bound is the
        optimum itself."""
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
        solve: Callable[..., tuple[list[int], float] | None] = (
            self.paths.solve_exact if kept is None else partial(self.paths.solve_counted, kept)
        )
        step = max(1.0, magnitude) / 4
        schedules: list[list[int]] = []
        bound = math.inf
        proven = False
        classes = self._limit_classes() if repair else {}
        for _ in range(max(1, rounds)):
            self.paths.alternatives = []
            solved = solve(base - prices[None, :], weekend_price, alternatives)
            schedules.extend(p for p in self.paths.alternatives if not any(self._excess(p)))
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
            self._counted = _counted(
                self.problem,
                self.employee,
                len(self.symbols),
                self.type_limits,
                self.cost,
                self.weekend_first,
                self.weekend_second,
            )
            if self._counted.dims and (
                self.automaton is None
                or not self._counts_fit(self.paths.counted_edges(self._counted))
            ):
                self._counted.dims = []
        return self._counted if self._counted.dims else None

    def _counts_fit(self, edges: _CountedEdges) -> bool:
        """Whether the counted programme's back-pointers fit: bytes (a segment of at
        most 255 edges) and at most `COUNTED_CELLS` of them."""
        assert self._counted is not None
        cells = self.problem.days * edges.flat.states * len(self._counted.digits) * (self.upper + 1)
        return edges.fits and cells <= COUNTED_CELLS

    def _charged_weekends(self, path: list[int]) -> int:
        """Weekends the programme charges `weekend_price` for (see `SchedulePaths.solve`)."""
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


__all__ = ["EmployeeProgramme", "Priced"]
