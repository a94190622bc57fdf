"""Alembic environment: the target metadata is every SQLModel table of famplan.

The URL comes from the ``sqlalchemy.url`` main option when `data.migrate` sets it, else
from `data.settings` (``FAMPLAN_DATABASE_URL`` / ``DATABASE_URL``).
"""

from __future__ import annotations

import importlib

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import data.models  # noqa: F401  (registers the domain tables)
from data.db import make_engine, normalize_url
from data.settings import get_settings

# Tables owned by the API helper live in data.ops_models (migration 0002_*), if present.
try:
    importlib.import_module("data.ops_models")
except ModuleNotFoundError as error:
    if error.name != "data.ops_models":
        raise

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    return normalize_url(config.get_main_option("sqlalchemy.url") or get_settings().database_url)


def _configure(connection: Connection | None = None, **kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        connection=connection,
        **kwargs,  # type: ignore[arg-type]
    )


def run_migrations_offline() -> None:
    _configure(url=_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
