"""Faces and night spread bounded together by a relaxation that knows everyone's hours.

`roster.faces_nights_bound` bounds faces and the night peak together by capacities per shift type
(`faces_and_night_peak`), each person's types apart. A roster has to fit them into one
person's hours: with a team of five covering 3x8 for 8 weeks, nights at the night
peak's bound (12 each) leave those who work nights and days too few hours for the
days, so some member works all three types, one face more (20 + 120 → 22 + 120).

This bound solves a relaxation of the roster in which only counts remain: how many
shifts of each type of each case a consultant works (`n`), on weekend days among them
(`w`), and whether that is a face (`f`). Each constraint holds for the counts of every
roster that misses at most `missing` consultant-shifts and has at most `team_members`
(consultant, case) memberships (and, with `languages_met`, a speaker on every shift
that needs the family's language):

- the demand of each (case, shift type), less what is missing, is worked;
- a consultant works at most their capacity (`roster.capacities.capacity`) of each type of
  each case, of each type, of the night types, of all types, and on weekend days;
- the night and weekend peaks are at least each consultant's contract-relative count.

Consultants who differ only in their capacities (same fairness weight and languages)
are merged into a profile with the largest of each of their capacities, and a profile
has at most `team_members` places: a relaxation of the relaxation, whose places are
interchangeable, so they are ordered by the shifts they work. Without that CP-SAT did
not prove one case (pool 40) in 30 s; with it, in 0.3 s.

CP-SAT minimises the weighted terms over these counts; its proven optimum is a lower
bound of their sum.

Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.capacities import capacity, fairness_coefficient, spoken_days
from roster.eligibility import speaks
from roster.problem import RosterProblem

#: CP-SAT's deterministic time for the relaxation, so that the bound is the same under
#: any load (one case, pool 40, faces and night spread: proven in 0.05, 0.3 s).
WORK_LIMIT = 0.5
#: A wall-clock cap besides, so that the bound never eats much of a solve's limit.
WALL_LIMIT = 1.5


@dataclass(frozen=True)
class JointBound:
    """The relaxation's proven lower bound (`total`) and, when proven optimal, the
    weighted terms of its optimum (a split of `total`; None: not proven)."""

    total: int
    split: dict[str, int] | None


@dataclass
class _Place:
    """A consultant of the relaxation: the largest capacities of a profile's members."""

    coefficient: int | None
    speaks: frozenset[str]
    caps: dict[tuple[str, ...], int] = field(default_factory=dict)

    def widen(self, caps: dict[tuple[str, ...], int]) -> None:
        for key, cap in caps.items():
            self.caps[key] = max(self.caps.get(key, 0), cap)


def joint_bound(
    p: RosterProblem,
    missing: int = 0,
    team_members: int | None = None,
    languages_met: bool = False,
) -> JointBound:
    """A lower bound of the weighted faces, night and weekend spread together, from the
    counts relaxation (the level's other terms are not counted)."""
    return _Relaxation(p, missing, team_members, languages_met).solve()


def faces_and_night_spread(
    p: RosterProblem, missing: int, team_members: int | None, languages_met: bool
) -> tuple[int, int] | None:
    """The weighted faces and night spread of the counts relaxation's optimum over those
    two terms alone: only their sum bounds the two terms' sum. None when not proven in
    time (or no roster meets the assumptions: then any bound holds, and others do)."""
    only = dataclasses.replace(p.weights, block=0, isolated_shift=0, weekend_spread=0)
    joint = joint_bound(dataclasses.replace(p, weights=only), missing, team_members, languages_met)
    if joint.split is None:
        return None
    return joint.split.get("faces", 0), joint.split.get("night_spread", 0)


