"""A team leader's rosters: the list of their offices' rosters and one roster's grid."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from api.schemas.common import MAX_ID
from api.services.errors import DomainError, Forbidden, NotFound
from api.services.rosters import publish_roster
from api.services.web_views import roster_grid, visible_rosters
from api.web.security import CsrfChecked, LoggedIn, WebUser, page_session, require_role
from api.web.templating import gettext_for, render_page
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


def _roster_page(
    request: Request,
    user: WebUser,
    roster_id: int,
    status_code: int = 200,
    message: str | None = None,
    published: bool = False,
) -> Response:
    from api.web import error_page

    with page_session(request.app.state.engine) as session:
        try:
            grid = roster_grid(session, user.principal, roster_id)
        except NotFound as error:
            return error_page(request, 404, error.detail)
        except Forbidden as error:
            return error_page(request, 403, error.detail)
    return render_page(
        request,
        "web/roster.html",
        status_code=status_code,
        user=user,
        grid=grid,
        message=message,
        published=published,
    )


@router.get("/rosters/{roster_id}")
def roster_page(request: Request, user: LoggedIn, roster_id: RosterId) -> Response:
    require_role(user, *PLANNER_ROLES)
    return _roster_page(request, user, roster_id)


@router.post("/rosters/{roster_id}/publish")
def publish(request: Request, user: CsrfChecked, roster_id: RosterId) -> Response:
    """Publish a draft (the service refuses anything else, or a roster breaking a rule)."""
    from api.web import error_page

    require_role(user, *PLANNER_ROLES)
    _ = gettext_for(request).gettext
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            # The scope check first: a roster of another office is not even read on.
            grid = roster_grid(session, user.principal, roster_id)
            publish_roster(session, grid.roster, None)
        except NotFound as error:
            return error_page(request, 404, error.detail)
        except Forbidden as error:
            return error_page(request, 403, error.detail)
        except DomainError as error:
            session.rollback()
            message = _("The roster cannot be published: %(reason)s") % {"reason": error.detail}
            return _roster_page(request, user, roster_id, 409, message)
    return _roster_page(request, user, roster_id, published=True)
