"""The supply/demand and capacity figures are drawn from small records."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from data.capacity import balances, capacity_outlook
from data.plotting import plot_balance_heatmap, plot_capacity_outlook, plot_supply_demand
from tests.reports.conftest import TODAY


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def test_supply_demand_draws_three_bars_per_language(two_consultants, tigrinya_demand):
    cells = balances(two_consultants, tigrinya_demand, on=TODAY)
    ax = plot_supply_demand(cells)
    # Languages with demand: Tigrinya 65 h, Arabic 10 h, Danish 10 h (Arabic before
    # Danish alphabetically on a tie) — four bars (running, open, expected, free) each.
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Tigrinya", "Arabic", "Danish"]
    assert len(_bars(ax)) == 12
    widths = sorted(round(b.get_width(), 1) for b in _bars(ax))
    assert widths == [0.0] * 7 + [10.0, 10.0, 17.0, 17.0, 65.0]


def test_supply_demand_for_one_region_and_top(two_consultants, tigrinya_demand):
    cells = balances(two_consultants, tigrinya_demand, on=TODAY)
    ax = plot_supply_demand(cells, region="Sjælland", top=1)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Tigrinya"]
    assert "Region Sjælland" in ax.get_title()


def test_supply_demand_draws_on_the_given_axes(two_consultants, tigrinya_demand):
    _figure, (left, right) = plt.subplots(1, 2)
    cells = balances(two_consultants, tigrinya_demand, on=TODAY)
    assert plot_supply_demand(cells, ax=right) is right
    assert not left.patches


def test_heatmap_cells_are_free_minus_requested(two_consultants, tigrinya_demand):
    cells = balances(two_consultants, tigrinya_demand, on=TODAY)
    ax = plot_balance_heatmap(cells)
    grid = np.asarray(ax.images[0].get_array())
    regions = [t.get_text() for t in ax.get_xticklabels()]
    languages = [t.get_text() for t in ax.get_yticklabels()]
    assert regions == ["Hovedstaden", "Sjælland"]
    assert languages == ["Tigrinya", "Arabic", "Danish"]
    assert grid[0, 1] == pytest.approx(17.0 - 65.0)
    assert grid[2, 1] == pytest.approx(17.0 - 10.0)
    assert np.isnan(grid[0, 0])  # no Tigrinya speaker or request in Hovedstaden
    # One annotation per known cell: ti/Sj, ar/Ho, ar/Sj, da/Sj.
    assert len(ax.texts) == 4


def test_outlook_draws_a_bar_per_week_and_a_line_per_language(two_consultants):
    outlook = capacity_outlook(two_consultants, TODAY, weeks=12, languages=["ti", "ar"])
    ax = plot_capacity_outlook(outlook)
    assert len(_bars(ax)) == 12
    assert [round(b.get_height()) for b in _bars(ax)][:3] == [17, 17, 37]
    (twin,) = [other for other in ax.figure.axes if other is not ax and other.lines]
    assert len(twin.lines) == 2


def test_figures_render_to_non_empty_png(tmp_path, two_consultants, tigrinya_demand):
    ax = plot_supply_demand(balances(two_consultants, tigrinya_demand, on=TODAY))
    path = tmp_path / "supply.png"
    figure = ax.get_figure(root=True)  # the whole figure, not a subfigure
    assert figure is not None
    figure.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert path.stat().st_size > 5_000


def test_supply_demand_can_leave_a_language_out(two_consultants, tigrinya_demand):
    cells = balances(two_consultants, tigrinya_demand, on=TODAY)
    ax = plot_supply_demand(cells, exclude=("da",))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Tigrinya", "Arabic"]
    assert len(_bars(ax)) == 8