class FacesUnderNightPeak:
    """The weighted faces of rosters whose night peak is at most a given value (called
    with it; None: any): the relaxation's proven lower bound, 0 when it proves none in
    time (or rules out every roster: then any bound holds). The places are built once
    for every peak asked."""

    def __init__(
        self, p: RosterProblem, missing: int, team_members: int | None, languages_met: bool
    ) -> None:
        only = dataclasses.replace(
            p.weights, block=0, isolated_shift=0, night_spread=0, weekend_spread=0
        )
        self.args = (dataclasses.replace(p, weights=only), missing, team_members, languages_met)
        self.places: list[_Place] | None = None

    def __call__(self, peak: int | None) -> int:
        relaxation = _Relaxation(*self.args, night_cap=peak, places=self.places)
        self.places = relaxation.places
        return relaxation.solve().total


class _Relaxation:
    def __init__(
        self,
        p: RosterProblem,
        missing: int,
        team_members: int | None,
        languages_met: bool,
        night_cap: int | None = None,
        places: list[_Place] | None = None,
    ) -> None:
        self.p, self.missing, self.night_cap = p, missing, night_cap
        self.model = cp_model.CpModel()
        self.demanded: dict[tuple[str, str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for d in p.cover:
            if d.required > 0:
                self.demanded[(d.case, d.shift)][d.day] += d.required
        self.types = sorted({sid for _c, sid in self.demanded})
        self.spoken = spoken_days(p) if languages_met else {}
        self.places = self._places(team_members) if places is None else places
        self.terms: dict[str, cp_model.LinearExpr] = {}
        self._counts()
        self._team(team_members)
        self._peaks()

    def _places(self, team_members: int | None) -> list[_Place]:
        """The profiles' places: at most `team_members` each (only team members work)."""
        p = self.p
        all_days = {d for per_day in self.demanded.values() for d in per_day}
        nights = [p.shift[sid] for sid in self.types if p.shift[sid].night]
        everything = [p.shift[sid] for sid in self.types]
        profiles: dict[tuple[object, ...], tuple[_Place, int]] = {}
        for e in p.employees:
            caps: dict[tuple[str, ...], int] = {
                (case_id, sid): capacity(p, e, [p.shift[sid]], set(per_day))
                for (case_id, sid), per_day in self.demanded.items()
            }
            for sid in self.types:
                caps[(sid,)] = capacity(p, e, [p.shift[sid]], all_days)
            caps[("nights",)] = capacity(p, e, nights, all_days)
            caps[("all",)] = capacity(p, e, everything, all_days)
            caps[("weekend",)] = capacity(p, e, everything, all_days & p.weekend_like_days)
            spoken = frozenset(c.id for c in p.cases if speaks(e, c))
            key = (fairness_coefficient(e), spoken)
            place, count = profiles.get(key, (_Place(key[0], spoken), 0))
            place.widen(caps)
            profiles[key] = (place, count + 1)
        places = []
        for place, count in profiles.values():
            copies = count if team_members is None else min(count, team_members)
            places += [place] * copies
        return places

    def _counts(self) -> None:
        """`n`, `w`, `f` per (place, case, type): the demand worked, the capacities."""
        p, m = self.p, self.model
        weekend = p.weekend_like_days
        self.n: dict[tuple[int, str, str], cp_model.IntVar] = {}
        self.w: dict[tuple[int, str, str], cp_model.IntVar] = {}
        self.f: dict[tuple[int, str, str], cp_model.IntVar] = {}
        unworked = []
        for (case_id, sid), per_day in self.demanded.items():
            weekend_days = set(per_day) & weekend
            for i, place in enumerate(self.places):
                cap = place.caps[(case_id, sid)]
                if cap <= 0:
                    continue
                key = (i, case_id, sid)
                self.n[key] = m.new_int_var(0, cap, f"n{key}")
                self.w[key] = m.new_int_var(0, min(cap, len(weekend_days)), f"w{key}")
                self.f[key] = m.new_bool_var(f"f{key}")
                m.add(self.n[key] <= cap * self.f[key])
                m.add(self.w[key] <= self.n[key])
            mine = [k for k in self.n if k[1:] == (case_id, sid)]
            short = m.new_int_var(0, self.missing, f"short[{case_id},{sid}]")
            short_weekend = m.new_int_var(0, self.missing, f"short_we[{case_id},{sid}]")
            m.add(short_weekend <= short)
            unworked.append(short)
            m.add(sum(self.n[k] for k in mine) + short >= sum(per_day.values()))
            weekend_demand = sum(k for d, k in per_day.items() if d in weekend)
            m.add(sum(self.w[k] for k in mine) + short_weekend >= weekend_demand)
            spoken = self.spoken.get((case_id, sid))
            if spoken:
                by_speakers = [self.n[k] for k in mine if case_id in self.places[k[0]].speaks]
                m.add(sum(by_speakers) >= len(spoken))
        m.add(sum(unworked) <= self.missing)
        for i, place in enumerate(self.places):
            mine = [k for k in self.n if k[0] == i]
            groups = [(sid,) for sid in self.types] + [("nights",), ("all",)]
            for group in groups:
                counted = [
                    self.n[k]
                    for k in mine
                    if group == ("all",)
                    or k[2] in group
                    or (group == ("nights",) and p.shift[k[2]].night)
                ]
                if counted:
                    m.add(sum(counted) <= place.caps[group])
            if mine:
                m.add(sum(self.w[k] for k in mine) <= place.caps[("weekend",)])
        # the places of a profile are interchangeable: the busiest first
        for i in range(1, len(self.places)):
            if self.places[i] is self.places[i - 1]:
                m.add(self._worked(i - 1) >= self._worked(i))
        faces = cp_model.LinearExpr.sum(list(self.f.values()))
        self.terms["faces"] = p.weights.face_per_time_of_day * faces

    def _worked(self, i: int) -> cp_model.LinearExpr:
        return sum((v for k, v in self.n.items() if k[0] == i), cp_model.LinearExpr.constant(0))

    def _team(self, team_members: int | None) -> None:
        if team_members is None:
            return
        members = []
        by_member: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
        for (i, case_id, _sid), f in self.f.items():
            by_member[(i, case_id)].append(f)
        for key, faces in by_member.items():
            member = self.model.new_bool_var(f"m{key}")
            for f in faces:
                self.model.add_implication(f, member)
            members.append(member)
        self.model.add(sum(members) <= team_members)

    def _peaks(self) -> None:
        """Night and weekend peaks at least each place's weighted count; the night peak
        at most `night_cap`."""
        p, m = self.p, self.model
        nights = {k: v for k, v in self.n.items() if p.shift[k[2]].night}
        for name, weight, counts, cap in (
            ("night_spread", p.weights.night_spread, nights, self.night_cap),
            ("weekend_spread", p.weights.weekend_spread, self.w, None),
        ):
            if not weight and cap is None:
                continue
            peak = m.new_int_var(0, 10**6 if cap is None else cap, name)
            for i, place in enumerate(self.places):
                counted = [v for k, v in counts.items() if k[0] == i]
                if place.coefficient is not None and counted:
                    m.add(peak >= place.coefficient * sum(counted))
            if weight:
                self.terms[name] = weight * peak

    def solve(self) -> JointBound:
        self.model.minimize(sum(self.terms.values()))
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = 0
        solver.parameters.max_deterministic_time = WORK_LIMIT
        solver.parameters.max_time_in_seconds = WALL_LIMIT
        status = solver.solve(self.model)
        if status == cp_model.OPTIMAL:
            split = {name: int(solver.value(expr)) for name, expr in self.terms.items()}
            return JointBound(round(solver.objective_value), split)
        if status == cp_model.FEASIBLE:
            return JointBound(math.ceil(solver.best_objective_bound - 1e-6), None)
        return JointBound(0, None)


__all__ = ["FacesUnderNightPeak", "JointBound", "faces_and_night_spread", "joint_bound"]
