"""`famplan` data commands: database migrations, demo seed, import/export, the demo summary."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.columns import Columns
from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine

from api.cli.app import app

if TYPE_CHECKING:
    from data.summary import BookSummary

console = Console()
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db_app, name="db")


def _migrated_engine(url: str | None) -> Engine:
    """An engine on a database that `famplan db upgrade` has prepared, or a clear exit."""
    from sqlalchemy import inspect

    from data.db import make_engine

    engine = make_engine(url)
    if "family_case" not in inspect(engine).get_table_names():
        engine.dispose()
        console.print(
            f"[red]{engine.url.render_as_string(hide_password=True)} is not migrated[/red]: "
            "run `famplan db upgrade` first"
        )
        raise typer.Exit(1)
    return engine


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

    from data.scenario import generate
    from data.seed import business_row_count, clear_business_data, load_demo

    engine = _migrated_engine(url)
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


# ------------------------------------------------------------------------ demo

#: Extra sections of `famplan demo`, printed after the book summary. Other command
#: modules register theirs with `@demo_section` (e.g. a matching or roster run).
DemoSection = Callable[[Engine, Console], None]
DEMO_SECTIONS: list[DemoSection] = []


def demo_section(section: DemoSection) -> DemoSection:
    """Decorator: add `section(engine, console)` to `famplan demo`."""
    DEMO_SECTIONS.append(section)
    return section


@app.command("demo")
def demo(
    url: str | None = typer.Option(None, help="SQLAlchemy URL; default from settings."),
    top: int = typer.Option(15, help="How many languages to list."),
) -> None:
    """Print a readable summary of the book of business, then the registered sections."""
    from data.summary import book_summary

    engine = _migrated_engine(url)
    try:
        summary = book_summary(engine)
        if summary.cases == 0:
            console.print("[yellow]the database holds no cases[/yellow]: run `famplan seed`")
            raise typer.Exit(1)
        print_summary(summary, top)
        for section in DEMO_SECTIONS:
            section(engine, console)
    finally:
        engine.dispose()


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    return table


def print_summary(summary: BookSummary, top: int = 15) -> None:
    from data.scenario import TODAY

    console.rule("[bold]famplan — the demo book of business")
    console.print(
        f"{summary.cases} interventions in {summary.languages} languages from "
        f"{summary.municipalities} municipalities; {summary.running} running on "
        f"{TODAY.isoformat()}, {summary.open_requests} open requests, {summary.ended} ended. "
        f"{summary.foreign_share:.0%} in a foreign language or dialect; "
        f"{summary.support_share:.0%} with a support/contact person."
    )
    regions = _table("Cases by region", "region", "cases", "running")
    for region, n in summary.cases_by_region.items():
        regions.add_row(region, str(n), str(summary.running_by_region.get(region, 0)))
    types = _table("Cases by intervention type", "type", "cases")
    for kind, n in summary.cases_by_type.items():
        types.add_row(kind.replace("_", " "), str(n))
    console.print(Columns([regions, types]))

    offices = _table("Staff by office", "office", "consultants", "coordinators", "running*")
    for office, n in summary.consultants_by_office.items():
        offices.add_row(
            office,
            str(n),
            str(summary.coordinators_by_office.get(office, 0)),
            str(summary.running_by_primary_office.get(office, 0)),
        )
    console.print(offices)
    console.print("* running cases whose primary consultant works at the office\n")

    balance = _table(
        f"Supply vs demand per language (top {top} by running cases; "
        f"consultants speak {summary.consultant_tags} languages and dialects)",
        "language",
        "cases",
        "running",
        "consultants",
        "native",
        "per speaker",
    )
    shown = [b for b in summary.balances if b.cases][:top]
    for b in shown:
        ratio = b.running_per_consultant
        style = "red" if ratio is None or ratio > 2.5 else ""
        balance.add_row(
            f"{b.name} ({b.language})",
            str(b.cases),
            str(b.running),
            str(b.consultants),
            str(b.native_consultants),
            "—" if ratio is None else f"{ratio:.1f}",
            style=style,
        )
    console.print(balance)
    tail = [b for b in summary.balances if b.cases][top:]
    if tail:
        console.print("Long tail: " + ", ".join(f"{b.language} {b.cases}" for b in tail))
    dialects = {t: n for t, n in summary.language_tags_by_case.items() if "-" in t}
    if dialects:
        console.print("Dialect tags: " + ", ".join(f"{t} {n}" for t, n in dialects.items()))
    if summary.regional_gaps:
        console.print(
            "[yellow]No speaker at an office serving the region:[/yellow] "
            + ", ".join(
                f"{lang} in {region} ({n} running)" for region, lang, n in summary.regional_gaps
            )
        )
    short = summary.shortages()
    if short:
        console.print(
            "[red]Short:[/red] "
            + ", ".join(
                f"{b.language} ({b.running} running / {b.consultants} speakers)" for b in short
            )
        )


# ------------------------------------------------------------- import / export


@app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="Directory for consultants.* and cases.*"),
    fmt: str = typer.Option("csv", "--format", help="csv or xlsx"),
    url: str | None = typer.Option(None, help="SQLAlchemy URL; default from settings."),
) -> None:
    """Export consultants and cases (one row each) as CSV or Excel."""
    from data.transfer import export_book

    if fmt not in ("csv", "xlsx"):
        console.print(f"[red]--format: {fmt!r} is not csv or xlsx[/red]")
        raise typer.Exit(2)
    engine = _migrated_engine(url)
    try:
        paths = export_book(engine, out, "csv" if fmt == "csv" else "xlsx")
    finally:
        engine.dispose()
    for path in paths:
        console.print(f"wrote {path}")


@app.command("import")
def import_(
    files: list[Path] = typer.Argument(..., help="consultants/cases files (.csv or .xlsx)"),
    url: str | None = typer.Option(None, help="SQLAlchemy URL; default from settings."),
) -> None:
    """Import consultants and cases: all files or nothing; every bad row is reported."""
    from data.transfer import ImportFailed, import_files

    engine = _migrated_engine(url)
    try:
        result = import_files(engine, files)
    except ImportFailed as failed:
        table = _table(
            f"Nothing imported: {len(failed.issues)} problem(s)", "record", "column", "reason"
        )
        table.columns[1].justify = table.columns[2].justify = "left"
        for issue in failed.issues:
            table.add_row(issue.record, issue.field, issue.reason)
        console.print(table)
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    console.print(
        f"imported consultants: {result.consultants_created} new, "
        f"{result.consultants_updated} updated; cases: {result.cases_created} new, "
        f"{result.cases_updated} updated"
    )
