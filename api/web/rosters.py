"""A team leader's rosters: the list, planning one (its job's progress polled by htmx),
the grid of consultants × days with the validator's verdict, and publishing it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from api.schemas.common import MAX_ID
from api.schemas.rosters import RosterCreate
from api.services.errors import DomainError, Forbidden, Invalid, NotFound
from api.services.planning_date import PlanningDateCache
from api.services.roster_planning import (
    Progress,
    plan_roster,
    plannable_cases,
    pool_choices,
    roster_progress,
)
from api.services.roster_publishing import publish_roster
from api.services.web_views import roster_grid, visible_rosters
from api.web.repair_form import RepairForm
from api.web.security import CsrfChecked, LoggedIn, WebUser, page_session, require_role
from api.web.templating import error_page, gettext_for, reason_text, render_page
from data.ops_models import Role

router = APIRouter()
RosterId = Annotated[int, Path(ge=1, le=MAX_ID)]
PLANNER_ROLES = (Role.TEAM_LEADER, Role.ADMIN)
#: A page's default search time: short, a team leader waits for it.
DEFAULT_TIME_LIMIT = "10"


def _error_page(request: Request, status_code: int, message: str) -> Response:

    return error_page(request, status_code, message)


@router.get("/rosters")
def rosters_page(request: Request, user: LoggedIn) -> Response:
    require_role(user, *PLANNER_ROLES)
    with page_session(request.app.state.engine) as session:
        rows = visible_rosters(session, user.principal)
    return render_page(request, "web/rosters.html", user=user, rows=rows)


# ------------------------------------------------------------------ plan

PLAN_FIELDS = ("start_date", "weeks", "template", "time_limit_seconds")
#: The pool: chosen offices and (optionally) only some of their consultants.
POOL_FIELDS = ("office_ids", "consultant_ids")


def _plan_form(
    request: Request,
    user: WebUser,
    values: dict[str, object],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    dates: PlanningDateCache = request.app.state.planning_dates
    with page_session(request.app.state.engine) as session:
        cases = plannable_cases(session, user.principal)
        pool = pool_choices(session, user.principal, dates.get(session))
    return render_page(
        request,
        "web/roster_new.html",
        status_code=status_code,
        user=user,
        cases=cases,
        pool=pool,
        values=values,
        errors=errors,
    )


@router.get("/rosters/new")
def plan_form(request: Request, user: LoggedIn) -> Response:
    require_role(user, *PLANNER_ROLES)
    dates: PlanningDateCache = request.app.state.planning_dates
    with page_session(request.app.state.engine) as session:
        today = dates.get(session)
    # A match page's team proposal links here with its case, start and template filled
    # in, and its team as the pool (the match's `team.roster_request`).
    query = request.query_params
    values: dict[str, object] = {
        "case_ids": query.getlist("case_ids"),
        "office_ids": query.getlist("office_ids"),
        "consultant_ids": query.getlist("consultant_ids"),
        "start_date": query.get("start_date") or today.isoformat(),
        "weeks": "1",
        "template": query.get("template") or "3x8",
        "time_limit_seconds": DEFAULT_TIME_LIMIT,
    }
    return _plan_form(request, user, values, {})


def _plan_field(location: tuple[int | str, ...], message: str) -> str:
    names = [str(part) for part in location if isinstance(part, str)]
    name = names[0] if names else message.partition(":")[0].removeprefix("Value error, ")
    return {"days": "weeks", "body": "case_ids"}.get(name, name)


def _known_field(field: str) -> str:
    """The form field an error belongs to (the cases' list when none fits)."""
    return field if field in (*PLAN_FIELDS, *POOL_FIELDS) else "case_ids"


@router.post("/rosters/new")
async def plan(request: Request, user: CsrfChecked) -> Response:
    require_role(user, *PLANNER_ROLES)
    form = await request.form()
    values: dict[str, object] = {name: str(form.get(name) or "") for name in PLAN_FIELDS}
    for name in ("case_ids", *POOL_FIELDS):
        values[name] = [str(v) for v in form.getlist(name)]
    from fastapi.concurrency import run_in_threadpool

    return await run_in_threadpool(_plan_sync, request, user, values)


def _plan_sync(request: Request, user: WebUser, values: dict[str, object]) -> Response:
    _ = gettext_for(request).gettext
    errors: dict[str, str] = {}
    weeks = str(values["weeks"])
    case_ids = values["case_ids"]
    assert isinstance(case_ids, list)
    if not case_ids:
        errors["case_ids"] = _("Choose at least one case.")
    if not weeks.isdigit() or not 1 <= int(weeks) <= 12:
        errors["weeks"] = _("A whole number of weeks from 1 to 12.")
    body = None
    if not errors:
        try:
            body = RosterCreate.model_validate(
                {
                    "case_ids": case_ids,
                    "office_ids": values["office_ids"],
                    "consultant_ids": values["consultant_ids"],
                    "start_date": values["start_date"],
                    "days": int(weeks) * 7,
                    "template": values["template"],
                    "time_limit_seconds": values["time_limit_seconds"] or None,
                }
            )
        except ValidationError as error:
            for problem in error.errors():
                field = _plan_field(tuple(problem["loc"]), problem["msg"])
                errors.setdefault(_known_field(field), problem["msg"])
    if body is None:
        return _plan_form(request, user, values, errors, 422)
    settings = request.app.state.settings
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            roster = plan_roster(
                session,
                user.principal,
                body,
                default_time_limit=settings.roster_time_limit,
                work_per_second=settings.roster_work_per_second,
            )
        except Invalid as error:
            session.rollback()
            for p in error.problems:
                field = p.field.removeprefix("body.").split(".")[0]
                errors.setdefault(_known_field(field), p.message)
            return _plan_form(request, user, values, errors, 422)
        except Forbidden as error:  # an office outside the caller's own
            session.rollback()
            errors["office_ids"] = error.detail
            return _plan_form(request, user, values, errors, 403)
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        worker.wake()
    return RedirectResponse(f"/rosters/{roster.id}", status_code=303)


@router.get("/rosters/{roster_id}/progress")
def progress(request: Request, user: LoggedIn, roster_id: RosterId) -> Response:
    """The job's progress (htmx polls it); once the job is done, reload the page."""
    require_role(user, *PLANNER_ROLES)
    with page_session(request.app.state.engine) as session:
        try:
            found = roster_progress(session, user.principal, roster_id)
        except NotFound as error:
            return _error_page(request, 404, error.detail)
        except Forbidden as error:
            return _error_page(request, 403, error.detail)
    if found.finished:
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    return render_page(request, "web/_progress.html", user=user, progress=found)


# ------------------------------------------------------------------ one roster


def roster_page_response(
    request: Request,
    user: WebUser,
    roster_id: int,
    status_code: int = 200,
    message: str | None = None,
    published: bool = False,
    repair: RepairForm | None = None,
) -> Response:
    """The roster page: progress or grid, publishing, and for a published roster the
    repair form (`repair`: what was typed and its errors, when it is shown again)."""
    dates: PlanningDateCache = request.app.state.planning_dates
    with page_session(request.app.state.engine) as session:
        try:
            grid = roster_grid(session, user.principal, roster_id)
            found: Progress | None = roster_progress(session, user.principal, roster_id)
        except NotFound as error:
            return _error_page(request, 404, error.detail)
        except Forbidden as error:
            return _error_page(request, 403, error.detail)
        today = dates.get(session)
    return render_page(
        request,
        "web/roster.html",
        status_code=status_code,
        user=user,
        grid=grid,
        progress=found,
        message=message,
        published=published,
        repair=repair or RepairForm.blank(today),
    )


@router.get("/rosters/{roster_id}")
def roster_page(request: Request, user: LoggedIn, roster_id: RosterId) -> Response:
    require_role(user, *PLANNER_ROLES)
    published = request.query_params.get("published") == "1"
    return roster_page_response(request, user, roster_id, published=published)


@router.post("/rosters/{roster_id}/publish")
def publish(request: Request, user: CsrfChecked, roster_id: RosterId) -> Response:
    """Publish a draft (the service refuses anything else, or a roster breaking a rule)."""
    require_role(user, *PLANNER_ROLES)
    _ = gettext_for(request).gettext
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            # The scope check first: a roster of another office is not even read on.
            grid = roster_grid(session, user.principal, roster_id)
            publish_roster(session, grid.roster, None)
        except NotFound as error:
            return _error_page(request, 404, error.detail)
        except Forbidden as error:
            return _error_page(request, 403, error.detail)
        except DomainError as error:
            session.rollback()
            message = _("The roster cannot be published: %(reason)s") % {
                "reason": reason_text(request, error.detail)
            }
            return roster_page_response(request, user, roster_id, 409, message)
    return RedirectResponse(f"/rosters/{roster_id}?published=1", status_code=303)
