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
    out: Path | None,
    as_of: dt.date | None,
    time_limit: float,
    engine: Engine | None = None,
    sweep: Path | None = None,
) -> Path:
    """Build the report from the database (default: the configured one); return the HTML
    path. `sweep`: a sweep result (JSON) for the sweep section, else the newest stored
    sweep job's."""
    import matplotlib

    matplotlib.use("Agg")

    from api.report_builder import ReportOptions, write_demo_report
    from api.sweep_report import read_sweep_json
    from data.db import get_engine
    from data.settings import get_settings

    stored = None
    if sweep is not None:
        try:
            stored = read_sweep_json(sweep)
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="--sweep") from None
    target = out or get_settings().report_dir
    options = ReportOptions(as_of=as_of, time_limit=time_limit, sweep=stored)
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
def demo_course(engine: Engine, _console: Console) -> None:
    """`famplan demo`: follow-up load, overdue follow-ups and how courses ended."""
    from sqlmodel import Session

    from api.report_course import LOAD_WEEKS, course_summary
    from api.services.planning_date import planning_date

    with Session(engine) as session:
        summary = course_summary(session, planning_date(session))
    counts, courses = summary.follow_ups, summary.family_treatment()
    console.rule("[bold]famplan — the course: follow-ups and course ends")
    console.print(
        f"{counts.open:,} open follow-ups on {summary.as_of.isoformat()}: "
        f"[bold]{counts.overdue} overdue[/bold], {counts.due_within_14_days} due in the next "
        f"14 days; {summary.due_for_decision} running cases need a decision at their aim."
    )
    console.print(
        "overdue by office: "
        + (", ".join(f"{o} {n}" for o, n in summary.overdue_by_office.items()) or "none")
    )
    busiest = summary.busiest_week()
    console.print(
        f"follow-up load, next {LOAD_WEEKS} weeks: {summary.mean_per_coordinator_week():.1f} "
        "per coordinator per week"
        + (
            f"; busiest: coordinator {busiest[0]}, week of {busiest[1]}, {busiest[2]}"
            if busiest
            else ""
        )
    )
    console.print(
        f"family treatment, ended courses: {courses.ended}; ended at 9 months: "
        f"{courses.at_aim} ({courses.share_at_aim:.0%}), early {courses.early}, "
        f"longer {courses.late}, extended {courses.extended}\n"
    )


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
    sweep: Path | None = typer.Option(
        None,
        "--sweep",
        help="A sweep result (famplan sweep --json, or sweep.json of --out) for the sweep "
        "section; default: the newest finished sweep job (POST /v1/sweeps), if any.",
    ),
) -> None:
    """Write the HTML report (one self-contained file) and its PNG figures."""
    html_path = write_report_to(out, parse_date(as_of, "--as-of"), time_limit, sweep=sweep)
    console.print(f"report written: [bold]{html_path.resolve()}[/bold]")
