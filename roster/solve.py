"""`solve(problem, time_limit, seed) -> RosterResult`: the public entry point.

The status is honest: OPTIMAL only when every priority level was proven optimal, FEASIBLE
when a legal roster was found without that proof, INFEASIBLE when the hard rules
cannot all hold, UNKNOWN when the time ran out before any roster was found.

`_solve` builds the whole model and searches its priority levels in stages
(`roster.stages`), each case of several døgnindsats re-planned alone before the last
(`_by_case`); a model too big to build in the time (`roster.forecasts`) is not built,
and the problem is solved in time windows instead (`roster.decomposed`).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Collection, Mapping

from ortools.sat.python import cp_model

from roster import by_case, windows
from roster.bound import lexicographic_bound
from roster.clock import Deadline, WallClock, WorkClock
from roster.decomposed import KnownBound, solve_by_windows
from roster.forecasts import BUILD_SHARE, build_seconds, too_big_to_build
from roster.interrupt import Interrupt
from roster.kpis import compute_kpis
from roster.model import Key, RosterModel
from roster.model_terms import LEVEL_CHANGES, RepairWeights
from roster.parameters import SearchParameters, with_presolve
from roster.problem import Assignment, Roster, RosterProblem
from roster.result import RosterResult, StageResult, explain_uncovered, teams
from roster.rotation import warm_start
from roster.stages import (
    Progress,
    bound_given,
    bound_objective,
    hold_lower_levels,
    level_start,
    levels_at_zero,
    report_held,
    roster_of,
    solve_stage,
)
from solving.status import SolveStatus


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
    better roster may exist (`roster.nrp_columns.mend_cover` aims at the cover of the LP).

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
            return solve_by_windows(problem, deadline, seed, params, hint, interrupt, part_solver)
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
    progress = Progress(on_solution) if on_solution is not None else None
    last_bound = 0
    zero_levels = levels_at_zero(problem, rm, hint) if lexicographic and hint else set()
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
        if (
            index == len(plan) - 1
            and lexicographic
            and reference is None
            and not window
            and params.terms_bound
        ):
            # before the last level's search, so that its time counts in the limit
            terms_bound = bound_given(problem, stages, plan_levels, params.rhythm_bound)
        current = solution or fallback
        if progress is not None and index == len(plan) - 1 and lexicographic and reference is None:
            # the roster in hand is the first the caller hears of: the cases re-planned
            # alone below take most of the last level's time (five cases, 120 s: 80 s
            # with no report)
            report_held(progress, problem, rm, current, level, fixed_total, proven_total)
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
            stages, lowered = hold_lower_levels(problem, rm, plan, stages, solution)
            if lowered:
                fixed_total -= lowered
                terms_bound = bound_given(problem, stages, plan_levels, params.rhythm_bound)
            if progress is not None:  # what the cases gained
                report_held(progress, problem, rm, solution, level, fixed_total, proven_total)
        remaining = time_limit - (clock.now() - begun)
        share = params.level_shares[index] if index < len(params.level_shares) else None
        budget = max(0.05, remaining * share if share else remaining / (len(plan) - index))
        if index == len(plan) - 1:
            budget = max(0.05, remaining)
        rm.model.minimize(expr)
        if lower_bound is not None and not lexicographic:
            bound_objective(rm.model, lower_bound)
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
                held_at = level_start(problem, rm, solution or fallback, level)
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
        status, value, bound, found = solve_stage(
            rm,
            budget,
            stage_params,
            seed,
            clock,
            report,
            good_enough if index == 0 else None,
            interrupt,
            start=level_start(problem, rm, solution or fallback, level)
            if lexicographic and reference is None
            else None,
        )
        if found is not None:
            stages.append(StageResult(level, status, value, bound, time.perf_counter() - t0))
            solution = found
            if index < len(plan) - 1 and not interrupt.stopped:
                rm.model.add(expr <= value)
                rm.add_hint(roster_of(solution), clock=clock)
                if level != LEVEL_CHANGES:
                    # `objective` counts the roster's own terms only, not a repair's
                    # changes; the bound and the progress reports stay on that scale
                    fixed_total += value
                    proven_total += max(0, bound)
            else:
                last_bound = bound
        else:
            held = (
                level_start(problem, rm, solution or fallback, level)
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
    if lexicographic and reference is None and stages and not window and params.terms_bound:
        # given the levels held (all stages but the last), the later levels have
        # per-term bounds far above the LP's (`roster.bound`)
        if len(stages) < len(plan):  # the last level was not reached
            terms_bound = bound_given(problem, stages[:-1], plan_levels, params.rhythm_bound)
        if terms_bound is not None and terms_bound > bound:
            bound, bound_by = terms_bound, "terms"
    bound = min(bound, objective)
    if (
        overall is SolveStatus.FEASIBLE
        and lexicographic
        and len(stages) == len(plan)
        and all(s.status is SolveStatus.OPTIMAL for s in stages[:-1])
        and bound >= objective
    ):
        # the levels before the last proven, and the roster at a proven bound of the
        # rest given them: no roster is better. Where the cases re-planned alone reach
        # the optimum (`roster.by_case`), the whole model's short last search rarely
        # proves it itself
        overall = SolveStatus.OPTIMAL
    if progress is not None:
        progress.finish(objective, bound)
    return RosterResult(
        status=overall,
        objective=objective,
        bound=bound,
        seconds=seconds,
        roster=roster,
        teams=teams(problem, roster),
        uncovered=explain_uncovered(problem, roster),
        terms=terms,
        kpis=compute_kpis(problem, roster),
        stages=tuple(stages),
        cancelled=cancelled,
        bound_by=bound_by,
    )


def _count_changes(reference: Roster, roster: Roster) -> int:
    return len(set(reference) ^ set(roster))


#: Share of the last level's time for re-planning the cases one at a time
#: (`roster.by_case`); the whole model's search has the rest. With crews of their own
#: the cases are independent but for the pool's two peaks, and a case's model is a
#: fifth of the whole: five cases, pool 60, seed 0, the whole model's LNS gained 6 in
#: 20 s after the cases had 3.1 s each (0.5), while 6.6 s a case (0.8) instead of 3.1
#: took their rhythm from 1,336 to 1,211. Once the cases bring the pool's peaks down
#: themselves (`by_case.improve`), the whole model's last 7 s gained 0-3 (seed 3), and
#: 0.9 instead of 0.8 gave 1,192 and 1,199 against 1,206 and 1,207 (seed 0: 1,091
#: against 1,103).
BY_CASE_SHARE = 0.9
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
        params, decompose=False, light_presolve=None, rhythm_bound=False, terms_bound=False
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
    before = roster_of(solution)
    after = by_case.improve(problem, before, BY_CASE_SHARE * remaining, solve_case, clock.now)
    if after == before:
        return solution
    if rm.add_hint(after, complete_seconds=min(2.0, remaining / 8), clock=clock):
        return rm.assignment(after)
    rm.add_hint(before, complete_seconds=min(2.0, remaining / 8), clock=clock)
    return solution


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
    legal (else a first roster as `solve_by_windows` finds one), improved by the
    time-window LNS; never worse than the hint. For a long horizon whose whole model
    builds in time but whose whole-model search does not improve a good start in it
    (`roster.nrp`: Instance20's from 22,576 to 61,946 in 60 s). The windows prove no
    bound: the result's is `known_bound`, if given."""
    deadline = Deadline(time_limit)
    params = parameters or SearchParameters()
    with Interrupt(should_stop) as interrupt:
        return solve_by_windows(
            problem,
            deadline,
            seed,
            params,
            hint,
            interrupt,
            part_solver,
            why="asked for",
            dp_share=dp_share,
            known_bound=known_bound,
        )


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
