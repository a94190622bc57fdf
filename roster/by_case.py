"""Several døgnindsats from one pool, their rhythm re-planned one case at a time.

Once the cover and team levels are held, each case is staffed by its own crew: the
consultants with a shift on it. A crew whose members work no other case is a
døgnindsats of its own, exactly: its cover is the case's cover (nobody else staffs it),
every working-time rule is per consultant, and no one else's shift depends on it. So
its rhythm can be searched as one case with the crew as the pool (`case_problem`),
with the one-case machinery: the repaired rotation of the crew (`roster.rotation`)
when it beats the crew's present roster, then the levels and their LNS on a model a
fifth the size. The whole model's LNS frees two or three of 25 workers, mostly from
different cases, who can trade no shift of either (five cases from a pool of 60 ended
at 1,491-1,868 against a bound of 915).

Several cases also start case by case (`warm_start`): each case's own warm start from
the disjoint teams of `rotation_teams.choose_teams` and a few idle speakers, its team cut by a
short search of the case alone, is a roster of the whole pool that the team level holds
without a search when it reaches the team's bound.

A case's new roster is kept only when the whole roster's levels (cover, team, the rest,
in that order) improve. The night and weekend spreads are a peak over the whole pool:
each case lowers its own crew's, the whole model's search afterwards the pool's.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Callable

from roster.capacities import fairness_coefficient
from roster.eligibility import speaks, why_not
from roster.problem import Assignment, Roster, RosterProblem
from roster.rotation import applicable as rotation_applies
from roster.rotation import (
    levels,  # cover, team, the rest of a roster
    night_rotation,
    relieved_rotation,
)
from roster.rotation import warm_start as whole_warm_start
from roster.rotation_teams import choose_teams, crew_night_peak, crew_weekend_peak, night_crew
from roster.term_bound import team_bound

#: A case's search: (its problem, its time limit, the roster to start from) → a roster
#: of that problem, or None when it found none.
CaseSolver = Callable[[RosterProblem, float, Roster], Roster | None]


#: The shortest search of one case worth its model build and warm start.
MIN_CASE_SECONDS = 1.0


def applicable(problem: RosterProblem) -> bool:
    """Several cases of one consultant per shift (døgnindsats) in priority levels."""
    return len(problem.cases) > 1 and problem.weights.lexicographic and rotation_applies(problem)


def own_crews(roster: Roster) -> dict[str, set[str]]:
    """Case → its crew, for the cases whose every member works that case only."""
    cases_of: dict[str, set[str]] = defaultdict(set)
    for a in roster:
        cases_of[a.employee].add(a.case)
    crews: dict[str, set[str]] = defaultdict(set)
    for employee, cases in cases_of.items():
        for case in cases:
            crews[case].add(employee)
    return {
        case: crew
        for case, crew in crews.items()
        if all(cases_of[employee] == {case} for employee in crew)
    }


def case_problem(problem: RosterProblem, case_id: str, crew: set[str]) -> RosterProblem:
    """The case alone, staffed from `crew` only, with the crew's own requests."""
    return dataclasses.replace(
        problem,
        cases=(problem.case[case_id],),
        cover=tuple(d for d in problem.cover if d.case == case_id),
        employees=tuple(e for e in problem.employees if e.id in crew),
        requests=tuple(r for r in problem.requests if r.employee in crew),
    )


