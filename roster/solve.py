"""`solve(problem, time_limit, seed) -> RosterResult`: the public entry point.

The status is honest: OPTIMAL only when every priority level was proven optimal, FEASIBLE
when a legal roster was found without that proof, INFEASIBLE when the hard rules
cannot all hold, UNKNOWN when the time ran out before any roster was found.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster import (
    best_responses,
    by_case,
    exchange,
    groups,
    heuristic,
    pairing,
    sequences,
    shortfall,
    windows,
)
from roster.bound import lexicographic_bound
from roster.clock import WORK_PER_SECOND, Deadline, WallClock, WorkClock
from roster.eligibility import why_not
from roster.interrupt import Interrupt
from roster.kpis import RosterKpis, compute_kpis
from roster.lns import improve
from roster.model import LEVEL_CHANGES, Key, RepairWeights, RosterModel
from roster.problem import Assignment, Case, Roster, RosterProblem
from roster.rotation import applicable as rotation_applies
from roster.rotation import warm_start
from solving.status import SolveStatus


@dataclass(frozen=True)
class StageResult:
    """One priority level of a lexicographic solve."""

    level: int
    status: SolveStatus
    objective: int | None
    bound: int
    seconds: float


@dataclass(frozen=True)
class UncoveredShift:
    """A demand the roster does not (fully) meet, and why."""

    case: str
    day: int
    shift: str
    missing: int  #: consultants short (0 when only the language/gender is missing)
    missing_language: bool
    missing_gender: bool
    reason: str


@dataclass(frozen=True)
class RosterResult:
    status: SolveStatus
    objective: int | None  #: weighted sum of all terms (see `ObjectiveWeights`)
    #: Lower bound on `objective`. For a lexicographic solve it is the last level's bound
    #: plus the earlier levels' values — a bound given those levels, as reported per stage
    #: (a repair's changes level left out, as in `objective`).
    bound: int | None
    seconds: float
    roster: Roster
    teams: dict[str, tuple[str, ...]]
    uncovered: tuple[UncoveredShift, ...]
    terms: dict[str, int]  #: value of each objective term (weighted)
    kpis: RosterKpis | None
    stages: tuple[StageResult, ...] = field(default=())
    #: The search was stopped on request (`solve(should_stop=)`): the best roster found
    #: until then, FEASIBLE at most unless every level had been proven already.
    cancelled: bool = False
    #: Why there is no roster, or how it was found when that matters (e.g. by time
    #: windows, with no bound): empty when there is nothing to add to the status.
    message: str = ""
    #: Where `bound` comes from: "cp-sat" (the search's own bound), "terms" (the
    #: per-term bound of `roster.bound`, when higher), or "" (no bound).
    bound_by: str = ""

    @property
    def found(self) -> bool:
        return self.status.found

    @classmethod
    def no_roster(
        cls,
        seconds: float,
        message: str,
        *,
        status: SolveStatus = SolveStatus.UNKNOWN,
        stages: tuple[StageResult, ...] = (),
        cancelled: bool = False,
    ) -> RosterResult:
        """A result without a roster (UNKNOWN unless told): `message` says why."""
        return cls(
            status,
            None,
            None,
            seconds,
            (),
            {},
            (),
            {},
            None,
            stages,
            cancelled,
            message=message,
        )


@dataclass(frozen=True)
class SearchParameters:
    """CP-SAT parameters; defaults tuned on the benchmarks (see scripts/bench_*.py)."""

    num_workers: int = 2
    linearization_level: int = 1
    symmetry_level: int = 2
    #: Large-neighbourhood search (`roster.lns`) inside each stage; fractions of the
    #: stage budget for the first CP-SAT run and the last (bound-raising) run. The first
    #: run proves a døgnindsats minimum team (1 case, pool 40, 8 weeks) in 1.9-4.9 s on
    #: a slow 2-core machine, where the LNS does not find it from a team one larger:
    #: 0.1 of a 30 s limit cut that proof off in about one run of seven; 0.25 does not,
    #: and five cases end at the same team and a similar objective.
    lns: bool = True
    lns_initial_fraction: float = 0.25
    lns_final_fraction: float = 0.1
    lns_subsolve_seconds: float = 1.0
    #: Shortest first CP-SAT run before the LNS, whatever `lns_initial_fraction` gives.
    lns_initial_seconds: float = 1.0
    #: Lexicographic solve: share of the remaining time for each level but the last, in
    #: order of priority; a level without one gets an equal part. A level proven optimal
    #: early leaves its unused time to the next either way.
    level_shares: tuple[float, ...] = ()
    #: Start from the greedy roster (`heuristic.greedy`), or the repaired rotation
    #: (`rotation.warm_start`) when it is better, when no hint is given.
    greedy_hint: bool = True
    #: Reproducible search (`roster.clock.WorkClock`): the time limit is counted in
    #: CP-SAT's deterministic time, so the same problem, seed and time limit give the
    #: same roster, at the price of a run time that only roughly follows the limit.
    deterministic: bool = False
    #: Deterministic time counted as one second of a reproducible search's limit; lower
    #: it on a machine slower than the one `WORK_PER_SECOND` was calibrated on, so that
    #: its searches end before the wall guard cuts them off (`roster.clock`), with less
    #: search in them. Each rate gives its own rosters.
    work_per_second: float = WORK_PER_SECOND
    log: bool = False
    #: A light CP-SAT presolve (no probing, one pass) for døgnindsats rosters, on every
    #: priority level but the last; None: for problems with one consultant per shift
    #: and priority levels (`rotation.applicable`), not for the NRP benchmark. Presolve
    #: of five cases from a pool of 60 (8 weeks, 18 weeks of history; load 5.5): 21.7 s
    #: with the defaults, 16.4 s without probing, 5.8 s without probing in one pass;
    #: the symmetry level changes nothing.
    light_presolve: bool | None = None
    #: Solve a problem too big to build in its time by windows (`roster.windows`).
    decompose: bool = True
    #: The rhythm level's bound includes `roster.rhythm_bound` (1-1.5 s for five cases,
    #: pool 60); off for a case searched alone (`roster.by_case`), whose bound no one
    #: reads, where it took 1.1 CPU s of each case's 6 s.
    rhythm_bound: bool = True


#: Share of the time limit the whole model's build may take before the problem is
#: solved in time windows instead.
BUILD_SHARE = 0.25
#: Build time per (employee, shift of a day) pair: the y variable and its rules, and
#: the x variable of the slot's first case. Measured with the 2-core machine loaded by
#: other searches (load 10): Instance22 (364 days, 50 staff, 10 shift types: 182,000
#: pairs) built in 38 s at first, 34 s with the per-employee index of
#: `RosterModel.y_of`, 17.5 s with the cyclic garbage collector paused; Instance20
#: (54,600 pairs) in 5.8 s before the pause. CP-SAT's presolve of the built model takes
#: as long again, hence the margin: one case, pool 40, 8 weeks (6,720 pairs) built in
#: 0.64 CPU s (load 1.6), 9.5e-5 a pair.
BUILD_SECONDS_PER_PAIR = 1.5e-4
#: Build time per x variable of a slot's second and later cases (an (employee, day,
#: shift, case) beyond the first case on that day and shift: a term of its cover, of
#: its y and of its case's team and faces), with the margin of `BUILD_SECONDS_PER_PAIR`
#: (1.5 times the build). The pairs alone forecast 20 cases from a pool of 150 as if
#: each case were a problem of its own: a window of 21 days 28 s, built in 4.4-5.8 s.
#: Measured 2026-12-06 04:34-04:55 UTC (win20, load 0.5-1.6, `RosterModel` CPU
#: seconds, 18 weeks of history), forecast against built: one case, pool 40, 8 weeks
#: 1.0 / 0.64 s; 13 weeks 1.9 / 1.56; 26 weeks 7.4 / 5.7; five cases, pool 60, 8
#: weeks 3.3 / 2.45 (the pairs alone: 7.6); 13 weeks 5.9 / 3.9 (12.7); 26 weeks 16.9 /
#: 10.2 (30.7); 20 cases, pool 150, 4 weeks 12.7 / 7.2 (37.8); 8 weeks 25.3 / 15.9
#: (75.6); windows of its 52 weeks from the greedy roster, 14 days 6.3 / 2.9 (18.9), 21
#: days 9.5 / 4.4-5.8 (28.4), 28 days 12.7 / 6.2 (37.8). The build, 3.0e-5 a case's
#: x variable past the first, 8e-5 a pair, is linear in both.
BUILD_SECONDS_PER_EXTRA_CASE = 4.5e-5


#: A model built faster than this is built whole whatever the limit: a short limit on
#: a small problem (a test, a quick preview) overruns by less than the windows' own
#: overhead, and keeps the whole model's search and bound.
MIN_DECOMPOSED_BUILD = 3.0


#: Build time per term of the 48-hour average's reference periods (a shift of a day in
#: a period, for each period and employee; `RosterModel._add_reference_periods`, and
#: the night workers' periods about as many again), with the margin of
#: `BUILD_SECONDS_PER_PAIR`: a year of one case (pool 40, 18 weeks of history, 4.0
#: million terms over 13,420 periods) built in 14.2 CPU s (16.6 s, load 3.8) where its
#: pairs forecast 6.6 s; 26 weeks (1.4 million terms) in 5.4 against 3.3 s.
BUILD_SECONDS_PER_PERIOD_TERM = 3e-6


def build_seconds(problem: RosterProblem) -> float:
    """A rough forecast of the seconds the whole model takes to build: the variables it
    makes, (employee, shift of a day) pairs and the x variables of the further cases on
    a slot (`model_pairs`), and the terms of its reference periods (a long døgnindsats
    has one a day per employee, each summing up to four months of shifts)."""
    pairs, extra = model_pairs(problem)
    return (
        pairs * BUILD_SECONDS_PER_PAIR
        + extra * BUILD_SECONDS_PER_EXTRA_CASE
        + period_terms(problem) * BUILD_SECONDS_PER_PERIOD_TERM
    )


def model_pairs(problem: RosterProblem) -> tuple[int, int]:
    """(employee, shift of a day) pairs of the demands the model makes variables for
    (a demand asking for somebody, or one that may be over-covered), and the (employee,
    demand) pairs of the second and later cases on such a day and shift. Every
    employee counts, eligible or not: an upper bound of the variables, cheap to count."""
    built = Counter(
        (c.day, c.shift) for c in problem.cover if c.required > 0 or c.over_weight is not None
    )
    employees = len(problem.employees)
    slots = len(built)
    return slots * employees, (sum(built.values()) - slots) * employees


def period_terms(problem: RosterProblem) -> int:
    """The terms of the reference periods' sums: each period's days times the shifts
    of a day, over every employee's periods (`RosterProblem.reference_windows`)."""
    if not problem.days:
        return 0
    shifts_per_day = len({(c.day, c.shift) for c in problem.cover}) / problem.days
    days = sum(
        w.end_day - w.first_day for e in problem.employees for w in problem.reference_windows(e)
    )
    return round(days * shifts_per_day)


