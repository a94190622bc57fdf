"""Batch re-optimisation: every open seat and every running, unlocked assignment at once.

`optimize(problem, time_limit, seed)` maps the snapshot onto the generic
`AssignmentCore` (`matcher.batch_model.build_batch_model`), solves it with the same CP-SAT
code as the GAP yardstick (`matcher.bounded.solve_bounded`), starting from the greedy baseline,
and reads the answer back as a `BatchResult` (`matcher.batch_model`, where the mapping is
described).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

from matcher.batch_bound import unpruned_bound
from matcher.batch_model import (
    BatchModel,
    BatchResult,
    Change,
    Kpis,
    Placement,
    UnplacedSeat,
    build_batch_model,
    read_solution,
)
from matcher.bounded import solve_bounded
from matcher.core import CoreResult, SolveOptions
from matcher.greedy import greedy_pairs
from matcher.problem import MatchProblem
from solving.status import SolveStatus

#: `optimize` and the types of its result (built in `matcher.batch_model`).
__all__ = ["BatchResult", "Change", "Kpis", "Placement", "UnplacedSeat", "optimize"]


def optimize(
    problem: MatchProblem,
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 8,
    *,
    deterministic: bool = False,
    relative_gap: float = 0.0,
    log: bool = False,
    on_solution: Callable[[float, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    model: BatchModel | None = None,
) -> BatchResult:
    """Re-optimise all seats. Status is honest: OPTIMAL only with a proof; FEASIBLE with
    the bound and gap otherwise; INFEASIBLE or UNKNOWN with no assignment.

    `time_limit` is wall-clock seconds for CP-SAT (deterministic units if
    `deterministic`). Same seed → same result with ``num_workers=1`` or
    ``deterministic=True``; with several workers and a wall-clock limit CP-SAT may return
    a different solution of equal objective. `on_solution(objective, bound)` is called on
    every improving solution, in score points. Candidate pairs per seat can be capped with
    `MatchSettings.max_candidates_per_seat`; the bound is then still one of the problem
    without the cap (`matcher.batch_bound`, computed in the last `UNPRUNED_SHARE` of the
    time), so OPTIMAL needs a plan that reaches it.
    `should_stop()` (a cancelled job) stops the search within a second, keeping the best
    plan found so far. A `model` already built for `problem` is reused (its build then
    does not count against the limit)."""
    scale = problem.settings.score_scale
    report = None
    if on_solution is not None:
        callback = on_solution

        def report(objective: float, bound: float) -> None:
            callback(objective / scale, bound / scale)

    started = time.perf_counter()
    model = model or build_batch_model(problem)
    hint = greedy_pairs(problem, model)  # the baseline doubles as a complete start
    # the build and the greedy start count against a wall-clock limit (not against a
    # deterministic one, which counts CP-SAT's work only)
    spent = 0.0 if deterministic else time.perf_counter() - started
    pruned = problem.settings.max_candidates_per_seat is not None
    reserve = UNPRUNED_SHARE * time_limit if pruned else 0.0
    options = SolveOptions(
        time_limit=max(0.01, time_limit - spent - reserve),
        seed=seed,
        num_workers=num_workers,
        deterministic=deterministic,
        relative_gap=relative_gap,
        log=log,
    )
    result = solve_bounded(
        model.core,
        options,
        hint=hint,
        on_solution=report,
        should_stop=should_stop,
    )
    if pruned and result.objective is not None:
        seconds = max(0.5, time_limit - (time.perf_counter() - started))
        relaxation = unpruned_bound(
            problem, model, result.objective, 1e9 if deterministic else seconds
        )
        result = replace(
            _with_bound(result, relaxation.bound), runtime=time.perf_counter() - started
        )
    return read_solution(problem, model, result)


#: Share of the time limit kept for the bound of the unpruned problem.
UNPRUNED_SHARE = 0.25


def _with_bound(result: CoreResult, bound: float) -> CoreResult:
    """`result` judged against a bound of a larger problem: optimal only if it reaches it."""
    assert result.objective is not None
    proven = math.floor(bound + 1e-6) <= result.objective
    return replace(
        result,
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        bound=float(result.objective) if proven else bound,
    )
