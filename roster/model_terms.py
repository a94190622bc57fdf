"""The objective of the roster model: the priority levels, `Term`, the repair weights,
and one documented function per objective term (`add_team`, `add_requests`, `add_rhythm`,
`add_fairness`, `add_changes`), each taking the `RosterModel` under construction.

Terms are collected per priority level (`LEVEL_*`); `solve.py` optimises the levels one
after the other or as one weighted sum (see `ObjectiveWeights`). The hard rules are in
`roster.model_rules` and `roster.model_runs`; `RosterModel` (`roster.model`) builds them
in order. They see the model as `RosterParts`, so that none of them imports
`roster.model` (no import cycle): the model is a `RosterParts`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from roster.capacities import fairness_coefficient
from roster.notice import NoticeCosts, start_minute
from roster.problem import Roster, RosterProblem

LEVEL_COVER = 0
LEVEL_CHANGES = 1
LEVEL_TEAM = 2
LEVEL_QUALITY = 3


@dataclass
class Term:
    """One named objective term: weighted sum of variables at a priority level."""

    name: str
    level: int
    coefficients: list[int] = field(default_factory=list)
    variables: list[cp_model.IntVar] = field(default_factory=list)

    def add(self, coefficient: int, variable: cp_model.IntVar) -> None:
        if coefficient:
            self.coefficients.append(coefficient)
            self.variables.append(variable)

    def expression(self) -> cp_model.LinearExpr:
        return cp_model.LinearExpr.weighted_sum(self.variables, self.coefficients)


@dataclass(frozen=True)
class RepairWeights:
    """Cost of changing a published roster (level `LEVEL_CHANGES`).

    With `now_minute` (the repair's moment, minutes from the horizon start) each changed
    shift costs `changed_assignment` raised by the notice supplement it pays
    (`roster.notice`: 10, 15 under 4 weeks, 20 under 24 hours by default); without it,
    every change costs `changed_assignment`."""

    changed_assignment: int = 10  #: per published shift dropped or new shift added
    new_team_member: int = 5  #: per consultant who was not on the case's published team
    notice: NoticeCosts = field(default_factory=NoticeCosts)
    now_minute: int | None = None

    def change_weight(self, problem: RosterProblem, day: int, shift: str) -> int:
        """The cost of adding or dropping `shift` on `day`."""
        if self.now_minute is None:
            return self.changed_assignment
        notice = self.notice.notice_class(start_minute(problem, day, shift) - self.now_minute)
        return self.notice.change_weight(self.changed_assignment, notice)


class RosterParts:
    """What the rule and term functions use of a `RosterModel` (`roster.model`, which is
    one): its problem, CP-SAT model and variables, the tables the rules fill for its
    users, and the literals and terms they read and add to. A base class here rather
    than the model itself, which imports the rule modules."""

    problem: RosterProblem
    model: cp_model.CpModel
    reference: Roster | None
    repair_weights: RepairWeights
    terms: dict[str, Term]
    false: cp_model.IntVar
    x: dict[tuple[str, int, str, str], cp_model.IntVar]
    y: dict[tuple[str, int, str], cp_model.IntVar]
    y_of: dict[str, list[tuple[tuple[str, int, str], cp_model.IntVar]]]
    work: dict[tuple[str, int], cp_model.IntVar]
    demand_vars: dict[tuple[str, int, str], list[tuple[str, cp_model.IntVar]]]
    # filled by the rules and terms
    under: dict[tuple[str, int, str], cp_model.IntVar]
    over: dict[tuple[str, int, str], cp_model.IntVar]
    missing_language: dict[tuple[str, int, str], cp_model.IntVar]
    missing_gender: dict[tuple[str, int, str], cp_model.IntVar]
    minutes: dict[str, cp_model.LinearExpr]
    weekend: dict[tuple[str, int], cp_model.IntVar]
    in_team: dict[tuple[str, str], cp_model.IntVar]
    unmet_requests: list[tuple[str, int, cp_model.IntVar]]
    forced_changes: int

    def y_lit(self, employee: str, day: int, shift: str) -> cp_model.IntVar:
        return self.y.get((employee, day, shift), self.false)

    def work_lit(self, employee: str, day: int) -> cp_model.IntVar:
        if not 0 <= day < self.problem.days:
            return self.false
        return self.work.get((employee, day), self.false)

    def term(self, name: str, level: int) -> Term:
        if name not in self.terms:
            self.terms[name] = Term(name, level)
        return self.terms[name]


def add_team(rm: RosterParts) -> None:
    """Level 1: `team_member` per distinct consultant on a case. Linking
    minutes ≤ capacity × member gives the LP the team-size bound; identical
    consultants join in a fixed order (symmetry breaking)."""
    p, m = rm.problem, rm.model
    rm.in_team = {}
    weight = p.weights.team_member
    reference_team = _reference_team(rm)
    new_member_weight = rm.repair_weights.new_team_member if rm.reference is not None else 0
    if not weight and not new_member_weight:
        return
    per_member: dict[tuple[str, str], list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    for (e, _d, s, c), var in rm.x.items():
        per_member[(e, c)].append((var, p.shift[s].minutes))
    team = rm.term("team", LEVEL_TEAM)
    new_members = rm.term("new_team_members", LEVEL_CHANGES)
    for (e, c), vars_ in per_member.items():
        member = m.new_bool_var(f"team[{e},{c}]")
        for var, _ in vars_:
            m.add_implication(var, member)
        upper = p.max_minutes(p.employee[e])
        total = sum(mins for _, mins in vars_)
        cap = total if upper is None else min(upper, total)
        m.add(
            cp_model.LinearExpr.weighted_sum([v for v, _ in vars_], [mi for _, mi in vars_])
            <= cap * member
        )
        m.add(sum(v for v, _ in vars_) >= member)
        rm.in_team[(e, c)] = member
        team.add(weight, member)
        if (e, c) not in reference_team:
            new_members.add(new_member_weight, member)
    if rm.reference is None:
        _break_symmetry(rm)


def _reference_team(rm: RosterParts) -> set[tuple[str, str]]:
    return {(a.employee, a.case) for a in rm.reference or ()}


def _break_symmetry(rm: RosterParts) -> None:
    """Consultants with identical data and no personal requests are interchangeable:
    order their team membership of the first case. Only one case: one renaming of
    them must order every case it orders, and two cases' teams need not both be
    in front (two cases, four such consultants, two a day each: ordered per case
    the least team was 7, not 4)."""
    p = rm.problem
    requested = {r.employee for r in p.requests}
    groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
    for e in p.employees:
        if e.id in requested:
            continue
        signature = (
            e.contract_minutes_per_week,
            e.min_minutes,
            e.max_minutes,
            e.committed_minutes,
            e.busy,
            tuple(sorted(e.absences)),
            tuple(sorted(e.max_shifts_per_type.items())),
            e.max_consecutive_shifts,
            e.min_consecutive_shifts,
            e.min_consecutive_days_off,
            e.max_weekends,
            e.works_nights,
            tuple(sorted(e.languages)),
            e.gender,
            tuple(sorted(e.preferred_shift_types)),
        )
        groups[signature].append(e.id)
    for members in groups.values():
        for c in p.cases[:1]:
            lits = [rm.in_team[(e, c.id)] for e in members if (e, c.id) in rm.in_team]
            for a, b in itertools.pairwise(lits):
                rm.model.add(a >= b)


def add_requests(rm: RosterParts) -> None:
    """Level 3: unmet shift-on / shift-off / day-off requests cost their weight, and
    each shift of a type the employee does not prefer costs `preference`."""
    p, m = rm.problem, rm.model
    term = rm.term("requests", LEVEL_QUALITY)
    scale = p.weights.preference
    #: (employee, day, literal true when the request is unmet), for the LNS
    rm.unmet_requests = []
    for r in p.requests:
        if r.shift is None:
            lit = rm.work_lit(r.employee, r.day)
        else:
            lit = rm.y_lit(r.employee, r.day, r.shift)
        if r.on:
            # unmet when not working it
            if lit is rm.false:
                term.add(r.weight * scale, m.new_constant(1))
                continue
            unmet = lit.Not()
        else:
            if lit is rm.false:
                continue
            unmet = lit
        term.add(r.weight * scale, unmet)  # type: ignore[arg-type]
        rm.unmet_requests.append((r.employee, r.day, unmet))  # type: ignore[arg-type]
    for e in p.employees:
        if not e.preferred_shift_types:
            continue
        for (_e, _d, s), var in rm.y_of[e.id]:
            if s not in e.preferred_shift_types:
                term.add(scale, var)


def add_rhythm(rm: RosterParts) -> None:
    """Level 3 predictable rhythm: `block` per run of one shift type on consecutive
    days (few, long blocks), `isolated_shift` per working day between two days off,
    `face_per_time_of_day` per distinct (consultant, shift type) on a case."""
    p, m = rm.problem, rm.model
    w = p.weights
    if w.block:
        term = rm.term("blocks", LEVEL_QUALITY)
        for (e, d, s), var in rm.y.items():
            prev = rm.y.get((e, d - 1, s))
            if prev is None:
                term.add(w.block, var)
            else:
                start = m.new_bool_var(f"block[{e},{d},{s}]")
                m.add(start >= var - prev)
                term.add(w.block, start)
    if w.isolated_shift:
        term = rm.term("isolated", LEVEL_QUALITY)
        for (e, d), var in rm.work.items():
            iso = m.new_bool_var(f"iso[{e},{d}]")
            m.add(iso >= var - rm.work_lit(e, d - 1) - rm.work_lit(e, d + 1))
            term.add(w.isolated_shift, iso)
    if w.face_per_time_of_day:
        term = rm.term("faces", LEVEL_QUALITY)
        uses: dict[tuple[str, str, str], cp_model.IntVar] = {}
        for (e, _d, s, c), var in rm.x.items():
            if (e, s, c) not in uses:
                uses[(e, s, c)] = m.new_bool_var(f"face[{e},{s},{c}]")
                term.add(w.face_per_time_of_day, uses[(e, s, c)])
            m.add_implication(var, uses[(e, s, c)])


def add_fairness(rm: RosterParts) -> None:
    """Level 3 fair spread: minimise the highest contract-relative number of nights
    (and of weekend/holiday days) over all consultants, in units of
    `roster.capacities.fairness_coefficient` per shift."""
    p, m = rm.problem, rm.model
    night_ids = {s.id for s in p.shift_types if s.night}
    spreads: tuple[tuple[str, int, int, Callable[[int, str], bool]], ...] = (
        (
            "night_spread",
            p.weights.night_spread,
            p.night_spread_floor,
            lambda d, s: s in night_ids,
        ),
        (
            "weekend_spread",
            p.weights.weekend_spread,
            p.weekend_spread_floor,
            lambda d, s: d in p.weekend_like_days,
        ),
    )
    for name, weight, floor, counts in spreads:
        if not weight:
            continue
        # a peak below the floor costs the floor (`RosterProblem.night_spread_floor`)
        peak = m.new_int_var(floor, max(floor, 10**6), name)
        for e in p.employees:
            coef = fairness_coefficient(e)
            if coef is None:
                continue
            vars_ = [v for (_e, d, s), v in rm.y_of[e.id] if counts(d, s)]
            if vars_:
                m.add(peak >= coef * sum(vars_))
        rm.term(name, LEVEL_QUALITY).add(weight, peak)


def add_changes(rm: RosterParts, reference: Roster) -> None:
    """Level 1 (repair): `changed_assignment` per published shift not kept and per
    shift assigned that was not published."""
    weights, p = rm.repair_weights, rm.problem
    term = rm.term("changes", LEVEL_CHANGES)
    published = {(a.employee, a.day, a.shift, a.case) for a in reference}
    dropped_forced = 0
    for key in published:
        if key in rm.x:
            weight = weights.change_weight(p, key[1], key[2])
            term.add(weight, rm.x[key].Not())  # type: ignore[arg-type]
        else:
            dropped_forced += 1
    for key, var in rm.x.items():
        if key not in published:
            term.add(weights.change_weight(p, key[1], key[2]), var)
    rm.forced_changes = dropped_forced