def too_big_to_build(problem: RosterProblem, time_limit: float) -> bool:
    """The whole model would take more than `BUILD_SHARE` of the limit (and more than
    `MIN_DECOMPOSED_BUILD`) to build, and the horizon is long enough to split into
    windows."""
    long_enough = problem.days >= 2 * windows.WINDOW_DAYS
    seconds = build_seconds(problem)
    return long_enough and seconds > max(BUILD_SHARE * time_limit, MIN_DECOMPOSED_BUILD)


#: Share of the time left for the rolling horizon's first roster; the rest improves it.
FIRST_ROSTER_SHARE = 0.5
#: Seconds of the greedy roster (`heuristic.greedy`) per (shift, employee) pair and
#: ranking, with a margin for some load: it checks the rules once per shift of a day
#: and employee, whatever the number of cases on it (`heuristic._greedy`'s
#: `may_take`). Two rankings, CPU seconds at load 3-4: five cases, pool 60, 52 weeks
#: (1,092 shifts: 65,520 pairs) 8.4 s (6.4e-5 a pair); 20 cases, pool 150, 52 weeks
#: (163,800 pairs) 17.4 s (5.3e-5); one case, pool 40, 52 weeks, one ranking 1.7 s (4e-5).
GREEDY_SECONDS_PER_PAIR = 7e-5
#: Share of the time left a døgnindsats's greedy first roster may take in a decomposed
#: solve: the windows improve it with the rest.
GREEDY_SHARE = 0.5


def greedy_seconds(problem: RosterProblem) -> float:
    """A forecast of `heuristic.greedy`'s seconds on `problem`."""
    shifts = len({(c.day, c.shift) for c in problem.cover})
    pairs = shifts * len(problem.employees)
    return pairs * heuristic.greedy_runs(problem) * GREEDY_SECONDS_PER_PAIR


#: Share of the time left for the per-employee programme's first roster and its rounds
#: of best responses (`roster.best_responses`); the windows improve it with the rest.
DP_SHARE = 0.8
#: Share of the time left by which the programme's first pass must end, its rounds cut:
#: the rest checks the roster (`validate`, a few seconds for 364 days of 150 people).
DP_FINISH_SHARE = 0.95
#: The programme's rounds of best responses stop once one gains less than this share
#: of the objective (and not before, up to `DP_FINISH_SHARE` of the time): the windows
#: then gain more a second (Instance20, 120 s: rounds of 7.5 s gained 3.5 % and 1.1 %,
#: the next window's 8 s 11 %).
DP_ROUND_MIN_GAIN = 0.05
#: Seconds of one spell of weekend-pairing chains (`roster.pairing`) after a sweep of
#: the time windows: Instance22's chains gained 805 of 1,159 in their first 10 s of 30
#: from a 120 s roster (38,022), 29 in the last 10 s. Spells follow one another while
#: each gains faster than the sweep before them (`pairing_pays`).
PAIRING_SECONDS = 15.0


#: What a search over windows or groups returns: the roster, its value, how many searched.
Improved = tuple[Roster, int, int]


def solve_in_windows(
    problem: RosterProblem,
    time_limit: float,
    seed: int = 0,
    parameters: SearchParameters | None = None,
    hint: Roster | None = None,
    should_stop: Callable[[], bool] | None = None,
    dp_share: float | None = None,
    known_bound: KnownBound | None = None,
) -> RosterResult:
    """`solve` by time windows whatever the problem's size: from `hint` when it is
    legal (else a first roster as `_solve_by_windows` finds one), improved by the
    time-window LNS; never worse than the hint. For a long horizon whose whole model
    builds in time but whose whole-model search does not improve a good start in it
    (`roster.nrp`: Instance20's from 22,576 to 61,946 in 60 s). The windows prove no
    bound: the result's is `known_bound`, if given."""
    deadline = Deadline(time_limit)
    params = parameters or SearchParameters()
    with Interrupt(should_stop) as interrupt:
        return _solve_by_windows(
            problem,
            deadline,
            seed,
            params,
            hint,
            interrupt,
            why="asked for",
            dp_share=dp_share,
            known_bound=known_bound,
        )


