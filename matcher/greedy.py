"""Greedy baseline: what a planner does by hand — nearest free speaker first.

Running assignments stay where they are (a person does not reshuffle). Open seats are
taken most urgent first, then by requested start; each gets the nearest consultant the
hard rules accept who still has hours and case room. Coordinators: the serving one with
the most room. The solution is scored with the batch objective for comparison.
"""

from __future__ import annotations

import time

from matcher.batch_model import (
    BatchModel,
    BatchResult,
    build_batch_model,
    objective_of,
    solution_result,
)
from matcher.problem import MatchProblem, Role
from solving.status import SolveStatus


def greedy(problem: MatchProblem, model: BatchModel | None = None) -> BatchResult:
    """The baseline as a `BatchResult` (status FEASIBLE, no bound)."""
    started = time.perf_counter()
    model = model or build_batch_model(problem)
    pair_of_item = greedy_pairs(problem, model)
    objective = objective_of(model, pair_of_item) / problem.settings.score_scale
    return solution_result(
        problem,
        model,
        pair_of_item,
        SolveStatus.FEASIBLE,
        objective,
        None,
        None,
        time.perf_counter() - started,
    )


def greedy_pairs(problem: MatchProblem, model: BatchModel) -> list[int]:
    """Chosen pair per item (-1 = none); always feasible for the model."""
    core = model.core
    remaining = [list(cap) for cap in core.capacities]
    pairs_of_item: list[list[int]] = [[] for _ in range(core.n_items)]
    for p, i in enumerate(core.pair_item):
        pairs_of_item[i].append(p)
    pair_of_item = [-1] * core.n_items
    agents_of_case: dict[int, set[int]] = {}

    pool_left = [cap for _, _, cap in core.pools]
    pools_of_agent: dict[int, list[int]] = {}
    for k, (members, _, _) in enumerate(core.pools):
        for agent in members:
            pools_of_agent.setdefault(agent, []).append(k)

    def take(item: int, p: int) -> None:
        pair_of_item[item] = p
        agent = core.pair_agent[p]
        for r, use in enumerate(core.pair_use[p]):
            remaining[agent][r] -= use
        for k in pools_of_agent.get(agent, ()):
            pool_left[k] -= core.pair_use[p][core.pools[k][1]]
        if model.seats[item].role != Role.COORDINATOR:
            agents_of_case.setdefault(model.seats[item].case_id, set()).add(agent)

    def fits(p: int) -> bool:
        agent = core.pair_agent[p]
        return all(use <= remaining[agent][r] for r, use in enumerate(core.pair_use[p])) and all(
            core.pair_use[p][core.pools[k][1]] <= pool_left[k]
            for k in pools_of_agent.get(agent, ())
        )

    # Keep today's relationships, as long as the consultant is not over capacity.
    for item, p in enumerate(core.current_pair):
        taken = agents_of_case.get(model.seats[item].case_id, set())
        if (
            p >= 0
            and fits(p)
            and (model.seats[item].role == Role.COORDINATOR or core.pair_agent[p] not in taken)
        ):
            take(item, p)

    def urgency(item: int) -> tuple[int, object, int]:
        case = problem.case_by_id[model.seats[item].case_id]
        return (case.priority, case.requested_start, item)

    for item in sorted((i for i in range(core.n_items) if pair_of_item[i] < 0), key=urgency):
        seat = model.seats[item]
        taken = agents_of_case.get(seat.case_id, set())
        options = [p for p in pairs_of_item[item] if core.pair_agent[p] not in taken and fits(p)]
        if not options:
            continue
        if seat.role == Role.COORDINATOR:
            best = max(options, key=lambda p: (remaining[core.pair_agent[p]][1], -p))
        else:
            best = min(options, key=lambda p: (model.pair_minutes[p], p))
        take(item, best)
    return pair_of_item
