"""`POST /v1/sweeps`: a scenario sweep as a background job (admin only), its result, its
cancel, and bad sweep files answered 422 with the field and line at fault."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.jobs.context import JobContext
from api.jobs.runners import run_sweep
from data.ops_models import Job, JobKind, JobStatus
from tests.api.conftest import Keys
from tests.api.world import World
from tests.sweeps.files import HEADER, negative_hire

#: Five københavn consultants cannot leave: the office has two (c1, c2).
SWEEP = """\
[sweep]
time_limit = 2.0

[[scenario]]
name = "lose-kobenhavn"
description = "c1 and c2 leave: nobody else speaks Arabic"

[[scenario.change]]
kind = "lose"
office = "København"
count = 2
"""

#: The count on line 3 + 8 = 11, the office on line 10.
NEGATIVE_HIRE = HEADER + negative_hire("Næstved")


def _finished(client: TestClient, job_id: int, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(f"/v1/sweeps/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.1)
    raise AssertionError("the sweep did not finish")


def test_an_admin_runs_a_sweep_as_a_job_and_reads_each_scenario(
    worker_client: TestClient, keys: Keys
) -> None:
    client, headers = worker_client, keys.headers("admin")
    submitted = client.post(
        "/v1/sweeps", json={"scenarios": SWEEP, "executor": "inline"}, headers=headers
    )
    assert submitted.status_code == 202, submitted.text
    assert submitted.headers["Location"] == f"/v1/sweeps/{submitted.json()['id']}"
    assert submitted.json()["kind"] == "sweep" and submitted.json()["office_ids"] == []
    job = _finished(client, submitted.json()["id"], headers)
    assert job["status"] == "succeeded", job["error"]
    report = job["result"]
    assert report["executor"] == "inline" and report["cancelled"] is False
    runs = {run["name"]: run["result"] for run in report["runs"]}
    assert list(runs) == ["baseline", "lose-kobenhavn"]
    # The book as it is (tiny, proven optimal): k1 (Iraqi Arabic) gets c1 or c2, k2
    # keeps c3, so no family waits; four consultants.
    base, lose = runs["baseline"], runs["lose-kobenhavn"]
    assert base["status"] == "optimal" and base["unplaced_families"] == 0
    assert base["consultants"] == 4
    # Without c1 and c2 nobody speaks Arabic: k1 waits.
    assert lose["status"] == "optimal" and lose["unplaced_families"] == 1
    assert lose["consultants"] == 2
    # Progress counts the scenarios done.
    assert job["progress"]["solutions_found"] == 2
    listed = client.get("/v1/sweeps", headers=headers).json()
    assert listed["count"] == 1 and listed["data"][0]["id"] == job["id"]


@pytest.mark.parametrize(
    ("text", "field", "line", "words"),
    [
        (NEGATIVE_HIRE, "body.scenarios.scenario[0].change[0].count", 11, "greater than"),
        (
            NEGATIVE_HIRE.replace("count = -2", "count = 2").replace("Næstved", "Ribe"),
            "body.scenarios.scenario[0].change[0].office",
            10,
            "unknown office 'Ribe'",
        ),
        (
            SWEEP.replace("count = 2", "count = 5"),
            "body.scenarios.scenario[0].change[0]",
            8,
            "only 2 consultants match, 5 to lose",
        ),
        ("[sweep]\ntime_limit = = 1\n", "body.scenarios.file", 2, "not valid TOML"),
    ],
    ids=["negative-count", "unknown-office", "too-many-to-lose", "not-toml"],
)
def test_a_bad_sweep_file_is_a_422_naming_the_field_and_line(
    client: TestClient,
    keys: Keys,
    api_engine: Engine,
    text: str,
    field: str,
    line: int,
    words: str,
) -> None:
    answer = client.post("/v1/sweeps", json={"scenarios": text}, headers=keys.headers("admin"))
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["errors"]
    assert error["field"] == field
    assert f"line {line}" in error["message"] and words in error["message"]
    with Session(api_engine) as session:  # nothing queued
        queued = session.get(Job, 1)
        assert queued is None or queued.kind is not JobKind.SWEEP


def test_a_bad_body_is_a_422_naming_the_field(client: TestClient, keys: Keys) -> None:
    admin = keys.headers("admin")
    wrong = client.post("/v1/sweeps", json={"scenarios": SWEEP, "executor": "k8s"}, headers=admin)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "body.executor"
    empty = client.post("/v1/sweeps", json={"scenarios": ""}, headers=admin)
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "body.scenarios"


def test_reception_and_team_leaders_may_not_run_or_read_sweeps(
    client: TestClient, keys: Keys
) -> None:
    queued = client.post("/v1/sweeps", json={"scenarios": SWEEP}, headers=keys.headers("admin"))
    assert queued.status_code == 202
    job_id = queued.json()["id"]
    for role in ("reception", "team_leader_kbh", "team_leader_naestved"):
        headers = keys.headers(role)
        body = {"scenarios": SWEEP}
        assert client.post("/v1/sweeps", json=body, headers=headers).status_code == 403
        assert client.get("/v1/sweeps", headers=headers).status_code == 403
        assert client.get(f"/v1/sweeps/{job_id}", headers=headers).status_code == 403
        # nor through the jobs of any kind: a sweep covers no office of theirs
        assert client.get(f"/v1/jobs/{job_id}", headers=headers).status_code == 403
        assert client.post(f"/v1/jobs/{job_id}/cancel", headers=headers).status_code == 403


def test_a_sweep_is_cancelled_like_any_job(client: TestClient, keys: Keys) -> None:
    admin = keys.headers("admin")
    job_id = client.post("/v1/sweeps", json={"scenarios": SWEEP}, headers=admin).json()["id"]
    # no worker in this app: the job is queued, and cancelling ends it at once
    cancelled = client.post(f"/v1/jobs/{job_id}/cancel", headers=admin)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert client.get(f"/v1/sweeps/{job_id}", headers=admin).json()["status"] == "cancelled"
    # an optimisation's id is not a sweep
    other = client.post("/v1/optimizations", json={}, headers=admin).json()["id"]
    assert client.get(f"/v1/sweeps/{other}", headers=admin).status_code == 404


def test_a_running_sweep_stops_between_scenarios_and_keeps_those_done(
    api_engine: Engine, world: World, keys: Keys, client: TestClient
) -> None:
    job_id = client.post(
        "/v1/sweeps",
        json={"scenarios": SWEEP, "executor": "inline"},
        headers=keys.headers("admin"),
    ).json()["id"]
    with Session(api_engine) as session:
        job = session.get(Job, job_id)
        assert job is not None and job.status is JobStatus.QUEUED
        params = job.params
    context = JobContext(api_engine, job_id, params, [])
    done: list[int] = []
    original = context.report

    def report_then_cancel(*args: Any, **kwargs: Any) -> None:
        original(*args, **kwargs)
        done.append(1)
        context.cancel_requested.set()  # asked to stop once the baseline is done

    context.report = report_then_cancel  # type: ignore[method-assign]
    result = run_sweep(context)
    assert result["cancelled"] is True
    runs = result["runs"]
    assert isinstance(runs, list) and [run["name"] for run in runs] == ["baseline"]
    assert done == [1]