@dataclass(frozen=True)
class KnownBound:
    """A lower bound found before a search that proves none (time windows), and where
    it comes from, for the result's message."""

    value: int
    source: str


def _solve_by_windows(
    problem: RosterProblem,
    deadline: Deadline,
    seed: int,
    params: SearchParameters,
    hint: Roster | None,
    interrupt: Interrupt,
    why: str = "",
    dp_share: float | None = None,
    known_bound: KnownBound | None = None,
) -> RosterResult:
    """`solve` for a problem too big to build whole (`roster.windows`). `dp_share`:
    of the time, the share for the per-employee programme's first roster when there is
    no hint (`DP_SHARE` by default). Its bound is `known_bound`'s, if any."""
    why = why or (
        "the whole model is too big to build in the time limit "
        f"(about {build_seconds(problem):.0f} s)"
    )
    from roster.validate import total, validate

    window_params = dataclasses.replace(params, greedy_hint=False, decompose=False)
    solve_window = part_solver(seed, window_params, interrupt)
    # the rolling horizon's windows: one CP-SAT run each, all of its time to finding
    # and improving the window's first roster (the LNS comes after, over windows)
    first_window = part_solver(seed, dataclasses.replace(window_params, lns=False), interrupt)

    start: Roster | None = None
    legal = False
    responses: best_responses.BestResponses | None = None
    # the programmes of the first roster, kept for the weekend-pairing chains after each
    # sweep (`responses` is dropped once its rounds stop gaining)
    pairer: best_responses.BestResponses | None = None
    how = "the hint"
    if hint and not validate(problem, hint):
        start, legal = hint, True
    elif sequences.applicable(problem):
        # each employee's schedule over the whole horizon by dynamic programme: exact
        # totals, no pro-rata guesses (the rolling horizon's windows found none in
        # 60 s for Instance22, each window's pro-rata limits too tight to meet)
        # its first pass cuts schedules back to their maxima where a type maximum can
        # bind (`BestResponses`): the 364 x 150 stand-in's pass 476,000-662,000
        # against 1,190,000-1,230,000; Instance20's contracts never (its path as before)
        responses = best_responses.BestResponses(problem, cut_back=True)
        start = best_responses.first_roster(
            problem,
            time.perf_counter() + deadline.share(dp_share or DP_SHARE),
            stop=lambda: interrupt.stopped,
            # its first pass may end late: no time for the windows then, but a roster
            finish_by=time.perf_counter() + deadline.share(DP_FINISH_SHARE),
            responses=responses,
            min_gain=DP_ROUND_MIN_GAIN,
            # rounds that still gain `DP_ROUND_MIN_GAIN` go on past its share: more
            # than a window gains in their time (Instance22, 60 s: a round of 3.8 s cut
            # short by the limit gained 4.2 %, the window before it in 8 s 2.4 %)
            rounds_until=time.perf_counter() + deadline.share(DP_FINISH_SHARE),
        )
        if start is not None and validate(problem, start):
            start, responses = None, None  # a rule it missed: the rolling horizon instead
        pairer = responses
        how = "a dynamic programme per employee"
    if (
        start is None
        and rotation_applies(problem)
        and greedy_seconds(problem) < deadline.share(GREEDY_SHARE)
    ):
        # a døgnindsats: the greedy roster is legal by construction, where the rolling
        # horizon's short windows may find none (five cases, pool 60, 52 weeks, 55 s:
        # days 0-13 found no roster)
        start, how = heuristic.greedy(problem), "the greedy roster"
        # checked once: the whole check takes 4.9 s for 20 cases over 52 weeks
        legal = not validate(problem, start)
        if not legal:
            start = None
    if start is None:
        how = "rolling horizon"
        start, reason = windows.first_roster(
            problem,
            deadline,
            first_window,
            share=FIRST_ROSTER_SHARE,
            build_estimate=build_seconds,
        )
        if start is None:
            status = SolveStatus.CANCELLED if interrupt.stopped else SolveStatus.UNKNOWN
            return RosterResult.no_roster(
                deadline.elapsed(),
                f"no roster within the time limit: {reason}",
                status=status,
                cancelled=interrupt.stopped,
            )
    if not legal and validate(problem, start):
        # a rolling-horizon roster that breaks a rule of the whole horizon the windows
        # do not carry (the legal on-site and night-worker averages): no roster
        return RosterResult.no_roster(
            deadline.elapsed(),
            "no roster within the time limit: the rolling horizon's roster breaks "
            "a rule of the whole horizon",
            cancelled=interrupt.stopped,
        )

    def legal_total(whole: RosterProblem, roster: Roster) -> float:
        # a window's roster is kept only if the whole roster stays legal: the windows
        # do not carry the horizon-wide legal averages (on site, night workers)
        return math.inf if validate(whole, roster) else total(whole, roster)

    roster, value, searched, paired = start, int(total(problem, start)), 0, 0
    exchanges = 0
    if rotation_applies(problem):
        # a døgnindsats's shifts short of their language first: exchanges across the
        # year (`roster.exchange`: the greedy's speakers run out of hours in the last
        # weeks, which no time window can give back), then windows of the few who
        # could close what is left (`roster.shortfall`: a window of every employee of
        # 20 cases does not fit in the limit after the greedy roster)
        exchanged, made = exchange.improve(
            problem,
            roster,
            until=time.perf_counter() + deadline.remaining() - windows.MIN_WINDOW_SECONDS,
            stop=lambda: interrupt.stopped,
        )
        exchanged_value = int(total(problem, exchanged)) if made else value
        if exchanged_value < value:
            roster, value = exchanged, exchanged_value
        exchanges = made
        roster, value, searched = shortfall.improve(
            problem,
            roster,
            value,
            deadline,
            solve_window,
            total,
            seed=seed,
            build_estimate=build_seconds,
        )
    sweep = 0
    # a sweep of the windows, then one of employee groups, then a round of best
    # responses from its roster: the windows move many employees within weeks, a group
    # a few across the horizon, a response one. Groups only when the cover alone
    # couples the employees (a group's problem is exact then) and enough of them fit
    # in a search (`roster.groups`)
    searches: list[tuple[Callable[[RosterProblem], float], Callable[..., Improved]]] = [
        (windows.sweep_seconds, windows.improve)
    ]
    grouping = sequences.applicable(problem) and groups.worth_grouping(problem)
    if grouping:
        searches.append((groups.sweep_seconds, groups.improve))
    while True:
        moved, cycle_start, cycle_began = 0, value, time.perf_counter()
        for sweep_seconds, improve_by in searches:
            part = deadline
            if responses is not None or len(searches) > 1:
                part = Deadline(min(deadline.remaining(), sweep_seconds(problem)))
            roster, value, count = improve_by(
                problem,
                roster,
                value,
                part,
                solve_window,
                legal_total,
                seed=seed + sweep,
                build_estimate=build_seconds,
            )
            searched, moved = searched + count, moved + count
        sweep += 1
        if deadline.remaining() <= windows.MIN_WINDOW_SECONDS or interrupt.stopped:
            break
        responding = responses is not None
        # spells of pairing chains and rounds of best responses, a spell and a round at a
        # time, while they gain faster than the sweep did (Instance22, seed 1: its first
        # sweep gained 54 a second, the spell after it 91, the round after that 200)
        sweep_rate = (cycle_start - value) / max(1e-9, time.perf_counter() - cycle_began)
        spell_seed = seed + sweep
        while deadline.remaining() > windows.MIN_WINDOW_SECONDS and not interrupt.stopped:
            began, before = time.perf_counter(), value
            if pairer is not None:
                roster, value, count = _pairing_spell(
                    problem, pairer, roster, value, deadline, interrupt, legal_total, spell_seed
                )
                paired, moved, spell_seed = paired + count, moved + count, spell_seed + 1
            if responses is not None:
                responses.adopt(roster)
                until = time.perf_counter() + deadline.remaining()
                if not responses.rounds(until, stop=lambda: interrupt.stopped, most=1):
                    responses = None  # the roster is a best response: no more rounds
                    break
                candidate = responses.roster()
                candidate_value = legal_total(problem, candidate)
                if candidate_value < value:
                    roster, value = candidate, int(candidate_value)
            if not pairing_pays(before - value, time.perf_counter() - began, sweep_rate):
                break
        if not responding:
            if not moved or len(searches) == 1:
                break  # the time is up, or none fits in the time left
            if value == cycle_start:
                searches = searches[:1]  # neither gained: the windows, all the time left
    return roster_result(
        problem,
        roster,
        seconds=deadline.elapsed(),
        bound=None if known_bound is None else known_bound.value,
        cancelled=interrupt.stopped,
        message=(
            f"time windows: {why}; a first roster by {how}, then "
            + (f"{exchanges} exchanges across the horizon, " if exchanges else "")
            + f"{searched} windows{' and employee groups' if grouping else ''} re-solved"
            + (f", {paired} weekends paired; " if pairer is not None else "; ")
            + ("no bound" if known_bound is None else known_bound.source)
        ),
    )


