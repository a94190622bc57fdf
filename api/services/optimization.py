"""Batch re-optimisation: run it on a snapshot (in the worker) and apply its moves.

The job result is plain JSON: status, objective, bound, gap, runtime, KPIs, the moves
(each with the running assignment it ends and that assignment's version at snapshot
time) and the seats left unplaced with their reasons. Applying re-checks, in one
transaction, that nothing it touches changed since the snapshot and that every
capacity still holds; otherwise nothing is written and the answer is 409.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from api.audit import record
from api.problems import conflict, invalid_field
from api.services.assignments import bump_version, overload_problem, running_assignments
from api.services.jobs import Report, reproducible, solve_with_progress
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
from solving.status import SolveStatus

# ------------------------------------------------------------------ scope


def restrict_to_offices(problem: Any, office_ids: set[int]) -> Any:
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

    def inside(a: Any) -> bool:
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


def run_batch(
    session: Session,
    params: dict[str, Any],
    office_ids: list[int],
    report: Report,
) -> dict[str, Any]:
    """Load the snapshot, optimise, and describe the result as JSON."""
    from api.services.snapshot import load_match_problem
    from matcher.batch import optimize

    as_of = dt.date.fromisoformat(params["as_of"])
    problem = restrict_to_offices(load_match_problem(session, as_of), set(office_ids))
    rows = session.exec(
        select(Assignment.id, Assignment.version).where(
            col(Assignment.id).in_([a.id for a in problem.assignments])
        )
    ).all()
    versions = {row_id: version for row_id, version in rows if row_id is not None}
    result = solve_with_progress(
        partial(optimize, deterministic=reproducible(params)), problem, params, report
    )
    return describe_result(problem, result, versions, as_of)


def describe_result(
    problem: Any, result: Any, versions: dict[int, int], as_of: dt.date
) -> dict[str, Any]:
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
        role = str(change.role)
        current = running.get((change.case_id, role, change.from_id))
        case = problem.case_by_id[change.case_id]
        hours = 0.0 if role == "coordinator" else float(case.hours_for(change.role))
        moves.append(
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
    kpis = dataclasses.asdict(result.kpis) if result.kpis is not None else None
    return {
        "status": str(result.status),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "runtime_seconds": round(result.runtime, 3),
        "as_of": as_of.isoformat(),
        "cases": len(problem.cases),
        "consultants": len(problem.consultants),
        "moves": moves,
        "unplaced": [
            {"case_id": u.case_id, "role": str(u.role), "reason": u.reason} for u in result.unplaced
        ],
        "kpis": kpis,
    }


# ------------------------------------------------------------------ applying


@dataclass
class ApplyReport:
    ended_assignment_ids: list[int] = field(default_factory=list)
    created_assignment_ids: list[int] = field(default_factory=list)


def apply_optimization(
    session: Session, job: Job, selected: list[int] | None, actor_key_id: int | None
) -> ApplyReport:
    """Apply the selected moves of a finished job in one transaction (all or nothing)."""
    if job.kind is not JobKind.OPTIMIZATION or job.status is not JobStatus.SUCCEEDED:
        raise conflict(f"optimization {job.id} has not succeeded (status {job.status.value})")
    if job.applied_at is not None:
        raise conflict(f"optimization {job.id} was already applied")
    result = job.result or {}
    if not SolveStatus(result.get("status", SolveStatus.UNKNOWN)).found:
        raise conflict(
            f"optimization {job.id} found no plan (solver status {result.get('status')}); "
            "nothing to apply"
        )
    moves: list[dict[str, Any]] = list(result.get("moves", []))
    if selected is None:
        chosen = moves
    else:
        for position, index in enumerate(selected):
            if not 0 <= index < len(moves):
                raise invalid_field(f"body.moves.{position}", f"no move {index} in this result")
        chosen = [moves[index] for index in selected]
    try:
        report = _apply(session, job, chosen, dt.date.fromisoformat(result["as_of"]), actor_key_id)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return report


def _apply(
    session: Session, job: Job, moves: list[dict[str, Any]], as_of: dt.date, actor: int | None
) -> ApplyReport:
    claimed = session.exec(
        update(Job)
        .where(col(Job.id) == job.id, col(Job.applied_at).is_(None))
        .values(applied_at=utcnow(), version=col(Job.version) + 1)
    )
    if claimed.rowcount != 1:
        raise conflict(f"optimization {job.id} was already applied")
    start = max(as_of, dt.date.today())
    consultants: set[int] = set()
    coordinators: set[int] = set()
    for move in moves:
        people = coordinators if move["role"] == AssignmentRole.COORDINATOR.value else consultants
        people.update(i for i in (move["from_id"], move["to_id"]) if i is not None)
    for consultant_id in sorted(consultants):
        if bump_version(session, Consultant, consultant_id) is None:
            raise conflict(f"consultant {consultant_id} no longer exists")
    for coordinator_id in sorted(coordinators):
        if bump_version(session, Coordinator, coordinator_id) is None:
            raise conflict(f"coordinator {coordinator_id} no longer exists")

    report = ApplyReport()
    for move in moves:
        _end_current(session, move, start, report)
        if move["to_id"] is not None:
            report.created_assignment_ids.append(_create(session, move, start))
    _check_capacities(session, consultants, coordinators, start)
    record(
        session,
        actor,
        AuditAction.OPTIMIZATION_APPLY,
        "assignment",
        report.created_assignment_ids,
        job_id=job.id,
        ended_assignment_ids=report.ended_assignment_ids,
    )
    return report


def _end_current(
    session: Session, move: dict[str, Any], start: dt.date, report: ApplyReport
) -> None:
    role = AssignmentRole(move["role"])
    if move["assignment_id"] is None:
        # A new placement: the seat must still be empty.
        taken = session.exec(
            select(Assignment.id).where(
                col(Assignment.case_id) == move["case_id"],
                col(Assignment.role) == role,
                running_assignments(start),
            )
        ).first()
        if taken is not None:
            raise conflict(
                f"case {move['case_id']} got a {role.value} (assignment {taken}) since the "
                "optimisation ran; run it again"
            )
        return
    assignment = session.get(Assignment, move["assignment_id"])
    if (
        assignment is None
        or assignment.version != move["assignment_version"]
        or assignment.status is AssignmentStatus.ENDED
        or assignment.locked
    ):
        raise conflict(
            f"assignment {move['assignment_id']} changed since the optimisation ran; run it again"
        )
    assignment.status = AssignmentStatus.ENDED
    assignment.end = max(assignment.start, start - dt.timedelta(days=1))
    assignment.version += 1
    session.add(assignment)
    assert assignment.id is not None
    report.ended_assignment_ids.append(assignment.id)


def _create(session: Session, move: dict[str, Any], start: dt.date) -> int:
    role = AssignmentRole(move["role"])
    is_coordinator = role is AssignmentRole.COORDINATOR
    row = Assignment(
        case_id=move["case_id"],
        consultant_id=None if is_coordinator else move["to_id"],
        coordinator_id=move["to_id"] if is_coordinator else None,
        role=role,
        hours_per_week=move["hours_per_week"],
        start=start,
        status=AssignmentStatus.CONFIRMED,
    )
    session.add(row)
    if role is AssignmentRole.PRIMARY:
        case = session.get(Case, move["case_id"])
        if case is not None and case.status is CaseStatus.REQUESTED:
            case.status = CaseStatus.ACTIVE
            case.version += 1
            session.add(case)
    session.flush()
    assert row.id is not None
    return row.id


def _check_capacities(
    session: Session, consultants: set[int], coordinators: set[int], on: dt.date
) -> None:
    session.flush()
    for consultant_id in sorted(consultants):
        consultant = session.get(Consultant, consultant_id)
        assert consultant is not None
        reason = overload_problem(session, consultant, on)
        if reason is not None:
            raise conflict(f"{reason} after these moves; run the optimisation again")
    for coordinator_id in sorted(coordinators):
        coordinator = session.get(Coordinator, coordinator_id)
        assert coordinator is not None
        load = len(
            session.exec(
                select(Assignment.case_id).where(
                    col(Assignment.coordinator_id) == coordinator_id, running_assignments(on)
                )
            ).all()
        )
        if load > coordinator.max_caseload:
            raise conflict(
                f"coordinator {coordinator_id} would exceed the caseload of "
                f"{coordinator.max_caseload}; run the optimisation again"
            )
