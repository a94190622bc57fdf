"""Need to know: every read route × role × office × field (issue 21).

Written out independently of the code:

- an admin reads everything, with coordinates (a family's `lat`/`lon`, a consultant's
  home) and absence reasons;
- reception reads every case and consultant (it places families everywhere) but no
  coordinate, no home and no absence reason;
- a team leader reads only their offices' consultants and cases (a case is an office's
  when that office's staff work on it, or, while nobody does, when the office serves its
  region), without coordinates; another office's row by id is 403, and lists omit it.

In the tiny world k1 (København municipality, open) is København's, k2 (Næstved,
staffed by c3) is Næstved's — although København serves Næstved's region too.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data.models import Absence, AbsenceReason
from data.ops_models import Job, JobKind, JobStatus, Roster
from tests.api.conftest import Keys
from tests.api.world import World

ROLES = ("admin", "reception", "team_leader_kbh", "team_leader_naestved")
#: Fields only an admin reads.
CASE_PRIVATE = {"lat", "lon"}
CONSULTANT_PRIVATE = {"home_municipality_code", "home_lat", "home_lon"}
ABSENCE_PRIVATE = {"reason"}
#: Keys no non-admin answer may hold anywhere (offices' and municipalities' coordinates
#: are public places and are left out of the scan).
NEVER_FOR_OTHERS = CASE_PRIVATE | CONSULTANT_PRIVATE
PUBLIC_PLACES = ("/v1/offices", "/v1/municipalities")


@pytest.fixture
def rows(api_engine: Engine, world: World) -> dict[str, int]:
    """An absence per office, and a Næstved roster and optimisation."""
    with Session(api_engine) as session:
        absences = {
            key: Absence(
                consultant_id=world.consultants[key],
                start=dt.date(2026, 3, 9),
                end=dt.date(2026, 3, 10),
                reason=AbsenceReason.SICK,
            )
            for key in ("c1", "c3")
        }
        job = Job(
            kind=JobKind.OPTIMIZATION,
            status=JobStatus.QUEUED,
            office_ids=[world.office_naestved],
        )
        session.add_all([*absences.values(), job])
        session.flush()
        roster = Roster(
            case_ids=[world.cases["k2"]],
            office_ids=[world.office_naestved],
            horizon_start=dt.datetime(2026, 3, 9, tzinfo=dt.UTC),
            days=7,
            template="3x8",
            job_id=job.id,
        )
        session.add(roster)
        session.commit()
        assert job.id and roster.id
        return {"job": job.id, "roster": roster.id}


def _visible(world: World, role: str) -> tuple[set[int], set[int]]:
    """(case ids, consultant ids) the role reads."""
    c, k = world.consultants, world.cases
    if role == "team_leader_kbh":
        return {k["k1"]}, {c["c1"], c["c2"]}
    if role == "team_leader_naestved":
        return {k["k2"]}, {c["c3"], c["c4"]}
    return set(k.values()), set(c.values())


def _get(client: TestClient, keys: Keys, role: str, url: str, **params: Any) -> Any:
    return client.get(url, headers=keys.headers(role), params=params or None)


@pytest.mark.parametrize("role", ROLES)
def test_cases_by_role_office_and_field(
    client: TestClient, keys: Keys, world: World, role: str
) -> None:
    cases, _ = _visible(world, role)
    admin_fields = set(_get(client, keys, "admin", f"/v1/cases/{world.cases['k1']}").json())
    assert admin_fields >= CASE_PRIVATE
    expected_fields = admin_fields if role == "admin" else admin_fields - CASE_PRIVATE

    listed = _get(client, keys, role, "/v1/cases").json()
    assert {row["id"] for row in listed["data"]} == cases and listed["count"] == len(cases)
    assert all(set(row) == expected_fields for row in listed["data"])
    for key, case_id in world.cases.items():
        for url in (
            f"/v1/cases/{case_id}",
            f"/v1/cases/{case_id}/languages",
            f"/v1/cases/{case_id}/assignments",
        ):
            response = _get(client, keys, role, url)
            assert response.status_code == (200 if case_id in cases else 403), (key, url)
        detail = _get(client, keys, role, f"/v1/cases/{case_id}")
        if case_id in cases:
            assert set(detail.json()) == expected_fields


@pytest.mark.parametrize("role", ROLES)
def test_consultants_and_absences_by_role_office_and_field(
    client: TestClient, keys: Keys, world: World, rows: dict[str, int], role: str
) -> None:
    _, consultants = _visible(world, role)
    c1 = world.consultants["c1"]
    admin_fields = set(_get(client, keys, "admin", f"/v1/consultants/{c1}").json())
    assert admin_fields >= CONSULTANT_PRIVATE
    expected = admin_fields if role == "admin" else admin_fields - CONSULTANT_PRIVATE

    listed = _get(client, keys, role, "/v1/consultants").json()
    assert {row["id"] for row in listed["data"]} == consultants
    assert listed["count"] == len(consultants)
    assert all(set(row) == expected for row in listed["data"])
    # The filters cannot reach past the scope either.
    other_office = _get(client, keys, role, "/v1/consultants", office_id=world.office_naestved)
    assert {row["id"] for row in other_office.json()["data"]} == consultants & {
        world.consultants["c3"],
        world.consultants["c4"],
    }
    for consultant_id in world.consultants.values():
        mine = consultant_id in consultants
        for url in (
            f"/v1/consultants/{consultant_id}",
            f"/v1/consultants/{consultant_id}/languages",
            f"/v1/consultants/{consultant_id}/absences",
        ):
            assert _get(client, keys, role, url).status_code == (200 if mine else 403), url
        if not mine:
            continue
        assert set(_get(client, keys, role, f"/v1/consultants/{consultant_id}").json()) == expected
        absences = _get(client, keys, role, f"/v1/consultants/{consultant_id}/absences").json()
        for absence in absences["data"]:
            assert {"start", "end"} <= set(absence)
            # Reception learns the consultant is absent, not why.
            assert (set(absence) >= ABSENCE_PRIVATE) is (role != "reception")
            if role != "reception":
                assert absence["reason"] == "sick"


@pytest.mark.parametrize("role", ROLES)
def test_assignments_by_role_and_office(
    client: TestClient, keys: Keys, world: World, role: str
) -> None:
    cases, _ = _visible(world, role)
    sees_k2 = world.cases["k2"] in cases
    listed = _get(client, keys, role, "/v1/assignments").json()
    assert {row["id"] for row in listed["data"]} == ({world.assignment_k2} if sees_k2 else set())
    detail = _get(client, keys, role, f"/v1/assignments/{world.assignment_k2}")
    assert detail.status_code == (200 if sees_k2 else 403)
    by_consultant = _get(
        client, keys, role, "/v1/assignments", consultant_id=world.consultants["c3"]
    ).json()
    assert by_consultant["count"] == (1 if sees_k2 else 0)


@pytest.mark.parametrize("role", ROLES)
def test_rosters_and_jobs_by_role_and_office(
    client: TestClient, keys: Keys, world: World, rows: dict[str, int], role: str
) -> None:
    roster, job = rows["roster"], rows["job"]
    allowed = {"admin": 200, "reception": 403, "team_leader_kbh": 403}.get(role, 200)
    for url, params in (
        (f"/v1/rosters/{roster}", {}),
        (f"/v1/rosters/{roster}.ics", {"consultant": world.consultants["c3"]}),
        (f"/v1/rosters/{roster}/grid.png", {}),
        (f"/v1/optimizations/{job}", {}),
        (f"/v1/jobs/{job}", {}),
    ):
        status = _get(client, keys, role, url, **params).status_code
        # The roster has no shifts: its calendar for c3 is empty but allowed (c3 is not
        # on its team, so 404 is the allowed answer there).
        if url.endswith(".ics") and allowed == 200:
            assert status in (200, 404), url
        else:
            assert status == allowed, (url, status)
    for url, row_id in (("/v1/rosters", roster), ("/v1/optimizations", job)):
        listed = _get(client, keys, role, url)
        if role == "reception":
            assert listed.status_code == 403
        else:
            ids = {row["id"] for row in listed.json()["data"]}
            assert (row_id in ids) is (role != "team_leader_kbh"), url


def _keys_in(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys_in(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys_in(v)}
    return set()


@pytest.mark.parametrize("role", ROLES[1:])
def test_no_read_route_returns_coordinates_to_anyone_but_an_admin(
    client: TestClient, keys: Keys, world: World, rows: dict[str, int], role: str
) -> None:
    """Every GET route of the OpenAPI document, with ids of both offices: no answer to a
    non-admin holds a coordinate or a home field (nor, for reception, a reason)."""
    ids = {
        "case_id": list(world.cases.values()),
        "consultant_id": list(world.consultants.values()),
        "coordinator_id": list(world.coordinators.values()),
        "assignment_id": [world.assignment_k2],
        "roster_id": [rows["roster"]],
        "job_id": [rows["job"]],
        "office_id": [world.office_kbh, world.office_naestved],
        "code": [101, 370],
        "key_id": [1],
    }
    paths = client.get("/openapi.json").json()["paths"]
    checked = 0
    for path, operations in sorted(paths.items()):
        if "get" not in operations or path.startswith(PUBLIC_PLACES) or path == "/health":
            continue
        names = re.findall(r"\{(\w+)\}", path)
        urls = [path]
        for name in names:
            urls = [url.replace(f"{{{name}}}", str(i)) for url in urls for i in ids[name]]
        for url in urls:
            params = {"consultant": world.consultants["c3"]} if url.endswith(".ics") else None
            response = client.get(url, headers=keys.headers(role), params=params)
            assert response.status_code < 500, url
            if response.headers.get("content-type", "").startswith("application/json"):
                leaked = _keys_in(response.json()) & NEVER_FOR_OTHERS
                if role == "reception":
                    leaked |= _keys_in(response.json()) & ABSENCE_PRIVATE
                assert not leaked, (url, leaked)
                checked += 1
    assert checked >= 15  # answers with a body (403s are problem documents)
