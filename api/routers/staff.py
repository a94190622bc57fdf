"""Coordinators and assignments."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlmodel import col, func, select

from api.deps import AdminUser, AnyUser, PlannerUser, PlanningDateDep, SessionDep
from api.routers.common import Limit, OfficeFilter, Skip
from api.schemas.common import MAX_ID, Page
from api.schemas.staff import (
    AssignmentPublic,
    AssignmentUpdate,
    CoordinatorCreate,
    CoordinatorPublic,
    CoordinatorUpdate,
)
from api.services.assignments import update_assignment as update_assignment_
from api.services.references import get_or_404, require_office
from api.services.scope import case_in_scope, require_case_in_scope
from data.models import Assignment, AssignmentStatus, Case, Consultant, Coordinator

coordinators = APIRouter(prefix="/coordinators", tags=["coordinators"])
CoordinatorId = Annotated[int, Path(ge=1, le=MAX_ID, description="Coordinator id.", examples=[3])]


@coordinators.get("", response_model=Page[CoordinatorPublic], summary="List coordinators")
def list_coordinators(
    session: SessionDep,
    _: AnyUser,
    office_id: OfficeFilter = None,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[CoordinatorPublic]:
    query = select(Coordinator)
    if office_id is not None:
        query = query.where(Coordinator.office_id == office_id)
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Coordinator.id)).offset(skip).limit(limit)).all()
    return Page(data=[CoordinatorPublic.model_validate(r) for r in rows], count=count)


@coordinators.get("/{coordinator_id}", response_model=CoordinatorPublic, summary="One coordinator")
def get_coordinator(
    session: SessionDep, _: AnyUser, coordinator_id: CoordinatorId
) -> CoordinatorPublic:
    row = get_or_404(session, Coordinator, coordinator_id, "coordinator")
    return CoordinatorPublic.model_validate(row)


@coordinators.post(
    "", response_model=CoordinatorPublic, status_code=201, summary="Create a coordinator"
)
def create_coordinator(
    session: SessionDep, _: AdminUser, body: CoordinatorCreate
) -> CoordinatorPublic:
    require_office(session, body.office_id, "body.office_id")
    row = Coordinator.model_validate(body)
    session.add(row)
    session.commit()
    session.refresh(row)
    return CoordinatorPublic.model_validate(row)


@coordinators.patch(
    "/{coordinator_id}", response_model=CoordinatorPublic, summary="Change a coordinator"
)
def update_coordinator(
    session: SessionDep, _: AdminUser, coordinator_id: CoordinatorId, body: CoordinatorUpdate
) -> CoordinatorPublic:
    row = get_or_404(session, Coordinator, coordinator_id, "coordinator")
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if "office_id" in changes:
        require_office(session, changes["office_id"], "body.office_id")
    row.sqlmodel_update(changes)
    row.version += 1
    session.add(row)
    session.commit()
    session.refresh(row)
    return CoordinatorPublic.model_validate(row)


assignments = APIRouter(prefix="/assignments", tags=["assignments"])
AssignmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="Assignment id.", examples=[11])]


@assignments.get(
    "",
    response_model=Page[AssignmentPublic],
    summary="List assignments (team leaders: of their offices' cases)",
)
def list_assignments(
    session: SessionDep,
    principal: AnyUser,
    case_id: Annotated[int | None, Query(ge=1, le=MAX_ID, examples=[42])] = None,
    consultant_id: Annotated[int | None, Query(ge=1, le=MAX_ID, examples=[7])] = None,
    coordinator_id: Annotated[int | None, Query(ge=1, le=MAX_ID, examples=[3])] = None,
    office_id: Annotated[
        int | None,
        Query(
            ge=1, le=MAX_ID, description="Office of the consultant or coordinator.", examples=[1]
        ),
    ] = None,
    status: Annotated[AssignmentStatus | None, Query()] = None,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[AssignmentPublic]:
    visible_cases = select(Case.id).where(case_in_scope(session, principal))
    query = select(Assignment).where(col(Assignment.case_id).in_(visible_cases))
    if case_id is not None:
        query = query.where(Assignment.case_id == case_id)
    if consultant_id is not None:
        query = query.where(Assignment.consultant_id == consultant_id)
    if coordinator_id is not None:
        query = query.where(Assignment.coordinator_id == coordinator_id)
    if status is not None:
        query = query.where(Assignment.status == status)
    if office_id is not None:
        consultants = select(Consultant.id).where(Consultant.office_id == office_id)
        coordinators_ = select(Coordinator.id).where(Coordinator.office_id == office_id)
        query = query.where(
            col(Assignment.consultant_id).in_(consultants)
            | col(Assignment.coordinator_id).in_(coordinators_)
        )
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Assignment.id)).offset(skip).limit(limit)).all()
    return Page(data=[AssignmentPublic.model_validate(r) for r in rows], count=count)


@assignments.get("/{assignment_id}", response_model=AssignmentPublic, summary="One assignment")
def get_assignment(
    session: SessionDep, principal: AnyUser, assignment_id: AssignmentId
) -> AssignmentPublic:
    """Team leaders read the assignments of their offices' cases only."""
    row = get_or_404(session, Assignment, assignment_id, "assignment")
    require_case_in_scope(session, principal, row.case_id)
    return AssignmentPublic.model_validate(row)


@assignments.patch(
    "/{assignment_id}",
    response_model=AssignmentPublic,
    summary="End, lock or resize an assignment (optimistic locking on `version`)",
)
def update_assignment(
    session: SessionDep,
    principal: PlannerUser,
    assignment_id: AssignmentId,
    body: AssignmentUpdate,
    planning_day: PlanningDateDep,
) -> AssignmentPublic:
    row = update_assignment_(session, principal, assignment_id, body, planning_day)
    return AssignmentPublic.model_validate(row)
