"""Shared database fixtures: every database test runs on each configured backend.

Backends: SQLite (a temporary file) always; PostgreSQL as well when the environment
variable ``FAMPLAN_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it to
``postgresql+psycopg://postgres@127.0.0.1:5432/test``). Several people run tests against
that server at once, so each pytest session creates its **own** databases
(``famplan_test_<random>``) through an AUTOCOMMIT connection to the given URL, migrates
them with Alembic (the production path, `data.migrate.upgrade`), and drops them
``WITH (FORCE)`` at the end. The given database itself is never written to.

Fixtures for other test packages (all parametrized over the backends; the test id
shows ``[sqlite]`` / ``[postgresql]``):

``backend``        "sqlite" or "postgresql".
``db_url``         URL of a migrated database holding the reference data (regions,
                   municipalities, offices) and no business data (session scope).
``engine``         an Engine on ``db_url``. Function scope: after each test every
                   business table is emptied again, so tests may write freely.
``session``        a `sqlmodel.Session` on ``engine`` (closed after the test).
``seeded_url``     URL of a second migrated database with the demo book of business
                   (``data.seed.load_demo(seed=42, scale=1)``) loaded once per session.
``seeded_engine``  an Engine on it. Shared by every test of the session: do NOT commit
                   to it; to experiment, use ``seeded_session``, which runs inside a
                   transaction that is rolled back at the end.
``new_database``   a factory ``new_database(label) -> url`` for an extra, fresh, empty
                   (not migrated) database on the current backend, dropped at the end.

Every test using one of these gets the ``db`` marker automatically
(``pytest -m db`` / ``-m "not db"``).

The clock-travel check: with the environment variable ``FAMPLAN_TEST_TRAVEL`` set to an
ISO date-time (``make test-travel`` sets ``2030-06-01T12:00:00+00:00``), the whole session
runs inside ``time_machine.travel(value, tick=True)``: the clock starts there and goes on
ticking. No test may depend on the real date, so the suite must pass there too.
``FAMPLAN_AS_OF`` is removed from the environment for the session: the tests set their
planning date themselves (the world's and the demo book's recorded dates, explicit dates).
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, delete, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from data.db import make_engine, normalize_url
from tests.demo_book import demo_book_url

POSTGRES_ENV = "FAMPLAN_TEST_POSTGRES_URL"
TRAVEL_ENV = "FAMPLAN_TEST_TRAVEL"
_TRAVEL = pytest.StashKey[time_machine.travel]()
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get(POSTGRES_ENV) else [])

#: Tables that `data.migrate.upgrade` fills and that tests must leave alone.
REFERENCE_TABLES = frozenset({"region", "municipality", "office", "alembic_version"})

DB_FIXTURES = frozenset(
    {
        "backend",
        "db_url",
        "engine",
        "session",
        "seeded_url",
        "seeded_engine",
        "seeded_session",
        "new_database",
    },
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "db: test runs against every configured database backend")
    os.environ.pop("FAMPLAN_AS_OF", None)
    destination = travel_destination()
    if destination is not None:
        # Started before collection, so module-level code sees the moved clock as well.
        traveller = time_machine.travel(destination, tick=True)
        traveller.start()
        config.stash[_TRAVEL] = traveller


def pytest_unconfigure(config: pytest.Config) -> None:
    traveller = config.stash.get(_TRAVEL, None)
    if traveller is not None:
        traveller.stop()


def pytest_report_header() -> str | None:
    destination = travel_destination()
    return (
        None if destination is None else f"clock moved to {destination.isoformat()} ({TRAVEL_ENV})"
    )


def travel_destination() -> dt.datetime | None:
    """Where ``FAMPLAN_TEST_TRAVEL`` moves the clock (None: the real clock)."""
    value = os.environ.get(TRAVEL_ENV)
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise pytest.UsageError(f"{TRAVEL_ENV}={value}: give an offset, e.g. +00:00")
    return moment


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if DB_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.db)


# ------------------------------------------------------------------ databases


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def new_database(
    backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[str], str]]:
    """Factory of fresh, empty databases on `backend`; all are dropped at session end."""
    created: list[str] = []
    admin: Engine | None = None
    if backend == "postgresql":
        admin = create_engine(normalize_url(os.environ[POSTGRES_ENV]), isolation_level="AUTOCOMMIT")

    def create(label: str) -> str:
        if backend == "sqlite":
            path: Path = tmp_path_factory.mktemp(label) / f"{label}.db"
            return f"sqlite:///{path}"
        assert admin is not None
        name = f"famplan_test_{label}_{uuid.uuid4().hex[:10]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return admin.url.set(database=name).render_as_string(hide_password=False)

    yield create

    if admin is not None:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def db_url(new_database: Callable[[str], str]) -> str:
    from data.migrate import upgrade

    return upgrade(new_database("empty"))


@pytest.fixture(scope="session")
def _shared_engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def _business_tables() -> list[str]:
    return [t.name for t in SQLModel.metadata.sorted_tables if t.name not in REFERENCE_TABLES]


def _empty_business_tables(engine: Engine) -> None:
    existing = set(_existing_tables(engine))
    with engine.begin() as connection:
        for table in reversed(SQLModel.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES and table.name in existing:
                connection.execute(delete(table))


def _existing_tables(engine: Engine) -> list[str]:
    from sqlalchemy import inspect

    return inspect(engine).get_table_names()


@pytest.fixture
def engine(_shared_engine: Engine) -> Iterator[Engine]:
    """A migrated database with reference data only; emptied again after the test."""
    _empty_business_tables(_shared_engine)
    yield _shared_engine
    _empty_business_tables(_shared_engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture(scope="session")
def seeded_url(new_database: Callable[[str], str]) -> str:
    return demo_book_url(new_database, "seeded")


@pytest.fixture(scope="session")
def seeded_engine(seeded_url: str) -> Iterator[Engine]:
    engine = make_engine(seeded_url)
    yield engine
    engine.dispose()


@pytest.fixture
def seeded_session(seeded_engine: Engine) -> Iterator[Session]:
    """A session on the demo book inside a transaction that is always rolled back."""
    with seeded_engine.connect() as connection:
        transaction = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            yield session
        transaction.rollback()


def database_name(url: str) -> str:
    """The database part of a URL (for messages)."""
    return str(make_url(url).database)
