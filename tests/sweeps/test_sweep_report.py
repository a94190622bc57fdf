"""A sweep's table, figure and report section (`api.sweep_report`), and the report's
sweep section: the one given, else the newest stored sweep job, else none."""

from __future__ import annotations

import datetime as dt

import matplotlib
import pandas as pd
import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from api.cli import app
from api.report_builder import ReportOptions, build_report
from api.services.sweep import BASELINE, ScenarioRun, SweepReport
from api.sweep_report import (
    StoredSweep,
    latest_stored_sweep,
    read_sweep_json,
    sweep_frame,
    write_sweep_outputs,
)
from data.ops_models import Job, JobKind, JobStatus
from data.sweep import ScenarioResult, SweepOptions
from data.sweep_rosters import RosterOutcome

matplotlib.use("Agg")


def result(name: str, unplaced: int, exact: float, travel: float) -> ScenarioResult:
    return ScenarioResult(
        scenario=name,
        status="optimal",
        objective=100.0,
        unplaced_families=unplaced,
        unplaced_seats=unplaced,
        exact_language_share=exact,
        mean_travel_minutes=travel,
        p95_travel_minutes=travel * 2,
        utilisation_mean=0.5,
        utilisation_spread=0.1,
        consultants=10,
        coordinators=2,
        families=20,
        contracted_hours=370.0,
        placed_hours=100.0,
        changes=3,
        plan_digest="0" * 16,
    )


def report() -> SweepReport:
    """The baseline (2 unplaced, 80 % exact, 30 min), a hire that places everyone, a
    solve that failed."""
    return SweepReport(
        executor="inline",
        options=SweepOptions(time_limit=1.0),
        runs=[
            ScenarioRun(name=BASELINE, result=result(BASELINE, 2, 0.8, 30.0), seconds=1.0),
            ScenarioRun(
                name="hire",
                result=result("hire", 0, 0.85, 25.5),
                seconds=1.5,
                rosters=[RosterOutcome(7, "optimal", (1, 2, 3, 4, 5, 6), 2, 900)],
            ),
            ScenarioRun(name="broken", result=None, error="ValueError: boom", seconds=0.1),
        ],
        wall_seconds=2.6,
    )


def test_the_table_has_a_row_per_scenario_and_the_difference_to_the_baseline() -> None:
    frame = sweep_frame(report())
    assert list(frame.index) == [BASELINE, "hire", "broken"]
    assert frame.at["hire", "unplaced families"] == 0
    assert frame.at["hire", "exact language %"] == 85.0
    assert frame.at["hire", "Δ unplaced families"] == -2
    assert frame.at["hire", "Δ mean travel min"] == -4.5
    assert frame.at[BASELINE, "Δ exact language %"] == 0
    # the hire's døgnindsats roster: a team of six, two shifts uncovered
    assert frame.at["hire", "team sizes"] == "6" and frame.at["hire", "uncovered shifts"] == 2
    # a failed solve keeps its row, its figures empty
    assert frame.at["broken", "status"] == "error: ValueError: boom"
    assert frame.isna().at["broken", "unplaced families"]


def test_out_writes_the_csv_figure_section_and_result(tmp_path) -> None:
    files = write_sweep_outputs(report(), tmp_path / "out")
    table = pd.read_csv(files.csv, index_col="scenario")
    assert table.at["hire", "Δ unplaced families"] == -2
    assert files.png.read_bytes().startswith(b"\x89PNG")
    html = files.html.read_text(encoding="utf-8")
    assert "Scenario sweep" in html and "hire" in html and "broken: the solve failed" in html
    assert "data:image/png;base64," in html  # self-contained
    assert read_sweep_json(files.json).report == report()


def test_a_file_that_is_not_a_sweep_result_is_refused(tmp_path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"runs": 3}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"other\.json: not a sweep result"):
        read_sweep_json(path)
    done = CliRunner().invoke(app, ["report", "--sweep", str(path)])
    assert done.exit_code == 2 and "not a sweep result" in done.output


def _store(session: Session, status: JobStatus, value: SweepReport | None) -> int:
    job = Job(
        kind=JobKind.SWEEP,
        status=status,
        params={},
        result=None if value is None else value.model_dump(mode="json"),
        finished_at=dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
    )
    session.add(job)
    session.commit()
    assert job.id is not None
    return job.id


def test_the_report_shows_the_sweep_given_else_the_newest_stored_else_none(
    session: Session,
) -> None:
    only_sweep = ReportOptions(as_of=dt.date(2026, 3, 2), sections=("sweep",))
    assert latest_stored_sweep(session) is None
    assert build_report(session, only_sweep) == []  # nothing stored, nothing given
    stored = report()
    job_id = _store(session, JobStatus.SUCCEEDED, stored)
    _store(session, JobStatus.FAILED, None)  # newer, but without a result
    (section,) = build_report(session, only_sweep)
    assert section.title == "Scenario sweep"
    assert f"sweep job {job_id}, finished 2026-03-02 09:00 UTC" in section.paragraphs[0]
    assert [row[0] for row in section.tables[0].rows] == [BASELINE, "hire", "broken"]
    given = report().model_copy(update={"executor": "ray"})
    options = ReportOptions(
        as_of=dt.date(2026, 3, 2), sections=("sweep",), sweep=StoredSweep(given, "file x.json")
    )
    (section,) = build_report(session, options)
    assert "file x.json" in section.paragraphs[0] and "on ray" in section.paragraphs[0]
