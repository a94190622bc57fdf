"""Lagrangian bounds, reduced-cost fixing and the bounded solve, on instances small enough
to check by hand or by enumerating every assignment."""

from __future__ import annotations

import itertools
import random
from pathlib import Path

import numpy as np
import pytest

from matcher.bounded import _result as bounded_result
from matcher.bounded import reduce, regret_greedy, solve_bounded
from matcher.core import AssignmentCore, SolveOptions
from matcher.gap import gap_core
from matcher.lagrange import CapacityRelaxation, KnapsackRelaxation, pairs_reaching, relax
from matcher.read import GapInstance, read_gap
from solving.status import SolveStatus

TINY = Path(__file__).parent.parent / "data" / "tiny_gap.txt"


def two_by_two() -> AssignmentCore:
    """Two jobs, two agents that hold one job each (use 1, capacity 1); profits
    job 0: agent 0 → 10, agent 1 → 1; job 1: agent 0 → 9, agent 1 → 8.
    Optimum 18 (job 0 → agent 0, job 1 → agent 1); the other assignment gives 1 + 9 = 10.
    Pricing agent 0's capacity at λ0 = 1 (agent 1's at 0): L = 1 + max(9, 1) + max(8, 8)
    = 18, so the capacity bound is 18, the optimum."""
    return gap_core(GapInstance("2x2", ((10, 9), (1, 8)), ((1, 1), (1, 1)), (1, 1)), "max")


def test_capacity_bound_of_two_by_two_reaches_the_optimum_and_fixes_pairs():
    core = two_by_two()  # pairs: 0 = (job 0, agent 0), 1 = (0, 1), 2 = (1, 0), 3 = (1, 1)
    relaxation = CapacityRelaxation(core).solve(target=18, deadline=None, max_iterations=300)
    assert 18 - 1e-9 <= relaxation.bound < 19  # valid, and its floor proves 18
    # Job 0 on agent 1 can reach at most 18 − 9 + (1 − 0) = 10 at λ = (1, 0): below 18.
    assert relaxation.pair_bound[1] < 18
    # Without job 0 on agent 0, job 0 takes agent 1: again at most 10, so that pair is
    # needed and its job keeps it alone.
    assert relaxation.without_bound[0] < 18
    keep = pairs_reaching(core, relaxation, 18)
    assert keep.tolist() == [True, False, True, True]


def test_bounded_solve_proves_two_by_two_without_cp_sat_search():
    result = solve_bounded(two_by_two(), SolveOptions(time_limit=5, num_workers=1), hint=[1, 2])
    # the start (job 0 → agent 1, job 1 → agent 0) scores 10; the optimum is 18
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 18 and result.bound == 18
    assert result.agent_of_item == (0, 1)


def test_knapsack_bound_is_tighter_than_capacity_bound_on_tiny_gap():
    """tiny_gap (max): profits agent 0 (6, 4, 5), agent 1 (3, 8, 2); uses (4, 3, 3) and
    (2, 4, 2); capacities 6 and 5. Optimum 12 (jobs → agents 1, 0, 0): job 2 fits beside
    job 1 on agent 0 only. The LP, which the capacity relaxation approaches, is 18.25
    (job 0 split 3/4 on agent 0, 1/4 on agent 1, job 1 on agent 1, job 2 on agent 0).
    The knapsack relaxation only mixes sets that fit an agent whole (agent 0: {0}, {1},
    {2}, {1, 2}; agent 1: {0}, {1}, {2}, {0, 2}); its best mix is half of {0} + {1, 2}
    on agent 0 and half of {1} + {0, 2} on agent 1: (6 + 9 + 8 + 5) / 2 = 14."""
    (instance,) = read_gap(TINY)
    core = gap_core(instance, "max")
    capacity = CapacityRelaxation(core).solve(target=12, deadline=None, max_iterations=300)
    knapsack = KnapsackRelaxation.of(core)
    assert knapsack is not None
    strong = knapsack.solve(target=12, deadline=None, max_iterations=300, start=capacity)
    assert capacity.bound >= 18.25 - 1e-6
    assert strong.kind == "knapsack" and 14 - 1e-6 <= strong.bound < 14.1
    assert relax(core, target=12).bound == pytest.approx(strong.bound)


