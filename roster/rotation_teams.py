"""Who rotates: a team per case for the rotation (`roster.rotation`), and the crews
and night peaks the case-by-case search (`roster.by_case`) weighs.

A team is the fewest whose hours carry the case's shifts, and at least one more than
the shift types (`team_size`); the case with the fewest speakers chooses first, and
takes those who can work every shift type, speak the family's language and have the
most hours (`choose_teams`). Where a team needs one more for its hours, it is the crew
of the fewest with the lowest night peak (`night_crew`, `lowest_load`). A team rotates
when its members are interchangeable (`interchangeable`): each may take every shift
type (`takes_every_type`), or for a lone case at least speaks its language.

Pure: no I/O.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from roster.capacities import capacity, fairness_coefficient
from roster.eligibility import Ineligible, speaks, why_not
from roster.problem import Case, CoverDemand, Employee, RosterProblem


def team_size(problem: RosterProblem, case: Case, members: Sequence[Employee]) -> int:
    """The smallest team whose members' hour limits carry the case's shifts, and at
    least one more than the shift types (someone must be off each day)."""
    minutes = sum(problem.shift[d.shift].minutes for d in problem.cover if d.case == case.id)
    limits = sorted((problem.max_minutes(e) or minutes for e in members), reverse=True) or [minutes]
    n = len(problem.shift_types) + 1
    while n < len(limits) and sum(limits[:n]) < minutes:
        n += 1
    return max(n, math.ceil(minutes / max(1, limits[0])))


def choose_teams(problem: RosterProblem) -> dict[str, list[Employee]]:
    """A team per case, disjoint: the case with the fewest speakers of its language
    chooses first, and takes those who can work every shift type, speak the language,
    have the most hours, and speak the fewest other cases' languages."""
    p = problem
    # sampled mid-week, away from the horizon's first day: the rest after the shifts
    # worked just before it (the history) blocks some types there for a day, which
    # says nothing about who can carry the case for weeks (one case, pool 40: sampled
    # from day 0 it put two members on 30 and 32 h above two on 37 h; such a team
    # cannot bring its weekend peak down to 100, since a shorter contract weighs each
    # weekend shift more, and the search rarely swaps a whole member)
    able = {
        e.id: sum(why_not(p, e, d, s) is None for d in range(3, p.days, 7) for s in p.shift_types)
        for e in p.employees
    }

    def qualified(case: Case) -> list[Employee]:
        return [e for e in p.employees if speaks(e, case)]

    taken: set[str] = set()
    teams: dict[str, list[Employee]] = {}
    for case in sorted(p.cases, key=lambda c: (len(qualified(c)), c.id)):
        free = [e for e in p.employees if e.id not in taken]
        ranked = sorted(
            free,
            key=lambda e: (
                not speaks(e, case),
                -able[e.id],
                -(p.max_minutes(e) or 0),
                sum(speaks(e, c) for c in p.cases if c.id != case.id),
                e.id,
            ),
        )
        size = team_size(p, case, ranked[: len(p.shift_types) + 3])
        teams[case.id] = ranked[:size]
        speakers = [e for e in free if speaks(e, case)]
        fewest = team_size(p, case, speakers)
        if fewest < size:
            # those who take every type first, but on short contracts, need one more
            # than the case's hours: the crew of the fewest with the lowest night peak
            crew = night_crew(p, case.id, speakers, fewest)
            if crew is not None:
                teams[case.id] = [e for e in ranked if e.id in crew]
        taken.update(e.id for e in teams[case.id])
    return teams


#: The most crews `night_crew` compares (12 speakers and a team of 5: 792).
MAX_CREWS = 5000


def night_crew(
    problem: RosterProblem, case_id: str, candidates: Sequence[Employee], size: int
) -> set[str] | None:
    """Of `candidates`, the `size` whose capacities (`capacity`) hold every shift of
    case `case_id` with the lowest night peak (`crew_night_peak`), the most capacity
    first among those; None when no `size` of them hold the shifts, or there are more
    than `MAX_CREWS` crews to compare.

    Why: five cases, pool 60, seed 3, the Dari case's speakers who take nights are on
    30-32 h contracts but one, so the team of those who take every type needs six; cut
    to five by the search's team level for its size only, it kept two night workers
    with the two 37 h speakers who take none, 28 nights each (a night spread of 336),
    where three night workers and two such speakers hold the case's hours, night 216."""
    p = problem
    demand = _demand(p, case_id)
    days = {d.day for d in demand}
    needed = sum(d.required for d in demand)
    types = [p.shift[sid] for sid in sorted({d.shift for d in demand})]
    if size <= 0 or len(candidates) < size or math.comb(len(candidates), size) > MAX_CREWS:
        return None
    held = {e.id: capacity(p, e, types, days) for e in candidates}
    limits = _night_limits(p, case_id, candidates)
    nights = _nights(p, case_id)
    best: tuple[tuple[int, int, tuple[str, ...]], set[str]] | None = None
    for crew in itertools.combinations(sorted(e.id for e in candidates), size):
        total = sum(held[eid] for eid in crew)
        if total < needed:
            continue
        key = (lowest_load([limits[eid] for eid in crew], nights), -total, crew)
        if best is None or key < best[0]:
            best = (key, set(crew))
    return None if best is None else best[1]


