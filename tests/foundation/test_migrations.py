"""Alembic migrations: the production path creates exactly the model's schema."""

from collections.abc import Callable

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

import data.models as models
from data import geography
from data.db import make_engine
from data.migrate import current_revision, downgrade, upgrade

DOMAIN_TABLES = {
    "region",
    "municipality",
    "office",
    "consultant",
    "consultantlanguage",
    "absence",
    "coordinator",
    "family_case",
    "caselanguage",
    "assignment",
    "book_setting",
    "follow_up",
}


def _domain_diff(engine: Engine) -> list[object]:
    """Differences between the migrated schema and data/models.py (domain tables)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)

    def table_of(entry: object) -> str | None:
        item = entry[0] if isinstance(entry, list) else entry
        assert isinstance(item, tuple)
        for part in item[1:]:
            name = getattr(part, "name", None) if isinstance(part, sa.Table) else None
            table = getattr(part, "table", None)
            if name:
                return str(name)
            if table is not None:
                return str(table.name)
            if isinstance(part, str) and part in DOMAIN_TABLES:
                return part
        return None

    return [d for d in diff if table_of(d) in DOMAIN_TABLES]


def test_upgrade_creates_the_model_schema_and_reference_rows(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert set(sa.inspect(engine).get_table_names()) >= DOMAIN_TABLES
        assert _domain_diff(engine) == []
        with Session(engine) as session:
            assert len(session.exec(select(models.Region)).all()) == 5
            assert len(session.exec(select(models.Municipality)).all()) == 98
            offices = session.exec(select(models.Office).order_by(models.Office.name)).all()
            assert [o.name for o in offices] == sorted(o.name for o in geography.offices())
            naestved = session.get(models.Municipality, 370)
            assert naestved is not None and naestved.region_code == "DK-85"
    finally:
        engine.dispose()
    assert current_revision(db_url) is not None


def test_upgrade_is_idempotent_and_downgrade_round_trips(
    new_database: Callable[[str], str],
) -> None:
    url = upgrade(new_database("roundtrip"))
    upgrade(url)  # a second run changes nothing and does not duplicate reference rows
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            assert len(session.exec(select(models.Office)).all()) == 6
        downgrade(url, "base")
        assert not DOMAIN_TABLES & set(sa.inspect(engine).get_table_names())
        upgrade(url)
        assert set(sa.inspect(engine).get_table_names()) >= DOMAIN_TABLES
    finally:
        engine.dispose()


def test_engine_fixture_starts_without_business_rows(engine: Engine) -> None:
    with Session(engine) as session:
        assert session.exec(select(models.Consultant)).all() == []
        assert session.exec(select(models.Case)).all() == []
        assert len(session.exec(select(models.Municipality)).all()) == 98
