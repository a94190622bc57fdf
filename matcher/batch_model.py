"""The batch model: the snapshot as a generic `AssignmentCore`, and any solution of it
read back as a `BatchResult` (placements, the diff against today, the unplaced seats with
reasons, and KPIs). `matcher.batch.optimize` solves it with CP-SAT, `matcher.greedy` with
the planner's rule of thumb; both read their answer back here.

Mapping (one item per seat):
- consultant seats: (case, primary) and, if needed, (case, support); agents are
  consultants; resources are weekly hours (× `hours_scale`) and number of cases;
  capacity is contracted hours/cases minus locked work. Eligible pairs are those the
  hard rules accept (`matcher.candidates`); today's consultant is always kept as an
  option (staying never becomes impossible because a rule changed).
- coordinator seats: one per case; agents are coordinators of an office serving the
  case's region; resource = caseload.
- locked assignments are not items: they keep their consultant and use capacity.
- the primary and support seat of a case form a distinct group (different people).
- objective: score − stability cost per broken relationship − unplaced penalty, the
  penalty weighted by priority (urgent 1.5×, normal 1×, low 0.5×).
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from data.languages import Closeness
from matcher.candidates import CandidateIndex
from matcher.core import AssignmentCore, CoreResult
from matcher.problem import CaseData, MatchProblem, Role
from matcher.rules import HARD_RULES, first_failure, language_cover, start_day, weekly_capacity
from matcher.scoring import integer_score, make_context, points
from solving.status import SolveStatus

_PRIORITY_FACTOR = {1: 1.5, 2: 1.0, 3: 0.5}


@dataclass(frozen=True)
class Seat:
    case_id: int
    role: Role
    #: Hours per week of a further seat of the same role (a døgnindsats team member);
    #: None: the case's hours for the role.
    hours: float | None = None

    def hours_of(self, case: CaseData) -> float:
        return case.hours_for(self.role) if self.hours is None else self.hours


@dataclass
class BatchModel:
    """The core plus what is needed to read a solution back in domain terms."""

    core: AssignmentCore
    seats: list[Seat]
    #: agent index → ("consultant" | "coordinator" | "office", id)
    agents: list[tuple[str, int]]
    #: per pair: one-way travel minutes (0 for coordinator pairs)
    pair_minutes: list[float]
    #: per item: today's agent index or -1
    current_agent: list[int]
    locked_seats: list[tuple[Seat, int]] = field(default_factory=list)
    build_seconds: float = 0.0
    #: office agent → its coordinator agents; coordinator agent → free caseload
    office_members: dict[int, list[int]] = field(default_factory=dict)
    coordinator_room: dict[int, int] = field(default_factory=dict)
    #: The column data the candidates came from (kept for the unpruned bound).
    index: CandidateIndex | None = None


@dataclass(frozen=True)
class Placement:
    case_id: int
    role: Role
    consultant_id: int | None = None
    coordinator_id: int | None = None
    locked: bool = False


@dataclass(frozen=True)
class Change:
    """A difference against today: "new" placement, "move", or "unassigned"."""

    case_id: int
    role: Role
    kind: str
    from_id: int | None
    to_id: int | None


@dataclass(frozen=True)
class UnplacedSeat:
    case_id: int
    role: Role
    reason: str


@dataclass(frozen=True)
class Kpis:
    placed_seats: int
    exact_dialect_rate: float
    fallback_count: int
    mean_travel_minutes: float
    p95_travel_minutes: float
    utilisation_mean: float
    #: Standard deviation of utilisation across consultants (lower = more even).
    utilisation_spread: float
    unplaced: int


@dataclass(frozen=True)
class BatchResult:
    status: SolveStatus
    #: Objective in score points (None if no solution).
    objective: float | None
    #: Best proven upper bound in score points.
    bound: float | None
    gap: float | None
    runtime: float
    build_seconds: float
    placements: tuple[Placement, ...]
    changes: tuple[Change, ...]
    unplaced: tuple[UnplacedSeat, ...]
    kpis: Kpis | None
    n_pairs: int
    #: Pairs per seat kept (None = every feasible pair; the bound is for this model).
    candidate_limit: int | None

    @property
    def assignment(self) -> dict[tuple[int, str], int | None]:
        """(case id, role) → consultant id (or coordinator id for coordinator seats)."""
        return {
            (p.case_id, str(p.role)): p.coordinator_id
            if p.role == Role.COORDINATOR
            else p.consultant_id
            for p in self.placements
        }


def build_batch_model(problem: MatchProblem) -> BatchModel:
    """Map the snapshot onto an `AssignmentCore` (see the module docstring)."""
    return _Builder(problem).build()


class _Builder:
    """Collects items, agents and pairs; one method per kind of seat."""

    def __init__(self, problem: MatchProblem) -> None:
        self.started = time.perf_counter()
        self.problem = problem
        self.settings = problem.settings
        n_consultants = len(problem.consultants)
        n_coordinators = len(problem.coordinators)
        self.consultant_index = {c.id: k for k, c in enumerate(problem.consultants)}
        self.coordinator_index = {
            co.id: n_consultants + j for j, co in enumerate(problem.coordinators)
        }
        self.office_index = {
            o.id: n_consultants + n_coordinators + j for j, o in enumerate(problem.offices)
        }
        self.agents: list[tuple[str, int]] = (
            [("consultant", c.id) for c in problem.consultants]
            + [("coordinator", co.id) for co in problem.coordinators]
            + [("office", o.id) for o in problem.offices]
        )
        self.seats: list[Seat] = []
        self.items: list[int] = []
        self.pair_agent: list[int] = []
        self.pair_score: list[int] = []
        self.pair_use: list[tuple[int, int]] = []
        self.pair_minutes: list[float] = []
        self.penalty: list[int] = []
        self.current_pair: list[int] = []
        self.current_agent: list[int] = []
        self.stability: list[int] = []
        self.groups: list[tuple[int, ...]] = []
        self.stability_points = points(problem, self.settings.stability_cost)
        self._read_assignments()

    def _read_assignments(self) -> None:
        """Split running assignments into locked (fixed, using capacity) and current."""
        problem = self.problem
        self.locked_hours = np.zeros(len(problem.consultants))
        self.locked_cases: list[set[int]] = [set() for _ in problem.consultants]
        self.locked_caseload: Counter[int] = Counter()
        # Keyed by (case, role), each holding every assignment of it in id order: a
        # døgnindsats team has one primary and several support members, each its own seat.
        self.locked: dict[tuple[int, str], list[int]] = {}
        self.current: dict[tuple[int, str], list[tuple[int, float]]] = {}
        for a in sorted(problem.assignments, key=lambda a: a.id):
            if a.role == Role.COORDINATOR:
                agent = self.coordinator_index[a.coordinator_id]  # type: ignore[index]
            else:
                agent = self.consultant_index[a.consultant_id]  # type: ignore[index]
            key = (a.case_id, str(a.role))
            if not a.locked:
                self.current.setdefault(key, []).append((agent, a.hours))
                continue
            self.locked.setdefault(key, []).append(agent)
            if a.role == Role.COORDINATOR:
                self.locked_caseload[agent] += 1
            else:
                self.locked_hours[agent] += problem.running_hours(a, problem.as_of)
                self.locked_cases[agent].add(a.case_id)

    def build(self) -> BatchModel:
        problem = self.problem
        self.index = CandidateIndex(problem, self.locked_hours)
        roles_today: dict[int, set[str]] = {}
        for case_id, role_name in (*self.current, *self.locked):
            roles_today.setdefault(case_id, set()).add(role_name)
        for case in problem.cases:
            roles = list(case.roles)
            for role_name in sorted(roles_today.get(case.id, ())):
                if role_name != Role.COORDINATOR and Role(role_name) not in roles:
                    roles.append(Role(role_name))
            case_items = [
                item
                for role in roles
                for item in self.add_consultant_seats(case, role)
                if item is not None
            ]
            if len(case_items) > 1:
                self.groups.append(tuple(case_items))
            self.add_coordinator_seat(case)
        return self._finish()

    def _new_item(self, seat: Seat, today: int, penalty: float) -> int:
        self.seats.append(seat)
        self.penalty.append(points(self.problem, penalty))
        self.current_pair.append(-1)
        self.current_agent.append(today)
        self.stability.append(self.stability_points if today >= 0 else 0)
        return len(self.seats) - 1

    def _add_pair(
        self, item: int, agent: int, score: int, use: tuple[int, int], minutes: float
    ) -> None:
        if agent == self.current_agent[item]:
            self.current_pair[item] = len(self.items)
        self.items.append(item)
        self.pair_agent.append(agent)
        self.pair_score.append(score)
        self.pair_use.append(use)
        self.pair_minutes.append(minutes)

    def add_consultant_seats(self, case: CaseData, role: Role) -> list[int | None]:
        """The seats of `role` on `case`: one per running unlocked assignment (the first
        needs the case's hours for the role, each further one its own hours), or one
        open seat when there is none and no locked one either."""
        running = self.current.get((case.id, str(role)), [])
        if not running:
            if (case.id, str(role)) in self.locked:
                return []
            return [self.add_consultant_seat(case, role)]
        first_free = (case.id, str(role)) not in self.locked
        return [
            self.add_consultant_seat(case, role, today, None if k == 0 and first_free else hours)
            for k, (today, hours) in enumerate(running)
        ]

    def add_consultant_seat(
        self, case: CaseData, role: Role, today: int = -1, seat_hours: float | None = None
    ) -> int | None:
        """A primary or support seat: every consultant the hard rules accept (at most
        `max_candidates_per_seat` best), plus today's consultant."""
        problem = self.problem
        # A person locked on this case cannot take another of its seats.
        blocked = {
            agent
            for other in (Role.PRIMARY, Role.SUPPORT)
            for agent in self.locked.get((case.id, str(other)), [])
        }
        if today >= 0 and problem.consultants[today].id in case.excluded_consultant_ids:
            # Excluded since: the relationship ends, and breaking it costs nothing (no
            # stability bonus keeps them on the case).
            today = -1
        # Urgent requests and families that have waited longest are placed first.
        factor = _PRIORITY_FACTOR.get(case.priority, 1.0) * self.settings.waiting_factor(
            case, problem.as_of
        )
        seat = Seat(case.id, role, seat_hours)
        item = self._new_item(seat, today, self.settings.unplaced_penalty * factor)
        # The seat uses the hours of its course's phase on its start day (its stored and
        # planned hours stay the first phase's).
        share = problem.seat_share(case, role, start_day(problem, case))
        hours = round(seat.hours_of(case) * share * self.settings.hours_scale)
        found = self.index.candidates(
            case, role, self.settings.max_candidates_per_seat, keep=today if today >= 0 else None
        )
        for cand in found:
            if cand.consultant_index in blocked:
                continue
            consultant = problem.consultants[cand.consultant_index]
            self._add_pair(
                item,
                cand.consultant_index,
                cand.score,
                (hours, 1),
                problem.travel_minutes(consultant, case),
            )
        if today >= 0 and self.current_pair[item] < 0:
            self._add_pair(
                item,
                today,
                _stay_score(problem, case, role, today, float(self.locked_hours[today])),
                (hours, 1),
                problem.travel_minutes(problem.consultants[today], case),
            )
        return item

    def add_coordinator_seat(self, case: CaseData) -> None:
        """One coordinator seat per case. Coordinators of one office are interchangeable,
        so the seat may stay with today's coordinator (one pair) or go to a serving
        *office* (one pair each); the office's pool of caseload is shared and a
        coordinator with room is named when the solution is read back. A small score (up
        to 2 points) prefers the office nearest the family, for meetings."""
        problem = self.problem
        key = (case.id, str(Role.COORDINATOR))
        if key in self.locked or not problem.coordinators:
            return
        today = self.current.get(key, [(-1, 0.0)])[0][0]
        item = self._new_item(
            Seat(case.id, Role.COORDINATOR), today, self.settings.coordinator_unplaced_penalty
        )
        if today >= 0:
            coordinator = problem.coordinators[today - len(problem.consultants)]
            self._add_pair(
                item, today, self._office_score(coordinator.office_id, case), (0, 1), 0.0
            )
        for office in problem.offices:
            if case.region in office.serves_regions:
                self._add_pair(
                    item,
                    self.office_index[office.id],
                    self._office_score(office.id, case),
                    (0, 1),
                    0.0,
                )

    def _office_score(self, office_id: int, case: CaseData) -> int:
        office = self.problem.office_by_id.get(office_id)
        if office is None:
            return 0
        minutes = self.problem.travel.minutes(office.location, case.location)
        limit = max(self.settings.max_travel_minutes, 1.0)
        return points(self.problem, 2.0 * max(0.0, 1.0 - minutes / limit))

    def _coordinator_room(self) -> dict[int, int]:
        return {
            self.coordinator_index[co.id]: max(
                0, co.max_caseload - self.locked_caseload[self.coordinator_index[co.id]]
            )
            for co in self.problem.coordinators
        }

    def _today_load(self) -> tuple[list[int], list[int]]:
        """Scaled hours and number of cases each consultant carries in today's
        unlocked plan, as the model counts them."""
        n = len(self.problem.consultants)
        hours, cases = [0] * n, [0] * n
        for pair in self.current_pair:
            if pair >= 0 and (agent := self.pair_agent[pair]) < n:
                hours[agent] += self.pair_use[pair][0]
                cases[agent] += self.pair_use[pair][1]
        return hours, cases

    def _finish(self) -> BatchModel:
        problem = self.problem
        scale = self.settings.hours_scale
        room = self._coordinator_room()
        office_members: dict[int, list[int]] = {a: [] for a in self.office_index.values()}
        for co in problem.coordinators:
            if co.office_id in self.office_index:
                office_members[self.office_index[co.office_id]].append(
                    self.coordinator_index[co.id]
                )
        today_hours, today_cases = self._today_load()
        # A consultant already over contract today keeps today's load as the limit:
        # re-optimisation may relieve the overload but never drops a running family
        # merely because the plan it inherited was too full. Capacity is family hours
        # (contracted less the reserved share) in the leanest week of the horizon from the
        # planning date, as ranking and confirm count it: absences reduce it.
        capacities = (
            [
                (
                    max(
                        0,
                        round(
                            (
                                weekly_capacity(self.settings, c, problem.as_of)
                                - self.locked_hours[k]
                            )
                            * scale
                        ),
                        today_hours[k],
                    ),
                    max(0, c.max_cases - len(self.locked_cases[k]), today_cases[k]),
                )
                for k, c in enumerate(problem.consultants)
            ]
            + [(0, room[self.coordinator_index[co.id]]) for co in problem.coordinators]
            + [
                (0, sum(room[m] for m in office_members[self.office_index[o.id]]))
                for o in problem.offices
            ]
        )
        pools = tuple(
            ((office, *members), 1, sum(room[m] for m in members))
            for office, members in office_members.items()
        )
        n = len(self.seats)
        core = AssignmentCore(
            n_items=n,
            n_agents=len(self.agents),
            capacities=tuple(capacities),
            pair_item=tuple(self.items),
            pair_agent=tuple(self.pair_agent),
            pair_score=tuple(self.pair_score),
            pair_use=tuple(self.pair_use),
            required=(False,) * n,
            unplaced_penalty=tuple(self.penalty),
            current_pair=tuple(self.current_pair),
            stability=tuple(self.stability),
            distinct_groups=tuple(self.groups),
            pools=pools,
        )
        locked_seats = [
            (Seat(cid, Role(r)), agent)
            for (cid, r), agents in self.locked.items()
            for agent in agents
        ]
        return BatchModel(
            core,
            self.seats,
            self.agents,
            self.pair_minutes,
            self.current_agent,
            locked_seats,
            time.perf_counter() - self.started,
            office_members=office_members,
            coordinator_room=room,
            index=self.index,
        )


def _stay_score(problem: MatchProblem, case: CaseData, role: Role, k: int, locked: float) -> int:
    """Score of keeping today's consultant even if a hard rule now fails."""
    consultant = problem.consultants[k]
    if language_cover(problem, case, role, consultant) is None:
        return 0
    return integer_score(make_context(problem, case, role, consultant, locked))


# ------------------------------------------------------------------ reading back


def read_solution(problem: MatchProblem, model: BatchModel, result: CoreResult) -> BatchResult:
    scale = problem.settings.score_scale
    objective = None if result.objective is None else result.objective / scale
    bound = None if result.bound is None else result.bound / scale
    if not result.pair_of_item:
        return BatchResult(
            result.status,
            objective,
            bound,
            None,
            result.runtime,
            model.build_seconds,
            (),
            (),
            (),
            None,
            model.core.n_pairs,
            problem.settings.max_candidates_per_seat,
        )
    return solution_result(
        problem,
        model,
        list(result.pair_of_item),
        result.status,
        objective,
        bound,
        result.gap,
        result.runtime,
    )


def solution_result(
    problem: MatchProblem,
    model: BatchModel,
    pair_of_item: list[int],
    status: SolveStatus,
    objective: float | None,
    bound: float | None,
    gap: float | None,
    runtime: float,
) -> BatchResult:
    """A `BatchResult` for any solution of the model (CP-SAT's or the greedy baseline's)."""
    core = model.core
    placements: list[Placement] = []
    changes: list[Change] = []
    unplaced: list[UnplacedSeat] = []
    options = Counter(core.pair_item)
    agent_of_item = name_coordinators(model, pair_of_item)
    for item, seat in enumerate(model.seats):
        agent = agent_of_item[item]
        placements.append(_placement(model, seat, agent))
        before = model.current_agent[item]
        if agent != before:
            kind = "new" if before < 0 else ("move" if agent >= 0 else "unassigned")
            changes.append(
                Change(
                    seat.case_id,
                    seat.role,
                    kind,
                    model.agents[before][1] if before >= 0 else None,
                    model.agents[agent][1] if agent >= 0 else None,
                )
            )
        if agent < 0:
            unplaced.append(
                UnplacedSeat(
                    seat.case_id, seat.role, _unplaced_reason(problem, seat, options[item])
                )
            )
    for seat, agent in model.locked_seats:
        placements.append(_placement(model, seat, agent, locked=True))
    return BatchResult(
        status=status,
        objective=objective,
        bound=bound,
        gap=gap,
        runtime=runtime,
        build_seconds=model.build_seconds,
        placements=tuple(placements),
        changes=tuple(changes),
        unplaced=tuple(unplaced),
        kpis=_kpis(problem, model, pair_of_item, placements, len(unplaced)),
        n_pairs=core.n_pairs,
        candidate_limit=problem.settings.max_candidates_per_seat,
    )


def name_coordinators(model: BatchModel, pair_of_item: list[int]) -> list[int]:
    """Agent per item, with seats placed on an office given to the coordinator of that
    office with the most room left (the office pool guarantees there is one)."""
    core = model.core
    agents = [core.pair_agent[p] if p >= 0 else -1 for p in pair_of_item]
    room = dict(model.coordinator_room)
    for agent in agents:
        if agent in room:
            room[agent] -= 1
    for item, agent in enumerate(agents):
        if agent in model.office_members:
            members = model.office_members[agent]
            best = max(members, key=lambda m: (room[m], -m))
            room[best] -= 1
            agents[item] = best
    return agents


def objective_of(model: BatchModel, pair_of_item: list[int]) -> int:
    """The core objective of a solution (integer units), computed independently."""
    core = model.core
    total = 0
    for item, p in enumerate(pair_of_item):
        if p >= 0:
            total += core.pair_score[p]
        elif not core.required[item]:
            total -= core.unplaced_penalty[item]
        if core.current_pair[item] >= 0 and p != core.current_pair[item]:
            total -= core.stability[item]
    return total


def _placement(model: BatchModel, seat: Seat, agent: int, locked: bool = False) -> Placement:
    if agent < 0:
        return Placement(seat.case_id, seat.role, locked=locked)
    kind, agent_id = model.agents[agent]
    if kind == "coordinator":
        return Placement(seat.case_id, seat.role, coordinator_id=agent_id, locked=locked)
    return Placement(seat.case_id, seat.role, consultant_id=agent_id, locked=locked)


def _unplaced_reason(problem: MatchProblem, seat: Seat, n_options: int) -> str:
    if seat.role == Role.COORDINATOR:
        return "no coordinator of a serving office has room in the caseload"
    if n_options:
        return f"all {n_options} feasible consultants are needed for other seats (capacity)"
    case = problem.case_by_id[seat.case_id]
    counts = Counter(
        reason.rule
        for c in problem.consultants
        if (reason := first_failure(problem, case, seat.role, c, HARD_RULES[:-2])) is not None
    )
    if not counts:
        return "nobody is free in hours or cases"
    rule, n = counts.most_common(1)[0]
    return f"no feasible consultant (most often: {rule.replace('_', ' ')}, {n} consultants)"


def _kpis(
    problem: MatchProblem,
    model: BatchModel,
    pair_of_item: list[int],
    placements: list[Placement],
    n_unplaced: int,
) -> Kpis:
    minutes: list[float] = []
    exact = with_language = fallback = 0
    hours = np.zeros(len(problem.consultants))
    index = {c.id: k for k, c in enumerate(problem.consultants)}
    for a in problem.assignments:
        if a.locked and a.consultant_id is not None and a.role != Role.COORDINATOR:
            hours[index[a.consultant_id]] += problem.running_hours(a, problem.as_of)
    for item, seat in enumerate(model.seats):
        p = pair_of_item[item]
        if p < 0 or seat.role == Role.COORDINATOR:
            continue
        case = problem.case_by_id[seat.case_id]
        k = model.core.pair_agent[p]
        hours[k] += seat.hours_of(case) * problem.seat_share(case, seat.role, problem.as_of)
        minutes.append(model.pair_minutes[p])
        cover = language_cover(problem, case, seat.role, problem.consultants[k])
        if cover:
            with_language += 1
            exact += all(c.closeness == Closeness.EXACT for c in cover)
            fallback += any(c.closeness == Closeness.FALLBACK for c in cover)
    capacity = np.array([c.capacity_hours for c in problem.consultants])
    used = capacity > 0
    utilisation = (hours[used] / capacity[used]).tolist() if used.any() else [0.0]
    return Kpis(
        placed_seats=len(minutes),
        exact_dialect_rate=exact / with_language if with_language else 1.0,
        fallback_count=fallback,
        mean_travel_minutes=statistics.fmean(minutes) if minutes else 0.0,
        p95_travel_minutes=float(np.percentile(minutes, 95)) if minutes else 0.0,
        utilisation_mean=statistics.fmean(utilisation),
        utilisation_spread=statistics.pstdev(utilisation),
        unplaced=n_unplaced,
    )
