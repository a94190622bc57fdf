"""The rotation's cycles, and their fitting to the members who work them.

A team of n works a cycle of n segments of `lag` days, one block of each shift type in
order of start time and days off between them, member i `lag` days behind member i - 1,
so that each shift type is covered once a day; the cycles that break no rule, around
their end too, best first (`cycles`). Fitted to the members: which member stands on
which place of the cycle, by their history (`fit_to_history`), which shifts a member
short of hours gives up (`within_hours`), and swaps of two members' futures that even
the weekend and night load (`balance_weekends`).

Pure: no I/O.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from roster.capacities import fairness_coefficient, may_follow
from roster.eligibility import why_not
from roster.heuristic import GreedyState, fits_shift
from roster.problem import Employee, RosterProblem
from roster.rotation_teams import takes_every_type

Cycle = tuple[str | None, ...]  #: the shift (or None: off) on each day of the cycle


def cycles(problem: RosterProblem, team_size: int, lag: int) -> list[Cycle]:
    """Every cycle of `team_size * lag` days with one block of `lag` days of each shift
    type, in order of start time, and days off between them, such that the members,
    `lag` days apart, cover each shift type exactly once on every day, and no rule is
    broken (consecutive days, consecutive nights, rest), around the cycle's end too.
    Best first: the longest stretch of days off the shortest, then the fewest runs."""
    shifts = sorted(problem.shift_types, key=lambda s: s.start_minute)
    k, n = len(shifts), team_size
    if n <= k:
        return []
    off = (n - k) * lag
    out = []
    for cuts in itertools.combinations(range(off + k - 1), k - 1):
        # the days off after each block: a composition of `off` into k parts
        bounds = (-1, *cuts, off + k - 1)
        gaps = [bounds[i + 1] - bounds[i] - 1 for i in range(k)]
        days: list[str | None] = []
        for shift, gap in zip(shifts, gaps, strict=True):
            days += [shift.id] * lag + [None] * gap
        cycle = tuple(days)
        if _covers(cycle, n, lag, k) and _legal_cycle(problem, cycle):
            shortest_break = min((g for g in gaps if g), default=0)
            out.append(((-shortest_break, sum(1 for g in gaps if g)), cycle))
    out.sort(key=lambda scored: scored[0])  # stable: ties keep the enumeration order
    return [cycle for _, cycle in out]


def _covers(cycle: Cycle, n: int, lag: int, k: int) -> bool:
    """On every day the n members (`lag` days apart) stand on k different shifts."""
    for j in range(lag):
        on = [cycle[j + i * lag] for i in range(n)]
        if len({s for s in on if s is not None}) != k or sum(s is not None for s in on) != k:
            return False
    return True


def _legal_cycle(problem: RosterProblem, cycle: Cycle) -> bool:
    rules = problem.rules
    twice = cycle + cycle
    run = nights = 0
    for today, tomorrow in itertools.pairwise(twice):
        run = run + 1 if today is not None else 0
        night = today is not None and problem.shift[today].night
        nights = nights + 1 if night else 0
        if (
            rules.max_consecutive_working_days is not None
            and run > rules.max_consecutive_working_days
        ):
            return False
        if rules.max_consecutive_nights is not None and nights > rules.max_consecutive_nights:
            return False
        if today is None or tomorrow is None or today == tomorrow:
            continue
        if not may_follow(problem, problem.shift[today], problem.shift[tomorrow]):
            return False
    return True


#: The most swaps of two members' futures `balance_weekends` makes (one case, seeds 0
#: and 2: 2 swaps leave weekend 120, 4 leave 110 with blocks 132, 6 leave 110 with
#: blocks 129, and more find nothing better).
MAX_WEEKEND_SWAPS = 6


def balance_weekends(
    problem: RosterProblem, members: Sequence[Employee], planned: dict[str, dict[int, str]]
) -> dict[str, dict[int, str]]:
    """`planned` (member → day → shift) with the weekend load spread more evenly: two
    members off on the same day swap all their shifts from the next day on, which keeps
    every run of the rotation whole (each starts after a day off either way) and the
    cover the same. A cycle of `n * lag` days does not divide into weeks, so the
    rotation alone gives some members many more weekend shifts than others (one case,
    team of 5, lag 4: 15 of 48 for one, the peak 150 where 10 each, 100, would hold
    them). Swaps are chosen greedily by the weighted night and weekend peaks they leave
    (a swap moves nights too), then the sum of squared loads; one case, seed 0: weekend
    150 → 110, the night peak 120 kept, the same blocks (129). They start from the third
    week: the first two are fitted to the history (`fit_to_history`)."""
    w = problem.weights
    weekend = problem.weekend_like_days
    if (
        not w.weekend_spread
        or not weekend
        or not all(takes_every_type(problem, m) for m in members)
    ):
        # a member who may not take some type leaves those shifts to the greedy, which
        # gives them to another member: the plan's loads are not the roster's (one
        # case, seed 3, one member without nights: balanced on the plan, the night peak
        # went 170 -> 280 in the repaired rotation)
        return planned
    coef = {m.id: fairness_coefficient(m) or 0 for m in members}
    nights = {s.id for s in problem.shift_types if s.night}
    plan = {eid: dict(days) for eid, days in planned.items()}

    def score(current: dict[str, dict[int, str]]) -> tuple[int, int]:
        ends = [coef[eid] * sum(d in weekend for d in days) for eid, days in current.items()]
        dark = [
            coef[eid] * sum(s in nights for s in days.values()) for eid, days in current.items()
        ]
        peaks = w.weekend_spread * max(ends, default=0) + w.night_spread * max(dark, default=0)
        return peaks, sum(x * x for x in ends) + sum(x * x for x in dark)

    current = score(plan)
    for _ in range(MAX_WEEKEND_SWAPS):
        best: tuple[tuple[int, int], dict[str, dict[int, str]]] | None = None
        for day in range(min(problem.days, 2 * 7) + 1, problem.days):
            off = [eid for eid, days in plan.items() if day - 1 not in days]
            for a, b in itertools.combinations(off, 2):
                swapped = dict(plan)
                swapped[a] = _swap_from(plan[a], plan[b], day)
                swapped[b] = _swap_from(plan[b], plan[a], day)
                scored = score(swapped)
                if scored < current and (best is None or scored < best[0]):
                    best = (scored, swapped)
        if best is None:
            break
        current, plan = best
    return plan


def _swap_from(own: dict[int, str], other: dict[int, str], day: int) -> dict[int, str]:
    """`own`'s shifts before `day`, `other`'s from it on."""
    return {d: s for d, s in own.items() if d < day} | {d: s for d, s in other.items() if d >= day}


def fit_to_history(
    problem: RosterProblem, members: list[Employee], cycle: Cycle, lag: int, phase: int
) -> list[Employee]:
    """`members` in the order (which member on which place of the cycle) whose first
    two weeks of the rotation break the fewest rules given each one's history: a
    member who has just worked six days starts on a break, not on a block."""
    if len(members) > 6:  # 720 orders at most
        return members
    days = range(min(problem.days, 2 * 7))
    weekend_of = {d: i for i, group in enumerate(problem.weekends) for d in group}

    def misfits(member: Employee, place: int) -> int:
        state = GreedyState(intervals=list(member.busy), windows=problem.reference_windows(member))
        count = 0
        for day in days:
            sid = cycle[(day + phase + lag * place) % len(cycle)]
            if sid is None:
                continue
            shift = problem.shift[sid]
            if why_not(problem, member, day, shift) is not None or not fits_shift(
                problem, member, state, day, sid, weekend_of
            ):
                count += 1
                continue
            state.take(day, shift, None)  # the misfit count ignores weekends
        return count

    cost = [[misfits(m, place) for place in range(len(members))] for m in members]
    best = min(
        itertools.permutations(range(len(members))),
        key=lambda order: sum(cost[m][place] for place, m in enumerate(order)),
    )
    return [members[m] for m in best]


def within_hours(
    problem: RosterProblem, member: Employee, shifts: list[tuple[int, str]]
) -> list[tuple[int, str]]:
    """`shifts` less the fewest whole shifts that bring them within the member's hours:
    first days of runs, evenly spaced."""
    limit = problem.max_minutes(member)
    planned = sum(problem.shift[s].minutes for _, s in shifts)
    if limit is None or planned <= limit:
        return shifts
    worked = {day for day, _ in shifts}
    starts = [i for i, (day, _) in enumerate(shifts) if day - 1 not in worked]
    excess, dropped = planned - limit, set()
    candidates = starts + [i for i in range(len(shifts)) if i not in starts]
    need = 0
    while need < len(shifts) and excess > 0:
        excess -= (
            problem.shift[shifts[candidates[need]][1]].minutes if need < len(candidates) else 0
        )
        need += 1
    if need <= len(starts):
        step = len(starts) / need
        dropped = {starts[int(step * j + step / 2)] for j in range(need)}
    else:
        dropped = set(candidates[:need])
    return [x for i, x in enumerate(shifts) if i not in dropped]


__all__ = [
    "balance_weekends",
    "cycles",
]
