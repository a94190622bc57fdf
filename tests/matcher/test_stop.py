"""Stopping the assignment core on request (`solve_core(should_stop=)`), as a cancelled
batch job does: CP-SAT stops at once, not at its time limit, and the best solution so
far is kept."""

from __future__ import annotations

import random

from matcher.core import SolveOptions, solve_core
from matcher.gap import check_assignment, gap_core
from matcher.read import GapInstance
from solving.status import SolveStatus


def _type_d_gap(agents: int, jobs: int, seed: int) -> GapInstance:
    """A random GAP of OR-Library type D (cost falls as use rises, capacities at 80 %
    of an even share): the hard kind, far from proven in a minute at this size."""
    rng = random.Random(seed)
    use = tuple(tuple(rng.randint(1, 100) for _ in range(jobs)) for _ in range(agents))
    cost = tuple(tuple(111 - u + rng.randint(-10, 10) for u in row) for row in use)
    capacity = tuple(int(0.8 * sum(row) / agents) for row in use)
    return GapInstance(f"d{agents}x{jobs}", cost, use, capacity)


class StopAfterFirstSolution:
    """Asks for a stop once a solution is reported, and counts the polls that find the
    stop asked: the search goes on being polled until it has stopped."""

    def __init__(self) -> None:
        self.found: list[float] = []
        self.polls_after_asking = 0

    def on_solution(self, objective: float, bound: float) -> None:
        self.found.append(objective)

    def __call__(self) -> bool:
        if self.found:
            self.polls_after_asking += 1
        return bool(self.found)


def test_a_stopped_search_returns_its_best_assignment_before_its_time_limit() -> None:
    instance = _type_d_gap(agents=10, jobs=200, seed=3)
    stop = StopAfterFirstSolution()
    time_limit = 600
    result = solve_core(
        gap_core(instance, "min"),
        SolveOptions(time_limit=time_limit, num_workers=2, lp_level=1),
        on_solution=stop.on_solution,
        should_stop=stop,
    )
    assert stop.found, "no solution was reported"
    # the stop took effect rather than the limit: polled every 50 ms, an unheeded stop
    # would be polled about 12,000 times over the 600 s; CP-SAT stops within a poll or
    # two of the request (how fast is a benchmark figure, not asserted here)
    assert 1 <= stop.polls_after_asking < 1_000
    assert result.status is SolveStatus.FEASIBLE  # stopped: not proven
    assert result.objective is not None
    assert check_assignment(instance, result.agent_of_item) == -result.objective