def crew_night_peak(problem: RosterProblem, case_id: str, crew: Sequence[Employee]) -> int:
    """The lowest night peak under which `crew` can share case `case_id`'s nights, each
    within their night capacity (`lowest_load`)."""
    limits = _night_limits(problem, case_id, crew)
    return lowest_load(list(limits.values()), _nights(problem, case_id))


def _demand(p: RosterProblem, case_id: str) -> list[CoverDemand]:
    """Case `case_id`'s cover that asks for someone."""
    return [d for d in p.cover if d.case == case_id and d.required > 0]


def _nights(p: RosterProblem, case_id: str) -> int:
    return sum(d.required for d in _demand(p, case_id) if p.shift[d.shift].night)


def _night_limits(
    p: RosterProblem, case_id: str, members: Sequence[Employee]
) -> dict[str, tuple[int, int]]:
    """Member → (fairness coefficient, the most nights of the case they can work)."""
    demand = _demand(p, case_id)
    days = {d.day for d in demand}
    night_types = [p.shift[sid] for sid in sorted({d.shift for d in demand}) if p.shift[sid].night]
    return {
        e.id: (
            fairness_coefficient(e) or 0,
            capacity(p, e, night_types, days) if night_types else 0,
        )
        for e in members
    }


def crew_weekend_peak(problem: RosterProblem, case_id: str, crew: Sequence[Employee]) -> int:
    """The lowest weekend peak under which `crew` can share case `case_id`'s weekend
    shifts, each within their capacity on its weekend days (`lowest_load`)."""
    p = problem
    demand = [d for d in _demand(p, case_id) if d.day in p.weekend_like_days]
    days = {d.day for d in demand}
    types = [p.shift[sid] for sid in sorted({d.shift for d in demand})]
    limits = [(fairness_coefficient(e) or 0, capacity(p, e, types, days)) for e in crew]
    return lowest_load(limits, sum(d.required for d in demand))


def lowest_load(limits: Sequence[tuple[int, int]], shifts: int) -> int:
    """The lowest contract-relative load (a member's fairness coefficient times their
    counted shifts: nights, weekend shifts) under which members of (coefficient,
    capacity) `limits` can share `shifts` counted shifts; a large number when they
    cannot at all."""
    usable = [(coef, cap) for coef, cap in limits if coef > 0 and cap > 0]
    if shifts <= 0:
        return 0
    if sum(cap for _, cap in usable) < shifts:
        return 10**9
    low, high = 0, max(coef * cap for coef, cap in usable)
    while low < high:
        mid = (low + high) // 2
        if sum(min(cap, mid // coef) for coef, cap in usable) >= shifts:
            high = mid
        else:
            low = mid + 1
    return low


def interchangeable(problem: RosterProblem, case: Case, members: list[Employee]) -> bool:
    """Every member speaks the case's language and may take every shift type; a lone
    case's members need only speak it: the greedy gives the shifts a member may not
    take to another member, and the team stays the rotation's (one case, pool 40, seed
    3: four night workers and one who takes none; from the greedy's team, with three
    on nights, the night spread stayed at 190 in every run, from the rotation's 140)."""
    return all(
        speaks(e, case)
        and (
            len(problem.cases) == 1
            or all(why_not(problem, e, 0, s) in NOT_PER_TYPE for s in problem.shift_types)
        )
        for e in members
    )


#: Reasons of `why_not` on day 0 that say nothing about a shift type as such.
NOT_PER_TYPE = (None, Ineligible.ABSENT, Ineligible.BUSY)


def takes_every_type(problem: RosterProblem, member: Employee) -> bool:
    """No shift type is barred to `member` as such (day 0's reasons of `why_not`)."""
    return all(why_not(problem, member, 0, s) in NOT_PER_TYPE for s in problem.shift_types)


__all__ = [
    "crew_night_peak",
    "crew_weekend_peak",
    "lowest_load",
    "night_crew",
]
