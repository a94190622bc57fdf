"""Background jobs as the API shows them: status, progress and (when done) the result."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field
from sqlmodel import SQLModel

from api.schemas.common import with_examples
from data.ops_models import Job, JobKind, JobStatus


class JobProgress(SQLModel):
    """Solver progress: best objective so far, best bound, time spent."""

    incumbent: float | None = Field(examples=[1834.5])
    bound: float | None = Field(examples=[1840.0])
    elapsed_seconds: float | None = Field(examples=[2.4])
    solutions_found: int = Field(examples=[7])


class JobPublic(SQLModel):
    model_config = with_examples(
        {
            "id": 12,
            "kind": "optimization",
            "status": "running",
            "params": {"time_limit_seconds": 30, "seed": 0, "office_ids": [1, 2]},
            "office_ids": [1, 2],
            "progress": {
                "incumbent": 1834.5,
                "bound": 1840.0,
                "elapsed_seconds": 2.4,
                "solutions_found": 7,
            },
            "result": None,
            "error": None,
            "created_at": "2026-03-02T08:00:00Z",
            "started_at": "2026-03-02T08:00:01Z",
            "finished_at": None,
            "applied_at": None,
            "priority": 0,
            "attempts": 1,
            "max_attempts": 3,
            "run_after": None,
            "cancel_requested_at": None,
        }
    )

    id: int
    kind: JobKind
    status: JobStatus
    params: dict[str, Any]
    office_ids: list[int]
    progress: JobProgress
    result: dict[str, Any] | None
    error: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    applied_at: dt.datetime | None
    #: Claimed highest first (repairs 100, rosters 50, batch runs 0), then oldest first.
    priority: int
    #: Runs so far; a transient failure (the database went away) re-queues the job
    #: until `max_attempts`, after a growing delay (`run_after`).
    attempts: int
    max_attempts: int
    run_after: dt.datetime | None
    #: When someone asked to cancel it (the job ends `cancelled`, a solver keeps its best).
    cancel_requested_at: dt.datetime | None

    @classmethod
    def of(cls, job: Job) -> JobPublic:
        return cls.model_validate(
            {
                **job.model_dump(),
                "office_ids": job.office_ids,
                "progress": {
                    "incumbent": job.incumbent,
                    "bound": job.bound,
                    "elapsed_seconds": job.elapsed_seconds,
                    "solutions_found": job.solutions_found,
                },
            }
        )
