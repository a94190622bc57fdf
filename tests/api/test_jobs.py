"""The job worker: runs queued jobs, reports progress, survives restarts, fails orphans."""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.config import ApiSettings
from api.jobs.context import JobContext, JobFailed, Runner
from api.jobs.worker import Worker, fail_orphaned_jobs
from api.main import create_app
from data.ops_models import Job, JobKind, JobStatus, utcnow
from tests.api.conftest import Keys
from tests.api.job_rows import job_row, wait_for
from tests.api.world import World


def _has_failed(engine: Engine, job_id: int) -> bool:
    return job_row(engine, job_id).status is JobStatus.FAILED


def fake_optimization(context: JobContext) -> dict[str, Any]:
    context.report(incumbent=10.0, bound=12.0, solutions_found=1, force=True)
    return {"status": "optimal", "objective": 12.0, "echo_seed": context.params["seed"]}


@pytest.fixture
def worker_settings() -> ApiSettings:
    return ApiSettings(run_worker=True, worker_poll_seconds=0.05, job_stale_after_seconds=2)


def _client(engine: Engine, settings: ApiSettings, runner: Runner) -> TestClient:
    return TestClient(create_app(settings, engine, {JobKind.OPTIMIZATION: runner}))


def test_optimization_job_runs_in_the_background_and_reports_its_result(
    api_engine: Engine, world: World, keys: Keys, worker_settings: ApiSettings
) -> None:
    with _client(api_engine, worker_settings, fake_optimization) as client:
        response = client.post(
            "/v1/optimizations", json={"seed": 7}, headers=keys.headers("team_leader_naestved")
        )
        assert response.status_code == 202, response.text
        job = response.json()
        assert job["status"] == "queued"
        assert job["office_ids"] == [world.office_naestved]  # the team leader's own office
        assert response.headers["location"] == f"/v1/optimizations/{job['id']}"
        wait_for(lambda: job_row(api_engine, job["id"]).status is JobStatus.SUCCEEDED)
        done = client.get(
            f"/v1/optimizations/{job['id']}", headers=keys.headers("team_leader_naestved")
        ).json()
    assert done["result"] == {"status": "optimal", "objective": 12.0, "echo_seed": 7}
    assert done["progress"]["incumbent"] == 10.0 and done["progress"]["bound"] == 12.0
    assert done["started_at"] is not None and done["finished_at"] is not None


def test_team_leader_cannot_see_or_start_jobs_of_other_offices(
    api_engine: Engine, world: World, keys: Keys, api_settings: ApiSettings
) -> None:
    with _client(api_engine, api_settings, fake_optimization) as client:
        admin_job = client.post("/v1/optimizations", json={}, headers=keys.headers("admin")).json()
        assert len(admin_job["office_ids"]) == 6  # an admin plans for every office
        other = client.get(
            f"/v1/optimizations/{admin_job['id']}", headers=keys.headers("team_leader_kbh")
        )
        assert other.status_code == 403
        foreign = client.post(
            "/v1/optimizations",
            json={"office_ids": [world.office_naestved]},
            headers=keys.headers("team_leader_kbh"),
        )
        assert foreign.status_code == 403
        listed = client.get("/v1/optimizations", headers=keys.headers("team_leader_kbh")).json()
        assert listed["count"] == 0
        unknown = client.post(
            "/v1/optimizations", json={"office_ids": [999]}, headers=keys.headers("admin")
        )
        assert unknown.status_code == 422
        assert unknown.json()["errors"][0]["field"] == "body.office_ids.0"


def test_a_queued_job_survives_a_restart(
    api_engine: Engine,
    world: World,
    keys: Keys,
    api_settings: ApiSettings,
    worker_settings: ApiSettings,
) -> None:
    # First "process": no worker; the job is only queued.
    with _client(api_engine, api_settings, fake_optimization) as client:
        job_id = client.post("/v1/optimizations", json={}, headers=keys.headers("admin")).json()[
            "id"
        ]
    assert job_row(api_engine, job_id).status is JobStatus.QUEUED
    # The API restarts with a worker: the job runs.
    with _client(api_engine, worker_settings, fake_optimization):
        wait_for(lambda: job_row(api_engine, job_id).status is JobStatus.SUCCEEDED)


