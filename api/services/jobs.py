"""Submitting jobs and checking who may see them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from fastapi import Request
from sqlmodel import Session, col, select

from api.auth import Principal
from api.problems import ApiProblem, invalid_field
from data.models import Office
from data.ops_models import Job, JobKind


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


class _Figures(Protocol):
    @property
    def objective(self) -> float | None: ...
    @property
    def bound(self) -> float | None: ...


Result = TypeVar("Result", bound=_Figures)


def reproducible(params: dict[str, Any]) -> bool:
    """Whether a job's stored params ask for a reproducible search: the default, also for
    jobs and rosters stored before the flag existed."""
    return bool(params.get("reproducible", True))


def solve_with_progress(
    solver: Callable[..., Result], problem: Any, params: dict[str, Any], report: Report
) -> Result:
    """Run a job's solver (`matcher.batch.optimize`, `roster.solve.solve`) with the job's
    time limit and seed, every solution reported as progress, and the final figures
    (with the number of solutions found) written once more at the end."""
    progress = SolutionCounter(report)
    result = solver(
        problem,
        time_limit=float(params["time_limit_seconds"]),
        seed=int(params["seed"]),
        num_workers=2,
        on_solution=progress,
    )
    # forced: the throttle may have swallowed the last solutions' writes
    report(result.objective, result.bound, progress.solutions, force=True)
    return result


def resolve_office_scope(session: Session, principal: Principal, requested: list[int]) -> list[int]:
    """The offices a job covers: the request's, checked against the caller's scope.

    Empty means "all I may plan for": a team leader's own offices; every office for an
    admin (stored as the explicit list, so that visibility checks stay simple).
    """
    known = set(session.exec(select(Office.id)).all())
    for index, office_id in enumerate(requested):
        if office_id not in known:
            raise invalid_field(f"body.office_ids.{index}", f"unknown office id {office_id}")
    if not requested:
        scope = (
            sorted(principal.office_ids)
            if not principal.is_admin
            else sorted(office_id for office_id in known if office_id is not None)
        )
        return scope
    if not principal.may_act_for_offices(set(requested)):
        raise ApiProblem(403, "you may only plan for your own offices")
    return sorted(set(requested))


def job_visible_to(principal: Principal, job: Job) -> bool:
    return principal.is_admin or principal.may_act_for_offices(set(job.office_ids))


def submit_job(
    session: Session,
    request: Request,
    kind: JobKind,
    params: dict[str, Any],
    office_ids: list[int],
    principal: Principal,
    start: bool = True,
) -> Job:
    """Queue a job and (with `start`) nudge the worker; the request returns at once (202).

    With ``start=False`` the job is only flushed: the caller adds its own rows in the
    same transaction, commits, and wakes the worker itself.
    """
    job = Job(kind=kind, params=params, office_ids=office_ids, created_by_key_id=principal.key_id)
    session.add(job)
    if not start:
        session.flush()
        return job
    session.commit()
    session.refresh(job)
    worker = getattr(request.app.state, "worker", None)
    if worker is not None:
        worker.wake()
    return job


def latest_jobs(session: Session, kind: JobKind, limit: int = 20) -> list[Job]:
    return list(
        session.exec(select(Job).where(Job.kind == kind).order_by(col(Job.id).desc()).limit(limit))
    )
