"""A big pool's path in `roster.nrp` (Instance13: 120 staff, 28 days, 18 shift types):
its weekends planned together (`roster.weekend_plan`), the programme's first roster
held to that plan in its first pass (`roster.best_responses.first_roster`), then the
employee-group LNS (`roster.groups`) for the rest of the time.

Column generation's root does not converge in the time on such a pool (Instance13: LP
4,828 after 14 rounds in 24 s, its dive out of time at 22,400), while the programme's
roster and its best responses reach 5,000-11,000 in 15 s and the groups improve on
that. Where the pool's cover is too big for groups of `groups.MIN_GROUP_SIZE`, the first
roster gives column generation its first columns instead (`roster.nrp_columns`).
Figures: docs/history/bench_nrp.md.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import time

from roster import best_responses, groups, weekend_plan
from roster.clock import Deadline
from roster.decomposed import KnownBound
from roster.forecasts import build_seconds
from roster.nrp_stages import StageClock
from roster.parameters import SearchParameters
from roster.problem import Roster, RosterProblem
from roster.result import RosterResult, roster_result
from roster.solve import part_solver
from roster.validate import total, validate

#: Share of the time left for the programme's first roster of a big pool, before the
#: employee groups (or, where its groups would be too small, column generation). Its
#: rounds of best responses gain little after the first seconds (Instance13 after the
#: weekend plan, seed 0: 5,475 at 2 s, 3,711 at 4 s, 3,621 at rest at 10.5 s), where the
#: groups gain some 60 a second to the end: side by side with 0.25 (10.5 s), 0.12 (5.7
#: s), seeds 0-6, a mean of 2,284 against 2,378, better on 5 of 7 (figures in
#: docs/history/bench_nrp.md).
POOL_START_SHARE = 0.12
#: Share of the time left up to which that roster's first pass may run on past its
#: deadline on a loaded machine (`best_responses.first_roster`'s `finish_by`): it took
#: 1.5-2 s on Instance13, and without a first roster a big pool has no groups to run.
POOL_START_LATEST = 0.25
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
#: Horizon (days) below which a big pool's first roster runs the programmes over the
#: minimised automaton (Instance13, 28 days: 3 times faster) rather than the band of
#: minutes (Instance20, 182 days: better rosters). The threshold where column generation
#: once started pricing by the programme; none measured between.
MINIMISED_START_DAYS = 56
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


def plan_weekends(
    problem: RosterProblem, stages: StageClock, seed: int
) -> weekend_plan.WeekendPlan | None:
    """A big pool's weekends planned together (`roster.weekend_plan`), in
    `WEEKEND_PLAN_SHARE` of the time left, with the programme's bound (Instance13: 1,151)."""
    limit = stages.give(stages.remaining() * WEEKEND_PLAN_SHARE)
    return weekend_plan.plan_weekends(problem, limit, seed=seed)


def first_roster(
    problem: RosterProblem, stages: StageClock, weekends: weekend_plan.WeekendPlan | None = None
) -> Roster | None:
    """The programme's first roster of a big pool, held to the plan of `weekends` in its
    first pass where there is one; None if it found no legal roster."""
    now, left = time.perf_counter(), stages.remaining()
    start = best_responses.first_roster(
        problem,
        now + left * POOL_START_SHARE,
        finish_by=now + left * POOL_START_LATEST,
        minimised=problem.days < MINIMISED_START_DAYS,
        fixed=None if weekends is None else weekends.days,
    )
    if start is not None and validate(problem, start):
        return None
    return start


def worth_grouping(problem: RosterProblem) -> bool:
    """Whether the employee groups (of `POOL_GROUP_SLOTS`) improve a big pool's first
    roster: groups of at least `groups.MIN_GROUP_SIZE` fit."""
    return groups.worth_grouping(problem, POOL_GROUP_SLOTS)


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


__all__ = ["first_roster", "improve_by_groups", "plan_weekends", "worth_grouping"]
