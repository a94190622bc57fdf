"""Døgnindsats rosters: solve (a background job), read, publish, repair, calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlmodel import Session, col, select

from api.auth import Principal
from api.deps import PlannerUser, PlanningDateDep, SessionDep
from api.jobs.params import RosterParams
from api.problems import ApiProblem
from api.routers.common import Limit, Skip
from api.routers.jobs import worker_wake
from api.schemas.common import MAX_ID, Page
from api.schemas.jobs import JobProgress
from api.schemas.rosters import (
    RepairCreate,
    RosterCreate,
    RosterJob,
    RosterPublic,
    ShiftOut,
)
from api.services.ics import CalendarEvent, calendar
from api.services.jobs import resolve_office_scope, submit_job
from api.services.planning_date import DANISH_TIME
from api.services.references import get_or_404
from api.services.roster_calendar import CALENDAR_MEDIA_TYPE, feed_headers, roster_feed
from api.services.roster_params import require_dognindsats_cases, roster_params
from api.services.roster_publishing import publish_roster, unpublish_roster
from api.services.roster_repair import submit_repair
from api.services.rosters import job_ended_without_roster, list_visible_rosters
from api.services.scope import require_cases_in_scope
from data.ops_models import Job, JobKind, Roster, RosterShift, RosterStatus, utcnow

router = APIRouter(prefix="/rosters", tags=["rosters"])
# Written by the feed's own code, so the documented example cannot drift from the output.
ICS_EXAMPLE = calendar(
    "famplan roster 3",
    [
        CalendarEvent(
            uid="roster-3-shift-41@famplan",
            start=dt.datetime(2026, 3, 2, 6, tzinfo=dt.UTC),
            end=dt.datetime(2026, 3, 2, 14, tzinfo=dt.UTC),
            summary="Døgnindsats case 42: shift D",
            description="famplan roster 3 (published)",
        )
    ],
    stamp=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC),
)
RosterId = Annotated[int, Path(ge=1, le=MAX_ID, description="Roster id.", examples=[3])]


def _visible(session: Session, principal: Principal, roster_id: int) -> Roster:
    roster = get_or_404(session, Roster, roster_id, "roster")
    if not (principal.is_admin or principal.may_act_for_offices(set(roster.office_ids))):
        raise ApiProblem(403, "the roster belongs to offices outside your scope")
    return roster


def roster_public(session: Session, roster: Roster, with_shifts: bool = True) -> RosterPublic:
    job = session.get(Job, roster.job_id) if roster.job_id is not None else None
    status = roster.status
    if status is RosterStatus.PENDING and job_ended_without_roster(job):
        status = RosterStatus.FAILED
    shifts = (
        session.exec(
            select(RosterShift)
            .where(RosterShift.roster_id == roster.id)
            .order_by(col(RosterShift.start), col(RosterShift.case_id))
        ).all()
        if with_shifts
        else []
    )
    return RosterPublic.model_validate(
        {
            **roster.model_dump(),
            "case_ids": roster.case_ids,
            "office_ids": roster.office_ids,
            "status": status,
            "job": None
            if job is None
            else RosterJob(
                id=job.id,
                status=job.status,
                progress=JobProgress(
                    incumbent=job.incumbent,
                    bound=job.bound,
                    elapsed_seconds=job.elapsed_seconds,
                    solutions_found=job.solutions_found,
                ),
                error=job.error,
                message=(job.result or {}).get("message"),
            ),
            "shifts": [ShiftOut.model_validate(s) for s in shifts],
        }
    )


@router.post(
    "",
    response_model=RosterPublic,
    status_code=202,
    summary="Plan a døgnindsats roster (solved in the background; poll GET /v1/rosters/{id})",
)
def create_roster(
    session: SessionDep,
    principal: PlannerUser,
    body: RosterCreate,
    request: Request,
    response: Response,
) -> RosterPublic:
    require_dognindsats_cases(session, body.case_ids)
    require_cases_in_scope(session, principal, body.case_ids)
    office_ids = resolve_office_scope(session, principal, body.office_ids)
    settings = request.app.state.settings
    params = RosterParams.model_validate(
        roster_params(
            session,
            body,
            office_ids,
            default_time_limit=settings.roster_time_limit,
            work_per_second=settings.roster_work_per_second,
        )
    ).stored()
    job = submit_job(session, JobKind.ROSTER, params, office_ids, principal.key_id, start=False)
    horizon_start = dt.datetime.combine(body.start_date, dt.time(0), tzinfo=DANISH_TIME)
    roster = Roster(
        job_id=job.id,
        case_ids=body.case_ids,
        office_ids=office_ids,
        horizon_start=horizon_start,
        days=body.days,
        template=body.template,
        params=params,
    )
    session.add(roster)
    session.commit()
    session.refresh(roster)
    wake = worker_wake(request)
    if wake is not None:
        wake()
    response.headers["Location"] = f"/v1/rosters/{roster.id}"
    return roster_public(session, roster)


@router.get("", response_model=Page[RosterPublic], summary="List rosters (without shifts)")
def list_rosters(
    session: SessionDep,
    principal: PlannerUser,
    status: Annotated[RosterStatus | None, Query()] = None,
    case_id: Annotated[int | None, Query(ge=1, le=MAX_ID, examples=[42])] = None,
    skip: Skip = 0,
    limit: Limit = 20,
) -> Page[RosterPublic]:
    rows, count = list_visible_rosters(
        session, principal, status=status, case_id=case_id, skip=skip, limit=limit
    )
    # One query for the page's jobs; roster_public then finds each in the identity map.
    job_ids = [r.job_id for r in rows if r.job_id is not None]
    session.exec(select(Job).where(col(Job.id).in_(job_ids))).all()
    return Page(data=[roster_public(session, r, with_shifts=False) for r in rows], count=count)


@router.get(
    "/{roster_id}.ics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": {"example": ICS_EXAMPLE}},
            "description": "An iCalendar feed.",
        }
    },
    summary="One consultant's shifts of a roster as an iCalendar (RFC 5545) feed",
)
def roster_calendar(
    session: SessionDep,
    principal: PlannerUser,
    roster_id: RosterId,
    consultant: Annotated[int, Query(ge=1, le=MAX_ID, description="Consultant id.", examples=[7])],
) -> Response:
    roster = _visible(session, principal, roster_id)
    body = roster_feed(session, roster, consultant, utcnow())
    return Response(
        body,
        media_type=CALENDAR_MEDIA_TYPE,
        headers=feed_headers(roster_id, consultant),
    )


@router.get(
    "/{roster_id}",
    response_model=RosterPublic,
    summary="A roster: job status, shifts, team, KPIs and the validator's verdict",
)
def get_roster(session: SessionDep, principal: PlannerUser, roster_id: RosterId) -> RosterPublic:
    return roster_public(session, _visible(session, principal, roster_id))


@router.post(
    "/{roster_id}/publish", response_model=RosterPublic, summary="Publish a legal draft roster"
)
def publish(session: SessionDep, principal: PlannerUser, roster_id: RosterId) -> RosterPublic:
    roster = _visible(session, principal, roster_id)
    return roster_public(session, publish_roster(session, roster, principal.key_id))


@router.post(
    "/{roster_id}/unpublish",
    response_model=RosterPublic,
    summary="Withdraw a published roster (back to draft); its team's assignments end",
)
def unpublish(
    session: SessionDep, principal: PlannerUser, roster_id: RosterId, planning_day: PlanningDateDep
) -> RosterPublic:
    roster = _visible(session, principal, roster_id)
    return roster_public(session, unpublish_roster(session, roster, principal.key_id, planning_day))


@router.post(
    "/{roster_id}/repair",
    response_model=RosterPublic,
    status_code=202,
    summary="Repair a published roster after a change, changing as little as possible "
    "(a background job; the repaired roster becomes a draft: poll GET /v1/rosters/{id})",
)
def create_repair(
    session: SessionDep,
    principal: PlannerUser,
    roster_id: RosterId,
    body: RepairCreate,
    request: Request,
    response: Response,
    planning_day: PlanningDateDep,
) -> RosterPublic:
    roster = _visible(session, principal, roster_id)
    child = submit_repair(
        session,
        roster,
        body,
        principal.key_id,
        body.as_of or planning_day,
        wake=worker_wake(request),
    )
    response.headers["Location"] = f"/v1/rosters/{child.id}"
    return roster_public(session, child)
