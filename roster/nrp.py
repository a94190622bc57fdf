"""Search strategy for benchmark-style problems (Curtois–Qu), on the same engine.

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
first pass, then the employee-group LNS for the rest of the time (`improve_by_groups`).
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
horizons and the big pool also bound their weekends (`roster.weekend_plan`: the weekend
days' cover and requests as one integer programme, proven by HiGHS): Instance13 1,151,
Instance20 3,980 and Instance22 24,970, where the capacities' bound is 317, 687 and
9,158 (best known 1,348, 4,769 and 30,241). Measured with scripts/bench_nrp.py
(figures in the README).
"""

from __future__ import annotations

import dataclasses
import math
import os
import time

from roster import best_responses, columns, cover_bound, groups, portfolio, sequences, weekend_plan
from roster.clock import WORK_PER_SECOND, Deadline, WallClock, WorkClock
from roster.decomposed import KnownBound
from roster.forecasts import build_seconds, too_big_to_build
from roster.model_terms import RepairWeights
from roster.parameters import SearchParameters
from roster.problem import Roster, RosterProblem
from roster.result import RosterResult, roster_result
from roster.solve import part_solver, solve, solve_in_windows
from roster.validate import persons_short, total, validate
from solving.status import SolveStatus

#: Share of the time limit for column generation and its dive (`ROOT_SHARE` of it at
#: most for the root). Instance8's root takes 13 s on a fast 2-core machine and 24 s on
#: a slow one (0.85 s a pricing round), its dive 3–10 s.
COLUMN_SHARE = 0.6
#: A horizon this long starts from the per-employee programme's roster
#: (`roster.best_responses`, given `LONG_HORIZON_START_SHARE` of the time) instead of column
#: generation, whose pricing by CP-SAT does not converge on it within a minute; its
#: rounds of best responses improve it, the time-window LNS (`solve_in_windows`) then
#: with the rest.
LONG_HORIZON_DAYS = 120
LONG_HORIZON_START_SHARE = 0.6
ROOT_SHARE = 0.7
#: From this horizon on column generation gets `LONG_COLUMN_SHARE` of the time, its
#: root `LONG_ROOT_SHARE` of that (12 s of 60), and up to `LONG_DIVES` dives from the
#: root (`columns.generate`'s `dives`: a second one only when the first ends more than
#: `dive.DIVE_AGAIN_SHORT` persons short of the LP). Instance18 (84 days, 22 staff):
#: the dive fixes a slot per employee and day, paced to its deadline
#: (`dive._fixes_per_step`); dives of 8 s ended 4,886-5,341 (the LP 42.5 persons
#: short), of 13 s 4,584-5,231, and the last search ends where its dive leaves it
#: (a root share of 0.7 of 0.6: mean 4,667 over seeds 0-6; 0.5 of 0.6: 4,613). Two
#: dives of up to 15 s, the better kept: dives of 4,603-4,760 where one took 4,693-5,178,
#: and after the last search, seeds 0-7 side by side, a mean of 4,572 against 4,611, the
#: worst 4,613 against 4,712 (figures in docs/history/bench_nrp.md). Since the programme's
#: pricing mends its relaxed optimum (`pricing.REPAIR_PRICING`) the root's LP is flat
#: from about 11 s (seed 0: 4,550 at 9.8 s, 4,544 at 11.4 s, 4,542.5 at its end at
#: 18 s, 42.5 persons short throughout), so a root of 0.25 instead of 0.375 gives the
#: dives 6 s more: side by side with 0.375, seeds 0-5 three times each, a mean of
#: 4,551 against 4,609, better on each seed's mean, within 2 % of 4,459 in 10 of 18
#: runs against 5, the worst 4,625 against 4,813 (figures in docs/history/bench_nrp.md).
#: No other benchmark instance has 56-119 days (Instance15, 42 days, takes
#: `PROGRAMME_ROOT_SHARE`).
LONG_ROOT_DAYS = 56
LONG_COLUMN_SHARE = 0.8
LONG_ROOT_SHARE = 0.25
#: Root share of column generation's time on a horizon priced by the per-employee
#: programme (`columns.PROGRAMME_PRICING_DAYS`) and shorter than `LONG_ROOT_DAYS`
#: (Instance15, 42 days): since its pricing mends the relaxed optimum into a legal
#: column (`programme.EmployeeProgramme.price`'s `repair`), the root's LP reaches 36
#: persons short (the capacities' bound) by 9-12 s and then falls by a few a round
#: (4,168 at 9.5 s, 4,102 at 25 s, seed 0), and the dive, paced to its deadline, is
#: better for the time: with 0.5, dives of 4,754 / 5,030 / 4,629 (seeds 0-2; 42, 45,
#: 41 short) against 5,229 / 5,038 / 6,051 with `ROOT_SHARE`. With the mend, side by
#: side with main, seeds 0-5: mean 4,081 against 4,265, better on 6 of 6 (figures in
#: docs/history/bench_nrp.md).
PROGRAMME_ROOT_SHARE = 0.5
LONG_DIVES = 2
#: Share of the time limit for the programme's first roster of a big pool (see
#: `solve_nrp`), before column generation.
POOL_START_SHARE = 0.25
#: Share of the time left for a big pool's weekend plan (`roster.weekend_plan`), which
#: the first roster's first pass holds each employee to: about 10 s of 60. Instance13's
#: weekends are where its rosters fall short (482 persons demanded on 8 days, 500 weekend
#: shifts at most), and the programme's pass, one employee at a time, left 38 one-day
#: weekends. A probe (the plan, the held pass and 5 s of rounds, then the groups; seeds 0
#: and 1) gave 2,668 and 2,495 with 5 s for the plan, 2,252 and 2,257 with 10 s, 2,564 and
#: 2,633 with 15 s; whole weekends required in the plan, 2,534 and 2,528. The benchmark,
#: seeds 0-9 (figures: docs/history/bench_nrp.md): mean 2,291 against main's 2,693 (2,391
#: with the cover alone in the plan, without the weekend days' requests). Those figures
#: are the CP-SAT plan's; HiGHS has planned since session 32, interleaved with the CP-SAT
#: plan on seeds 0-4: mean 2,465 against 2,587, better on 3 of 5.
WEEKEND_PLAN_SHARE = 0.17
#: Share of the time limit at most for the weekend programme's bound on a long horizon
#: (`weekend_plan.plan_weekends`, when `weekend_plan.worth_bounding`): Instance20 3,980
#: in 1.0 s and Instance22 24,970 in 4-9 s of their 300 s (15 s), against the
#: capacities' 687 and 9,158 (best known 4,769 and 30,241); the stand-in's 3 s of 60
#: would not even build it.
WEEKEND_BOUND_SHARE = 0.05
#: Horizon (days) below which a big pool's first roster runs the programmes over the
#: minimised automaton (Instance13, 28 days: 3 times faster) rather than the band of
#: minutes (Instance20, 182 days: better rosters). The threshold where column generation
#: once started pricing by the programme; none measured between.
MINIMISED_START_DAYS = 56
#: Share of the remaining time for mending the dive's cover (`mend_cover`), and at most
#: `COVER_REPAIR_CAP` of the time limit. Its cover level stops once it reaches the LP's
#: cover (or proves it cannot), often within 1-3 s; the rest goes to keeping close to
#: the dive's roster.
COVER_REPAIR_SHARE = 0.4
COVER_REPAIR_CAP = 0.15
#: Of that, the share for the cover level: from a dive 15 short, Instance8's cover took
#: more than the 4.5 s an equal split left it (13 short) and the changes level needs little.
MEND_COVER_SHARE = 0.75
#: Fewest CP-SAT workers with which the dive's cover is mended. With one, the mend's
#: exact search did not shorten the dive's shortfall, and the seconds it took were
#: missed by the last search; helping that search's LNS towards the LP's cover instead
#: did not pay either. Figures: docs/history/bench_nrp.md.
MEND_MIN_WORKERS = 2
#: Share of the time limit at most for the capacities' bound on cover
#: (`roster.cover_bound.cover_bound`, at most its `MAX_SECONDS`): its tiny model proves
#: Instance18's bound in 0.1 s; Instance15's bound is reached within 2 s, proven in 6.
COVER_BOUND_SHARE = 0.04
#: How a result whose search proved no bound of its own names the one it reports.
BOUND_ON_COVER = "the bound is the capacities' on cover (roster.cover_bound)"
BOUND_ON_WEEKENDS = "the bound is the weekend programme's (roster.weekend_plan)"
#: Share of the time limit spent on the cover-only warm start. 0.3 rather than 0.5:
#: the warm start's cover is good early, and phase 2 needs the time for the requests.
WARM_START_SHARE = 0.3
#: Share of each phase for the first CP-SAT run (`SearchParameters` default 0.25): hinted with
#: the warm start it seldom improves it, and the LNS needs the time.
FIRST_RUN_SHARE = 0.1
#: Seconds at most for each LNS sub-problem of step 3, the last search (`roster.lns`;
#: `SearchParameters.lns_subsolve_seconds`, 1 s elsewhere), on a roster of
#: `SHORT_SUBSOLVE_EMPLOYEE_DAYS` (staff times days) or more. Instance15's LNS (45 staff,
#: 42 days) is still falling fast when its ~20 s end: more, shorter sub-problems gained
#: more there than fewer, longer ones (from the same two dives, 23 s each: mean 4,231 of
#: 8 runs at 0.5 s, 4,321 of 7 at 1 s, 4,296 of 4 at 0.3 s, 4,452 of 3 at 2 s; the
#: benchmark, seeds 0-4: mean 4,219 against 4,321), and Instance18 (22 x 84) too (seeds
#: 0-2: 4,596 against 4,697). Instance8 (30 x 28), within 1 % of its bound when
#: the time ends, needs the longer ones for its last steps: 1,310-1,313 at 0.5 s against
#: 1,305-1,307 at 1 s, seeds 0-3 side by side. Figures: docs/history/bench_nrp.md.
LNS_SUBSOLVE_SECONDS = 0.5
SHORT_SUBSOLVE_EMPLOYEE_DAYS = 1500
#: Share of step 3 for its first CP-SAT run on a roster of `SHORT_SUBSOLVE_EMPLOYEE_DAYS`
#: or more (`FIRST_RUN_SHARE` elsewhere): none beyond `SearchParameters.
#: lns_initial_seconds` (1 s). Hinted with the dive's roster, Instance15's first run
#: only finds the hint (at 0.65 s of 2.7 s, 60 s limit, seed 0), and its LNS is still
#: gaining when the time ends: seeds 0-7 side by side, mean 4,244 against 4,309 (better
#: on 5 of 8). Instance18 (1,848 employee-days) takes it too, unchanged. Figures:
#: docs/history/bench_nrp.md.
LARGE_FIRST_RUN_SHARE = 0.0
#: Share of each phase for the last, bound-raising CP-SAT run (`SearchParameters` default 0.1):
#: here the bound is far from reached anyway, so the time goes to LNS instead.
FINAL_RUN_SHARE = 0.03
#: Shortest first CP-SAT run of a big pool's employee group (`improve_by_groups`; the
#: default is 1 s). Hinted with the group's own complete roster, that run only finds
#: the hint again (Instance13: two groups of 17 of 6 s, at 4,304 and 4,293 after it,
#: as before it), a sixth of the group's time the group's LNS can use instead.
GROUP_FIRST_RUN_SECONDS = 0.2
#: Assignment slots of a big pool's employee group (`improve_by_groups`): 24 of
#: Instance13's 120 (504 demands each), where `groups.GROUP_SLOTS`, which the long
#: horizons' groups keep, gives 17. Its groups are searched for 6 s each, not proven,
#: and a larger group moves more: Instance13 seeds 0-5, two workers, from the
#: same programme roster, 24 a group 2,301 / 2,394 / 2,237 / 2,220 / 2,481 / 2,672
#: (mean 2,384) against 17 a group 2,541 / 2,311 / 2,563 / 2,561 / 2,585 / 2,598
#: (2,527); 30 for 8 s 2,288 / 2,337 / 2,511 (seeds 0-2), 40 for 10 s 2,634, 60 for
#: 15 s 2,539, 8 for 2 s 3,489 (seed 0). Figures: docs/history/bench_nrp.md.
POOL_GROUP_SLOTS = 12_100


