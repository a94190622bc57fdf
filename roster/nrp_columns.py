"""Steps 1-3 of `roster.nrp`'s strategy: column generation's dive as the warm start (its
cover mended where the LP's is better), or the cover-only problem's roster where there
is no dive, then the last search of the whole model hinted with the best start.

The figures behind the settings are in docs/history/bench_nrp.md; why the steps are
what they are, in `roster.nrp`'s docstring.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math

from roster import columns
from roster.clock import WallClock
from roster.decomposed import KnownBound
from roster.forecasts import build_seconds
from roster.model_terms import RepairWeights
from roster.nrp_stages import StageClock, raised_bound
from roster.parameters import SearchParameters
from roster.problem import Roster, RosterProblem
from roster.result import RosterResult, roster_result
from roster.solve import solve
from roster.validate import persons_short, total
from solving.status import SolveStatus

#: Share of the time limit for column generation and its dive (`ROOT_SHARE` of it at
#: most for the root). Instance8's root takes 13 s on a fast 2-core machine and 24 s on
#: a slow one (0.85 s a pricing round), its dive 3–10 s.
COLUMN_SHARE = 0.6
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
#: Share of the time limit spent on the cover-only warm start. 0.3 rather than 0.5:
#: the warm start's cover is good early, and phase 2 needs the time for the requests.
WARM_START_SHARE = 0.3
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


@dataclasses.dataclass(frozen=True)
class Search:
    """One search's steps 1-3: its problem, the time split between its stages, its
    parameters and clock (the work clock in a reproducible search), seed and workers."""

    problem: RosterProblem
    stages: StageClock
    params: SearchParameters
    clock: WallClock
    seed: int
    num_workers: int

    def run(
        self, pool_start: Roster | None = None, floor: KnownBound | None = None
    ) -> RosterResult:
        """Steps 1-3 in what `stages` leaves: the warm starts, then the last search from
        the best of them, or from `pool_start` (a big pool's first roster) where that is
        better. Its bound is the best of the search's, the warm starts' and `floor`."""
        p = self.problem
        bounds = [] if floor is None else [floor.value]  # the capacities' or the weekends'
        starts: list[Roster] = []
        if columns.applicable(p):
            dived, dive_bounds = self.dive_starts(initial=pool_start)
            starts += dived
            bounds += dive_bounds
        if not starts:
            warm, warm_bound = self.cover_only_start()
            starts += warm
            bounds += warm_bound
        start = min(starts, key=lambda r: (persons_short(p, r), total(p, r)), default=None)
        if pool_start is not None and (start is None or total(p, pool_start) < total(p, start)):
            start = pool_start
        return self.last_search(start, max(bounds, default=None))

    def dive_starts(self, initial: Roster | None = None) -> tuple[list[Roster], list[int]]:
        """Step 1: column generation's dive, and its cover mended (`mend_cover`) when it
        leaves more persons short than the LP; the rosters and column generation's bound."""
        p, stages = self.problem, self.stages
        # of the time left: a long horizon's programme may have used some
        plan = column_plan(p)
        column_limit = stages.give(min(stages.time_limit, stages.remaining()) * plan.share)
        generated = columns.generate(
            p,
            column_limit,
            root_share=plan.root_share,
            dives=plan.dives,
            seed=self.seed,
            num_workers=self.num_workers,
            initial=initial,
            clock=self.clock,
        )
        bounds = [] if generated.lower_bound is None else [generated.lower_bound]
        if generated.roster is None or generated.lp_under is None:
            return [], bounds
        dive = generated.roster
        target = math.ceil(generated.lp_under - 1e-6)  # persons the LP leaves short
        target_cost = (
            None if generated.lp_under_cost is None else math.ceil(generated.lp_under_cost - 1e-6)
        )
        if self.num_workers < MEND_MIN_WORKERS or persons_short(p, dive) <= target:
            return [dive], bounds
        mend_limit = stages.give(
            min(stages.remaining() * COVER_REPAIR_SHARE, stages.time_limit * COVER_REPAIR_CAP)
        )
        mended = mend_cover(
            p,
            dive,
            time_limit=mend_limit,
            seed=self.seed,
            parameters=self.params,
            good_enough=target_cost,
        )
        return ([dive, mended.roster] if mended.found else [dive]), bounds

    def cover_only_start(self) -> tuple[list[Roster], list[int]]:
        """Step 2: the cover-only problem's roster, and its bound, which holds for the
        real problem too: dropping requests and charging nothing for over-cover can only
        lower the objective of every roster."""
        warm = solve(
            cover_only(self.problem),
            time_limit=self.stages.give(self.stages.remaining() * WARM_START_SHARE),
            seed=self.seed,
            parameters=self.params,
        )
        return ([warm.roster] if warm.found else []), ([] if warm.bound is None else [warm.bound])

    def last_search(self, start: Roster | None, bound: int | None) -> RosterResult:
        """Step 3: the whole model hinted with `start` for the rest of the time, its
        bound raised to `bound`; `start` itself when too little time is left to build
        the model."""
        p, stages = self.problem, self.stages
        if stages.remaining() < build_seconds(p):
            # too little time left to build the whole model again: the start is the
            # answer (or there is none), rather than a search that would end past the limit
            if start is None:
                return RosterResult.no_roster(
                    stages.deadline.elapsed(),
                    "no roster within the time limit: the warm starts found none",
                )
            return roster_result(
                p,
                start,
                seconds=stages.deadline.elapsed(),
                bound=bound,
                message="the warm start's roster: no time left for a search of the whole model",
            )
        result = solve(
            p,
            time_limit=max(0.1, stages.remaining()),
            seed=self.seed,
            hint=start,
            parameters=_last_search_parameters(p, self.params),
            lower_bound=bound,
        )
        raised = raised_bound(result, bound)
        status = result.status
        if result.found and raised == result.objective:
            status = SolveStatus.OPTIMAL
        return dataclasses.replace(
            result, bound=raised, status=status, seconds=stages.deadline.elapsed()
        )


__all__ = ["ColumnPlan", "Search", "column_plan", "cover_only", "mend_cover"]
