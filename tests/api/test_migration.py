"""Migration 0002_api creates exactly the API tables of data/ops_models.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import data.ops_models  # noqa: F401
from data.db import make_engine
from data.migrate import current_revision, downgrade, upgrade

API_TABLES = {"api_key", "audit_event", "job", "roster", "roster_shift"}


def _tables_of(entry: object) -> set[str]:
    """Every table name an autogenerate diff entry mentions."""
    names: set[str] = set()
    items: list[Any] = entry if isinstance(entry, list) else [entry]
    for item in items:
        for part in item:
            if isinstance(part, sa.Table):
                names.add(part.name)
            elif getattr(part, "table", None) is not None:
                names.add(part.table.name)
            elif isinstance(part, str):
                names.add(part)
    return names


def test_migrated_schema_matches_the_api_tables(engine: Engine) -> None:
    assert set(sa.inspect(engine).get_table_names()) >= API_TABLES
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert [entry for entry in diff if _tables_of(entry) & API_TABLES] == []


def test_downgrade_to_0001_drops_the_api_tables_and_upgrade_restores_them(
    new_database: Callable[[str], str],
) -> None:
    url = upgrade(new_database("api_mig"), reference=False)
    assert current_revision(url) == "0003_job_control"
    downgrade(url, "0001_domain")
    engine = make_engine(url)
    try:
        assert not API_TABLES & set(sa.inspect(engine).get_table_names())
        upgrade(url, reference=False)
        assert set(sa.inspect(engine).get_table_names()) >= API_TABLES
    finally:
        engine.dispose()
