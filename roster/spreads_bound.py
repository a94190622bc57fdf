"""The weekend peak under a night peak, case by case: the night and weekend spreads
bounded together.

`roster.peak_bound` bounds each peak alone: the smallest night peak, then the smallest
weekend peak, each over every choice of crews. The two can need different crews: five
cases, pool 60, seed 3, the Dari case's nights need its speakers who take nights, and
the night peak 216 holds only with two of them on 30 h contracts in its crew of five;
such a crew holds the case's 48 weekend shifts only under a weekend peak of 108 (each
of their weekend shifts weighs 12, not 10: 2 × 9 + 3 × 10 = 48), where the weekend peak
alone is 100.

Both peaks are the pool's, so a roster whose night peak is at most P has every case's
crew work its nights under P. Per case, the relaxation keeps counts per consultant and
class of shift (night or not, weekend or not), membership, and the weekend peak as a
variable. It holds for every roster that covers every shift (with `languages_met`, by a
speaker of its family's language where it needs one), has a night peak of at most P
and at most `members_per_case[case]` members on the case:

- the case's shifts of each class are worked, those that need the family's language
  by its speakers;
- a consultant works at most their capacity (`roster.capacities.capacity`) on the
  case's days of each class and of the unions of classes (all shifts, the nights, the
  weekend, the other shifts, the other days);
- each member's nights times their fairness coefficient lie under P, their weekend
  shifts under the weekend peak (their shifts on other cases only add to them);
- at most `members_per_case[case]` work the case.

CP-SAT minimises the weekend peak per case (five cases, pool 60: proven in hundredths of
a second each); the highest case's minimum bounds the pool's weekend peak under P, and
`roster.faces_nights_bound.faces_by_case_and_night_peak` weighs it against the night
peak and the faces (seed 3: 74 + 216 + 100 → 74 + 216 + 108). All cases in one model,
with both peaks as variables, CP-SAT proved nothing in 20 s.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict

from ortools.sat.python import cp_model

from roster.capacities import capacity, fairness_coefficient, spoken_days
from roster.eligibility import speaks
from roster.problem import Employee, RosterProblem

#: CP-SAT's deterministic time per case, so that the bound is the same under any load.
WORK_LIMIT = 0.5
#: A wall-clock cap besides, per case.
WALL_LIMIT = 1.0

#: A shift's class: (night, weekend).
_Class = tuple[bool, bool]
_CLASSES: tuple[_Class, ...] = ((False, False), (False, True), (True, False), (True, True))
#: The unions of classes a consultant's capacity is taken over: each class, all
#: shifts, the nights, the weekend, the other shifts and the other days.
_UNIONS: tuple[tuple[_Class, ...], ...] = (
    *((k,) for k in _CLASSES),
    _CLASSES,
    tuple(k for k in _CLASSES if k[0]),
    tuple(k for k in _CLASSES if k[1]),
    tuple(k for k in _CLASSES if not k[0]),
    tuple(k for k in _CLASSES if not k[1]),
)
_ALL = _UNIONS.index(_CLASSES)


class WeekendUnderNightPeak:
    """The smallest weekend peak of rosters whose night peak is at most a given one, for
    rosters with every shift covered (with `languages_met`, by a speaker where one is
    needed) and at most `members_per_case[case]` members on each case: the highest of
    the cases' relaxations (CP-SAT's proven bound of each), at least `lowest` (the
    weekend peak's own bound). Weighted, as the term counts it."""

    def __init__(
        self,
        p: RosterProblem,
        members_per_case: dict[str, int],
        languages_met: bool,
        lowest: int,
    ) -> None:
        self.p, self.lowest = p, lowest
        self.cases = [
            _CaseRelaxation(p, case.id, members_per_case[case.id], languages_met)
            for case in p.cases
        ]

    def __call__(self, night_peak: int) -> int:
        peak = self.lowest
        for relaxation in self.cases:
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = 0
            solver.parameters.max_deterministic_time = WORK_LIMIT
            solver.parameters.max_time_in_seconds = WALL_LIMIT
            status = solver.solve(relaxation.model(night_peak, self.lowest))
            if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
                # no roster as assumed has this night peak: claim nothing for it
                return self.p.weights.weekend_spread * self.lowest
            peak = max(peak, math.ceil(solver.best_objective_bound - 1e-6))
        return self.p.weights.weekend_spread * peak


@dataclasses.dataclass(frozen=True)
class _Place:
    """A consultant as the relaxation sees them."""

    coefficient: int | None  #: the fairness coefficient (None: counts in no peak)
    speaks: bool  #: the case's language
    capacities: tuple[int, ...]  #: per union of classes (`_UNIONS`)


class _CaseRelaxation:
    def __init__(self, p: RosterProblem, case_id: str, members: int, languages_met: bool) -> None:
        self.p, self.members = p, members
        weekend = p.weekend_like_days
        needing = spoken_days(p) if languages_met else {}
        self.demand: dict[_Class, int] = defaultdict(int)
        self.spoken: dict[_Class, int] = defaultdict(int)  # of them needing the language
        self.types: dict[bool, set[str]] = defaultdict(set)  # night or not → types
        self.days: dict[bool, set[int]] = defaultdict(set)  # weekend or not → days
        for d in p.cover:
            if d.required <= 0 or d.case != case_id:
                continue
            night = p.shift[d.shift].night
            kind = (night, d.day in weekend)
            self.demand[kind] += d.required
            self.spoken[kind] += d.day in needing.get((d.case, d.shift), ())
            self.types[night].add(d.shift)
            self.days[kind[1]].add(d.day)
        case = p.case[case_id]
        profiles: dict[_Place, int] = defaultdict(int)
        for e in p.employees:
            caps = tuple(self._capacity(e, union) for union in _UNIONS)
            if caps[_ALL] > 0:
                profiles[_Place(fairness_coefficient(e), speaks(e, case), caps)] += 1
        self.places = [place for place, k in profiles.items() for _ in range(min(k, members))]

    def _capacity(self, e: Employee, union: tuple[_Class, ...]) -> int:
        """`e`'s capacity on the case's shifts of the classes in `union`."""
        types = set().union(*(self.types[night] for night in {k[0] for k in union}))
        days = set().union(*(self.days[weekend] for weekend in {k[1] for k in union}))
        return capacity(self.p, e, [self.p.shift[s] for s in sorted(types)], days)

    def model(self, night_peak: int, weekend_lowest: int) -> cp_model.CpModel:
        """The relaxation under `night_peak`, minimising the weekend peak."""
        m = cp_model.CpModel()
        top = max(
            [weekend_lowest]
            + [(place.coefficient or 0) * place.capacities[_ALL] for place in self.places]
        )
        weekend_peak = m.new_int_var(weekend_lowest, max(weekend_lowest, top), "weekend_peak")
        z: dict[tuple[int, _Class], cp_model.IntVar] = {}
        members = []
        totals = []
        for i, place in enumerate(self.places):
            member = m.new_bool_var(f"m[{i}]")
            members.append(member)
            # the first capacities are the classes' own (`_UNIONS`)
            for k, cap in zip(_CLASSES, place.capacities, strict=False):
                z[i, k] = m.new_int_var(0, cap, f"z[{i},{k}]")
                m.add(z[i, k] <= cap * member)
            for union, cap in zip(_UNIONS, place.capacities, strict=True):
                m.add(sum(z[i, k] for k in union) <= cap)
            totals.append(sum(z[i, k] for k in _CLASSES))
            if place.coefficient is not None:
                m.add(place.coefficient * sum(z[i, k] for k in _CLASSES if k[0]) <= night_peak)
                m.add(place.coefficient * sum(z[i, k] for k in _CLASSES if k[1]) <= weekend_peak)
            if i and place == self.places[i - 1]:
                m.add(totals[i - 1] >= totals[i])  # alike places in order
        m.add(sum(members) <= self.members)
        speakers = [i for i, place in enumerate(self.places) if place.speaks]
        for k in _CLASSES:
            m.add(sum(z[i, k] for i in range(len(self.places))) >= self.demand[k])
            m.add(sum(z[i, k] for i in speakers) >= self.spoken[k])
        m.minimize(weekend_peak)
        return m


__all__ = ["WeekendUnderNightPeak"]
