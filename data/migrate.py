"""Schema migrations (Alembic) and the reference rows every database needs.

`upgrade` is the production path (``famplan db upgrade``) and the one tests use:
it migrates to the newest revision and then synchronises the reference data
(regions, municipalities, offices) from `data.geography`, idempotently.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from data.db import make_engine, normalize_url
from data.settings import get_settings


def alembic_config(url: str | None = None) -> Config:
    """The Alembic config shipped inside the package, pointed at `url`."""
    ini = Path(str(resources.files("data").joinpath("migrations", "alembic.ini")))
    config = Config(str(ini))
    config.set_main_option("script_location", str(ini.parent))
    # ConfigParser interpolation: a literal % in a password must be doubled.
    config.set_main_option("sqlalchemy.url", _resolve(url).replace("%", "%%"))
    return config


def _resolve(url: str | None) -> str:
    return normalize_url(url or get_settings().database_url)


def _ensure_sqlite_directory(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str | None = None, revision: str = "head", reference: bool = True) -> str:
    """Migrate the database at `url` (default: settings) to `revision`; return the URL.

    Creates a missing SQLite file. With `reference`, loads the reference rows too.
    """
    resolved = _resolve(url)
    _ensure_sqlite_directory(resolved)
    command.upgrade(alembic_config(resolved), revision)
    if reference:
        from data.reference import sync_reference_data

        engine = make_engine(resolved)
        try:
            sync_reference_data(engine)
        finally:
            engine.dispose()
    return resolved


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current_revision(url: str | None = None) -> str | None:
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(_resolve(url))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
