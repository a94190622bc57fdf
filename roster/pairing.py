"""Employee groups chosen by who can pair a weekend, for the employee-group LNS
(`roster.groups.improve`).

When the contracts allow barely enough weekends for the weekend cover (Instance13: 250
weekends for 482 weekend shifts), a weekend worked on one day only wastes half an
allowance, and the cover falls short on weekends. Turning one-day weekends into whole
ones takes several employees at once: the one who works Saturday takes the Sunday too,
the one who worked that Sunday frees their weekend for another, and each drops a
weekday shift to stay within their hours that someone else picks up. A random group
of 17 of 120 seldom holds both ends of such a pair; `pairing_group` builds the group
around one short weekend: those who work only one of its days, those off that weekend
with an allowance left, and random others for the weekday shifts.

Pure: no I/O.
"""

from __future__ import annotations

import random
from collections import defaultdict

from roster.problem import Roster, RosterProblem
from roster.windows import short_cost_per_day

#: Share of a pairing group taken by those who can pair the chosen weekend; the rest
#: are random others, who take over the weekday shifts the pairing frees.
PAIRING_SHARE = 0.6


def weekend_days_worked(problem: RosterProblem, roster: Roster) -> dict[str, list[int]]:
    """Each employee's number of days worked on each weekend of the horizon."""
    worked: dict[str, set[int]] = defaultdict(set)
    for a in roster:
        worked[a.employee].add(a.day)
    return {
        e.id: [sum(d in worked[e.id] for d in days) for days in problem.weekends]
        for e in problem.employees
    }


def can_pair(problem: RosterProblem, roster: Roster, weekend: int) -> list[str]:
    """Employees who could staff more of `weekend`'s days: those who work only one of
    them, and those off that weekend who have a weekend of their allowance left."""
    per_weekend = weekend_days_worked(problem, roster)
    days = len(problem.weekends[weekend])
    out = []
    for e in problem.employees:
        counts = per_weekend[e.id]
        used = sum(1 for n in counts if n)
        allowance_left = e.max_weekends is None or used < e.max_weekends
        one_day = 0 < counts[weekend] < days
        if one_day or (counts[weekend] == 0 and allowance_left):
            out.append(e.id)
    return out


def pairing_group(
    problem: RosterProblem, roster: Roster, size: int, rng: random.Random
) -> set[str] | None:
    """A group of `size` around a weekend the cover is short on (drawn by its
    shortfall's cost): up to `PAIRING_SHARE` of it who `can_pair` there, the rest
    random others; None when no weekend is short or nobody can pair one."""
    short = short_cost_per_day(problem, roster)
    weekends = [
        (w, sum(short[d] for d in days)) for w, days in enumerate(problem.weekends) if len(days)
    ]
    weekends = [(w, cost) for w, cost in weekends if cost > 0]
    if not weekends:
        return None
    weekend = rng.choices([w for w, _ in weekends], weights=[c for _, c in weekends])[0]
    pairs = can_pair(problem, roster, weekend)
    if not pairs:
        return None
    rng.shuffle(pairs)
    group = set(pairs[: max(1, round(size * PAIRING_SHARE))])
    others = [e.id for e in problem.employees if e.id not in group]
    group.update(rng.sample(others, min(len(others), size - len(group))))
    return group
