"""Fixtures of the API tests: a database per backend, the tiny world, keys per role, a client.

Every database test runs on SQLite and, when FAMPLAN_TEST_POSTGRES_URL is set, on
PostgreSQL as well.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

import data.ops_models  # noqa: F401  (registers the API tables)
from api.auth import create_key
from api.config import ApiSettings
from api.main import create_app
from data.db import make_engine, normalize_url
from data.ops_models import Role
from tests.api.world import World, build_world

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("FAMPLAN_TEST_POSTGRES_URL") else [])


@pytest.fixture(scope="session", params=BACKENDS)
def api_engine_base(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("api") / "api.db"
        engine = make_engine(f"sqlite:///{path}")
        yield engine
        engine.dispose()
        return
    # A private database on the server, so that parallel test runs never collide.
    server = make_url(normalize_url(os.environ["FAMPLAN_TEST_POSTGRES_URL"]))
    name = f"famplan_api_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(
        server.set(database=name).render_as_string(hide_password=False), pool_size=25
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def api_engine(api_engine_base: Engine) -> Engine:
    """A fresh schema for each test."""
    SQLModel.metadata.drop_all(api_engine_base)
    SQLModel.metadata.create_all(api_engine_base)
    return api_engine_base


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
def client(api_engine: Engine, api_settings: ApiSettings, world: World) -> Iterator[TestClient]:
    app = create_app(api_settings, api_engine)
    with TestClient(app) as test_client:
        yield test_client
