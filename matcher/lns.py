"""Large neighbourhood search on the assignment core, for the few-worker setting.

CP-SAT runs its own LNS only beside several full workers; with the 1–2 workers a
loaded machine affords it searches one tree and may end short of the optimum even when
the Lagrangian bound already proves it (OR-Library gapc #6: 2393 found, 2391 proven).
This search improves a solution in small exact steps:

1. free the items of 2 agents or more (one at random, the others among the agents its
   items could move to; more agents after a run of failures), keep every other item
   where it is;
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
#: Agents freed per step: two at first, one more after every `GROW_AFTER` failures in
#: a row, up to half the agents (a step proven fruitless takes milliseconds, so larger
#: neighbourhoods are cheap once the small ones are exhausted).
MIN_AGENTS = 2
GROW_AFTER = 5


def improve(
    core: AssignmentCore,
    solution: list[int],
    *,
    goal: float,
    options: SolveOptions,
    deadline: float | None,
    should_stop: Callable[[], bool] | None = None,
    on_solution: Callable[[int], None] | None = None,
    doubtful: np.ndarray | None = None,
) -> tuple[list[int], int]:
    """The best solution found (pair per item, -1 = none) and its objective, starting
    from the feasible `solution`. `deadline` is a `time.perf_counter()` instant (None:
    only the step counts stop the search, as a deterministic run needs). `doubtful`
    marks the pairs no solution reaching `goal` uses (by the Lagrangian pair bounds):
    a step starts from the agent of one of them, so it frees what must move."""
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
    for step in range(MAX_STEPS):
        if value >= goal - 1e-6 or stall >= MAX_STALL:
            break
        if deadline is not None and time.perf_counter() >= deadline:
            break
        if should_stop is not None and should_stop():
            break
        size = min(MIN_AGENTS + stall // GROW_AFTER, max(MIN_AGENTS, core.n_agents // 2))
        if step % 2 == 0:
            agents = _related_agents(core, solution, pairs_of_item, size, rng, doubtful)
            free_pairs = _agent_neighbourhood(core, solution, pairs_of_item, agents)
        else:
            free_pairs = _item_neighbourhood(core, solution, pairs_of_item, size, rng, doubtful)
        step_limit = STEP_LIMIT
        if deadline is not None:
            step_limit = min(step_limit, max(0.01, deadline - time.perf_counter()))
        better = _step(core, base, coefficient, solution, free_pairs, options, step_limit)
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


def _related_agents(
    core: AssignmentCore,
    solution: list[int],
    pairs_of_item: list[list[int]],
    size: int,
    rng: np.random.Generator,
    doubtful: np.ndarray | None,
) -> set[int]:
    """`size` agents: one at random (that of a doubtful chosen pair, if any), then each
    next one drawn among the agents the chosen ones' items could move to (weighted by
    how many could), so the freed items have somewhere to go; at random when none is."""
    suspects = [] if doubtful is None else [p for p in solution if p >= 0 and doubtful[p]]
    if suspects:
        chosen = {core.pair_agent[suspects[int(rng.integers(len(suspects)))]]}
    else:
        chosen = {int(rng.integers(core.n_agents))}
    while len(chosen) < size:
        weight = np.zeros(core.n_agents)
        for i, p in enumerate(solution):
            if p >= 0 and core.pair_agent[p] in chosen:
                for q in pairs_of_item[i]:
                    weight[core.pair_agent[q]] += 1
        weight[list(chosen)] = 0
        if weight.sum() > 0:
            chosen.add(int(rng.choice(core.n_agents, p=weight / weight.sum())))
        else:
            others = [a for a in range(core.n_agents) if a not in chosen]
            chosen.add(int(rng.choice(others)))
    return chosen


def _agent_neighbourhood(
    core: AssignmentCore, solution: list[int], pairs_of_item: list[list[int]], agents: set[int]
) -> set[int]:
    """The pairs that move the items of `agents` (and the unplaced ones) among them."""
    freed_items = [i for i, p in enumerate(solution) if p < 0 or core.pair_agent[p] in agents]
    return {p for i in freed_items for p in pairs_of_item[i] if core.pair_agent[p] in agents}


def _item_neighbourhood(
    core: AssignmentCore,
    solution: list[int],
    pairs_of_item: list[list[int]],
    size: int,
    rng: np.random.Generator,
    doubtful: np.ndarray | None,
) -> set[int]:
    """Every pair of some items: those on a doubtful pair and as many at random as
    `size` agents hold on average, free to go to any agent with room left."""
    count = min(core.n_items, max(1, size * core.n_items // core.n_agents))
    freed = {int(i) for i in rng.choice(core.n_items, size=count, replace=False)}
    if doubtful is not None:
        freed |= {i for i, p in enumerate(solution) if p >= 0 and doubtful[p]}
    return {p for i in freed for p in pairs_of_item[i]}


def _step(
    core: AssignmentCore,
    base: cp_model.CpModel,
    coefficient: list[int],
    solution: list[int],
    free_pairs: set[int],
    options: SolveOptions,
    step_limit: float,
) -> list[int] | None:
    """Re-solve with only `free_pairs` free, every other pair fixed as in `solution`;
    the new solution, or None if CP-SAT found nothing better."""
    model = base.clone()
    proto = model.proto
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
