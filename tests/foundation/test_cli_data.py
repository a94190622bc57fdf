"""`famplan db upgrade` and `famplan seed` from the command line."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from api.cli import app
from data.models import Case, Consultant, Municipality

runner = CliRunner()


def count(engine: Engine, model: type) -> int:
    with engine.connect() as db:
        return int(db.execute(select(func.count()).select_from(model)).scalar_one())


def test_db_upgrade_creates_a_missing_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "famplan.db"
    result = runner.invoke(app, ["db", "upgrade", "--url", f"sqlite:///{path}"])
    assert result.exit_code == 0, result.output
    assert path.exists()
    from data.db import make_engine

    engine = make_engine(f"sqlite:///{path}")
    try:
        assert count(engine, Municipality) == 98
    finally:
        engine.dispose()


def test_seed_if_empty_reset_and_refusal(db_url: str, engine: Engine) -> None:
    first = runner.invoke(app, ["seed", "--url", db_url])
    assert first.exit_code == 0, first.output
    assert (count(engine, Case), count(engine, Consultant)) == (555, 200)

    skipped = runner.invoke(app, ["seed", "--if-empty", "--url", db_url])
    assert skipped.exit_code == 0 and "seed skipped" in skipped.output
    refused = runner.invoke(app, ["seed", "--url", db_url])
    assert refused.exit_code == 1 and "--reset" in refused.output
    assert count(engine, Case) == 555  # neither wrote anything

    replaced = runner.invoke(app, ["seed", "--reset", "--url", db_url])
    assert replaced.exit_code == 0, replaced.output
    assert count(engine, Case) == 555


def test_commands_on_an_unmigrated_database_say_what_to_do(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    for command in (["seed"], ["demo"], ["export", "--out", str(tmp_path)]):
        result = runner.invoke(app, [*command, "--url", url])
        assert result.exit_code == 1
        assert "famplan db upgrade" in result.output