def cover_only(problem: RosterProblem) -> RosterProblem:
    """The same problem with requests dropped and over-cover free of charge."""
    cover = tuple(
        dataclasses.replace(c, over_weight=0) if c.over_weight is not None else c
        for c in problem.cover
    )
    return dataclasses.replace(problem, requests=(), cover=cover)


def mend_cover(
    problem: RosterProblem,
    roster: Roster,
    time_limit: float,
    seed: int = 0,
    parameters: SearchParameters | None = None,
    good_enough: int | None = None,
) -> RosterResult:
    """The roster closest to `roster` among those with the least under-cover found.

    Two levels, each an exact CP-SAT search (no LNS): the cover-only problem's
    under-cover first, then the number of assignments changed from `roster`. The dive's
    roster is good on requests but often one person short of the LP's cover, and
    changing as little as possible keeps most of them (Instance8: from the dive's 1409,
    13 short, to 1312, 12 short, with 14 changes; the plain cover-only optimum from the
    same dive was 1334, and a cover-only LNS stayed 13 short on 4 seeds of 4 in 6 s).

    `good_enough`: an under-cover cost at which the cover level stops searching (the
    LP's, from column generation). Proving it optimal is the hard part and not needed:
    Instance5's cover level found the LP's 11 short and then spent its whole 6.7 s
    failing to prove it; it now stops at 0.2-2.6 s and leaves the rest to the changes
    level. When the target is not reached the level still gets its whole share: two
    searches with new seeds and half the time each did no better (Instance8, seeds 1
    and 3: 13 short either way)."""
    params = parameters or SearchParameters(greedy_hint=False)
    cover_first = cover_only(problem)
    cover_first = dataclasses.replace(
        cover_first, weights=dataclasses.replace(cover_first.weights, lexicographic=True)
    )
    return solve(
        cover_first,
        time_limit=time_limit,
        seed=seed,
        hint=roster,
        reference=roster,
        repair_weights=RepairWeights(changed_assignment=1, new_team_member=0),
        parameters=dataclasses.replace(params, lns=False, level_shares=(MEND_COVER_SHARE,)),
        good_enough=good_enough,
    )


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
    deadline = Deadline(time_limit)
    started = deadline.start
    given = 0.0  # the stages' limits so far: a reproducible search's split

    def remaining() -> float:
        """The time left for the next stage: on the wall clock, or in a reproducible
        search the limit less the stages' limits so far, whatever they used (time left
        over on the wall clock would differ between runs)."""
        return max(0.0, time_limit - given) if deterministic else deadline.remaining()

    if too_big_to_build(problem, time_limit):
        # no whole model in time, and so neither column generation's per-employee
        # models nor a warm start on the whole model: `solve` decomposes it
        whole = SearchParameters(
            num_workers=num_workers, deterministic=deterministic, work_per_second=work_per_second
        )
        result = solve(problem, time_limit=time_limit, seed=seed, parameters=whole)
        return dataclasses.replace(result, seconds=deadline.elapsed())

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
    bounds: list[int] = []
    starts: list[Roster] = []
    target = 0  # persons missing that a start may leave without a cover search
    target_cost: int | None = None  # their under-cover cost
    # the capacities' bound on cover (`roster.cover_bound`), in a second or two: far
    # above the root's and CP-SAT's within the minute on Instance15 and 18, and the
    # only bound the long horizons' and the big pool's paths report
    bound_limit = min(cover_bound.MAX_SECONDS, time_limit * COVER_BOUND_SHARE)
    given += bound_limit
    on_cover = cover_bound.cover_bound(problem, bound_limit, clock=clock)
    floor = None if on_cover is None else KnownBound(on_cover, BOUND_ON_COVER)
    if _long_horizon(problem):
        weekend_limit = time_limit * WEEKEND_BOUND_SHARE
        if weekend_plan.worth_bounding(problem, weekend_limit):
            # the plan itself is not used here (a first roster held to it was no
            # better: `WEEKEND_PLAN_SHARE`), its bound is
            given += weekend_limit
            floor = _raised_by(floor, weekend_plan.plan_weekends(problem, weekend_limit, seed))
        # each employee's best schedule by dynamic programme: in seconds, where column
        # generation's CP-SAT pricing of a half-year schedule does not converge and a
        # cover-only CP-SAT search of the whole model found 182,366 for Instance20 in
        # 60 s (best known 4,769). Its best responses, then the time-window LNS, improve
        # it: the whole model's search, hinted with it, ended worse than it began
        # (Instance20: 22,576 to 61,946 in 60 s, the model too big to improve on it)
        result = solve_in_windows(
            problem,
            max(0.1, remaining()),
            seed=seed,
            parameters=dataclasses.replace(params, decompose=True),
            dp_share=LONG_HORIZON_START_SHARE,
            known_bound=floor,
        )
        if result.found:
            return dataclasses.replace(result, seconds=deadline.elapsed())
    pool_start: Roster | None = None
    if _big_pool(problem):
        # a pool this big: column generation's root does not converge in the time
        # (Instance13: LP 4,828 after 14 rounds in 24 s, its dive out of time at 22,400),
        # the programme's roster and best responses reach 5,000-11,000 in 15 s. The
        # employee groups improve it (or, too big a cover for groups of
        # `groups.MIN_GROUP_SIZE`, it is column generation's first columns); the
        # programme runs over the minimised automaton: 3 times faster on a short
        # horizon (more rounds of best responses in the same time); long horizons keep
        # the band of minutes. Its weekends are planned first (`WEEKEND_PLAN_SHARE`), not
        # on a long horizon's failed path: a year's weekend model is no quick start
        weekends = None
        if weekend_plan.applicable(problem) and not _long_horizon(problem):
            plan_limit = remaining() * WEEKEND_PLAN_SHARE
            given += plan_limit
            weekends = weekend_plan.plan_weekends(problem, plan_limit, seed=seed)
            floor = _raised_by(floor, weekends)  # Instance13: 1,151 against 317
        pool_start = best_responses.first_roster(
            problem,
            time.perf_counter() + remaining() * POOL_START_SHARE,
            minimised=problem.days < MINIMISED_START_DAYS,
            fixed=None if weekends is None else weekends.days,
        )
        if pool_start is not None and validate(problem, pool_start):
            pool_start = None
        if pool_start is not None and groups.worth_grouping(problem, POOL_GROUP_SLOTS):
            # Instance13 from 5,155: 3,687 after 45 s of groups of 17, where column
            # generation and the whole model's search left it as it was
            return improve_by_groups(problem, pool_start, deadline, seed, params, floor)
    if floor is not None:
        bounds.append(floor.value)  # the capacities' or, where higher, the weekends'
    if columns.applicable(problem) and not starts:
        # of the time left: a long horizon's programme may have used some
        plan = column_plan(problem)
        column_limit = min(time_limit, remaining()) * plan.share
        given += column_limit
        generated = columns.generate(
            problem,
            column_limit,
            root_share=plan.root_share,
            dives=plan.dives,
            seed=seed,
            num_workers=num_workers,
            initial=pool_start,
            clock=clock,
        )
        if generated.lower_bound is not None:
            bounds.append(generated.lower_bound)
        if generated.roster is not None and generated.lp_under is not None:
            starts.append(generated.roster)
            target = math.ceil(generated.lp_under - 1e-6)
            if generated.lp_under_cost is not None:
                target_cost = math.ceil(generated.lp_under_cost - 1e-6)
    if starts and num_workers >= MEND_MIN_WORKERS and persons_short(problem, starts[0]) > target:
        mend_limit = min(remaining() * COVER_REPAIR_SHARE, time_limit * COVER_REPAIR_CAP)
        given += mend_limit
        mended = mend_cover(
            problem,
            starts[0],
            time_limit=mend_limit,
            seed=seed,
            parameters=params,
            good_enough=target_cost,
        )
        if mended.found:
            starts.append(mended.roster)
    if not starts:
        warm_limit = remaining() * WARM_START_SHARE
        given += warm_limit
        warm = solve(
            cover_only(problem),
            time_limit=warm_limit,
            seed=seed,
            parameters=params,
        )
        if warm.found:
            starts.append(warm.roster)
        # the cover-only problem's bound holds for the real one too: dropping requests
        # and charging nothing for over-cover can only lower the objective of every roster
        if warm.bound is not None:
            bounds.append(warm.bound)
    start = min(starts, key=lambda r: (persons_short(problem, r), total(problem, r)), default=None)
    if pool_start is not None and (
        start is None or total(problem, pool_start) < total(problem, start)
    ):
        start = pool_start
    if remaining() < build_seconds(problem):
        # too little time left to build the whole model again: the start is the answer
        # (or there is none), rather than a search that would end past the limit
        if start is None:
            return RosterResult.no_roster(
                deadline.elapsed(), "no roster within the time limit: the warm starts found none"
            )
        return roster_result(
            problem,
            start,
            seconds=deadline.elapsed(),
            bound=max(bounds, default=None),
            message="the warm start's roster: no time left for a search of the whole model",
        )
    result = solve(
        problem,
        time_limit=max(0.1, remaining()),
        seed=seed,
        hint=start,
        parameters=_last_search_parameters(problem, params),
        lower_bound=max(bounds, default=None),
    )
    bound = raised_bound(result, max(bounds, default=None))
    status = result.status
    if result.found and bound == result.objective:
        status = SolveStatus.OPTIMAL
    return dataclasses.replace(
        result, bound=bound, status=status, seconds=time.perf_counter() - started
    )


