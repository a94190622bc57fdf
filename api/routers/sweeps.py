"""Scenario sweeps as background jobs (admin only): submit a sweep file, read its result.

Cancel one like any job: ``POST /v1/jobs/{id}/cancel`` (the scenarios done are kept).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import Field

from api.deps import AdminUser, PlanningDateDep, SessionDep
from api.routers.common import Limit, Skip
from api.routers.jobs import worker_wake
from api.schemas.common import MAX_ID, Page, PlanningDate, RequestModel, with_examples
from api.schemas.jobs import JobPublic
from api.services.errors import NotFound
from api.services.jobs import list_jobs
from api.services.references import get_or_404
from api.services.sweep import submit_sweep
from data.ops_models import Job, JobKind
from solving.executor import ExecutorName

router = APIRouter(prefix="/sweeps", tags=["scenario sweeps"])
JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="Sweep job id.", examples=[14])]

EXAMPLE = """\
[sweep]
time_limit = 2.0

[[scenario]]
name = "hire-aarhus-tigrinya"

[[scenario.change]]
kind = "hire"
office = "Aarhus"
count = 2
languages = ["ti"]
"""


class SweepCreate(RequestModel):
    model_config = with_examples({"scenarios": EXAMPLE, "executor": "local"})

    #: The sweep file (TOML, as `famplan sweep` reads it, e.g. data/sweeps/demo.toml).
    #: A field at fault is named in the 422 with its line, e.g.
    #: ``body.scenarios.scenario[1].change[0].count`` at ``line 18``.
    scenarios: str = Field(min_length=1, max_length=200_000)
    #: Where the solves run; null: the server's FAMPLAN_EXECUTOR.
    executor: ExecutorName | None = None
    #: The planning date of a file without ``as_of`` (default: today's planning date).
    as_of: PlanningDate | None = None


def _sweep(session: SessionDep, job_id: int) -> Job:
    job = get_or_404(session, Job, job_id, "sweep")
    if job.kind is not JobKind.SWEEP:
        raise NotFound("sweep", job_id)
    return job


@router.post(
    "",
    response_model=JobPublic,
    status_code=202,
    summary="Start a scenario sweep (what-if re-optimisations, in the background)",
)
def create_sweep(
    session: SessionDep,
    principal: AdminUser,
    body: SweepCreate,
    request: Request,
    response: Response,
    planning_day: PlanningDateDep,
) -> JobPublic:
    job = submit_sweep(
        session,
        body.scenarios,
        body.executor,
        body.as_of or planning_day,
        principal.key_id,
        worker_wake(request),
    )
    response.headers["Location"] = f"/v1/sweeps/{job.id}"
    return JobPublic.of(job)


@router.get("", response_model=Page[JobPublic], summary="List sweeps (newest first)")
def list_sweeps(
    session: SessionDep, principal: AdminUser, skip: Skip = 0, limit: Limit = 20
) -> Page[JobPublic]:
    # sweeps are admin-only, so every sweep is in the caller's scope
    rows, count = list_jobs(session, JobKind.SWEEP, None, skip, limit)
    return Page(data=[JobPublic.of(job) for job in rows], count=count)


@router.get(
    "/{job_id}",
    response_model=JobPublic,
    summary="Status, scenarios done so far and, when done, every scenario's figures",
)
def get_sweep(session: SessionDep, principal: AdminUser, job_id: JobId) -> JobPublic:
    return JobPublic.of(_sweep(session, job_id))