def _enumerate(instance: GapInstance) -> dict[tuple[int, ...], int]:
    """Every feasible assignment (agent per job) of a tiny instance and its profit."""
    found = {}
    for agents in itertools.product(range(instance.n_agents), repeat=instance.n_jobs):
        load = [0] * instance.n_agents
        for j, a in enumerate(agents):
            load[a] += instance.use[a][j]
        if all(u <= c for u, c in zip(load, instance.capacity, strict=True)):
            found[agents] = sum(instance.cost[a][j] for j, a in enumerate(agents))
    return found


def _random_gap(seed: int, agents: int = 3, jobs: int = 6) -> GapInstance:
    rng = random.Random(seed)
    use = tuple(tuple(rng.randint(2, 9) for _ in range(jobs)) for _ in range(agents))
    cost = tuple(tuple(rng.randint(1, 20) for _ in range(jobs)) for _ in range(agents))
    capacity = tuple(int(0.8 * sum(row) / agents) + 3 for row in use)
    return GapInstance(f"random{seed}", cost, use, capacity)


@pytest.mark.parametrize("seed", range(8))
def test_pair_bounds_hold_and_fixing_keeps_every_optimum(seed):
    """Against every feasible assignment: the bound is at least the optimum, a pair's
    bound at least every assignment using it, its without-bound at least every
    assignment not using it; so fixing at the optimum keeps every optimal assignment."""
    instance = _random_gap(seed)
    solutions = _enumerate(instance)
    assert solutions, "the generator leaves room for a feasible assignment"
    core = gap_core(instance, "max")
    pair = {(core.pair_item[p], core.pair_agent[p]): p for p in range(core.n_pairs)}
    optimum = max(solutions.values())
    relaxation = relax(core, target=optimum)
    assert relaxation.bound >= optimum - 1e-6
    for agents, value in solutions.items():
        used = {pair[(j, a)] for j, a in enumerate(agents)}
        assert all(relaxation.pair_bound[p] >= value - 1e-6 for p in used)
        unused = set(range(core.n_pairs)) - used
        assert all(relaxation.without_bound[p] >= value - 1e-6 for p in unused)
    keep = pairs_reaching(core, relaxation, optimum)
    for agents, value in solutions.items():
        if value == optimum:
            assert all(keep[pair[(j, a)]] for j, a in enumerate(agents))
    # Nothing scores optimum + 1, and when the relaxation shows it the model is empty.
    shown = reduce(core, relaxation, optimum + 1, [], None)
    assert shown is None or not np.all(shown)


@pytest.mark.parametrize("seed", range(4))
def test_bounded_solve_finds_the_enumerated_optimum(seed):
    instance = _random_gap(seed)
    optimum = max(_enumerate(instance).values())
    result = solve_bounded(gap_core(instance, "max"), SolveOptions(time_limit=10, num_workers=1))
    assert result.status == SolveStatus.OPTIMAL and result.objective == optimum


def test_regret_greedy_respects_capacity():
    """Agent 0 holds one job (capacity 1): the job that loses most without it (job 0:
    10 vs 1, regret 9) takes it, job 1 goes to agent 1 (regret 1)."""
    core = two_by_two()
    solution = regret_greedy(core, np.array(core.pair_score, dtype=float))
    assert solution == [0, 3]


def test_same_seed_same_result():
    instance = _random_gap(11, agents=4, jobs=12)
    core = gap_core(instance, "min")
    deterministic_options = SolveOptions(time_limit=2, seed=5, num_workers=1, deterministic=True)
    first = solve_bounded(core, deterministic_options)
    second = solve_bounded(core, deterministic_options)
    assert first.status.found
    assert (first.objective, first.bound, first.agent_of_item) == (
        second.objective,
        second.bound,
        second.agent_of_item,
    )


def test_a_fractional_bound_is_reported_as_the_integer_below_it():
    # The objective is an integer, so a proven bound of 18.6 means no solution beats 18:
    # the other assignment (10) stays feasible with bound 18; the optimum (18) is
    # proven by the same bound.
    core = two_by_two()
    worse = bounded_result(core, [1, 2], 10, 18.6, 0.0, None)
    assert worse.status == SolveStatus.FEASIBLE and worse.bound == 18.0
    best = bounded_result(core, [0, 3], 18, 18.6, 0.0, None)
    assert best.status == SolveStatus.OPTIMAL and best.bound == 18.0