def improve_by_groups(
    problem: RosterProblem,
    start: Roster,
    deadline: Deadline,
    seed: int,
    params: SearchParameters,
    floor: KnownBound | None = None,
) -> RosterResult:
    """A big pool's roster: the employee-group LNS (`roster.groups`, groups of
    `POOL_GROUP_SLOTS`) from `start` until `deadline`, each group re-planned over the
    whole horizon by `solve`. Instead of
    column generation and a search of the whole model, which gained nothing on it
    (Instance13, 120 staff: the programme's 5,760 was the answer after 60 s, the root
    LP 2 rounds old, the whole model 9 s to build); groups of 17 from a programme
    roster of 5,155 reached 3,687 in 45 s. Its bound is `floor`, if any: the weekend
    programme's (`roster.weekend_plan`: Instance13 1,151
    against a best known 1,348) or the capacities' (`roster.cover_bound`: 317); the root
    did not get to one worth reporting (179)."""
    roster, _value, searched = groups.improve(
        problem,
        start,
        int(total(problem, start)),
        deadline,
        part_solver(seed, dataclasses.replace(params, lns_initial_seconds=GROUP_FIRST_RUN_SECONDS)),
        total,
        seed=seed,
        build_estimate=build_seconds,
        slots=POOL_GROUP_SLOTS,
    )
    return roster_result(
        problem,
        roster,
        seconds=deadline.elapsed(),
        bound=None if floor is None else floor.value,
        message=(
            f"a big pool: the programme's roster, then {searched} employee groups "
            "re-solved over the whole horizon; " + ("no bound" if floor is None else floor.source)
        ),
    )


