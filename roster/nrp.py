"""Search strategy for benchmark-style problems (Curtois–Qu), on the same engine.

Steps 1-3 are `roster.nrp_columns`, the big pool's path `roster.nrp_pool`, and the time
split between the stages `roster.nrp_stages.StageClock`.

`solve_nrp` finds a warm start, then calls `roster.solve.solve` on the real problem
(the same `RosterModel`, objective machinery and LNS) hinted with it:

1. Warm start, when only cover couples the employees (`roster.columns.applicable`):
   column generation at the root, then a dive that fixes assignments to a roster
   (`roster.columns.generate`). Its roster lies in a far better basin for the LNS than
   any we found otherwise (Instance8: 1304–1316 against 1339–1565 after 60 s), and its
   Lagrangian bound is the strong bound of these problems.
   When the dive's roster leaves more shifts short than the LP does, `mend_cover`
   first finds the least under-cover (exact cover-only search) and, among rosters with
   it, the one with the fewest changes from the dive's roster, which keeps most of the
   dive's requests. Instance8, seeds 0-3: 1309, 1309, 1408, 1309, against 1310, 1323,
   1317, 1402 with the earlier repair (a cover-only LNS, blind to the requests). The
   1408 run: the dive ran out of time 15 short, and the cover level, given half of the
   mend's time, ended 13 short; it now gets `MEND_COVER_SHARE` of it. With one CP-SAT
   worker there is no mend (`MEND_MIN_WORKERS`): it never improved the cover, and the
   last search makes better use of its time.
2. Otherwise (no column generation, or no dive roster), the *cover-only* version of the
   problem (requests dropped, over-cover free): under-cover costs 100 per person and
   dominates these objectives, and without the small request/over-cover terms the
   search reaches good cover much faster. Not after a dive, even one whose cover the
   mend left short: started from scratch it ended further short than the dive
   (Instance8: 15–23 persons against 13), and its time is worth more to step 3
   (Instance8, seeds 0–3: 1310, 1323, 1317, 1402 without it; 1401, 1422, 1445, 1317
   with it; Instance5 alike: 1145–1152 and one 1236, against 1146–1148 and one 1243).
3. The real problem, hinted with the warm start, for the rest of the time.

A horizon of `LONG_HORIZON_DAYS` or more whose rules the per-employee programme states
(`roster.sequences`) takes none of these steps: `roster.solve.solve_in_windows` finds
the programme's roster and rounds of best responses, then alternates sweeps of the
time-window LNS, of the employee-group LNS (`roster.groups`: a few employees freed
over the whole horizon) and a round of best responses (which moves one employee
across the whole horizon, where a window moves many within weeks).

A pool of `columns.PROGRAMME_PRICING_STAFF` or more on a shorter horizon (Instance13:
120 staff, 28 days, 18 shift types) takes none of them either: its weekends planned
together (`roster.weekend_plan`), the programme's first roster held to that plan in its
first pass, then the employee-group LNS for the rest of the time (`roster.nrp_pool`).
Its root LP did not fall in the time left, and the whole model's search (9 s to build)
never improved the start.

On column generation's path, with two or more workers and a limit of
`portfolio.MIN_SECONDS` or more, `solve_nrp` runs steps 1-3 as a portfolio
(`roster.portfolio`): as many searches at once as it has workers, each on its own seed
and one CP-SAT worker, one a process, and keeps the best roster and the best bound.
These searches end in the basin their dive lands in, whatever their time, so two seeds
are worth more than two lanes of one. One benchmark at a time, seed by seed against
one search of two workers: Instance18 seeds 0-5 within 2 % on 3 of 6 (mean 4,517)
against 0 of 6 (4,634); Instance15 seeds 0-7 on 6 of 8 (3,877) against 4 of 8 (3,909).
The long horizons and the big pool search alone (`_warm_started_by_columns`). Figures
in docs/history/bench_nrp.md.

The reported objective and status are those of step 3; the bound is the best of the
three and of the capacities' bound on cover (`roster.cover_bound`: Instance15 3,627,
Instance18 4,157, where the others reached 1,636-3,055 and 3,854-3,877). The long
horizons also bound their weekends (`roster.weekend_plan`: the weekend days' cover and
requests as one integer programme, proven by HiGHS): Instance20 3,980 and Instance22
24,970, where the capacities' bound is 687 and 9,158 (best known 4,769 and 30,241). The
big pool reports its weekend programme's bound instead of the capacities' (Instance13:
1,151 against 317, best known 1,348), which it computes only where the programme proves
none. Measured with scripts/bench_nrp.py (figures in the README).
"""

from __future__ import annotations

import dataclasses
import os
import time

from roster import columns, cover_bound, nrp_columns, nrp_pool, portfolio, sequences, weekend_plan
from roster.clock import WORK_PER_SECOND, WallClock, WorkClock
from roster.decomposed import KnownBound
from roster.forecasts import too_big_to_build
from roster.nrp_stages import StageClock, raised_by
from roster.parameters import SearchParameters
from roster.problem import RosterProblem
from roster.result import RosterResult
from roster.solve import solve, solve_in_windows

