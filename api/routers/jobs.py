"""Background jobs of any kind: look at one, cancel one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from api.auth import Principal
from api.deps import PlannerUser, SessionDep
from api.schemas.common import MAX_ID
from api.schemas.jobs import JobPublic
from api.services.errors import Forbidden, NotFound
from api.services.jobs import Wake, cancel_job, job_visible_to
from data.ops_models import Job

router = APIRouter(prefix="/jobs", tags=["jobs"])
JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="Job id.", examples=[12])]


def worker_wake(request: Request) -> Wake:
    """The API's worker's `wake` (None when the worker runs in another process)."""
    worker = getattr(request.app.state, "worker", None)
    return None if worker is None else worker.wake


def visible_job(session: SessionDep, principal: Principal, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound("job", job_id)
    if not job_visible_to(principal, job):
        raise Forbidden("the job covers offices outside your scope")
    return job


@router.get(
    "/{job_id}",
    response_model=JobPublic,
    summary="A job of any kind (optimisation, roster, repair): status, progress, result",
)
def get_job(session: SessionDep, principal: PlannerUser, job_id: JobId) -> JobPublic:
    return JobPublic.of(visible_job(session, principal, job_id))


@router.post(
    "/{job_id}/cancel",
    response_model=JobPublic,
    summary="Cancel a job: a queued one at once, a running one within about a second "
    "(a solver keeps its best answer; a roster job stores it as a draft marked cancelled)",
)
def cancel(
    session: SessionDep, principal: PlannerUser, job_id: JobId, request: Request
) -> JobPublic:
    job = visible_job(session, principal, job_id)
    return JobPublic.of(cancel_job(session, job, worker_wake(request)))
