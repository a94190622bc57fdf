"""Matching-quality figures drawn from two tiny hand-made plans."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from data.languages import Closeness
from matcher.plotting import (
    MatchingView,
    Placement,
    Utilisation,
    kpi_rows,
    plot_consultant_utilisation,
    plot_fallback_languages,
    plot_language_closeness,
    plot_office_utilisation,
    plot_plan_comparison,
    plot_travel_distribution,
)

EXACT, DIALECT, FALLBACK = Closeness.EXACT, Closeness.DIALECT, Closeness.FALLBACK


@pytest.fixture
def batch() -> MatchingView:
    """Four placements: three exact, one Dari family served in Farsi; 10–40 min away.
    Two consultants in two offices at 50 % and 100 %."""
    return MatchingView(
        "batch",
        (
            Placement(1, 10, "ar-IQ", "ar-IQ", EXACT, 10.0),
            Placement(2, 10, "ti", "ti", EXACT, 20.0),
            Placement(3, 11, "prs", "fa", FALLBACK, 30.0),
            Placement(4, 11, "uk", "uk", EXACT, 40.0),
        ),
        (Utilisation(10, "Næstved", 15.0, 30.0), Utilisation(11, "Odense", 37.0, 37.0)),
        unplaced=0,
    )


@pytest.fixture
def greedy() -> MatchingView:
    """Same cases the greedy way: one other dialect, two fallbacks, 60-min trips, one
    case unplaced."""
    return MatchingView(
        "greedy",
        (
            Placement(1, 11, "ar-IQ", "ar-SY", DIALECT, 60.0),
            Placement(2, 10, "ti", "ti", EXACT, 60.0),
            Placement(3, 10, "prs", "fa", FALLBACK, 60.0),
            Placement(4, 11, "kmr", "tr", FALLBACK, 60.0),
        ),
        (Utilisation(10, "Næstved", 30.0, 30.0), Utilisation(11, "Odense", 18.5, 37.0)),
        unplaced=1,
    )


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_closeness_bars_stack_to_100_percent(batch, greedy):
    ax = plot_language_closeness([batch, greedy])
    assert len(_bars(ax)) == 6  # 2 plans × exact/dialect/fallback
    heights = [round(b.get_height()) for b in _bars(ax)]
    # Per level, batch then greedy: exact 3/4 and 1/4, dialect 0 and 1/4, fallback 1/4 and 2/4.
    assert heights == [75, 25, 0, 25, 25, 50]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["batch", "greedy"]


def test_fallback_bars_count_language_pairs(greedy, batch):
    ax = plot_fallback_languages(greedy)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(_bars(ax)) == 3
    assert "Arabic (Iraq) → Arabic (Syria)" in labels
    assert "Northern Kurdish → Turkish" in labels
    assert len(_bars(plot_fallback_languages(batch))) == 1  # only Dari → Farsi


def test_travel_histogram_has_one_step_line_per_plan(batch, greedy):
    ax = plot_travel_distribution([batch, greedy])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["batch: mean 25, p95 38 min", "greedy: mean 60, p95 60 min"]
    assert len(ax.patches) == 2


def test_utilisation_per_consultant_sorted(batch):
    ax = plot_consultant_utilisation(batch)
    assert [round(b.get_height()) for b in _bars(ax)] == [100, 50]


def test_office_utilisation_groups_bars(batch, greedy):
    ax = plot_office_utilisation([batch, greedy])
    heights = [round(b.get_height()) for b in _bars(ax)]
    assert heights == [50, 100, 100, 50]  # batch: Næstved, Odense; greedy: Næstved, Odense


def test_kpis_and_comparison_figure(batch, greedy):
    rows = dict(kpi_rows([batch, greedy]))
    assert rows["exact dialect %"] == [75.0, 25.0]
    assert rows["fallback languages"] == [1.0, 2.0]
    assert rows["mean travel min"] == [25.0, 60.0]
    assert rows["unplaced"] == [0.0, 1.0]
    assert rows["utilisation spread (sd %)"][0] == pytest.approx(np.std([0.5, 1.0]) * 100)
    figure = plot_plan_comparison([batch, greedy])
    assert len(figure.axes) == 6
    assert all(len(_bars(ax)) == 2 for ax in figure.axes)
