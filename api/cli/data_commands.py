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


@app.command("seed")
def seed(
    seed: int = typer.Option(42, help="Random seed of the demo book (same seed, same book)."),
    scale: int = typer.Option(1, min=1, help="Multiply the book: 10 → 5,550 cases."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing if data exists."),
    reset: bool = typer.Option(False, "--reset", help="Delete existing business data first."),
    url: str | None = typer.Option(None, help="SQLAlchemy URL; default from settings."),
) -> None:
    """Load the synthetic demo book of business (consultants, cases, assignments)."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

    from data.db import make_engine
    from data.scenario import generate
    from data.seed import business_row_count, clear_business_data, load_demo

    engine = make_engine(url)
    try:
        existing = business_row_count(engine)
        if existing and if_empty:
            console.print(
                f"database already holds {existing} consultants/coordinators/cases; seed skipped"
            )
            return
        if existing and not reset:
            console.print(
                f"[red]database already holds {existing} consultants/coordinators/"
                "cases[/red]; use --reset to replace them or --if-empty to skip"
            )
            raise typer.Exit(1)
        started = time.perf_counter()
        if reset:
            clear_business_data(engine)
        with console.status(f"generating the demo book (seed {seed}, scale {scale})…"):
            book = generate(seed=seed, scale=scale)
        generated = time.perf_counter()
        columns = (TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            tasks: dict[str, TaskID] = {}

            def advance(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total)
                bar.advance(tasks[step], done)

            counts = load_demo(engine, scenario=book, progress=advance)
        finished = time.perf_counter()
    finally:
        engine.dispose()
    summary = ", ".join(f"{n:,} {name}" for name, n in counts.items())
    console.print(f"seeded {summary}")
    console.print(
        f"generated in {generated - started:.1f} s, written in "
        f"{finished - generated:.1f} s (total {finished - started:.1f} s)"
    )
