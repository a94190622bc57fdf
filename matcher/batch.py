"""Batch re-optimisation: every open seat and every running, unlocked assignment at once.

`optimize(problem, time_limit, seed)` maps the snapshot onto the generic
`AssignmentCore` (`build_batch_model`), solves it with the same CP-SAT code as the GAP
yardstick (`matcher.core.solve_core`) and reads the answer back as a `BatchResult`:
placements, the diff against today, the unplaced seats with reasons, and KPIs.

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
from matcher.core import AssignmentCore, CoreResult, SolveStatus, solve_core
from matcher.problem import CaseData, MatchProblem, Role
from matcher.rules import HARD_RULES, first_failure, language_cover
from matcher.scoring import integer_score, make_context, points

_PRIORITY_FACTOR = {1: 1.5, 2: 1.0, 3: 0.5}


@dataclass(frozen=True)
class Seat:
    case_id: int
    role: Role


@dataclass
class BatchModel:
    """The core plus what is needed to read a solution back in domain terms."""

    core: AssignmentCore
    seats: list[Seat]
    #: agent index → ("consultant" | "coordinator", id)
    agents: list[tuple[str, int]]
    #: per pair: one-way travel minutes (0 for coordinator pairs)
    pair_minutes: list[float]
    #: per item: today's agent index or -1
    current_agent: list[int]
    locked_seats: list[tuple[Seat, int]] = field(default_factory=list)
    build_seconds: float = 0.0


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
            (p.case_id, str(p.role)): p.coordinator_id if p.role == Role.COORDINATOR
            else p.consultant_id
            for p in self.placements
        }


def optimize(
    problem: MatchProblem,
    time_limit: float = 10.0,
    seed: int = 0,
    num_workers: int = 8,
    *,
    deterministic: bool = False,
    relative_gap: float = 0.0,
    log: bool = False,
) -> BatchResult:
    """Re-optimise all seats. Status is honest: OPTIMAL only with a proof; FEASIBLE with
    the bound and gap otherwise; INFEASIBLE or UNKNOWN with no assignment."""
    from matcher.greedy import greedy_pairs  # the baseline doubles as a complete start

    model = build_batch_model(problem)
    hint = greedy_pairs(problem, model)
    result = solve_core(model.core, time_limit=time_limit, seed=seed, num_workers=num_workers,
                        deterministic=deterministic, relative_gap=relative_gap, log=log,
                        hint=hint)
    return read_solution(problem, model, result)


# ------------------------------------------------------------------ building


def build_batch_model(problem: MatchProblem) -> BatchModel:
    started = time.perf_counter()
    settings = problem.settings
    scale = settings.hours_scale
    consultant_index = {c.id: k for k, c in enumerate(problem.consultants)}
    n_consultants = len(problem.consultants)
    coordinator_index = {co.id: n_consultants + j for j, co in enumerate(problem.coordinators)}
    agents = [("consultant", c.id) for c in problem.consultants] + [
        ("coordinator", co.id) for co in problem.coordinators]

    locked_hours = np.zeros(n_consultants)
    locked_cases: list[set[int]] = [set() for _ in range(n_consultants)]
    locked_caseload = Counter[int]()
    locked: dict[tuple[int, str], int] = {}
    current: dict[tuple[int, str], int] = {}
    for a in problem.assignments:
        if a.role == Role.COORDINATOR:
            agent = coordinator_index[a.coordinator_id]  # type: ignore[index]
        else:
            agent = consultant_index[a.consultant_id]  # type: ignore[index]
        key = (a.case_id, str(a.role))
        if a.locked:
            locked[key] = agent
            if a.role == Role.COORDINATOR:
                locked_caseload[agent] += 1
            else:
                locked_hours[agent] += a.hours
                locked_cases[agent].add(a.case_id)
        else:
            current[key] = agent

    index = CandidateIndex(problem, locked_hours)
    seats: list[Seat] = []
    items: list[int] = []
    pair_agent: list[int] = []
    pair_score: list[int] = []
    pair_use: list[tuple[int, int]] = []
    pair_minutes: list[float] = []
    required: list[bool] = []
    penalty: list[int] = []
    current_pair: list[int] = []
    current_agent: list[int] = []
    stability: list[int] = []
    groups: list[tuple[int, ...]] = []
    stability_points = points(problem, settings.stability_cost)

    def add_pair(agent: int, score: int, use: tuple[int, int], minutes: float) -> None:
        items.append(len(seats) - 1)
        pair_agent.append(agent)
        pair_score.append(score)
        pair_use.append(use)
        pair_minutes.append(minutes)

    roles_today: dict[int, set[str]] = {}
    for (case_id, role_name) in (*current, *locked):
        roles_today.setdefault(case_id, set()).add(role_name)
    for case in problem.cases:
        roles = list(case.roles)
        for role_name in sorted(roles_today.get(case.id, ())):
            if role_name != Role.COORDINATOR and Role(role_name) not in roles:
                roles.append(Role(role_name))
        case_items = []
        for role in roles:
            key = (case.id, str(role))
            if key in locked:
                continue
            # The person locked on the other seat of this case cannot take this one.
            blocked = {locked[(case.id, str(other))] for other in (Role.PRIMARY, Role.SUPPORT)
                       if other != role and (case.id, str(other)) in locked}
            seats.append(Seat(case.id, role))
            item = len(seats) - 1
            case_items.append(item)
            today = current.get(key, -1)
            found = index.candidates(case, role, settings.max_candidates_per_seat,
                                     keep=today if today >= 0 else None)
            hours = round(case.hours_for(role) * scale)
            chosen_current = -1
            for cand in found:
                if cand.consultant_index in blocked:
                    continue
                consultant = problem.consultants[cand.consultant_index]
                if cand.consultant_index == today:
                    chosen_current = len(items)
                add_pair(cand.consultant_index, cand.score, (hours, 1),
                         problem.travel_minutes(consultant, case))
            if today >= 0 and chosen_current < 0:
                chosen_current = len(items)
                add_pair(today, _stay_score(problem, case, role, today, float(locked_hours[today])),
                         (hours, 1), problem.travel_minutes(problem.consultants[today], case))
            required.append(False)
            penalty.append(points(problem, settings.unplaced_penalty
                                  * _PRIORITY_FACTOR.get(case.priority, 1.0)))
            current_pair.append(chosen_current)
            current_agent.append(today)
            stability.append(stability_points if today >= 0 else 0)
        if len(case_items) > 1:
            groups.append(tuple(case_items))
        _add_coordinator_seat(problem, case, locked, current, coordinator_index, seats,
                              add_pair, required, penalty, current_pair, current_agent,
                              stability, stability_points, len(items))

    capacities = [
        (max(0, round((c.capacity_hours - locked_hours[k]) * scale)),
         max(0, c.max_cases - len(locked_cases[k])))
        for k, c in enumerate(problem.consultants)
    ] + [
        (0, max(0, co.max_caseload - locked_caseload[coordinator_index[co.id]]))
        for co in problem.coordinators
    ]
    core = AssignmentCore(
        n_items=len(seats), n_agents=len(agents), capacities=tuple(capacities),
        pair_item=tuple(items), pair_agent=tuple(pair_agent), pair_score=tuple(pair_score),
        pair_use=tuple(pair_use), required=tuple(required), unplaced_penalty=tuple(penalty),
        current_pair=tuple(current_pair), stability=tuple(stability),
        distinct_groups=tuple(groups),
    )
    locked_seats = [(Seat(cid, Role(r)), agent) for (cid, r), agent in locked.items()]
    return BatchModel(core, seats, agents, pair_minutes, current_agent, locked_seats,
                      time.perf_counter() - started)


def _stay_score(problem: MatchProblem, case: CaseData, role: Role, k: int, locked: float) -> int:
    """Score of keeping today's consultant even if a hard rule now fails."""
    consultant = problem.consultants[k]
    if language_cover(problem, case, role, consultant) is None:
        return 0
    return integer_score(make_context(problem, case, role, consultant, locked))


