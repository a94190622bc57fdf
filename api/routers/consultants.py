"""Consultants with their languages and absences."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from sqlmodel import col, func, select

from api.deps import AdminUser, AnyUser, PlannerUser, SessionDep
from api.routers.common import (
    LanguageFilter,
    Limit,
    NoNul,
    OfficeFilter,
    Skip,
    language_condition,
)
from api.schemas.common import MAX_ID, Page, PlanningDate
from api.schemas.consultants import (
    AbsenceCreate,
    AbsenceView,
    ConsultantCreate,
    ConsultantUpdate,
    ConsultantView,
    LanguageSkill,
)
from api.services import consultants as service
from api.services.consultants import languages_of, to_public
from api.services.scope import (
    absence_view,
    consultant_in_scope,
    consultant_view,
    require_consultant_in_scope,
)
from data.models import Absence, Consultant, ConsultantLanguage, Municipality

router = APIRouter(prefix="/consultants", tags=["consultants"])

ConsultantId = Annotated[int, Path(ge=1, le=MAX_ID, description="Consultant id.", examples=[7])]


@router.get(
    "",
    response_model=Page[ConsultantView],
    summary="List consultants (team leaders: their offices'; homes for admins only)",
)
def list_consultants(
    session: SessionDep,
    principal: AnyUser,
    office_id: OfficeFilter = None,
    language: LanguageFilter = None,
    region: Annotated[
        str | None,
        Query(min_length=1, max_length=5, description="Region of the consultant's home."),
        NoNul,
    ] = None,
    active_on: Annotated[
        PlanningDate | None, Query(description="Only consultants employed on this date.")
    ] = None,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[ConsultantView]:
    query = select(Consultant).where(consultant_in_scope(principal))
    if office_id is not None:
        query = query.where(Consultant.office_id == office_id)
    if language is not None:
        speakers = select(ConsultantLanguage.consultant_id).where(
            language_condition(ConsultantLanguage.tag, language)
        )
        query = query.where(col(Consultant.id).in_(speakers))
    if region is not None:
        in_region = select(Municipality.code).where(Municipality.region_code == region)
        query = query.where(col(Consultant.home_municipality_code).in_(in_region))
    if active_on is not None:
        query = query.where(Consultant.active_from <= active_on).where(
            (col(Consultant.active_to).is_(None)) | (col(Consultant.active_to) >= active_on)
        )
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Consultant.id)).offset(skip).limit(limit)).all()
    languages = languages_of(session, [row.id for row in rows if row.id is not None])
    return Page(
        data=[consultant_view(principal, to_public(row, languages[row.id or 0])) for row in rows],
        count=count,
    )


@router.post("", response_model=ConsultantView, status_code=201, summary="Create a consultant")
def create_consultant(session: SessionDep, _: AdminUser, body: ConsultantCreate) -> ConsultantView:
    return service.register_consultant(session, body)


@router.get("/{consultant_id}", response_model=ConsultantView, summary="One consultant")
def get_consultant(
    session: SessionDep, principal: AnyUser, consultant_id: ConsultantId
) -> ConsultantView:
    consultant = require_consultant_in_scope(session, principal, consultant_id)
    full = to_public(consultant, languages_of(session, [consultant_id])[consultant_id])
    return consultant_view(principal, full)


@router.patch("/{consultant_id}", response_model=ConsultantView, summary="Change a consultant")
def update_consultant(
    session: SessionDep, _: AdminUser, consultant_id: ConsultantId, body: ConsultantUpdate
) -> ConsultantView:
    return service.update_consultant(session, consultant_id, body)


@router.get(
    "/{consultant_id}/languages",
    response_model=Page[LanguageSkill],
    summary="The languages a consultant speaks",
)
def list_languages(
    session: SessionDep, principal: AnyUser, consultant_id: ConsultantId
) -> Page[LanguageSkill]:
    require_consultant_in_scope(session, principal, consultant_id)
    skills = languages_of(session, [consultant_id])[consultant_id]
    return Page(data=skills, count=len(skills))


@router.put(
    "/{consultant_id}/languages",
    response_model=Page[LanguageSkill],
    summary="Replace the languages a consultant speaks",
)
def replace_languages(
    session: SessionDep,
    _: AdminUser,
    consultant_id: ConsultantId,
    body: Annotated[
        list[LanguageSkill],
        Body(max_length=20, examples=[[{"tag": "ar-IQ", "level": "native"}]]),
    ],
) -> Page[LanguageSkill]:
    skills = service.replace_languages(session, consultant_id, body)
    return Page(data=skills, count=len(skills))


@router.get(
    "/{consultant_id}/absences",
    response_model=Page[AbsenceView],
    summary="A consultant's absences (the reason: admins and team leaders only)",
)
def list_absences(
    session: SessionDep,
    principal: AnyUser,
    consultant_id: ConsultantId,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[AbsenceView]:
    require_consultant_in_scope(session, principal, consultant_id)
    query = select(Absence).where(Absence.consultant_id == consultant_id)
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Absence.start)).offset(skip).limit(limit)).all()
    return Page(data=[absence_view(principal, r) for r in rows], count=count)


@router.post(
    "/{consultant_id}/absences",
    response_model=AbsenceView,
    status_code=201,
    summary="Register an absence (team leaders: their offices only)",
)
def create_absence(
    session: SessionDep, principal: PlannerUser, consultant_id: ConsultantId, body: AbsenceCreate
) -> AbsenceView:
    absence = service.register_absence(session, principal, consultant_id, body)
    return absence_view(principal, absence)


@router.delete(
    "/{consultant_id}/absences/{absence_id}",
    status_code=204,
    summary="Delete an absence (team leaders: their offices only)",
)
def delete_absence(
    session: SessionDep,
    principal: PlannerUser,
    consultant_id: ConsultantId,
    absence_id: Annotated[int, Path(ge=1, le=MAX_ID, examples=[3])],
) -> Response:
    service.delete_absence(session, principal, consultant_id, absence_id)
    return Response(status_code=204)