#: A horizon this long starts from the per-employee programme's roster
#: (`roster.best_responses`, given `LONG_HORIZON_START_SHARE` of the time) instead of column
#: generation, whose pricing by CP-SAT does not converge on it within a minute; its
#: rounds of best responses improve it, the time-window LNS (`solve_in_windows`) then
#: with the rest.
LONG_HORIZON_DAYS = 120
LONG_HORIZON_START_SHARE = 0.6
#: Share of the time limit at most for the weekend programme's bound on a long horizon
#: (`weekend_plan.plan_weekends`, when `weekend_plan.worth_bounding`): Instance20 3,980
#: in 1.0 s and Instance22 24,970 in 4-9 s of their 300 s (15 s), against the
#: capacities' 687 and 9,158 (best known 4,769 and 30,241); the stand-in's 3 s of 60
#: would not even build it.
WEEKEND_BOUND_SHARE = 0.05
#: Share of the time limit at most for the capacities' bound on cover
#: (`roster.cover_bound.cover_bound`, at most its `MAX_SECONDS`): its tiny model proves
#: Instance18's bound in 0.1 s; Instance15's bound is reached within 2 s, proven in 6.
COVER_BOUND_SHARE = 0.04
#: How a result whose search proved no bound of its own names the one it reports.
BOUND_ON_COVER = "the bound is the capacities' on cover (roster.cover_bound)"
#: Share of each phase for the first CP-SAT run (`SearchParameters` default 0.25): hinted with
#: the warm start it seldom improves it, and the LNS needs the time.
FIRST_RUN_SHARE = 0.1
#: Share of each phase for the last, bound-raising CP-SAT run (`SearchParameters` default 0.1):
#: here the bound is far from reached anyway, so the time goes to LNS instead.
FINAL_RUN_SHARE = 0.03


def solve_nrp(
    problem: RosterProblem,
    time_limit: float = 60.0,
    seed: int = 0,
    num_workers: int = 2,
    *,
    deterministic: bool = False,
    work_per_second: float = WORK_PER_SECOND,
) -> RosterResult:
    """`num_workers` searches at once on as many seeds (`roster.portfolio`), each with
    one CP-SAT worker, the best roster kept: on column generation's path
    (`_warm_started_by_columns`) with two or more workers, a limit of
    `portfolio.MIN_SECONDS` or more, not `deterministic`, and in a process that may
    start others. Otherwise one search, its CP-SAT runs and LNS lanes on
    `num_workers`.

    `deterministic`: a reproducible search (`SearchParameters.deterministic`), its
    limit counted at `work_per_second`: every CP-SAT search on the work clock, the
    stages' limits a fixed split of `time_limit`, column generation's
    pricing on the work clock too (`columns.generate`). Reproducible where the stages
    on the wall clock end on their own: column generation's root and dive, the
    programme's first roster of a long horizon or a big pool and the employee groups
    (small problems, tests)."""
    searches = min(num_workers, os.cpu_count() or 1)
    if (
        searches >= 2
        and time_limit >= portfolio.MIN_SECONDS
        and not deterministic
        and portfolio.can_spawn()
        and _warm_started_by_columns(problem, time_limit)
    ):
        started = time.perf_counter()
        result = portfolio.best_of(
            search_alone, problem, time_limit, portfolio.seeds_for(seed, searches)
        )
        return dataclasses.replace(result, seconds=time.perf_counter() - started)
    return _solve_nrp(
        problem,
        time_limit,
        seed,
        num_workers,
        deterministic=deterministic,
        work_per_second=work_per_second,
    )


def _warm_started_by_columns(problem: RosterProblem, time_limit: float) -> bool:
    """Whether `problem` takes column generation's path (steps 1-3), not the long
    horizons', the big pool's or the decomposed one. Only there does a portfolio pay:
    the others' searches re-solve windows and groups big enough for CP-SAT's two
    workers to count (one search of two workers against the portfolio, seed by seed:
    Instance20 at 300 s 4,986 / 5,022, Instance22 33,936 / 33,948, Instance13 at 60 s
    2,453 / 2,598 and 2,345 / 2,462)."""
    return (
        columns.applicable(problem)
        and not too_big_to_build(problem, time_limit)
        and not _long_horizon(problem)
        and not _big_pool(problem)
    )


def _long_horizon(problem: RosterProblem) -> bool:
    return problem.days >= LONG_HORIZON_DAYS and sequences.applicable(problem)


def _big_pool(problem: RosterProblem) -> bool:
    return (
        len(problem.employees) >= columns.PROGRAMME_PRICING_STAFF
        and columns.applicable(problem)
        and sequences.applicable(problem)
    )


