"""`famplan report`: the HTML report with its PNG figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer
from rich.console import Console
from sqlalchemy.engine import Engine

from api.cli.app import app
from api.cli.data_commands import demo_section

console = Console()

#: Solver seconds per job in `famplan demo`'s report.
DEMO_TIME_LIMIT = 10.0


def parse_date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option
        ) from None


def write_report_to(
    out: Path | None, as_of: dt.date | None, time_limit: float, engine: Engine | None = None
) -> Path:
    """Build the report from the database (default: the configured one); return the HTML
    path."""
    import matplotlib

    matplotlib.use("Agg")

    from api.report_builder import ReportOptions, write_demo_report
    from data.db import get_engine
    from data.settings import get_settings

    target = out or get_settings().report_dir
    options = ReportOptions(as_of=as_of, time_limit=time_limit)
    with console.status("building the report …") as status:
        written = write_demo_report(
            engine or get_engine(),
            target,
            options,
            progress=lambda m: status.update(f"report: {m} …"),
        )
    console.print(f"{len(written.png_paths)} figures written beside it in {target}")
    return written.html_path


@demo_section
def demo_waiting(engine: Engine, _console: Console) -> None:
    """`famplan demo` prints the waiting list's figures (as the report counts them)."""
    from sqlmodel import Session

    from api.report_builder import waiting_section
    from api.services.planning_date import planning_date

    console.rule("[bold]famplan — waiting list")
    with Session(engine) as session:
        section = waiting_section(session, planning_date(session))
    for paragraph in section.paragraphs[:2]:
        console.print(paragraph)
    waiting = section.tables[0]
    for row in waiting.rows[:5]:
        console.print(
            "  "
            + ", ".join(f"{name} {value}" for name, value in zip(waiting.columns, row, strict=True))
        )


@demo_section
def demo_report(engine: Engine, _console: Console) -> None:
    """`famplan demo` ends with the report: supply and demand, matching, a roster."""
    console.rule("[bold]famplan — report")
    html_path = write_report_to(None, None, DEMO_TIME_LIMIT, engine)
    console.print(f"report written: [bold]{html_path.resolve()}[/bold]")


@app.command("report")
def report(
    out: Path | None = typer.Option(
        None, "--out", help="Directory for report.html and the PNGs (default: settings)."
    ),
    as_of: str | None = typer.Option(None, "--as-of", help="Report date, YYYY-MM-DD."),
    time_limit: float = typer.Option(10.0, "--time-limit", min=0.5, help="Solver seconds."),
) -> None:
    """Write the HTML report (one self-contained file) and its PNG figures."""
    html_path = write_report_to(out, parse_date(as_of, "--as-of"), time_limit)
    console.print(f"report written: [bold]{html_path.resolve()}[/bold]")