def improve(
    problem: RosterProblem,
    roster: Roster,
    seconds: float,
    solve_case: CaseSolver,
    now: Callable[[], float] | None = None,
) -> Roster:
    """`roster` with each case that has a crew of its own (`own_crews`) re-planned by
    `solve_case` in an equal part of `seconds` (none when a part is shorter than
    `MIN_CASE_SECONDS`), the costliest case first, from its crew and a few of the
    pool's idle consultants (`spares`). A case's roster is kept when its own levels,
    its peaks counted from the floors `with_pool_peaks` gives it (no higher than the
    crews' lowest, `crews_lowest_peaks`), are no worse; of the cases' rosters before
    and after, the mix whose whole roster's levels are lowest is returned
    (`_best_mix`). Never worse than `roster`.

    Why the cases' own levels: where several cases share the pool's peak, a case that
    lowers its own at a small cost lowers the pool's only once the others have too,
    so judged on the whole roster each such step was undone (five cases, pool 60,
    seed 3: four cases at a weekend peak of 120, their crews' lowest 110).

    `now`: the caller's clock; each case's part is then what is left of `seconds` on
    it, shared among the cases left, so that the work between the searches (each
    case's own warm start, the whole roster's levels) and a search's overrun come out
    of the later parts, not past the whole (five cases, pool 60, seed 3: 8.6 s given,
    12.9-14.9 s taken, 0.6-1.0 s a case outside its part)."""
    crews = own_crews(roster)
    if not crews or seconds / len(crews) < MIN_CASE_SECONDS:
        return roster
    costs = {
        case: levels(case_problem(problem, case, crew), _of(roster, case))
        for case, crew in crews.items()
    }
    order = sorted(crews, key=lambda c: (costs[c], c), reverse=True)
    spare = spares(problem, roster, order)
    targets = crews_lowest_peaks(problem, crews)
    before = {case: _of(roster, case) for case in order}
    after = dict(before)
    rest = tuple(a for a in roster if a.case not in crews)

    def joined(parts: dict[str, Roster]) -> Roster:
        return tuple(sorted([*rest, *(a for part in parts.values() for a in part)]))

    deadline = None if now is None else now() + seconds
    for left, case in enumerate(order):
        whole = joined(after)
        sub = case_problem(problem, case, crews[case] | spare[case])
        sub = with_pool_peaks(problem, sub, whole, case, targets)
        start = start_of(sub, after[case], whole_warm_start(sub))
        start = _relieved_crew_start(problem, whole, case, sub, crews[case], start)
        part = seconds / len(crews)
        if deadline is not None and now is not None:
            part = (deadline - now()) / (len(order) - left)
            if part < MIN_CASE_SECONDS:
                break
        found = solve_case(sub, part, start)
        if found is not None and levels(sub, found) <= levels(sub, after[case]):
            after[case] = tuple(found)
    return _best_mix(problem, roster, before, after, joined)


#: The most cases whose rosters before and after `_best_mix` mixes in every way (2^6
#: whole rosters' levels, 8 ms each for five cases, pool 60); past it only all
#: before or all after.
MAX_MIXED = 6


def _best_mix(
    problem: RosterProblem,
    roster: Roster,
    before: dict[str, Roster],
    after: dict[str, Roster],
    joined: Callable[[dict[str, Roster]], Roster],
) -> Roster:
    """Of the whole rosters that take each case's roster from `before` or `after`
    (crews disjoint, spares given to one case each, so each mix is a roster), the one
    of lowest levels, `roster` on a tie."""
    changed = [case for case in after if after[case] != before[case]]
    mixes: list[tuple[bool, ...]] = (
        list(itertools.product((False, True), repeat=len(changed)))
        if len(changed) <= MAX_MIXED
        else [(True,) * len(changed)]
    )
    best, best_levels = roster, levels(problem, roster)
    for mix in mixes:
        if not any(mix):
            continue
        taken = dict(before) | {
            case: after[case] for case, new in zip(changed, mix, strict=True) if new
        }
        candidate = joined(taken)
        candidate_levels = levels(problem, candidate)
        if candidate_levels < best_levels:
            best, best_levels = candidate, candidate_levels
    return best


def crews_lowest_peaks(problem: RosterProblem, crews: dict[str, set[str]]) -> tuple[int, int]:
    """The night and weekend peaks the pool can come down to with these crews: the
    highest over the cases of the lowest peaks under which each crew can share its
    case's nights and weekend shifts (`crew_night_peak`, `crew_weekend_peak`)."""
    night = weekend = 0
    for case, crew in crews.items():
        members = [problem.employee[e] for e in sorted(crew)]
        night = max(night, crew_night_peak(problem, case, members))
        weekend = max(weekend, crew_weekend_peak(problem, case, members))
    return night, weekend


