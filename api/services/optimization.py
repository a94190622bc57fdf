"""Batch re-optimisation: load a snapshot, optimise it, and apply the plan's moves.

One use case for every front end: the API's worker (`run_batch`, a job), the API's
apply (`apply_optimization`, a finished job) and `famplan optimize [--apply]` (the CLI
loads, solves and applies through the same `load_batch` / `solve_batch` / `apply_plan`).

A `BatchPlan` is plain data: status, objective, bound, gap, runtime, KPIs, the moves
(each with the running assignment it ends and that assignment's version at snapshot
time) and the seats left unplaced with their reasons; a job keeps it as its JSON
result. Applying re-checks, in one transaction, that nothing it touches changed since
the snapshot (versions, locks, empty seats) and that every capacity still holds;
otherwise nothing is written and the reason is a `Conflict`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import update
from sqlmodel import Session, col, select

from api.audit import record
from api.services.assignments import bump_version
from api.services.errors import Conflict, Invalid
from api.services.follow_ups import regenerate as regenerate_follow_ups
from api.services.invariants import (
    consultant_load,
    coordinator_overload_problem,
    course_problem,
    employment_problem,
    overload_problem,
    running_assignments,
    seat_problem,
)
from api.services.jobs import Report, SolutionCounter
from api.services.planning_date import planning_date
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Consultant,
    Coordinator,
)
from data.ops_models import AuditAction, Job, JobKind, JobStatus, utcnow
from matcher.batch import BatchResult, Kpis
from matcher.plans import current_seats, kpi_rows, view_from_batch, view_from_plan
from matcher.problem import MatchProblem, Role, RunningAssignment
from solving.status import SolveStatus

#: The per-solution callback of a running optimisation: (objective, bound).
OnSolution = Callable[[float, float], None]

# ------------------------------------------------------------------ types


class BatchRequest(BaseModel):
    """What to re-optimise: the planning date, the offices and the search settings."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    as_of: dt.date
    time_limit_seconds: float = Field(gt=0)
    seed: int = Field(default=0, ge=0)
    #: The same request on the same data gives the same moves (the time limit counts
    #: the solver's work units); False: exactly the time limit, any equally good plan.
    reproducible: bool = True
    #: The offices whose consultants and cases are re-planned; None: every office.
    office_ids: tuple[int, ...] | None = None


class PlannedMove(BaseModel):
    """One difference against today: a new placement, a move, or a seat emptied."""

    model_config = ConfigDict(frozen=True)

    index: int
    case_id: int
    role: AssignmentRole
    kind: Literal["new", "move", "unassigned"]
    #: The consultant (coordinator for a coordinator seat) the seat leaves, if any …
    from_id: int | None
    #: … and the one it goes to, if any.
    to_id: int | None
    hours_per_week: float
    #: The running assignment the move ends, and its version when the snapshot was read.
    assignment_id: int | None
    assignment_version: int | None


class KpiComparison(BaseModel):
    """One key figure of today's plan against the proposed one (`matcher.plans.kpi_rows`)."""

    model_config = ConfigDict(frozen=True)

    name: str
    today: float
    proposed: float


class UnplacedSeatOut(BaseModel):
    model_config = ConfigDict(frozen=True)

    case_id: int
    role: AssignmentRole
    reason: str


class BatchPlan(BaseModel):
    """The result of a batch re-optimisation as plain data (a job's JSON result)."""

    model_config = ConfigDict(frozen=True)

    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    runtime_seconds: float
    as_of: dt.date
    cases: int
    consultants: int
    moves: tuple[PlannedMove, ...]
    unplaced: tuple[UnplacedSeatOut, ...]
    kpis: Kpis | None
    #: Today's plan against the proposed one, figure by figure (empty in results stored
    #: before the comparison was kept, and when no plan was found).
    comparison: tuple[KpiComparison, ...] = ()

    @property
    def found(self) -> bool:
        """Whether the solver found a plan (an optimal or a feasible one)."""
        return self.status.found


@dataclasses.dataclass(frozen=True)
class BatchInput:
    """A snapshot ready to optimise, with the assignment versions read together with it."""

    request: BatchRequest
    problem: MatchProblem
    #: Running assignment id → version at snapshot time (the optimistic lock of a move).
    versions: dict[int, int]


@dataclasses.dataclass(frozen=True)
class BatchRun:
    """A finished optimisation: the solver's own result (for figures) and the plan."""

    problem: MatchProblem
    result: BatchResult
    plan: BatchPlan


@dataclasses.dataclass
class ApplyReport:
    ended_assignment_ids: list[int] = dataclasses.field(default_factory=list)
    created_assignment_ids: list[int] = dataclasses.field(default_factory=list)


# ------------------------------------------------------------------ scope