def test_a_job_left_running_by_a_dead_worker_is_marked_failed_on_startup(
    api_engine: Engine, world: World, worker_settings: ApiSettings
) -> None:
    with Session(api_engine) as session:
        stale = Job(
            kind=JobKind.OPTIMIZATION,
            status=JobStatus.RUNNING,
            worker_id="dead-worker",
            started_at=utcnow() - dt.timedelta(minutes=10),
            heartbeat_at=utcnow() - dt.timedelta(minutes=9),
        )
        fresh = Job(
            kind=JobKind.OPTIMIZATION,
            status=JobStatus.RUNNING,
            worker_id="live-worker",
            started_at=utcnow(),
            heartbeat_at=utcnow(),
        )
        session.add(stale)
        session.add(fresh)
        session.commit()
        stale_id, fresh_id = stale.id, fresh.id
    assert stale_id is not None and fresh_id is not None
    worker = Worker(api_engine, worker_settings, {JobKind.OPTIMIZATION: fake_optimization})
    worker.start()
    try:
        failed = job_row(api_engine, stale_id)
        assert failed.status is JobStatus.FAILED and "heartbeat" in (failed.error or "")
        # A job whose worker is alive (recent heartbeat) is left alone …
        assert job_row(api_engine, fresh_id).status is JobStatus.RUNNING
        # … until its heartbeat goes stale too (nobody beats for "live-worker" here).
        wait_for(lambda: job_row(api_engine, fresh_id).status is JobStatus.FAILED)
    finally:
        worker.stop()


def test_runner_errors_fail_the_job_without_leaking_the_message(
    api_engine: Engine, world: World, worker_settings: ApiSettings
) -> None:
    def crashing(context: JobContext) -> dict[str, Any]:
        raise RuntimeError("secret detail from case TEST-K1")

    def refusing(context: JobContext) -> dict[str, Any]:
        raise JobFailed("nothing to optimise for these offices")

    for runner, expected in (
        (crashing, "internal error (RuntimeError)"),
        (refusing, "nothing to optimise for these offices"),
    ):
        with Session(api_engine) as session:
            job = Job(kind=JobKind.OPTIMIZATION)
            session.add(job)
            session.commit()
            job_id = job.id
        assert job_id is not None
        worker = Worker(api_engine, worker_settings, {JobKind.OPTIMIZATION: runner})
        worker.start()
        try:
            wait_for(functools.partial(_has_failed, api_engine, job_id))
        finally:
            worker.stop()
        assert job_row(api_engine, job_id).error == expected


def test_stopping_the_worker_fails_its_unfinished_job(
    api_engine: Engine, world: World, worker_settings: ApiSettings
) -> None:
    release = threading.Event()

    def slow(context: JobContext) -> dict[str, Any]:
        release.wait(10)
        return {"late": True}

    with Session(api_engine) as session:
        job = Job(kind=JobKind.OPTIMIZATION)
        session.add(job)
        session.commit()
        job_id = job.id
    assert job_id is not None
    worker = Worker(api_engine, worker_settings, {JobKind.OPTIMIZATION: slow})
    worker.start()
    wait_for(lambda: job_row(api_engine, job_id).status is JobStatus.RUNNING)
    worker.stop(timeout=0.2)
    release.set()
    time.sleep(0.2)  # let the released runner try to finish: it must not overwrite
    stopped = job_row(api_engine, job_id)
    assert stopped.status is JobStatus.FAILED and stopped.result is None


def test_fail_orphaned_jobs_ignores_finished_jobs(api_engine: Engine, world: World) -> None:
    with Session(api_engine) as session:
        done = Job(kind=JobKind.OPTIMIZATION, status=JobStatus.SUCCEEDED, heartbeat_at=None)
        session.add(done)
        session.commit()
        done_id = done.id
    assert fail_orphaned_jobs(api_engine, 0) == []
    assert done_id is not None and job_row(api_engine, done_id).status is JobStatus.SUCCEEDED