def with_pool_peaks(
    problem: RosterProblem,
    sub: RosterProblem,
    roster: Roster,
    case: str,
    targets: tuple[int, int] | None = None,
) -> RosterProblem:
    """`sub`, the case `case` of `problem` alone, with the night and weekend peaks the
    rest of `roster` reaches as its spreads' floors (`RosterProblem.night_spread_floor`): the
    spreads are the pool's peaks, so with the other cases held a roster of the case
    costs the whole roster's objective less a constant, and its search trades its
    rhythm only for a peak the pool would show. Five cases, pool 60, seed 0: the
    Kurdish and Somali cases' searches held their night peaks at 140 under the Dari
    case's 156, and the Kurdish case's relieved crew was 442 against 444 alone, but
    1,137 against 1,163 for the whole roster.

    With `targets` (night, weekend: `crews_lowest_peaks`), no floor above them: where
    several cases share the pool's peak, none of them alone would lower it (five
    cases, pool 60, seed 3: four cases at a weekend peak of 120, the crews' lowest
    110; the five searched in turn with 110 as the floor, 6 s each, all reached it
    with no more blocks: 1,192 → 1,170 for the rest)."""
    p = problem
    nights = {s.id for s in p.shift_types if s.night}
    weekend = p.weekend_like_days
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for a in roster:
        if a.case != case:
            counts[a.employee][0] += a.shift in nights
            counts[a.employee][1] += a.day in weekend
    night = weekend_peak = 0
    for eid, (n, w) in counts.items():
        coef = fairness_coefficient(p.employee[eid]) or 0
        night, weekend_peak = max(night, coef * n), max(weekend_peak, coef * w)
    if targets is not None:
        night, weekend_peak = min(night, targets[0]), min(weekend_peak, targets[1])
    return dataclasses.replace(sub, night_spread_floor=night, weekend_spread_floor=weekend_peak)


def _relieved_crew_start(
    problem: RosterProblem,
    roster: Roster,
    case: str,
    sub: RosterProblem,
    crew: set[str],
    start: Roster,
) -> Roster:
    """`start`, or the relieved rotation of the case's present `crew`
    (`rotation.relieved_rotation`: a crew of four who take every type and one who takes
    no nights) when the whole roster with it is better by level. Judged on the whole
    roster, since the night and weekend peaks are the pool's: five cases, pool 60, seed
    0, the Kurdish case's crew relieved was 442 against its present 444 on its own
    (night 160 against 140) but 1,137 against 1,163 for the whole roster, whose night
    peak was 156 already (blocks 132 against 168).

    Not when it keeps a crew larger than the case needs (`team_bound`) at its size:
    the case's search may still shrink that crew from its present roster, and the team
    comes before the rhythm (seed 3: from the relieved start the team ended at 26 in
    5 runs of 5, from the present rosters at 25 in 4 of 4)."""
    relieved = relieved_rotation(sub, [sub.employee[e] for e in sorted(crew)])
    if relieved is None:
        return start
    others = [a for a in roster if a.case != case]
    with_relieved = levels(problem, tuple(sorted(others + list(relieved))))
    with_start = levels(problem, tuple(sorted(others + list(start))))
    may_shrink = len(crew) > team_bound(sub)
    if with_relieved < with_start and not (may_shrink and with_relieved[1] == with_start[1]):
        return relieved
    return start


def start_of(sub: RosterProblem, present: Roster, rotated: Roster) -> Roster:
    """Where a case's search starts: the crew's repaired rotation (`warm_start`) when
    it beats their `present` roster by level, or when its cover is no worse and its
    rhythm better though it takes one member more, whom the search's team level then
    takes out (five cases, pool 60, seed 0: the Dari case's crew had two who take no
    nights, a night spread of 200; from its crew and spares the rotation picks five
    who take nights, 475 for the rest with a sixth member on two day shifts, against
    the present 517); `present` otherwise."""
    now, then = levels(sub, present), levels(sub, rotated)
    if then < now or (then[0] <= now[0] and then[1] <= now[1] + 1 and then[2] < now[2]):
        return rotated
    return present