def _pairing_spell(
    problem: RosterProblem,
    pairer: best_responses.BestResponses,
    roster: Roster,
    value: int,
    deadline: Deadline,
    interrupt: Interrupt,
    legal_total: Callable[[RosterProblem, Roster], float],
    seed: int,
) -> tuple[Roster, int, int]:
    """One spell of chains for up to `PAIRING_SECONDS`: the roster it ends on when
    legal and better, its value and the chains kept; else `roster`, `value`, 0."""
    pairer.adopt(roster)
    until = time.perf_counter() + min(PAIRING_SECONDS, deadline.remaining())
    _, kept = pairing.improve(pairer, until, seed=seed, stop=lambda: interrupt.stopped)
    if not kept:
        return roster, value, 0
    candidate = pairer.roster()
    candidate_value = legal_total(problem, candidate)
    if candidate_value < value:
        return candidate, int(candidate_value), kept
    return roster, value, 0


def pairing_pays(gained: int, seconds: float, sweep_rate: float) -> bool:
    """Whether a spell of pairing chains and a round of best responses that gained
    `gained` in `seconds` earn another: they gained, and at least `sweep_rate` a
    second (the windows' rate)."""
    return gained > 0 and gained >= sweep_rate * seconds


def part_solver(
    seed: int, params: SearchParameters, interrupt: Interrupt | None = None
) -> windows.WindowSolver:
    """`solve` for the parts of a decomposed search (time windows, employee groups), with
    `seed` and `params`; once `interrupt` has stopped, CANCELLED without a search."""

    def solve_part(
        sub: RosterProblem,
        time_limit: float,
        *,
        hint: Roster | None = None,
        freeze: Roster = (),
        freeze_before_day: int = 0,
        free_days: Collection[int] | None = None,
    ) -> RosterResult:
        if interrupt is not None and interrupt.stopped:
            return RosterResult.no_roster(0.0, "", status=SolveStatus.CANCELLED)
        return solve(
            sub,
            time_limit,
            seed,
            hint=hint,
            freeze=freeze,
            freeze_before_day=freeze_before_day,
            free_days=free_days,
            parameters=params,
        )

    return solve_part


def roster_result(
    problem: RosterProblem,
    roster: Roster,
    *,
    seconds: float,
    bound: int | None = None,
    cancelled: bool = False,
    message: str = "",
) -> RosterResult:
    """A legal roster found without a search of the whole model, as a FEASIBLE result:
    its objective recomputed from the roster (`roster.validate.evaluate`), `bound` (one
    found before, if any) never above it."""
    from roster.validate import evaluate

    terms = evaluate(problem, roster)
    objective = sum(terms.values())
    return RosterResult(
        status=SolveStatus.FEASIBLE,
        objective=objective,
        bound=None if bound is None else min(bound, objective),
        seconds=seconds,
        roster=roster,
        teams=_teams(problem, roster),
        uncovered=explain_uncovered(problem, roster),
        terms=terms,
        kpis=compute_kpis(problem, roster),
        cancelled=cancelled,
        message=message,
    )


