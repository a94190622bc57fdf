"""The two PNG routes of the API: supply vs demand, and a roster's grid."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from api.auth import create_key
from api.config import ApiSettings
from api.main import create_app
from data.db import make_engine
from data.ops_models import Role, Roster, RosterShift, RosterStatus

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def client(writable_url: str) -> Iterator[tuple[TestClient, dict[str, str], int]]:
    """A client on the writable demo database, keys per role, and a small stored roster
    (3 shifts of case 1 by consultants 1 and 2, office 1)."""
    engine = make_engine(writable_url)
    with Session(engine) as session:
        _, admin = create_key(session, Role.ADMIN, label="reports admin")
        _, reception = create_key(session, Role.RECEPTION, label="reports reception")
        roster = Roster(
            status=RosterStatus.DRAFT,
            case_ids=[1],
            office_ids=[1],
            horizon_start=dt.datetime(2024, 1, 8, tzinfo=dt.UTC),
            days=1,
            template="3x8",
        )
        session.add(roster)
        session.flush()
        assert roster.id is not None
        for hour, code, consultant in ((6, "D", 1), (14, "E", 2), (22, "N", 1)):
            start = dt.datetime(2024, 1, 8, hour, tzinfo=dt.UTC)
            session.add(
                RosterShift(
                    roster_id=roster.id,
                    case_id=1,
                    consultant_id=consultant,
                    shift_code=code,
                    start=start,
                    end=start + dt.timedelta(hours=8),
                )
            )
        session.commit()
        roster_id = roster.id
    app = create_app(ApiSettings(run_worker=False, database_url=writable_url), engine=engine)
    with TestClient(app) as test_client:
        yield test_client, {"admin": admin, "reception": reception}, roster_id
    engine.dispose()


def test_supply_png_for_every_role(client):
    test_client, keys, _ = client
    response = test_client.get("/v1/kpis/supply.png", headers={"X-API-Key": keys["reception"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content.startswith(PNG_MAGIC) and len(response.content) > 10_000
    one_region = test_client.get(
        "/v1/kpis/supply.png",
        params={"region": "Sjælland"},
        headers={"X-API-Key": keys["admin"]},
    )
    assert one_region.status_code == 200 and one_region.content != response.content


def test_supply_png_rejects_an_unknown_region_and_anonymous_calls(client):
    test_client, keys, _ = client
    response = test_client.get(
        "/v1/kpis/supply.png",
        params={"region": "Atlantis"},
        headers={"X-API-Key": keys["admin"]},
    )
    assert response.status_code == 422
    assert "Atlantis" in response.json()["detail"]
    assert test_client.get("/v1/kpis/supply.png").status_code == 401


def test_roster_grid_png_for_planners_only(client):
    test_client, keys, roster_id = client
    response = test_client.get(
        f"/v1/rosters/{roster_id}/grid.png", headers={"X-API-Key": keys["admin"]}
    )
    assert response.status_code == 200
    assert response.content.startswith(PNG_MAGIC)
    forbidden = test_client.get(
        f"/v1/rosters/{roster_id}/grid.png", headers={"X-API-Key": keys["reception"]}
    )
    assert forbidden.status_code == 403
    missing = test_client.get("/v1/rosters/999999/grid.png", headers={"X-API-Key": keys["admin"]})
    assert missing.status_code == 404
