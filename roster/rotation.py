"""A rhythm-aware warm start for døgnindsats: a cyclic rotation, repaired by the greedy.

A døgnindsats wants one consultant on each shift type of each day, from a small team.
A team of n works a cycle of n segments of `segment_days` days each: one segment per
shift type, in the order of their start times (a forward rotation: day, evening, night,
so the daily rest always holds between them), the other n - k segments off. Member i
runs the cycle `segment_days * i` days behind member 0, so on every day the n members
stand on n different segments: each shift type is covered exactly once, by
construction. Each member works long blocks of one shift type, with days off together,
no isolated shift, and the same share of nights and weekends as every other member.

The segments are ordered so that no run of working days exceeds the consecutive-days
rule, no night segment exceeds the consecutive-nights rule, and no shift follows another
it may not follow (a night then a day shift the next morning), across the cycle's end
too. The rotation is then only a plan: `heuristic._greedy` fills the shifts in time
order, taking the planned consultant wherever every rule still holds with the history,
absences and hours, and another consultant (the team's first) where not. The best of the
repaired rotations and the plain greedy roster (`heuristic.greedy`), by priority level
(cover, then team, then the rest), is the warm start; CP-SAT and the LNS improve on it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from roster.capacities import capacity, fairness_coefficient, may_follow
from roster.eligibility import Ineligible, speaks, why_not
from roster.heuristic import _fits, _greedy, _State, greedy
from roster.problem import Case, CoverDemand, Employee, Roster, RosterProblem
from roster.term_bound import team_bound
from roster.validate import evaluate

#: The days between two members' cycles tried: blocks of that many days of one shift
#: type (the consecutive-nights rule, 4 by default, caps it).
LAGS = (2, 3, 4)
#: Cycles tried per lag, best first (`cycles`), and phases of the best one (the
#: history decides which start fits it best): each is one greedy run.
CYCLES_PER_LAG = 1
PHASES = 4

Plan = dict[tuple[str, int, str], str]


def applicable(problem: RosterProblem) -> bool:
    """One consultant per shift (a døgnindsats), on at least two shift types."""
    return (
        len(problem.shift_types) >= 2
        and bool(problem.cover)
        and all(d.required <= 1 for d in problem.cover)
    )


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
        key = (night_peak([limits[eid] for eid in crew], nights), -total, crew)
        if best is None or key < best[0]:
            best = (key, set(crew))
    return None if best is None else best[1]


def crew_night_peak(problem: RosterProblem, case_id: str, crew: Sequence[Employee]) -> int:
    """The lowest night peak under which `crew` can share case `case_id`'s nights, each
    within their night capacity (`night_peak`)."""
    limits = _night_limits(problem, case_id, crew)
    return night_peak(list(limits.values()), _nights(problem, case_id))


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


def night_peak(limits: Sequence[tuple[int, int]], nights: int) -> int:
    """The lowest contract-relative night load (a member's fairness coefficient times
    their nights) under which members of (coefficient, night capacity) `limits` can
    share `nights` nights; a large number when they cannot at all."""
    usable = [(coef, cap) for coef, cap in limits if coef > 0 and cap > 0]
    if nights <= 0:
        return 0
    if sum(cap for _, cap in usable) < nights:
        return 10**9
    low, high = 0, max(coef * cap for coef, cap in usable)
    while low < high:
        mid = (low + high) // 2
        if sum(min(cap, mid // coef) for coef, cap in usable) >= nights:
            high = mid
        else:
            low = mid + 1
    return low


def _interchangeable(problem: RosterProblem, case: Case, members: list[Employee]) -> bool:
    """Every member speaks the case's language and may take every shift type; a lone
    case's members need only speak it: the greedy gives the shifts a member may not
    take to another member, and the team stays the rotation's (one case, pool 40, seed
    3: four night workers and one who takes none; from the greedy's team, with three
    on nights, the night spread stayed at 190 in every run, from the rotation's 140)."""
    return all(
        speaks(e, case)
        and (
            len(problem.cases) == 1
            or all(why_not(problem, e, 0, s) in _NOT_PER_TYPE for s in problem.shift_types)
        )
        for e in members
    )


#: Reasons of `why_not` on day 0 that say nothing about a shift type as such.
_NOT_PER_TYPE = (None, Ineligible.ABSENT, Ineligible.BUSY)


