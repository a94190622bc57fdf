"""Operating jobs: priorities, retries with back-off, cancellation, typed parameters,
one run per job with several workers."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.config import ApiSettings
from api.jobs.context import JobContext, JobFailed, Runner
from api.jobs.params import DEFAULT_PRIORITY, RosterParams, read_params
from api.jobs.runners import run_optimization
from api.jobs.worker import Worker, retry_delay
from api.main import create_app
from api.services.jobs import submit_job
from data.ops_models import JobKind, JobStatus
from tests.api.conftest import Keys
from tests.api.job_rows import job_row, wait_for
from tests.api.world import World


def _finished(engine: Engine, job_id: int) -> bool:
    return job_row(engine, job_id).status not in (JobStatus.QUEUED, JobStatus.RUNNING)


def _queue(engine: Engine, kind: JobKind, **fields: Any) -> int:
    with Session(engine) as session:
        job = submit_job(session, kind, {}, [], None)
        for name, value in fields.items():
            setattr(job, name, value)
        session.add(job)
        session.commit()
        assert job.id is not None
        return job.id


def _lost_connection() -> sa_exc.OperationalError:
    return sa_exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))


@pytest.fixture
def settings() -> ApiSettings:
    return ApiSettings(run_worker=True, worker_poll_seconds=0.02, job_stale_after_seconds=30)


def _run_worker(
    engine: Engine, settings: ApiSettings, runners: dict[JobKind, Runner], until: Callable[[], bool]
) -> None:
    worker = Worker(engine, settings, runners, retry_base_seconds=0.05)
    worker.start()
    try:
        wait_for(until)
    finally:
        worker.stop()


# ------------------------------------------------------------------ priorities


def test_a_repair_is_not_queued_behind_a_nightly_batch(
    api_engine: Engine, world: World, settings: ApiSettings
) -> None:
    ran: list[JobKind] = []

    def recording(kind: JobKind) -> Runner:
        def run(context: JobContext) -> dict[str, Any]:
            ran.append(kind)
            return {}

        return run

    # queued oldest first: the batch, then a roster, a repair and a what-if sweep
    ids = [_queue(api_engine, kind) for kind in JobKind]
    assert [job_row(api_engine, i).priority for i in ids] == [0, 50, 100, -10]
    assert DEFAULT_PRIORITY[JobKind.REPAIR] > DEFAULT_PRIORITY[JobKind.OPTIMIZATION]
    runners = {kind: recording(kind) for kind in JobKind}
    _run_worker(api_engine, settings, runners, lambda: len(ran) == 4)
    # the sweep, queued last and changing nothing, waits for every job that does
    assert ran == [JobKind.REPAIR, JobKind.ROSTER, JobKind.OPTIMIZATION, JobKind.SWEEP]


# ------------------------------------------------------------------ retries


def test_the_back_off_doubles_and_is_capped() -> None:
    assert [retry_delay(attempt, 5.0) for attempt in (1, 2, 3, 4)] == [5.0, 10.0, 20.0, 40.0]
    assert retry_delay(20, 5.0) == 300.0


def test_a_lost_database_connection_is_retried_with_a_growing_delay(
    api_engine: Engine, world: World, settings: ApiSettings
) -> None:
    seen: list[tuple[int, str | None]] = []

    def flaky(context: JobContext) -> dict[str, Any]:
        seen.append((context.attempt, job_row(api_engine, context.job_id).error))
        if context.attempt < 3:
            raise _lost_connection()
        return {"attempt": context.attempt}

    job_id = _queue(api_engine, JobKind.OPTIMIZATION)
    _run_worker(
        api_engine, settings, {JobKind.OPTIMIZATION: flaky}, lambda: _finished(api_engine, job_id)
    )
    job = job_row(api_engine, job_id)
    assert job.status is JobStatus.SUCCEEDED and job.result == {"attempt": 3}
    assert job.attempts == 3 and job.error is None
    # each retry waited twice as long as the one before (base 0.05 s)
    assert seen == [
        (1, None),
        (2, "attempt 1 of 3 failed (OperationalError); retrying in 0.05 s"),
        (3, "attempt 2 of 3 failed (OperationalError); retrying in 0.1 s"),
    ]


def test_a_job_fails_once_its_attempts_are_used_up(
    api_engine: Engine, world: World, settings: ApiSettings
) -> None:
    def always_down(context: JobContext) -> dict[str, Any]:
        raise _lost_connection()

    job_id = _queue(api_engine, JobKind.OPTIMIZATION, max_attempts=2)
    _run_worker(
        api_engine,
        settings,
        {JobKind.OPTIMIZATION: always_down},
        lambda: _finished(api_engine, job_id),
    )
    job = job_row(api_engine, job_id)
    assert job.status is JobStatus.FAILED and job.attempts == 2
    assert job.error == "internal error (OperationalError)"


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (
            JobFailed("nothing to optimise for these offices"),
            "nothing to optimise for these offices",
        ),
        (ValueError("bad data"), "internal error (ValueError)"),
    ],
)
def test_a_permanent_failure_is_not_retried(
    api_engine: Engine, world: World, settings: ApiSettings, error: Exception, message: str
) -> None:
    def failing(context: JobContext) -> dict[str, Any]:
        raise error

    job_id = _queue(api_engine, JobKind.OPTIMIZATION)
    _run_worker(
        api_engine, settings, {JobKind.OPTIMIZATION: failing}, lambda: _finished(api_engine, job_id)
    )
    job = job_row(api_engine, job_id)
    assert job.status is JobStatus.FAILED and job.attempts == 1 and job.error == message


# ------------------------------------------------------------------ typed parameters


def test_stored_parameters_that_do_not_fit_fail_the_job_naming_the_fields(
    api_engine: Engine, world: World, settings: ApiSettings
) -> None:
    job_id = _queue(api_engine, JobKind.OPTIMIZATION)  # params {}: no time limit, no date
    _run_worker(
        api_engine,
        settings,
        {JobKind.OPTIMIZATION: run_optimization},
        lambda: _finished(api_engine, job_id),
    )
    job = job_row(api_engine, job_id)
    assert job.status is JobStatus.FAILED and job.attempts == 1
    assert job.error == "the job's stored parameters are invalid: as_of, time_limit_seconds"


def test_roster_parameters_stored_before_the_newer_settings_still_load() -> None:
    # a roster job of the first API version: no `reproducible`, no `work_per_second`
    old = {
        "case_ids": [42],
        "start_date": "2026-03-02",
        "days": 28,
        "template": "3x8",
        "consultants_per_shift": 1,
        "office_ids": [2],
        "consultant_ids": [],
        "seed": 0,
        "time_limit_seconds": 20,
    }
    params = read_params(RosterParams, old)
    assert params.reproducible is True and params.work_per_second is None
    assert params.stored()["start_date"] == "2026-03-02"


# ------------------------------------------------------------------ cancellation


def test_a_queued_job_is_cancelled_at_once_and_never_runs(
    api_engine: Engine, world: World, keys: Keys, api_settings: ApiSettings, settings: ApiSettings
) -> None:
    ran: list[int] = []

    def recording(context: JobContext) -> dict[str, Any]:
        ran.append(context.job_id)
        return {}

    headers = keys.headers("team_leader_naestved")
    app = create_app(api_settings, api_engine, {JobKind.OPTIMIZATION: recording})
    with TestClient(app) as client:  # no worker: the jobs stay queued
        first = client.post("/v1/optimizations", json={}, headers=headers).json()["id"]
        second = client.post("/v1/optimizations", json={}, headers=headers).json()["id"]
        cancelled = client.post(f"/v1/jobs/{first}/cancel", headers=headers)
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert cancelled.json()["finished_at"] is not None
        again = client.post(f"/v1/jobs/{first}/cancel", headers=headers)
        assert again.status_code == 409 and "cancelled" in again.json()["detail"]
        # the same rules as seeing the job: another office's team leader may not
        foreign = client.post(f"/v1/jobs/{second}/cancel", headers=keys.headers("team_leader_kbh"))
        assert foreign.status_code == 403
        assert (
            client.get(f"/v1/jobs/{second}", headers=keys.headers("team_leader_kbh")).status_code
            == 403
        )
        assert client.post("/v1/jobs/424242/cancel", headers=headers).status_code == 404
        assert client.get(f"/v1/jobs/{second}", headers=headers).json()["kind"] == "optimization"
    # a worker comes: it runs the second job (claimed after the first, had it run)
    _run_worker(
        api_engine,
        settings,
        {JobKind.OPTIMIZATION: recording},
        lambda: _finished(api_engine, second),
    )
    assert ran == [second]
    assert job_row(api_engine, first).status is JobStatus.CANCELLED


def test_a_running_job_is_asked_to_stop_and_keeps_its_answer(
    api_engine: Engine, world: World, keys: Keys, settings: ApiSettings
) -> None:
    started = threading.Event()

    def searching(context: JobContext) -> dict[str, Any]:
        started.set()
        deadline = time.monotonic() + 30
        while not context.should_stop() and time.monotonic() < deadline:
            time.sleep(0.01)
        return {"best": 42, "stopped": context.should_stop()}

    headers = keys.headers("team_leader_naestved")
    with TestClient(create_app(settings, api_engine, {JobKind.OPTIMIZATION: searching})) as client:
        job_id = client.post("/v1/optimizations", json={}, headers=headers).json()["id"]
        assert started.wait(30)
        response = client.post(f"/v1/jobs/{job_id}/cancel", headers=headers)
        assert response.status_code == 200
        # still running: the request is passed on, the runner decides when it stops
        assert response.json()["status"] in ("running", "cancelled")
        wait_for(lambda: _finished(api_engine, job_id))
        done = client.get(f"/v1/jobs/{job_id}", headers=headers).json()
    assert done["status"] == "cancelled"
    assert done["result"] == {"best": 42, "stopped": True}


# ------------------------------------------------------------------ claims


def test_two_workers_run_each_job_exactly_once(
    api_engine: Engine, world: World, settings: ApiSettings
) -> None:
    # on PostgreSQL the claims use FOR UPDATE SKIP LOCKED, on SQLite a conditional UPDATE
    runs: list[int] = []
    lock = threading.Lock()

    def counting(context: JobContext) -> dict[str, Any]:
        with lock:
            runs.append(context.job_id)
        time.sleep(0.01)
        return {}

    ids = [_queue(api_engine, JobKind.OPTIMIZATION) for _ in range(12)]
    workers = [Worker(api_engine, settings, {JobKind.OPTIMIZATION: counting}) for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        wait_for(lambda: all(_finished(api_engine, i) for i in ids))
    finally:
        for worker in workers:
            worker.stop()
    assert sorted(runs) == sorted(ids)
    assert {job_row(api_engine, i).worker_id for i in ids} <= {w.worker_id for w in workers}
