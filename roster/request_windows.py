"""Request-window LNS: the employees with unmet requests in a few weeks re-planned
there, everyone else fixed.

A long horizon's time windows (`roster.windows`) free the whole pool for four weeks,
a search too big to settle in its seconds; an employee group (`roster.groups`) frees
a few employees for the whole horizon. Once the cover is as good as the hours allow,
what is left is mostly requests (Instance20: 41 persons short, 515 in requests, where
the best known has 40 short and some 40 in requests), and a request is met by a swap
within the days around it. So: a window of `WINDOW_DAYS`, chosen with a chance in
proportion to the unmet requests and under-cover in it, and a group of employees, those
with unmet requests there first (the most costly first) and others drawn at random, of
`GROUP_SIZE` in all: the window's sub-problem (`roster.windows.sub_problem`, its totals
exact given the rest of the horizon) restricted to the group (`roster.groups.
group_problem`, exact when only the cover couples the employees). A small model that
its search can settle in a few seconds.

Pure: no I/O.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable

from roster.clock import Deadline
from roster.groups import group_problem
from roster.problem import Roster, RosterProblem
from roster.windows import (
    MIN_WINDOW_SECONDS,
    WindowSolver,
    _ceil,
    _floor,
    _shift,
    _unshift,
    cut_days,
    margin_days,
    short_cost_per_day,
    sub_problem,
)
from solving.status import SolveStatus

#: Days a request window plans (rounded up to the next Monday).
WINDOW_DAYS = 14
#: Employees freed in a request window.
GROUP_SIZE = 10
#: Longest search of one request window.
WINDOW_SECONDS = 3.0
#: Share of the request windows that are weekend windows: the whole horizon's
#: weekends, the days either side (`WEEKEND_SIDE`, weekday numbers) free too.
WEEKEND_SHARE = 0.5
WEEKEND_SIDE = frozenset({4, 5, 6, 0})
#: Time for one sweep of request windows (`sweep_seconds`).
SWEEP_SECONDS = 30.0


def unmet_request_cost(problem: RosterProblem, roster: Roster) -> dict[tuple[str, int], int]:
    """(employee, day) → the weight of `roster`'s unmet requests of that employee that day."""
    worked = {(a.employee, a.day): a.shift for a in roster}
    cost: Counter[tuple[str, int]] = Counter()
    for r in problem.requests:
        shift = worked.get((r.employee, r.day))
        works = shift is not None if r.shift is None else shift == r.shift
        if works != r.on:
            cost[(r.employee, r.day)] += r.weight * problem.weights.preference
    return dict(cost)


def worth_it(problem: RosterProblem) -> bool:
    """A group leaves some of the pool fixed (else it is a time window)."""
    return len(problem.employees) > GROUP_SIZE


def sweep_seconds(problem: RosterProblem) -> float:
    """Time for one sweep of `improve` (`SWEEP_SECONDS`): its windows are many and
    quick, and each is drawn by the unmet cost, not from a list of the horizon's."""
    return SWEEP_SECONDS


def improve(
    problem: RosterProblem,
    roster: Roster,
    value: int,
    deadline: Deadline,
    solve_window: WindowSolver,
    objective: Callable[[RosterProblem, Roster], float],
    seed: int = 0,
    build_estimate: Callable[[RosterProblem], float] = lambda sub: 0.0,
    windows: int | None = None,
) -> tuple[Roster, int, int]:
    """Request-window LNS from `roster` (objective `value`): windows (at most
    `windows`) until `deadline`, drawn by their unmet cost, each group re-solved by
    `solve_window(sub, time_limit, hint=, free_days=)` and kept when `objective` of the
    whole roster drops. Returns the best roster, its value and the number searched."""
    p = problem
    rng = random.Random(seed)
    cuts = cut_days(p)
    margin = margin_days(p)
    starts = [c for c in cuts if c < p.days]
    best, best_value, searched = roster, value, 0
    if len(starts) < 2 or not worth_it(p):
        return best, best_value, searched
    while (windows is None or searched < windows) and deadline.remaining() > MIN_WINDOW_SECONDS:
        unmet = unmet_request_cost(p, best)
        per_day = short_cost_per_day(p, best)
        by_day: dict[int, Counter[str]] = defaultdict(Counter)
        for (employee, day), cost in unmet.items():
            per_day[day] += cost
            by_day[day][employee] += cost
        if rng.random() < WEEKEND_SHARE:
            # the whole horizon's weekends (and the days either side, where runs
            # meet them) for a group: weekends traded between employees across months
            first, end = 0, p.days
            free = [d for d in range(p.days) if p.date(d).weekday() in WEEKEND_SIDE]
        else:
            spans = [(lo, _ceil(cuts, min(p.days, lo + WINDOW_DAYS))) for lo in starts]
            weights = [sum(per_day[lo:hi]) for lo, hi in spans]
            if not any(weights):
                return best, best_value, searched  # nothing unmet: nothing to gain here
            lo, hi = rng.choices(spans, weights=weights)[0]
            first, end = _floor(cuts, lo - margin), _ceil(cuts, min(p.days, hi + margin))
            free = list(range(lo, hi))
        wanting: Counter[str] = Counter()
        for day in free:
            wanting.update(by_day.get(day, {}))
        group = [e for e, _ in wanting.most_common(GROUP_SIZE // 2)]
        others = [e.id for e in p.employees if e.id not in group]
        group += rng.sample(others, GROUP_SIZE - len(group))
        members = set(group)
        window = _shift(best, first, end)
        sub = group_problem(sub_problem(p, best, first, end), window, members)
        hint = tuple(a for a in window if a.employee in members)
        need = build_estimate(sub) + MIN_WINDOW_SECONDS
        left = deadline.remaining()
        if left < need:
            return best, best_value, searched
        result = solve_window(
            sub,
            time_limit=min(left, max(need, WINDOW_SECONDS)),
            hint=hint,
            free_days=[d - first for d in free],
        )
        searched += 1
        if result.status is SolveStatus.CANCELLED:
            return best, best_value, searched
        if not result.found or set(result.roster) == set(hint):
            continue  # nothing new: no need to check the whole roster
        kept = [a for a in best if not (first <= a.day < end and a.employee in members)]
        candidate = tuple(sorted(kept + _unshift(result.roster, first)))
        candidate_value = objective(p, candidate)
        if candidate_value < best_value:
            best, best_value = candidate, int(candidate_value)
    return best, best_value, searched
