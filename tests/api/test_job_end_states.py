"""Jobs end in one of a documented set of states with a reason, and a dead worker's job
is failed once its heartbeat is older than the limit (the tests say when the sweep looks:
no test waits on the clock for it; how fast it happens in practice is a benchmark figure)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from api.config import ApiSettings
from api.jobs.context import JobContext, JobFailed
from api.jobs.worker import (
    END_STATES,
    Worker,
    claim,
    end_reason,
    fail_orphaned_jobs,
    heartbeat_lost_after,
    sweep_interval,
)
from api.services.jobs import cancel_job
from data.ops_models import Job, JobKind, JobStatus
from tests.api.job_rows import job_row, wait_for
from tests.api.world import World

#: The heartbeat timeout of these tests (seconds).
TIMEOUT = 4.0


@pytest.fixture
def settings() -> ApiSettings:
    return ApiSettings(run_worker=True, worker_poll_seconds=0.05, job_stale_after_seconds=TIMEOUT)


def _submit(engine: Engine, behaviour: str) -> int:
    with Session(engine) as session:
        job = Job(kind=JobKind.OPTIMIZATION, params={"behaviour": behaviour})
        session.add(job)
        session.commit()
        assert job.id is not None
        return job.id


class Behaviours:
    """A fake runner whose behaviour each job chooses in its parameters."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started: set[int] = set()

    def __call__(self, context: JobContext) -> dict[str, Any]:
        self.started.add(context.job_id)
        behaviour = context.params["behaviour"]
        if behaviour == "succeed":
            return {"objective": 1.0}
        if behaviour == "refuse":
            raise JobFailed("the working-time rules cannot all hold")
        if behaviour == "crash":
            raise RuntimeError("a bug, with a personal value in its message")
        # "block": until cancelled (keeps its best answer) or released
        while not (context.should_stop() or self.release.is_set()):
            time.sleep(0.01)
        return {"objective": 0.5, "best_so_far": True}


@pytest.fixture
def behaviours() -> Iterator[Behaviours]:
    runner = Behaviours()
    yield runner
    runner.release.set()  # no runner thread outlives its test


#: A dead worker's last heartbeat (the tests say when the sweep looks, relative to it).
LAST_BEAT = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


def _claimed_by_a_dead_worker(engine: Engine, last_beat: dt.datetime) -> int:
    """A running job whose worker died after its heartbeat at `last_beat`: claimed,
    then never beaten again, and nobody marked it."""
    job_id = _submit(engine, "block")
    with Session(engine) as session:
        assert claim(session, job_id, "a-worker-that-died")
        session.exec(update(Job).where(col(Job.id) == job_id).values(heartbeat_at=last_beat))
        session.commit()
    return job_id


def test_a_dead_workers_job_is_failed_once_its_heartbeat_is_older_than_the_limit(
    api_engine: Engine, world: World, settings: ApiSettings
) -> None:
    job_id = _claimed_by_a_dead_worker(api_engine, LAST_BEAT)
    lost_after = dt.timedelta(seconds=heartbeat_lost_after(settings))  # 2 s of TIMEOUT
    # does not fire: a sweep just before the limit still takes the worker for alive
    just_before = LAST_BEAT + lost_after - dt.timedelta(milliseconds=10)
    assert fail_orphaned_jobs(api_engine, lost_after.total_seconds(), now=just_before) == []
    assert job_row(api_engine, job_id).status is JobStatus.RUNNING
    # fires: the first sweep after the limit fails the job, with the reason
    just_after = LAST_BEAT + lost_after + dt.timedelta(milliseconds=10)
    assert fail_orphaned_jobs(api_engine, lost_after.total_seconds(), now=just_after) == [job_id]
    failed = job_row(api_engine, job_id)
    assert failed.status is JobStatus.FAILED
    assert "heartbeat" in (failed.error or "") and failed.finished_at is not None
    # a failed job is not failed again
    assert fail_orphaned_jobs(api_engine, 0, now=just_after + lost_after) == []


def test_the_sweep_fails_a_dead_workers_job_within_the_heartbeat_timeout() -> None:
    # A worker sweeps every `sweep_interval` and takes a heartbeat older than
    # `heartbeat_lost_after` as lost, so a dead worker's job is failed at the latest
    # lost_after + interval after its last beat; a live worker beats every poll, well
    # within lost_after. (How long it takes in practice is a benchmark figure.)
    for timeout in (TIMEOUT, 2.0, 60.0, 300.0):
        settings = ApiSettings(job_stale_after_seconds=timeout, worker_poll_seconds=timeout / 4)
        lost_after = heartbeat_lost_after(settings)
        assert lost_after + sweep_interval(settings) <= settings.job_stale_after_seconds
        assert settings.worker_poll_seconds < lost_after


