"""Job runners: what the worker runs for each job kind. Each reads its typed parameters
(`api.jobs.params`) and calls the same service the CLI calls."""

from __future__ import annotations

from sqlmodel import Session

from api.jobs.context import JobContext, JobFailed, Runner
from api.jobs.params import (
    OptimizationParams,
    RepairParams,
    RosterParams,
    SweepParams,
    read_params,
)
from api.services.errors import DomainError
from data.ops_models import JobKind
from solving.executor import ExecutorUnavailable


def run_optimization(context: JobContext) -> dict[str, object]:
    """Batch re-optimisation of the job's offices (see `api.services.optimization`)."""
    from api.services.optimization import run_batch

    params = read_params(OptimizationParams, context.params)
    with Session(context.engine) as session:
        return run_batch(
            session, params.stored(), context.office_ids, context.report, context.should_stop
        )


def run_roster(context: JobContext) -> dict[str, object]:
    """Solve a roster and store it (see `api.services.rosters`); a cancelled solve stores
    the best roster found so far."""
    from api.services.rosters import solve_roster_job

    params = read_params(RosterParams, context.params)
    with Session(context.engine) as session:
        return solve_roster_job(
            session, context.job_id, params, context.report, context.should_stop
        )


def run_repair(context: JobContext) -> dict[str, object]:
    """Repair a published roster into the draft created with the job — or cut it at its
    case's end and publish the cut (`api.services.roster_case_end.run_case_end_job`)."""
    from api.services.roster_case_end import run_case_end_job
    from api.services.roster_repair import repair_job_result, run_repair_job

    params = read_params(RepairParams, context.params)
    with Session(context.engine) as session:
        try:
            if params.case_end is not None:
                child, outcome = run_case_end_job(
                    session, context.job_id, params, context.should_stop
                )
                return repair_job_result(child, outcome, params)
            child, outcome = run_repair_job(
                session, context.job_id, params, context.report, context.should_stop
            )
        except DomainError as error:  # the roster or the pool changed since the request
            raise JobFailed(error.detail) from None
        return repair_job_result(child, outcome, params)


def run_sweep(context: JobContext) -> dict[str, object]:
    """A scenario sweep on the job's executor (see `api.services.sweep`); progress counts
    the scenarios done (`solutions_found`), a cancel keeps those done."""
    from api.executors import make_executor
    from api.services.sweep import run_sweep_job

    params = read_params(SweepParams, context.params)

    def finished(done: int) -> None:
        context.report(None, None, done, force=True)

    with Session(context.engine) as session:
        try:
            executor = make_executor(params.executor)
            return run_sweep_job(session, params, executor, finished, context.should_stop)
        except DomainError as error:  # the book changed since the request: a name is gone
            raise JobFailed(error.detail) from None
        except ExecutorUnavailable as error:
            raise JobFailed(str(error)) from None


def default_runners() -> dict[JobKind, Runner]:
    return {
        JobKind.OPTIMIZATION: run_optimization,
        JobKind.ROSTER: run_roster,
        JobKind.REPAIR: run_repair,
        JobKind.SWEEP: run_sweep,
    }
