"""Job runners: what the worker runs for each job kind."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.jobs.worker import JobContext


def run_optimization(context: JobContext) -> dict[str, Any]:
    """Batch re-optimisation of the job's offices (see `api.services.optimization`)."""
    from api.services.optimization import run_batch

    def report(incumbent: float | None, bound: float | None, solutions: int | None) -> None:
        context.report(incumbent, bound, solutions)

    with Session(context.engine) as session:
        result = run_batch(session, context.params, context.office_ids, report)
    # The final figures, whatever the throttle swallowed of the last callbacks.
    context.report(result["objective"], result["bound"], None, force=True)
    return result


def run_roster(context: JobContext) -> dict[str, Any]:
    """Solve a roster and store it (see `api.services.rosters`)."""
    from api.services.rosters import solve_roster_job

    def report(incumbent: float | None, bound: float | None, solutions: int | None) -> None:
        context.report(incumbent, bound, solutions)

    with Session(context.engine) as session:
        result = solve_roster_job(session, context.job_id, context.params, report)
    context.report(result["objective"], result["bound"], None, force=True)
    return result
