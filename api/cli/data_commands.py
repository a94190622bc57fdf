"""`famplan` data commands: database migrations, demo seed, import/export, the demo summary."""

from __future__ import annotations

import typer
from rich.console import Console

from api.cli.app import app

console = Console()
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    url: str | None = typer.Option(
        None, help="SQLAlchemy URL; default FAMPLAN_DATABASE_URL / DATABASE_URL / settings."
    ),
    revision: str = typer.Option("head", help="Target revision."),
) -> None:
    """Create (SQLite) and migrate the database, then load the reference data."""
    from data.migrate import current_revision, upgrade

    resolved = upgrade(url, revision)
    console.print(f"database at revision [bold]{current_revision(resolved)}[/bold]")


@db_app.command("current")
def db_current(url: str | None = typer.Option(None, help="SQLAlchemy URL.")) -> None:
    """Print the current migration revision."""
    from data.migrate import current_revision

    console.print(current_revision(url) or "(empty database)")