def rotation_plan(
    problem: RosterProblem,
    teams: dict[str, list[Employee]],
    cycle: Cycle,
    lag: int,
    phase: int = 0,
) -> Plan:
    """(case, day, shift) → the member the rotation puts there: member i stands on day
    (day + phase + lag * i) of the cycle. A member whose hours cannot carry their share
    gives up the first day of some runs, spread over the horizon, for the greedy to
    fill (at the end of the horizon they would all fall at once)."""
    plan: Plan = {}
    demanded = {(d.case, d.day, d.shift) for d in problem.cover}
    n = len(cycle) // lag
    for case_id, team in teams.items():
        if len(team) != n:
            continue
        members = fit_to_history(problem, team, cycle, lag, phase)
        left: dict[str, int] = {}
        works: dict[str, dict[int, str]] = {}
        dropped: list[tuple[int, str]] = []
        planned = {
            member.id: {
                day: shift
                for day in range(problem.days)
                if (shift := cycle[(day + phase + lag * i) % len(cycle)]) is not None
                and (case_id, day, shift) in demanded
            }
            for i, member in enumerate(members)
        }
        planned = balance_weekends(problem, members, planned)
        for member in members:
            mine = sorted(planned[member.id].items())
            kept = _within_hours(problem, member, mine)
            dropped += sorted(set(mine) - set(kept))
            works[member.id] = dict(kept)
            limit = problem.max_minutes(member)
            used = sum(problem.shift[s].minutes for _, s in kept)
            left[member.id] = (limit if limit is not None else used) - used
        for day, shift in sorted(dropped):
            # to the member with hours to spare who is off that day, one who works
            # the same shift the day before or after first (a longer block)
            minutes = problem.shift[shift].minutes
            free = [m for m in members if day not in works[m.id] and left[m.id] >= minutes]
            if not free:
                continue
            taker = min(
                free,
                key=lambda m: (
                    shift not in (works[m.id].get(day - 1), works[m.id].get(day + 1)),
                    -left[m.id],
                ),
            )
            works[taker.id][day] = shift
            left[taker.id] -= minutes
        for member in members:
            for day, shift in works[member.id].items():
                plan[(case_id, day, shift)] = member.id
    return plan


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
        or not all(_takes_every_type(problem, m) for m in members)
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


