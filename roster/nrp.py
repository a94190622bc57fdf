"""Search settings for benchmark-style problems (Curtois–Qu), on the same engine.

`solve_nrp` calls `roster.solve.solve` — the same `RosterModel`, the same objective
machinery — with CP-SAT parameters chosen for these instances (measured with
scripts/bench_nrp.py).
"""

from __future__ import annotations

from roster.problem import RosterProblem
from roster.solve import RosterResult, SearchParameters, solve


def solve_nrp(
    problem: RosterProblem, time_limit: float = 60.0, seed: int = 0, num_workers: int = 2
) -> RosterResult:
    params = SearchParameters(num_workers=num_workers, greedy_hint=False)
    return solve(problem, time_limit=time_limit, seed=seed, parameters=params)
