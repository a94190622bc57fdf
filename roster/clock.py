"""Time budgets of a search: on the wall clock, or in CP-SAT's deterministic time.

A roster search splits its time limit between priority levels, CP-SAT runs and LNS
sub-problems. On the wall clock (`WallClock`, the default) a run takes what it is
given, but the result depends on thread timing and machine load: the same problem and
seed may give a different roster (team size) each time. `WorkClock` measures every
budget in CP-SAT's deterministic time instead (work units calibrated to about a second;
the døgnindsats and NRP models ran at 0.8–1.8 of them per wall second), runs CP-SAT's
workers interleaved (`interleave_search`, deterministic whatever the number of workers)
and lets the LNS lanes advance in lock-step, so that the same problem, seed and time
limit give the same roster on the same OR-Tools version.

Both clocks have `now()`, a point on their own scale to set deadlines against.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

#: A run on the work clock may still overrun on the wall clock when CP-SAT's work units
#: run slow; this cap (a multiple of the budget, plus seconds) keeps a job bounded. Only
#: a run cut off by it can differ between repetitions.
WALL_GUARD_FACTOR = 4.0
WALL_GUARD_SECONDS = 5.0


class WallClock:
    """Budgets in wall-clock seconds."""

    deterministic = False

    def now(self) -> float:
        return time.perf_counter()

    def limit(self, solver: cp_model.CpSolver, seconds: float) -> None:
        """Give `solver` a budget of `seconds`."""
        solver.parameters.max_time_in_seconds = seconds

    def spend(self, work: float) -> None:
        """Account for `work` deterministic seconds run outside `now()` (none: the wall
        clock moves by itself)."""


class WorkClock(WallClock):
    """Budgets in CP-SAT's deterministic time: reproducible searches."""

    deterministic = True

    def __init__(self) -> None:
        self._spent = 0.0

    def now(self) -> float:
        return self._spent

    def limit(self, solver: cp_model.CpSolver, seconds: float) -> None:
        solver.parameters.max_deterministic_time = seconds
        solver.parameters.max_time_in_seconds = WALL_GUARD_FACTOR * seconds + WALL_GUARD_SECONDS
        if solver.parameters.num_workers > 1:
            solver.parameters.interleave_search = True

    def spend(self, work: float) -> None:
        self._spent += work