def _add_coordinator_seat(
    problem: MatchProblem, case: CaseData, locked, current, coordinator_index, seats,
    add_pair, required, penalty, current_pair, current_agent, stability,
    stability_points: int, next_pair: int,
) -> None:
    """One coordinator seat per case: coordinators of an office serving its region; a
    small score (up to 2 points) prefers the office nearest the family, for meetings."""
    key = (case.id, str(Role.COORDINATOR))
    if key in locked or not problem.coordinators:
        return
    seats.append(Seat(case.id, Role.COORDINATOR))
    today = current.get(key, -1)
    chosen_current = -1
    pair = next_pair
    for co in problem.coordinators:
        agent = coordinator_index[co.id]
        if agent != today and not problem.office_serves(co.office_id, case.region):
            continue
        if agent == today:
            chosen_current = pair
        office = problem.office_by_id.get(co.office_id)
        minutes = problem.travel.minutes(office.location, case.location) if office else 0.0
        limit = max(problem.settings.max_travel_minutes, 1.0)
        add_pair(agent, points(problem, 2.0 * max(0.0, 1.0 - minutes / limit)), (0, 1), 0.0)
        pair += 1
    required.append(False)
    penalty.append(points(problem, problem.settings.coordinator_unplaced_penalty))
    current_pair.append(chosen_current)
    current_agent.append(today)
    stability.append(stability_points if today >= 0 else 0)


