"""Job runners: what the worker runs for each job kind."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from api.jobs.worker import JobContext


def run_optimization(context: JobContext) -> dict[str, Any]:
    """Batch re-optimisation of the job's offices (see `api.services.optimization`)."""
    from api.services.optimization import run_batch

    with Session(context.engine) as session:
        return run_batch(session, context.params, context.office_ids, context.report)


def run_roster(context: JobContext) -> dict[str, Any]:
    """Solve a roster and store it (see `api.services.rosters`)."""
    from api.services.rosters import solve_roster_job

    with Session(context.engine) as session:
        return solve_roster_job(session, context.job_id, context.params, context.report)
