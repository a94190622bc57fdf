"""A true bound of the batch problem with no candidate limit, when the search is pruned.

With `MatchSettings.max_candidates_per_seat` each seat keeps only its best consultants,
and CP-SAT's bound is that of the pruned model. Here every consultant the vectorised
rules accept (`CandidateIndex.optimistic`: a superset of the feasible pairs, with scores
no lower than the exact ones) is added back to the model's core, and the capacity
relaxation of that larger core (`matcher.lagrange`) bounds every plan of the unpruned
problem: more pairs and higher scores only relax it.

The optimistic scores count the start and preference terms in full, which is what kept
the bound loose. So the relaxation is solved again after scoring exactly the added pairs
its solution takes (each item's best pair at the final prices): an exact score is what the
unpruned model would give the pair, and a pair the static rules or hours reject is
dropped — both keep the core a relaxation of the unpruned problem. The lowest bound of
the rounds is returned.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from matcher.batch_model import BatchModel
from matcher.core import AssignmentCore
from matcher.lagrange import CapacityRelaxation, Relaxation
from matcher.problem import MatchProblem, Role
from matcher.rules import start_day


def widened_core(problem: MatchProblem, model: BatchModel) -> AssignmentCore:
    """The model's core plus an optimistic pair for every consultant seat and every
    consultant the vectorised rules accept that the candidate limit left out (those
    pairs come after the model's own)."""
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
        # the hours of the course's phase on its start day, as the model's own pairs
        share = problem.seat_share(case, seat.role, start_day(problem, case))
        use = (round(seat.hours_of(case) * share * scale), 1)
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
    rounds: int = 4,
) -> Relaxation:
    """The capacity relaxation of the widened core (integer units, as the core), its
    subgradient steered towards `target` (a plan's value), re-solved with exact scores
    for the optimistic pairs it takes (module docstring), within about `seconds`."""
    started = time.perf_counter()
    deadline = started + seconds
    core = widened_core(problem, model)
    exact = np.zeros(core.n_pairs, dtype=bool)
    exact[: model.core.n_pairs] = True
    best: Relaxation | None = None
    setup = 0.0  # seconds a round spends outside the subgradient (rescoring, arrays)
    for done in range(rounds):
        before = time.perf_counter()
        relaxation_of_core = CapacityRelaxation(core)
        # every round is a valid bound: the first may take half the time, a later one
        # what is left of its share
        share = (deadline - time.perf_counter()) / (2 if done == 0 else rounds - done)
        setup = max(setup, time.perf_counter() - before)
        relaxation = relaxation_of_core.solve(
            target, time.perf_counter() + max(0.1, share), max_iterations=300
        )
        if best is None or relaxation.bound < best.bound:
            best = relaxation
        taken = np.flatnonzero((relaxation.pair_bound >= relaxation.bound - 1e-6) & ~exact)
        if len(taken) == 0 or model.index is None:
            break
        before = time.perf_counter()
        if before + 2 * setup >= deadline:
            break  # no time for another round (a time limit is a promise)
        core, exact = _rescored(problem, model, core, exact, taken)
        setup = max(setup, time.perf_counter() - before)
    assert best is not None
    return best


def _rescored(
    problem: MatchProblem,
    model: BatchModel,
    core: AssignmentCore,
    exact: np.ndarray,
    taken: np.ndarray,
) -> tuple[AssignmentCore, np.ndarray]:
    """`core` with the `taken` optimistic pairs scored exactly, or dropped where the
    static rules or hours reject them."""
    assert model.index is not None
    scores = list(core.pair_score)
    keep = np.ones(core.n_pairs, dtype=bool)
    for p in taken.tolist():
        seat = model.seats[core.pair_item[p]]
        case = problem.case_by_id[seat.case_id]
        score = model.index.exact_score(case, seat.role, core.pair_agent[p])
        if score is None:
            keep[p] = False
        else:
            scores[p] = score  # what the unpruned model gives the pair
    exact = exact.copy()
    exact[taken] = True
    picked = np.flatnonzero(keep).tolist()
    rescored = replace(
        core,
        pair_item=tuple(core.pair_item[p] for p in picked),
        pair_agent=tuple(core.pair_agent[p] for p in picked),
        pair_score=tuple(scores[p] for p in picked),
        pair_use=tuple(core.pair_use[p] for p in picked),
    )
    return rescored, exact[keep]