# ------------------------------------------------------------------ reading back


def read_solution(problem: MatchProblem, model: BatchModel, result: CoreResult) -> BatchResult:
    scale = problem.settings.score_scale
    objective = None if result.objective is None else result.objective / scale
    bound = None if result.bound is None else result.bound / scale
    if not result.pair_of_item:
        return BatchResult(result.status, objective, bound, None, result.runtime,
                           model.build_seconds, (), (), (), None, model.core.n_pairs,
                           problem.settings.max_candidates_per_seat)
    return solution_result(problem, model, list(result.pair_of_item), result.status,
                           objective, bound, result.gap, result.runtime)


def solution_result(
    problem: MatchProblem, model: BatchModel, pair_of_item: list[int], status: SolveStatus,
    objective: float | None, bound: float | None, gap: float | None, runtime: float,
) -> BatchResult:
    """A `BatchResult` for any solution of the model (CP-SAT's or the greedy baseline's)."""
    core = model.core
    placements: list[Placement] = []
    changes: list[Change] = []
    unplaced: list[UnplacedSeat] = []
    options = Counter(core.pair_item)
    for item, seat in enumerate(model.seats):
        p = pair_of_item[item]
        agent = core.pair_agent[p] if p >= 0 else -1
        placements.append(_placement(model, seat, agent))
        before = model.current_agent[item]
        if agent != before:
            kind = "new" if before < 0 else ("move" if agent >= 0 else "unassigned")
            changes.append(Change(seat.case_id, seat.role, kind,
                                  model.agents[before][1] if before >= 0 else None,
                                  model.agents[agent][1] if agent >= 0 else None))
        if agent < 0:
            unplaced.append(UnplacedSeat(seat.case_id, seat.role,
                                         _unplaced_reason(problem, seat, options[item])))
    for seat, agent in model.locked_seats:
        placements.append(_placement(model, seat, agent, locked=True))
    return BatchResult(
        status=status, objective=objective, bound=bound, gap=gap, runtime=runtime,
        build_seconds=model.build_seconds, placements=tuple(placements),
        changes=tuple(changes), unplaced=tuple(unplaced),
        kpis=_kpis(problem, model, pair_of_item, placements, len(unplaced)),
        n_pairs=core.n_pairs, candidate_limit=problem.settings.max_candidates_per_seat,
    )


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


def _kpis(problem: MatchProblem, model: BatchModel, pair_of_item: list[int],
          placements: list[Placement], n_unplaced: int) -> Kpis:
    minutes: list[float] = []
    exact = with_language = fallback = 0
    hours = np.zeros(len(problem.consultants))
    index = {c.id: k for k, c in enumerate(problem.consultants)}
    for a in problem.assignments:
        if a.locked and a.consultant_id is not None and a.role != Role.COORDINATOR:
            hours[index[a.consultant_id]] += a.hours
    for item, seat in enumerate(model.seats):
        p = pair_of_item[item]
        if p < 0 or seat.role == Role.COORDINATOR:
            continue
        case = problem.case_by_id[seat.case_id]
        k = model.core.pair_agent[p]
        hours[k] += case.hours_for(seat.role)
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
