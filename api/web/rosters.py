"""A team leader's rosters: the list of their offices' rosters and one roster's grid."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.schemas.common import MAX_ID
from api.services.errors import Forbidden, NotFound
from api.services.web_views import roster_grid, visible_rosters
from api.web.security import LoggedIn, page_session, require_role
from api.web.templating import render_page
from data.ops_models import Role

router = APIRouter()
RosterId = Annotated[int, Path(ge=1, le=MAX_ID)]
PLANNER_ROLES = (Role.TEAM_LEADER, Role.ADMIN)


@router.get("/rosters")
def rosters_page(request: Request, user: LoggedIn) -> Response:
    require_role(user, *PLANNER_ROLES)
    with page_session(request.app.state.engine) as session:
        rows = visible_rosters(session, user.principal)
    return render_page(request, "web/rosters.html", user=user, rows=rows)


@router.get("/rosters/{roster_id}")
def roster_page(request: Request, user: LoggedIn, roster_id: RosterId) -> Response:
    from api.web import error_page

    require_role(user, *PLANNER_ROLES)
    with page_session(request.app.state.engine) as session:
        try:
            grid = roster_grid(session, user.principal, roster_id)
        except NotFound as error:
            return error_page(request, 404, error.detail)
        except Forbidden as error:
            return error_page(request, 403, error.detail)
    return render_page(request, "web/roster.html", user=user, grid=grid)