def solve(
    problem: RosterProblem,
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 2,
    hint: Roster | None = None,
    *,
    reference: Roster | None = None,
    repair_weights: RepairWeights | None = None,
    parameters: SearchParameters | None = None,
    freeze: Roster = (),
    freeze_before_day: int = 0,
    free_days: Collection[int] | None = None,
    fixed: Mapping[Key, bool] | None = None,
    on_solution: Callable[[int, int], None] | None = None,
    lower_bound: int | None = None,
    good_enough: int | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> RosterResult:
    """Build and solve the roster model.

    `hint`: a roster to start from (warm start). `reference`: a published roster whose
    changes are penalised (used by `repair`). Days before `freeze_before_day` are fixed
    to exactly the assignments in `freeze` (shifts already worked). `free_days`: only
    these days may change; every other day keeps exactly the assignments of `hint`.
    `fixed`: assignments (employee, day, shift, case) held on or off (a repair's past
    and frozen shifts).

    `lower_bound`: a bound on the weighted sum proven elsewhere (column generation, see
    `roster.nrp`); the search stops, proven optimal, once a roster reaches it. Ignored in
    a lexicographic solve.

    `good_enough`: a value of the first priority level (of the weighted sum, when not
    lexicographic) that is worth no more search: that level stops as soon as a roster
    reaches it, FEASIBLE unless it is also proven optimal. A target, not a bound: a
    better roster may exist (`roster.nrp.mend_cover` aims at the cover of the LP).

    `on_solution(objective, bound)` is called whenever a better roster is found, by
    CP-SAT or by the large-neighbourhood search, on the last (or only) priority level;
    the objectives reported strictly decrease. With one weighted sum
    (``lexicographic=False``) they are that sum and its bound. In a lexicographic solve
    the earlier levels report nothing: a value there covers only that level, and the
    total would rise again when the next level starts. The last level's reports add the
    values the earlier levels were fixed at, so the objective is the weighted total and
    the bound is the bound given those levels (as `RosterResult.bound`); a repair's
    changes level counts in neither, as in `objective`. If the result's `objective` is
    not the last value reported (an earlier level ended below the value it was fixed
    at, or a last level that found nothing), one more call carries the result's
    objective and bound, so the last call always matches the result when a roster was
    found.

    The time limit covers the model build. A problem whose whole model would take
    more than `BUILD_SHARE` of it to build (`too_big_to_build`) is not built whole: it
    is solved in time windows (`roster.windows`: a rolling horizon for a first roster,
    then a time-window LNS), FEASIBLE with no bound, or UNKNOWN with the reason in
    `message`.

    `should_stop()` is polled (`roster.interrupt`) while the search runs; once it holds,
    the running CP-SAT search is stopped, no further stage, LNS step or search starts,
    and the result carries the best roster found so far with ``cancelled=True``.
    """
    deadline = Deadline(time_limit)
    params = parameters or SearchParameters(num_workers=num_workers)
    if (
        params.decompose
        and reference is None
        and freeze_before_day == 0
        and free_days is None
        and not fixed
        and not params.deterministic
        and too_big_to_build(problem, time_limit)
    ):
        with Interrupt(should_stop) as interrupt:
            return _solve_by_windows(problem, deadline, seed, params, hint, interrupt)
    with Interrupt(should_stop) as interrupt:
        return _solve(
            problem,
            time_limit,
            seed,
            num_workers,
            hint,
            reference=reference,
            repair_weights=repair_weights,
            parameters=parameters,
            freeze=freeze,
            freeze_before_day=freeze_before_day,
            free_days=free_days,
            fixed=fixed,
            on_solution=on_solution,
            lower_bound=lower_bound,
            good_enough=good_enough,
            interrupt=interrupt,
        )


def with_presolve(problem: RosterProblem, params: SearchParameters) -> SearchParameters:
    """`params` with `light_presolve` decided: as given, else light for a døgnindsats
    (one consultant per shift, priority levels) and full for anything else (the NRP)."""
    if params.light_presolve is not None:
        return params
    light = problem.weights.lexicographic and rotation_applies(problem)
    return dataclasses.replace(params, light_presolve=light)


def _solve(
    problem: RosterProblem,
    time_limit: float,
    seed: int,
    num_workers: int,
    hint: Roster | None,
    *,
    reference: Roster | None,
    repair_weights: RepairWeights | None,
    parameters: SearchParameters | None,
    freeze: Roster,
    freeze_before_day: int,
    free_days: Collection[int] | None,
    fixed: Mapping[Key, bool] | None,
    on_solution: Callable[[int, int], None] | None,
    lower_bound: int | None,
    good_enough: int | None,
    interrupt: Interrupt,
) -> RosterResult:
    started = time.perf_counter()
    params = parameters or SearchParameters(num_workers=num_workers)
    params = with_presolve(problem, params)
    clock = (
        WorkClock(work_per_second=params.work_per_second) if params.deterministic else WallClock()
    )
    begun = clock.now()
    rm = RosterModel(problem, reference=reference, repair_weights=repair_weights)
    built = time.perf_counter() - started
    if freeze_before_day > 0:
        rm.freeze(freeze, freeze_before_day)
    if free_days is not None:
        rm.fix_days(hint or (), set(range(problem.days)) - set(free_days))
    if fixed:
        rm.fix(fixed)
    if hint is None and params.greedy_hint:
        # the greedy roster, or for a døgnindsats a repaired rotation when better
        if by_case.applicable(problem):
            hint = by_case.warm_start(
                problem,
                _case_solver(seed, params, clock, interrupt),
                SEPARATE_SHARE * time_limit,
            )
        else:
            hint = warm_start(problem)
    # a hint that fits the model is a legal roster to fall back on (see below)
    # completing the hint's auxiliary variables counts against the limit like the build
    complete = max(0.1, min(2.0, (time_limit - (clock.now() - begun)) / 4))
    fallback = (
        rm.assignment(hint)
        if hint and rm.add_hint(hint, complete_seconds=complete, clock=clock)
        else None
    )
    levels = rm.level_expressions()
    lexicographic = problem.weights.lexicographic
    plan = (
        list(levels.items())
        if lexicographic
        else [(0, sum(levels.values(), cp_model.LinearExpr.constant(0)))]
    )
    if not plan:
        plan = [(0, cp_model.LinearExpr.constant(0))]
    stages: list[StageResult] = []
    solution: dict[Key, bool] | None = None
    fixed_total = 0
    # what the levels held are proven to cost at least (their bounds): a level held
    # unproven may be lower in the final roster (the cases re-planned alone reached
    # cover 0 where the cover level was held above it), so the bound counts these
    proven_total = 0
    progress = _Progress(on_solution) if on_solution is not None else None
    last_bound = 0
    zero_levels = _levels_at_zero(problem, rm, hint) if lexicographic and hint else set()
    plan_levels = [level for level, _ in plan]
    terms_bound: int | None = None
    # a window of a longer roster (`roster.windows.improve`): its bound is never read
    # (the windows prove none), and the per-term one took 2.6 s of each 8 s window of
    # five cases over 52 weeks, once 12.7 s (a window of 18.6 s on its 8 s limit)
    window = free_days is not None
    for index, (level, expr) in enumerate(plan):
        if interrupt.stopped:
            break
        if level in zero_levels and index < len(plan) - 1:
            # the (legal) hint already reaches 0 on this level, and every term is >= 0:
            # proven optimal without a search; fix the level at 0 and move on
            rm.model.add(expr <= 0)
            stages.append(StageResult(level, SolveStatus.OPTIMAL, 0, 0, 0.0))
            continue
        if index == len(plan) - 1 and lexicographic and reference is None and not window:
            # before the last level's search, so that its time counts in the limit
            terms_bound = _bound_given(problem, stages, plan_levels, params.rhythm_bound)
        current = solution or fallback
        if progress is not None and index == len(plan) - 1 and lexicographic and reference is None:
            # the roster in hand is the first the caller hears of: the cases re-planned
            # alone below take most of the last level's time (five cases, 120 s: 80 s
            # with no report)
            _report_held(progress, problem, rm, current, level, fixed_total, proven_total)
        if (
            index == len(plan) - 1
            and index > 0
            and reference is None
            and current is not None
            and freeze_before_day == 0
            and free_days is None
            and not fixed
            and by_case.applicable(problem)
        ):
            # each case with a crew of its own re-planned alone first (`roster.by_case`)
            solution = _by_case(
                problem,
                rm,
                current,
                time_limit - (clock.now() - begun),
                seed,
                params,
                clock,
                interrupt,
            )
            stages, lowered = _hold_lower_levels(problem, rm, plan, stages, solution)
            if lowered:
                fixed_total -= lowered
                terms_bound = _bound_given(problem, stages, plan_levels, params.rhythm_bound)
            if progress is not None:  # what the cases gained
                _report_held(progress, problem, rm, solution, level, fixed_total, proven_total)
        remaining = time_limit - (clock.now() - begun)
        share = params.level_shares[index] if index < len(params.level_shares) else None
        budget = max(0.05, remaining * share if share else remaining / (len(plan) - index))
        if index == len(plan) - 1:
            budget = max(0.05, remaining)
        rm.model.minimize(expr)
        if lower_bound is not None and not lexicographic:
            _bound_objective(rm.model, lower_bound)
        t0 = time.perf_counter()
        # LNS only on the last level: earlier levels (cover, team size) are proved by
        # the exact search and then fixed
        last = index == len(plan) - 1
        stage_params = params if last else dataclasses.replace(params, lns=False)
        if last and lexicographic and index > 0:
            # the light presolve only where a level's whole search is one CP-SAT run:
            # the last level's LNS gains more from the full presolve (five cases:
            # 2152 and 2236 with it light, 1977-2069 without)
            stage_params = dataclasses.replace(stage_params, light_presolve=False)
        if not last and lexicographic and reference is None and stages:
            # the level's per-term bound (`roster.bound`) given the levels held, as a
            # constraint that cuts no roster off: CP-SAT proves the level once it reaches
            # it (five cases, pool 60: its own bound on the team stays at 23 below the 25
            # it finds, and the whole share went on it)
            earlier = {st.level: st.objective or 0 for st in stages}
            proven = lexicographic_bound(problem, earlier, [level])
            if proven is not None:
                floor = proven - sum(earlier.values())
                rm.model.add(expr >= floor)
                held_at = _start(problem, rm, solution or fallback, level)
                if held_at is not None and held_at[1] <= floor:
                    # the roster in hand (the warm start, or the level before's) already
                    # reaches the bound: proven without a search, whose presolve alone
                    # took 8-19 s of five cases' 55 (pool 60, team 25)
                    solution = held_at[0]
                    rm.model.add(expr <= held_at[1])
                    stages.append(StageResult(level, SolveStatus.OPTIMAL, held_at[1], floor, 0.0))
                    fixed_total += held_at[1]
                    proven_total += floor
                    continue
        report = None
        if progress is not None and last:
            progress.offset, progress.bound_offset = fixed_total, proven_total
            report = progress
        status, value, bound, found = _solve_stage(
            rm,
            budget,
            stage_params,
            seed,
            clock,
            report,
            good_enough if index == 0 else None,
            interrupt,
            start=_start(problem, rm, solution or fallback, level)
            if lexicographic and reference is None
            else None,
        )
        if found is not None:
            stages.append(StageResult(level, status, value, bound, time.perf_counter() - t0))
            solution = found
            if index < len(plan) - 1 and not interrupt.stopped:
                rm.model.add(expr <= value)
                rm.add_hint(_roster_of(solution), clock=clock)
                if level != LEVEL_CHANGES:
                    # `objective` counts the roster's own terms only, not a repair's
                    # changes; the bound and the progress reports stay on that scale
                    fixed_total += value
                    proven_total += max(0, bound)
            else:
                last_bound = bound
        else:
            held = (
                _start(problem, rm, solution or fallback, level)
                if lexicographic
                and reference is None
                and index < len(plan) - 1
                and not interrupt.stopped
                else None
            )
            if held is None:
                stages.append(StageResult(level, status, None, 0, time.perf_counter() - t0))
                break
            # no roster in this level's time (its CP-SAT runs can spend it all in
            # presolve), but the earlier level's roster, or the warm start, is one: hold
            # the level at that roster's value, unproven, and go on to the next
            solution, value = held
            stages.append(
                StageResult(level, SolveStatus.FEASIBLE, value, 0, time.perf_counter() - t0)
            )
            rm.model.add(expr <= value)
            fixed_total += value  # unproven: its bound, 0, adds nothing to proven_total
    seconds = time.perf_counter() - started
    cancelled = interrupt.stopped
    final = stages[-1] if stages else StageResult(0, SolveStatus.UNKNOWN, None, 0, 0.0)
    if solution is None and fallback is not None:
        # no level found a roster in its time (a slow machine, a short limit), but the
        # hint is legal: return it, FEASIBLE, rather than nothing
        solution = fallback
    if solution is None:
        why = {
            SolveStatus.INFEASIBLE: "the hard rules cannot all hold",
            SolveStatus.UNKNOWN: (
                f"no roster within the time limit ({time_limit:.1f} s, of which the model "
                f"build took {built:.1f} s)"
            ),
        }.get(final.status, "")
        return RosterResult.no_roster(
            seconds, why, status=final.status, stages=tuple(stages), cancelled=cancelled
        )
    if final.objective is None or (cancelled and len(stages) < len(plan)):
        # a later level timed out: keep the earlier level's roster, honestly FEASIBLE
        overall = SolveStatus.FEASIBLE
        last_bound = 0
    else:
        overall = (
            SolveStatus.OPTIMAL
            if all(s.status is SolveStatus.OPTIMAL for s in stages)
            else SolveStatus.FEASIBLE
        )
    roster = tuple(sorted(Assignment(d, s, c, e) for (e, d, s, c), on in solution.items() if on))
    from roster.validate import evaluate  # local import: validate is independent of us

    terms = evaluate(problem, roster)
    objective = sum(terms.values())
    if reference is not None:
        changes = _count_changes(reference, roster)
        terms["changes"] = changes
    bound = (proven_total + last_bound) if lexicographic else stages[-1].bound
    if not lexicographic:
        objective = stages[-1].objective if stages[-1].objective is not None else objective
    bound_by = "cp-sat"
    if lexicographic and reference is None and stages and not window:
        # given the levels held (all stages but the last), the later levels have
        # per-term bounds far above the LP's (`roster.bound`)
        if len(stages) < len(plan):  # the last level was not reached
            terms_bound = _bound_given(problem, stages[:-1], plan_levels, params.rhythm_bound)
        if terms_bound is not None and terms_bound > bound:
            bound, bound_by = terms_bound, "terms"
    bound = min(bound, objective)
    if progress is not None:
        progress.finish(objective, bound)
    return RosterResult(
        status=overall,
        objective=objective,
        bound=bound,
        seconds=seconds,
        roster=roster,
        teams=_teams(problem, roster),
        uncovered=explain_uncovered(problem, roster),
        terms=terms,
        kpis=compute_kpis(problem, roster),
        stages=tuple(stages),
        cancelled=cancelled,
        bound_by=bound_by,
    )


class _Progress:
    """`solve`'s `on_solution`, fed by every search of the last level: forwards only
    strictly better values, plus `offset` (the values the earlier levels are fixed at).

    The filter is needed because the last CP-SAT run of a stage starts over and may
    find rosters worse than the LNS result before it reaches it again."""

    def __init__(self, on_solution: Callable[[int, int], None]) -> None:
        self.on_solution = on_solution
        self.offset = 0
        self.bound_offset = 0  # the levels held's bounds (`_solve`'s `proven_total`)
        self.last: int | None = None

    def __call__(self, value: int, bound: int) -> None:
        objective = self.offset + value
        if self.last is not None and objective >= self.last:
            return
        self.last = objective
        self.on_solution(objective, self.bound_offset + bound)

    def finish(self, objective: int, bound: int) -> None:
        if objective != self.last:
            self.last = objective
            self.on_solution(objective, bound)


class _SolutionCallback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[int, int], None] | None, stop_at: int | None) -> None:
        super().__init__()
        self.report = report
        self.stop_at = stop_at

    def on_solution_callback(self) -> None:
        value = round(self.objective_value)
        if self.report is not None:
            self.report(value, round(self.best_objective_bound))
        if self.stop_at is not None and value <= self.stop_at:
            self.stop_search()