def restrict_to_offices(problem: MatchProblem, office_ids: frozenset[int]) -> MatchProblem:
    """The part of a `MatchProblem` a set of offices plans on its own.

    Keeps the offices' consultants and coordinators, the running cases staffed only by
    them, and the open requests in regions the offices serve. Cases staffed partly by
    other offices are left out so that another office's plan never changes.
    """
    if {office.id for office in problem.offices} <= office_ids:
        return problem
    consultants = tuple(c for c in problem.consultants if c.office_id in office_ids)
    coordinators = tuple(c for c in problem.coordinators if c.office_id in office_ids)
    consultant_ids = {c.id for c in consultants}
    coordinator_ids = {c.id for c in coordinators}
    regions = {r for o in problem.offices if o.id in office_ids for r in o.serves_regions}

    def inside(a: RunningAssignment) -> bool:
        if a.consultant_id is not None:
            return a.consultant_id in consultant_ids
        return a.coordinator_id in coordinator_ids

    cases = []
    for case in problem.cases:
        staff = problem.assignments_by_case.get(case.id, ())
        if (staff and all(inside(a) for a in staff)) or (not staff and case.region in regions):
            cases.append(case)
    case_ids = {case.id for case in cases}
    assignments = tuple(a for a in problem.assignments if a.case_id in case_ids)
    return dataclasses.replace(
        problem,
        consultants=consultants,
        coordinators=coordinators,
        cases=tuple(cases),
        assignments=assignments,
    )


# ------------------------------------------------------------------ running


def load_batch(session: Session, request: BatchRequest) -> BatchInput:
    """The snapshot of `request.as_of` (restricted to its offices) and the versions of
    the running assignments in it."""
    from api.services.snapshot import load_match_problem

    problem = load_match_problem(session, request.as_of)
    if request.office_ids is not None:
        problem = restrict_to_offices(problem, frozenset(request.office_ids))
    rows = session.exec(
        select(Assignment.id, Assignment.version).where(
            col(Assignment.id).in_([a.id for a in problem.assignments])
        )
    ).all()
    versions = {row_id: version for row_id, version in rows if row_id is not None}
    return BatchInput(request, problem, versions)


