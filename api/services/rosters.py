"""Døgnindsats rosters planned as jobs: the worker's solve, a solver result stored as
the roster's rows (`store_result`, which a repair and a case's end store through too),
and the rosters a user may see.

The problem comes from `api.services.roster_problem`; a repair, publishing and a case's
end each have their own module (`roster_repair`, `roster_publishing`, `roster_case_end`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sqlmodel import Session, col, delete, func, select

from api.auth import Principal
from api.jobs.params import RosterParams
from api.services.jobs import Report, SolutionCounter
from api.services.roster_problem import build_problem, shift_times
from api.services.scope import within_office_scope
from data.ops_models import (
    Job,
    JobStatus,
    Roster,
    RosterCaseLink,
    RosterOfficeLink,
    RosterShift,
    RosterStatus,
)
from solving.status import SolveStatus

if TYPE_CHECKING:
    from roster.problem import RosterProblem
    from roster.result import RosterResult


# ------------------------------------------------------------------ storing


def store_result(
    session: Session, roster: Roster, problem: RosterProblem, result: RosterResult
) -> None:
    """Write a solver result onto `roster` (shifts, team, KPIs, validator verdict)."""
    from roster.validate import validate

    session.exec(delete(RosterShift).where(col(RosterShift.roster_id) == roster.id))
    # a search stopped on request says so (its roster, if any, is the best found by then)
    status = SolveStatus.CANCELLED if result.cancelled else SolveStatus(result.status)
    roster.solver_status = status.value
    roster.objective = result.objective
    roster.bound = result.bound
    roster.bound_by = result.bound_by
    roster.runtime_seconds = round(result.seconds, 3)
    roster.days = problem.days
    roster.uncovered = [dataclasses.asdict(u) for u in result.uncovered]
    if not result.found:
        roster.status = RosterStatus.FAILED
        roster.team, roster.kpis, roster.violations = [], {}, []
        session.add(roster)
        return
    roster.status = RosterStatus.DRAFT
    roster.violations = [dataclasses.asdict(v) for v in validate(problem, result.roster)]
    roster.kpis = dataclasses.asdict(result.kpis) if result.kpis is not None else {}
    roster.team = sorted({int(a.employee) for a in result.roster})
    assert roster.id is not None
    for a in result.roster:
        shift = problem.shift[a.shift]
        start, end = shift_times(
            problem.start_date, a.day, shift.start_minute, shift.duration_minutes
        )
        session.add(
            RosterShift(
                roster_id=roster.id,
                case_id=int(a.case),
                consultant_id=int(a.employee),
                shift_code=a.shift,
                start=start,
                end=end,
            )
        )
    session.add(roster)


def solve_roster_job(
    session: Session,
    job_id: int,
    params: RosterParams,
    report: Report,
    should_stop: Callable[[], bool] | None = None,
) -> dict[str, object]:
    """The worker's roster runner: solve and store the roster created with the job. A
    cancelled search (`should_stop`) stores its best roster as a draft whose
    `solver_status` says "cancelled"."""
    from roster.parameters import SearchParameters
    from roster.solve import solve

    roster = session.exec(select(Roster).where(Roster.job_id == job_id)).one()
    assert roster.id is not None
    stored = params.stored()
    problem = build_problem(session, stored, {roster.id})
    search = SearchParameters(
        deterministic=params.reproducible, work_per_second=work_per_second(stored)
    )
    progress = SolutionCounter(report)
    result = solve(
        problem,
        time_limit=params.time_limit_seconds,
        seed=params.seed,
        num_workers=2,
        parameters=search,
        on_solution=progress,
        should_stop=should_stop,
    )
    # forced: the throttle may have swallowed the last solutions' writes
    report(result.objective, result.bound, progress.solutions, force=True)
    store_result(session, roster, problem, result)
    session.commit()
    return {
        "roster_id": roster.id,
        "status": roster.solver_status,
        "cancelled": result.cancelled,
        "objective": result.objective,
        "bound": result.bound,
        "bound_by": result.bound_by,
        "uncovered_shifts": len(result.uncovered),
        "violations": len(roster.violations),
        "message": None if result.found else nothing_found(result),
    }


def stored_seed(params: Mapping[str, object]) -> int:
    seed = params.get("seed", 0)
    return seed if isinstance(seed, int) else 0


def work_per_second(params: Mapping[str, object]) -> float:
    """The work rate a roster's reproducible searches count their limit at: the one it
    was planned with, the engine's default for rosters stored before the setting."""
    from roster.clock import WORK_PER_SECOND

    rate = params.get("work_per_second")
    return float(rate) if isinstance(rate, int | float) and rate > 0 else WORK_PER_SECOND


def nothing_found(result: RosterResult) -> str:
    if result.status is SolveStatus.INFEASIBLE:
        return "the working-time rules cannot all hold with this pool; widen the pool or the rules"
    return "no roster was found within the time limit; allow more time"


def job_ended_without_roster(job: Job | None) -> bool:
    """Whether a pending roster's job ended without storing it (failed, or cancelled
    before it started)."""
    return job is not None and job.status in (JobStatus.FAILED, JobStatus.CANCELLED)


# ------------------------------------------------------------------ listing


def list_visible_rosters(
    session: Session,
    principal: Principal,
    *,
    status: RosterStatus | None = None,
    case_id: int | None = None,
    skip: int = 0,
    limit: int = 20,
) -> tuple[list[Roster], int]:
    """One page of the rosters `principal` may see, newest first, and how many match."""
    conditions = [
        within_office_scope(
            principal,
            col(Roster.id),
            col(RosterOfficeLink.roster_id),
            col(RosterOfficeLink.office_id),
        )
    ]
    if status is not None:
        conditions.append(col(Roster.status) == status)
    if case_id is not None:
        conditions.append(
            select(RosterCaseLink.case_id)
            .where(
                col(RosterCaseLink.roster_id) == col(Roster.id),
                col(RosterCaseLink.case_id) == case_id,
            )
            .exists()
        )
    count = session.exec(select(func.count()).select_from(Roster).where(*conditions)).one()
    rows = session.exec(
        select(Roster).where(*conditions).order_by(col(Roster.id).desc()).offset(skip).limit(limit)
    ).all()
    return list(rows), count
