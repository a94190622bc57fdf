"""Every route × every role: allowed (neither 401 nor 403), 401 without a valid key, 403
for a role that may not call it. The expected matrix is written out here, independently
of the code; a route missing from it fails the test."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from api.auth import create_key
from data.models import Absence, AbsenceReason, FollowUp, FollowUpKind
from data.ops_models import Job, JobKind, Role, Roster
from tests.api.conftest import Keys
from tests.api.world import World

ALL = frozenset({"reception", "team_leader", "admin"})
RECEPTION = frozenset({"reception", "admin"})
PLANNER = frozenset({"team_leader", "admin"})
ADMIN = frozenset({"admin"})

#: (method, path) → roles allowed. None = public (no key needed).
MATRIX: dict[tuple[str, str], frozenset[str] | None] = {
    ("GET", "/health"): None,
    ("GET", "/v1/regions"): ALL,
    ("GET", "/v1/municipalities"): ALL,
    ("GET", "/v1/municipalities/{code}"): ALL,
    ("GET", "/v1/offices"): ALL,
    ("POST", "/v1/offices"): ADMIN,
    ("GET", "/v1/offices/{office_id}"): ALL,
    ("PATCH", "/v1/offices/{office_id}"): ADMIN,
    ("GET", "/v1/consultants"): ALL,
    ("POST", "/v1/consultants"): ADMIN,
    ("GET", "/v1/consultants/{consultant_id}"): ALL,
    ("PATCH", "/v1/consultants/{consultant_id}"): ADMIN,
    ("GET", "/v1/consultants/{consultant_id}/languages"): ALL,
    ("PUT", "/v1/consultants/{consultant_id}/languages"): ADMIN,
    ("GET", "/v1/consultants/{consultant_id}/absences"): ALL,
    ("POST", "/v1/consultants/{consultant_id}/absences"): PLANNER,
    ("DELETE", "/v1/consultants/{consultant_id}/absences/{absence_id}"): PLANNER,
    ("GET", "/v1/coordinators"): ALL,
    ("POST", "/v1/coordinators"): ADMIN,
    ("GET", "/v1/coordinators/{coordinator_id}"): ALL,
    ("PATCH", "/v1/coordinators/{coordinator_id}"): ADMIN,
    ("GET", "/v1/cases"): ALL,
    ("POST", "/v1/cases"): RECEPTION,
    ("GET", "/v1/cases/{case_id}"): ALL,
    ("PATCH", "/v1/cases/{case_id}"): RECEPTION,
    ("POST", "/v1/cases/{case_id}/end"): RECEPTION,
    ("POST", "/v1/cases/{case_id}/extend"): RECEPTION,
    ("GET", "/v1/cases/due-for-decision"): ALL,
    ("GET", "/v1/follow-ups"): PLANNER,
    ("POST", "/v1/follow-ups/{follow_up_id}/done"): PLANNER,
    ("GET", "/v1/follow-ups/coordinators/{coordinator_id}.ics"): PLANNER,
    ("GET", "/v1/cases/{case_id}/languages"): ALL,
    ("PUT", "/v1/cases/{case_id}/languages"): RECEPTION,
    ("POST", "/v1/cases/{case_id}/match"): RECEPTION,
    ("POST", "/v1/cases/{case_id}/assignments"): RECEPTION,
    ("GET", "/v1/cases/{case_id}/assignments"): ALL,
    ("GET", "/v1/assignments"): ALL,
    ("GET", "/v1/assignments/{assignment_id}"): ALL,
    ("PATCH", "/v1/assignments/{assignment_id}"): PLANNER,
    ("POST", "/v1/optimizations"): PLANNER,
    ("GET", "/v1/optimizations"): PLANNER,
    ("GET", "/v1/optimizations/{job_id}"): PLANNER,
    ("POST", "/v1/optimizations/{job_id}/apply"): PLANNER,
    ("POST", "/v1/sweeps"): ADMIN,
    ("GET", "/v1/sweeps"): ADMIN,
    ("GET", "/v1/sweeps/{job_id}"): ADMIN,
    ("POST", "/v1/rosters"): PLANNER,
    ("GET", "/v1/rosters"): PLANNER,
    ("GET", "/v1/rosters/{roster_id}.ics"): PLANNER,
    ("GET", "/v1/rosters/{roster_id}"): PLANNER,
    ("POST", "/v1/rosters/{roster_id}/publish"): PLANNER,
    ("POST", "/v1/rosters/{roster_id}/repair"): PLANNER,
    ("POST", "/v1/rosters/{roster_id}/unpublish"): PLANNER,
    ("GET", "/v1/jobs/{job_id}"): PLANNER,
    ("POST", "/v1/jobs/{job_id}/cancel"): PLANNER,
    ("GET", "/v1/kpis"): ALL,
    ("GET", "/v1/kpis/supply.png"): ALL,
    ("GET", "/v1/waiting-list"): RECEPTION,
    ("GET", "/v1/rosters/{roster_id}/grid.png"): PLANNER,
    ("GET", "/v1/keys"): ADMIN,
    ("POST", "/v1/keys"): ADMIN,
    ("POST", "/v1/keys/{key_id}/revoke"): ADMIN,
}

ROLE_KEYS = {"reception": "reception", "team_leader": "team_leader_naestved", "admin": "admin"}


def _routes(client: TestClient) -> set[tuple[str, str]]:
    """Every operation the app serves, from its OpenAPI document."""
    paths = client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, operations in paths.items() for method in operations}


@pytest.fixture
def ids(api_engine: Engine, world: World) -> dict[str, int]:
    """Ids of rows in the Næstved team leader's scope for every path parameter."""
    with Session(api_engine) as session:
        consultant = world.consultants["c3"]
        absence = Absence(
            consultant_id=consultant,
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 5, 2),
            reason=AbsenceReason.VACATION,
        )
        job = Job(kind=JobKind.OPTIMIZATION, office_ids=[world.office_naestved])
        session.add(absence)
        session.add(job)
        session.flush()
        roster = Roster(
            case_ids=[world.cases["k2"]],
            office_ids=[world.office_naestved],
            horizon_start=dt.datetime(2030, 3, 4, tzinfo=dt.UTC),
            days=7,
            template="3x8",
            job_id=job.id,
        )
        session.add(roster)
        spare, _ = create_key(session, Role.RECEPTION, label="spare")
        follow_up = FollowUp(
            case_id=world.cases["k2"],
            coordinator_id=world.coordinators["k_naestved"],
            kind=FollowUpKind.MUNICIPAL_FOLLOW_UP,
            due=dt.date(2026, 3, 16),
        )
        session.add(follow_up)
        session.commit()
        assert absence.id and job.id and roster.id and spare.id and follow_up.id
        return {
            "code": 370,
            "office_id": world.office_naestved,
            "consultant_id": consultant,
            "absence_id": absence.id,
            "coordinator_id": world.coordinators["k_naestved"],
            "case_id": world.cases["k2"],
            "assignment_id": world.assignment_k2,
            "job_id": job.id,
            "roster_id": roster.id,
            "key_id": spare.id,
            "follow_up_id": follow_up.id,
        }


