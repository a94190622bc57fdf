"""Fixtures of the API tests: a database per backend, the tiny world, keys per role, a client.

The databases come from tests/conftest.py: migrated with Alembic (0001_domain and
0002_api) on SQLite and, when FAMPLAN_TEST_POSTGRES_URL is set, on PostgreSQL as well.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data.ops_models  # noqa: F401  (registers the API tables)
from api.auth import create_key
from api.config import ApiSettings
from api.main import create_app
from data.ops_models import Role
from tests.api.world import World, build_world


@pytest.fixture
def api_engine(engine: Engine) -> Engine:
    """A migrated database (tests/conftest.py) with reference data; emptied after the test."""
    return engine


@pytest.fixture
def world(api_engine: Engine) -> World:
    with Session(api_engine) as session:
        return build_world(session)


@dataclass
class Keys:
    admin: str
    reception: str
    team_leader_kbh: str
    team_leader_naestved: str

    def headers(self, role: str) -> dict[str, str]:
        return {"X-API-Key": getattr(self, role)}


@pytest.fixture
def keys(api_engine: Engine, world: World) -> Keys:
    with Session(api_engine) as session:
        _, admin = create_key(session, Role.ADMIN, label="test admin")
        _, reception = create_key(session, Role.RECEPTION, label="test reception")
        _, leader_kbh = create_key(session, Role.TEAM_LEADER, [world.office_kbh], "test tl kbh")
        _, leader_nae = create_key(
            session, Role.TEAM_LEADER, [world.office_naestved], "test tl nae"
        )
        session.commit()
    return Keys(admin, reception, leader_kbh, leader_nae)


@pytest.fixture
def api_settings() -> ApiSettings:
    return ApiSettings(run_worker=False, worker_poll_seconds=0.05, job_stale_after_seconds=2)


@pytest.fixture
def worker_client(api_engine: Engine, world: World) -> Iterator[TestClient]:
    """A client of an app whose worker runs the queued jobs (rosters, optimisations, sweeps)."""
    settings = ApiSettings(run_worker=True, worker_poll_seconds=0.05)
    with TestClient(create_app(settings, api_engine)) as test_client:
        yield test_client


@pytest.fixture
def client(api_engine: Engine, api_settings: ApiSettings, world: World) -> Iterator[TestClient]:
    app = create_app(api_settings, api_engine)
    with TestClient(app) as test_client:
        yield test_client