def _run(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    clock: WallClock,
    report: Callable[[int, int], None] | None,
    stop_at: int | None = None,
    interrupt: Interrupt | None = None,
) -> cp_model.CpSolverStatus:
    # no callback object unless someone listens or waits for a target: CP-SAT then never
    # calls into Python
    with (interrupt or Interrupt()).watching(solver):
        if report is None and stop_at is None:
            status = solver.solve(model)
        else:
            status = solver.solve(model, _SolutionCallback(report, stop_at))
    clock.spend(solver.deterministic_time)
    return status


def _solve_stage(
    rm: RosterModel,
    budget: float,
    params: SearchParameters,
    seed: int,
    clock: WallClock,
    report: Callable[[int, int], None] | None = None,
    good_enough: int | None = None,
    interrupt: Interrupt | None = None,
    start: tuple[dict[Key, bool], int] | None = None,
) -> tuple[SolveStatus, int, int, dict[Key, bool] | None]:
    """Minimise the model's current objective within `budget` seconds of `clock`, or
    until a roster reaches `good_enough`.

    Without LNS: one CP-SAT run. With LNS: a first CP-SAT run on a fraction of the
    budget; if that is not already optimal, LNS (`roster.lns`) from its solution, then a
    last CP-SAT run hinted with the LNS result to raise the bound (or prove optimality).
    `report(value, bound)` gets every solution of the CP-SAT runs and every LNS
    improvement (with the first run's bound), whether or not it beats the earlier ones.
    Once `interrupt` fires, the stage returns what it has without starting another run.
    `start`: a roster of this model and its value (an earlier level's roster), for the
    LNS to start from when the first run finds none.
    """
    interrupt = interrupt or Interrupt()
    deadline = clock.now() + budget
    first = (
        budget
        if not params.lns
        else max(params.lns_initial_seconds, budget * params.lns_initial_fraction)
    )
    solver = _configure(params, min(first, budget), seed, clock)
    status = SolveStatus.from_cp_sat(_run(solver, rm.model, clock, report, good_enough, interrupt))
    searching = (
        status is SolveStatus.UNKNOWN
        and params.lns
        and deadline - clock.now() > 0.5
        and not interrupt.stopped
    )
    if searching and start is not None:
        # the earlier level's roster is a roster of this one: the LNS takes over from
        # it at once (another CP-SAT run would spend its time in presolve again: five
        # cases, pool 60, 12-20 s a run on the loaded 2-core machine)
        status = SolveStatus.FEASIBLE
        solution, (value, bound) = dict(start[0]), (start[1], 0)
    else:
        if searching:
            # no roster yet: keep searching, but only until the first one (LNS takes over)
            solver = _configure(params, deadline - clock.now(), seed, clock)
            solver.parameters.stop_after_first_solution = True
            status = SolveStatus.from_cp_sat(_run(solver, rm.model, clock, report, None, interrupt))
        if not status.found:
            return status, 0, 0, None
        value, bound = round(solver.objective_value), round(solver.best_objective_bound)
        solution = {key: solver.boolean_value(var) for key, var in rm.x.items()}
    reached = good_enough is not None and value <= good_enough
    if status is SolveStatus.OPTIMAL or not params.lns or reached or interrupt.stopped:
        return status, value, bound, solution
    final = budget * params.lns_final_fraction
    solution, value, _ = improve(
        rm.model,
        rm.x,
        solution,
        value,
        deadline - final,
        seed=seed,
        num_workers=params.num_workers,
        subsolve_seconds=params.lns_subsolve_seconds,
        trouble=rm.trouble_spots(),
        # weekends as a neighbourhood only where a weekend limit ties them to each other
        weekends=rm.problem.weekends if _limits_weekends(rm.problem) else (),
        on_improvement=None if report is None else lambda found: report(found, bound),
        stop_at=max(bound, good_enough or 0),
        clock=clock,
        interrupt=interrupt,
    )
    if value <= bound:
        return SolveStatus.OPTIMAL, value, bound, solution
    if good_enough is not None and value <= good_enough:
        return SolveStatus.FEASIBLE, value, bound, solution
    remaining = deadline - clock.now()
    if remaining > 0.5 and not interrupt.stopped:
        rm.add_hint(_roster_of(solution), complete_seconds=min(2.0, remaining / 4), clock=clock)
        solver = _configure(params, deadline - clock.now(), seed, clock)
        rerun = SolveStatus.from_cp_sat(_run(solver, rm.model, clock, report, None, interrupt))
        if rerun.found:
            bound = max(bound, round(solver.best_objective_bound))
            if round(solver.objective_value) <= value:
                value = round(solver.objective_value)
                solution = {key: solver.boolean_value(var) for key, var in rm.x.items()}
            if rerun is SolveStatus.OPTIMAL:
                return SolveStatus.OPTIMAL, value, value, solution
    return (SolveStatus.OPTIMAL if value <= bound else SolveStatus.FEASIBLE), value, bound, solution


