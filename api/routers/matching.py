"""Reception: match a case, then confirm a candidate (or apply a reshuffle)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from api.deps import AnyUser, EngineDep, PlanningDateDep, ReceptionUser, SessionDep
from api.schemas.common import MAX_ID, Page
from api.schemas.matching import AssignmentConfirm, MatchRequest, MatchResult
from api.schemas.staff import AssignmentPublic
from api.services.matching import (
    MatchQuery,
    SnapshotCache,
    confirm_candidates,
    find_candidates,
)
from api.services.scope import require_case_in_scope
from data.models import Assignment

router = APIRouter(prefix="/cases", tags=["matching"])
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Case id.", examples=[42])]


def _cache(request: Request) -> SnapshotCache:
    cache: SnapshotCache = request.app.state.snapshot_cache
    return cache


@router.post(
    "/{case_id}/match",
    response_model=MatchResult,
    summary="Ranked candidates with reasons, exclusions and (if nobody fits) a reshuffle",
)
async def match(
    engine: EngineDep,
    _: ReceptionUser,
    case_id: CaseId,
    request: Request,
    planning_day: PlanningDateDep,
    body: MatchRequest | None = None,
) -> MatchResult | Response:
    body = body or MatchRequest()
    as_of = body.as_of or planning_day
    cache = _cache(request)
    # The same question on a fresh snapshot: answered on the event loop with the JSON
    # made the first time (no query, no thread, no re-validation of the answer).
    team = (body.template, body.consultants_per_shift)
    cached = cache.cached_payload(as_of, case_id, body.top, body.propose_reshuffle, team)
    if cached is not None:
        return Response(cached, media_type="application/json")
    query = MatchQuery(
        as_of=as_of, top=body.top, propose_reshuffle=body.propose_reshuffle, team=team
    )
    return await run_in_threadpool(_match, engine, cache, case_id, query)


def _match(engine: Engine, cache: SnapshotCache, case_id: int, query: MatchQuery) -> MatchResult:
    with Session(engine) as session:
        return find_candidates(session, cache, case_id, query)


@router.post(
    "/{case_id}/assignments",
    response_model=list[AssignmentPublic],
    status_code=201,
    summary="Confirm a candidate (optionally after reshuffle moves); 409 if taken meanwhile",
)
def confirm_assignment(
    session: SessionDep,
    principal: ReceptionUser,
    case_id: CaseId,
    body: AssignmentConfirm,
    request: Request,
    planning_day: PlanningDateDep,
) -> list[AssignmentPublic]:
    cache = _cache(request)
    result = confirm_candidates(session, cache, case_id, body, principal.key_id, planning_day)
    return [AssignmentPublic.model_validate(row) for row in result.created]


@router.get(
    "/{case_id}/assignments",
    response_model=Page[AssignmentPublic],
    summary="The assignments of a case",
)
def list_case_assignments(
    session: SessionDep, principal: AnyUser, case_id: CaseId
) -> Page[AssignmentPublic]:
    require_case_in_scope(session, principal, case_id)
    rows = session.exec(
        select(Assignment).where(Assignment.case_id == case_id).order_by(col(Assignment.id))
    ).all()
    return Page(data=[AssignmentPublic.model_validate(r) for r in rows], count=len(rows))
