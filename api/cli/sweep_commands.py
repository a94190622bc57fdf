"""`famplan sweep SCENARIOS.toml`: "what if" scenarios solved on an executor, compared.

Runs the use case of `api.services.sweep` and only translates: a progress bar as the
scenarios finish, a table (or JSON), a domain error into its message and exit code.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlmodel import Session

from api.cli.app import app
from api.cli.match_commands import fail
from api.services.errors import DomainError
from api.services.sweep import BASELINE, ScenarioRun, SweepReport
from solving.executor import EXECUTOR_NAMES, ExecutorUnavailable

console = Console(stderr=True)


def _delta(value: float, base: float, digits: int = 0, percent: bool = False) -> str:
    scale = 100.0 if percent else 1.0
    text = f"{value * scale:.{digits}f}"
    change = (value - base) * scale
    if round(change, digits) == 0:
        return text
    return f"{text} ({change:+.{digits}f})"


def _teams(run: ScenarioRun) -> str:
    """Team size of each døgnindsats roster, and the shifts nobody covers (``5 6 (+3)``);
    ``=`` where the scenario does not touch døgnindsats (the baseline's rosters)."""
    if not run.rosters:
        return ""
    sizes = " ".join(str(len(r.team)) for r in run.rosters)
    uncovered = sum(r.uncovered_shifts for r in run.rosters)
    text = sizes + (f" ({uncovered} uncovered)" if uncovered else "")
    return "= " + text if run.rosters_from_baseline else text


def sweep_table(report: SweepReport) -> Table:
    """One row per scenario, with the difference to the book as it is in brackets."""
    table = Table(
        title=f"Scenario sweep ({report.executor}, {report.wall_seconds:.0f} s)",
        caption="in brackets: the difference to the book as it is (baseline); "
        "h = hours a week; moves = seats whose person changes; teams = døgnindsats roster "
        "team sizes ('=': the baseline's, the scenario does not touch them)",
    )
    for column in (
        "scenario",
        "status",
        "unplaced",
        "exact lang %",
        "travel min",
        "util %",
        "staff",
        "contract h",
        "placed h",
        "moves",
        "teams",
        "s",
    ):
        table.add_column(
            column,
            justify="left" if column in ("scenario", "status") else "right",
            no_wrap=column == "scenario",
        )
    base = report.results().get(BASELINE)
    for run in report.runs:
        result = run.result
        if result is None:
            table.add_row(run.name, f"[red]error: {run.error}[/red]", *[""] * 10)
            continue
        b = base or result
        table.add_row(
            run.name,
            result.status,
            _delta(result.unplaced_families, b.unplaced_families),
            _delta(result.exact_language_share, b.exact_language_share, 1, percent=True),
            _delta(result.mean_travel_minutes, b.mean_travel_minutes, 1),
            _delta(result.utilisation_mean, b.utilisation_mean, 1, percent=True),
            _delta(result.consultants, b.consultants),
            _delta(result.contracted_hours, b.contracted_hours),
            _delta(result.placed_hours, b.placed_hours),
            str(result.changes),
            _teams(run),
            f"{run.seconds:.1f}",
        )
    return table


@app.command("sweep")
def sweep_command(
    scenarios: Path = typer.Argument(..., help="Sweep file (TOML), e.g. data/sweeps/demo.toml."),
    executor: str | None = typer.Option(
        None,
        "--executor",
        help=f"Where the solves run: {', '.join(EXECUTOR_NAMES)} (default: FAMPLAN_EXECUTOR, "
        "else local).",
    ),
    json_out: Path | None = typer.Option(
        None, "--json", help="Write the results as JSON to this file ('-': standard output)."
    ),
    out_dir: Path | None = typer.Option(
        None,
        "--out",
        help="Directory for sweep.csv (the table), sweep.png (the figure), sweep.html (the "
        "report's sweep section) and sweep.json (for famplan report --sweep).",
    ),
) -> None:
    """Solve "what if" scenarios (hire, lose, demand, close an office, a rule) as batch
    re-optimisations of a snapshot of the book, and compare them. The database is only
    read. In reproducible mode (the default in the file) every executor gives the same
    results."""
    from api.executors import make_executor
    from api.services.sweep import load_sweep_problem, read_sweep_file, run_sweep
    from data.db import get_engine

    if executor is not None and executor not in EXECUTOR_NAMES:
        console.print(f"[red]--executor: one of {', '.join(EXECUTOR_NAMES)}[/red]")
        raise typer.Exit(code=2)
    try:
        document = read_sweep_file(scenarios)
        with Session(get_engine()) as session:
            problem = load_sweep_problem(session, document)
        chosen = make_executor(executor)
    except DomainError as error:
        fail(error)
    except ExecutorUnavailable as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(code=1) from error
    total = len(document.spec.scenario) + 1
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task(f"scenarios on {chosen.name}", total=total)

        def finished(run: ScenarioRun) -> None:
            progress.advance(bar)
            state = "[red]failed[/red]" if run.result is None else "done"
            progress.console.print(f"{run.name}: {state} ({run.seconds:.1f} s)")

        try:
            report = run_sweep(problem, document, chosen, on_finished=finished)
        except ExecutorUnavailable as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(code=1) from error
    if json_out is not None:
        text = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)
        if str(json_out) == "-":
            typer.echo(text)
        else:
            json_out.write_text(text + "\n", encoding="utf-8")
            console.print(f"results written to {json_out}")
    if out_dir is not None:
        import matplotlib

        matplotlib.use("Agg")
        from api.sweep_report import write_sweep_outputs

        files = write_sweep_outputs(report, out_dir)
        console.print(f"table, figure and report section written to {files.html.parent}")
    if json_out is None or str(json_out) != "-":
        out = Console()
        # a table this wide wraps into unreadable columns at a pipe's default 80
        Console(width=max(out.width, 130)).print(sweep_table(report))
    if any(run.result is None for run in report.runs):
        raise typer.Exit(code=1)
