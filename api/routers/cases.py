"""Cases and the languages their person groups need."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query
from sqlmodel import Session, col, delete, func, select, update

from api.deps import AnyUser, ReceptionUser, SessionDep
from api.problems import conflict, invalid_field
from api.routers.common import (
    LanguageFilter,
    Limit,
    RegionFilter,
    Skip,
    children_by_parent,
    language_condition,
)
from api.schemas.cases import CaseCreate, CaseLanguageIn, CasePublic, CaseUpdate
from api.schemas.common import MAX_ID, Page
from api.services.references import (
    get_or_404,
    require_consultants,
    require_municipality,
)
from data.models import Case, CaseLanguage, CaseStatus, InterventionType, Municipality

router = APIRouter(prefix="/cases", tags=["cases"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Case id.", examples=[42])]


def languages_of(session: Session, ids: Sequence[int]) -> dict[int, list[CaseLanguageIn]]:
    return children_by_parent(
        session,
        CaseLanguage,
        "case_id",
        ids,
        lambda row: CaseLanguageIn(person_group=row.person_group, tag=row.tag),
    )


def to_public(case: Case, languages: list[CaseLanguageIn]) -> CasePublic:
    return CasePublic.model_validate(
        {**case.model_dump(), "languages": [language.model_dump() for language in languages]}
    )


def _replace_languages(session: Session, case_id: int, languages: list[CaseLanguageIn]) -> None:
    session.exec(delete(CaseLanguage).where(col(CaseLanguage.case_id) == case_id))
    for language in languages:
        session.add(
            CaseLanguage(case_id=case_id, person_group=language.person_group, tag=language.tag)
        )


def _check_consultant_refs(session: Session, values: dict[str, Any]) -> None:
    preferred = values.get("preferred_consultant_id")
    if preferred is not None:
        require_consultants(session, [preferred], "body.preferred_consultant_id")
    if values.get("excluded_consultant_ids"):
        require_consultants(
            session, values["excluded_consultant_ids"], "body.excluded_consultant_ids"
        )


@router.get("", response_model=Page[CasePublic], summary="List cases")
def list_cases(
    session: SessionDep,
    _: AnyUser,
    status: Annotated[CaseStatus | None, Query()] = None,
    region: RegionFilter = None,
    municipality_code: Annotated[int | None, Query(ge=1, le=MAX_ID, examples=[370])] = None,
    language: LanguageFilter = None,
    intervention_type: Annotated[InterventionType | None, Query()] = None,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[CasePublic]:
    query = select(Case)
    if status is not None:
        query = query.where(Case.status == status)
    if municipality_code is not None:
        query = query.where(Case.municipality_code == municipality_code)
    if region is not None:
        in_region = select(Municipality.code).where(Municipality.region_code == region)
        query = query.where(col(Case.municipality_code).in_(in_region))
    if intervention_type is not None:
        query = query.where(Case.intervention_type == intervention_type)
    if language is not None:
        speaking = select(CaseLanguage.case_id).where(
            language_condition(CaseLanguage.tag, language)
        )
        query = query.where(col(Case.id).in_(speaking))
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Case.id)).offset(skip).limit(limit)).all()
    languages = languages_of(session, [row.id for row in rows if row.id is not None])
    return Page(data=[to_public(row, languages[row.id or 0]) for row in rows], count=count)


@router.post("", response_model=CasePublic, status_code=201, summary="Register a new case")
def create_case(session: SessionDep, _: ReceptionUser, body: CaseCreate) -> CasePublic:
    municipality = require_municipality(session, body.municipality_code, "body.municipality_code")
    values = body.model_dump(exclude={"languages"})
    _check_consultant_refs(session, values)
    if values["lat"] is None:
        values["lat"], values["lon"] = municipality.lat, municipality.lon
    case = Case.model_validate(values)
    session.add(case)
    session.flush()
    assert case.id is not None
    _replace_languages(session, case.id, body.languages)
    session.commit()
    session.refresh(case)
    return to_public(case, body.languages)


@router.get("/{case_id}", response_model=CasePublic, summary="One case")
def get_case(session: SessionDep, _: AnyUser, case_id: CaseId) -> CasePublic:
    case = get_or_404(session, Case, case_id, "case")
    return to_public(case, languages_of(session, [case_id])[case_id])


_NOT_NULL = (
    "municipality_code",
    "lat",
    "lon",
    "intervention_type",
    "needs_support_person",
    "support_hours_per_week",
    "cultural_countries",
    "hours_per_week",
    "visits_per_week",
    "requested_start",
    "priority",
    "excluded_consultant_ids",
    "required_qualifications",
    "status",
)


@router.patch("/{case_id}", response_model=CasePublic, summary="Change a case")
def update_case(
    session: SessionDep, _: ReceptionUser, case_id: CaseId, body: CaseUpdate
) -> CasePublic:
    case = get_or_404(session, Case, case_id, "case")
    changes = body.model_dump(exclude_unset=True, exclude={"languages", "version"})
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise invalid_field(f"body.{name}", "may not be null")
    if "municipality_code" in changes:
        require_municipality(session, changes["municipality_code"], "body.municipality_code")
    _check_consultant_refs(session, changes)
    requested_start = changes.get("requested_start", case.requested_start)
    expected_end = changes.get("expected_end", case.expected_end)
    if expected_end is not None and expected_end < requested_start.date():
        raise invalid_field("body.expected_end", "ends before requested_start")
    gender = changes.get("gender", case.gender)
    if changes.get("gender_rule", case.gender_rule) is not None and gender is None:
        raise invalid_field("body.gender", "required when gender_rule is set")
    expected_version = body.version if body.version is not None else case.version
    updated = session.exec(
        update(Case)
        .where(col(Case.id) == case_id, col(Case.version) == expected_version)
        .values(**changes, version=col(Case.version) + 1)
    )
    if updated.rowcount != 1:
        session.rollback()
        raise conflict(
            f"case {case_id} changed since you read it (you sent version {expected_version})"
        )
    if body.languages is not None:
        _replace_languages(session, case_id, body.languages)
    session.commit()
    session.refresh(case)
    return to_public(case, languages_of(session, [case_id])[case_id])


@router.get(
    "/{case_id}/languages", response_model=Page[CaseLanguageIn], summary="A case's languages"
)
def list_case_languages(session: SessionDep, _: AnyUser, case_id: CaseId) -> Page[CaseLanguageIn]:
    get_or_404(session, Case, case_id, "case")
    languages = languages_of(session, [case_id])[case_id]
    return Page(data=languages, count=len(languages))


@router.put(
    "/{case_id}/languages",
    response_model=Page[CaseLanguageIn],
    summary="Replace a case's languages",
)
def replace_case_languages(
    session: SessionDep,
    _: ReceptionUser,
    case_id: CaseId,
    body: Annotated[
        list[CaseLanguageIn],
        Body(max_length=10, examples=[[{"person_group": "parents", "tag": "ar-IQ"}]]),
    ],
) -> Page[CaseLanguageIn]:
    get_or_404(session, Case, case_id, "case")
    keys = [(language.person_group, language.tag) for language in body]
    if len(keys) != len(set(keys)):
        raise invalid_field("body", "a (person_group, tag) pair is listed twice")
    _replace_languages(session, case_id, body)
    session.commit()
    return Page(data=body, count=len(body))
