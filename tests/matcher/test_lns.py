"""The neighbourhood search of `matcher.lns` and its place in `solve_bounded`, on
instances small enough to follow every move by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import matcher.bounded as bounded
from matcher.core import AssignmentCore, SolveOptions
from matcher.gap import gap_core
from matcher.lagrange import relax
from matcher.lns import _related_agents, improve
from matcher.read import GapInstance, read_gap
from solving.status import SolveStatus

TINY = Path(__file__).parent.parent / "data" / "tiny_gap.txt"
OPTIONS = SolveOptions(time_limit=5, num_workers=1, deterministic=True)


def swap_instance() -> AssignmentCore:
    """Three jobs, three agents that hold one job each (use 1, capacity 1); profits
    job 0: agents (10, 1, 0); job 1: (9, 8, 0); job 2: (0, 0, 5).
    Pairs are numbered job-major: pair 3·job + agent.
    Start: job 0 → agent 1, job 1 → agent 0, job 2 → agent 2: 1 + 9 + 5 = 15.
    The only better solution swaps jobs 0 and 1: 10 + 8 + 5 = 23 (agent 2 is useless to
    both jobs, and moving job 2 anywhere else loses 5), so the move that fires frees
    agents 0 and 1 together."""
    profit = ((10, 9, 0), (1, 8, 0), (0, 0, 5))
    use = ((1, 1, 1),) * 3
    return gap_core(GapInstance("swap", profit, use, (1, 1, 1)), "max")


def test_improve_swaps_the_two_jobs_and_stops_at_the_goal():
    core = swap_instance()
    start = [1, 3, 8]  # job 0 → agent 1, job 1 → agent 0, job 2 → agent 2
    found, value = improve(core, start, goal=23, options=OPTIONS, deadline=None)
    assert value == 23
    assert found == [0, 4, 8]  # job 0 → agent 0, job 1 → agent 1, job 2 stays


def test_improve_keeps_an_optimal_start():
    core = swap_instance()
    optimum = [0, 4, 8]
    # goal 24 is out of reach: every step proves it cannot improve, the search stalls
    found, value = improve(core, optimum, goal=24, options=OPTIONS, deadline=None)
    assert (found, value) == (optimum, 23)


def test_a_step_starts_at_the_agent_of_a_doubtful_pair():
    core = swap_instance()
    start = [1, 3, 8]
    doubtful = np.zeros(core.n_pairs, dtype=bool)
    doubtful[3] = True  # job 1 on agent 0
    pairs_of_item = [[3 * j + a for a in range(3)] for j in range(3)]
    for seed in range(5):
        rng = np.random.default_rng(seed)
        assert _related_agents(core, start, pairs_of_item, 1, rng, doubtful) == {0}
    # without doubt, the first agent is random: not always agent 0
    firsts = {
        min(_related_agents(core, start, pairs_of_item, 1, np.random.default_rng(s), None))
        for s in range(20)
    }
    assert len(firsts) > 1


def test_bounded_solve_is_proven_when_the_search_meets_the_bound(
    monkeypatch: pytest.MonkeyPatch,
):
    """From the start 15 the search reaches 23; the relaxation's bound is 23 too (agent
    capacities of 1 make the LP integral here), so no CP-SAT round runs (probes off)."""

    def no_round(*args: object, **kwargs: object) -> None:
        raise AssertionError("a CP-SAT round ran although the search met the bound")

    monkeypatch.setattr(bounded, "solve_core", no_round)
    monkeypatch.setattr(bounded, "MAX_PROBES", 0)
    result = bounded.solve_bounded(swap_instance(), OPTIONS, hint=[1, 3, 8])
    assert result.status == SolveStatus.OPTIMAL
    assert result.objective == 23 and result.bound == 23
    assert result.agent_of_item == (0, 1, 2)


def test_probe_lowers_the_bound_until_it_finds_the_optimum():
    """tiny_gap (max, see test_lagrange): knapsack bound 14, optimum 12 (jobs → agents
    1, 0, 0). The probe aims at 14, then 13: no solution reaches either (the only
    assignments are enumerable: 12 is the best), so the bound drops to 13, then 12; the
    probe at 12 finds the optimum, which now meets the bound."""
    (instance,) = read_gap(TINY)
    core = gap_core(instance, "max")
    relaxation = relax(core, target=None)
    assert math.floor(relaxation.bound + 1e-6) == 14
    found, value, bound = bounded._probe(core, relaxation, None, OPTIONS, None, None, None)
    assert value == 12 and bound == 12
    assert found is not None and [core.pair_agent[p] for p in found] == [1, 0, 0]


def test_probe_does_nothing_when_the_start_meets_the_bound(
    monkeypatch: pytest.MonkeyPatch,
):
    core = swap_instance()
    relaxation = relax(core, target=23)
    monkeypatch.setattr(bounded, "solve_core", lambda *a, **k: pytest.fail("probe ran"))
    found, value, bound = bounded._probe(core, relaxation, [0, 4, 8], OPTIONS, None, None, None)
    assert (found, value) == ([0, 4, 8], 23) and math.floor(bound + 1e-6) == 23
