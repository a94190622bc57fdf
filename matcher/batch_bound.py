"""A true bound of the batch problem with no candidate limit, when the search is pruned.

With `MatchSettings.max_candidates_per_seat` each seat keeps only its best consultants,
and CP-SAT's bound is that of the pruned model. Here every consultant the vectorised
rules accept (`CandidateIndex.optimistic`: a superset of the feasible pairs, with scores
no lower than the exact ones) is added back to the model's core, and the capacity
relaxation of that larger core (`matcher.lagrange`) bounds every plan of the unpruned
problem: more pairs and higher scores only relax it.
"""

from __future__ import annotations

import time
from dataclasses import replace

from matcher.batch_model import BatchModel
from matcher.core import AssignmentCore
from matcher.lagrange import CapacityRelaxation, Relaxation
from matcher.problem import MatchProblem, Role


def widened_core(problem: MatchProblem, model: BatchModel) -> AssignmentCore:
    """The model's core plus an optimistic pair for every consultant seat and every
    consultant the vectorised rules accept that the candidate limit left out."""
    core = model.core
    index = model.index
    if index is None:
        return core
    present: set[tuple[int, int]] = set(zip(core.pair_item, core.pair_agent, strict=True))
    items, agents, scores, uses = (
        list(core.pair_item),
        list(core.pair_agent),
        list(core.pair_score),
        list(core.pair_use),
    )
    scale = problem.settings.hours_scale
    for item, seat in enumerate(model.seats):
        if seat.role == Role.COORDINATOR:
            continue  # coordinator seats are never pruned
        case = problem.case_by_id[seat.case_id]
        members, upper = index.optimistic(case, seat.role)
        use = (round(seat.hours_of(case) * scale), 1)
        for agent, score in zip(members.tolist(), upper.tolist(), strict=True):
            if (item, agent) in present:
                continue
            items.append(item)
            agents.append(agent)
            scores.append(score)
            uses.append(use)
    return replace(
        core,
        pair_item=tuple(items),
        pair_agent=tuple(agents),
        pair_score=tuple(scores),
        pair_use=tuple(uses),
    )


def unpruned_bound(
    problem: MatchProblem,
    model: BatchModel,
    target: float | None,
    seconds: float,
) -> Relaxation:
    """The capacity relaxation of the widened core (integer units, as the core), its
    subgradient steered towards `target` (a plan's value) for at most `seconds`."""
    started = time.perf_counter()
    relaxation = CapacityRelaxation(widened_core(problem, model))
    return relaxation.solve(target, started + seconds, max_iterations=300)
