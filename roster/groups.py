"""Employee-group LNS over the whole horizon: a few employees re-planned jointly, the
rest of the roster fixed.

A time window (`roster.windows`) frees every employee for some weeks, but each keeps
exactly the hours, shifts per type and weekends the rest of the horizon leaves: it can
move work between employees within the window, not between months. A best response
(`roster.best_responses`) moves one employee across the whole horizon, never two together.
A group of employees freed over the whole horizon does both: one takes a month's
shifts from another, who then covers a short day elsewhere with the hours freed.
Figures: docs/history/bench_nrp.md.

When only the cover couples the employees (`roster.sequences.applicable`), the group's
problem (`group_problem`) is exact: its cover demands less what the others already
staff (a demand they staff in full or beyond asks the group for nobody, and each of
the group's extra persons there pays the over-cover weight, as in the whole roster),
its employees' own requests, every rule of theirs unchanged (all are per employee).
Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter
from collections.abc import Callable

from roster.clock import Deadline
from roster.problem import Roster, RosterProblem
from roster.windows import MIN_WINDOW_SECONDS, WindowSolver
from solving.status import SolveStatus

#: Assignment slots (cover demand × employee) one group may hold: 8 of Instance20's
#: employees (1,092 demands each), 2 of Instance22's (3,640).
GROUP_SLOTS = 9_000
#: Fewest employees in a group worth a search: pairs move too little. Instance20 from
#: 5,896 in 60 s: pairs 5,828, groups of 8 5,609; Instance22 at 300 s: pairs gained
#: 6 a second where its windows gained 54 (37,400 without them, 39,111 with).
MIN_GROUP_SIZE = 4
#: Longest search of one group.
GROUP_SECONDS = 6.0


def group_size(problem: RosterProblem, slots: int | None = None) -> int:
    """Employees per group: about `slots` slots (`GROUP_SLOTS` unless given), and never
    the whole pool (that is the whole model)."""
    size = (slots or GROUP_SLOTS) // max(1, len(problem.cover))
    return max(1, min(size, len(problem.employees) - 1))


def worth_grouping(problem: RosterProblem, slots: int | None = None) -> bool:
    """Groups of at least `MIN_GROUP_SIZE` fit in `slots` (`GROUP_SLOTS` unless given)."""
    return group_size(problem, slots) >= MIN_GROUP_SIZE


def group_problem(problem: RosterProblem, roster: Roster, group: set[str]) -> RosterProblem:
    """The employees of `group` over the whole horizon, the rest of `roster` fixed: each
    demand less what the others staff, and the group's own requests."""
    others = Counter((a.case, a.day, a.shift) for a in roster if a.employee not in group)
    return dataclasses.replace(
        problem,
        employees=tuple(e for e in problem.employees if e.id in group),
        cover=tuple(
            dataclasses.replace(c, required=max(0, c.required - others[(c.case, c.day, c.shift)]))
            for c in problem.cover
        ),
        requests=tuple(r for r in problem.requests if r.employee in group),
    )


def sweep_seconds(problem: RosterProblem) -> float:
    """Time for one sweep of `improve`: every employee in one group, `GROUP_SECONDS` each."""
    return math.ceil(len(problem.employees) / group_size(problem)) * GROUP_SECONDS


def improve(
    problem: RosterProblem,
    roster: Roster,
    value: int,
    deadline: Deadline,
    solve_group: WindowSolver,
    objective: Callable[[RosterProblem, Roster], float],
    seed: int = 0,
    build_estimate: Callable[[RosterProblem], float] = lambda sub: 0.0,
    slots: int | None = None,
) -> tuple[Roster, int, int]:
    """Employee-group LNS from `roster` (objective `value`) until `deadline`: the pool
    shuffled and cut into groups of `group_size(problem, slots)`, each re-solved by
    `solve_group(sub, time_limit, hint=)` with the others fixed and kept when
    `objective` of the whole roster drops; a pass over the whole pool that keeps
    nothing ends it. Returns the best roster, its value and the number of groups
    searched."""
    rng = random.Random(seed)
    size = group_size(problem, slots)
    ids = [e.id for e in problem.employees]
    best, best_value, searched = roster, value, 0
    improved = True
    while improved and deadline.remaining() > MIN_WINDOW_SECONDS:
        improved = False  # a pass over the pool that improves nothing ends the search
        rng.shuffle(ids)
        for start in range(0, len(ids), size):
            left = deadline.remaining()
            if left <= MIN_WINDOW_SECONDS:
                break
            group = set(ids[start : start + size])
            sub = group_problem(problem, best, group)
            need = build_estimate(sub) + MIN_WINDOW_SECONDS
            if left < need:
                return best, best_value, searched  # no time to build another group
            result = solve_group(
                sub,
                time_limit=min(left, max(need, GROUP_SECONDS)),
                hint=tuple(a for a in best if a.employee in group),
            )
            searched += 1
            if result.status is SolveStatus.CANCELLED:
                return best, best_value, searched
            if not result.found:
                continue
            outside = [a for a in best if a.employee not in group]
            candidate = tuple(sorted(outside + list(result.roster)))
            candidate_value = objective(problem, candidate)
            if candidate_value < best_value:
                best, best_value, improved = candidate, int(candidate_value), True
    return best, best_value, searched