#: Idle consultants a case's search may draw on besides its crew.
SPARES_PER_CASE = 3


def warm_start(
    problem: RosterProblem, solve_case: CaseSolver | None = None, seconds: float = 0.0
) -> Roster:
    """Where several cases start: each case's own warm start (`separate_start`) when
    together they cover every shift with the team's bound, as the team level would
    hold them without a search; else the better by level of that and the whole pool's
    (`rotation.warm_start`). Five cases, pool 60, seed 0, under load: the whole pool's
    warm start took 15 s and gave a team of 29, whose crews the team level then cut
    to 26 in 17 s, choosing members for the team's size only (the Somali case kept
    two who take no nights and left a speaker who does idle): the cases re-planned
    alone had 3 s each, two of them none, for sharing a member."""
    least_team = problem.weights.team_member * team_bound(problem)
    separate = separate_start(problem, solve_case, seconds)
    if separate is None:
        return whole_warm_start(problem)
    if levels(problem, separate)[1] == least_team:
        return separate
    return min(whole_warm_start(problem), separate, key=lambda r: levels(problem, r))


def separate_start(
    problem: RosterProblem, solve_case: CaseSolver | None = None, seconds: float = 0.0
) -> Roster | None:
    """The cases' warm starts side by side: each case alone (`case_problem`), staffed
    from the team `rotation_teams.choose_teams` gives it (disjoint, the scarcest language
    first, those who take every shift type first) and up to `SPARES_PER_CASE` of the
    speakers no team took, none shared; a lone case rotates even with a member who
    takes no nights (the greedy hands them on), which several cases in one model do
    not. The crews are disjoint, and every rule is per consultant or per case, so the
    rosters together are a roster of `problem`. With `solve_case`, a case whose start
    takes more than its team's bound is searched alone for `seconds` first. None as
    soon as a case's start leaves a shift uncovered or without its language: the whole
    pool must then cover it (five cases, pool 60, seed 2: three shifts no team's
    speaker can take), and is left the time."""
    teams = choose_teams(problem)
    chosen = {e.id for members in teams.values() for e in members}
    order = sorted(teams)
    extra = _idle_speakers(problem, chosen, order)
    parts: list[tuple[RosterProblem, Roster]] = []
    for case_id in order:
        sub = case_problem(problem, case_id, {e.id for e in teams[case_id]} | extra[case_id])
        part = whole_warm_start(sub)
        if levels(sub, part)[0]:
            return None
        parts.append((sub, part))
    roster: list[Assignment] = []
    crews = [lowest_night_crew(sub) for sub, _ in parts]
    pool_peak = max((crew.peak for crew in crews if crew is not None), default=0)
    for (sub, part), crew in zip(parts, crews, strict=True):
        least_team = sub.weights.team_member * team_bound(sub)
        if solve_case is not None and levels(sub, part)[1] > least_team:
            part = _at_team_bound(sub, part, solve_case, seconds, crew, pool_peak)
        roster.extend(part)
    return tuple(sorted(roster))


@dataclasses.dataclass(frozen=True)
class NightCrew:
    """A lone case's crew chosen for its nights (`lowest_night_crew`)."""

    members: frozenset[str]
    peak: int  #: the lowest night peak under which they can share the case's nights


def lowest_night_crew(sub: RosterProblem) -> NightCrew | None:
    """A lone case's crew of its team's bound with the lowest night peak
    (`rotation_teams.night_crew`), with that peak (`crew_night_peak`); None when none."""
    case = sub.cases[0].id
    crew = night_crew(sub, case, list(sub.employees), team_bound(sub))
    if crew is None:
        return None
    members = [sub.employee[e] for e in sorted(crew)]
    return NightCrew(frozenset(crew), crew_night_peak(sub, case, members))