def search_alone(problem: RosterProblem, time_limit: float, seed: int) -> RosterResult:
    """One search with one CP-SAT worker: a portfolio's member (`roster.portfolio`)."""
    return _solve_nrp(problem, time_limit, seed, num_workers=1)


def _solve_nrp(
    problem: RosterProblem,
    time_limit: float,
    seed: int,
    num_workers: int,
    *,
    deterministic: bool = False,
    work_per_second: float = WORK_PER_SECOND,
) -> RosterResult:
    stages = StageClock(time_limit, deterministic)
    if too_big_to_build(problem, time_limit):
        # no whole model in time, and so neither column generation's per-employee
        # models nor a warm start on the whole model: `solve` decomposes it
        whole = SearchParameters(
            num_workers=num_workers, deterministic=deterministic, work_per_second=work_per_second
        )
        result = solve(problem, time_limit=time_limit, seed=seed, parameters=whole)
        return dataclasses.replace(result, seconds=stages.deadline.elapsed())

    params = SearchParameters(
        num_workers=num_workers,
        deterministic=deterministic,
        work_per_second=work_per_second,
        greedy_hint=False,
        lns_initial_fraction=FIRST_RUN_SHARE,
        lns_final_fraction=FINAL_RUN_SHARE,
        # decided once, above, for the whole limit: the stages' shorter limits would
        # otherwise send a model that fits the limit into windows
        decompose=False,
    )
    clock = WorkClock(work_per_second=work_per_second) if deterministic else WallClock()
    long_horizon, big_pool = _long_horizon(problem), _big_pool(problem)
    weekends = None
    if big_pool and weekend_plan.applicable(problem) and not long_horizon:
        # a big pool's weekends first (not on a long horizon's failed path: a year's
        # weekend model is no quick start), and their bound (Instance13: 1,151)
        weekends = nrp_pool.plan_weekends(problem, stages, seed)
    floor = raised_by(None, weekends)
    if floor is None:
        # the capacities' bound on cover (`roster.cover_bound`), in a second or two: far
        # above the root's and CP-SAT's within the minute on Instance15 and 18, and the
        # only bound the long horizons' path reports. Not where the weekend programme
        # proved one: Instance13's (317, against the weekends' 1,151) took 2.2 s of the
        # time its employee groups gain in
        on_cover = cover_bound.cover_bound(
            problem,
            stages.give(min(cover_bound.MAX_SECONDS, time_limit * COVER_BOUND_SHARE)),
            clock=clock,
        )
        floor = None if on_cover is None else KnownBound(on_cover, BOUND_ON_COVER)
    if long_horizon:
        result, floor = _by_windows(problem, stages, params, seed, floor)
        if result.found:
            return result
    pool_start = None
    if big_pool:
        pool_start = nrp_pool.first_roster(problem, stages, weekends)
        if pool_start is not None and nrp_pool.worth_grouping(problem):
            # Instance13 from 5,155: 3,687 after 45 s of groups of 17, where column
            # generation and the whole model's search left it as it was
            return nrp_pool.improve_by_groups(
                problem, pool_start, stages.deadline, seed, params, floor
            )
    steps = nrp_columns.Search(problem, stages, params, clock, seed, num_workers)
    return steps.run(pool_start=pool_start, floor=floor)


def _by_windows(
    problem: RosterProblem,
    stages: StageClock,
    params: SearchParameters,
    seed: int,
    floor: KnownBound | None,
) -> tuple[RosterResult, KnownBound | None]:
    """A long horizon's roster: each employee's best schedule by dynamic programme, its
    best responses, then the time-window LNS (`solve_in_windows`); and `floor` raised to
    the weekend programme's bound where that is worth its time.

    By dynamic programme: in seconds, where column generation's CP-SAT pricing of a
    half-year schedule does not converge and a cover-only CP-SAT search of the whole
    model found 182,366 for Instance20 in 60 s (best known 4,769). The whole model's
    search, hinted with it, ended worse than it began (Instance20: 22,576 to 61,946 in
    60 s, the model too big to improve on it)."""
    weekend_limit = stages.time_limit * WEEKEND_BOUND_SHARE
    if weekend_plan.worth_bounding(problem, weekend_limit):
        # the plan itself is not used here (a first roster held to it was no better:
        # `nrp_pool.WEEKEND_PLAN_SHARE`), its bound is
        stages.give(weekend_limit)
        floor = raised_by(floor, weekend_plan.plan_weekends(problem, weekend_limit, seed))
    result = solve_in_windows(
        problem,
        max(0.1, stages.remaining()),
        seed=seed,
        parameters=dataclasses.replace(params, decompose=True),
        dp_share=LONG_HORIZON_START_SHARE,
        known_bound=floor,
    )
    return dataclasses.replace(result, seconds=stages.deadline.elapsed()), floor


__all__ = ["BOUND_ON_COVER", "LONG_HORIZON_DAYS", "search_alone", "solve_nrp"]
