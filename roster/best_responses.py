"""A first roster from each employee's best schedule (`roster.programme`), and the rounds
of best responses that improve it: fast at any horizon, where CP-SAT is not.

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

Applies only where the programme does (`roster.sequences.applicable`); otherwise
`first_roster` is None, and the caller uses its other means. Pure: no I/O.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Mapping

import numpy as np

from roster.automaton import AutomatonCache
from roster.problem import Assignment, Roster, RosterProblem
from roster.programme import EmployeeProgramme
from roster.sequences import applicable

#: (employee, day) → the shift a first pass holds them to there, None for a day off
#: (`BestResponses.first_pass`; e.g. a `roster.weekend_plan`).
FixedDays = Mapping[tuple[str, int], str | None]

#: Share of `first_roster`'s time for its first pass (one schedule per employee); the
#: rounds of best responses get the rest.
FIRST_PASS_SHARE = 0.5
#: Extra gain, as a share of the under weight, per person short beyond the first on a
#: (day, shift) (`first_roster`).
SHORT_PREMIUM = 0.02


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


__all__ = ["BestResponses", "first_roster"]
