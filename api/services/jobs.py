"""Jobs as use cases: submit, cancel, and who may see them (no HTTP types: the caller
passes a `wake` callback that nudges the worker, e.g. the API's `Worker.wake`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, func, select

from api.auth import Principal
from api.jobs.params import DEFAULT_PRIORITY
from api.services.errors import Conflict, Forbidden, Invalid
from api.services.scope import within_office_scope
from data.models import Office
from data.ops_models import Job, JobKind, JobOfficeLink, JobStatus, utcnow

#: Nudges the worker to look at the queue now (`Worker.wake`); None: it polls anyway.
Wake = Callable[[], None] | None


class Report(Protocol):
    """A running job's progress sink (`JobContext.report` in the worker): incumbent,
    bound and, when known, the number of solutions found so far. Writes may be
    throttled; `force` writes regardless."""

    def __call__(
        self,
        incumbent: float | None,
        bound: float | None,
        solutions_found: int | None = None,
        force: bool = False,
    ) -> None: ...


class SolutionCounter:
    """A solver's per-solution callback ``(objective, bound)`` that reports each solution
    to a job's progress together with the number found so far (`solutions`)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.solutions = 0

    def __call__(self, objective: float, bound: float) -> None:
        self.solutions += 1
        self.report(objective, bound, self.solutions)


def reproducible(params: dict[str, object]) -> bool:
    """Whether a job's stored params ask for a reproducible search: the default, also for
    jobs and rosters stored before the flag existed."""
    return bool(params.get("reproducible", True))


def resolve_office_scope(session: Session, principal: Principal, requested: list[int]) -> list[int]:
    """The offices a job covers: the request's, checked against the caller's scope.

    Empty means "all I may plan for": a team leader's own offices; every office for an
    admin (stored as the explicit list, so that visibility checks stay simple).
    """
    known = set(session.exec(select(Office.id)).all())
    for index, office_id in enumerate(requested):
        if office_id not in known:
            raise Invalid.field(f"body.office_ids.{index}", f"unknown office id {office_id}")
    if not requested:
        scope = (
            sorted(principal.office_ids)
            if not principal.is_admin
            else sorted(office_id for office_id in known if office_id is not None)
        )
        return scope
    if not principal.may_act_for_offices(set(requested)):
        raise Forbidden("you may only plan for your own offices")
    return sorted(set(requested))


def job_visible_to(principal: Principal, job: Job) -> bool:
    return principal.is_admin or principal.may_act_for_offices(set(job.office_ids))


def submit_job(
    session: Session,
    kind: JobKind,
    params: dict[str, object],
    office_ids: list[int],
    actor_key_id: int | None,
    wake: Wake = None,
    *,
    start: bool = True,
    priority: int | None = None,
    claimed_by: str | None = None,
) -> Job:
    """Queue a job and (with `start`) commit and `wake` the worker; the request returns
    at once (202).

    With ``start=False`` the job is only flushed: the caller adds its own rows in the
    same transaction, commits, and wakes the worker itself. `priority`: the kind's
    default (`DEFAULT_PRIORITY`) unless given. `claimed_by`: a worker id (the CLI's)
    that runs the job itself (`api.jobs.worker.run_here`); the job is created running,
    so no other worker takes it.
    """
    job = Job(
        kind=kind,
        params=params,
        office_ids=office_ids,
        created_by_key_id=actor_key_id,
        priority=DEFAULT_PRIORITY[kind] if priority is None else priority,
    )
    if claimed_by is not None:
        now = utcnow()
        job.status, job.worker_id, job.attempts = JobStatus.RUNNING, claimed_by, 1
        job.started_at = job.heartbeat_at = now
    session.add(job)
    if not start:
        session.flush()
        return job
    session.commit()
    session.refresh(job)
    if wake is not None:
        wake()
    return job


def cancel_job(session: Session, job: Job, wake: Wake = None) -> Job:
    """Cancel `job`: a queued one at once; a running one by a request its worker reads
    with the next heartbeat (`wake` makes that now) and passes to the solver, which stops
    and keeps its best answer. Asking twice is harmless; a finished job is a conflict."""
    assert job.id is not None
    now = utcnow()
    if job.status is JobStatus.QUEUED:
        cancelled = session.exec(
            update(Job)
            .where(col(Job.id) == job.id, col(Job.status) == JobStatus.QUEUED)
            .values(
                status=JobStatus.CANCELLED,
                cancel_requested_at=now,
                finished_at=now,
                error=None,
                version=col(Job.version) + 1,
            )
        )
        session.commit()
        session.refresh(job)
        if cancelled.rowcount == 1:
            return job
        # a worker claimed it meanwhile: ask that worker instead (below)
    if job.status is JobStatus.RUNNING:
        if job.cancel_requested_at is None:
            session.exec(
                update(Job)
                .where(col(Job.id) == job.id, col(Job.cancel_requested_at).is_(None))
                .values(cancel_requested_at=now, version=col(Job.version) + 1)
            )
            session.commit()
            session.refresh(job)
        if wake is not None:
            wake()
        return job
    raise Conflict(
        f"job {job.id} is {job.status.value}; only a queued or running job can be cancelled"
    )


def list_jobs(
    session: Session, kind: JobKind, scope: Principal | None, skip: int, limit: int
) -> tuple[list[Job], int]:
    """A page of the jobs of `kind`, newest first, and how many there are in all.

    `scope`: only the jobs whose offices that caller may act for (`job_visible_to`, in
    SQL); None: every job of the kind (the caller is already known to see them all).
    """
    query = select(Job).where(Job.kind == kind)
    if scope is not None:
        query = query.where(
            within_office_scope(
                scope, col(Job.id), col(JobOfficeLink.job_id), col(JobOfficeLink.office_id)
            )
        )
    count = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(query.order_by(col(Job.id).desc()).offset(skip).limit(limit)).all()
    return list(rows), count


def latest_jobs(session: Session, kind: JobKind, limit: int = 20) -> list[Job]:
    return list(
        session.exec(select(Job).where(Job.kind == kind).order_by(col(Job.id).desc()).limit(limit))
    )
