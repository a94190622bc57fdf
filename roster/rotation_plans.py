"""The rotation's plans: (case, day, shift) → the member the rotation puts there, for
the greedy (`roster.heuristic.greedy_roster`) to take wherever every rule still holds.

- `rotation_plan`: each team on its cycle, fitted to the history, the weekends evened
  and the members' hours (`roster.rotation_cycles`), the shifts given up handed to
  members with hours to spare; `plans_together` joins the teams of every size;
- `relief_plan`: a lone case's members who take every type on their cycle, and those
  who may not take some type taking whole blocks off whoever is planned past their
  hours.

Pure: no I/O.
"""

from __future__ import annotations

from roster.eligibility import why_not
from roster.problem import Employee, RosterProblem
from roster.rotation_cycles import Cycle, balance_weekends, fit_to_history, within_hours
from roster.rotation_teams import NOT_PER_TYPE

Plan = dict[tuple[str, int, str], str]


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
            kept = within_hours(problem, member, mine)
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
                if why_not(problem, helper, middle, problem.shift[sid]) not in NOT_PER_TYPE:
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


def plans_together(
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


__all__ = [
    "relief_plan",
    "rotation_plan",
]
