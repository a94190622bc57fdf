"""What a job runner gets (`JobContext`) and how it ends a job other than by returning.

Kept apart from the worker so that runners and the worker both import it, and neither
imports the other.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from data.ops_models import Job, JobStatus


class JobFailed(Exception):
    """A runner's way to fail a job with a message meant for the user (no personal data).
    Permanent: the job is not retried."""


class TransientJobError(Exception):
    """A runner's way to say "try again later" (besides a lost database connection, which
    the worker recognises by itself); the job is re-queued with a back-off."""


class JobContext:
    """What a runner gets: the job's parameters (the stored JSON; each runner validates
    them with its model in `api.jobs.params`), a database, a progress reporter and the
    cancel request (`should_stop`)."""

    def __init__(
        self,
        engine: Engine,
        job_id: int,
        params: dict[str, object],
        office_ids: list[int],
        attempt: int = 1,
    ):
        self.engine = engine
        self.job_id = job_id
        self.params = params
        self.office_ids = office_ids
        self.attempt = attempt
        self.started = time.monotonic()
        #: Set by the worker when someone asked to cancel the job (`Job.cancel_requested_at`).
        self.cancel_requested = threading.Event()
        self._last_report = 0.0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def should_stop(self) -> bool:
        """Whether the job was asked to stop; solvers poll it and keep their best answer."""
        return self.cancel_requested.is_set()

    def report(
        self,
        incumbent: float | None,
        bound: float | None,
        solutions_found: int | None = None,
        force: bool = False,
    ) -> None:
        """Record progress (throttled to two writes a second unless `force`)."""
        now = time.monotonic()
        if not force and now - self._last_report < 0.5:
            return
        self._last_report = now
        values: dict[str, object] = {
            "incumbent": incumbent,
            "bound": bound,
            "elapsed_seconds": round(self.elapsed(), 3),
        }
        if solutions_found is not None:
            values["solutions_found"] = solutions_found
        with Session(self.engine) as session:
            session.exec(
                update(Job)
                .where(col(Job.id) == self.job_id, col(Job.status) == JobStatus.RUNNING)
                .values(**values)
            )
            session.commit()


#: A runner turns a job into a JSON-able result (or raises `JobFailed`).
Runner = Callable[[JobContext], dict[str, object]]
