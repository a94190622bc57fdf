"""Batch re-optimisation from the pages: start one (a queued job, as
``POST /v1/optimizations``), list and read the ones the caller may see, and the plan of
a finished one. Applying goes through `api.services.optimization.apply_optimization`."""

from __future__ import annotations

import datetime as dt

from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.auth import Principal
from api.services.errors import Forbidden, NotFound
from api.services.jobs import job_visible_to, resolve_office_scope
from api.services.optimization import BatchPlan
from api.services.references import get_or_404
from api.services.scope import within_office_scope
from data.ops_models import Job, JobKind, JobOfficeLink


def start_batch(
    session: Session,
    principal: Principal,
    *,
    as_of: dt.date,
    time_limit_seconds: float,
    seed: int = 0,
) -> Job:
    """Queue a re-optimisation of every office the caller plans for (committed)."""
    office_ids = resolve_office_scope(session, principal, [])
    params = {
        "office_ids": office_ids,
        "time_limit_seconds": time_limit_seconds,
        "seed": seed,
        "reproducible": True,
        "as_of": as_of.isoformat(),
    }
    job = Job(kind=JobKind.OPTIMIZATION, params=params, office_ids=office_ids)
    session.add(job)
    session.commit()
    session.refresh(job)
    return job


def visible_batches(session: Session, principal: Principal, limit: int = 20) -> list[Job]:
    return list(
        session.exec(
            select(Job)
            .where(
                col(Job.kind) == JobKind.OPTIMIZATION,
                within_office_scope(
                    principal, col(Job.id), col(JobOfficeLink.job_id), col(JobOfficeLink.office_id)
                ),
            )
            .order_by(col(Job.id).desc())
            .limit(limit)
        ).all()
    )


def batch_job(session: Session, principal: Principal, job_id: int) -> Job:
    """An optimisation job the caller may see (`NotFound`, `Forbidden`)."""
    job = get_or_404(session, Job, job_id, "optimization")
    if job.kind is not JobKind.OPTIMIZATION:
        raise NotFound("optimization", job_id)
    if not job_visible_to(principal, job):
        raise Forbidden("the optimisation covers offices outside your scope")
    return job


def plan_of(job: Job) -> BatchPlan | None:
    """The plan of a finished job, None while it runs or if it has none."""
    if job.result is None:
        return None
    try:
        return BatchPlan.model_validate(job.result)
    except ValidationError:
        return None