def _takes_every_type(problem: RosterProblem, member: Employee) -> bool:
    """No shift type is barred to `member` as such (day 0's reasons of `why_not`)."""
    return all(why_not(problem, member, 0, s) in _NOT_PER_TYPE for s in problem.shift_types)


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
        state = _State(intervals=list(member.busy), windows=problem.reference_windows(member))
        count = 0
        for day in days:
            sid = cycle[(day + phase + lag * place) % len(cycle)]
            if sid is None:
                continue
            shift = problem.shift[sid]
            if why_not(problem, member, day, shift) is not None or not _fits(
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


def _within_hours(
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


def levels(problem: RosterProblem, roster: Roster) -> tuple[int, int, int]:
    """The roster's cost per priority level: cover, team, the rest (one weighted sum
    when the problem is not lexicographic)."""
    terms = evaluate(problem, roster)
    if not problem.weights.lexicographic:
        return 0, 0, sum(terms.values())
    cover = sum(terms.get(n, 0) for n in ("uncovered", "overcover", "missing_language"))
    cover += terms.get("missing_gender", 0)
    team = terms.get("team", 0)
    return cover, team, sum(terms.values()) - cover - team


def rotation(problem: RosterProblem) -> Roster | None:
    """The best repaired rotation, or None when none applies. Each case whose team
    can rotate (`_interchangeable`) rotates on its own cycle, one for each team size;
    the other cases are left to the greedy, which fills them from the rest of the pool
    around the rotating teams (five cases, pool 60: a member who cannot take some shift
    type, or lacks the family's language, would break the rotation on every cycle)."""
    if not applicable(problem):
        return None
    teams = {
        c: m
        for c, m in choose_teams(problem).items()
        if _interchangeable(problem, problem.case[c], m)
    }
    if not teams:
        return None
    # the cases left to the greedy need its care for scarce speakers
    pressure = len(teams) < len(problem.cases)
    best: tuple[tuple[int, int, int], Roster, dict[int, Cycle], int] | None = None
    for lag in sorted(LAGS, reverse=True):
        by_size: dict[int, Cycle] = {}
        for size in sorted({len(m) for m in teams.values()}):
            found = cycles(problem, size, lag)[:CYCLES_PER_LAG]
            if found:
                by_size[size] = found[0]
        if not by_size:
            continue
        roster = _greedy(
            problem, language_pressure=pressure, plan=_plan(problem, teams, by_size, lag, 0)
        )
        cost = levels(problem, roster)
        if best is None or cost < best[0]:
            best = (cost, roster, by_size, lag)
        if best[0][0] == 0:
            # the longest blocks that meet the cover: shorter ones only cost more runs
            # (one case: lag 4 is the best or tied with 3 and 2 on seeds 0-2), and each
            # try is a greedy run (1.5 s for five cases)
            break
    if best is None:
        return None
    # the best cycles at other phases: the one that meets the history best
    _, _, by_size, lag = best
    length = max(len(cycle) for cycle in by_size.values())
    for phase in range(lag, length, max(lag, length // PHASES)):
        plan = _plan(problem, teams, by_size, lag, phase)
        roster = _greedy(problem, language_pressure=pressure, plan=plan)
        cost = levels(problem, roster)
        if cost < best[0]:
            best = (cost, roster, by_size, lag)
    return best[1]


def relieved_rotation(
    problem: RosterProblem, team: Sequence[Employee] | None = None
) -> Roster | None:
    """A lone case whose team has members who may not take some shift type (a
    consultant who takes no nights): the others rotate on the cycle of their own
    number (`cycles`), and each such member takes whole blocks of that cycle off those
    planned past their hours, never two blocks in a row (`relief_plan`), repaired by
    the greedy; the best phase by level. None when it does not apply: several cases,
    no such member, or too few members who take every type for a cycle.

    Why: the plain rotation puts such a member on every type's block and leaves their
    nights to the greedy, which hands them on shift by shift (five cases, pool 60, seed
    0: the Dari and Somali cases, four night workers and one who takes none, 721-722
    for the rest from it against 438-451 after their searches, where the cases whose
    five take every type rotate to 374-389). Blocks moved whole keep every run a run
    of `lag` days.

    `team`: the members (None: `choose_teams`'), e.g. a case's present crew."""
    if len(problem.cases) != 1 or not applicable(problem):
        return None
    case = problem.cases[0]
    team = choose_teams(problem)[case.id] if team is None else team
    full = [m for m in team if _takes_every_type(problem, m)]
    partial = [m for m in team if m not in full and speaks(m, case)]
    if not partial or len(full) <= len(problem.shift_types):
        return None
    best: tuple[tuple[int, int, int], Roster] | None = None
    for lag in sorted(LAGS, reverse=True):
        found = cycles(problem, len(full), lag)[:CYCLES_PER_LAG]
        if not found:
            continue
        cycle = found[0]
        for phase in range(0, len(cycle), max(lag, len(cycle) // PHASES)):
            plan = relief_plan(problem, case.id, full, partial, cycle, lag, phase)
            roster = _greedy(problem, language_pressure=False, plan=plan)
            cost = levels(problem, roster)
            if best is None or cost < best[0]:
                best = (cost, roster)
        if best is not None and best[0][0] == 0:
            break  # the longest blocks that meet the cover, as in `rotation`
    return None if best is None else best[1]


def night_rotation(problem: RosterProblem) -> Roster | None:
    """A lone case whose members are not all able to take every shift type: only its
    nights planned, in blocks of `lag` days handed round those who take every type,
    the other shifts left to the greedy; the best of every lag and starting member by
    level. None when it does not apply: several cases, every member takes every type,
    or fewer than two take nights.

    Why: a crew of three night workers and two who take none, whose hours just hold
    the case's (five cases, pool 60, seed 3, the Dari case: 173 h a week for 168),
    was left 3-5 shifts uncovered by the greedy and by the rotation, which spend the
    night workers' hours on days before the nights come; its cover level then took
    1.4-2 s of a case's search of 2.2 s. With the nights planned first, some lag and
    phase covers every shift (lag 3: 578 for the rest, night spread 216)."""
    if len(problem.cases) != 1 or not applicable(problem):
        return None
    case = problem.cases[0]
    full = [m for m in problem.employees if _takes_every_type(problem, m) and speaks(m, case)]
    if len(full) < 2 or len(full) == len(problem.employees):
        return None
    nights = [s for s in problem.shift_types if s.night]
    if not nights:
        return None
    best: tuple[tuple[int, int, int], Roster] | None = None
    for lag in sorted(LAGS, reverse=True):
        for first in range(len(full)):
            order = full[first:] + full[:first]
            plan: Plan = {
                (case.id, day, s.id): order[(day // lag) % len(order)].id
                for day in range(problem.days)
                for s in nights
            }
            roster = _greedy(problem, language_pressure=False, plan=plan)
            cost = levels(problem, roster)
            if best is None or cost < best[0]:
                best = (cost, roster)
    return None if best is None else best[1]


def relief_plan(
    problem: RosterProblem,
    case_id: str,
    full: list[Employee],
    partial: list[Employee],
    cycle: Cycle,
    lag: int,
    phase: int,
) -> Plan:
    """(case, day, shift) → member: `full` on `cycle` (member i on day (day + phase +
    lag * i) of it), and each of `partial` in turn taking blocks of `lag` days (never
    two in a row) of a type they may take from the member of `full` planned furthest
    past their hours, while anyone is; the greedy then repairs the plan to the rules,
    history and hours."""
    members = fit_to_history(problem, full, cycle, lag, phase)
    works: dict[str, dict[int, str]] = {
        m.id: {
            day: shift
            for day in range(problem.days)
            if (shift := cycle[(day + phase + lag * i) % len(cycle)]) is not None
        }
        for i, m in enumerate(members)
    }
    minutes = {m.id: sum(problem.shift[s].minutes for s in works[m.id].values()) for m in members}
    first = -(phase % lag)  # blocks start where the cycle's segments do
    starts = list(range(first, problem.days, lag))
    cap = {m.id: problem.max_minutes(m) for m in members}
    for helper in partial:
        own: dict[int, str] = {}
        left = problem.max_minutes(helper)
        for start in starts:
            if start - 1 in own:
                continue  # a block of lag days, then at least lag off
            days = [d for d in range(start, start + lag) if 0 <= d < problem.days]
            if not days:
                continue
            options: list[tuple[int, int, str, str]] = []
            for m in members:
                types = {works[m.id].get(d) for d in days}
                sid = types.pop() if len(types) == 1 else None
                if sid is None:
                    continue  # not one whole block of one type
                middle = days[len(days) // 2]
                if why_not(problem, helper, middle, problem.shift[sid]) not in _NOT_PER_TYPE:
                    continue
                limit = cap[m.id]
                over = 0 if limit is None else minutes[m.id] - limit
                options.append((over, minutes[m.id], m.id, sid))
            if not options or max(options)[0] <= 0:
                continue  # nobody here works past their hours
            _, _, relieved, sid = max(options)
            cost = problem.shift[sid].minutes * len(days)
            if left is not None and left < cost:
                break
            for d in days:
                del works[relieved][d]
                own[d] = sid
            minutes[relieved] -= cost
            if left is not None:
                left -= cost
        works[helper.id] = own
    return {(case_id, d, s): eid for eid, days in works.items() for d, s in days.items()}


def _plan(
    problem: RosterProblem,
    teams: dict[str, list[Employee]],
    by_size: dict[int, Cycle],
    lag: int,
    phase: int,
) -> Plan:
    """The rotation plans of every team whose size has a cycle, together."""
    plan: Plan = {}
    for size, cycle in by_size.items():
        sized = {c: m for c, m in teams.items() if len(m) == size}
        plan |= rotation_plan(problem, sized, cycle, lag, phase)
    return plan


def warm_start(problem: RosterProblem) -> Roster:
    """The better of the greedy roster and the repaired rotation, by priority level; for
    a lone case, the rotation whenever its cover and team are no worse. The search
    rarely swaps a whole member, so the start's team sets the night and weekend spread
    it ends with, and the rotation's team is chosen for them (`choose_teams`), the
    greedy's is whoever fits first: one case, pool 40, seed 3, 30 s: 408 from the
    rotation (548 for the rest level before the search), 465-480 from the greedy's
    (512). The rotation alone, the greedy not built, when it covers every shift with
    the fewest people the team's bound allows (`roster.term_bound.team_bound`): the greedy
    could then beat it only on the rhythm, which it builds shift by shift (five cases,
    pool 60: its two runs were a fifth of the warm start's 8 s)."""
    rotated = rotation(problem)
    relieved = relieved_rotation(problem)
    if relieved is not None and (
        rotated is None or levels(problem, relieved) < levels(problem, rotated)
    ):
        rotated = relieved
    if rotated is not None and _at_its_bounds(problem, rotated):
        return rotated
    plain = greedy(problem)
    if rotated is None:
        return plain
    if len(problem.cases) == 1 and levels(problem, rotated)[:2] <= levels(problem, plain)[:2]:
        return rotated
    return min(plain, rotated, key=lambda r: levels(problem, r))


def _at_its_bounds(problem: RosterProblem, roster: Roster) -> bool:
    """No shift uncovered and the team at its per-term bound, in a lexicographic solve."""
    if not problem.weights.lexicographic:
        return False
    cover, team, _ = levels(problem, roster)
    return cover == 0 and team == problem.weights.team_member * team_bound(problem)


__all__ = [
    "applicable",
    "balance_weekends",
    "crew_night_peak",
    "cycles",
    "levels",
    "night_crew",
    "night_peak",
    "night_rotation",
    "relief_plan",
    "relieved_rotation",
    "rotation",
    "rotation_plan",
    "warm_start",
]
