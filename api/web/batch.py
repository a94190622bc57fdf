"""Batch re-optimisation (operations): start one, watch its progress (htmx polling),
read the KPIs and the moves, select moves and apply them; a stale plan is refused with
the reason. Admins and team leaders (for their offices), as in the API; not reception."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from api.problems import ApiProblem
from api.schemas.common import MAX_ID
from api.services.batch_planning import batch_job, plan_of, start_batch, visible_batches
from api.services.errors import Conflict, Forbidden, NotFound
from api.services.optimization import apply_optimization
from api.services.planning_date import PlanningDateCache
from api.services.web_views import consultant_names, coordinator_names
from api.web.security import CsrfChecked, LoggedIn, WebUser, page_session, require_role
from api.web.templating import error_page, gettext_for, reason_text, render_page
from data.models import AssignmentRole
from data.ops_models import JobStatus, Role

router = APIRouter()
JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
BATCH_ROLES = (Role.ADMIN, Role.TEAM_LEADER)


def _error_page(request: Request, status_code: int, message: str) -> Response:

    return error_page(request, status_code, message)


@router.get("/batch")
def batch_list(request: Request, user: LoggedIn) -> Response:
    require_role(user, *BATCH_ROLES)
    with page_session(request.app.state.engine) as session:
        jobs = visible_batches(session, user.principal)
    return render_page(request, "web/batch_list.html", user=user, jobs=jobs, error=None)


@router.post("/batch")
async def batch_start(request: Request, user: CsrfChecked) -> Response:
    require_role(user, *BATCH_ROLES)
    form = await request.form()
    return await run_in_threadpool(
        _start_sync, request, user, str(form.get("time_limit_seconds") or "")
    )


def _start_sync(request: Request, user: WebUser, time_limit: str) -> Response:
    _ = gettext_for(request).gettext
    try:
        seconds = float(time_limit)
        if not 0 < seconds <= 600:
            raise ValueError
    except ValueError:
        with page_session(request.app.state.engine) as session:
            jobs = visible_batches(session, user.principal)
        error = _("Give a time limit from 1 to 600 seconds.")
        return render_page(
            request, "web/batch_list.html", status_code=422, user=user, jobs=jobs, error=error
        )
    dates: PlanningDateCache = request.app.state.planning_dates
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            job = start_batch(
                session, user.principal, as_of=dates.get(session), time_limit_seconds=seconds
            )
        except ApiProblem as error:
            return _error_page(request, error.status, str(error.detail))
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        worker.wake()
    return RedirectResponse(f"/batch/{job.id}", status_code=303)


def _batch_page(
    request: Request,
    user: WebUser,
    job_id: int,
    status_code: int = 200,
    message: str | None = None,
    applied: bool = False,
    partial: bool = False,
) -> Response:
    with page_session(request.app.state.engine) as session:
        try:
            job = batch_job(session, user.principal, job_id)
        except NotFound as error:
            return _error_page(request, 404, error.detail)
        except Forbidden as error:
            return _error_page(request, 403, error.detail)
        plan = plan_of(job)
        # A coordinator seat's ids are coordinators', the others' consultants'.
        consultants: set[int] = set()
        coordinators: set[int] = set()
        if plan is not None:
            for move in plan.moves:
                people = coordinators if move.role is AssignmentRole.COORDINATOR else consultants
                people |= {i for i in (move.from_id, move.to_id) if i is not None}
        names = {
            "consultant": consultant_names(session, sorted(consultants)),
            "coordinator": coordinator_names(session, sorted(coordinators)),
        }
    finished = job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    if partial and finished:
        return Response(status_code=204, headers={"HX-Refresh": "true"})
    return render_page(
        request,
        "web/_batch_progress.html" if partial else "web/batch.html",
        status_code=status_code,
        user=user,
        job=job,
        plan=plan,
        names=names,
        finished=finished,
        message=message,
        applied=applied,
    )


@router.get("/batch/{job_id}")
def batch_page(request: Request, user: LoggedIn, job_id: JobId) -> Response:
    require_role(user, *BATCH_ROLES)
    applied = request.query_params.get("applied") == "1"
    return _batch_page(request, user, job_id, applied=applied)


@router.get("/batch/{job_id}/progress")
def batch_progress(request: Request, user: LoggedIn, job_id: JobId) -> Response:
    require_role(user, *BATCH_ROLES)
    return _batch_page(request, user, job_id, partial=True)


@router.post("/batch/{job_id}/apply")
async def batch_apply(request: Request, user: CsrfChecked, job_id: JobId) -> Response:
    require_role(user, *BATCH_ROLES)
    form = await request.form()
    selected = [int(v) for v in form.getlist("move") if isinstance(v, str) and v.isdigit()]
    return await run_in_threadpool(_apply_sync, request, user, job_id, selected)


def _apply_sync(request: Request, user: WebUser, job_id: int, selected: list[int]) -> Response:
    _ = gettext_for(request).gettext
    if not selected:
        return _batch_page(request, user, job_id, 422, _("Select at least one move."))
    with page_session(request.app.state.engine, user.user_id) as session:
        try:
            job = batch_job(session, user.principal, job_id)
            apply_optimization(session, job, selected, None)
        except NotFound as error:
            return _error_page(request, 404, error.detail)
        except Forbidden as error:
            return _error_page(request, 403, error.detail)
        except Conflict as error:
            session.rollback()
            message = _("The plan cannot be applied: %(reason)s") % {
                "reason": reason_text(request, error.detail)
            }
            return _batch_page(request, user, job_id, 409, message)
    request.app.state.snapshot_cache.invalidate()
    return RedirectResponse(f"/batch/{job_id}?applied=1", status_code=303)