def _call(
    client: TestClient, method: str, path: str, ids: dict[str, int], headers: dict[str, str]
) -> int:
    url = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
    params = {"consultant": ids["consultant_id"]} if path.endswith(".ics") else None
    body: object = [] if method == "PUT" else {}
    kwargs: dict[str, object] = {"headers": headers, "params": params}
    if method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = body
    return client.request(method, url, **kwargs).status_code  # type: ignore[arg-type]


def test_the_matrix_covers_every_route(client: TestClient) -> None:
    assert _routes(client) == set(MATRIX)


def test_every_route_by_every_role(client: TestClient, keys: Keys, ids: dict[str, int]) -> None:
    failures = []
    for (method, path), allowed in sorted(MATRIX.items()):
        if allowed is None:
            status = _call(client, method, path, ids, {})
            if status in (401, 403):
                failures.append((method, path, "public", status))
            continue
        for headers, label in (
            ({}, "no key"),
            ({"X-API-Key": "fp_nosuchkey_secret"}, "unknown key"),
            ({"Authorization": "Bearer not-a-famplan-key"}, "bad bearer"),
        ):
            status = _call(client, method, path, ids, headers)
            if status != 401:
                failures.append((method, path, label, status))
        # Forbidden roles first: their calls must change nothing the allowed ones need.
        for role in sorted(ALL - allowed):
            status = _call(client, method, path, ids, keys.headers(ROLE_KEYS[role]))
            if status != 403:
                failures.append((method, path, role, status))
        for role in sorted(allowed):
            status = _call(client, method, path, ids, keys.headers(ROLE_KEYS[role]))
            if status in (401, 403):
                failures.append((method, path, role, status))
    assert failures == []


def test_bearer_token_and_revoked_keys(client: TestClient, keys: Keys, api_engine: Engine) -> None:
    bearer = {"Authorization": f"Bearer {keys.reception}"}
    assert client.get("/v1/cases", headers=bearer).status_code == 200
    listed = client.get("/v1/keys", headers=keys.headers("admin")).json()["data"]
    reception_key = next(k for k in listed if k["label"] == "test reception")
    assert "key_hash" not in reception_key and "key" not in reception_key
    revoked = client.post(f"/v1/keys/{reception_key['id']}/revoke", headers=keys.headers("admin"))
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    after = client.get("/v1/cases", headers=bearer)
    assert after.status_code == 401
    assert after.headers["content-type"] == "application/problem+json"
    assert "WWW-Authenticate" in after.headers


def test_admin_creates_keys_shown_once(client: TestClient, keys: Keys, world: World) -> None:
    created = client.post(
        "/v1/keys",
        json={"role": "team_leader", "office_ids": [world.office_kbh], "label": "kbh planners"},
        headers=keys.headers("admin"),
    )
    assert created.status_code == 201
    key = created.json()["key"]
    assert client.get("/v1/optimizations", headers={"X-API-Key": key}).status_code == 200
    listed = client.get("/v1/keys", headers=keys.headers("admin")).text
    assert key not in listed
    unscoped = client.post("/v1/keys", json={"role": "team_leader"}, headers=keys.headers("admin"))
    assert unscoped.status_code == 422
    assert unscoped.json()["errors"][0]["field"] == "body.office_ids"
