"""Batch re-optimisation as background jobs: submit, watch, apply."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import Field, model_validator
from sqlmodel import SQLModel

from api.auth import Principal
from api.deps import PlannerUser, PlanningDateDep, SessionDep
from api.jobs.params import OptimizationParams
from api.routers.common import Limit, Skip
from api.routers.jobs import worker_wake
from api.schemas.common import MAX_ID, DbId, Page, PlanningDate, RequestModel, with_examples
from api.schemas.jobs import JobPublic
from api.services.errors import Forbidden, NotFound
from api.services.jobs import job_visible_to, list_jobs, resolve_office_scope, submit_job
from api.services.optimization import ApplyReport, apply_optimization
from api.services.references import get_or_404
from data.ops_models import Job, JobKind

router = APIRouter(prefix="/optimizations", tags=["batch re-optimisation"])
JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="Optimisation job id.", examples=[12])]


class OptimizationCreate(RequestModel):
    model_config = with_examples({"office_ids": [2], "time_limit_seconds": 20, "seed": 0})

    #: Offices whose consultants and cases are re-planned; empty = a team leader's own
    #: offices, or every office for an admin.
    office_ids: list[DbId] = Field(default_factory=list, max_length=10)
    time_limit_seconds: float | None = Field(default=None, gt=0, le=600)
    seed: int = Field(default=0, ge=0, le=MAX_ID)
    #: The same request on the same data gives the same moves: the time limit counts
    #: the solver's work units (the demo book is proven optimal in 1.3 s instead of
    #: 0.8 s). False: exactly the time limit; among equally good plans, any may come.
    reproducible: bool = True
    #: The planning date (default: today).
    as_of: PlanningDate | None = None


class OptimizationApply(RequestModel):
    model_config = with_examples({"moves": [0, 2]}, {"moves": None})

    #: Indices into the result's `moves` to apply; null applies every move.
    moves: list[Annotated[int, Field(ge=0, le=1_000_000)]] | None = Field(
        default=None, max_length=10_000
    )

    @model_validator(mode="after")
    def _check(self) -> OptimizationApply:
        if self.moves is not None and len(set(self.moves)) != len(self.moves):
            raise ValueError("moves: an index is listed twice")
        return self


class ApplyResult(SQLModel):
    model_config = with_examples(
        {"job_id": 12, "ended_assignment_ids": [31], "created_assignment_ids": [88]}
    )

    job_id: int
    ended_assignment_ids: list[int]
    created_assignment_ids: list[int]


def _get_visible(session: SessionDep, principal: Principal, job_id: int) -> Job:
    job = get_or_404(session, Job, job_id, "optimization")
    if job.kind is not JobKind.OPTIMIZATION:
        raise NotFound("optimization", job_id)
    if not job_visible_to(principal, job):
        raise Forbidden("the optimisation covers offices outside your scope")
    return job


@router.post(
    "",
    response_model=JobPublic,
    status_code=202,
    summary="Start a batch re-optimisation (runs in the background)",
)
def create_optimization(
    session: SessionDep,
    principal: PlannerUser,
    body: OptimizationCreate,
    request: Request,
    response: Response,
    planning_day: PlanningDateDep,
) -> JobPublic:
    office_ids = resolve_office_scope(session, principal, body.office_ids)
    settings = request.app.state.settings
    params = OptimizationParams(
        office_ids=office_ids,
        time_limit_seconds=body.time_limit_seconds or settings.optimization_time_limit,
        seed=body.seed,
        reproducible=body.reproducible,
        as_of=body.as_of or planning_day,
    )
    job = submit_job(
        session,
        JobKind.OPTIMIZATION,
        params.stored(),
        office_ids,
        principal.key_id,
        worker_wake(request),
    )
    response.headers["Location"] = f"/v1/optimizations/{job.id}"
    return JobPublic.of(job)


@router.get("", response_model=Page[JobPublic], summary="List optimisations (newest first)")
def list_optimizations(
    session: SessionDep, principal: PlannerUser, skip: Skip = 0, limit: Limit = 20
) -> Page[JobPublic]:
    rows, count = list_jobs(session, JobKind.OPTIMIZATION, principal, skip, limit)
    return Page(data=[JobPublic.of(job) for job in rows], count=count)


@router.get(
    "/{job_id}",
    response_model=JobPublic,
    summary="Status, progress and, when done, the diff and KPIs",
)
def get_optimization(session: SessionDep, principal: PlannerUser, job_id: JobId) -> JobPublic:
    return JobPublic.of(_get_visible(session, principal, job_id))


@router.post(
    "/{job_id}/apply",
    response_model=ApplyResult,
    summary="Apply the accepted moves of a finished optimisation in one transaction",
)
def apply(
    session: SessionDep, principal: PlannerUser, job_id: JobId, body: OptimizationApply
) -> ApplyResult:
    job = _get_visible(session, principal, job_id)
    report: ApplyReport = apply_optimization(session, job, body.moves, principal.key_id)
    return ApplyResult(
        job_id=job_id,
        ended_assignment_ids=report.ended_assignment_ids,
        created_assignment_ids=report.created_assignment_ids,
    )
