"""A sick call on a published roster (team leader): the repair form submits the same
repair job as ``POST /v1/rosters/{id}/repair``; the page of the repaired roster polls its
progress and then shows its grid with the changed shifts marked. Also each consultant's
calendar (iCal) link, the feed of ``GET /v1/rosters/{id}.ics``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.schemas.common import MAX_ID
from api.services.errors import Conflict, Forbidden, Invalid, NotFound
from api.services.planning_date import PlanningDateCache
from api.services.roster_calendar import CALENDAR_MEDIA_TYPE, feed_headers, roster_feed
from api.services.roster_repair import submit_repair
from api.services.web_views import visible_roster
from api.web.repair_form import RepairForm
from api.web.rosters import PLANNER_ROLES, roster_page_response
from api.web.security import CsrfChecked, LoggedIn, WebUser, page_session, require_role
from api.web.templating import error_page, gettext_for, reason_text
from data.ops_models import utcnow

router = APIRouter()
RosterId = Annotated[int, Path(ge=1, le=MAX_ID)]
ConsultantId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/rosters/{roster_id}/repair")
async def repair(request: Request, user: CsrfChecked, roster_id: RosterId) -> Response:
    require_role(user, *PLANNER_ROLES)
    form = RepairForm.typed(await request.form())
    return await run_in_threadpool(_repair_sync, request, user, roster_id, form)


def _repair_sync(request: Request, user: WebUser, roster_id: int, form: RepairForm) -> Response:
    _ = gettext_for(request).gettext
    change = form.change()
    if change is None:
        return roster_page_response(request, user, roster_id, 422, repair=form)
    dates: PlanningDateCache = request.app.state.planning_dates
    worker = getattr(request.app.state, "worker", None)
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            roster = visible_roster(session, user.principal, roster_id)
            child = submit_repair(
                session,
                roster,
                change,
                None,
                dates.get(session),
                wake=None if worker is None else worker.wake,
            )
        except NotFound as error:
            return error_page(request, 404, error.detail)
        except Forbidden as error:
            return error_page(request, 403, error.detail)
        except Invalid as error:
            session.rollback()
            form.refused(error)
            return roster_page_response(request, user, roster_id, 422, repair=form)
        except Conflict as error:
            session.rollback()
            message = _("The roster cannot be repaired: %(reason)s") % {
                "reason": reason_text(request, error.detail)
            }
            return roster_page_response(request, user, roster_id, 409, message, repair=form)
    return RedirectResponse(f"/rosters/{child.id}", status_code=303)


@router.get("/rosters/{roster_id}/calendar/{consultant_id}.ics")
def calendar_feed(
    request: Request, user: LoggedIn, roster_id: RosterId, consultant_id: ConsultantId
) -> Response:
    """One consultant's shifts as an iCalendar feed (the team leader's session; the
    same feed as the API's)."""
    require_role(user, *PLANNER_ROLES)
    with page_session(request.app.state.engine) as session:
        try:
            roster = visible_roster(session, user.principal, roster_id)
            body = roster_feed(session, roster, consultant_id, utcnow())
        except NotFound as error:
            return error_page(request, 404, error.detail)
        except Forbidden as error:
            return error_page(request, 403, error.detail)
    return Response(
        body, media_type=CALENDAR_MEDIA_TYPE, headers=feed_headers(roster_id, consultant_id)
    )
