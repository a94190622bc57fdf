"""Consultants with their languages and absences."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Response
from sqlmodel import Session, col, delete, func, select

from api.auth import Principal
from api.deps import AdminUser, AnyUser, PlannerUser, SessionDep
from api.problems import ApiProblem, invalid_field
from api.routers.common import (
    LanguageFilter,
    Limit,
    OfficeFilter,
    Skip,
    children_by_parent,
    language_condition,
)
from api.schemas.common import MAX_ID, Page
from api.schemas.consultants import (
    AbsenceCreate,
    AbsencePublic,
    ConsultantCreate,
    ConsultantPublic,
    ConsultantUpdate,
    LanguageSkill,
)
from api.services.references import get_or_404, require_municipality, require_office
from data.models import Absence, Consultant, ConsultantLanguage, Municipality

router = APIRouter(prefix="/consultants", tags=["consultants"])

ConsultantId = Annotated[int, Path(ge=1, le=MAX_ID, description="Consultant id.", examples=[7])]


def _languages_of(session: Session, ids: Sequence[int]) -> dict[int, list[LanguageSkill]]:
    return children_by_parent(
        session,
        ConsultantLanguage,
        "consultant_id",
        ids,
        lambda row: LanguageSkill(tag=row.tag, level=row.level),
    )


def to_public(consultant: Consultant, languages: list[LanguageSkill]) -> ConsultantPublic:
    return ConsultantPublic.model_validate(
        {**consultant.model_dump(), "languages": [skill.model_dump() for skill in languages]}
    )


def _replace_languages(
    session: Session, consultant_id: int, languages: list[LanguageSkill]
) -> None:
    session.exec(
        delete(ConsultantLanguage).where(col(ConsultantLanguage.consultant_id) == consultant_id)
    )
    for skill in languages:
        session.add(
            ConsultantLanguage(consultant_id=consultant_id, tag=skill.tag, level=skill.level)
        )


@router.get("", response_model=Page[ConsultantPublic], summary="List consultants")
def list_consultants(
    session: SessionDep,
    _: AnyUser,
    office_id: OfficeFilter = None,
    language: LanguageFilter = None,
    region: Annotated[
        str | None,
        Query(min_length=1, max_length=5, description="Region of the consultant's home."),
    ] = None,
    active_on: Annotated[
        dt.date | None, Query(description="Only consultants employed on this date.")
    ] = None,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[ConsultantPublic]:
    query = select(Consultant)
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
    languages = _languages_of(session, [row.id for row in rows if row.id is not None])
    return Page(data=[to_public(row, languages[row.id or 0]) for row in rows], count=count)


@router.post("", response_model=ConsultantPublic, status_code=201, summary="Create a consultant")
def create_consultant(
    session: SessionDep, _: AdminUser, body: ConsultantCreate
) -> ConsultantPublic:
    require_office(session, body.office_id, "body.office_id")
    require_municipality(session, body.home_municipality_code, "body.home_municipality_code")
    consultant = Consultant.model_validate(body.model_dump(exclude={"languages"}))
    session.add(consultant)
    session.flush()
    assert consultant.id is not None
    _replace_languages(session, consultant.id, body.languages)
    session.commit()
    session.refresh(consultant)
    return to_public(consultant, body.languages)


@router.get("/{consultant_id}", response_model=ConsultantPublic, summary="One consultant")
def get_consultant(
    session: SessionDep, _: AnyUser, consultant_id: ConsultantId
) -> ConsultantPublic:
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    return to_public(consultant, _languages_of(session, [consultant_id])[consultant_id])


_NOT_NULL = (
    "display_name",
    "office_id",
    "home_municipality_code",
    "home_lat",
    "home_lon",
    "gender",
    "qualifications",
    "intervention_types",
    "cultural_countries",
    "competence_tags",
    "contracted_hours_per_week",
    "max_cases",
    "takes_night_shifts",
    "has_driving_licence",
    "active_from",
)


@router.patch("/{consultant_id}", response_model=ConsultantPublic, summary="Change a consultant")
def update_consultant(
    session: SessionDep, _: AdminUser, consultant_id: ConsultantId, body: ConsultantUpdate
) -> ConsultantPublic:
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    changes = body.model_dump(exclude_unset=True, exclude={"languages"})
    for required in _NOT_NULL:
        if required in changes and changes[required] is None:
            raise invalid_field(f"body.{required}", "may not be null")
    if "office_id" in changes:
        require_office(session, changes["office_id"], "body.office_id")
    if "home_municipality_code" in changes:
        require_municipality(
            session, changes["home_municipality_code"], "body.home_municipality_code"
        )
    active_from = changes.get("active_from", consultant.active_from)
    active_to = changes.get("active_to", consultant.active_to)
    if active_to is not None and active_to < active_from:
        raise invalid_field("body.active_to", "ends before active_from")
    consultant.sqlmodel_update(changes)
    session.add(consultant)
    if body.languages is not None:
        _replace_languages(session, consultant_id, body.languages)
    session.commit()
    session.refresh(consultant)
    return to_public(consultant, _languages_of(session, [consultant_id])[consultant_id])


@router.get(
    "/{consultant_id}/languages",
    response_model=Page[LanguageSkill],
    summary="The languages a consultant speaks",
)
def list_languages(
    session: SessionDep, _: AnyUser, consultant_id: ConsultantId
) -> Page[LanguageSkill]:
    get_or_404(session, Consultant, consultant_id, "consultant")
    skills = _languages_of(session, [consultant_id])[consultant_id]
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
    get_or_404(session, Consultant, consultant_id, "consultant")
    tags = [skill.tag for skill in body]
    if len(tags) != len(set(tags)):
        raise invalid_field("body", "a tag is listed twice")
    _replace_languages(session, consultant_id, body)
    session.commit()
    return Page(data=body, count=len(body))


def _check_absence_scope(principal: Principal, consultant: Consultant) -> None:
    if not principal.may_act_for_offices({consultant.office_id}):
        raise ApiProblem(403, "the consultant belongs to an office outside your scope")


@router.get(
    "/{consultant_id}/absences",
    response_model=Page[AbsencePublic],
    summary="A consultant's absences",
)
def list_absences(
    session: SessionDep,
    _: AnyUser,
    consultant_id: ConsultantId,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[AbsencePublic]:
    get_or_404(session, Consultant, consultant_id, "consultant")
    query = select(Absence).where(Absence.consultant_id == consultant_id)
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Absence.start)).offset(skip).limit(limit)).all()
    return Page(data=[AbsencePublic.model_validate(r) for r in rows], count=count)


@router.post(
    "/{consultant_id}/absences",
    response_model=AbsencePublic,
    status_code=201,
    summary="Register an absence (team leaders: their offices only)",
)
def create_absence(
    session: SessionDep, principal: PlannerUser, consultant_id: ConsultantId, body: AbsenceCreate
) -> AbsencePublic:
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    _check_absence_scope(principal, consultant)
    absence = Absence(consultant_id=consultant_id, **body.model_dump())
    session.add(absence)
    session.commit()
    session.refresh(absence)
    return AbsencePublic.model_validate(absence)


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
    consultant = get_or_404(session, Consultant, consultant_id, "consultant")
    _check_absence_scope(principal, consultant)
    absence = session.get(Absence, absence_id)
    if absence is None or absence.consultant_id != consultant_id:
        raise ApiProblem(404, f"absence {absence_id} of consultant {consultant_id} does not exist")
    session.delete(absence)
    session.commit()
    return Response(status_code=204)
