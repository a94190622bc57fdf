"""Confirming consultants for a case, safely under concurrency.

Every write that commits capacity first *locks* the rows it depends on by bumping their
`version` with an UPDATE (PostgreSQL takes a row lock until commit; SQLite takes the
database write lock), always in the same order — the case, then consultants by
ascending id — so two transactions never wait for each other in a cycle. Capacity is
then re-checked with fresh reads inside the transaction: of two receptionists confirming
the last free capacity of one consultant at the same moment, the second waits for the
first, sees the capacity gone and gets a 409 with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, col, select

from api.audit import record
from api.auth import Principal
from api.schemas.matching import AssignmentConfirm, SeatChoice
from api.schemas.staff import AssignmentUpdate
from api.services.errors import Conflict, Forbidden, Invalid, NotFound
from api.services.follow_ups import regenerate as regenerate_follow_ups
from api.services.invariants import (
    capacity_problem,
    consultant_problem,
    course_problem,
    running_assignments,
    seat_problem,
)
from api.services.planning_date import planning_date
from api.services.references import get_or_404
from data.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Case,
    CaseStatus,
    Consultant,
    Coordinator,
    InterventionType,
    Municipality,
    Office,
)
from data.ops_models import AuditAction
from matcher.coordinators import CoordinatorOption, choose_coordinator

#: A check of the rules that do not depend on load (language, type, exclusions …):
#: (case id, consultant id, role) → a reason the consultant is not a candidate, or None.
StaticCheck = Callable[[int, int, AssignmentRole], str | None]


@dataclass(frozen=True)
class Confirmation:
    created: list[Assignment]
    ended: list[Assignment]


def bump_version(
    session: Session, model: type[Case] | type[Consultant] | type[Coordinator], row_id: int
) -> int | None:
    """Lock a row by incrementing its version; return the new version (None: no row)."""
    result = session.exec(
        update(model).where(col(model.id) == row_id).values(version=col(model.version) + 1)
    )
    if result.rowcount != 1:
        return None
    return session.exec(select(model.version).where(col(model.id) == row_id)).one()


def lock_consultants(session: Session, ids: Iterable[int], field: str) -> dict[int, int]:
    """Lock consultants in ascending id order; return their new versions."""
    versions: dict[int, int] = {}
    for consultant_id in sorted(set(ids)):
        version = bump_version(session, Consultant, consultant_id)
        if version is None:
            raise Invalid.field(field, f"unknown consultant id {consultant_id}")
        versions[consultant_id] = version
    return versions


def _seat_hours(case: Case, seat: SeatChoice) -> float:
    if seat.hours_per_week is not None:
        return seat.hours_per_week
    return (
        case.support_hours_per_week if seat.role is AssignmentRole.SUPPORT else case.hours_per_week
    )


def confirm(
    session: Session,
    case_id: int,
    body: AssignmentConfirm,
    actor_key_id: int | None,
    static_check: StaticCheck | None = None,
    today: dt.date | None = None,
) -> Confirmation:
    """Apply the reshuffle moves and create the confirmed assignments, all or nothing."""
    try:
        result = _confirm(session, case_id, body, actor_key_id, static_check, today)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    for row in (*result.created, *result.ended):
        session.refresh(row)
    return result


def _confirm(
    session: Session,
    case_id: int,
    body: AssignmentConfirm,
    actor_key_id: int | None,
    static_check: StaticCheck | None,
    today: dt.date | None,
) -> Confirmation:
    if bump_version(session, Case, case_id) is None:
        raise NotFound("case", case_id)
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    if case.status is CaseStatus.ENDED:
        raise Conflict(f"case {case_id} has ended")
    if case.intervention_type is InterventionType.DOGNINDSATS and body.seats:
        # A team's hours come from its roster: the match's `team.roster_request` plans
        # it, and publishing writes the team back as the case's assignments.
        raise Invalid.field(
            "body.seats",
            "a døgnindsats is staffed by its roster: plan the match's team "
            "(POST /v1/rosters with team.roster_request) and publish it",
        )
    start = body.start or max(case.requested_start.date(), today or planning_date(session))
    if course_problem(case, start) is not None:
        raise Invalid.field("body.start", "after the case's expected end")
    if case.needs_support_person is False and any(
        seat.role is AssignmentRole.SUPPORT for seat in body.seats
    ):
        raise Invalid.field("body.seats", "this case does not need a support person")

    moves = []
    for index, move in enumerate(body.moves):
        assignment = session.get(Assignment, move.assignment_id)
        if assignment is None:
            raise Invalid.field(
                f"body.moves.{index}.assignment_id", f"unknown assignment {move.assignment_id}"
            )
        moves.append((assignment, move.to_consultant_id))
    involved = [seat.consultant_id for seat in body.seats]
    for assignment, target in moves:
        involved.append(target)
        if assignment.consultant_id is not None:
            involved.append(assignment.consultant_id)
    versions = lock_consultants(session, involved, "body.seats")

    ended: list[Assignment] = []
    created: list[Assignment] = []
    for index, (assignment, target) in enumerate(moves):
        session.refresh(assignment)
        where = f"assignment {assignment.id}"
        if assignment.locked:
            raise Conflict(f"{where} is locked and cannot be moved")
        if assignment.consultant_id is None or assignment.status is AssignmentStatus.ENDED:
            raise Conflict(f"{where} is not a running consultant assignment")
        if assignment.consultant_id == target:
            raise Invalid.field(
                f"body.moves.{index}.to_consultant_id", "already on this assignment"
            )
        consultant = session.get(Consultant, target)
        assert consultant is not None
        session.refresh(consultant)
        # The moved seat leaves its old consultant on the day before `start`.
        assignment.status = AssignmentStatus.ENDED
        assignment.end = max(assignment.start, start - dt.timedelta(days=1))
        assignment.version += 1
        session.add(assignment)
        session.flush()
        moved_case = session.get(Case, assignment.case_id)
        assert moved_case is not None
        reason = capacity_problem(
            session, consultant, moved_case, assignment.role, assignment.hours_per_week, start
        )
        if reason is None and static_check is not None:
            reason = static_check(assignment.case_id, target, assignment.role)
        if reason is not None:
            raise Conflict(f"move {index}: {reason}")
        moved = Assignment(
            case_id=assignment.case_id,
            consultant_id=target,
            role=assignment.role,
            hours_per_week=assignment.hours_per_week,
            start=start,
            status=AssignmentStatus.CONFIRMED,
        )
        session.add(moved)
        session.flush()
        ended.append(assignment)
        created.append(moved)

    confirmed: list[Assignment] = []
    for seat in body.seats:
        taken = session.exec(
            select(Assignment.id).where(
                col(Assignment.case_id) == case_id,
                col(Assignment.role) == seat.role,
                col(Assignment.consultant_id).is_not(None),
                running_assignments(start),
            )
        ).first()
        if taken is not None:
            raise Conflict(
                f"case {case_id} already has a {seat.role.value} consultant (assignment {taken})"
            )
        expected = seat.consultant_version
        if expected is not None and versions[seat.consultant_id] != expected + 1:
            raise Conflict(
                f"consultant {seat.consultant_id} changed since the match "
                f"(version {versions[seat.consultant_id] - 1}, you sent {expected}); match again"
            )
        consultant = session.get(Consultant, seat.consultant_id)
        assert consultant is not None
        session.refresh(consultant)
        hours = _seat_hours(case, seat)
        reason = capacity_problem(session, consultant, case, seat.role, hours, start)
        if reason is None and static_check is not None:
            reason = static_check(case_id, seat.consultant_id, seat.role)
        if reason is not None:
            raise Conflict(reason)
        row = Assignment(
            case_id=case_id,
            consultant_id=seat.consultant_id,
            role=seat.role,
            hours_per_week=hours,
            start=start,
            status=AssignmentStatus.CONFIRMED,
        )
        session.add(row)
        session.flush()
        confirmed.append(row)
        assert row.id is not None
        record(
            session,
            actor_key_id,
            AuditAction.ASSIGNMENT_CONFIRM,
            "assignment",
            [row.id],
            case_id=case_id,
            consultant_id=seat.consultant_id,
        )

    if moves:
        record(
            session,
            actor_key_id,
            AuditAction.RESHUFFLE_APPLY,
            "assignment",
            [a.id for a in created if a.id is not None],
            case_id=case_id,
            ended_assignment_ids=[a.id for a in ended if a.id is not None],
        )
    coordinator = _assign_coordinator(session, case, body.coordinator_id, start, actor_key_id)
    if coordinator is not None:
        confirmed.append(coordinator)
    if case.status is CaseStatus.REQUESTED:
        case.status = CaseStatus.ACTIVE
        session.add(case)
    session.flush()
    # The course starts: its coordinator's follow-ups are planned in the same transaction.
    regenerate_follow_ups(session, case_id)
    # Only the consultants who receive work can go over: a source may stay over its
    # (cut) contract, and a move that relieves it must not be refused for that.
    receiving = {seat.consultant_id for seat in body.seats} | {target for _, target in moves}
    for consultant_id in sorted(receiving):
        reason = consultant_problem(session, consultant_id, start)
        if reason is not None:
            raise Conflict(reason)
    for touched in sorted({case_id, *(a.case_id for a in ended)}):
        reason = seat_problem(session, touched, start)
        if reason is not None:
            raise Conflict(reason)
    return Confirmation(created=[*confirmed, *created], ended=ended)


def _coordinator_caseload(session: Session, coordinator_id: int, on: dt.date) -> int:
    return len(
        set(
            session.exec(
                select(Assignment.case_id).where(
                    col(Assignment.coordinator_id) == coordinator_id, running_assignments(on)
                )
            ).all()
        )
    )


def _assign_coordinator(
    session: Session,
    case: Case,
    requested: int | None,
    start: dt.date,
    actor_key_id: int | None,
) -> Assignment | None:
    """In the confirm's transaction: give a case without a running coordinator the one
    asked for, or else the one the match proposes (`matcher.coordinators`: a serving
    office's coordinator with room and the lowest caseload). None if the case has one
    already or no serving office has room (the family is placed all the same)."""
    assert case.id is not None
    running = session.exec(
        select(Assignment.id).where(
            col(Assignment.case_id) == case.id,
            col(Assignment.role) == AssignmentRole.COORDINATOR,
            running_assignments(start),
        )
    ).first()
    if running is not None:
        if requested is not None:
            raise Conflict(f"case {case.id} already has a coordinator (assignment {running})")
        return None
    municipality = session.get(Municipality, case.municipality_code)
    region = municipality.region_code if municipality is not None else ""
    serving = {o.id for o in session.exec(select(Office)) if region in o.serves_regions}
    caseloads = Counter(
        coordinator_id
        for coordinator_id, _ in set(
            session.exec(
                select(Assignment.coordinator_id, Assignment.case_id).where(
                    col(Assignment.coordinator_id).is_not(None), running_assignments(start)
                )
            ).all()
        )
    )
    options = [
        CoordinatorOption(
            co.id, co.office_id, caseloads[co.id], co.max_caseload, co.office_id in serving
        )
        for co in session.exec(select(Coordinator).order_by(col(Coordinator.id)))
        if co.id is not None
    ]
    if requested is not None:
        chosen = next((o for o in options if o.id == requested), None)
        if chosen is None:
            raise Invalid.field("body.coordinator_id", f"unknown coordinator id {requested}")
    else:
        chosen = choose_coordinator(options)
        if chosen is None:
            return None
    # Lock the coordinator, then count again: a concurrent confirm may have taken the
    # last place in the caseload.
    bump_version(session, Coordinator, chosen.id)
    caseload = _coordinator_caseload(session, chosen.id, start)
    if caseload >= chosen.max_caseload:
        raise Conflict(
            f"coordinator {chosen.id} already has the maximum of {chosen.max_caseload} cases"
        )
    row = Assignment(
        case_id=case.id,
        coordinator_id=chosen.id,
        role=AssignmentRole.COORDINATOR,
        hours_per_week=0,
        start=start,
        status=AssignmentStatus.CONFIRMED,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    record(
        session,
        actor_key_id,
        AuditAction.ASSIGNMENT_CONFIRM,
        "assignment",
        [row.id],
        case_id=case.id,
        coordinator_id=chosen.id,
    )
    return row


# ------------------------------------------------------------------ changing one


def update_assignment(
    session: Session,
    principal: Principal,
    assignment_id: int,
    body: AssignmentUpdate,
    today: dt.date,
) -> Assignment:
    """End, lock or resize an assignment of the caller's offices; `body.version` must be
    the one read (else `Conflict`). More hours commit capacity: the consultant is locked
    and re-checked as a confirmation does."""
    row = get_or_404(session, Assignment, assignment_id, "assignment")
    _check_assignment_scope(session, principal, row)
    changes = body.model_dump(exclude_unset=True, exclude_none=True, exclude={"version"})
    end: dt.date | None = changes.get("end", row.end)
    if end is not None and end < row.start:
        raise Invalid.field("body.end", "ends before the assignment's start")
    status: AssignmentStatus = changes.get("status", row.status)
    if status is AssignmentStatus.ENDED and end is None:
        raise Invalid.field("body.end", "required when ending an assignment")
    if row.locked and changes.get("locked", True) and set(changes) - {"locked"}:
        raise Conflict(f"assignment {assignment_id} is locked; unlock it before changing it")
    # More hours, a later end or a re-activation commit capacity: lock the consultant
    # like a confirmation does, then check the invariants with fresh reads.
    commits = (
        changes.get("hours_per_week", row.hours_per_week) > row.hours_per_week
        or (row.status is AssignmentStatus.ENDED and status is not AssignmentStatus.ENDED)
        or (row.end is not None and (end is None or end > row.end))
    )
    if commits and row.consultant_id is not None:
        bump_version(session, Consultant, row.consultant_id)
    # Conditional UPDATE: of two concurrent changes from the same version, one wins.
    updated = session.exec(
        update(Assignment)
        .where(col(Assignment.id) == assignment_id, col(Assignment.version) == body.version)
        .values(**changes, version=col(Assignment.version) + 1)
    )
    if updated.rowcount != 1:
        session.rollback()
        raise Conflict(
            f"assignment {assignment_id} changed since you read it "
            f"(version {row.version}, you sent {body.version})"
        )
    if commits:
        reason = _committed_capacity_problem(session, row, status, today)
        if reason is not None:
            session.rollback()
            raise Conflict(reason)
    if row.role is AssignmentRole.COORDINATOR:
        # Ending or resuming a coordinator's assignment may hand the case's open
        # follow-ups to another coordinator.
        regenerate_follow_ups(session, row.case_id)
    record(
        session,
        principal.key_id,
        AuditAction.ASSIGNMENT_UPDATE,
        "assignment",
        [assignment_id],
        case_id=row.case_id,
        consultant_id=row.consultant_id,
    )
    session.commit()
    session.refresh(row)
    return row


def _committed_capacity_problem(
    session: Session, row: Assignment, status: AssignmentStatus, today: dt.date
) -> str | None:
    """The invariants an assignment that now commits more capacity must keep: its case
    still runs (for a re-activation), its consultant's capacity and its seat on the
    first day it runs from now on."""
    on = max(row.start, today)
    case = session.get(Case, row.case_id)
    assert case is not None
    session.refresh(case)
    if status is not AssignmentStatus.ENDED and case.status is CaseStatus.ENDED:
        return f"case {case.id} has ended"
    if row.consultant_id is not None:
        reason = consultant_problem(session, row.consultant_id, on)
        if reason is not None:
            return reason
    return seat_problem(session, row.case_id, on)


def _check_assignment_scope(session: Session, principal: Principal, row: Assignment) -> None:
    office_id: int | None = None
    if row.consultant_id is not None:
        consultant = session.get(Consultant, row.consultant_id)
        office_id = consultant.office_id if consultant else None
    elif row.coordinator_id is not None:
        coordinator = session.get(Coordinator, row.coordinator_id)
        office_id = coordinator.office_id if coordinator else None
    if office_id is None or not principal.may_act_for_offices({office_id}):
        raise Forbidden("the assignment belongs to an office outside your scope")
