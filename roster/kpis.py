"""Roster KPIs computed in plain Python from a roster (no solver involved)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass

from roster.problem import Roster, RosterProblem


@dataclass(frozen=True)
class EmployeeKpis:
    shifts: int
    minutes: int  #: roster minutes (counted minutes, sleep-in partly)
    committed_minutes: int
    contract_minutes: int  #: contract pro rata over the horizon
    nights: int
    weekend_days: int  #: Saturdays, Sundays (and holidays if they count as weekend)
    blocks: int  #: runs of the same shift type on consecutive days
    isolated_shifts: int  #: working days with a day off on both sides


@dataclass(frozen=True)
class RosterKpis:
    team_size: dict[str, int]  #: case → distinct consultants
    handovers_per_day: dict[
        str, float
    ]  #: case → consultants leaving between consecutive shifts, per day
    per_employee: dict[str, EmployeeKpis]  #: only employees with at least one shift
    requests_met: int
    requests_total: int

    @property
    def total_team_size(self) -> int:
        return sum(self.team_size.values())


def blocks_and_isolated(problem: RosterProblem, worked: dict[int, str]) -> tuple[int, int]:
    """(number of same-type blocks, isolated single days) for one employee's day→shift."""
    blocks = sum(1 for d, s in worked.items() if worked.get(d - 1) != s)
    isolated = sum(1 for d in worked if d - 1 not in worked and d + 1 not in worked)
    return blocks, isolated


def compute_kpis(problem: RosterProblem, roster: Roster) -> RosterKpis:
    p = problem
    by_employee: dict[str, dict[int, str]] = defaultdict(dict)
    team: dict[str, set[str]] = defaultdict(set)
    slots: dict[str, dict[tuple[int, int], set[str]]] = defaultdict(lambda: defaultdict(set))
    for a in roster:
        by_employee[a.employee][a.day] = a.shift
        team[a.case].add(a.employee)
        start, _ = p.shift[a.shift].span(a.day)
        slots[a.case][(start, 0)].add(a.employee)
    handovers: dict[str, float] = {}
    for case in p.cases:
        ordered = [v for _, v in sorted(slots[case.id].items())]
        leaving = sum(len(a - b) for a, b in itertools.pairwise(ordered))
        handovers[case.id] = leaving / p.days
    per_employee: dict[str, EmployeeKpis] = {}
    for e in p.employees:
        worked = by_employee.get(e.id)
        if not worked:
            continue
        blocks, isolated = blocks_and_isolated(p, worked)
        per_employee[e.id] = EmployeeKpis(
            shifts=len(worked),
            minutes=sum(p.shift[s].minutes for s in worked.values()),
            committed_minutes=e.committed_minutes,
            contract_minutes=e.contract_minutes_per_week * p.days // 7,
            nights=sum(1 for s in worked.values() if p.shift[s].night),
            weekend_days=sum(1 for d in worked if d in p.weekend_like_days),
            blocks=blocks,
            isolated_shifts=isolated,
        )
    met = 0
    for r in p.requests:
        shift = by_employee.get(r.employee, {}).get(r.day)
        works = shift is not None if r.shift is None else shift == r.shift
        met += works == r.on
    return RosterKpis(
        team_size={c.id: len(team[c.id]) for c in p.cases},
        handovers_per_day=handovers,
        per_employee=per_employee,
        requests_met=met,
        requests_total=len(p.requests),
    )