def solve_batch(
    batch: BatchInput,
    on_solution: OnSolution | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BatchRun:
    """Optimise a loaded snapshot (pure: no database; may run in another thread);
    `should_stop` (a job's cancel request) stops the search, keeping its best plan."""
    from matcher.batch import optimize

    request = batch.request
    result = optimize(
        batch.problem,
        time_limit=request.time_limit_seconds,
        seed=request.seed,
        num_workers=2,
        deterministic=request.reproducible,
        on_solution=on_solution,
        should_stop=should_stop,
    )
    plan = describe_result(batch.problem, result, batch.versions)
    return BatchRun(batch.problem, result, plan)


def run_batch(
    session: Session,
    params: Mapping[str, object],
    office_ids: Sequence[int],
    report: Report,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, object]:
    """The worker's optimisation job: its stored params in, its JSON result out."""
    request = BatchRequest.model_validate({**params, "office_ids": tuple(office_ids)})
    batch = load_batch(session, request)
    progress = SolutionCounter(report)
    run = solve_batch(batch, progress, should_stop)
    # forced: the throttle may have swallowed the last solutions' writes
    report(run.result.objective, run.result.bound, progress.solutions, force=True)
    return run.plan.model_dump(mode="json")


def describe_result(
    problem: MatchProblem, result: BatchResult, versions: Mapping[int, int]
) -> BatchPlan:
    """The solver's result as a plan: each change with the assignment it ends."""
    running = {
        (
            a.case_id,
            str(a.role),
            a.coordinator_id if a.consultant_id is None else a.consultant_id,
        ): a
        for a in problem.assignments
    }
    moves = []
    for index, change in enumerate(result.changes):
        role = AssignmentRole(str(change.role))
        current = running.get((change.case_id, role.value, change.from_id))
        case = problem.case_by_id[change.case_id]
        hours = 0.0 if role is AssignmentRole.COORDINATOR else float(case.hours_for(change.role))
        moves.append(
            PlannedMove.model_validate(
                {
                    "index": index,
                    "case_id": change.case_id,
                    "role": role,
                    "kind": change.kind,
                    "from_id": change.from_id,
                    "to_id": change.to_id,
                    "hours_per_week": hours,
                    "assignment_id": current.id if current is not None else None,
                    "assignment_version": versions.get(current.id) if current is not None else None,
                }
            )
        )
    return BatchPlan(
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        runtime_seconds=round(result.runtime, 3),
        as_of=problem.as_of,
        cases=len(problem.cases),
        consultants=len(problem.consultants),
        moves=tuple(moves),
        unplaced=tuple(
            UnplacedSeatOut(case_id=u.case_id, role=AssignmentRole(str(u.role)), reason=u.reason)
            for u in result.unplaced
        ),
        kpis=result.kpis,
        comparison=compare_with_today(problem, result) if result.kpis is not None else (),
    )


def compare_with_today(problem: MatchProblem, result: BatchResult) -> tuple[KpiComparison, ...]:
    """The headline figures of today's seats and of the proposed plan, measured alike
    (today's unplaced: the seats the plan covers that nobody holds today)."""
    # The seats the plan covers (placed or not); today leaves empty those with no holder.
    keys = [(p.case_id, Role(p.role)) for p in result.placements]
    keys += [(u.case_id, Role(u.role)) for u in result.unplaced]
    seats = {key for key in keys if key[1] is not Role.COORDINATOR}
    held = current_seats(problem)
    today = view_from_plan(problem, held, "today", len(seats - held.keys()))
    proposed = view_from_batch(problem, result, "proposed")
    return tuple(
        KpiComparison(name=name, today=round(now, 2), proposed=round(then, 2))
        for name, (now, then) in kpi_rows([today, proposed])
    )


# ------------------------------------------------------------------ applying


def apply_optimization(
    session: Session,
    job: Job,
    selected: Sequence[int] | None,
    actor_key_id: int | None,
    today: dt.date | None = None,
) -> ApplyReport:
    """Apply the selected moves of a finished optimisation job (all or nothing)."""
    if job.kind is not JobKind.OPTIMIZATION or job.status is not JobStatus.SUCCEEDED:
        raise Conflict(f"optimization {job.id} has not succeeded (status {job.status.value})")
    if job.applied_at is not None:
        raise Conflict(f"optimization {job.id} was already applied")
    try:
        plan = BatchPlan.model_validate(job.result or {})
    except ValidationError:
        raise Conflict(f"optimization {job.id} has no readable plan; run it again") from None
    return apply_plan(session, plan, selected, actor_key_id, today=today, job=job)


def apply_plan(
    session: Session,
    plan: BatchPlan,
    selected: Sequence[int] | None,
    actor_key_id: int | None,
    *,
    today: dt.date | None = None,
    job: Job | None = None,
) -> ApplyReport:
    """Apply the selected moves of a plan (None: all) in one transaction, or refuse.

    A stale plan — a moved assignment changed, ended or was locked, a seat it fills was
    taken, a person left, a capacity would be exceeded — is a `Conflict` and nothing is
    written. New assignments start on the later of the plan's date and `today`; the
    ones they replace end the day before. With `job`, the job is marked applied in the
    same transaction (a second apply is refused).
    """
    label = f"optimization {job.id}" if job is not None else "the optimisation"
    if not plan.found:
        raise Conflict(
            f"{label} found no plan (solver status {plan.status.value}); nothing to apply"
        )
    chosen = choose_moves(plan, selected)
    try:
        report = _apply(session, plan, chosen, today or planning_date(session), actor_key_id, job)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return report


def choose_moves(plan: BatchPlan, selected: Sequence[int] | None) -> list[PlannedMove]:
    """The moves at the `selected` indices (None: every move); an unknown index is an
    invalid field."""
    if selected is None:
        return list(plan.moves)
    if not selected:
        # Applying nothing would still use the plan up (it applies once): refuse, and
        # the optimisation stays appliable.
        raise Invalid.field("body.moves", "no move selected; send null to apply every move")
    for position, index in enumerate(selected):
        if not 0 <= index < len(plan.moves):
            raise Invalid.field(f"body.moves.{position}", f"no move {index} in this result")
    return [plan.moves[index] for index in selected]


def _apply(
    session: Session,
    plan: BatchPlan,
    moves: list[PlannedMove],
    today: dt.date,
    actor: int | None,
    job: Job | None,
) -> ApplyReport:
    if job is not None:
        claimed = session.exec(
            update(Job)
            .where(col(Job.id) == job.id, col(Job.applied_at).is_(None))
            .values(applied_at=utcnow(), version=col(Job.version) + 1)
        )
        if claimed.rowcount != 1:
            raise Conflict(f"optimization {job.id} was already applied")
    start = max(plan.as_of, today)
    consultants: set[int] = set()
    coordinators: set[int] = set()
    for move in moves:
        people = coordinators if move.role is AssignmentRole.COORDINATOR else consultants
        people.update(i for i in (move.from_id, move.to_id) if i is not None)
    for consultant_id in sorted(consultants):
        if bump_version(session, Consultant, consultant_id) is None:
            raise Conflict(f"consultant {consultant_id} no longer exists")
    for coordinator_id in sorted(coordinators):
        if bump_version(session, Coordinator, coordinator_id) is None:
            raise Conflict(f"coordinator {coordinator_id} no longer exists")

    # Each consultant's load before the moves: the batch lets a consultant already over
    # their family hours keep today's load (never more), and so does the check after.
    before = {cid: consultant_load(session, cid, start)[0] for cid in consultants}
    report = ApplyReport()
    for move in moves:
        _end_current(session, move, start, report)
        if move.to_id is not None:
            report.created_assignment_ids.append(_create(session, move, start))
    session.flush()
    for case_id in sorted({move.case_id for move in moves}):
        reason = seat_problem(session, case_id, start)
        if reason is not None:
            raise Conflict(f"{reason} after these moves; run the optimisation again")
    receiving = {
        move.to_id
        for move in moves
        if move.to_id is not None and move.role is not AssignmentRole.COORDINATOR
    }
    _check_capacities(session, consultants, coordinators, receiving, start, before)
    # A placed request starts its course, a moved coordinator takes over the open
    # follow-ups: the plans of the cases moved are regenerated in the same transaction.
    for case_id in sorted({move.case_id for move in moves}):
        regenerate_follow_ups(session, case_id)
    record(
        session,
        actor,
        AuditAction.OPTIMIZATION_APPLY,
        "assignment",
        report.created_assignment_ids,
        job_id=job.id if job is not None else None,
        ended_assignment_ids=report.ended_assignment_ids,
    )
    return report


def _end_current(session: Session, move: PlannedMove, start: dt.date, report: ApplyReport) -> None:
    if move.assignment_id is None:
        # A new placement: the seat must still be empty.
        taken = session.exec(
            select(Assignment.id).where(
                col(Assignment.case_id) == move.case_id,
                col(Assignment.role) == move.role,
                running_assignments(start),
            )
        ).first()
        if taken is not None:
            raise Conflict(
                f"case {move.case_id} got a {move.role.value} (assignment {taken}) since the "
                "optimisation ran; run it again"
            )
        return
    assignment = session.get(Assignment, move.assignment_id)
    if (
        assignment is None
        or assignment.version != move.assignment_version
        or assignment.status is AssignmentStatus.ENDED
        or assignment.locked
    ):
        raise Conflict(
            f"assignment {move.assignment_id} changed since the optimisation ran; run it again"
        )
    assignment.status = AssignmentStatus.ENDED
    assignment.end = max(assignment.start, start - dt.timedelta(days=1))
    assignment.version += 1
    session.add(assignment)
    assert assignment.id is not None
    report.ended_assignment_ids.append(assignment.id)


def _create(session: Session, move: PlannedMove, start: dt.date) -> int:
    case = session.get(Case, move.case_id)
    if case is None:
        raise Conflict(f"case {move.case_id} no longer exists; run the optimisation again")
    session.refresh(case)
    reason = course_problem(case, start)
    if reason is not None:
        raise Conflict(f"move {move.index}: {reason}; run the optimisation again")
    is_coordinator = move.role is AssignmentRole.COORDINATOR
    row = Assignment(
        case_id=move.case_id,
        consultant_id=None if is_coordinator else move.to_id,
        coordinator_id=move.to_id if is_coordinator else None,
        role=move.role,
        hours_per_week=move.hours_per_week,
        start=start,
        status=AssignmentStatus.CONFIRMED,
    )
    session.add(row)
    if move.role is AssignmentRole.PRIMARY and case.status is CaseStatus.REQUESTED:
        case.status = CaseStatus.ACTIVE
        case.version += 1
        session.add(case)
    session.flush()
    assert row.id is not None
    return row.id


def _check_capacities(
    session: Session,
    consultants: set[int],
    coordinators: set[int],
    receiving: set[int],
    on: dt.date,
    before: dict[int, float],
) -> None:
    """Every consultant who gets a seat (`receiving`) within capacity and employed on
    `on`, and every coordinator a move touches within their caseload. A consultant who
    only gives work away may stay over a (cut) contract: the moves relieve them."""
    session.flush()
    for consultant_id in sorted(consultants & receiving):
        consultant = session.get(Consultant, consultant_id)
        assert consultant is not None
        session.refresh(consultant)
        reason = overload_problem(
            session, consultant, on, allowed_hours=before.get(consultant_id)
        ) or employment_problem(consultant, on)
        if reason is not None:
            raise Conflict(f"{reason} after these moves; run the optimisation again")
    for coordinator_id in sorted(coordinators):
        coordinator = session.get(Coordinator, coordinator_id)
        assert coordinator is not None
        session.refresh(coordinator)
        reason = coordinator_overload_problem(session, coordinator, on)
        if reason is not None:
            raise Conflict(f"{reason}; run the optimisation again")
