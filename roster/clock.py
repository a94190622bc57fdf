"""Time budgets of a search: on the wall clock, or in CP-SAT's deterministic time.

A roster search splits its time limit between priority levels, CP-SAT runs and LNS
sub-problems. On the wall clock (`WallClock`, the default) a run takes what it is
given, but the result depends on thread timing and machine load: the same problem and
seed may give a different roster (team size) each time. `WorkClock` measures every
budget in CP-SAT's deterministic time instead (converted at `WORK_PER_SECOND`), runs
CP-SAT's workers interleaved (`interleave_search`, deterministic whatever the number of
workers) and lets the LNS lanes advance in lock-step, so that the same problem, seed and
time limit give the same roster on the same OR-Tools version. The run time then follows
the limit only roughly (1.1–1.7 times it on the 2-core machine it was calibrated on,
and longer on a slower one, up to `WALL_GUARD_FACTOR` times it plus
`WALL_GUARD_SECONDS`, where the search is cut off and no longer reproducible). A slower
machine can be given its own rate (`WorkClock(work_per_second=)`): its searches then do
less work within a limit, and stay reproducible.

Both clocks have `now()`, a point on their own scale to set deadlines against.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

#: CP-SAT's deterministic time per wall second in a roster search on the work clock, on
#: a 2-core machine: a budget of `seconds` is `seconds × WORK_PER_SECOND` units. With
#: 0.5, a døgnindsats of 8 weeks 3x8 from a pool of 40 given 10 s took 11.3 s (with the
#: model build), five such cases from a pool of 60 given 55 s took 89 s (CP-SAT's LNS
#: and the lock-step LNS lanes do less work per second than one exact search).
WORK_PER_SECOND = 0.5
#: Full-problem strategies in the interleaved search, besides its LNS and CP-SAT's
#: violation local search. All of them in turn (the default) left the one-case team
#: level at 6 where 5 is optimal; default_lp with quick_restart proved 5 in 1.4 s but
#: left five cases at 28 (the wall-clock portfolio: 25); default_lp alone gives 5
#: (proven, 1.4 s) and 25, as the wall-clock portfolio does.
INTERLEAVED_SUBSOLVERS = ("default_lp",)
#: A search on the work clock overruns on the wall clock when CP-SAT's work units run
#: slow; this cap (a multiple of the budget, plus seconds) keeps a job bounded, both for
#: each CP-SAT run and for the whole search (`WorkClock.now`). Only a search cut off by
#: it can differ between repetitions. 2: above the 1.1-1.7 measured where
#: `WORK_PER_SECOND` was calibrated, so that such a machine stays reproducible; on a
#: slower one (five døgnindsats cases given 55 s took 293 s with a per-run cap of 4x
#: and no cap on the whole) a job ends within twice its limit plus the seconds. The
#: seconds allow for the model build, the greedy start and the hint, which are not
#: counted as work: 4 weeks from a pool of 20 given 2 s take 7.5 s on that machine.
WALL_GUARD_FACTOR = 2.0
WALL_GUARD_SECONDS = 15.0


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

    def __init__(
        self,
        work_per_second: float = WORK_PER_SECOND,
        wall: Callable[[], float] = time.perf_counter,
    ) -> None:
        """`work_per_second`: deterministic time counted as one second of a budget;
        `wall`: the wall clock the guard reads (its start is now)."""
        if not work_per_second > 0:
            raise ValueError(f"work_per_second must be positive, got {work_per_second}")
        self._spent = 0.0
        self._wall = wall
        self._wall_start = wall()
        self.work_per_second = work_per_second

    def now(self) -> float:
        """Work spent, in seconds at `work_per_second`; or, once the wall clock has run
        past the guard, the wall time scaled down by it (every budget then ends)."""
        wall = self._wall() - self._wall_start - WALL_GUARD_SECONDS
        return max(self._spent / self.work_per_second, wall / WALL_GUARD_FACTOR)

    def limit(self, solver: cp_model.CpSolver, seconds: float) -> None:
        solver.parameters.max_deterministic_time = seconds * self.work_per_second
        solver.parameters.max_time_in_seconds = WALL_GUARD_FACTOR * seconds + WALL_GUARD_SECONDS
        if solver.parameters.num_workers > 1:
            solver.parameters.interleave_search = True
            solver.parameters.subsolvers.extend(INTERLEAVED_SUBSOLVERS)
            solver.parameters.num_violation_ls = 1

    def spend(self, work: float) -> None:
        self._spent += work


class Deadline:
    """The wall-clock moment a whole solve must end by, created once at its entry.

    Every stage (model build, column generation, warm starts, CP-SAT runs, LNS, the
    windows of a decomposed solve) asks it for the time left instead of carrying its
    own share of the limit, so that the build and the stages before a search count
    against the same promise: the answer comes within the limit."""

    def __init__(self, seconds: float, start: float | None = None) -> None:
        self.start = time.perf_counter() if start is None else start
        self.seconds = seconds
        self.at = self.start + seconds

    def remaining(self) -> float:
        """Seconds left, never negative."""
        return max(0.0, self.at - time.perf_counter())

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    @property
    def expired(self) -> bool:
        return time.perf_counter() >= self.at

    def share(self, fraction: float) -> float:
        """`fraction` of the time left."""
        return fraction * self.remaining()
