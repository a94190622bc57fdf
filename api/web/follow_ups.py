"""Follow-ups (issue 20) on a page: the open follow-ups in the caller's scope that are
overdue or due within `LOOK_AHEAD_DAYS` of the planning date, each with a "done" button.
Admins and team leaders (their offices' coordinators'), as ``GET /v1/follow-ups`` and
``POST /v1/follow-ups/{id}/done``, whose services these pages call."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.schemas.common import MAX_ID
from api.schemas.follow_ups import FollowUpDone
from api.services import follow_ups as service
from api.services.errors import Conflict, Forbidden, NotFound
from api.services.follow_ups import FollowUpFilter
from api.services.planning_date import PlanningDateCache
from api.services.web_views import case_references, coordinator_names
from api.web.security import CsrfChecked, LoggedIn, WebUser, page_session, require_role
from api.web.templating import error_page, gettext_for, reason_text, render_page
from data.ops_models import Role

router = APIRouter()
FollowUpId = Annotated[int, Path(ge=1, le=MAX_ID)]
FOLLOW_UP_ROLES = (Role.ADMIN, Role.TEAM_LEADER)
#: What "due" means on the page: open and due within two weeks of the planning date
#: (a fortnight lets a coordinator book the next meetings in time).
LOOK_AHEAD_DAYS = 14
#: Rows on the page; the rest are counted ("… of N"), the API pages through all.
PAGE_ROWS = 200


def _list_page(
    request: Request, user: WebUser, status_code: int = 200, message: str | None = None
) -> Response:
    dates: PlanningDateCache = request.app.state.planning_dates
    with page_session(request.app.state.engine) as session:
        today = dates.get(session)
        wanted = FollowUpFilter(due_before=today + dt.timedelta(days=LOOK_AHEAD_DAYS + 1))
        rows, count = service.list_follow_ups(session, user.principal, wanted, today, 0, PAGE_ROWS)
        references = case_references(session, sorted({row.case_id for row in rows}))
        coordinators = coordinator_names(
            session, sorted({row.coordinator_id for row in rows if row.coordinator_id})
        )
    done = request.query_params.get("done")
    return render_page(
        request,
        "web/follow_ups.html",
        status_code=status_code,
        user=user,
        today=today,
        last_day=today + dt.timedelta(days=LOOK_AHEAD_DAYS),
        rows=rows,
        count=count,
        references=references,
        coordinators=coordinators,
        message=message,
        done=int(done) if done and done.isdigit() else None,
    )


@router.get("/follow-ups")
def follow_ups_page(request: Request, user: LoggedIn) -> Response:
    require_role(user, *FOLLOW_UP_ROLES)
    return _list_page(request, user)


@router.post("/follow-ups/{follow_up_id}/done")
async def follow_up_done(request: Request, user: CsrfChecked, follow_up_id: FollowUpId) -> Response:
    require_role(user, *FOLLOW_UP_ROLES)
    form = await request.form()
    version = str(form.get("version") or "")
    return await run_in_threadpool(
        _done_sync, request, user, follow_up_id, int(version) if version.isdigit() else None
    )


def _done_sync(request: Request, user: WebUser, follow_up_id: int, version: int | None) -> Response:
    _ = gettext_for(request).gettext
    dates: PlanningDateCache = request.app.state.planning_dates
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            service.mark_done(
                session,
                user.principal,
                follow_up_id,
                FollowUpDone(version=version),
                dates.get(session),
            )
        except NotFound as error:
            return error_page(request, 404, error.detail)
        except Forbidden as error:
            return error_page(request, 403, error.detail)
        except Conflict as error:
            message = _("The follow-up was not marked done: %(reason)s") % {
                "reason": reason_text(request, error.detail)
            }
            return _list_page(request, user, 409, message)
    return RedirectResponse(f"/follow-ups?done={follow_up_id}", status_code=303)
