"""A scenario sweep as a table, a figure and a section of the HTML report.

`sweep_frame` is the table (one row per scenario, the book as it is first, with the
difference to it); `plot_sweep` the figure; `sweep_section` the report section built
from both. `write_sweep_outputs` writes them for ``famplan sweep --out DIR``:
``sweep.csv``, ``sweep.png``, ``sweep.html`` (the section on its own page) and
``sweep.json`` (the full result, which ``famplan report --sweep`` reads back).

Which sweep the report shows: the one given (``famplan report --sweep FILE.json``),
else the newest finished sweep job stored in the database (``POST /v1/sweeps``), else
none (no section). `latest_stored_sweep` finds the stored one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from sqlmodel import Session, col, select

from api.report import NamedFigure, Section, Table, figure_png, render_html
from api.services.sweep import BASELINE, SweepReport
from data.ops_models import Job, JobKind, JobStatus

#: The table's columns: (heading, `ScenarioResult` field, scale for display).
COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("unplaced families", "unplaced_families", 1.0),
    ("unplaced seats", "unplaced_seats", 1.0),
    ("exact language %", "exact_language_share", 100.0),
    ("mean travel min", "mean_travel_minutes", 1.0),
    ("p95 travel min", "p95_travel_minutes", 1.0),
    ("utilisation %", "utilisation_mean", 100.0),
    ("consultants", "consultants", 1.0),
    ("families", "families", 1.0),
    ("contracted h/week", "contracted_hours", 1.0),
    ("placed h/week", "placed_hours", 1.0),
    ("moves", "changes", 1.0),
)
#: Columns whose difference to the baseline the table also shows.
COMPARED = ("unplaced families", "exact language %", "mean travel min", "utilisation %")


@dataclass(frozen=True)
class StoredSweep:
    """A sweep result and where it came from (for the section's text)."""

    report: SweepReport
    source: str


def sweep_frame(report: SweepReport) -> pd.DataFrame:
    """One row per scenario (the baseline first): status, the figures, the difference
    to the baseline of the `COMPARED` ones, the solve's seconds; a failed scenario
    keeps its row with the error as its status."""
    rows: list[dict[str, object]] = []
    for run in report.runs:
        row: dict[str, object] = {"scenario": run.name}
        if run.result is None:
            row["status"] = f"error: {run.error}"
        else:
            data = run.result.model_dump()
            row["status"] = run.result.status
            for heading, name, scale in COLUMNS:
                row[heading] = round(float(data[name]) * scale, 2)
        if run.rosters:
            row["rosters"] = len(run.rosters)
            row["team sizes"] = " ".join(str(len(r.team)) for r in run.rosters)
            row["uncovered shifts"] = sum(r.uncovered_shifts for r in run.rosters)
        row["seconds"] = run.seconds
        rows.append(row)
    frame = pd.DataFrame(rows).set_index("scenario")
    if BASELINE in frame.index and COMPARED[0] in frame.columns:
        base = frame.loc[BASELINE, list(COMPARED)].astype(float)
        for heading in COMPARED:
            frame[f"Δ {heading}"] = (frame[heading].astype(float) - base[heading]).round(2)
    return frame


def plot_sweep(report: SweepReport) -> Figure:
    """Three panels, one bar per scenario: families left unplaced, share matched in the
    exact dialect, mean travel; the baseline's value as a dashed line."""
    frame = sweep_frame(report)
    panels = ["unplaced families", "exact language %", "mean travel min"]
    solved = frame.dropna(subset=[panels[0]]) if panels[0] in frame.columns else frame.iloc[0:0]
    names = list(solved.index)[::-1]  # the baseline at the top
    figure, axes = plt.subplots(
        1, len(panels), figsize=(11, 0.45 * max(len(names), 2) + 1.4), sharey=True
    )
    for ax, heading in zip(axes, panels, strict=True):
        values = solved[heading].astype(float)
        colours = ["#555555" if name == BASELINE else "#3b75af" for name in names]
        ax.barh(names, [values[name] for name in names], color=colours)
        if BASELINE in solved.index:
            ax.axvline(values[BASELINE], color="#555555", linestyle="--")
        ax.set_title(heading)
        ax.grid(axis="x", alpha=0.3)
    figure.suptitle(f"Scenario sweep: {len(names)} solves ({report.executor})")
    figure.tight_layout()
    return figure


def _table(frame: pd.DataFrame) -> Table:
    columns = ["scenario", "status", *COMPARED, "consultants", "placed h/week", "moves"]
    columns += ["team sizes", "uncovered shifts"]
    shown = [c for c in columns[1:] if c in frame.columns]
    cells = frame[shown].astype(object).where(frame[shown].notna(), "")
    rows = [
        [name, *values] for name, values in zip(cells.index, cells.values.tolist(), strict=True)
    ]
    return Table("Scenarios against the book as it is", ["scenario", *shown], rows)


def sweep_section(stored: StoredSweep) -> Section:
    report = stored.report
    frame = sweep_frame(report)
    failed = [run.name for run in report.runs if run.result is None]
    paragraphs = [
        f"What-if scenarios, each applied to a snapshot of the book and re-optimised as a "
        f"batch ({stored.source}; {len(report.runs)} solves on {report.executor}, "
        f"{report.wall_seconds:.0f} s). The book itself was not changed.",
        "Unplaced families are those with a consultant seat left empty; exact language is "
        "the share of placed seats in the family's own dialect; moves are seats whose "
        "person differs from today's.",
    ]
    if report.options.reproducible:
        paragraphs.append(
            f"Reproducible search ({report.options.time_limit:g} deterministic units per "
            "scenario): every executor gives the same plans."
        )
    if report.cancelled:
        paragraphs.append("The sweep was cancelled: only the scenarios shown were solved.")
    bullets = [f"{name}: the solve failed" for name in failed]
    figure = NamedFigure("sweep", plot_sweep(report), "Scenarios against the baseline (dashed)")
    return Section("Scenario sweep", paragraphs, bullets, [figure], [_table(frame)])


@dataclass(frozen=True)
class SweepFiles:
    csv: Path
    png: Path
    html: Path
    json: Path


def write_sweep_outputs(report: SweepReport, out_dir: Path) -> SweepFiles:
    """The sweep's table (CSV), figure (PNG), report section (HTML) and result (JSON)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = SweepFiles(
        out_dir / "sweep.csv", out_dir / "sweep.png", out_dir / "sweep.html", out_dir / "sweep.json"
    )
    sweep_frame(report).to_csv(files.csv)
    section = sweep_section(StoredSweep(report, "famplan sweep"))
    pngs = {named.name: figure_png(named.figure) for named in section.figures}
    for named in section.figures:
        plt.close(named.figure)
    files.png.write_bytes(pngs["sweep"])
    files.html.write_text(
        render_html("famplan — scenario sweep", [section], pngs), encoding="utf-8"
    )
    files.json.write_text(
        json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    return files


def read_sweep_json(path: Path) -> StoredSweep:
    """A sweep result written by ``famplan sweep --json`` or ``--out`` (ValueError if the
    file is not one)."""
    try:
        report = SweepReport.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{path.name}: not a sweep result ({error})") from error
    return StoredSweep(report, f"file {path.name}")


def latest_stored_sweep(session: Session) -> StoredSweep | None:
    """The newest sweep job that finished (succeeded) with a result, if any."""
    job = session.exec(
        select(Job)
        .where(Job.kind == JobKind.SWEEP, Job.status == JobStatus.SUCCEEDED)
        .order_by(col(Job.id).desc())
        .limit(1)
    ).first()
    if job is None or not job.result:
        return None
    finished = f", finished {job.finished_at:%Y-%m-%d %H:%M} UTC" if job.finished_at else ""
    return StoredSweep(SweepReport.model_validate(job.result), f"sweep job {job.id}{finished}")
