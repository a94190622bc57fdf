"""Search strategy for benchmark-style problems (Curtois–Qu), on the same engine.

`solve_nrp` finds a warm start, then calls `roster.solve.solve` on the real problem
(the same `RosterModel`, objective machinery and LNS) hinted with it:

1. Warm start, when only cover couples the employees (`roster.columns.applicable`):
   column generation at the root, then a dive that fixes assignments to a roster
   (`roster.columns.generate`). Its roster lies in a far better basin for the LNS than
   any we found otherwise (Instance8: 1304–1316 against 1339–1565 after 60 s), and its
   Lagrangian bound is the strong bound of these problems.
   When the dive's roster leaves more shifts short than the LP does, a short
   cover-only search (below) repairs its cover first.
2. Otherwise (no column generation, or no dive roster), the *cover-only* version of the
   problem (requests dropped, over-cover free): under-cover costs 100 per person and
   dominates these objectives, and without the small request/over-cover terms the
   search reaches good cover much faster. Not after a dive, even one whose cover the
   repair left short: started from scratch it ended further short than the dive
   (Instance8: 15–23 persons against 13), and its time is worth more to step 3
   (Instance8, seeds 0–3: 1310, 1323, 1317, 1402 without it; 1401, 1422, 1445, 1317
   with it; Instance5 alike: 1145–1152 and one 1236, against 1146–1148 and one 1243).
3. The real problem, hinted with the warm start, for the rest of the time.

The reported objective and status are those of step 3; the bound is the best of the
three. Measured with scripts/bench_nrp.py (figures in the README).
"""

from __future__ import annotations

import dataclasses
import math
import time

from roster import columns
from roster.problem import Roster, RosterProblem
from roster.solve import RosterResult, SearchParameters, Status, explain_uncovered, solve
from roster.validate import total

#: Share of the time limit for column generation and its dive (`ROOT_SHARE` of it at
#: most for the root). Instance8's root takes 13 s on a fast 2-core machine and 24 s on
#: a slow one (0.85 s a pricing round), its dive 3–10 s.
COLUMN_SHARE = 0.6
ROOT_SHARE = 0.7
#: Most of the remaining time for repairing the dive's cover, and at most a tenth of
#: the time limit (it stops once the cover-only optimum is proven, often far sooner).
COVER_REPAIR_SHARE = 0.25
#: Share of the time limit spent on the cover-only warm start. 0.3 rather than 0.5:
#: the warm start's cover is good early, and phase 2 needs the time for the requests.
WARM_START_SHARE = 0.3
#: Share of each phase for the last, bound-raising CP-SAT run (solve.py default 0.1):
#: here the bound is far from reached anyway, so the time goes to LNS instead.
FINAL_RUN_SHARE = 0.03


def cover_only(problem: RosterProblem) -> RosterProblem:
    """The same problem with requests dropped and over-cover free of charge."""
    cover = tuple(
        dataclasses.replace(c, over_weight=0) if c.over_weight is not None else c
        for c in problem.cover
    )
    return dataclasses.replace(problem, requests=(), cover=cover)


def solve_nrp(
    problem: RosterProblem, time_limit: float = 60.0, seed: int = 0, num_workers: int = 2
) -> RosterResult:
    started = time.perf_counter()

    def remaining() -> float:
        return time_limit - (time.perf_counter() - started)

    params = SearchParameters(
        num_workers=num_workers, greedy_hint=False, lns_final_fraction=FINAL_RUN_SHARE
    )
    bounds: list[int] = []
    starts: list[Roster] = []
    target = 0  # persons missing that a start may leave without a cover search
    if columns.applicable(problem):
        generated = columns.generate(
            problem,
            time_limit * COLUMN_SHARE,
            root_share=ROOT_SHARE,
            seed=seed,
            num_workers=num_workers,
        )
        if generated.lower_bound is not None:
            bounds.append(generated.lower_bound)
        if generated.roster is not None and generated.lp_under is not None:
            starts.append(generated.roster)
            target = math.ceil(generated.lp_under - 1e-6)
    if starts and _missing(problem, starts[0]) > target:
        # the dive left more shifts short than the LP does; the cover-only search often
        # closes that in a second or two, which the full search cannot (Instance8:
        # 13 missing -> 12 in 1 s, then 1304 instead of 1400)
        repaired = solve(
            cover_only(problem),
            time_limit=min(remaining() * COVER_REPAIR_SHARE, time_limit * 0.1),
            seed=seed,
            hint=starts[0],
            parameters=params,
        )
        if repaired.found:
            starts.append(repaired.roster)
    if not starts:
        warm = solve(
            cover_only(problem),
            time_limit=remaining() * WARM_START_SHARE,
            seed=seed,
            parameters=params,
        )
        if warm.found:
            starts.append(warm.roster)
        # the cover-only problem's bound holds for the real one too: dropping requests
        # and charging nothing for over-cover can only lower the objective of every roster
        if warm.bound is not None:
            bounds.append(warm.bound)
    start = min(starts, key=lambda r: (_missing(problem, r), total(problem, r)), default=None)
    result = solve(
        problem,
        time_limit=max(1.0, remaining()),
        seed=seed,
        hint=start,
        parameters=params,
        lower_bound=max(bounds, default=None),
    )
    bound = result.bound
    if bound is not None and result.objective is not None:
        bound = min(result.objective, max([bound, *bounds]))
    status = result.status
    if result.found and bound == result.objective:
        status = Status.OPTIMAL
    return dataclasses.replace(
        result, bound=bound, status=status, seconds=time.perf_counter() - started
    )


def _missing(problem: RosterProblem, roster: Roster) -> int:
    """Persons missing over all demands of `roster`."""
    return sum(u.missing for u in explain_uncovered(problem, roster))
