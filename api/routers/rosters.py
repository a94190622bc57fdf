"""Døgnindsats rosters: solve (a background job), read, publish, repair, calendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from sqlmodel import Session, col, select

from api.auth import Principal
from api.deps import PlannerUser, SessionDep
from api.problems import ApiProblem, invalid_field
from api.routers.common import Limit, Skip
from api.schemas.common import MAX_ID, Page
from api.schemas.jobs import JobProgress
from api.schemas.rosters import (
    DiffEntryOut,
    RepairCreate,
    RepairResult,
    RosterCreate,
    RosterJob,
    RosterPublic,
    ShiftOut,
)
from api.services.ics import CalendarEvent, calendar
from api.services.jobs import resolve_office_scope, submit_job
from api.services.references import get_or_404
from api.services.rosters import DANISH_TIME, publish_roster, repair_roster
from data.models import Case, InterventionType
from data.ops_models import Job, JobKind, JobStatus, Roster, RosterShift, RosterStatus, utcnow

router = APIRouter(prefix="/rosters", tags=["rosters"])
ICS_EXAMPLE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//famplan//døgnindsats roster//EN\r\n"
    "BEGIN:VEVENT\r\nUID:roster-3-shift-41@famplan\r\nDTSTAMP:20260301T120000Z\r\n"
    "DTSTART:20260302T060000Z\r\nDTEND:20260302T140000Z\r\n"
    "SUMMARY:Døgnindsats case 42: shift D\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
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
    if status is RosterStatus.PENDING and job is not None and job.status is JobStatus.FAILED:
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
    for index, case_id in enumerate(body.case_ids):
        case = session.get(Case, case_id)
        if case is None:
            raise invalid_field(f"body.case_ids.{index}", f"unknown case id {case_id}")
        if case.intervention_type is not InterventionType.DOGNINDSATS:
            raise invalid_field(f"body.case_ids.{index}", f"case {case_id} is not a døgnindsats")
    office_ids = resolve_office_scope(session, principal, body.office_ids)
    settings = request.app.state.settings
    params = {
        **body.model_dump(mode="json", exclude={"office_ids", "time_limit_seconds"}),
        "office_ids": office_ids,
        "time_limit_seconds": body.time_limit_seconds or settings.roster_time_limit,
        "work_per_second": settings.roster_work_per_second,
    }
    job = submit_job(session, request, JobKind.ROSTER, params, office_ids, principal, start=False)
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
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        worker.wake()
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
    query = select(Roster).order_by(col(Roster.id).desc())
    if status is not None:
        query = query.where(Roster.status == status)
    rows = [
        r
        for r in session.exec(query).all()
        if (principal.is_admin or principal.may_act_for_offices(set(r.office_ids)))
        and (case_id is None or case_id in r.case_ids)
    ]
    page = rows[skip : skip + limit]
    return Page(data=[roster_public(session, r, with_shifts=False) for r in page], count=len(rows))


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
    rows = session.exec(
        select(RosterShift)
        .where(RosterShift.roster_id == roster_id, RosterShift.consultant_id == consultant)
        .order_by(col(RosterShift.start))
    ).all()
    if not rows and consultant not in roster.team:
        raise ApiProblem(404, f"consultant {consultant} has no shifts in roster {roster_id}")
    events = [
        CalendarEvent(
            uid=f"roster-{roster_id}-shift-{row.id}@famplan",
            start=row.start,
            end=row.end,
            summary=f"Døgnindsats case {row.case_id}: shift {row.shift_code}",
            description=f"famplan roster {roster_id} ({roster.status.value})",
        )
        for row in rows
    ]
    body = calendar(f"famplan roster {roster_id}", events, utcnow())
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="roster-{roster_id}-{consultant}.ics"'},
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
    "/{roster_id}/repairs",
    response_model=RepairResult,
    status_code=201,
    summary="Repair a published roster after a change, changing as little as possible",
)
def create_repair(
    session: SessionDep, principal: PlannerUser, roster_id: RosterId, body: RepairCreate
) -> RepairResult:
    roster = _visible(session, principal, roster_id)
    child, outcome = repair_roster(
        session, roster, body.model_dump(mode="json"), body.time_limit_seconds, principal.key_id
    )
    start = dt.date.fromisoformat(roster.params["start_date"])
    return RepairResult(
        roster=roster_public(session, child),
        diff=[
            DiffEntryOut(
                case_id=int(d.case),
                day=d.day,
                date=start + dt.timedelta(days=d.day),
                shift_code=d.shift,
                removed=[int(e) for e in d.removed],
                added=[int(e) for e in d.added],
            )
            for d in outcome.diff
        ],
        changed_assignments=outcome.changed_assignments,
        changed_days=[start + dt.timedelta(days=d) for d in outcome.changed_days],
    )
