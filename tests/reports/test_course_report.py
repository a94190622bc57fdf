"""The course section of the report and of `famplan demo`: follow-up load per
coordinator per week, overdue follow-ups, ended courses against their aim."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from rich.console import Console
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from api.report import write_report
from api.report_course import course_section, course_summary
from data.models import FollowUp
from data.plotting import plot_follow_up_load
from data.scenario import TODAY

WEEKS = (dt.date(2026, 3, 2), dt.date(2026, 3, 9), dt.date(2026, 3, 16))


def test_the_load_figure_has_a_row_per_coordinator_and_blank_empty_weeks() -> None:
    ax = plot_follow_up_load(WEEKS, {"Næstved · 1": [2, 0, 5], "Odense · 2": [0, 1, 0]})
    grid = ax.images[0].get_array()
    assert grid is not None and grid.shape == (2, 3)
    assert np.ma.getdata(grid)[0, 2] == 5 and np.isnan(np.ma.getdata(grid)[0, 1])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Næstved · 1", "Odense · 2"]
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "5"]
    plt.close("all")


def test_the_section_counts_what_the_book_holds(seeded_session: Session, tmp_path: Path) -> None:
    overdue = seeded_session.exec(
        select(func.count())
        .select_from(FollowUp)
        .where(col(FollowUp.done_on).is_(None), col(FollowUp.due) < TODAY)
    ).one()
    summary = course_summary(seeded_session, TODAY)
    assert summary.follow_ups.overdue == overdue > 0
    assert sum(summary.overdue_by_office.values()) == overdue
    assert len(summary.load.weeks) == 8 and len(summary.load.counts) == 50  # coordinators
    section = course_section(seeded_session, TODAY)
    assert [f.name for f in section.figures] == ["follow_up_load"]
    assert f"{overdue} overdue" in section.paragraphs[0]
    by_type = section.tables[1]
    family = next(row for row in by_type.rows if row[0] == "family treatment")
    assert family[1] == "9 months"
    written = write_report([section], tmp_path)
    assert written.png_paths[0].stat().st_size > 5_000


def test_famplan_demo_prints_the_course_figures(seeded_engine: Engine) -> None:
    from api.cli import report_commands

    console = Console(record=True, width=200)
    original = report_commands.console
    report_commands.console = console
    try:
        report_commands.demo_course(seeded_engine, console)
    finally:
        report_commands.console = original
    text = console.export_text()
    with Session(seeded_engine) as session:
        overdue = course_summary(session, TODAY).follow_ups.overdue
    assert f"{overdue} overdue" in text
    assert "ended at 9 months" in text and "per coordinator per week" in text
