"""Dates, numbers and text at the boundary: far dates, huge integers and NUL characters
are a 422 naming the field, never a 500, a database error without a field, or a job
that fails later.

Each request below once answered 500, was accepted and then failed inside its job, or
got a 422 reading "a value is out of range for the database" without naming the field.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from api.main import _v1_routers
from api.schemas.common import MAX_DATE, MIN_DATE, RequestModel
from tests.api.conftest import Keys
from tests.api.dognindsats import add_dognindsats
from tests.api.world import World

FAR_PAST = "0001-01-01"
FAR_FUTURE = "9999-12-31"


def _fields(response: Any) -> list[str]:
    return [error["field"] for error in response.json().get("errors", [])]


def _assert_names(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    assert field in _fields(response), response.text


#: Requested just before the tiny world's planning date (Monday 2 March 2026).
REQUESTED_2026 = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


@pytest.fixture
def dognindsats(api_engine: Engine, world: World) -> int:
    with Session(api_engine) as session:
        case_id = add_dognindsats(session, "TEST-EDGE-DOGN", REQUESTED_2026)
        session.commit()
        return case_id


def test_a_case_requested_in_year_one_is_a_422_naming_the_field(
    client: TestClient, keys: Keys
) -> None:
    body = {
        "reference": "EDGE-1",
        "municipality_code": 370,
        "intervention_type": "family_treatment",
        "hours_per_week": 4,
        "visits_per_week": 1,
        "requested_start": f"{FAR_PAST}T00:00:00",
    }
    response = client.post("/v1/cases", json=body, headers=keys.headers("reception"))
    _assert_names(response, "body.requested_start")
    late = client.post(
        "/v1/cases",
        json={**body, "requested_start": "2026-03-02T09:00:00", "expected_end": FAR_FUTURE},
        headers=keys.headers("reception"),
    )
    _assert_names(late, "body.expected_end")


@pytest.mark.parametrize("start_date", [FAR_PAST, FAR_FUTURE])
def test_a_roster_starting_at_the_edge_of_the_calendar_is_a_422(
    client: TestClient, keys: Keys, dognindsats: int, start_date: str
) -> None:
    # 0001-01-01 was a 500; 9999-12-31 was accepted and ended a draft with no shift
    response = client.post(
        "/v1/rosters",
        json={"case_ids": [dognindsats], "start_date": start_date},
        headers=keys.headers("admin"),
    )
    _assert_names(response, "body.start_date")


def test_an_optimisation_of_year_9999_is_refused_before_it_is_queued(
    client: TestClient, keys: Keys
) -> None:
    # it was accepted (202) and its job then failed with an OverflowError
    response = client.post(
        "/v1/optimizations", json={"as_of": FAR_FUTURE}, headers=keys.headers("admin")
    )
    _assert_names(response, "body.as_of")
    assert client.get("/v1/optimizations", headers=keys.headers("admin")).json()["count"] == 0


def test_a_version_beyond_the_integer_column_names_the_field(
    client: TestClient, keys: Keys, world: World
) -> None:
    case = client.patch(
        f"/v1/cases/{world.cases['k1']}",
        json={"priority": 1, "version": 2**64},
        headers=keys.headers("reception"),
    )
    _assert_names(case, "body.version")
    assignment = client.patch(
        f"/v1/assignments/{world.assignment_k2}",
        json={"version": 2**31},
        headers=keys.headers("admin"),
    )
    _assert_names(assignment, "body.version")
    confirm = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c1"], "consultant_version": 2**63}]},
        headers=keys.headers("reception"),
    )
    _assert_names(confirm, "body.seats.0.consultant_version")


def test_a_confirmation_starting_in_year_one_names_the_field(
    client: TestClient, keys: Keys, world: World
) -> None:
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/assignments",
        json={"seats": [{"consultant_id": world.consultants["c1"]}], "start": FAR_PAST},
        headers=keys.headers("reception"),
    )
    _assert_names(response, "body.start")


def test_a_match_in_year_9999_names_the_field(client: TestClient, keys: Keys, world: World) -> None:
    response = client.post(
        f"/v1/cases/{world.cases['k1']}/match",
        json={"as_of": FAR_FUTURE},
        headers=keys.headers("reception"),
    )
    _assert_names(response, "body.as_of")


def test_date_query_parameters_are_bounded(client: TestClient, keys: Keys) -> None:
    headers = keys.headers("reception")
    _assert_names(
        client.get("/v1/kpis", params={"as_of": FAR_FUTURE}, headers=headers), "query.as_of"
    )
    _assert_names(
        client.get("/v1/consultants", params={"active_on": FAR_PAST}, headers=headers),
        "query.active_on",
    )


def test_the_planning_range_is_inclusive(client: TestClient, keys: Keys, world: World) -> None:
    url = f"/v1/cases/{world.cases['k1']}"
    headers = keys.headers("reception")
    last = client.patch(url, json={"expected_end": MAX_DATE.isoformat()}, headers=headers)
    assert last.status_code == 200, last.text
    after = MAX_DATE + dt.timedelta(days=1)
    _assert_names(
        client.patch(url, json={"expected_end": after.isoformat()}, headers=headers),
        "body.expected_end",
    )
    before = MIN_DATE - dt.timedelta(days=1)
    _assert_names(
        client.get("/v1/kpis", params={"as_of": before.isoformat()}, headers=headers),
        "query.as_of",
    )


def test_a_nul_character_in_text_is_a_422_naming_the_field(client: TestClient, keys: Keys) -> None:
    # PostgreSQL cannot store it: this was "a value is out of range for the database"
    label = client.post(
        "/v1/keys", json={"role": "reception", "label": "desk\x002"}, headers=keys.headers("admin")
    )
    _assert_names(label, "body.label")
    office = client.post(
        "/v1/offices",
        json={
            "name": "Edge",
            "municipality_code": 370,
            "lat": 55.2,
            "lon": 11.7,
            "serves_regions": ["DK\x0085"],
        },
        headers=keys.headers("admin"),
    )
    _assert_names(office, "body.serves_regions")
    region = client.get(
        "/v1/offices", params={"region": "DK\x0085"}, headers=keys.headers("reception")
    )
    _assert_names(region, "query.region")


def _request_models() -> set[type[BaseModel]]:
    """Every pydantic model a route of the app reads from a request body, nested ones
    included."""
    found: set[type[BaseModel]] = set()

    def visit(annotation: Any) -> None:
        if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
            if annotation in found:
                return
            found.add(annotation)
            for field in annotation.model_fields.values():
                visit(field.annotation)
            return
        for argument in getattr(annotation, "__args__", ()):
            visit(argument)
        for meta in getattr(annotation, "__metadata__", ()):
            visit(meta)

    for router in _v1_routers():
        for route in router.routes:
            if isinstance(route, APIRoute):
                for parameter in route.dependant.body_params:
                    visit(parameter.field_info.annotation)
    return found


def test_every_request_body_model_refuses_nul_characters() -> None:
    models = _request_models()
    assert len(models) >= 15  # every create, update, confirm, repair … body
    plain = sorted(
        model.__name__
        for model in models
        if issubclass(model, SQLModel) and not issubclass(model, RequestModel)
    )
    assert plain == []
