"""Solve the assignment core with a Lagrangian bound and reduced-cost fixing around CP-SAT.

1. A Lagrangian relaxation (`matcher.lagrange.relax`) gives a bound and, per pair, a
   bound on every solution that uses it.
2. Probes (`_probe`): CP-SAT on the core reduced to ``floor(bound)``, the best value
   the bound allows; that model is tiny, so CP-SAT soon finds such a solution (proven:
   it meets the bound) or shows there is none (the bound drops by 1, the next probe
   aims there). A probe that runs out of its time ends the probing.
3. A neighbourhood search (`matcher.lns`) from the start (the hint, the probes' best,
   or a short CP-SAT run) until it meets the bound or stalls.
4. Rounds of CP-SAT (`matcher.core.solve_core`) on the core without the pairs that
   cannot beat the best solution so far (`reduce`): each round's model keeps an
   optimum of the full core, so a round's proof is a proof for the full core. A better
   solution found in a round fixes more pairs for the next.

The reported bound is the smallest of the relaxation's, the probes' and the rounds'
(max(CP-SAT's bound, the solution the round started from)).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from matcher.core import (
    AssignmentCore,
    CoreResult,
    SolveOptions,
    objective_coefficients,
    solve_core,
)
from matcher.lagrange import Relaxation, pairs_reaching, relax
from matcher.lns import improve
from solving.status import SolveStatus

#: Share of the time limit the relaxation may take.
RELAXATION_SHARE = 0.1
#: Without a start, the first round keeps the pairs whose bound is within this share
#: (plus 1) of the relaxation's bound.
FIRST_MARGIN = 0.0005
MAX_ROUNDS = 6
#: Share of the time limit for the neighbourhood search (it usually stops sooner: at
#: the bound or after a run of failures), and for the CP-SAT run that gives it a start.
LNS_SHARE = 0.1
START_SHARE = 0.05
#: Share of the time limit for probing the bound (`_probe`), and the most probes.
PROBE_SHARE = 0.3
MAX_PROBES = 5
#: Times the reduced core is relaxed again to shrink it further.
SHRINK_PASSES = 3
_EPS = 1e-6


def solve_bounded(
    core: AssignmentCore,
    options: SolveOptions = SolveOptions(),
    *,
    hint: list[int] | None = None,
    on_solution: Callable[[float, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    relaxation: Relaxation | None = None,
) -> CoreResult:
    """Same contract as `solve_core` (maximisation, honest status), solved as the module
    docstring says; `options` as for `solve_core`. With `options.deterministic`, the
    relaxation runs a fixed number of steps and every round a deterministic time limit,
    so the same seed gives the same result."""
    started = time.perf_counter()
    time_limit, deterministic = options.time_limit, options.deterministic
    deadline = started + time_limit

    def left() -> float:
        return time_limit if deterministic else max(0.01, deadline - time.perf_counter())

    if relaxation is None:
        relaxation = relax(
            core,
            target=None if hint is None else objective_of(core, hint),
            deadline=None if deterministic else started + RELAXATION_SHARE * time_limit,
        )
    incumbent = hint
    value = None if incumbent is None else objective_of(core, incumbent)
    if value is not None and on_solution is not None:
        on_solution(float(value), relaxation.bound)  # the start is the first solution
    # Without a start, aim just below the relaxation's bound: a solution that good
    # cannot use a pair whose bound is lower, so the round's model is small.
    threshold = relaxation.bound - (FIRST_MARGIN * abs(relaxation.bound) + 1)
    incumbent, value, bound = _probe(
        core,
        relaxation,
        incumbent,
        options,
        None if deterministic else started + PROBE_SHARE * time_limit,
        _progress(on_solution, relaxation.bound, -math.inf),
        should_stop,
    )
    threshold = min(threshold, bound)
    if value is None or value < math.floor(bound + _EPS):
        incumbent, value = _neighbourhood_search(
            core,
            relaxation,
            incumbent,
            threshold if value is None else value + 1,
            math.floor(bound + _EPS),
            options,
            None if deterministic else started + (PROBE_SHARE + LNS_SHARE) * time_limit,
            _progress(on_solution, relaxation.bound, -math.inf),
            should_stop,
        )
    result: CoreResult | None = None
    for _ in range(MAX_ROUNDS):
        if value is not None:
            if math.floor(bound + _EPS) <= value:
                break  # the relaxation alone proves the start optimal
            # Only a strictly better solution matters now. Without a hint, the first
            # threshold stays while it is lower: a model with some room below the goal
            # lets CP-SAT's objective guide it (on gapc #6 the model reduced to exactly
            # floor(bound) left it stuck one above the optimum in 4 runs of 4).
            threshold = value + 1 if hint is not None else min(threshold, value + 1)
        protect = [p for p in (*core.current_pair, *(incumbent or ())) if p >= 0]
        keep = reduce(core, relaxation, threshold, protect, None if deterministic else deadline)
        if keep is None:  # nothing reaches the threshold
            bound = min(bound, threshold - 1)
            if value is not None and value >= threshold - 1:
                break  # the start is optimal
            threshold = bound - 4 * (bound - threshold)
            continue
        sub, pairs = restrict(core, keep)
        result = solve_core(
            sub,
            replace(options, time_limit=left()),
            hint=None if incumbent is None else _to_sub(incumbent, keep),
            on_solution=_progress(on_solution, relaxation.bound, threshold - 1),
            should_stop=should_stop,
        )
        # A solution using a dropped pair scores below the threshold, hence at most
        # threshold − 1 (integer objective).
        if result.bound is not None:
            bound = min(bound, max(result.bound, threshold - 1))
        elif result.status is SolveStatus.INFEASIBLE:
            bound = min(bound, threshold - 1)
        if result.objective is not None and (value is None or result.objective > value):
            incumbent = [int(pairs[p]) if p >= 0 else -1 for p in result.pair_of_item]
            value = result.objective
        if not result.status.proven:
            break  # out of time or stopped from outside
        if value is not None and value >= threshold - 1:
            bound = min(bound, float(value))  # the best overall: proven
            break
        if value is None or value < threshold - 1:  # nothing reaches the threshold: aim lower
            threshold = bound - 4 * (bound - threshold)
    return _result(core, incumbent, value, bound, time.perf_counter() - started, result)


def _probe(
    core: AssignmentCore,
    relaxation: Relaxation,
    incumbent: list[int] | None,
    options: SolveOptions,
    deadline: float | None,
    on_solution: Callable[[float, float], None] | None,
    should_stop: Callable[[], bool] | None,
) -> tuple[list[int] | None, int | None, float]:
    """Aim at the best value the bound allows, ``goal = floor(bound)``: reduced to the
    pairs a solution that good may use, the model is tiny, so CP-SAT either finds such a
    solution (optimal: it meets the bound) or shows there is none (the bound drops to
    goal − 1, and the next probe aims there). Stops at the first probe that runs out of
    its time. The best solution, its value, and the bound."""
    value = None if incumbent is None else objective_of(core, incumbent)
    bound = relaxation.bound
    current = [p for p in core.current_pair if p >= 0]
    for _ in range(MAX_PROBES):
        goal = math.floor(bound + _EPS)
        if value is not None and value >= goal:
            break
        if deadline is not None and time.perf_counter() >= deadline:
            break
        # current pairs stay: a dropped one would lose its stability cost (`restrict`)
        keep = reduce(core, relaxation, goal, current, deadline)
        if keep is None:
            bound = goal - 1
            continue
        sub, pairs = restrict(core, keep)
        limit = PROBE_SHARE * options.time_limit / MAX_PROBES
        if deadline is not None:
            limit = max(0.01, deadline - time.perf_counter())
        probe = solve_core(
            sub,
            replace(options, time_limit=limit),
            on_solution=on_solution,
            should_stop=should_stop,
        )
        if probe.objective is not None and (value is None or probe.objective > value):
            incumbent = [int(pairs[p]) if p >= 0 else -1 for p in probe.pair_of_item]
            value = probe.objective
        if not probe.status.proven:
            break
        # every solution reaching the goal is in the probe's model
        best_here = probe.objective if probe.objective is not None else -math.inf
        bound = min(bound, max(best_here, goal - 1))
    return incumbent, value, bound


def _neighbourhood_search(
    core: AssignmentCore,
    relaxation: Relaxation,
    incumbent: list[int] | None,
    threshold: float,
    goal: int,
    options: SolveOptions,
    deadline: float | None,
    on_solution: Callable[[float, float], None] | None,
    should_stop: Callable[[], bool] | None,
) -> tuple[list[int] | None, int | None]:
    """Improve the start (or a short CP-SAT run's best, without one) by `matcher.lns` on
    the core reduced to `threshold`, until it meets `goal` (the bound, rounded down); the best
    solution and its value (the start's if nothing better was found)."""
    value = None if incumbent is None else objective_of(core, incumbent)
    protect = [p for p in (*core.current_pair, *(incumbent or ())) if p >= 0]
    keep = reduce(core, relaxation, threshold, protect, deadline)
    if keep is None:
        return incumbent, value
    sub, pairs = restrict(core, keep)
    if incumbent is None:
        start_limit = START_SHARE * options.time_limit
        if deadline is not None:
            start_limit = min(start_limit, max(0.01, deadline - time.perf_counter()))
        first = solve_core(sub, replace(options, time_limit=start_limit), on_solution=on_solution)
        if first.objective is None:
            return None, None
        start = list(first.pair_of_item)
    else:
        start = _to_sub(incumbent, keep)
    report = None
    if on_solution is not None:
        forward = on_solution

        def report(objective: int) -> None:
            forward(float(objective), relaxation.bound)

    found, found_value = improve(
        sub,
        start,
        goal=goal,
        doubtful=relaxation.pair_bound[pairs] < goal - _EPS,
        options=options,
        deadline=deadline,
        should_stop=should_stop,
        on_solution=report,
    )
    if value is not None and found_value <= value:
        return incumbent, value
    return [int(pairs[p]) if p >= 0 else -1 for p in found], found_value


def _progress(
    on_solution: Callable[[float, float], None] | None, relaxation_bound: float, floor: float
) -> Callable[[float, float], None] | None:
    """Forward a round's progress with a bound valid for the full core."""
    if on_solution is None:
        return None
    report = on_solution

    def forward(objective: float, bound: float) -> None:
        report(objective, min(relaxation_bound, max(bound, floor)))

    return forward


def _result(
    core: AssignmentCore,
    incumbent: list[int] | None,
    value: int | None,
    bound: float,
    runtime: float,
    last: CoreResult | None,
) -> CoreResult:
    if incumbent is None or value is None:
        status = last.status if last is not None else SolveStatus.UNKNOWN
        return CoreResult(status, None, None if status.proven else bound, runtime, (), ())
    # the objective is an integer: so is the best any solution can reach
    bound = float(math.floor(bound + 1e-6))
    proven = bound <= value or (
        last is not None and last.status is SolveStatus.OPTIMAL and last.objective == value
    )
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    agents = tuple(core.pair_agent[p] if p >= 0 else -1 for p in incumbent)
    return CoreResult(
        status, value, float(value) if proven else bound, runtime, agents, tuple(incumbent)
    )


def reduce(
    core: AssignmentCore,
    relaxation: Relaxation,
    threshold: float,
    protect: list[int],
    deadline: float | None,
) -> np.ndarray | None:
    """Mask of the pairs a solution scoring at least `threshold` may use, shrunk by
    relaxing the reduced core again (fewer pairs, a tighter bound) up to `SHRINK_PASSES`
    times; `protect`ed pairs stay (keeping more is always safe). None if the relaxation
    shows that nothing reaches the threshold."""
    if relaxation.bound < threshold - _EPS:
        return None
    keep = pairs_reaching(core, relaxation, threshold)
    keep[protect] = True
    # Only the knapsack relaxation tightens enough on a smaller core to pay for itself.
    for _ in range(SHRINK_PASSES if relaxation.kind == "knapsack" else 0):
        if deadline is not None and time.perf_counter() >= deadline:
            break
        sub, pairs = restrict(core, keep)
        prices = relaxation.item_value if relaxation.kind == "knapsack" else None
        again = relax(sub, target=threshold, deadline=deadline, prices=prices)
        if again.bound < threshold - _EPS:
            return None
        inner = pairs_reaching(sub, again, threshold)
        if inner.all():
            break
        keep[pairs[~inner]] = False
        keep[protect] = True
    return keep


def restrict(core: AssignmentCore, keep: np.ndarray) -> tuple[AssignmentCore, np.ndarray]:
    """The core with only the kept pairs (every item keeps its place; a current pair
    that is dropped costs its stability as before), and the kept pairs' old indices."""
    pairs = np.flatnonzero(keep)
    new_index = np.full(core.n_pairs, -1, dtype=np.int64)
    new_index[pairs] = np.arange(len(pairs))
    picked = pairs.tolist()
    return (
        replace(
            core,
            pair_item=tuple(core.pair_item[p] for p in picked),
            pair_agent=tuple(core.pair_agent[p] for p in picked),
            pair_score=tuple(core.pair_score[p] for p in picked),
            pair_use=tuple(core.pair_use[p] for p in picked),
            current_pair=tuple(int(new_index[p]) if p >= 0 else -1 for p in core.current_pair),
        ),
        pairs,
    )


def _to_sub(solution: list[int], keep: np.ndarray) -> list[int]:
    new_index = np.cumsum(keep) - 1
    return [int(new_index[p]) if p >= 0 else -1 for p in solution]


def objective_of(core: AssignmentCore, solution: list[int]) -> int:
    """The core objective of a solution (pair per item, -1 = none)."""
    coefficient, constant = objective_coefficients(core)
    return constant + sum(coefficient[p] for p in solution if p >= 0)


def regret_greedy(core: AssignmentCore, value: np.ndarray) -> list[int] | None:
    """A feasible solution placing items most-regret first (the gap between an item's
    best and second-best pair by `value`), each on its best pair that still fits
    capacities, pools and distinct groups; None if a required item finds no room."""
    coefficient, _ = objective_coefficients(core)
    pairs_of_item: list[list[int]] = [[] for _ in range(core.n_items)]
    for p, i in enumerate(core.pair_item):
        pairs_of_item[i].append(p)
    for pairs in pairs_of_item:
        pairs.sort(key=lambda p: (-value[p], p))
    room = [list(cap) for cap in core.capacities]
    pool_room = [cap for _, _, cap in core.pools]
    pools_of_agent: dict[int, list[int]] = {}
    for k, (agents, _, _) in enumerate(core.pools):
        for a in agents:
            pools_of_agent.setdefault(a, []).append(k)
    group_of_item = {i: g for g, group in enumerate(core.distinct_groups) for i in group}
    used_in_group: dict[int, set[int]] = {}

    def fits(p: int) -> bool:
        a, use = core.pair_agent[p], core.pair_use[p]
        if any(u > r for u, r in zip(use, room[a], strict=True)):
            return False
        if any(use[core.pools[k][1]] > pool_room[k] for k in pools_of_agent.get(a, ())):
            return False
        group = group_of_item.get(core.pair_item[p])
        return group is None or a not in used_in_group.get(group, set())

    def regret(i: int) -> float:
        pairs = pairs_of_item[i]
        if len(pairs) < 2:
            return math.inf if pairs else -math.inf
        return float(value[pairs[0]] - value[pairs[1]])

    solution = [-1] * core.n_items
    for i in sorted(range(core.n_items), key=lambda i: (-regret(i), i)):
        choice = next((p for p in pairs_of_item[i] if fits(p)), -1)
        if choice < 0:
            if core.required[i]:
                return None
            continue
        if not core.required[i] and coefficient[choice] <= 0:
            continue  # leaving the optional item out scores better
        a = core.pair_agent[choice]
        for r, u in enumerate(core.pair_use[choice]):
            room[a][r] -= u
        for k in pools_of_agent.get(a, ()):
            pool_room[k] -= core.pair_use[choice][core.pools[k][1]]
        if (group := group_of_item.get(i)) is not None:
            used_in_group.setdefault(group, set()).add(a)
        solution[i] = choice
    return solution
