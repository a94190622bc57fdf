"""Office scope in SQL (which rows a caller may see, as a WHERE condition) and the
fields each role may read.

Rosters and jobs keep their offices in link tables (`roster_office`, `job_office`), so
listings filter by scope and page in the database instead of loading every row.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import ColumnElement, false, true
from sqlalchemy.orm import Mapped
from sqlmodel import Session, SQLModel, col, select

from api.auth import Principal
from api.schemas.cases import CaseAdmin, CasePublic
from api.schemas.consultants import AbsenceDetail, AbsencePublic, ConsultantAdmin, ConsultantPublic
from api.services.errors import Forbidden, NotFound
from data.models import (
    Absence,
    Assignment,
    AssignmentStatus,
    Case,
    Consultant,
    Coordinator,
    Municipality,
    Office,
)
from data.ops_models import Role

_Public = TypeVar("_Public", bound=SQLModel)


def within_office_scope(
    principal: Principal,
    row_id: Mapped[int | None],
    link_row_id: Mapped[int | None],
    link_office_id: Mapped[int],
) -> ColumnElement[bool]:
    """`Principal.may_act_for_offices` over a row's linked offices: an admin may see every
    row; a team leader a row with at least one office and none outside their scope;
    anyone else none. ``row_id`` is the row's key, the ``link_*`` columns its links'."""
    if principal.is_admin:
        return true()
    if principal.role is not Role.TEAM_LEADER:
        return false()
    of_the_row = link_row_id == row_id
    has_an_office = select(link_office_id).where(of_the_row).exists()
    outside_scope = (
        select(link_office_id)
        .where(of_the_row, link_office_id.not_in(sorted(principal.office_ids)))
        .exists()
    )
    return has_an_office & ~outside_scope


# ------------------------------------------------------------------ need to know
#
# Who reads what (issue 21): an admin reads everything; reception every case and
# consultant, because it places families everywhere, but never a home or a family's
# location, nor why someone is absent; a team leader only their offices' consultants
# and cases, also without coordinates. Out of scope by id is 403 (as rosters and jobs).
#
# "A team leader's offices' cases" follows the optimiser's scope
# (`api.services.optimization.restrict_to_offices`): a case staffed (now or before) by a
# consultant or coordinator of those offices, or a case nobody staffs yet in a region
# one of those offices serves.


def _served_regions(session: Session, office_ids: frozenset[int]) -> set[str]:
    offices = session.exec(select(Office).where(col(Office.id).in_(sorted(office_ids)))).all()
    return {region for office in offices for region in office.serves_regions}


def case_in_scope(session: Session, principal: Principal) -> ColumnElement[bool]:
    """SQL condition on `Case`: a case the caller may read."""
    if principal.role in (Role.ADMIN, Role.RECEPTION):
        return true()
    if principal.role is not Role.TEAM_LEADER or not principal.office_ids:
        return false()
    offices = sorted(principal.office_ids)
    own_consultants = select(Consultant.id).where(col(Consultant.office_id).in_(offices))
    own_coordinators = select(Coordinator.id).where(col(Coordinator.office_id).in_(offices))
    staffed_by_us = (
        select(Assignment.id)
        .where(
            col(Assignment.case_id) == col(Case.id),
            col(Assignment.consultant_id).in_(own_consultants)
            | col(Assignment.coordinator_id).in_(own_coordinators),
        )
        .exists()
    )
    staffed = (
        select(Assignment.id)
        .where(
            col(Assignment.case_id) == col(Case.id),
            col(Assignment.status) != AssignmentStatus.ENDED,
        )
        .exists()
    )
    served = select(Municipality.code).where(
        col(Municipality.region_code).in_(sorted(_served_regions(session, principal.office_ids)))
    )
    return staffed_by_us | (~staffed & col(Case.municipality_code).in_(served))


def consultant_in_scope(principal: Principal) -> ColumnElement[bool]:
    """SQL condition on `Consultant`: a consultant the caller may read."""
    if principal.role in (Role.ADMIN, Role.RECEPTION):
        return true()
    if principal.role is not Role.TEAM_LEADER:
        return false()
    return col(Consultant.office_id).in_(sorted(principal.office_ids))


def require_case_in_scope(session: Session, principal: Principal, case_id: int) -> Case:
    """The case (`NotFound` if there is none; `Forbidden` outside the caller's scope)."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    visible = session.exec(
        select(Case.id).where(col(Case.id) == case_id, case_in_scope(session, principal))
    ).first()
    if visible is None:
        raise Forbidden(f"case {case_id} belongs to offices outside your scope")
    return case


def require_consultant_in_scope(
    session: Session, principal: Principal, consultant_id: int
) -> Consultant:
    consultant = session.get(Consultant, consultant_id)
    if consultant is None:
        raise NotFound("consultant", consultant_id)
    if principal.role is Role.TEAM_LEADER and consultant.office_id not in principal.office_ids:
        raise Forbidden(f"consultant {consultant_id} belongs to an office outside your scope")
    if principal.role not in (Role.ADMIN, Role.RECEPTION, Role.TEAM_LEADER):
        raise Forbidden(f"consultant {consultant_id} is outside your scope")
    return consultant


def case_view(principal: Principal, case: CaseAdmin) -> CaseAdmin | CasePublic:
    """The case as the caller may see it: coordinates for admins only."""
    return case if principal.is_admin else _narrow(case, CasePublic)


def consultant_view(
    principal: Principal, consultant: ConsultantAdmin
) -> ConsultantAdmin | ConsultantPublic:
    """The consultant as the caller may see them: the home for admins only."""
    return consultant if principal.is_admin else _narrow(consultant, ConsultantPublic)


def absence_view(principal: Principal, absence: Absence) -> AbsenceDetail | AbsencePublic:
    """The absence as the caller may see it: the reason for admins and team leaders (who
    only read their own offices' consultants), not for reception."""
    detail = AbsenceDetail.model_validate(absence, from_attributes=True)
    return detail if principal.role is not Role.RECEPTION else _narrow(detail, AbsencePublic)


def _narrow(full: SQLModel, public: type[_Public]) -> _Public:
    return public.model_validate(full.model_dump(include=set(public.model_fields)))


def require_cases_in_scope(session: Session, principal: Principal, case_ids: list[int]) -> None:
    """Every case is one the caller may plan for (else `Forbidden`, naming the case)."""
    if principal.is_admin:
        return
    visible = set(
        session.exec(
            select(Case.id).where(col(Case.id).in_(case_ids), case_in_scope(session, principal))
        ).all()
    )
    outside = [case_id for case_id in case_ids if case_id not in visible]
    if outside:
        raise Forbidden(f"case {outside[0]} belongs to offices outside your scope")
