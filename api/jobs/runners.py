"""Job runners: optimisation and roster. Filled in once the solver packages land."""

from __future__ import annotations

from typing import Any

from api.jobs.worker import JobContext, JobFailed


def run_optimization(context: JobContext) -> dict[str, Any]:
    raise JobFailed("batch re-optimisation is not available yet")


def run_roster(context: JobContext) -> dict[str, Any]:
    raise JobFailed("rostering is not available yet")
