"""Cases and the languages their person groups need."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path, Query, Request, Response
from sqlmodel import col, func, select

from api.deps import AnyUser, PlanningDateDep, ReceptionUser, SessionDep
from api.routers.common import (
    LanguageFilter,
    Limit,
    RegionFilter,
    Skip,
    language_condition,
)
from api.routers.jobs import worker_wake
from api.schemas.cases import CaseCreate, CaseLanguageIn, CaseUpdate, CaseView
from api.schemas.common import MAX_ID, Page
from api.schemas.follow_ups import CaseExtension, CaseExtensionResult, CourseDecision
from api.schemas.rosters import CaseEnd, CaseEndResult
from api.services import cases as service
from api.services import course as course_service
from api.services import roster_case_end as case_end_service
from api.services.cases import languages_of, to_public
from api.services.scope import case_in_scope, case_view, require_case_in_scope
from data.models import Case, CaseLanguage, CaseStatus, InterventionType, Municipality

router = APIRouter(prefix="/cases", tags=["cases"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Case id.", examples=[42])]


@router.get(
    "",
    response_model=Page[CaseView],
    summary="List cases (team leaders: their offices'; coordinates for admins only)",
)
def list_cases(
    session: SessionDep,
    principal: AnyUser,
    status: Annotated[CaseStatus | None, Query()] = None,
    region: RegionFilter = None,
    municipality_code: Annotated[int | None, Query(ge=1, le=MAX_ID, examples=[370])] = None,
    language: LanguageFilter = None,
    intervention_type: Annotated[InterventionType | None, Query()] = None,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[CaseView]:
    query = select(Case).where(case_in_scope(session, principal))
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
    return Page(
        data=[case_view(principal, to_public(row, languages[row.id or 0])) for row in rows],
        count=count,
    )


@router.get(
    "/due-for-decision",
    response_model=Page[CourseDecision],
    summary="Running cases at or near their course's aim (9 months): end, extend or convert",
)
def list_due_for_decision(
    session: SessionDep,
    principal: AnyUser,
    planning_day: PlanningDateDep,
    within_days: Annotated[
        int | None,
        Query(ge=0, le=366, description="Days ahead (default: the configured window)."),
    ] = None,
) -> Page[CourseDecision]:
    rows = course_service.due_for_decision(session, principal, planning_day, within_days)
    return Page(data=rows, count=len(rows))


@router.post("", response_model=CaseView, status_code=201, summary="Register a new case")
def create_case(session: SessionDep, principal: ReceptionUser, body: CaseCreate) -> CaseView:
    return case_view(principal, service.register_case(session, body))


@router.get("/{case_id}", response_model=CaseView, summary="One case")
def get_case(session: SessionDep, principal: AnyUser, case_id: CaseId) -> CaseView:
    case = require_case_in_scope(session, principal, case_id)
    return case_view(principal, to_public(case, languages_of(session, [case_id])[case_id]))


@router.patch(
    "/{case_id}",
    response_model=CaseView,
    summary="Change a case (ending it ends its assignments)",
)
def update_case(
    session: SessionDep,
    principal: ReceptionUser,
    case_id: CaseId,
    body: CaseUpdate,
    planning_day: PlanningDateDep,
) -> CaseView:
    return case_view(
        principal, service.update_case(session, case_id, body, principal.key_id, planning_day)
    )


@router.post(
    "/{case_id}/end",
    response_model=CaseEndResult,
    summary="End a døgnindsats: cut its rosters (repair jobs: 202, poll the jobs) and end "
    "its team's assignments (at once when it has no roster to cut: 200)",
    responses={202: {"model": CaseEndResult, "description": "the cuts are queued as jobs"}},
)
def end_case(
    session: SessionDep,
    principal: ReceptionUser,
    case_id: CaseId,
    body: CaseEnd,
    planning_day: PlanningDateDep,
    request: Request,
    response: Response,
) -> CaseEndResult:
    result = case_end_service.end_case(
        session, case_id, body, principal.key_id, planning_day, wake=worker_wake(request)
    )
    if result.pending:
        response.status_code = 202
        response.headers["Location"] = f"/v1/jobs/{result.job_ids[0]}"
    return result


@router.post(
    "/{case_id}/extend",
    response_model=CaseExtensionResult,
    summary="Extend a running course (new end, hours, or type); audited, re-plans follow-ups",
)
def extend_case(
    session: SessionDep,
    principal: ReceptionUser,
    case_id: CaseId,
    body: CaseExtension,
    planning_day: PlanningDateDep,
) -> CaseExtensionResult:
    return course_service.extend_case(session, case_id, body, principal.key_id, planning_day)


@router.get(
    "/{case_id}/languages", response_model=Page[CaseLanguageIn], summary="A case's languages"
)
def list_case_languages(
    session: SessionDep, principal: AnyUser, case_id: CaseId
) -> Page[CaseLanguageIn]:
    require_case_in_scope(session, principal, case_id)
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
    languages = service.replace_languages(session, case_id, body)
    return Page(data=languages, count=len(languages))