def test_a_starting_worker_fails_the_jobs_its_dead_predecessor_left_running(
    api_engine: Engine, world: World, settings: ApiSettings, behaviours: Behaviours
) -> None:
    # the last beat long before now (also under time travel to 2030): stale at once
    job_id = _claimed_by_a_dead_worker(api_engine, dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    survivor = Worker(api_engine, settings, {JobKind.OPTIMIZATION: behaviours})
    survivor.start()
    try:
        wait_for(lambda: job_row(api_engine, job_id).status is not JobStatus.RUNNING)
    finally:
        survivor.stop()
    failed = job_row(api_engine, job_id)
    assert failed.status is JobStatus.FAILED and "heartbeat" in (failed.error or "")
    assert job_id not in behaviours.started  # failed, not run again


def _heartbeat(engine: Engine, job_id: int) -> dt.datetime:
    beat = job_row(engine, job_id).heartbeat_at
    assert beat is not None
    # SQLite hands back naive datetimes; every stored time is UTC
    return beat.replace(tzinfo=dt.UTC) if beat.tzinfo is None else beat


def test_a_live_workers_long_job_is_not_taken_for_dead(
    api_engine: Engine, world: World, settings: ApiSettings, behaviours: Behaviours
) -> None:
    # A job that runs longer than the timeout: its worker's beats move its heartbeat on,
    # so a sweep that looks more than the limit after the job's first beat (the time
    # given to it, as the sweep's clock) takes it for alive and leaves it running.
    job_id = _submit(api_engine, "block")
    worker = Worker(api_engine, settings, {JobKind.OPTIMIZATION: behaviours})
    worker.start()
    try:
        wait_for(lambda: job_id in behaviours.started)
        first_beat = _heartbeat(api_engine, job_id)
        wait_for(lambda: _heartbeat(api_engine, job_id) > first_beat)  # a beat every poll
        later_beat = _heartbeat(api_engine, job_id)
        lost_after = dt.timedelta(seconds=heartbeat_lost_after(settings))
        # past the first beat's limit (that beat alone would be taken as lost), within
        # the later one's
        look = later_beat + lost_after - (later_beat - first_beat) / 2
        assert look - first_beat > lost_after
        assert fail_orphaned_jobs(api_engine, lost_after.total_seconds(), now=look) == []
        assert job_row(api_engine, job_id).status is JobStatus.RUNNING
        behaviours.release.set()
        wait_for(lambda: job_row(api_engine, job_id).status is JobStatus.SUCCEEDED)
    finally:
        worker.stop()


def test_every_job_ends_in_a_documented_state_with_a_reason(
    api_engine: Engine, world: World, settings: ApiSettings, behaviours: Behaviours
) -> None:
    ids = {name: _submit(api_engine, name) for name in ("succeed", "refuse", "crash")}
    ids["cancel_running"] = _submit(api_engine, "block")
    worker = Worker(api_engine, settings, {JobKind.OPTIMIZATION: behaviours})
    worker.start()
    try:
        wait_for(lambda: ids["cancel_running"] in behaviours.started)
        with Session(api_engine) as session:
            running = session.get(Job, ids["cancel_running"])
            assert running is not None
            cancel_job(session, running, worker.wake)
        wait_for(lambda: job_row(api_engine, ids["cancel_running"]).status in END_STATES)
        ids["cancel_queued"] = _submit(api_engine, "block")
        with Session(api_engine) as session:
            queued = session.get(Job, ids["cancel_queued"])
            assert queued is not None
            cancel_job(session, queued)  # possibly claimed meanwhile: then cancelled running
        ids["stopped"] = _submit(api_engine, "block")
        worker.wake()
        wait_for(lambda: ids["stopped"] in behaviours.started)
        wait_for(
            lambda: all(
                job_row(api_engine, ids[n]).status in END_STATES for n in ids if n != "stopped"
            )
        )
    finally:
        worker.stop(timeout=0.5)  # the API stops while "stopped" runs
    jobs = {name: job_row(api_engine, job_id) for name, job_id in ids.items()}
    for name, job in jobs.items():
        assert job.status in END_STATES, name
        assert end_reason(job), name
        assert job.finished_at is not None, name
        if job.status is JobStatus.FAILED:
            assert job.error, name
    assert {name: job.status for name, job in jobs.items()} == {
        "succeed": JobStatus.SUCCEEDED,
        "refuse": JobStatus.FAILED,
        "crash": JobStatus.FAILED,
        "cancel_running": JobStatus.CANCELLED,
        "cancel_queued": JobStatus.CANCELLED,
        "stopped": JobStatus.FAILED,
    }
    assert jobs["refuse"].error == "the working-time rules cannot all hold"
    assert jobs["crash"].error == "internal error (RuntimeError)"  # never the message
    assert jobs["cancel_running"].result == {"objective": 0.5, "best_so_far": True}
    assert "best answer" in (end_reason(jobs["cancel_running"]) or "")
    assert "stopped" in (jobs["stopped"].error or "")


def test_the_poll_must_fit_four_times_in_the_heartbeat_timeout() -> None:
    with pytest.raises(ValidationError, match="four times"):
        ApiSettings(worker_poll_seconds=1.0, job_stale_after_seconds=2.0)
    assert ApiSettings(worker_poll_seconds=0.5, job_stale_after_seconds=2.0)
