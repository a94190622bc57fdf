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
too. The rotation is then only a plan: `heuristic.greedy_roster` fills the shifts in time
order, taking the planned consultant wherever every rule still holds with the history,
absences and hours, and another consultant (the team's first) where not. The best of the
repaired rotations and the plain greedy roster (`heuristic.greedy`), by priority level
(cover, then team, then the rest), is the warm start; CP-SAT and the LNS improve on it.

The team of each case is chosen in `roster.rotation_teams`, the cycles are enumerated
and fitted to the members' history, hours and weekends in `roster.rotation_cycles`, and
the plans the greedy repairs are built in `roster.rotation_plans`; this module tries
them and keeps the best by level (`warm_start`).
"""

from __future__ import annotations

from collections.abc import Sequence

from roster.eligibility import speaks
from roster.heuristic import greedy, greedy_roster
from roster.problem import Employee, Roster, RosterProblem
from roster.rotation_cycles import Cycle, cycles
from roster.rotation_plans import Plan, plans_together, relief_plan
from roster.rotation_teams import choose_teams, interchangeable, takes_every_type
from roster.term_bound import team_bound
from roster.validate import evaluate

#: The days between two members' cycles tried: blocks of that many days of one shift
#: type (the consecutive-nights rule, 4 by default, caps it).
LAGS = (2, 3, 4)
#: Cycles tried per lag, best first (`cycles`), and phases of the best one (the
#: history decides which start fits it best): each is one greedy run.
CYCLES_PER_LAG = 1
PHASES = 4


def applicable(problem: RosterProblem) -> bool:
    """One consultant per shift (a døgnindsats), on at least two shift types."""
    return (
        len(problem.shift_types) >= 2
        and bool(problem.cover)
        and all(d.required <= 1 for d in problem.cover)
    )


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
    can rotate (`interchangeable`) rotates on its own cycle, one for each team size;
    the other cases are left to the greedy, which fills them from the rest of the pool
    around the rotating teams (five cases, pool 60: a member who cannot take some shift
    type, or lacks the family's language, would break the rotation on every cycle)."""
    if not applicable(problem):
        return None
    teams = {
        c: m
        for c, m in choose_teams(problem).items()
        if interchangeable(problem, problem.case[c], m)
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
        roster = greedy_roster(
            problem,
            language_pressure=pressure,
            plan=plans_together(problem, teams, by_size, lag, 0),
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
        plan = plans_together(problem, teams, by_size, lag, phase)
        roster = greedy_roster(problem, language_pressure=pressure, plan=plan)
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
    full = [m for m in team if takes_every_type(problem, m)]
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
            roster = greedy_roster(problem, language_pressure=False, plan=plan)
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
    full = [m for m in problem.employees if takes_every_type(problem, m) and speaks(m, case)]
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
            roster = greedy_roster(problem, language_pressure=False, plan=plan)
            cost = levels(problem, roster)
            if best is None or cost < best[0]:
                best = (cost, roster)
    return None if best is None else best[1]


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
    "levels",
    "night_rotation",
    "relieved_rotation",
    "rotation",
    "warm_start",
]