#: Share of the last level's time for re-planning the cases one at a time
#: (`roster.by_case`); the whole model's search has the rest. With crews of their own
#: the cases are independent but for the pool's two peaks, and a case's model is a
#: fifth of the whole: five cases, pool 60, seed 0, the whole model's LNS gained 6 in
#: 20 s after the cases had 3.1 s each (0.5), while 6.6 s a case (0.8) instead of 3.1
#: took their rhythm from 1,336 to 1,211.
BY_CASE_SHARE = 0.8


#: Share of the time limit for each case's first search in the warm start of several
#: cases (`by_case.warm_start`), when its own warm start takes more than the team's
#: bound.
SEPARATE_SHARE = 0.04


def _case_solver(
    seed: int, params: SearchParameters, clock: WallClock, interrupt: Interrupt
) -> by_case.CaseSolver:
    """A case's search on its own (`roster.by_case`): its own model and levels, its
    own clock, charged whole to `clock` when that counts work units."""
    case_params = dataclasses.replace(
        params, decompose=False, light_presolve=None, rhythm_bound=False
    )

    def solve_case(sub: RosterProblem, seconds: float, start: Roster) -> Roster | None:
        if interrupt.stopped or build_seconds(sub) > BUILD_SHARE * seconds:
            return None
        result = solve(
            sub,
            seconds,
            seed,
            hint=start,
            parameters=case_params,
            should_stop=lambda: interrupt.stopped,
        )
        if clock.deterministic:
            # the case's search ran on a clock of its own: charge its whole limit, so
            # that the same problem and seed still give the same roster
            clock.spend(seconds * params.work_per_second)
        return result.roster if result.found else None

    return solve_case


def _by_case(
    problem: RosterProblem,
    rm: RosterModel,
    solution: dict[Key, bool],
    remaining: float,
    seed: int,
    params: SearchParameters,
    clock: WallClock,
    interrupt: Interrupt,
) -> dict[Key, bool]:
    """`solution` with its cases re-planned one at a time in `BY_CASE_SHARE` of
    `remaining` (`by_case.improve`), hinted to `rm`; `solution` itself when that
    roster does not fit the model (the levels held)."""
    solve_case = _case_solver(seed, params, clock, interrupt)
    before = _roster_of(solution)
    after = by_case.improve(problem, before, BY_CASE_SHARE * remaining, solve_case, clock.now)
    if after == before:
        return solution
    if rm.add_hint(after, complete_seconds=min(2.0, remaining / 8), clock=clock):
        return rm.assignment(after)
    rm.add_hint(before, complete_seconds=min(2.0, remaining / 8), clock=clock)
    return solution


def _bound_objective(model: cp_model.CpModel, lower_bound: int) -> None:
    """Start CP-SAT's objective bound at `lower_bound` (valid for every roster, so it
    cuts nothing off), as the objective's own domain rather than a linear constraint:
    `objective >= lower_bound` as a constraint slowed CP-SAT's proofs down (Instance1,
    hinted with its optimum, seeds 0-3: 0.45-7.6 s to prove it against 0.3-0.4 s with
    the domain or with no bound at all)."""
    objective = model.proto.objective
    objective.domain.clear()
    # the domain applies to the objective's terms, before its offset is added
    objective.domain.extend([math.ceil(lower_bound - objective.offset), cp_model.INT_MAX])


def _limits_weekends(problem: RosterProblem) -> bool:
    """Whether any employee may work only so many weekends (`Employee.max_weekends`)."""
    return any(e.max_weekends is not None for e in problem.employees)


