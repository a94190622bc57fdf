"""Follow-ups of the courses: due and overdue lists, done marks, a coordinator's calendar."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api.deps import PlannerUser, PlanningDateDep, SessionDep
from api.routers.common import Limit, OfficeFilter, Skip
from api.schemas.common import MAX_ID, Page, PlanningDate
from api.schemas.follow_ups import FollowUpDone, FollowUpPublic
from api.services import follow_ups as service
from api.services.follow_ups import FollowUpFilter
from api.services.ics import calendar
from data.ops_models import utcnow

router = APIRouter(prefix="/follow-ups", tags=["follow-ups"])

FollowUpId = Annotated[int, Path(ge=1, le=MAX_ID, description="Follow-up id.", examples=[17])]
CoordinatorId = Annotated[int, Path(ge=1, le=MAX_ID, description="Coordinator id.", examples=[3])]


@router.get(
    "",
    response_model=Page[FollowUpPublic],
    summary="Due and overdue follow-ups (team leaders: their offices' coordinators')",
)
def list_follow_ups(
    session: SessionDep,
    principal: PlannerUser,
    planning_day: PlanningDateDep,
    due_before: Annotated[
        PlanningDate | None, Query(description="Only follow-ups due before this day.")
    ] = None,
    office: OfficeFilter = None,
    coordinator: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Coordinator id.", examples=[3])
    ] = None,
    case_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Case id.")] = None,
    include_done: Annotated[bool, Query(description="Also the follow-ups done.")] = False,
    overdue: Annotated[
        bool, Query(description="Only open ones due before the planning date.")
    ] = False,
    skip: Skip = 0,
    limit: Limit = 50,
) -> Page[FollowUpPublic]:
    wanted = FollowUpFilter(
        due_before=due_before,
        office_id=office,
        coordinator_id=coordinator,
        case_id=case_id,
        open_only=not include_done,
        overdue_only=overdue,
    )
    rows, count = service.list_follow_ups(session, principal, wanted, planning_day, skip, limit)
    return Page(data=rows, count=count)


@router.post(
    "/{follow_up_id}/done",
    response_model=FollowUpPublic,
    summary="Mark a follow-up done (audited)",
)
def mark_done(
    session: SessionDep,
    principal: PlannerUser,
    planning_day: PlanningDateDep,
    follow_up_id: FollowUpId,
    body: FollowUpDone,
) -> FollowUpPublic:
    return service.mark_done(session, principal, follow_up_id, body, planning_day)


@router.get(
    "/coordinators/{coordinator_id}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "An iCalendar feed."},
    },
    summary="A coordinator's open follow-ups as an iCalendar (RFC 5545) feed",
)
def coordinator_calendar(
    session: SessionDep, principal: PlannerUser, coordinator_id: CoordinatorId
) -> Response:
    events = service.calendar_events(session, principal, coordinator_id)
    body = calendar(f"famplan follow-ups, coordinator {coordinator_id}", events, utcnow())
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="follow-ups-{coordinator_id}.ics"'},
    )
