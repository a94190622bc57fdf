"""The night or weekend peak of several cases, bounded by who can staff which case.

`roster.term_bound` bounds a peak (the highest contract-relative count of nights, or of
weekend shifts) per case: each case's counted shifts that need its language, spread
over all its speakers. Several cases from one pool share their speakers, and the team
level caps how many (consultant, case) memberships there are: five cases, pool 60, seed
0, team 25, the Dari case and the Somali case draw on the same two night-working
speakers, and a crew of five cannot hold a case's 168 shifts if more of them are
speakers who take no nights. Per case the bound said 140; rosters had 200-280.

This bound checks, for a peak P, a relaxation of the roster in which only counts per
(consultant, case) remain: shifts worked (`x`), counted shifts among them (`y`), and
membership (`m`). Each constraint holds for every roster that has no shift uncovered
or without its language and at most `team_members` memberships:

- each case's shifts are worked, its counted shifts too, and those that need the
  family's language by its speakers;
- a consultant works at most their capacity (`roster.capacities.capacity`) in all, of
  counted and of other shifts, and at most P // their fairness coefficient counted
  shifts (the peak);
- only members work a case; at most `team_members` memberships.

A peak for which CP-SAT proves the relaxation infeasible is below every roster's; the
relaxation only gets easier as P grows, so a binary search finds the smallest peak not
proven infeasible. Consultants alike in everything the relaxation sees are
interchangeable, and their places are ordered by the shifts they work (without that a
proof took seconds instead of hundredths).

Pure: no I/O.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from roster.capacities import capacity, fairness_coefficient, spoken_days
from roster.eligibility import speaks
from roster.problem import RosterProblem
from roster.templates import ShiftType

#: CP-SAT's deterministic time for one peak's relaxation (five cases, pool 60: each
#: proven in 0.01-0.1 s), so that the bound is the same under any load.
WORK_LIMIT = 0.5
#: A wall-clock cap besides, per peak.
WALL_LIMIT = 1.0

#: (the counted shifts a consultant can work, the others, all) of one consultant.
_Place = tuple[int | None, frozenset[str], int, int, int]


def crews_peak(
    p: RosterProblem,
    counts: Callable[[int, ShiftType], bool],
    team_members: int,
    lowest: int,
    languages_met: bool,
) -> int:
    """The smallest peak of the shifts `counts` selects, at least `lowest` (a bound
    already proven), that the relaxation does not rule out, for rosters with every
    shift covered (with `languages_met`, by a speaker of its family's language where it
    needs one) and at most `team_members` memberships."""
    relaxation = _Relaxation(p, counts, team_members, languages_met)
    high = relaxation.highest()
    if high <= lowest or not relaxation.possible(high):
        return lowest  # the assumptions cannot hold as stated: claim no more
    low = lowest
    while low < high:
        mid = (low + high) // 2
        if relaxation.possible(mid):
            high = mid
        else:
            low = mid + 1
    return low


class _Relaxation:
    def __init__(
        self,
        p: RosterProblem,
        counts: Callable[[int, ShiftType], bool],
        team: int,
        languages_met: bool,
    ) -> None:
        self.p, self.team = p, team
        self.shifts: dict[str, int] = defaultdict(int)  # case → shifts demanded
        self.counted: dict[str, int] = defaultdict(int)
        self.spoken: dict[str, int] = defaultdict(int)  # of them needing the language
        self.spoken_counted: dict[str, int] = defaultdict(int)
        needing = spoken_days(p) if languages_met else {}
        counted_types: set[str] = set()
        other_types: set[str] = set()
        counted_days: set[int] = set()
        other_days: set[int] = set()
        for d in p.cover:
            if d.required <= 0:
                continue
            shift = p.shift[d.shift]
            is_counted = counts(d.day, shift)
            by_speaker = d.day in needing.get((d.case, d.shift), ())
            self.shifts[d.case] += d.required
            self.counted[d.case] += d.required * is_counted
            self.spoken[d.case] += by_speaker
            self.spoken_counted[d.case] += by_speaker and is_counted
            (counted_types if is_counted else other_types).add(d.shift)
            (counted_days if is_counted else other_days).add(d.day)
        all_types = [p.shift[s] for s in sorted(counted_types | other_types)]
        all_days = counted_days | other_days
        profiles: dict[_Place, int] = defaultdict(int)
        for e in p.employees:
            place = (
                fairness_coefficient(e),
                frozenset(c.id for c in p.cases if speaks(e, c)),
                capacity(p, e, all_types, all_days),
                capacity(p, e, [p.shift[s] for s in sorted(counted_types)], counted_days),
                capacity(p, e, [p.shift[s] for s in sorted(other_types)], other_days),
            )
            if place[2] > 0:
                profiles[place] += 1
        self.places = [place for place, k in profiles.items() for _ in range(min(k, team))]

    def highest(self) -> int:
        """A peak no roster exceeds: everyone at their counted capacity."""
        return max(((coef or 0) * counted for coef, _s, _a, counted, _o in self.places), default=0)

    def possible(self, peak: int) -> bool:
        """Not proven infeasible at `peak`."""
        m = cp_model.CpModel()
        cases = sorted(self.shifts)
        x: dict[tuple[int, str], cp_model.IntVar] = {}
        y: dict[tuple[int, str], cp_model.IntVar] = {}
        members = []
        for i, (coef, _speaks, all_cap, counted_cap, other_cap) in enumerate(self.places):
            counted_cap = counted_cap if coef is None else min(counted_cap, peak // coef)
            for c in cases:
                x[i, c] = m.new_int_var(0, all_cap, f"x[{i},{c}]")
                y[i, c] = m.new_int_var(0, counted_cap, f"y[{i},{c}]")
                member = m.new_bool_var(f"m[{i},{c}]")
                members.append(member)
                m.add(x[i, c] <= all_cap * member)
                m.add(y[i, c] <= x[i, c])
            m.add(sum(x[i, c] for c in cases) <= all_cap)
            m.add(sum(y[i, c] for c in cases) <= counted_cap)
            m.add(sum(x[i, c] - y[i, c] for c in cases) <= other_cap)
            if i and self.places[i] == self.places[i - 1]:
                m.add(sum(x[i - 1, c] for c in cases) >= sum(x[i, c] for c in cases))
        m.add(sum(members) <= self.team)
        for c in cases:
            everyone = range(len(self.places))
            speakers = [i for i in everyone if c in self.places[i][1]]
            m.add(sum(x[i, c] for i in everyone) >= self.shifts[c])
            m.add(sum(y[i, c] for i in everyone) >= self.counted[c])
            m.add(sum(x[i, c] for i in speakers) >= self.spoken[c])
            m.add(sum(y[i, c] for i in speakers) >= self.spoken_counted[c])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_deterministic_time = WORK_LIMIT
        solver.parameters.max_time_in_seconds = WALL_LIMIT
        return solver.solve(m) != cp_model.INFEASIBLE


__all__ = ["crews_peak"]