def _roster_of(solution: dict[Key, bool]) -> Roster:
    return tuple(sorted(Assignment(d, s, c, e) for (e, d, s, c), on in solution.items() if on))


def _floors(stages: list[StageResult]) -> dict[int, int]:
    """Level → what it costs at least: its search's bound, and never below 0 (every
    term is >= 0; CP-SAT's bound of a level cut short before its first roster is the
    expression's least value, five cases seed 2: -986,400)."""
    return {st.level: max(0, st.bound) for st in stages}


def _bound_given(
    problem: RosterProblem, held: list[StageResult], plan_levels: list[int], rhythm: bool
) -> int | None:
    """`lexicographic_bound` given the levels `held`: at most their values, at least
    their floors; with `rhythm`, with `roster.rhythm_bound`."""
    values = {st.level: st.objective or 0 for st in held}
    return lexicographic_bound(problem, values, plan_levels, floors=_floors(held), rhythm=rhythm)


def _hold_lower_levels(
    problem: RosterProblem,
    rm: RosterModel,
    plan: list[tuple[int, cp_model.LinearExpr]],
    stages: list[StageResult],
    solution: dict[Key, bool],
) -> tuple[list[StageResult], int]:
    """`stages` (the levels held) with the values `solution` reaches where lower, each
    now held there in `rm`, and how much lower they are in all: the cases re-planned
    alone (`roster.by_case`) may reach cover 0 where the cover level was held above it
    unproven (five cases, seed 2: held at 1,440). A level held at its bound is then
    proven at that value, and the later levels' bound follows it (`lexicographic_bound`)."""
    from roster.validate import evaluate

    expressions = dict(plan)
    costs = evaluate(problem, _roster_of(solution))  # once for every level
    reached: dict[int, int] = defaultdict(int)
    for name, term in rm.terms.items():
        reached[term.level] += costs.get(name, 0)
    held: list[StageResult] = []
    lowered = 0
    for st in stages:
        value = reached[st.level]
        if (
            st.objective is not None
            and value < st.objective
            and st.level in expressions
            and st.level != LEVEL_CHANGES
        ):
            rm.model.add(expressions[st.level] <= value)
            lowered += st.objective - value
            st = dataclasses.replace(st, objective=value)
        held.append(st)
    return held, lowered


def _start(
    problem: RosterProblem, rm: RosterModel, solution: dict[Key, bool] | None, level: int
) -> tuple[dict[Key, bool], int] | None:
    """`solution` (a roster of the model, the earlier levels held) with the value of
    priority `level`'s terms for it, recomputed by the validator (the model's terms
    and `evaluate` agree: tests/roster/test_objective.py)."""
    from roster.validate import evaluate

    if solution is None:
        return None
    costs = evaluate(problem, _roster_of(solution))
    return solution, sum(costs.get(n, 0) for n, term in rm.terms.items() if term.level == level)


def _report_held(
    progress: _Progress,
    problem: RosterProblem,
    rm: RosterModel,
    solution: dict[Key, bool] | None,
    level: int,
    fixed_total: int,
    proven_total: int,
) -> None:
    """Report `solution`, a legal roster with the earlier levels held at `fixed_total`,
    to `progress` with no bound beyond those levels' (`proven_total`)."""
    held = _start(problem, rm, solution, level)
    if held is not None:
        progress.offset, progress.bound_offset = fixed_total, proven_total
        progress(held[1], 0)


def _levels_at_zero(problem: RosterProblem, rm: RosterModel, hint: Roster) -> set[int]:
    """Priority levels on which the hint costs nothing, if the hint breaks no hard rule."""
    from roster.validate import evaluate, validate

    if validate(problem, hint):
        return set()
    costs = evaluate(problem, hint)
    levels: dict[int, int] = {}
    for name, term in rm.terms.items():
        if term.variables:
            levels[term.level] = levels.get(term.level, 0) + costs.get(name, 0)
    return {level for level, cost in levels.items() if cost == 0 and level != LEVEL_CHANGES}


def _configure(
    params: SearchParameters, time_limit: float, seed: int, clock: WallClock
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = params.num_workers
    clock.limit(solver, time_limit)
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = params.linearization_level
    solver.parameters.symmetry_level = params.symmetry_level
    solver.parameters.log_search_progress = params.log
    if params.light_presolve:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.max_presolve_iterations = 1
    return solver


def _teams(problem: RosterProblem, roster: Roster) -> dict[str, tuple[str, ...]]:
    teams: dict[str, set[str]] = {c.id: set() for c in problem.cases}
    for a in roster:
        teams[a.case].add(a.employee)
    return {c: tuple(sorted(t)) for c, t in teams.items()}


def _count_changes(reference: Roster, roster: Roster) -> int:
    return len(set(reference) ^ set(roster))


def explain_uncovered(problem: RosterProblem, roster: Roster) -> tuple[UncoveredShift, ...]:
    """Every demand short of staff, language or gender, with the reason in words."""
    from data.languages import closeness

    p = problem
    staff: dict[tuple[str, int, str], list[str]] = {}
    for a in roster:
        staff.setdefault((a.case, a.day, a.shift), []).append(a.employee)
    rank = {"exact": 4, "variety": 3, "dialect": 2, "related": 1, "fallback": 1, "none": 0}
    out = []
    for demand in p.cover:
        on = staff.get((demand.case, demand.day, demand.shift), [])
        missing = max(0, demand.required - len(on))
        case = p.case[demand.case]
        need_lang = bool(case.language and demand.needs_language and demand.required > 0)

        def speaks(eid: str, case: Case = case) -> bool:
            e, language = p.employee[eid], case.language
            return language is not None and any(
                rank[closeness(language, t).value] >= rank[case.min_closeness] for t in e.languages
            )

        no_lang = need_lang and not any(speaks(e) for e in on)
        no_gender = bool(
            demand.gender
            and demand.required > 0
            and not any(p.employee[e].gender == demand.gender for e in on)
        )
        if not (missing or no_lang or no_gender):
            continue
        shift = p.shift[demand.shift]
        reasons: dict[str, int] = {}
        eligible = []
        for e in p.employees:
            why = why_not(p, e, demand.day, shift)
            if why is None:
                eligible.append(e.id)
            else:
                reasons[why.value] = reasons.get(why.value, 0) + 1
        parts = []
        if missing:
            if not eligible:
                parts.append(
                    "no consultant can take this shift ("
                    + ", ".join(f"{k}: {v}" for k, v in sorted(reasons.items()))
                    + ")"
                )
            elif all(e in on for e in eligible):
                parts.append(
                    f"pool too small: all {len(eligible)} consultants who can take this "
                    "shift are already on it"
                )
            else:
                others = len([e for e in eligible if e not in on])
                parts.append(
                    f"{others} more consultants could take it, but all are held by "
                    "working-time rules (rest, hours, consecutive days) or other shifts"
                )
        if no_lang:
            speakers = [e for e in eligible if speaks(e)]
            parts.append(
                f"no available consultant speaks {case.language}"
                if not speakers
                else f"{len(speakers)} speakers of {case.language} are held by "
                "working-time rules or other shifts"
            )
        if no_gender:
            parts.append(f"no {demand.gender} consultant available")
        out.append(
            UncoveredShift(
                demand.case, demand.day, demand.shift, missing, no_lang, no_gender, "; ".join(parts)
            )
        )
    return tuple(out)