def _at_team_bound(
    sub: RosterProblem,
    part: Roster,
    solve_case: CaseSolver,
    seconds: float,
    crew: NightCrew | None,
    pool_peak: int = 0,
) -> Roster:
    """A lone case's start `part`, whose team is above its bound, searched for
    `seconds`; then, unless that reached the bound with every shift covered and a
    crew whose nights can be shared as low as the night crew's (`crew`, from
    `lowest_night_crew`) or `pool_peak` (the other cases' night crews' highest: the
    night spread is the pool's, so a case below it gains nothing there), the crew of
    the bound's size with the lowest night peak searched as the whole pool, from its
    own warm start or its nights planned first (`rotation.night_rotation`), with twice
    the time when that start leaves a shift uncovered. The better by level.

    Why: the search's team level drops members for the team's size only (five cases,
    pool 60, seed 3: the Dari case's start of six, cut to five, kept two night workers
    beside three who take no nights, 28 nights each, a night spread of 336, where
    three night workers hold the case's hours, 216). Where it keeps a crew whose
    nights stay below the pool's (seed 0: the Kurdish case four night workers and C08,
    140 against the Dari case's night crew's 156), the crew's search is not run (it
    took 4.4 s there, and its crew could not cover every shift)."""
    best = part
    found = solve_case(sub, seconds, part)
    if found is not None and levels(sub, found) < levels(sub, best):
        best = found
    if crew is None:
        return best
    case = sub.cases[0].id
    cover, team, _ = levels(sub, best)
    kept = [sub.employee[e] for e in sorted({a.employee for a in best})]
    if (
        cover == 0
        and team == sub.weights.team_member * team_bound(sub)
        and crew_night_peak(sub, case, kept) <= max(crew.peak, pool_peak)
    ):
        return best
    crew_sub = case_problem(sub, case, set(crew.members))
    start = whole_warm_start(crew_sub)
    nights_first = night_rotation(crew_sub)
    if nights_first is not None and levels(crew_sub, nights_first) < levels(crew_sub, start):
        start = nights_first
    # a crew whose hours just hold the case's may still start with a few shifts
    # uncovered, and the cover level needs its time (seed 3's Dari crew from the
    # greedy: 3 shifts, covered in 1.4 s of search, not in 0.7)
    uncovered = levels(crew_sub, start)[0] > 0
    found = solve_case(crew_sub, 2 * seconds if uncovered else seconds, start)
    if found is not None and levels(sub, found) < levels(sub, best):
        best = found
    return best


def spares(problem: RosterProblem, roster: Roster, order: list[str]) -> dict[str, set[str]]:
    """Case → up to `SPARES_PER_CASE` consultants who work no case in `roster`, none
    given to two cases (so the cases stay independent), in `order`: who speak the
    case's language and can take the most shift types mid-week. The team level picks
    a crew for its size only: five cases, pool 60, seed 0, the Somali case's crew had
    three who take no nights, and its two night workers 28 nights each (a night spread
    of 280 where four night workers would allow 140), with two Somali speakers who
    take nights idle; its own search, from the crew alone, could not use them."""
    return _idle_speakers(problem, {a.employee for a in roster}, order)


def _idle_speakers(problem: RosterProblem, busy: set[str], order: list[str]) -> dict[str, set[str]]:
    """Case → up to `SPARES_PER_CASE` consultants not in `busy` who speak its language
    and can take the most shift types mid-week, none given to two cases, in `order`."""
    p = problem
    idle = [e for e in p.employees if e.id not in busy]
    able = {
        e.id: sum(why_not(p, e, d, s) is None for d in range(3, p.days, 7) for s in p.shift_types)
        for e in idle
    }
    taken: set[str] = set()
    out: dict[str, set[str]] = {}
    for case_id in order:
        case = p.case[case_id]
        ranked = sorted(
            (e for e in idle if e.id not in taken and speaks(e, case) and able[e.id]),
            key=lambda e: (-able[e.id], -(p.max_minutes(e) or 0), e.id),
        )
        out[case_id] = {e.id for e in ranked[:SPARES_PER_CASE]}
        taken |= out[case_id]
    return out


def _of(roster: Roster, case: str) -> Roster:
    return tuple(a for a in roster if a.case == case)


__all__ = [
    "CaseSolver",
    "applicable",
    "case_problem",
    "improve",
    "own_crews",
    "separate_start",
    "spares",
    "start_of",
    "warm_start",
]
