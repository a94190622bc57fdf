"""Large neighbourhood search on the assignment core, for the few-worker setting.

CP-SAT runs its own LNS only beside several full workers; with the 1–2 workers a
loaded machine affords it searches one tree and may end short of the optimum even when
the Lagrangian bound already proves it (OR-Library gapc #6: 2393 found, 2391 proven).
This search improves a solution in small exact steps:

1. free the items of 2–4 agents (picked at random; more agents after a run of
   failures), keep every other item where it is;
2. solve that small model exactly with CP-SAT (the fixed variables vanish in presolve,
   so a step takes milliseconds);
3. keep the result if it is strictly better.

It stops at `goal` (the best any solution can score, so the incumbent is then proven
optimal), after `MAX_STALL` steps without improvement, or at the deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from ortools.sat.python import cp_model

from matcher.core import AssignmentCore, CoreModel, SolveOptions, objective_coefficients
from solving.status import SolveStatus

#: Steps without improvement before the search gives up.
MAX_STALL = 200
#: Steps in all (keeps a deterministic run finite).
MAX_STEPS = 1000
#: Seconds (or deterministic units) one step may take.
STEP_LIMIT = 0.5
#: Agents freed per step: the smallest first, one more after a run of failures.
MIN_AGENTS, MAX_AGENTS = 2, 8


def improve(
    core: AssignmentCore,
    solution: list[int],
    *,
    goal: float,
    options: SolveOptions,
    deadline: float | None,
    should_stop: Callable[[], bool] | None = None,
    on_solution: Callable[[int], None] | None = None,
) -> tuple[list[int], int]:
    """The best solution found (pair per item, -1 = none) and its objective, starting
    from the feasible `solution`. `deadline` is a `time.perf_counter()` instant (None:
    only the step counts stop the search, as a deterministic run needs)."""
    coefficient, constant = objective_coefficients(core)
    value = constant + sum(coefficient[p] for p in solution if p >= 0)
    if core.n_agents < 2:
        return solution, value
    base = CoreModel(core).model
    pairs_of_item: list[list[int]] = [[] for _ in range(core.n_items)]
    for p, i in enumerate(core.pair_item):
        pairs_of_item[i].append(p)
    rng = np.random.default_rng(options.seed)
    stall = 0
    for _ in range(MAX_STEPS):
        if value >= goal - 1e-6 or stall >= MAX_STALL:
            break
        if deadline is not None and time.perf_counter() >= deadline:
            break
        if should_stop is not None and should_stop():
            break
        size = min(MIN_AGENTS + stall // max(4, core.n_agents), MAX_AGENTS, core.n_agents)
        freed_agents = {int(a) for a in rng.choice(core.n_agents, size=size, replace=False)}
        step_limit = STEP_LIMIT
        if deadline is not None:
            step_limit = min(step_limit, max(0.01, deadline - time.perf_counter()))
        better = _step(
            core, base, coefficient, solution, freed_agents, pairs_of_item, options, step_limit
        )
        if better is None:
            stall += 1
            continue
        better_value = constant + sum(coefficient[p] for p in better if p >= 0)
        if better_value > value:
            solution, value, stall = better, better_value, 0
            if on_solution is not None:
                on_solution(value)
        else:
            stall += 1
    return solution, value


def _step(
    core: AssignmentCore,
    base: cp_model.CpModel,
    coefficient: list[int],
    solution: list[int],
    freed_agents: set[int],
    pairs_of_item: list[list[int]],
    options: SolveOptions,
    step_limit: float,
) -> list[int] | None:
    """Re-solve the items of `freed_agents` (and the unplaced ones) among those agents,
    the rest fixed; the new solution, or None if CP-SAT found nothing better."""
    model = base.clone()
    proto = model.proto
    freed_items = [i for i, p in enumerate(solution) if p < 0 or core.pair_agent[p] in freed_agents]
    free_pairs = {
        p for i in freed_items for p in pairs_of_item[i] if core.pair_agent[p] in freed_agents
    }
    chosen = {p for p in solution if p >= 0}
    x = model.get_bool_var_from_proto_index
    for p in range(core.n_pairs):
        if p in free_pairs:
            model.add_hint(x(p), p in chosen)
        else:
            fixed = 1 if p in chosen else 0
            domain = proto.variables[p].domain
            domain[0] = domain[1] = fixed
    # Only a strictly better solution is worth finding: the fixed part scores the same,
    # so the freed pairs must score more than they do now.
    now = sum(coefficient[p] for p in free_pairs if p in chosen)
    model.add(sum(coefficient[p] * x(p) for p in free_pairs) >= now + 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = options.seed
    if options.deterministic:
        solver.parameters.max_deterministic_time = step_limit
    else:
        solver.parameters.max_time_in_seconds = step_limit
    status = SolveStatus.from_cp_sat(solver.solve(model))
    if not status.found:
        return None
    better = [-1] * core.n_items
    for p in range(core.n_pairs):
        if solver.boolean_value(x(p)):
            better[core.pair_item[p]] = p
    return better
