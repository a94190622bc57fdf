"""Roster figures drawn from a two-day, 3x8 hand-made roster."""

from __future__ import annotations

import datetime as dt

import pytest
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from roster.plotting import (
    RosterView,
    ShiftCell,
    person_totals,
    plot_handovers,
    plot_hours_vs_contract,
    plot_nights_weekends,
    plot_roster_grid,
)

SAT = dt.datetime(2026, 1, 3)  # a Saturday


def _shift(day: int, code: str, *consultants: str) -> ShiftCell:
    start_hour = {"D": 7, "E": 15, "N": 23}[code]
    start = SAT + dt.timedelta(days=day, hours=start_hour)
    return ShiftCell(start, start + dt.timedelta(hours=8), code, consultants)


@pytest.fixture
def weekend() -> RosterView:
    """Sat/Sun, D/E/N. Saturday: 1, 2, 3; Sunday: 1, 2 and the night uncovered; two
    people on Sunday's evening shift (2 and 4)."""
    return RosterView(
        "test",
        (
            _shift(0, "N", "3"),  # listed out of order on purpose
            _shift(0, "D", "1"),
            _shift(0, "E", "2"),
            _shift(1, "D", "1"),
            _shift(1, "E", "2", "4"),
            _shift(1, "N"),
        ),
        contract_hours={"1": 37.0, "2": 37.0, "3": 30.0},
    )


def test_view_orders_days_and_codes(weekend):
    assert weekend.days() == [dt.date(2026, 1, 3), dt.date(2026, 1, 4)]
    assert weekend.codes() == ["D", "E", "N"]
    assert weekend.team() == ["1", "2", "3", "4"]


def test_handovers_count_arrivals_at_each_change(weekend):
    # Leavers: Sat D→E (1 leaves), E→N (2) = 2. Sun N→D (3), D→E (1) = 2; the uncovered
    # night is not a change of staff.
    assert weekend.handovers_per_day() == {dt.date(2026, 1, 3): 2, dt.date(2026, 1, 4): 2}


def test_person_totals_hours_nights_weekends(weekend):
    totals = person_totals(weekend)
    assert totals["2"]["hours"] == 16.0
    assert totals["3"]["nights"] == 1.0 and totals["1"]["nights"] == 0.0
    assert totals["1"]["weekends"] == 2.0
    # Horizon: Sat 07:00 to Mon 07:00 = 2 days; 37 h/week × 2/7.
    assert totals["1"]["contract"] == pytest.approx(37 * 2 / 7)
    assert totals["4"]["contract"] == 0.0  # no contract known


def test_sleep_in_counts_its_own_hours_and_flag():
    start = SAT + dt.timedelta(hours=22)
    sleep_in = ShiftCell(
        start, start + dt.timedelta(hours=9), "S", ("1",), night=True, counted_hours=3.0
    )
    assert (sleep_in.hours, sleep_in.is_night) == (3.0, True)
    day = ShiftCell(SAT + dt.timedelta(hours=7), SAT + dt.timedelta(hours=15), "D", ("1",))
    assert not day.is_night


def test_grid_draws_one_patch_per_consultant_slot(weekend):
    ax = plot_roster_grid(weekend)
    patches = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(patches) == 7  # 4 single-person shifts + 2 halves of the double + 1 uncovered
    uncovered = [p for p in patches if p.get_hatch() == "//"]
    assert len(uncovered) == 1
    legend = ax.get_legend()
    assert legend is not None and len(legend.get_texts()) == 4
    assert "4 consultants" in ax.get_title()


def _bar_heights(ax: Axes) -> list[float]:
    """The heights of a bar chart's bars (every patch of it a bar)."""
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(bars) == len(ax.patches)
    return [b.get_height() for b in bars]


def test_hours_nights_and_handover_bars(weekend):
    assert _bar_heights(plot_hours_vs_contract(weekend)) == [16, 16, 8, 8]
    nights = plot_nights_weekends(weekend)
    assert len(nights.patches) == 8  # 4 people × (nights, weekends)
    handovers = plot_handovers(weekend)
    assert _bar_heights(handovers) == [2, 2]


def test_view_from_roster_problem_keeps_uncovered_shifts_and_night_flags():
    from roster.plotting import view_from_roster
    from roster.problem import Assignment, Case, CoverDemand, Employee, RosterProblem
    from roster.templates import TEMPLATE_3X8

    problem = RosterProblem(
        start_date=dt.date(2026, 1, 3),
        days=1,
        shift_types=TEMPLATE_3X8,
        employees=(Employee("a", contract_minutes_per_week=37 * 60), Employee("b")),
        cases=(Case("k", "ti"), Case("other", "ar")),
        cover=tuple(CoverDemand(case, 0, s.id, 1) for case in ("k", "other") for s in TEMPLATE_3X8),
    )
    roster = (
        Assignment(0, "N", "k", "b"),
        Assignment(0, "D", "k", "a"),
        Assignment(0, "E", "other", "b"),
    )
    view = view_from_roster(problem, roster, case="k")
    assert [(c.code, c.consultants) for c in view.shifts] == [
        ("D", ("a",)),
        ("E", ()),
        ("N", ("b",)),
    ]
    night = view.shifts[2]
    assert night.start == dt.datetime(2026, 1, 3, 23) and night.end == dt.datetime(2026, 1, 4, 7)
    assert night.is_night and not view.shifts[0].is_night
    assert view.contract_hours["a"] == 37.0
    assert view.label == "k"


def test_an_empty_roster_draws_a_note_not_a_grid():
    ax = plot_roster_grid(RosterView("#3", (), {}))
    assert not ax.patches
    assert [t.get_text() for t in ax.texts] == ["roster #3: no shifts"]