@dataclasses.dataclass(frozen=True)
class ColumnPlan:
    share: float  #: of the time limit, for column generation
    root_share: float  #: of that, for its root (the dives have the rest)
    dives: int


def column_plan(problem: RosterProblem) -> ColumnPlan:
    """How column generation's time is spent on `problem`."""
    if problem.days < columns.PROGRAMME_PRICING_DAYS:
        return ColumnPlan(COLUMN_SHARE, ROOT_SHARE, 1)
    if problem.days < LONG_ROOT_DAYS:
        return ColumnPlan(COLUMN_SHARE, PROGRAMME_ROOT_SHARE, 1)
    return ColumnPlan(LONG_COLUMN_SHARE, LONG_ROOT_SHARE, LONG_DIVES)


def _last_search_parameters(problem: RosterProblem, params: SearchParameters) -> SearchParameters:
    """`params` for step 3: on a roster of `SHORT_SUBSOLVE_EMPLOYEE_DAYS` or more, the
    LNS's sub-problems shorter (`LNS_SUBSOLVE_SECONDS`) and the first CP-SAT run at its
    shortest (`LARGE_FIRST_RUN_SHARE`); smaller rosters keep `params` as they are."""
    if len(problem.employees) * problem.days < SHORT_SUBSOLVE_EMPLOYEE_DAYS:
        return params
    return dataclasses.replace(
        params,
        lns_subsolve_seconds=LNS_SUBSOLVE_SECONDS,
        lns_initial_fraction=LARGE_FIRST_RUN_SHARE,
    )


def _raised_by(
    floor: KnownBound | None, weekends: weekend_plan.WeekendPlan | None
) -> KnownBound | None:
    """`floor` raised to the weekend programme's bound where that is higher."""
    if weekends is None or weekends.bound is None:
        return floor
    if floor is not None and floor.value >= weekends.bound:
        return floor
    return KnownBound(weekends.bound, BOUND_ON_WEEKENDS)


def raised_bound(result: RosterResult, floor: int | None) -> int | None:
    """`result`'s bound raised to `floor` (a bound found before it), never above its
    objective."""
    known = [b for b in (result.bound, floor) if b is not None]
    if not known or result.objective is None:
        return max(known, default=None)
    return min(max(known), result.objective)
