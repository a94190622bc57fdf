"""Privacy: the logs of a full flow carry no personal or case fields; audit rows hold ids."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from api.config import ApiSettings
from api.main import create_app
from data.models import ConsultantLanguage, LanguageLevel
from data.ops_models import AuditEvent, Job, JobStatus
from tests.api.conftest import Keys
from tests.api.world import World

REFERENCE = "PRIVREF-77"
CASE = {
    "reference": REFERENCE,
    "municipality_code": 101,
    "lat": 55.6912,
    "lon": 12.5543,
    "intervention_type": "family_treatment",
    "hours_per_week": 5,
    "visits_per_week": 2,
    "requested_start": "2026-03-03T09:00:00",
    "cultural_countries": ["IQ"],
    "gender": "female",
    "gender_rule": "preferred",
    "languages": [
        {"person_group": "parents", "tag": "ar-IQ"},
        {"person_group": "child", "tag": "ckb"},
    ],
}

#: Strings that must never appear in a log line: the reference, the family's languages
#: (tags and names), its background, location and municipality, staff names and numbers.
SENSITIVE = [
    REFERENCE,
    "ar-IQ",
    "ckb",
    "Arabic",
    "arabisk",
    "Kurdish",
    "Sorani",
    "Iraq",
    "55.6912",
    "12.5543",
    "København",
    "Kobenhavn",
    "Testperson",
    "T-001",
    "T-002",
    "xx-??",
    "female",
]


def _wait_job(engine: Engine, job_id: int) -> Job:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with Session(engine) as session:
            job = session.get(Job, job_id)
            assert job is not None
            if job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                return job
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_logs_of_a_full_flow_carry_no_personal_data(
    api_engine: Engine, world: World, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="famplan")
    caplog.set_level(logging.INFO)  # every other logger at a production level
    settings = ApiSettings(run_worker=True, worker_poll_seconds=0.05)
    reception, admin = keys.headers("reception"), keys.headers("admin")
    with Session(api_engine) as session:
        # The child speaks Sorani: Arabic does not cover it, so c1 learns it for this flow.
        session.add(
            ConsultantLanguage(
                consultant_id=world.consultants["c1"], tag="ckb", level=LanguageLevel.FLUENT
            )
        )
        session.commit()
    with TestClient(create_app(settings, api_engine)) as client:
        case = client.post("/v1/cases", json=CASE, headers=reception)
        assert case.status_code == 201, case.text
        case_id = case.json()["id"]
        # errors along the way: a bad tag, a duplicate, an unknown id, a bad filter
        bad = {
            **CASE,
            "reference": "PRIVREF-78",
            "languages": [{"person_group": "parents", "tag": "xx-??"}],
        }
        assert client.post("/v1/cases", json=bad, headers=reception).status_code == 422
        assert client.post("/v1/cases", json=CASE, headers=reception).status_code == 409
        assert client.get("/v1/cases/99999", headers=reception).status_code == 404
        assert (
            client.get("/v1/cases", params={"language": "ar-IQ"}, headers=reception).status_code
            == 200
        )
        match = client.post(
            f"/v1/cases/{case_id}/match", json={"as_of": "2026-03-03"}, headers=reception
        )
        assert match.status_code == 200
        best = match.json()["candidates"][0]["consultant_id"]
        confirmed = client.post(
            f"/v1/cases/{case_id}/assignments",
            json={"seats": [{"consultant_id": best}], "start": "2026-03-03"},
            headers=reception,
        )
        assert confirmed.status_code == 201, confirmed.text
        job = client.post(
            "/v1/optimizations",
            json={"time_limit_seconds": 5, "as_of": "2026-03-03"},
            headers=admin,
        ).json()
        finished = _wait_job(api_engine, job["id"])
        assert finished.status is JobStatus.SUCCEEDED, finished.error
        applied = client.post(f"/v1/optimizations/{job['id']}/apply", json={}, headers=admin)
        assert applied.status_code == 200, applied.text
    # httpx logs the test client's own requests (with query strings): not the app's logs.
    lines = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any("POST /v1/cases/{case_id}/match 200" in line for line in lines), lines
    leaks = [(word, line) for line in lines for word in SENSITIVE if word in line]
    assert leaks == []
    # No free-form numbers that could be coordinates either.
    assert not [line for line in lines if re.search(r"\b5[4-7]\.\d{3,}", line)]


def test_audit_rows_hold_ids_only(
    client: TestClient, keys: Keys, world: World, api_engine: Engine
) -> None:
    case = client.post("/v1/cases", json=CASE, headers=keys.headers("reception")).json()
    client.post(
        f"/v1/cases/{case['id']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c1"]}], "start": "2026-03-03"},
        headers=keys.headers("reception"),
    )
    with Session(api_engine) as session:
        events = session.exec(select(AuditEvent)).all()
    assert events
    for event in events:
        values: list[Any] = [*event.entity_ids, *event.related_ids.values()]
        flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
        assert all(isinstance(v, int) for v in flat), event
        assert event.entity_type in {"assignment", "api_key", "roster", "case"}
