"""Waiting on the worker in API tests: poll a condition (bounded, so a hung worker fails
the test rather than blocking it) and read a job's stored row."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.ops_models import Job


def wait_for(
    predicate: Callable[[], bool], timeout: float = 30.0, what: str = "condition not reached"
) -> None:
    """Poll `predicate` for up to `timeout` real seconds, then fail the test with `what`
    unless it holds: the test asserts the condition, the time only bounds the wait."""
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert predicate(), what


def job_row(engine: Engine, job_id: int) -> Job:
    """The job as stored now, detached from its session."""
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job
