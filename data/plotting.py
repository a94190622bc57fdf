"""Figures of supply vs demand and of free capacity ahead (matplotlib, pure).

Every function takes plain records from `data.capacity` and an optional Axes, draws on
it (or on a new figure) and returns the Axes; `ax.figure` is the figure. No database,
no file I/O and no pyplot state here: the report, the API and the notebooks decide
where the figure goes (notebooks pass an Axes from ``plt.subplots`` to see it inline).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from data.capacity import CapacityOutlook, LanguageRegionBalance, region_label
from data.languages import language_label


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    """The caller's Axes, or one on a new pyplot-free Figure (thread-safe, no backend:
    the API renders figures from worker threads)."""
    if ax is not None:
        return ax
    return Figure(figsize=size, layout="constrained").add_subplot()


def plot_supply_demand(
    cells: Sequence[LanguageRegionBalance],
    ax: Axes | None = None,
    region: str | None = None,
    top: int = 12,
    exclude: Sequence[str] = (),
) -> Axes:
    """Grouped horizontal bars per language, hours per week: running cases, open requests,
    expected new requests over the horizon, and free consultant hours today.

    `region` restricts to one region; otherwise regions are summed. The `top` languages
    by total demand are shown, largest at the top; `exclude` leaves languages out (e.g.
    Danish, whose hours dwarf the rest).
    """
    running: dict[str, float] = defaultdict(float)
    requested: dict[str, float] = defaultdict(float)
    expected: dict[str, float] = defaultdict(float)
    free: dict[str, float] = defaultdict(float)
    for cell in cells:
        if (region is not None and cell.region != region) or cell.language in exclude:
            continue
        running[cell.language] += cell.running_hours
        requested[cell.language] += cell.requested_hours
        expected[cell.language] += cell.expected_hours
        free[cell.language] += cell.free_hours
    languages = sorted(
        set(running) | set(requested),
        key=lambda lang: (-(running[lang] + requested[lang]), lang),
    )[:top]
    languages = [lang for lang in languages if running[lang] + requested[lang] > 0]
    height = max(3.0, 0.55 * len(languages) + 1.5)
    ax = _axes(ax, (8.0, height))
    y = np.arange(len(languages))[::-1]
    bar = 0.2
    series = (
        ("running cases", running, "#4C72B0"),
        ("open requests", requested, "#DD8452"),
        ("expected new requests", expected, "#C44E52"),
        ("free consultant hours", free, "#55A868"),
    )
    offsets = (1.5 * bar, 0.5 * bar, -0.5 * bar, -1.5 * bar)
    for offset, (label, values, colour) in zip(offsets, series, strict=True):
        ax.barh(
            y + offset,
            [values[lang] for lang in languages],
            height=bar,
            label=label,
            color=colour,
        )
    ax.set_yticks(y, [language_label(lang) for lang in languages])
    ax.set_xlabel("hours per week")
    where = region_label(region) if region else "all regions"
    ax.set_title(f"Supply vs demand per language ({where})")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    return ax


def plot_balance_heatmap(
    cells: Sequence[LanguageRegionBalance],
    ax: Axes | None = None,
    top: int = 15,
) -> Axes:
    """Language × region grid of free hours (at the horizon's end when known) minus open
    and expected requests, in hours per week (red = short).

    Rows are the `top` languages by total demand; cells are annotated with the balance.
    Cells with neither demand nor speakers stay blank. The colour scale is clipped at the
    90th percentile of the magnitudes so that Danish does not wash out the rest.
    """
    demand: dict[str, float] = defaultdict(float)
    for cell in cells:
        demand[cell.language] += cell.running_hours + cell.requested_hours
    languages = [
        lang for lang in sorted(demand, key=lambda lang: (-demand[lang], lang)) if demand[lang]
    ][:top]
    regions = sorted({cell.region for cell in cells})
    grid = np.full((len(languages), len(regions)), np.nan)
    for cell in cells:
        if cell.language in languages:
            row, col = languages.index(cell.language), regions.index(cell.region)
            free = cell.free_hours if cell.free_hours_ahead is None else cell.free_hours_ahead
            grid[row, col] = free - cell.requested_hours - cell.expected_hours
    ax = _axes(ax, (1.4 * len(regions) + 3.0, 0.4 * len(languages) + 1.8))
    finite = grid[np.isfinite(grid)]
    limit = max(10.0, float(np.percentile(np.abs(finite), 90))) if finite.size else 10.0
    image = ax.imshow(grid, cmap="RdYlGn", vmin=-limit, vmax=limit, aspect="auto")
    ax.set_xticks(range(len(regions)), regions, rotation=30, ha="right")
    ax.set_yticks(range(len(languages)), [language_label(lang) for lang in languages])
    for row in range(len(languages)):
        for col in range(len(regions)):
            if np.isfinite(grid[row, col]):
                ax.text(col, row, f"{grid[row, col]:.0f}", ha="center", va="center", fontsize=7)
    ax.figure.colorbar(image, ax=ax, label="free − open and expected requests (h/week)")
    ax.set_title("Free hours left after open and expected requests")
    return ax


def plot_capacity_outlook(outlook: CapacityOutlook, ax: Axes | None = None) -> Axes:
    """Expected free hours per week over the coming weeks as known cases end.

    Bars: all consultants. Lines (right axis): free hours of speakers of each language
    in `outlook.free_hours_by_language`.
    """
    ax = _axes(ax, (9.0, 4.0))
    labels = [day.strftime("%d %b") for day in outlook.week_starts]
    x = np.arange(len(labels))
    ax.bar(x, outlook.total_free_hours, color="#8da0cb", label="all consultants")
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_ylabel("free hours per week (all)")
    ax.set_title("Expected free capacity over the next weeks (from case end dates)")
    ax.grid(axis="y", alpha=0.3)
    if outlook.free_hours_by_language:
        twin = ax.twinx()
        for language, hours in outlook.free_hours_by_language.items():
            twin.plot(x, hours, marker="o", label=language_label(language))
        twin.set_ylabel("free hours per week (speakers)")
        twin.set_ylim(bottom=0)
        lines, names = twin.get_legend_handles_labels()
        bars, bar_names = ax.get_legend_handles_labels()
        # Outside the axes: inside, it would hide the first weeks' bars.
        twin.legend(
            bars + lines,
            bar_names + names,
            loc="upper left",
            fontsize="small",
            bbox_to_anchor=(1.1, 1.0),
        )
    else:
        ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_follow_up_load(
    weeks: Sequence[dt.date],
    counts: Mapping[str, Sequence[int]],
    ax: Axes | None = None,
) -> Axes:
    """Coordinator × week grid of follow-ups due (municipal follow-ups, status reports,
    network meetings, calls), one row per coordinator label in the given order, cells
    annotated with the count; an empty week stays blank."""
    labels = list(counts)
    grid = np.array([list(counts[label]) for label in labels], dtype=float).reshape(
        len(labels), len(weeks)
    )
    shown = np.where(grid > 0, grid, np.nan)
    ax = _axes(ax, (0.55 * len(weeks) + 3.0, 0.22 * len(labels) + 1.8))
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=max(1.0, float(grid.max(initial=0))))
    ax.set_aspect("auto")
    ax.set_xticks(range(len(weeks)), [f"{day:%d %b}" for day in weeks], rotation=45, ha="right")
    ax.set_yticks(range(len(labels)), labels, fontsize=6)
    for row in range(len(labels)):
        for col in range(len(weeks)):
            if grid[row, col] > 0:
                ax.text(col, row, f"{grid[row, col]:.0f}", ha="center", va="center", fontsize=5)
    ax.figure.colorbar(image, ax=ax, label="follow-ups due")
    ax.set_xlabel("week of")
    ax.set_title("Follow-ups due per coordinator per week")
    return ax
